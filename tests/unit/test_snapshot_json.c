/* test_snapshot_json.c: the --once --json document built from a monitor that
 * ran on a loop against a loopback server (a service target up, one down, a
 * dns target, a captured status page with an incident): every key README
 * "--once --json" lists, of the type it says, with the values of that run;
 * the events capped at the newest 200, oldest first; the document before
 * any result; and no secret in it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "loopback.h"
#include "snapshot_json.h"

#define SECRET "sk-test-0123456789abcdefSECRET"

static const char ok_response[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
static const char unavailable_response[] =
	"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/* slow_ms 60000: a loaded machine must not make a target "degraded" here */
static const char config[] =
	"{\"service\": \"Example\", \"resolve\": {\"svc.test\": \"127.0.0.1\"}, \"targets\": ["
	" {\"name\": \"web\", \"url\": \"http://127.0.0.1:PORT/ok\", \"component\": \"Git Operations\","
	"  \"proxy\": \"\", \"slow_ms\": 60000, \"headers\": {\"Authorization\": \"Bearer ${ISITDOWN_TEST_KEY}\"}},"
	" {\"name\": \"api\", \"url\": \"http://127.0.0.1:PORT/unavailable\", \"component\": \"API Requests\","
	"  \"proxy\": \"\", \"slow_ms\": 60000},"
	" {\"name\": \"dns\", \"kind\": \"dns\", \"host\": \"svc.test\", \"slow_ms\": 60000},"
	" {\"name\": \"status\", \"kind\": \"statuspage\", \"url\": \"http://127.0.0.1:PORT/api/v2/summary.json\","
	"  \"proxy\": \"\", \"slow_ms\": 60000}]}";

struct world {
	uv_loop_t loop;
	struct lb_server srv;
	struct lb_route routes[3];
	char *page;
	struct monitor *m;
	cJSON *doc;
	bool done;
};

static void on_done(struct monitor *m, void *data)
{
	((struct world *)data)->done = true;
}

static bool is_done(void *data)
{
	return ((struct world *)data)->done;
}

/* A monitor on the config, made and (when `run`) run to the end of --once. */
static void make(struct world *w, bool run)
{
	struct monitor_options o = {.once = true, .retry_delay_s = 0.05, .memory_only_log = true};
	char text[4096], err[512] = "";
	struct config *cfg;

	assert_int_equal(lb_fill(text, sizeof(text), config, w->srv.port, 0), 0);
	cfg = config_parse(text, strlen(text), "test.json", err, sizeof(err));
	if (!cfg)
		fail_msg("config: %s", err);
	w->m = monitor_new(&w->loop, cfg, &o, err, sizeof(err));
	if (!w->m)
		fail_msg("monitor_new: %s", err);
	monitor_on_done(w->m, on_done, w);
	if (run) {
		assert_int_equal(monitor_start(w->m), 0);
		assert_true(lb_run_until(&w->loop, is_done, w, 30));
	}
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->page = lb_file_response(TEST_DATA_DIR "/statuspage/github-summary-minor-degraded-performance-2026-08-13.json",
				   "application/json");
	assert_non_null(w->page);
	w->routes[0] = (struct lb_route){"/ok", ok_response};
	w->routes[1] = (struct lb_route){"/unavailable", unavailable_response};
	w->routes[2] = (struct lb_route){"/api/v2/summary.json", w->page};
	assert_int_equal(uv_loop_init(&w->loop), 0);
	assert_int_equal(lb_start(&w->srv, &w->loop, w->routes, 3), 0);
	setenv("ISITDOWN_TEST_KEY", SECRET, 1);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	cJSON_Delete(w->doc);
	monitor_free(w->m);
	lb_stop(&w->srv);
	assert_int_equal(lb_loop_finish(&w->loop), 0);
	free(w->page);
	free(w);
	unsetenv("ISITDOWN_TEST_KEY");
	return 0;
}

/* ---- reading the document ------------------------------------------------- */

static const cJSON *get(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v)
		fail_msg("key \"%s\" missing", key);
	return v;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	if (!cJSON_IsString(v))
		fail_msg("\"%s\" is not a string", key);
	return v->valuestring;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("\"%s\" is not a number", key);
	return v->valuedouble;
}

static bool is_null(const cJSON *o, const char *key)
{
	return cJSON_IsNull(get(o, key));
}

static void string_or_null(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	if (!cJSON_IsString(v) && !cJSON_IsNull(v))
		fail_msg("\"%s\" is neither a string nor null", key);
}

static void number_or_null(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	if (!cJSON_IsNumber(v) && !cJSON_IsNull(v))
		fail_msg("\"%s\" is neither a number nor null", key);
}

static void one_of(const char *value, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(value, *words) == 0)
			return;
	fail_msg("\"%s\" is not a documented word", value);
}

/* "2026-11-25T21:01:38Z", or with milliseconds (events): ".718Z" */
static void is_iso_time(const char *s)
{
	int y, mo, d, h, mi, se, used = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 || used != 19 ||
	    !(strcmp(s + 19, "Z") == 0 ||
	      (s[19] == '.' && strspn(s + 20, "0123456789") == 3 && strcmp(s + 23, "Z") == 0)))
		fail_msg("\"%s\" is not an ISO 8601 UTC time", s);
}

static const cJSON *array(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	if (!cJSON_IsArray(v))
		fail_msg("\"%s\" is not an array", key);
	return v;
}

static const cJSON *object(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	if (!cJSON_IsObject(v))
		fail_msg("\"%s\" is not an object", key);
	return v;
}

static const cJSON *target_named(const cJSON *doc, const char *name)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, array(doc, "targets"))
		if (strcmp(str(t, "name"), name) == 0)
			return t;
	fail_msg("no target \"%s\" in the document", name);
	return NULL;
}

static const char *const verdict_states[] = {"operational", "degraded", "partial_outage", "major_outage",
					     "maintenance", "local_problem", "unknown", NULL};
static const char *const target_states[] = {"unknown", "up", "confirming", "degraded", "down", "flapping", NULL};
static const char *const outcomes[] = {"ok", "dns_fail", "connect_fail", "tls_fail", "timeout", "recv_fail",
				       "http_5xx", "rate_limited", "auth_rejected", "challenged",
				       "http_unexpected", "body_mismatch", "proxy_fail", "error", "none", NULL};
static const char *const results[] = {"pass", "warn", "fail", "skip", "pending", NULL};
static const char *const severities[] = {"info", "notice", "warning", "critical", NULL};

/* Every key a target has, of its type. */
static void check_target_shape(const cJSON *t)
{
	static const char *const phases[] = {"dns", "connect", "tls", "ttfb", "transfer", "total"};
	const cJSON *tm;

	str(t, "name");
	str(t, "kind");
	str(t, "role");
	string_or_null(t, "component");
	assert_true(cJSON_IsBool(get(t, "ok")));
	one_of(str(t, "state"), target_states);
	one_of(str(t, "outcome"), outcomes);
	str(t, "outcome_text");
	number_or_null(t, "http_status");
	number_or_null(t, "http_version");
	string_or_null(t, "error");
	string_or_null(t, "remote_ip");
	tm = object(t, "timings_ms");
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		number_or_null(tm, phases[i]);
	number_or_null(t, "retry_after_s");
	string_or_null(t, "server_date");
	string_or_null(t, "cert_expiry");
	num(t, "probes");
	num(t, "failures");
}

/* ---- the cases ------------------------------------------------------------- */

static void test_document_after_a_run(void **state)
{
	struct world *w = *state;
	const cJSON *v, *t, *tm, *st, *c, *off, *inc, *u;
	int n = 0;

	make(w, true);
	w->doc = snapshot_json(w->m);
	assert_non_null(w->doc);

	assert_string_equal(str(w->doc, "service"), "Example");
	is_iso_time(str(w->doc, "time"));

	v = object(w->doc, "verdict");
	one_of(str(v, "state"), verdict_states);
	assert_string_equal(str(v, "state"), "partial_outage");
	assert_string_equal(str(v, "state"), diagnose_state_name(monitor_verdict(w->m)->state));
	assert_string_equal(str(v, "cause"), diagnose_cause_name(monitor_verdict(w->m)->cause));
	assert_true(strlen(str(v, "summary")) > 0);
	str(v, "detail");
	string_or_null(v, "target");
	assert_true(num(v, "exit_code") == diagnose_exit_code(VERDICT_PARTIAL_OUTAGE));
	string_or_null(v, "status_page_lag");

	/* the targets, in the config's order */
	assert_int_equal(cJSON_GetArraySize(array(w->doc, "targets")), 4);
	cJSON_ArrayForEach(t, array(w->doc, "targets")) {
		static const char *const order[] = {"web", "api", "dns", "status"};

		check_target_shape(t);
		assert_string_equal(str(t, "name"), order[n++]);
	}

	t = target_named(w->doc, "web");
	assert_string_equal(str(t, "kind"), "http");
	assert_string_equal(str(t, "role"), "service");
	assert_string_equal(str(t, "component"), "Git Operations");
	assert_true(cJSON_IsTrue(get(t, "ok")));
	assert_string_equal(str(t, "state"), "up");
	assert_string_equal(str(t, "outcome"), "ok");
	assert_true(num(t, "http_status") == 200);
	assert_true(num(t, "http_version") == 1.1);
	assert_true(is_null(t, "error"));
	assert_string_equal(str(t, "remote_ip"), "127.0.0.1");
	tm = object(t, "timings_ms");
	assert_true(num(tm, "total") >= 0);
	assert_true(is_null(tm, "tls")); /* plain http: no handshake */
	assert_true(is_null(t, "retry_after_s") && is_null(t, "cert_expiry"));
	assert_true(num(t, "probes") == 1 && num(t, "failures") == 0);
	st = object(t, "stats_1h");
	assert_true(num(st, "count") == 1 && num(st, "loss") == 0);
	assert_true(num(st, "p50") >= 0);

	t = target_named(w->doc, "api");
	assert_true(cJSON_IsFalse(get(t, "ok")));
	assert_string_equal(str(t, "state"), "down");
	assert_string_equal(str(t, "outcome"), "http_5xx");
	assert_true(num(t, "http_status") == 503);
	assert_string_equal(str(t, "error"), "HTTP 503 server error");
	assert_true(num(t, "probes") == 2 && num(t, "failures") == 2);
	st = object(t, "stats_1h");
	assert_true(num(st, "count") == 2 && num(st, "loss") == 1);
	assert_true(is_null(st, "p50")); /* no answer to measure */

	t = target_named(w->doc, "dns");
	assert_string_equal(str(t, "kind"), "dns");
	assert_true(num(t, "addresses_v4") == 1 && num(t, "addresses_v6") == 0);
	assert_true(is_null(t, "http_status"));
	assert_true(is_null(t, "component"));

	/* our components beside the page's word for them */
	c = array(w->doc, "components");
	assert_int_equal(cJSON_GetArraySize(c), 2);
	assert_string_equal(str(cJSON_GetArrayItem(c, 0), "name"), "Git Operations");
	assert_string_equal(str(cJSON_GetArrayItem(c, 0), "state"), "operational");
	assert_string_equal(str(cJSON_GetArrayItem(c, 0), "official"), "operational");
	assert_string_equal(str(cJSON_GetArrayItem(c, 1), "name"), "API Requests");
	assert_string_equal(str(cJSON_GetArrayItem(c, 1), "state"), "major_outage");
	assert_string_equal(str(cJSON_GetArrayItem(c, 1), "official"), "operational");

	/* the page, words as it gives them */
	off = object(w->doc, "official");
	assert_string_equal(str(off, "indicator"), "minor");
	assert_string_equal(str(off, "description"), "Partially Degraded Service");
	str(off, "page");
	is_iso_time(str(off, "updated_at"));
	assert_true(is_null(off, "error"));
	assert_int_equal(cJSON_GetArraySize(array(off, "maintenances")), 0);
	assert_int_equal(cJSON_GetArraySize(array(off, "incidents")), 1);
	inc = cJSON_GetArrayItem(array(off, "incidents"), 0);
	str(inc, "id");
	assert_string_equal(str(inc, "name"), "Errors with the Fable 5 Model in Copilot");
	assert_string_equal(str(inc, "status"), "investigating");
	assert_string_equal(str(inc, "impact"), "minor");
	is_iso_time(str(inc, "created_at"));
	is_iso_time(str(inc, "updated_at"));
	string_or_null(inc, "shortlink");
	assert_string_equal(cJSON_GetArrayItem(array(inc, "components"), 0)->valuestring,
			    "Copilot AI Model Providers");
	assert_int_equal(cJSON_GetArraySize(array(inc, "updates")), 3);
	cJSON_ArrayForEach(u, array(inc, "updates")) {
		str(u, "status");
		is_iso_time(str(u, "at"));
		str(u, "body");
	}
	n = 0;
	cJSON_ArrayForEach(c, array(off, "components")) {
		str(c, "name");
		string_or_null(c, "group");
		str(c, "status");
		if (strcmp(str(c, "name"), "Copilot AI Model Providers") == 0) {
			assert_string_equal(str(c, "status"), "degraded_performance");
			n++;
		}
	}
	assert_int_equal(n, 1);

	/* the checklist, step by step */
	assert_true(cJSON_GetArraySize(array(w->doc, "checklist")) > 0);
	cJSON_ArrayForEach(c, array(w->doc, "checklist")) {
		str(c, "id");
		str(c, "title");
		one_of(str(c, "result"), results);
		str(c, "detail");
		str(c, "advice");
	}

	/* the events, oldest first, one of them about the api going down */
	{
		double last_ts = 0;
		bool about_api = false;
		const cJSON *e;

		cJSON_ArrayForEach(e, array(w->doc, "events")) {
			is_iso_time(str(e, "time"));
			assert_true(num(e, "ts") >= last_ts);
			last_ts = num(e, "ts");
			one_of(str(e, "severity"), severities);
			str(e, "source");
			str(e, "component");
			about_api = about_api || strcmp(str(e, "target"), "api") == 0;
			str(e, "text");
			string_or_null(e, "detail");
		}
		assert_true(about_api);
	}
}

/* Header values never reach the document: the secret, nor the header. */
static void test_no_secret_in_the_document(void **state)
{
	struct world *w = *state;
	char *text;

	make(w, true);
	w->doc = snapshot_json(w->m);
	text = cJSON_PrintUnformatted(w->doc);
	assert_non_null(text);
	assert_null(strstr(text, SECRET));
	assert_null(strstr(text, "Authorization"));
	assert_null(strstr(text, "ISITDOWN_TEST_KEY"));
	free(text);
}

/* Thousands of events (a long log reloaded): the newest 200, oldest first. */
static void test_events_capped_newest_kept(void **state)
{
	struct world *w = *state;
	const cJSON *ev;

	make(w, true);
	for (int i = 0; i < 250; i++)
		eventlog_addf(monitor_events(w->m), EVENT_INFO, EVENT_SRC_MONITOR, "", "", "filler %d", i);
	w->doc = snapshot_json(w->m);
	ev = array(w->doc, "events");
	assert_int_equal(cJSON_GetArraySize(ev), SNAPSHOT_EVENTS_MAX);
	assert_string_equal(str(cJSON_GetArrayItem(ev, 0), "text"), "filler 50");
	assert_string_equal(str(cJSON_GetArrayItem(ev, SNAPSHOT_EVENTS_MAX - 1), "text"), "filler 249");
}

/* Before any result: every target without one, nulls where nothing was
 * measured, no page yet, and still a whole document. */
static void test_document_before_any_result(void **state)
{
	struct world *w = *state;
	const cJSON *t, *off;

	make(w, false);
	w->doc = snapshot_json(w->m);
	assert_non_null(w->doc);
	assert_true(is_null(w->doc, "time"));
	one_of(str(object(w->doc, "verdict"), "state"), verdict_states);
	cJSON_ArrayForEach(t, array(w->doc, "targets")) {
		check_target_shape(t);
		assert_true(cJSON_IsFalse(get(t, "ok")));
		assert_string_equal(str(t, "state"), "unknown");
		assert_string_equal(str(t, "outcome"), "none");
		assert_string_equal(str(t, "outcome_text"), "no result yet");
		assert_true(is_null(object(t, "timings_ms"), "total"));
		assert_true(num(t, "probes") == 0);
		assert_null(cJSON_GetObjectItemCaseSensitive(t, "stats_1h"));
	}
	off = object(w->doc, "official");
	assert_true(is_null(off, "indicator"));
	assert_true(is_null(off, "page"));
	assert_int_equal(cJSON_GetArraySize(array(off, "incidents")), 0);
	assert_int_equal(cJSON_GetArraySize(array(off, "components")), 0);
	assert_true(is_null(off, "error"));
	assert_int_equal(cJSON_GetArraySize(array(w->doc, "components")), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_document_after_a_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_secret_in_the_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_capped_newest_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document_before_any_result, setup, teardown),
	};
	int rc;

	unsetenv("http_proxy");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
