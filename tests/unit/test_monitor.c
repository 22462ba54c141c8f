/* test_monitor.c: the monitor driven on a libuv loop against a loopback
 * server started by the test: --once ends with every target answered (a
 * failure retried once) and a verdict; a running monitor probes on its
 * interval, pauses, resumes and probes on demand; an outage and a recovery
 * show in the target's state, the events and the verdict; the status page is
 * read and matched to our components; freeing it mid-probe leaves nothing
 * behind. Every case ends with every handle closed and uv_loop_close() == 0. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "loopback.h"
#include "monitor.h"

static const char ok_response[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
static const char unavailable_response[] =
	"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

enum { ROUTE_OK, ROUTE_UNAVAILABLE, ROUTE_SVC, ROUTE_HANG, ROUTE_PAGE, ROUTE_COUNT };

struct world {
	uv_loop_t loop;
	struct lb_server srv;
	struct lb_route routes[ROUTE_COUNT];
	char *page_response;
	struct monitor *m;
	int changes, dones;
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->page_response = lb_file_response(TEST_DATA_DIR
					    "/statuspage/github-summary-minor-degraded-performance-2026-08-13.json",
					    "application/json");
	assert_non_null(w->page_response);
	w->routes[ROUTE_OK] = (struct lb_route){"/ok", ok_response};
	w->routes[ROUTE_UNAVAILABLE] = (struct lb_route){"/unavailable", unavailable_response};
	w->routes[ROUTE_SVC] = (struct lb_route){"/svc", ok_response}; /* switched by the tests */
	w->routes[ROUTE_HANG] = (struct lb_route){"/hang", NULL};
	w->routes[ROUTE_PAGE] = (struct lb_route){"/api/v2/summary.json", w->page_response};
	assert_int_equal(uv_loop_init(&w->loop), 0);
	assert_int_equal(lb_start(&w->srv, &w->loop, w->routes, ROUTE_COUNT), 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	monitor_free(w->m);
	lb_stop(&w->srv);
	assert_int_equal(lb_loop_finish(&w->loop), 0);
	free(w->page_response);
	free(w);
	return 0;
}

static void on_change(struct monitor *m, void *data)
{
	((struct world *)data)->changes++;
}

static void on_done(struct monitor *m, void *data)
{
	((struct world *)data)->dones++;
}

/* A monitor on the config (PORT: the server's), memory-only log, started. */
static void start(struct world *w, const char *config, bool once)
{
	struct monitor_options o = {.once = once, .retry_delay_s = 0.05, .memory_only_log = true};
	char text[4096], err[512] = "";
	struct config *cfg;

	assert_int_equal(lb_fill(text, sizeof(text), config, w->srv.port, 0), 0);
	cfg = config_parse(text, strlen(text), "test.json", err, sizeof(err));
	if (!cfg)
		fail_msg("config: %s\n%s", err, text);
	w->m = monitor_new(&w->loop, cfg, &o, err, sizeof(err));
	if (!w->m)
		fail_msg("monitor_new: %s", err);
	monitor_on_change(w->m, on_change, w);
	monitor_on_done(w->m, on_done, w);
	assert_int_equal(monitor_start(w->m), 0);
}

static size_t index_of(const struct monitor *m, const char *name)
{
	for (size_t i = 0; i < monitor_target_count(m); i++) {
		struct monitor_target_info ti;

		monitor_target_info(m, i, &ti);
		if (strcmp(ti.target->name, name) == 0)
			return i;
	}
	fail_msg("no target %s", name);
	return 0;
}

static struct monitor_target_info info(const struct monitor *m, const char *name)
{
	struct monitor_target_info ti;

	monitor_target_info(m, index_of(m, name), &ti);
	return ti;
}

static bool component(const struct monitor *m, const char *name, struct monitor_component_info *out)
{
	for (size_t i = 0; i < monitor_component_count(m); i++) {
		monitor_component_info(m, i, out);
		if (strcmp(out->name, name) == 0)
			return true;
	}
	return false;
}

/* An event about target `target` whose text holds `word`. */
static bool has_event(const struct monitor *m, const char *target, const char *word)
{
	struct eventlog *log = monitor_events(m);

	for (size_t i = 0; i < eventlog_count(log); i++) {
		const struct event *ev = eventlog_at(log, i);

		if (strcmp(ev->target, target) == 0 && strcasestr(ev->text, word))
			return true;
	}
	return false;
}

static bool is_done(void *data)
{
	return ((struct world *)data)->dones > 0;
}

/* ---- --once ---------------------------------------------------------------- */

/* Targets carry "slow_ms": 60000 so that a loaded machine (or valgrind) does
 * not turn a slow answer into "degraded": these tests are about up and down. */
static const char once_config[] =
	"{\"service\": \"Example\", \"resolve\": {\"svc.test\": \"127.0.0.1\"}, \"targets\": ["
	" {\"slow_ms\": 60000, \"name\": \"web\", \"url\": \"http://127.0.0.1:PORT/ok\", \"component\": \"Web\", \"proxy\": \"\"},"
	" {\"slow_ms\": 60000, \"name\": \"api\", \"url\": \"http://127.0.0.1:PORT/unavailable\", \"component\": \"API\", \"proxy\": \"\"},"
	" {\"slow_ms\": 60000, \"name\": \"dns\", \"kind\": \"dns\", \"host\": \"svc.test\"},"
	" {\"slow_ms\": 60000, \"name\": \"ctl\", \"url\": \"http://127.0.0.1:PORT/ok\", \"role\": \"control\", \"proxy\": \"\"}]}";

static void test_once_answers_every_target_then_ends(void **state)
{
	struct world *w = *state;
	struct monitor_target_info web, api, dns, ctl;
	struct monitor_component_info ci;
	const struct verdict *v;

	start(w, once_config, true);
	assert_false(monitor_finished(w->m));
	assert_true(lb_run_until(&w->loop, is_done, w, 30));
	assert_int_equal(w->dones, 1);
	assert_true(monitor_finished(w->m));
	assert_true(w->changes > 0);

	web = info(w->m, "web");
	assert_int_equal(web.state, ASSESS_UP);
	assert_int_equal(web.probes, 1);
	assert_int_equal(web.failures, 0);
	assert_non_null(web.last);
	assert_true(web.last->ok);
	assert_int_equal(web.last->http_status, 200);
	assert_int_equal(web.outcomes[OUTCOME_OK], 1);
	assert_false(web.in_flight);

	/* a failure is retried once, and two in a row make it down */
	api = info(w->m, "api");
	assert_int_equal(api.probes, 2);
	assert_int_equal(api.failures, 2);
	assert_int_equal(api.outcomes[OUTCOME_HTTP_5XX], 2);
	assert_int_equal(api.state, ASSESS_DOWN);
	assert_string_equal(api.last->error, "HTTP 503 server error");
	assert_true(has_event(w->m, "api", "down"));

	dns = info(w->m, "dns");
	assert_int_equal(dns.state, ASSESS_UP);
	assert_int_equal(dns.last->n_addr_v4, 1);
	ctl = info(w->m, "ctl");
	assert_int_equal(ctl.state, ASSESS_UP);

	/* what the server saw: web, api twice, the control; the dns target asks no one */
	assert_int_equal(w->srv.requests, 4);
	assert_int_equal(monitor_probes_total(w->m), 5);
	assert_true(monitor_last_result(w->m) > 1.7e9);

	/* one of two service components down while the control answers: an
	 * outage of part of the service, not "just you" and not all good */
	v = monitor_verdict(w->m);
	assert_int_equal(v->state, VERDICT_PARTIAL_OUTAGE);
	assert_true(v->n_service_down >= 1);
	assert_int_equal(v->n_control_down, 0);
	assert_int_equal(monitor_component_count(w->m), 2);
	assert_true(component(w->m, "Web", &ci));
	assert_int_equal(ci.state, ASSESS_COMPONENT_OPERATIONAL);
	assert_true(component(w->m, "API", &ci));
	assert_int_equal(ci.state, ASSESS_COMPONENT_MAJOR_OUTAGE);
	assert_false(ci.official_known); /* no status page in this config */
	assert_null(monitor_official(w->m));
	assert_true(monitor_checklist(w->m)->n > 0);
}

/* A target that fails twice in a row ends --once even when every one of its
 * probes times out. */
static void test_once_ends_when_a_target_hangs(void **state)
{
	struct world *w = *state;
	struct monitor_target_info hung;

	start(w, "{\"targets\": [{\"slow_ms\": 60000, \"name\": \"hung\", \"url\": \"http://127.0.0.1:PORT/hang\", \"proxy\": \"\","
		 " \"timeout_s\": 0.3}]}", true);
	assert_true(lb_run_until(&w->loop, is_done, w, 30));
	hung = info(w->m, "hung");
	assert_int_equal(hung.probes, 2);
	assert_int_equal(hung.outcomes[OUTCOME_TIMEOUT], 2);
	assert_int_equal(hung.state, ASSESS_DOWN);
	assert_int_equal(monitor_verdict(w->m)->state, VERDICT_MAJOR_OUTAGE);
}

/* ---- running ------------------------------------------------------------- */

struct wait_probes {
	struct world *w;
	const char *name;
	unsigned long at_least;
};

static bool probes_reached(void *data)
{
	struct wait_probes *wp = data;
	struct monitor_target_info ti = info(wp->w->m, wp->name);

	return ti.probes >= wp->at_least && !ti.in_flight;
}

static void test_probes_on_interval_pause_resume_and_now(void **state)
{
	struct world *w = *state;
	struct wait_probes wp = {w, "fast", 3};
	unsigned long before;
	uint64_t t0 = uv_hrtime();

	start(w, "{\"targets\": ["
		 " {\"slow_ms\": 60000, \"name\": \"fast\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\", \"interval_s\": 0.2},"
		 " {\"slow_ms\": 60000, \"name\": \"slow\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\", \"interval_s\": 3600}]}",
	      false);
	/* three probes take two intervals (less the scheduler's jitter of up
	 * to 10 %): the target is not probed as fast as it answers */
	assert_true(lb_run_until(&w->loop, probes_reached, &wp, 30));
	assert_true((uv_hrtime() - t0) / 1000000 >= 300);
	assert_false(monitor_finished(w->m));
	assert_int_equal(info(w->m, "fast").state, ASSESS_UP);
	/* no verdict before every service target has answered once: the
	 * hourly target's first probe comes within the start-up spread */
	monitor_settle(w->m);
	if (info(w->m, "slow").probes == 0)
		assert_int_equal(monitor_verdict(w->m)->state, VERDICT_UNKNOWN);
	wp.name = "slow";
	wp.at_least = 1;
	assert_true(lb_run_until(&w->loop, probes_reached, &wp, 30));
	wp.name = "fast";
	monitor_settle(w->m);
	assert_int_equal(monitor_verdict(w->m)->state, VERDICT_OPERATIONAL);

	/* paused: no new probe in five intervals */
	monitor_pause(w->m, true);
	assert_true(monitor_paused(w->m));
	before = info(w->m, "fast").probes;
	lb_run_until(&w->loop, NULL, NULL, 1.0);
	assert_int_equal(info(w->m, "fast").probes, before);

	/* resumed: probing goes on */
	monitor_pause(w->m, false);
	assert_false(monitor_paused(w->m));
	wp.at_least = before + 2;
	assert_true(lb_run_until(&w->loop, probes_reached, &wp, 30));

	/* the hourly target is probed at once when asked */
	wp.name = "slow";
	wp.at_least = info(w->m, "slow").probes + 1;
	monitor_probe_all(w->m);
	assert_true(lb_run_until(&w->loop, probes_reached, &wp, 10));
	assert_true(has_event(w->m, "", "probing all targets now"));
}

struct wait_state {
	struct world *w;
	const char *name;
	enum assess_state state;
	enum verdict_state verdict;
};

static bool state_reached(void *data)
{
	struct wait_state *ws = data;

	monitor_settle(ws->w->m);
	return info(ws->w->m, ws->name).state == ws->state && monitor_verdict(ws->w->m)->state == ws->verdict;
}

/* The service fails while the monitor runs, then comes back. */
static void test_outage_and_recovery(void **state)
{
	struct world *w = *state;
	struct wait_state ws = {w, "svc", ASSESS_UP, VERDICT_OPERATIONAL};
	int changes;

	start(w, "{\"targets\": ["
		 " {\"slow_ms\": 60000, \"name\": \"svc\", \"url\": \"http://127.0.0.1:PORT/svc\", \"proxy\": \"\", \"interval_s\": 0.2},"
		 " {\"slow_ms\": 60000, \"name\": \"ctl\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\", \"interval_s\": 0.2,"
		 "  \"role\": \"control\"}]}",
	      false);
	assert_true(lb_run_until(&w->loop, state_reached, &ws, 30));

	w->routes[ROUTE_SVC].response = unavailable_response;
	changes = w->changes;
	ws.state = ASSESS_DOWN;
	ws.verdict = VERDICT_MAJOR_OUTAGE;
	assert_true(lb_run_until(&w->loop, state_reached, &ws, 30));
	assert_true(w->changes > changes);
	assert_true(has_event(w->m, "svc", "down"));
	assert_int_equal(info(w->m, "svc").last->outcome, OUTCOME_HTTP_5XX);

	w->routes[ROUTE_SVC].response = ok_response;
	ws.state = ASSESS_UP;
	ws.verdict = VERDICT_OPERATIONAL;
	assert_true(lb_run_until(&w->loop, state_reached, &ws, 30));
	assert_true(has_event(w->m, "svc", "up"));
	assert_int_equal(info(w->m, "ctl").failures, 0);
}

/* ---- the status page ------------------------------------------------------ */

static void test_status_page_read_and_matched_to_components(void **state)
{
	struct world *w = *state;
	struct monitor_component_info ci;
	const struct statuspage *sp;

	start(w, "{\"targets\": ["
		 " {\"slow_ms\": 60000, \"name\": \"git\", \"url\": \"http://127.0.0.1:PORT/ok\", \"component\": \"Git Operations\","
		 "  \"proxy\": \"\"},"
		 " {\"slow_ms\": 60000, \"name\": \"copilot\", \"url\": \"http://127.0.0.1:PORT/ok\","
		 "  \"component\": \"Copilot AI Model Providers\", \"proxy\": \"\"},"
		 " {\"slow_ms\": 60000, \"name\": \"status\", \"kind\": \"statuspage\","
		 "  \"url\": \"http://127.0.0.1:PORT/api/v2/summary.json\", \"proxy\": \"\"}]}",
	      true);
	assert_true(lb_run_until(&w->loop, is_done, w, 30));
	sp = monitor_official(w->m);
	assert_non_null(sp);
	assert_string_equal(monitor_official_error(w->m), "");
	assert_int_equal(sp->n_incidents, 1);
	assert_string_equal(sp->incidents[0].name, "Errors with the Fable 5 Model in Copilot");

	assert_true(component(w->m, "Git Operations", &ci));
	assert_true(ci.official_known);
	assert_int_equal(ci.official, ASSESS_OFFICIAL_OPERATIONAL);
	assert_true(component(w->m, "Copilot AI Model Providers", &ci));
	assert_true(ci.official_known);
	assert_int_equal(ci.official, ASSESS_OFFICIAL_DEGRADED);
	/* the page speaks of trouble while our probes pass */
	assert_true(monitor_verdict(w->m)->official_bad);
}

/* A page that cannot be read says why, and the probes still give a verdict. */
static void test_status_page_unreadable(void **state)
{
	struct world *w = *state;

	start(w, "{\"targets\": ["
		 " {\"slow_ms\": 60000, \"name\": \"web\", \"url\": \"http://127.0.0.1:PORT/ok\", \"proxy\": \"\"},"
		 " {\"slow_ms\": 60000, \"name\": \"status\", \"kind\": \"statuspage\", \"url\": \"http://127.0.0.1:PORT/unavailable\","
		 "  \"proxy\": \"\"}]}",
	      true);
	assert_true(lb_run_until(&w->loop, is_done, w, 30));
	assert_null(monitor_official(w->m));
	assert_non_null(strstr(monitor_official_error(w->m), "503"));
	assert_int_equal(monitor_verdict(w->m)->state, VERDICT_OPERATIONAL);
}

/* ---- the end ---------------------------------------------------------------- */

static bool hung_in_flight(void *data)
{
	struct world *w = data;

	return w->srv.requests > 0 && info(w->m, "hung").in_flight;
}

/* Freed with a probe in flight: no change reported after, every handle
 * closed (the teardown checks the loop). */
static void test_free_mid_probe(void **state)
{
	struct world *w = *state;
	int changes;

	start(w, "{\"targets\": [{\"slow_ms\": 60000, \"name\": \"hung\", \"url\": \"http://127.0.0.1:PORT/hang\", \"proxy\": \"\"}]}",
	      false);
	assert_true(lb_run_until(&w->loop, hung_in_flight, w, 30));
	monitor_free(w->m);
	w->m = NULL;
	changes = w->changes;
	lb_run_until(&w->loop, NULL, NULL, 0.3);
	assert_int_equal(w->changes, changes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_answers_every_target_then_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_once_ends_when_a_target_hangs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probes_on_interval_pause_resume_and_now, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outage_and_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_page_read_and_matched_to_components, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_page_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_mid_probe, setup, teardown),
	};
	int rc;

	/* probes reach the loopback server directly, whatever the environment says */
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
