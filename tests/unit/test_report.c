/* test_report.c: the Markdown report as the person who attaches it to a ticket
 * reads it: every section there, no secret in it, the last hour of the log and
 * nothing older, text from the network unable to break the Markdown, and the
 * verdict's headline in words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <uv.h>

#include "monitor.h"
#include "report.h"

static const char config_text[] =
	"{\n"
	"  \"service\": \"Loop\",\n"
	"  \"targets\": [\n"
	"    {\"name\": \"control\", \"kind\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": 9,\n"
	"     \"role\": \"control\"},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"component\": \"API\",\n"
	"     \"url\": \"https://robot:hunter2@127.0.0.1:9/v1\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer sk-literal-secret-123\",\n"
	"                 \"X-Env-Key\": \"${REPORT_TEST_KEY}\"}}\n"
	"  ]\n"
	"}\n";

struct fixture {
	uv_loop_t loop;
	struct monitor *m;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct monitor_options mo = {.memory_only_log = true};
	char err[256];
	struct config *cfg;

	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	cfg = config_parse(config_text, strlen(config_text), "report-test.json", err, sizeof(err));
	assert_non_null(cfg);
	f->m = monitor_new(&f->loop, cfg, &mo, err, sizeof(err));
	assert_non_null(f->m);
	/* diagnoses once; the loop is never run, so nothing is probed */
	assert_int_equal(monitor_start(f->m), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	monitor_free(f->m);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
	return 0;
}

static char *report_of(struct monitor *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(report_write_markdown(m, out), 0);
	fclose(out);
	assert_non_null(buf);
	return buf;
}

static void add_event(struct monitor *m, double age_s, enum event_severity sev, const char *text,
		      const char *detail)
{
	struct event ev = {
		.time = (double)time(NULL) - age_s,
		.severity = sev,
		.source = EVENT_SRC_OFFICIAL,
		.component = "API",
		.target = "status-page",
		.text = text,
		.detail = detail,
	};

	assert_int_equal(eventlog_add(monitor_events(m), &ev), 0);
}

static void test_sections(void **state)
{
	struct fixture *f = *state;
	char *r = report_of(f->m);

	assert_non_null(strstr(r, "# isitdown report: Loop\n"));
	assert_non_null(strstr(r, "\n## Verdict\n"));
	assert_non_null(strstr(r, "**UNKNOWN**"));
	assert_non_null(strstr(r, "\n## Checklist\n"));
	assert_non_null(strstr(r, "\n## Targets\n"));
	assert_non_null(strstr(r, "\n### control\n"));
	assert_non_null(strstr(r, "\n### api\n"));
	assert_non_null(strstr(r, "| API | unknown | - |"));
	assert_non_null(strstr(r, "\n## Official status\n"));
	assert_non_null(strstr(r, "\n## Event log, last hour\n"));
	/* no probe has run: said in words, not shown as zeros */
	assert_non_null(strstr(r, "- no result yet\n"));
	free(r);
}

static void test_checklist_before_any_result(void **state)
{
	struct fixture *f = *state;
	char *r;

	/* before any result every step is listed, pending */
	monitor_pause(f->m, true);
	r = report_of(f->m);
	assert_non_null(strstr(r, "| 1 | Internet connection | pending |"));
	assert_non_null(strstr(r, "(probing is paused)"));
	free(r);
}

static void test_no_secrets(void **state)
{
	struct fixture *f = *state;
	char *r;

	setenv("REPORT_TEST_KEY", "env-secret-456", 1);
	r = report_of(f->m);
	assert_null(strstr(r, "sk-literal-secret-123"));
	assert_null(strstr(r, "env-secret-456"));
	assert_null(strstr(r, "hunter2"));
	assert_null(strstr(r, "Authorization"));
	assert_non_null(strstr(r, "127.0.0.1:9/v1"));
	unsetenv("REPORT_TEST_KEY");
	free(r);
}

static void test_events_last_hour(void **state)
{
	struct fixture *f = *state;
	char *r, *newer, *older;

	add_event(f->m, 7200, EVENT_WARNING, "two hours ago", NULL);
	add_event(f->m, 600, EVENT_CRITICAL, "ten minutes ago", "Investigating.\nWe see errors.");
	add_event(f->m, 60, EVENT_INFO, "a minute ago", NULL);
	r = report_of(f->m);
	assert_null(strstr(r, "two hours ago"));
	older = strstr(r, "**critical** official [API]: ten minutes ago");
	newer = strstr(r, "**info** official [API]: a minute ago");
	assert_non_null(older);
	assert_non_null(newer);
	/* told in the order it happened */
	assert_true(older < newer);
	/* an update's body, line by line, quoted under its event */
	assert_non_null(strstr(r, "  > Investigating.\n  > We see errors.\n"));
	free(r);
}

static void test_markdown_cannot_be_injected(void **state)
{
	struct fixture *f = *state;
	char *r;

	add_event(f->m, 30, EVENT_WARNING, "a | b <script> `x` **y**", "# not a heading\n| not | a row |");
	r = report_of(f->m);
	assert_non_null(strstr(r, "a \\| b \\<script\\> \\`x\\` \\*\\*y\\*\\*"));
	assert_null(strstr(r, "<script>"));
	assert_non_null(strstr(r, "  > \\# not a heading\n  > \\| not \\| a row \\|\n"));
	free(r);
}

static void test_headline(void **state)
{
	struct verdict v;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.state = VERDICT_LOCAL_PROBLEM;
	v.cause = VERDICT_CAUSE_NO_NETWORK;
	snprintf(v.summary, sizeof(v.summary), "it's just you: no internet connection (the control targets fail too)");
	{
		char h[64];

		report_verdict_headline(&v, h, sizeof(h));
		assert_string_equal(h, "IT'S JUST YOU: no internet");
		assert_string_equal(report_verdict_summary(&v), "no internet connection (the control targets fail too)");
		v.state = VERDICT_MAJOR_OUTAGE;
		v.cause = VERDICT_CAUSE_HTTP_5XX;
		snprintf(v.summary, sizeof(v.summary), "Loop is failing");
		report_verdict_headline(&v, h, sizeof(h));
		assert_string_equal(h, "MAJOR OUTAGE");
		assert_string_equal(report_verdict_summary(&v), "Loop is failing");
	}
	assert_string_equal(report_verdict_word(VERDICT_OPERATIONAL), "UP");
	assert_string_equal(report_verdict_word(VERDICT_PARTIAL_OUTAGE), "PARTIAL OUTAGE");
	assert_string_equal(report_verdict_word(VERDICT_MAINTENANCE), "MAINTENANCE");
	assert_string_equal(report_verdict_word(VERDICT_UNKNOWN), "UNKNOWN");
}

static void test_write_error(void **state)
{
	struct fixture *f = *state;
	FILE *out = fopen("/dev/full", "w");

	if (!out)
		skip();
	assert_int_not_equal(report_write_markdown(f->m, out), 0);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checklist_before_any_result, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_last_hour, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown_cannot_be_injected, setup, teardown),
		cmocka_unit_test(test_headline),
		cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
