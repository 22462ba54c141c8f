/* test_net.c: libcurl's multi-socket interface on a libuv loop, against a
 * loopback server on the same loop: every transfer ends in exactly one
 * callback (the ones that end on curl's timer included), a cancelled or
 * aborted transfer in none, and every handle is closed at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loopback.h"
#include "net.h"

static const char ok_response[] =
	"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
static const char unavailable_response[] =
	"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

static const struct lb_route routes[] = {
	{"/ok", ok_response},
	{"/unavailable", unavailable_response},
	{"/hang", NULL},
};

#define MAX_XFERS 40

/* One transfer as a caller of net_add sees it. */
struct xfer {
	CURL *easy;
	char body[64];
	size_t body_len;
	int calls;       /* callbacks received: must end at 0 or 1 */
	CURLcode result;
	long status;
};

struct world {
	uv_loop_t loop;
	struct lb_server srv;
	struct net *net;
	struct xfer x[MAX_XFERS];
	int n;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *data)
{
	struct xfer *x = data;
	size_t len = size * n, room = sizeof(x->body) - 1 - x->body_len;

	memcpy(x->body + x->body_len, ptr, len < room ? len : room);
	x->body_len += len < room ? len : room;
	return len;
}

static void on_done(CURL *easy, CURLcode result, void *data)
{
	struct xfer *x = data;

	assert_ptr_equal(easy, x->easy);
	x->calls++;
	x->result = result;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &x->status);
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	char err[256] = "";

	assert_non_null(w);
	assert_int_equal(uv_loop_init(&w->loop), 0);
	assert_int_equal(lb_start(&w->srv, &w->loop, routes, sizeof(routes) / sizeof(routes[0])), 0);
	w->net = net_new(&w->loop, err, sizeof(err));
	if (!w->net)
		fail_msg("net_new: %s", err);
	*state = w;
	return 0;
}

/* Everything closed: the server, the net, the easy handles; then the loop
 * must close with nothing left in it. */
static int teardown(void **state)
{
	struct world *w = *state;

	lb_stop(&w->srv);
	net_free(w->net);
	for (int i = 0; i < w->n; i++)
		curl_easy_cleanup(w->x[i].easy);
	assert_int_equal(lb_loop_finish(&w->loop), 0);
	free(w);
	return 0;
}

static struct xfer *start(struct world *w, int port, const char *path, long timeout_ms)
{
	struct xfer *x = &w->x[w->n++];
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	x->easy = curl_easy_init();
	assert_non_null(x->easy);
	curl_easy_setopt(x->easy, CURLOPT_URL, url);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_PROXY, "");
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	assert_int_equal(net_add(w->net, x->easy, on_done, x), 0);
	return x;
}

static bool all_called(void *data)
{
	struct world *w = data;

	for (int i = 0; i < w->n; i++)
		if (w->x[i].calls == 0)
			return false;
	return true;
}

static bool called(void *data)
{
	return ((struct xfer *)data)->calls > 0;
}

static bool requests_seen(void *data)
{
	struct world *w = data;

	return w->srv.requests >= (unsigned)w->n;
}

static void test_one_transfer_answers_once(void **state)
{
	struct world *w = *state;
	struct xfer *x = start(w, w->srv.port, "/ok", 20000);

	assert_true(lb_run_until(&w->loop, all_called, w, 20));
	assert_int_equal(x->calls, 1);
	assert_int_equal(x->result, CURLE_OK);
	assert_int_equal(x->status, 200);
	assert_string_equal(x->body, "hello");
	assert_int_equal(w->srv.requests, 1);
	assert_non_null(strstr(w->srv.last_request, "GET /ok HTTP/1.1\r\n"));
}

static void test_many_transfers_at_once(void **state)
{
	struct world *w = *state;

	for (int i = 0; i < MAX_XFERS; i++)
		start(w, w->srv.port, i % 2 ? "/ok" : "/unavailable", 20000);
	assert_true(lb_run_until(&w->loop, all_called, w, 30));
	for (int i = 0; i < MAX_XFERS; i++) {
		assert_int_equal(w->x[i].calls, 1);
		assert_int_equal(w->x[i].result, CURLE_OK);
		assert_int_equal(w->x[i].status, i % 2 ? 200 : 503);
	}
	assert_int_equal(w->srv.requests, MAX_XFERS);
}

static void test_refused_connection(void **state)
{
	struct world *w = *state;
	int port, fd = lb_refusing_port(&port);
	struct xfer *x;

	assert_true(fd >= 0);
	x = start(w, port, "/ok", 20000);
	assert_true(lb_run_until(&w->loop, all_called, w, 20));
	close(fd);
	assert_int_equal(x->calls, 1);
	assert_int_equal(x->result, CURLE_COULDNT_CONNECT);
	assert_int_equal(x->status, 0);
}

/* A server that never answers: the transfer ends on curl's timer, not on a
 * socket event, and its callback must come all the same. */
static void test_timeout_ends_on_the_timer(void **state)
{
	struct world *w = *state;
	struct xfer *x = start(w, w->srv.port, "/hang", 300);
	uint64_t t0 = uv_hrtime();

	assert_true(lb_run_until(&w->loop, all_called, w, 20));
	assert_int_equal(x->calls, 1);
	assert_int_equal(x->result, CURLE_OPERATION_TIMEDOUT);
	assert_true((uv_hrtime() - t0) / 1000000 >= 250);
	assert_int_equal(w->srv.requests, 1);
}

/* net_cancel: no callback, the easy is the caller's again, and the engine
 * keeps working for the next transfer. */
static void test_cancel_calls_nothing(void **state)
{
	struct world *w = *state;
	struct xfer *hung = start(w, w->srv.port, "/hang", 20000);
	struct xfer *next;

	assert_true(lb_run_until(&w->loop, requests_seen, w, 20));
	net_cancel(w->net, hung->easy);
	next = start(w, w->srv.port, "/ok", 20000);
	assert_true(lb_run_until(&w->loop, requests_seen, w, 20));
	assert_true(lb_run_until(&w->loop, called, next, 20));
	assert_int_equal(next->calls, 1);
	assert_int_equal(next->status, 200);
	assert_int_equal(hung->calls, 0);
}

/* net_free with transfers under way: none of their callbacks, and (in the
 * teardown) every handle closed. */
static void test_free_aborts_running_transfers(void **state)
{
	struct world *w = *state;

	for (int i = 0; i < 3; i++)
		start(w, w->srv.port, "/hang", 20000);
	assert_true(lb_run_until(&w->loop, requests_seen, w, 20));
	net_free(w->net);
	w->net = NULL;
	lb_run_until(&w->loop, NULL, NULL, 0.2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(w->x[i].calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_transfer_answers_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_transfers_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_ends_on_the_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_calls_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_aborts_running_transfers, setup, teardown),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
