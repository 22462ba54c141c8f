/* test_http_request.c: the request heads real clients send (curl, Prometheus,
 * python), fed whole and byte by byte, and the ones a hostile or broken client
 * sends, each refused with the status a server should answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http_request.h"

static struct http_request req;

/* Feeds text in pieces of `step` bytes (0: whole); returns the last result
 * and the bytes taken in total. */
static enum http_request_result feed(const char *text, size_t len, size_t step, size_t limit,
				     size_t *taken)
{
	enum http_request_result rc = HTTP_REQUEST_MORE;
	size_t off = 0, used;

	http_request_init(&req, limit);
	*taken = 0;
	while (off < len && rc == HTTP_REQUEST_MORE) {
		size_t n = step == 0 || len - off < step ? len - off : step;

		rc = http_request_feed(&req, text + off, n, &used);
		assert_true(used <= n);
		if (rc == HTTP_REQUEST_MORE)
			assert_int_equal(used, n);
		*taken += used;
		off += n;
	}
	return rc;
}

static void accepted(const char *text, const char *method, const char *path, int version)
{
	size_t taken;

	/* whole, byte by byte, and in odd pieces: the same answer */
	for (size_t step = 0; step <= 7; step += step == 0 ? 1 : 6) {
		enum http_request_result rc = feed(text, strlen(text), step, 0, &taken);

		if (rc != HTTP_REQUEST_DONE)
			fail_msg("step %zu: refused (%d %s): %s", step, req.status, req.error, text);
		assert_string_equal(req.method, method);
		assert_string_equal(req.path, path);
		assert_int_equal(req.version, version);
		assert_int_equal(req.status, 0);
	}
}

static void refused(const char *text, size_t len, int status, size_t limit)
{
	size_t taken;

	for (size_t step = 0; step <= 1; step++) {
		enum http_request_result rc = feed(text, len, step, limit, &taken);

		if (rc != HTTP_REQUEST_ERROR)
			fail_msg("step %zu: not refused (rc %d): %s", step, rc, text);
		if (req.status != status)
			fail_msg("step %zu: status %d (%s), expected %d: %s", step, req.status, req.error,
				 status, text);
		assert_non_null(req.error);
		assert_true(req.error[0] != '\0');
	}
}

#define REFUSED(text, status) refused(text, sizeof(text) - 1, status, 0)

static void test_real_clients(void **state)
{
	(void)state;
	accepted("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
		 "GET", "/metrics", 11);
	accepted("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nUser-Agent: Prometheus/2.42.0\r\n"
		 "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		 "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"
		 "Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n",
		 "GET", "/metrics", 11);
	accepted("GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\n\r\n", "GET", "/metrics", 11);
	accepted("HEAD /metrics HTTP/1.0\r\n\r\n", "HEAD", "/metrics", 10);
	accepted("POST /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n", "POST", "/metrics", 11);
}

static void test_targets(void **state)
{
	(void)state;
	accepted("GET /metrics?name[]=x&y HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/metrics", 11);
	accepted("GET http://127.0.0.1:9464/metrics?x HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/metrics", 11);
	accepted("GET HTTPS://example.test HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/", 11);
	accepted("GET / HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/", 11);
	accepted("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS", "*", 11);
	/* the target is kept as sent */
	accepted("GET /a/../metrics HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/a/../metrics", 11);
	assert_string_equal(req.target, "/a/../metrics");
	REFUSED("GET metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET http:///metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /metrics#frag HTTP/1.1\r\nHost: h\r\n\r\n", 400);
}

static void test_headers(void **state)
{
	(void)state;
	accepted("GET /metrics HTTP/1.1\r\nHost:h\r\nX-Empty:\r\nX-Pad: \t spaced out \t\r\n"
		 "X-Obs: caf\xc3\xa9\r\n\r\n", "GET", "/metrics", 11);
	assert_int_equal(req.n_headers, 4);
	assert_string_equal(http_request_header(&req, "host"), "h");
	assert_string_equal(http_request_header(&req, "X-EMPTY"), "");
	assert_string_equal(http_request_header(&req, "x-pad"), "spaced out");
	assert_string_equal(http_request_header(&req, "x-obs"), "caf\xc3\xa9");
	assert_null(http_request_header(&req, "cookie"));
	/* empty lines before the request line are skipped (RFC 9112 2.2) */
	accepted("\r\n\r\nGET /metrics HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/metrics", 11);
	/* a later HTTP/1.x is answered as 1.1 */
	accepted("GET /metrics HTTP/1.9\r\nHost: h\r\n\r\n", "GET", "/metrics", 11);
	accepted("GET /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\ncontent-length: 0\r\n\r\n",
		 "GET", "/metrics", 11);
}

static void test_malformed(void **state)
{
	(void)state;
	REFUSED("GET /metrics HTTP/1.1\nHost: h\n\n", 400);             /* bare LF */
	REFUSED("GET /metrics HTTP/1.1\rHost: h\r\n\r\n", 400);         /* bare CR */
	REFUSED("GET  /metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400);      /* two spaces */
	REFUSED("GET /metrics  HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1 \r\nHost: h\r\n\r\n", 400);
	REFUSED(" GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /metrics\r\n\r\n", 400);                           /* HTTP/0.9 */
	REFUSED("GET /metrics http/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.10\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/2.0\r\nHost: h\r\n\r\n", 505);
	REFUSED("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505);               /* h2c preface */
	REFUSED("G\"T /metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /met\x01rics HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /m\xc3\xa9trics HTTP/1.1\r\nHost: h\r\n\r\n", 400); /* raw UTF-8 in the target */
	REFUSED("GET /metrics HTTP/1.1\r\n\r\n", 400);                  /* no Host in 1.1 */
	REFUSED("GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\nHost : h\r\n\r\n", 400);      /* space before colon */
	REFUSED("GET /metrics HTTP/1.1\r\nHost\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\n: v\r\nHost: h\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400); /* folded */
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501);
	REFUSED("GET /metrics HTTP/1.1\r\nHost: h\0\r\n\r\n", 400);
}

/* Another protocol is refused at its first bytes, without waiting for a line end. */
static void test_other_protocols_refused_at_once(void **state)
{
	static const unsigned char tls_hello[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc};
	size_t taken;

	(void)state;
	assert_int_equal(feed((const char *)tls_hello, sizeof(tls_hello), 0, 0, &taken), HTTP_REQUEST_ERROR);
	assert_int_equal(req.status, 400);
	assert_int_equal(taken, 0);
	assert_int_equal(feed("\x00\x00\x00", 3, 0, 0, &taken), HTTP_REQUEST_ERROR);
	assert_int_equal(feed("{\"jsonrpc\": 2}", 14, 0, 0, &taken), HTTP_REQUEST_ERROR);
	assert_int_equal(taken, 0);
	/* SSH's banner looks like a token, and fails when its line ends */
	REFUSED("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 400);
}

static void test_limits(void **state)
{
	char big[HTTP_REQUEST_MAX_HEAD + 64];
	size_t taken, n;

	(void)state;
	/* a long request line: 414; long headers: 431 */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	refused(big, 5000, 414, 4096);
	n = (size_t)snprintf(big, sizeof(big), "GET /metrics HTTP/1.1\r\nHost: h\r\nX: ");
	memset(big + n, 'x', sizeof(big) - n);
	refused(big, 5000, 431, 4096);
	refused(big, sizeof(big), 431, 0);
	/* the limit counts the whole head, CR LF CR LF included */
	n = strlen("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n");
	assert_int_equal(feed("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n", n, 1, n, &taken), HTTP_REQUEST_DONE);
	refused("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n", n, 431, n - 1);
	/* too many header fields */
	n = (size_t)snprintf(big, sizeof(big), "GET /metrics HTTP/1.1\r\nHost: h\r\n");
	for (int i = 0; i < HTTP_REQUEST_MAX_HEADERS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "X-%d: v\r\n", i);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "\r\n");
	refused(big, n, 431, 0);
	/* a long method is refused before its end */
	memset(big, 'A', 200);
	refused(big, 200, 501, 0);
	/* a path longer than HTTP_REQUEST_MAX_PATH */
	n = (size_t)snprintf(big, sizeof(big), "GET /");
	memset(big + n, 'p', HTTP_REQUEST_MAX_PATH + 10);
	n += HTTP_REQUEST_MAX_PATH + 10;
	n += (size_t)snprintf(big + n, sizeof(big) - n, " HTTP/1.1\r\nHost: h\r\n\r\n");
	refused(big, n, 414, 0);
}

/* Bytes after the head (a body, a pipelined request) are left to the caller,
 * and a finished parse stays finished. */
static void test_stops_at_end_of_head(void **state)
{
	const char *two = "GET /metrics HTTP/1.1\r\nHost: h\r\n\r\nGET /other HTTP/1.1\r\n";
	size_t used, head = strlen("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n");

	(void)state;
	http_request_init(&req, 0);
	assert_int_equal(http_request_feed(&req, two, strlen(two), &used), HTTP_REQUEST_DONE);
	assert_int_equal(used, head);
	assert_string_equal(req.path, "/metrics");
	assert_int_equal(http_request_feed(&req, "x", 1, &used), HTTP_REQUEST_DONE);
	assert_int_equal(used, 0);
	assert_string_equal(req.path, "/metrics");

	http_request_init(&req, 0);
	assert_int_equal(http_request_feed(&req, "\x01", 1, &used), HTTP_REQUEST_ERROR);
	assert_int_equal(http_request_feed(&req, "GET / HTTP/1.0\r\n\r\n", 18, &used), HTTP_REQUEST_ERROR);
	assert_int_equal(used, 0);
	/* nothing fed, nothing decided */
	http_request_init(&req, 0);
	assert_int_equal(http_request_feed(&req, "", 0, &used), HTTP_REQUEST_MORE);
	assert_int_equal(http_request_feed(&req, "GET /metrics HTTP/1.0\r\n", 23, NULL), HTTP_REQUEST_MORE);
	assert_int_equal(http_request_feed(&req, "\r", 1, NULL), HTTP_REQUEST_MORE);
	assert_int_equal(http_request_feed(&req, "\n", 1, NULL), HTTP_REQUEST_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_clients),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_other_protocols_refused_at_once),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_stops_at_end_of_head),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
