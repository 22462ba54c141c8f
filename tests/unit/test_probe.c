/* test_probe.c: one probe of each kind on a libuv loop against a loopback
 * server started by the test, the outcome it reports (ok, refused, timed
 * out, HTTP statuses, bot challenges, body checks, DNS overrides), what goes
 * into the request (secrets only over https, validators), the HTTP status
 * classification on its own, and a prober freed with probes in flight.
 * Every case ends with every handle closed and uv_loop_close() == 0.
 *
 * main() installs curl's allocators (curl_global_init_mem) so that one case
 * can make a header copy fail and check that nothing holding the expanded
 * secret is left behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "loopback.h"
#include "probe.h"

#define SECRET "sk-test-0123456789abcdefSECRET"

/* ---- curl's allocators, watched ------------------------------------------ */

/* The copies curl makes of header lines that carry the secret, until freed. */
#define WATCH_MAX 16
static void *secret_copies[WATCH_MAX];
/* curl_strdup fails for a string that starts with this (NULL: never). */
static const char *fail_strdup_prefix;

static void forget(void *p)
{
	for (int i = 0; i < WATCH_MAX; i++)
		if (p && secret_copies[i] == p)
			secret_copies[i] = NULL;
}

static int secret_copies_alive(void)
{
	int n = 0;

	for (int i = 0; i < WATCH_MAX; i++)
		n += secret_copies[i] != NULL;
	return n;
}

static void *hook_malloc(size_t n)
{
	return malloc(n);
}

static void hook_free(void *p)
{
	forget(p);
	free(p);
}

static void *hook_realloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q && q != p)
		forget(p);
	return q;
}

static char *hook_strdup(const char *s)
{
	char *d;

	if (fail_strdup_prefix && strncmp(s, fail_strdup_prefix, strlen(fail_strdup_prefix)) == 0)
		return NULL;
	d = strdup(s);
	if (d && strstr(s, SECRET)) {
		for (int i = 0; i < WATCH_MAX; i++) {
			if (!secret_copies[i]) {
				secret_copies[i] = d;
				break;
			}
		}
	}
	return d;
}

static void *hook_calloc(size_t n, size_t size)
{
	return calloc(n, size);
}

/* ---- the world: a loop, a loopback server, a config, a prober ------------ */

static const struct lb_route routes[] = {
	{"/ok", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"},
	{"/unavailable", "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
	{"/limited", "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\n"
		     "Connection: close\r\n\r\n"},
	{"/challenge", "HTTP/1.1 403 Forbidden\r\ncf-mitigated: challenge\r\nContent-Length: 0\r\n"
		       "Connection: close\r\n\r\n"},
	{"/missing", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
	{"/page", "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Type: application/json\r\n"
		  "Content-Length: 15\r\nConnection: close\r\n\r\n{\"status\": \"x\"}"},
	{"/hang", NULL},
};

struct result {
	int calls;
	struct sample s; /* pointers cleared: body and etag are copied below */
	char *body;
	char *etag;
};

struct world {
	uv_loop_t loop;
	struct lb_server srv;
	int refused_port, refused_fd;
	struct config *cfg;
	struct prober *pr;
	struct result r[8];
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	assert_int_equal(uv_loop_init(&w->loop), 0);
	assert_int_equal(lb_start(&w->srv, &w->loop, routes, sizeof(routes) / sizeof(routes[0])), 0);
	w->refused_fd = lb_refusing_port(&w->refused_port);
	assert_true(w->refused_fd >= 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	prober_free(w->pr);
	lb_stop(&w->srv);
	close(w->refused_fd);
	assert_int_equal(lb_loop_finish(&w->loop), 0);
	config_free(w->cfg);
	for (size_t i = 0; i < sizeof(w->r) / sizeof(w->r[0]); i++) {
		free(w->r[i].body);
		free(w->r[i].etag);
	}
	free(w);
	return 0;
}

/* Loads the targets (a JSON array in which PORT and REFUSED stand for the
 * server's port and a refusing one) and makes the prober. */
static void load(struct world *w, const char *targets)
{
	char text[4096], tmpl[4096], err[512] = "";

	snprintf(tmpl, sizeof(tmpl), "{\"resolve\": {\"svc.test\": \"127.0.0.1\", \"gone.test\": \"fail\"}, "
		 "\"timeout_s\": 10, \"targets\": %s}", targets);
	assert_int_equal(lb_fill(text, sizeof(text), tmpl, w->srv.port, w->refused_port), 0);
	w->cfg = config_parse(text, strlen(text), "test.json", err, sizeof(err));
	if (!w->cfg)
		fail_msg("config: %s\n%s", err, text);
	w->pr = prober_new(&w->loop, w->cfg, err, sizeof(err));
	if (!w->pr)
		fail_msg("prober_new: %s", err);
}

static const struct target *target(const struct world *w, const char *name)
{
	for (size_t i = 0; i < w->cfg->n_targets; i++)
		if (strcmp(w->cfg->targets[i].name, name) == 0)
			return &w->cfg->targets[i];
	fail_msg("no target %s", name);
	return NULL;
}

static void on_probe_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct result *r = data;

	r->calls++;
	r->s = *s;
	r->body = s->body; /* taken, as the contract allows */
	s->body = NULL;
	r->etag = s->etag ? strdup(s->etag) : NULL;
	r->s.body = r->s.etag = r->s.last_modified = NULL;
}

static bool called(void *data)
{
	return ((struct result *)data)->calls > 0;
}

/* Probes target `name` and waits for its one result. */
static const struct sample *probe(struct world *w, const char *name, const struct probe_opts *opts)
{
	struct result *r = &w->r[0];

	assert_non_null(probe_start(w->pr, target(w, name), opts, on_probe_done, r));
	assert_true(lb_run_until(&w->loop, called, r, 30));
	assert_int_equal(r->calls, 1);
	return &r->s;
}

/* ---- HTTP over the loop -------------------------------------------------- */

static void test_http_ok(void **state)
{
	struct world *w = *state;
	const struct sample *s;

	load(w, "[{\"name\": \"web\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\"}]");
	s = probe(w, "web", NULL);
	assert_true(s->ok);
	assert_int_equal(s->outcome, OUTCOME_OK);
	assert_string_equal(s->error, "");
	assert_int_equal(s->http_status, 200);
	assert_int_equal(s->http_version, 11);
	assert_string_equal(s->remote_ip, "127.0.0.1");
	assert_int_equal(s->body_len, 5);
	assert_true(s->total_ms >= 0 && s->total_ms < 30000);
	assert_true(s->ttfb_ms >= 0 && s->ttfb_ms <= s->total_ms);
	assert_true(s->t > 1.7e9); /* wall clock, seconds */
	assert_false(s->key_sent);
	/* the probe says who it is */
	assert_non_null(strstr(w->srv.last_request, "GET /ok HTTP/1.1\r\n"));
	assert_non_null(strstr(w->srv.last_request, "User-Agent: isitdown/"));
}

static void test_http_status_outcomes(void **state)
{
	struct world *w = *state;
	const struct {
		const char *name;
		enum outcome outcome;
		bool ok;
		long status;
		const char *error;
	} cases[] = {
		{"unavailable", OUTCOME_HTTP_5XX, false, 503, "HTTP 503 server error"},
		{"limited", OUTCOME_RATE_LIMITED, false, 429, "HTTP 429 rate limited, retry after 7 s"},
		{"challenge", OUTCOME_CHALLENGED, true, 403, "HTTP 403 bot challenge (reachable)"},
		{"missing", OUTCOME_HTTP_UNEXPECTED, false, 404, "HTTP 404 not expected"},
		{"missing-expected", OUTCOME_OK, true, 404, ""},
	};

	load(w, "[{\"name\": \"unavailable\", \"url\": \"http://127.0.0.1:PORT/unavailable\", \"proxy\": \"\"},"
		" {\"name\": \"limited\", \"url\": \"http://127.0.0.1:PORT/limited\", \"proxy\": \"\"},"
		" {\"name\": \"challenge\", \"url\": \"http://127.0.0.1:PORT/challenge\", \"proxy\": \"\"},"
		" {\"name\": \"missing\", \"url\": \"http://127.0.0.1:PORT/missing\", \"proxy\": \"\"},"
		" {\"name\": \"missing-expected\", \"url\": \"http://127.0.0.1:PORT/missing\", \"proxy\": \"\","
		"  \"expect_status\": [404]}]");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sample *s;

		w->r[0].calls = 0;
		s = probe(w, cases[i].name, NULL);
		if (s->outcome != cases[i].outcome || s->ok != cases[i].ok)
			fail_msg("%s: outcome %s ok %d, expected %s ok %d (%s)", cases[i].name,
				 outcome_name(s->outcome), s->ok, outcome_name(cases[i].outcome), cases[i].ok,
				 s->error);
		assert_int_equal(s->http_status, cases[i].status);
		assert_string_equal(s->error, cases[i].error);
	}
	assert_true(w->r[0].s.retry_after_s < 0); /* the last answer had no Retry-After */
}

static void test_body_contains(void **state)
{
	struct world *w = *state;
	const struct sample *s;

	load(w, "[{\"name\": \"has\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\","
		" \"body_contains\": \"ell\"},"
		" {\"name\": \"lacks\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\","
		" \"body_contains\": \"goodbye\"}]");
	s = probe(w, "has", NULL);
	assert_true(s->ok);
	w->r[0].calls = 0;
	s = probe(w, "lacks", NULL);
	assert_false(s->ok);
	assert_int_equal(s->outcome, OUTCOME_BODY_MISMATCH);
	assert_string_equal(s->error, "HTTP 200 but the body lacks the expected text");
}

static void test_refused(void **state)
{
	struct world *w = *state;
	const struct sample *s;

	load(w, "[{\"name\": \"web\", \"url\": \"http://127.0.0.1:REFUSED/ok\", \"proxy\": \"\"}]");
	s = probe(w, "web", NULL);
	assert_false(s->ok);
	assert_int_equal(s->outcome, OUTCOME_CONNECT_FAIL);
	assert_int_equal(s->http_status, 0);
	/* refused, not unreachable: they point at different culprits */
	assert_non_null(strstr(s->error, "connection refused"));
}

static void test_timeout(void **state)
{
	struct world *w = *state;
	const struct sample *s;
	uint64_t t0 = uv_hrtime();

	load(w, "[{\"name\": \"web\", \"url\": \"http://127.0.0.1:PORT/hang\", \"proxy\": \"\", \"timeout_s\": 0.3}]");
	s = probe(w, "web", NULL);
	assert_false(s->ok);
	assert_int_equal(s->outcome, OUTCOME_TIMEOUT);
	assert_true((uv_hrtime() - t0) / 1000000 >= 250);
	assert_true(s->total_ms >= 250);
	assert_int_equal(w->srv.requests, 1); /* it did ask, and waited */
}

/* A status page: the body and the validators come back; the next read
 * sends them (If-None-Match, If-Modified-Since). */
static void test_status_page_body_and_validators(void **state)
{
	struct world *w = *state;
	struct probe_opts o = {.keep_body = true};
	const struct sample *s;

	load(w, "[{\"name\": \"page\", \"kind\": \"statuspage\", \"url\": \"http://127.0.0.1:PORT/page\","
		" \"proxy\": \"\"}]");
	s = probe(w, "page", &o);
	assert_true(s->ok);
	assert_string_equal(w->r[0].body, "{\"status\": \"x\"}");
	assert_string_equal(w->r[0].etag, "\"v1\"");
	assert_null(strstr(w->srv.last_request, "If-None-Match"));

	free(w->r[0].body);
	free(w->r[0].etag);
	memset(&w->r[0], 0, sizeof(w->r[0]));
	o.if_none_match = "\"v1\"";
	o.if_modified_since = "Tue, 01 Dec 2026 10:00:00 GMT";
	probe(w, "page", &o);
	assert_non_null(strstr(w->srv.last_request, "\r\nIf-None-Match: \"v1\"\r\n"));
	assert_non_null(strstr(w->srv.last_request, "\r\nIf-Modified-Since: Tue, 01 Dec 2026 10:00:00 GMT\r\n"));
}

/* A header that carries a secret goes only over https: over plain http it is
 * left out, and the sample says no key went. Other headers go as they are. */
static void test_secret_header_not_sent_over_http(void **state)
{
	struct world *w = *state;
	const struct sample *s;

	setenv("ISITDOWN_TEST_KEY", SECRET, 1);
	load(w, "[{\"name\": \"api\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\","
		" \"headers\": {\"Authorization\": \"Bearer ${ISITDOWN_TEST_KEY}\", \"X-Plain\": \"yes\"}}]");
	s = probe(w, "api", NULL);
	assert_true(s->ok);
	assert_false(s->key_sent);
	assert_null(strstr(w->srv.last_request, "Authorization"));
	assert_null(strstr(w->srv.last_request, SECRET));
	assert_non_null(strstr(w->srv.last_request, "\r\nX-Plain: yes\r\n"));
	unsetenv("ISITDOWN_TEST_KEY");
}

/* Out of memory while the request headers are built (the copy of the
 * If-None-Match line fails): the probe does not start, and curl's copy of the
 * header line with the expanded secret, made just before, is freed with the
 * rest of the list, not left unreachable. */
static void test_failed_header_copy_leaves_no_secret_behind(void **state)
{
	struct world *w = *state;
	struct probe_opts o = {.keep_body = true, .if_none_match = "\"v1\""};
	struct probe *p;

	setenv("ISITDOWN_TEST_KEY", SECRET, 1);
	load(w, "[{\"name\": \"page\", \"kind\": \"statuspage\", \"url\": \"https://127.0.0.1:REFUSED/page\","
		" \"proxy\": \"\", \"headers\": {\"Authorization\": \"Bearer ${ISITDOWN_TEST_KEY}\"}}]");
	fail_strdup_prefix = "If-None-Match:";
	p = probe_start(w->pr, target(w, "page"), &o, on_probe_done, &w->r[0]);
	fail_strdup_prefix = NULL;
	assert_null(p);
	lb_run_until(&w->loop, NULL, NULL, 0.05);
	assert_int_equal(w->r[0].calls, 0);
	assert_int_equal(secret_copies_alive(), 0);

	/* and with memory back, the same probe builds its headers (secret
	 * included: https) and runs to a result */
	assert_non_null(probe_start(w->pr, target(w, "page"), &o, on_probe_done, &w->r[0]));
	assert_int_equal(secret_copies_alive(), 1);
	assert_true(lb_run_until(&w->loop, called, &w->r[0], 30));
	assert_int_equal(w->r[0].s.outcome, OUTCOME_CONNECT_FAIL);
	assert_int_equal(secret_copies_alive(), 0);
	unsetenv("ISITDOWN_TEST_KEY");
}

/* ---- DNS and TCP --------------------------------------------------------- */

static void test_dns(void **state)
{
	struct world *w = *state;
	const struct sample *s;

	load(w, "[{\"name\": \"name\", \"kind\": \"dns\", \"host\": \"svc.test\"},"
		" {\"name\": \"gone\", \"kind\": \"dns\", \"host\": \"gone.test\"}]");
	s = probe(w, "name", NULL);
	assert_true(s->ok);
	assert_int_equal(s->outcome, OUTCOME_OK);
	assert_int_equal(s->n_addr_v4, 1);
	assert_int_equal(s->n_addr_v6, 0);
	assert_string_equal(s->remote_ip, "127.0.0.1");
	assert_true(s->dns_ms >= 0);

	w->r[0].calls = 0;
	s = probe(w, "gone", NULL);
	assert_false(s->ok);
	assert_int_equal(s->outcome, OUTCOME_DNS_FAIL);
	assert_non_null(strstr(s->error, "could not resolve gone.test"));
}

static void test_tcp(void **state)
{
	struct world *w = *state;
	const struct sample *s;

	load(w, "[{\"name\": \"open\", \"kind\": \"tcp\", \"host\": \"svc.test\", \"port\": PORT},"
		" {\"name\": \"closed\", \"kind\": \"tcp\", \"host\": \"svc.test\", \"port\": REFUSED},"
		" {\"name\": \"nameless\", \"kind\": \"tcp\", \"host\": \"gone.test\", \"port\": PORT}]");
	s = probe(w, "open", NULL);
	assert_true(s->ok);
	assert_int_equal(s->outcome, OUTCOME_OK);
	assert_string_equal(s->remote_ip, "127.0.0.1");
	assert_true(s->connect_ms >= 0 && s->dns_ms >= 0);

	w->r[0].calls = 0;
	s = probe(w, "closed", NULL);
	assert_false(s->ok);
	assert_int_equal(s->outcome, OUTCOME_CONNECT_FAIL);
	assert_non_null(strstr(s->error, "port"));

	w->r[0].calls = 0;
	s = probe(w, "nameless", NULL);
	assert_int_equal(s->outcome, OUTCOME_DNS_FAIL);
}

/* ---- the prober ----------------------------------------------------------- */

/* Freed with probes of every kind in flight: no callback, and every handle
 * closed (the teardown checks the loop closes). */
static void test_prober_free_with_probes_in_flight(void **state)
{
	struct world *w = *state;

	load(w, "[{\"name\": \"hung\", \"url\": \"http://127.0.0.1:PORT/hang\", \"proxy\": \"\"},"
		" {\"name\": \"tcp\", \"kind\": \"tcp\", \"host\": \"svc.test\", \"port\": PORT},"
		" {\"name\": \"dns\", \"kind\": \"dns\", \"host\": \"svc.test\"}]");
	assert_non_null(probe_start(w->pr, target(w, "hung"), NULL, on_probe_done, &w->r[0]));
	assert_non_null(probe_start(w->pr, target(w, "tcp"), NULL, on_probe_done, &w->r[1]));
	assert_non_null(probe_start(w->pr, target(w, "dns"), NULL, on_probe_done, &w->r[2]));
	prober_free(w->pr);
	w->pr = NULL;
	lb_run_until(&w->loop, NULL, NULL, 0.3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(w->r[i].calls, 0);
}

/* ---- HTTP status classification, on its own ----------------------------- */

static void test_classify_http(void **state)
{
	struct target t = {0}, key = {0};
	const struct {
		const struct target *t;
		long status;
		bool key_set, challenge, matched;
		double retry_after;
		enum outcome outcome;
		bool ok;
		const char *error;
	} cases[] = {
		{&t, 200, false, false, true, -1, OUTCOME_OK, true, ""},
		{&t, 399, false, false, true, -1, OUTCOME_OK, true, ""},
		{&t, 404, false, false, true, -1, OUTCOME_HTTP_UNEXPECTED, false, "HTTP 404 not expected"},
		{&t, 500, false, false, true, -1, OUTCOME_HTTP_5XX, false, "HTTP 500 server error"},
		{&t, 200, false, false, false, -1, OUTCOME_BODY_MISMATCH, false,
		 "HTTP 200 but the body lacks the expected text"},
		{&t, 429, false, false, true, -1, OUTCOME_RATE_LIMITED, false, "HTTP 429 rate limited"},
		{&t, 429, false, false, true, 30, OUTCOME_RATE_LIMITED, false,
		 "HTTP 429 rate limited, retry after 30 s"},
		/* a challenge is reachable, whatever the status it came with */
		{&t, 503, false, true, true, -1, OUTCOME_CHALLENGED, true, "HTTP 503 bot challenge (reachable)"},
		{&t, 429, false, true, true, -1, OUTCOME_CHALLENGED, true, "HTTP 429 bot challenge (reachable)"},
		{&t, 200, false, true, true, -1, OUTCOME_OK, true, ""},
		/* 401/403 is the key's fault only when a key went */
		{&t, 401, true, false, true, -1, OUTCOME_AUTH_REJECTED, false, "HTTP 401: the API key was rejected"},
		{&t, 403, true, false, true, -1, OUTCOME_AUTH_REJECTED, false, "HTTP 403: the API key was rejected"},
		{&t, 401, false, false, true, -1, OUTCOME_HTTP_UNEXPECTED, false, "HTTP 401 not expected"},
		/* expect_status, and expect_status_with_key when a key is set */
		{&key, 401, false, false, true, -1, OUTCOME_OK, true, ""},
		{&key, 200, false, false, true, -1, OUTCOME_HTTP_UNEXPECTED, false, "HTTP 200 not expected"},
		{&key, 200, true, false, true, -1, OUTCOME_OK, true, ""},
		{&key, 401, true, false, true, -1, OUTCOME_AUTH_REJECTED, false, "HTTP 401: the API key was rejected"},
	};

	key.expect_status[0] = 401;
	key.n_expect = 1;
	key.expect_status_with_key[0] = 200;
	key.n_expect_with_key = 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sample s = {0};

		s.http_status = cases[i].status;
		s.retry_after_s = cases[i].retry_after;
		strcpy(s.error, "stale text from before");
		probe_classify_http(&s, cases[i].t, cases[i].key_set, cases[i].challenge, cases[i].matched);
		if (s.outcome != cases[i].outcome || s.ok != cases[i].ok || strcmp(s.error, cases[i].error) != 0)
			fail_msg("case %zu (HTTP %ld): %s ok %d \"%s\", expected %s ok %d \"%s\"", i, cases[i].status,
				 outcome_name(s.outcome), s.ok, s.error, outcome_name(cases[i].outcome), cases[i].ok,
				 cases[i].error);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_http_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_status_outcomes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_contains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_page_body_and_validators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_header_not_sent_over_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_header_copy_leaves_no_secret_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prober_free_with_probes_in_flight, setup, teardown),
		cmocka_unit_test(test_classify_http),
	};
	int rc;

	/* probes reach the loopback server directly, whatever the environment says */
	unsetenv("http_proxy");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, hook_malloc, hook_free, hook_realloc, hook_strdup,
				 hook_calloc) != CURLE_OK)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
