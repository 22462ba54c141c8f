/* test_metrics.c: the exposition text of a real monitor that has probed local
 * targets (file:// pages, a closed TCP port, a captured status page), read as
 * Prometheus would: every family with HELP and TYPE, series of one family
 * together, label values escaped, nothing secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <uv.h>

#include "metrics.h"
#include "monitor.h"

struct run {
	uv_loop_t loop;
	struct monitor *m;
	uv_timer_t guard;
	bool timed_out;
};

static void on_change(struct monitor *m, void *data)
{
	struct run *r = data;
	struct monitor_target_info ti;

	for (size_t i = 0; i < monitor_target_count(m); i++) {
		monitor_target_info(m, i, &ti);
		/* two results each, so that failures are confirmed; a status
		 * page is read once a minute at most */
		if (ti.probes < (ti.target->kind == TARGET_STATUSPAGE ? 1u : 2u))
			return;
	}
	if (!monitor_official(m) && strcmp(monitor_official_error(m), "") == 0 &&
	    monitor_component_count(m) > 0 && monitor_config(m)->targets[monitor_target_count(m) - 1].kind ==
							TARGET_STATUSPAGE)
		return;
	uv_stop(&r->loop);
}

static void on_guard(uv_timer_t *t)
{
	struct run *r = t->data;

	r->timed_out = true;
	uv_stop(&r->loop);
}

/* Starts a monitor on the config and runs it until every target has two results. */
static void run_monitor(struct run *r, const char *json)
{
	char err[256];
	struct config *cfg = config_parse(json, strlen(json), "test.json", err, sizeof(err));
	struct monitor_options mo = {.memory_only_log = true};

	if (!cfg)
		fail_msg("%s", err);
	assert_int_equal(uv_loop_init(&r->loop), 0);
	r->m = monitor_new(&r->loop, cfg, &mo, err, sizeof(err));
	if (!r->m)
		fail_msg("%s", err);
	monitor_on_change(r->m, on_change, r);
	uv_timer_init(&r->loop, &r->guard);
	r->guard.data = r;
	uv_timer_start(&r->guard, on_guard, 20000, 0);
	monitor_start(r->m);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	assert_false(r->timed_out);
}

static void stop_monitor(struct run *r)
{
	uv_close((uv_handle_t *)&r->guard, NULL);
	monitor_free(r->m);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&r->loop), 0);
}

static char *render(struct run *r)
{
	char *text;
	size_t len;

	assert_int_equal(metrics_render(r->m, &text, &len), 0);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	return text;
}

/* The line that starts with prefix (a series name and its labels), or fail. */
static const char *line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			return p;
	fail_msg("no line starting with %s in:\n%s", prefix, text);
	return NULL;
}

static double value(const char *text, const char *series)
{
	char prefix[1024];
	const char *l;

	snprintf(prefix, sizeof(prefix), "%s ", series);
	l = line(text, prefix);
	return strtod(l + strlen(prefix), NULL);
}

static bool has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* The text format's rules: a family's HELP and TYPE come first and once, its
 * series follow together, every series line is NAME{LABELS} VALUE. */
static void check_format(const char *text)
{
	char fams[64][64];
	size_t nf = 0;
	char cur[64] = "";

	assert_true(text[strlen(text) - 1] == '\n');
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		char l[4096], name[64];
		size_t n = (size_t)(e - p);

		assert_non_null(e);
		assert_true(n < sizeof(l));
		memcpy(l, p, n);
		l[n] = '\0';
		p = e + 1;
		if (strncmp(l, "# HELP ", 7) == 0) {
			assert_int_equal(sscanf(l + 7, "%63s", name), 1);
			for (size_t i = 0; i < nf; i++)
				if (strcmp(fams[i], name) == 0)
					fail_msg("family %s appears twice", name);
			assert_true(nf < 64);
			strcpy(fams[nf++], name);
			strcpy(cur, name);
			continue;
		}
		if (strncmp(l, "# TYPE ", 7) == 0) {
			char type[16];

			assert_int_equal(sscanf(l + 7, "%63s %15s", name, type), 2);
			assert_string_equal(name, cur);
			assert_true(strcmp(type, "gauge") == 0 || strcmp(type, "counter") == 0);
			continue;
		}
		/* a series of the current family, with labels, then one space and a number */
		n = strcspn(l, "{ ");
		if (n != strlen(cur) || strncmp(l, cur, n) != 0)
			fail_msg("series outside its family %s: %s", cur, l);
		{
			const char *sp = strrchr(l, ' ');
			char *end;

			strtod(sp + 1, &end);
			if (*end != '\0' || end == sp + 1)
				fail_msg("bad value: %s", l);
		}
	}
}

#define CONFIG_HEAD "{\"interval_s\": 0.2, \"timeout_s\": 2, \"targets\": ["

static void test_render_real_monitor(void **state)
{
	struct run r = {0};
	char json[4096];
	char *text;

	(void)state;
	snprintf(json, sizeof(json), CONFIG_HEAD
		 "{\"name\": \"page\", \"kind\": \"http\", \"url\": \"file://%s/statuspage/SOURCES.md\","
		 " \"component\": \"API Requests\", \"headers\": {\"Authorization\": \"Bearer sk-secret-123\"}},"
		 "{\"name\": \"gone\", \"kind\": \"http\", \"url\": \"file:///nonexistent/isitdown\", \"component\": \"Web\"},"
		 "{\"name\": \"port\", \"kind\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": 1, \"role\": \"control\"},"
		 "{\"name\": \"official\", \"kind\": \"statuspage\","
		 " \"url\": \"file://%s/statuspage/github-summary-minor-degraded-performance-2026-08-13.json\"}"
		 "]}", TEST_DATA_DIR, TEST_DATA_DIR);
	run_monitor(&r, json);
	text = render(&r);
	check_format(text);

	assert_true(value(text, "probe_success{target=\"page\",component=\"API Requests\",role=\"service\"}") == 1);
	assert_true(value(text, "probe_success{target=\"gone\",component=\"Web\",role=\"service\"}") == 0);
	assert_true(value(text, "probe_success{target=\"port\",component=\"\",role=\"control\"}") == 0);
	assert_true(value(text, "probe_duration_seconds{target=\"page\",component=\"API Requests\",role=\"service\"}") >= 0);
	assert_true(value(text, "probe_http_duration_seconds{target=\"page\",component=\"API Requests\","
			  "role=\"service\",phase=\"tls\"}") == 0);
	/* a TCP target has no HTTP phases */
	assert_false(has(text, "probe_http_duration_seconds{target=\"port\""));
	assert_false(has(text, "probe_http_status_code{target=\"port\""));

	/* failures by reason, every reason present from the start */
	assert_true(value(text, "isitdown_probe_failures_total{target=\"port\",component=\"\",role=\"control\","
			  "reason=\"connect_fail\"}") >= 2);
	assert_true(value(text, "isitdown_probe_failures_total{target=\"port\",component=\"\",role=\"control\","
			  "reason=\"timeout\"}") == 0);
	assert_true(value(text, "isitdown_probe_failures_total{target=\"page\",component=\"API Requests\","
			  "role=\"service\",reason=\"error\"}") == 0);
	assert_true(value(text, "isitdown_probes_total{target=\"gone\",component=\"Web\",role=\"service\"}") >= 2);

	/* one-hot states */
	assert_true(value(text, "isitdown_target_state{target=\"gone\",component=\"Web\",role=\"service\",state=\"down\"}") == 1);
	assert_true(value(text, "isitdown_target_state{target=\"gone\",component=\"Web\",role=\"service\",state=\"up\"}") == 0);
	assert_true(value(text, "isitdown_target_state{target=\"page\",component=\"API Requests\",role=\"service\",state=\"up\"}") == 1);
	assert_true(value(text, "isitdown_component_state{component=\"Web\",state=\"major_outage\"}") == 1);
	assert_true(value(text, "isitdown_component_state{component=\"Web\",state=\"operational\"}") == 0);
	assert_true(value(text, "isitdown_component_official_state{component=\"API Requests\",state=\"operational\"}") == 1);
	assert_true(value(text, "isitdown_official_indicator{indicator=\"minor\"}") == 1);
	assert_true(value(text, "isitdown_official_indicator{indicator=\"none\"}") == 0);
	line(text, "isitdown_verdict{state=\"");
	line(text, "isitdown_build_info{version=\"");

	/* nothing from the headers or URLs */
	assert_false(has(text, "sk-secret"));
	assert_false(has(text, "Bearer"));
	assert_false(has(text, "file://"));
	assert_false(has(text, "nonexistent"));
	free(text);
	stop_monitor(&r);
}

static void test_hostile_names(void **state)
{
	struct run r = {0};
	char json[4096];
	char *text;

	(void)state;
	/* quotes, backslashes, a would-be label break-out, Unicode, bidi override */
	snprintf(json, sizeof(json), CONFIG_HEAD
		 "{\"name\": \"a\\\"b\\\\c\", \"kind\": \"http\", \"url\": \"file:///nonexistent/a\","
		 " \"component\": \"x\\\",evil=\\\"1\"},"
		 "{\"name\": \"caf\\u00e9 \\u2603 \\u202eevil\", \"kind\": \"http\", \"url\": \"file:///nonexistent/b\"}"
		 "]}");
	run_monitor(&r, json);
	text = render(&r);
	check_format(text);
	assert_true(value(text, "probe_success{target=\"a\\\"b\\\\c\",component=\"x\\\",evil=\\\"1\",role=\"service\"}") == 0);
	assert_true(value(text, "isitdown_component_state{component=\"x\\\",evil=\\\"1\",state=\"major_outage\"}") == 1);
	/* the bidi override is gone, the rest kept as UTF-8 */
	assert_true(value(text, "probe_success{target=\"caf\xc3\xa9 \xe2\x98\x83 evil\",component=\"\",role=\"service\"}") == 0);
	assert_false(has(text, "\xe2\x80\xae"));
	/* no status page configured: no official series */
	assert_false(has(text, "isitdown_official_indicator{"));
	assert_true(has(text, "# TYPE isitdown_official_indicator gauge\n"));
	free(text);
	stop_monitor(&r);
}

static void test_escape_label(void **state)
{
	char buf[2 * METRICS_LABEL_MAX + 1], small[8], big[METRICS_LABEL_MAX * 2];

	(void)state;
	assert_int_equal(metrics_escape_label(buf, sizeof(buf), "a\"b\\c\nd"), 10);
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	/* control characters and escapes go; a CR LF is one newline */
	metrics_escape_label(buf, sizeof(buf), "x\x1b[31my\x07z\r\nw\t!");
	assert_string_equal(buf, "xyz\\nw !");
	/* invalid UTF-8 becomes U+FFFD */
	metrics_escape_label(buf, sizeof(buf), "a\xff" "b");
	assert_string_equal(buf, "a\xef\xbf\xbd" "b");
	metrics_escape_label(buf, sizeof(buf), "");
	assert_string_equal(buf, "");
	/* cut whole: never half an escape or half a character */
	metrics_escape_label(small, sizeof(small), "abcdef\"");
	assert_string_equal(small, "abcdef");
	metrics_escape_label(small, sizeof(small), "abcde\xc3\xa9\xc3\xa9");
	assert_string_equal(small, "abcde\xc3\xa9");
	metrics_escape_label(small, sizeof(small), "abcdef\xe2\x98\x83");
	assert_string_equal(small, "abcdef");
	assert_int_equal(metrics_escape_label(small, 1, "abc"), 0);
	/* the longest value: cut to METRICS_LABEL_MAX before escaping, and it fits */
	memset(big, '"', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_true(metrics_escape_label(buf, sizeof(buf), big) <= 2 * METRICS_LABEL_MAX);
	/* the cut shows: 253 quotes, then an ellipsis */
	assert_int_equal(strlen(buf), 2 * (METRICS_LABEL_MAX - 3) + 3);
	assert_string_equal(buf + strlen(buf) - 3, "\xe2\x80\xa6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_render_real_monitor),
		cmocka_unit_test(test_hostile_names),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
