/* test_report.c: the Markdown report as the person who attaches it to a ticket
 * reads it: every section there, no secret in it, the last hour of the log and
 * nothing older, text from the network unable to break the Markdown, and the
 * verdict's headline in words; the JSON form with the same parts, and the
 * file writer that picks the form by the name and refuses a path it cannot
 * write. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include <curl/curl.h>
#include <uv.h>

#include "monitor.h"
#include "report.h"
#include "verdict_words.h"

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
	/* no result yet: the verdict waits for the first results and says so */
	assert_non_null(strstr(r, "**CHECKING**: waiting for api"));
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

		verdict_headline(&v, h, sizeof(h));
		assert_string_equal(h, "IT'S JUST YOU: no internet");
		assert_string_equal(verdict_summary(&v), "no internet connection (the control targets fail too)");
		v.state = VERDICT_MAJOR_OUTAGE;
		v.cause = VERDICT_CAUSE_HTTP_5XX;
		snprintf(v.summary, sizeof(v.summary), "Loop is failing");
		verdict_headline(&v, h, sizeof(h));
		assert_string_equal(h, "MAJOR OUTAGE");
		assert_string_equal(verdict_summary(&v), "Loop is failing");
	}
	{
		char h[64];

		/* the bar says a phrase once: the cause words lead the summary already */
		v.state = VERDICT_LOCAL_PROBLEM;
		v.cause = VERDICT_CAUSE_DNS_ALL;
		snprintf(v.summary, sizeof(v.summary), "it's just you: DNS is failing, no name resolves");
		verdict_lead(&v, h, sizeof(h));
		assert_string_equal(h, "IT'S JUST YOU");
		assert_string_equal(verdict_summary(&v), "DNS is failing, no name resolves");
		/* ... and keeps them when the summary says something else */
		v.cause = VERDICT_CAUSE_PROXY_BROKEN;
		snprintf(v.summary, sizeof(v.summary), "the proxy is the problem: web fails at proxy:3128");
		verdict_lead(&v, h, sizeof(h));
		assert_string_equal(h, "IT'S JUST YOU: proxy problem");
		/* waiting for the first results */
		v.state = VERDICT_UNKNOWN;
		v.cause = VERDICT_CAUSE_NO_DATA;
		snprintf(v.summary, sizeof(v.summary), "waiting for web, api");
		verdict_lead(&v, h, sizeof(h));
		assert_string_equal(h, "CHECKING");
		v.state = VERDICT_MAJOR_OUTAGE;
		v.cause = VERDICT_CAUSE_HTTP_5XX;
		verdict_lead(&v, h, sizeof(h));
		assert_string_equal(h, "MAJOR OUTAGE");
	}
	assert_string_equal(verdict_word(VERDICT_OPERATIONAL), "UP");
	assert_string_equal(verdict_word(VERDICT_PARTIAL_OUTAGE), "PARTIAL OUTAGE");
	assert_string_equal(verdict_word(VERDICT_MAINTENANCE), "MAINTENANCE");
	assert_string_equal(verdict_word(VERDICT_UNKNOWN), "UNKNOWN");
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

static cJSON *json_report_of(struct monitor *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	cJSON *root;

	assert_non_null(out);
	assert_int_equal(report_write_json(m, out), 0);
	fclose(out);
	assert_non_null(buf);
	root = cJSON_Parse(buf);
	assert_non_null(root);
	free(buf);
	return root;
}

static void test_json_parts(void **state)
{
	struct fixture *f = *state;
	cJSON *root, *v, *t, *ph, *ev, *cl;
	char *text;

	setenv("REPORT_TEST_KEY", "env-secret-456", 1);
	add_event(f->m, 7200, EVENT_WARNING, "two hours ago", NULL);
	add_event(f->m, 600, EVENT_CRITICAL, "ten minutes ago", "Investigating.");
	add_event(f->m, 60, EVENT_INFO, "a minute ago", NULL);
	root = json_report_of(f->m);

	v = cJSON_GetObjectItem(root, "verdict");
	assert_string_equal(cJSON_GetObjectItem(v, "state")->valuestring, "unknown");
	assert_string_equal(cJSON_GetObjectItem(v, "headline")->valuestring, "UNKNOWN");
	assert_true(cJSON_IsString(cJSON_GetObjectItem(v, "summary")));
	assert_int_equal(cJSON_GetObjectItem(v, "service_targets")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(v, "control_targets")->valueint, 1);

	cl = cJSON_GetObjectItem(root, "checklist");
	assert_true(cJSON_GetArraySize(cl) > 0);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cl, 0), "title")->valuestring,
			    "Internet connection");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cl, 0), "result")->valuestring, "pending");

	/* targets in config order, each with its phases; no result yet: nulls */
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "targets"), 1);
	assert_string_equal(cJSON_GetObjectItem(t, "name")->valuestring, "api");
	assert_string_equal(cJSON_GetObjectItem(t, "url")->valuestring, "https://robot:****@127.0.0.1:9/v1");
	ph = cJSON_GetObjectItem(cJSON_GetObjectItem(t, "phases_ms"), "ttfb");
	assert_non_null(ph);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(ph, "last")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(ph, "p95")));
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "targets"), 0);
	assert_string_equal(cJSON_GetObjectItem(t, "host")->valuestring, "127.0.0.1");
	assert_int_equal(cJSON_GetObjectItem(t, "port")->valueint, 9);

	assert_non_null(cJSON_GetObjectItem(root, "official"));
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "report"), "window_s")->valueint, 3600);

	/* the last hour, oldest first: the monitor's own start event, then ours */
	ev = cJSON_GetObjectItem(root, "events");
	for (int i = 0; i < cJSON_GetArraySize(ev); i++)
		assert_string_not_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, i), "text")->valuestring,
					"two hours ago");
	{
		int n = cJSON_GetArraySize(ev);

		assert_true(n >= 2);
		assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, n - 2), "text")->valuestring,
				    "ten minutes ago");
		assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, n - 2), "detail")->valuestring,
				    "Investigating.");
		assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, n - 1), "text")->valuestring,
				    "a minute ago");
	}

	text = cJSON_PrintUnformatted(root);
	assert_null(strstr(text, "sk-literal-secret-123"));
	assert_null(strstr(text, "env-secret-456"));
	assert_null(strstr(text, "hunter2"));
	assert_null(strstr(text, "Authorization"));
	cJSON_free(text);
	cJSON_Delete(root);
	unsetenv("REPORT_TEST_KEY");
}

static void test_json_write_error(void **state)
{
	struct fixture *f = *state;
	FILE *out = fopen("/dev/full", "w");

	if (!out)
		skip();
	assert_int_equal(report_write_json(f->m, out), -EIO);
	fclose(out);
}

static void test_path_is_json(void **state)
{
	(void)state;
	assert_true(report_path_is_json("r.json"));
	assert_true(report_path_is_json("/tmp/x/REPORT.JSON"));
	assert_false(report_path_is_json("r.md"));
	assert_false(report_path_is_json("json"));
	assert_false(report_path_is_json(".jso"));
	assert_false(report_path_is_json("r.json.md"));
	assert_false(report_path_is_json(NULL));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void test_write_file(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/isitdown-report-test-XXXXXX";
	char md_path[96], json_path[96], missing[128];
	char *text;
	cJSON *root;

	assert_non_null(mkdtemp(dir));
	snprintf(md_path, sizeof(md_path), "%s/r.md", dir);
	snprintf(json_path, sizeof(json_path), "%s/r.json", dir);
	snprintf(missing, sizeof(missing), "%s/no-such-dir/r.md", dir);

	/* checking creates nothing */
	assert_int_equal(report_check_path(md_path), 0);
	assert_int_equal(access(md_path, F_OK), -1);
	assert_int_equal(report_check_path(missing), -ENOENT);
	assert_int_equal(report_check_path(dir), -EISDIR);
	assert_int_equal(report_check_path(""), -EINVAL);
	assert_int_equal(report_check_path("relative-name.md"), 0);

	assert_int_equal(report_write_file(f->m, md_path), 0);
	text = slurp(md_path);
	assert_non_null(strstr(text, "# isitdown report: Loop\n"));
	free(text);
	assert_int_equal(report_check_path(md_path), 0);

	assert_int_equal(report_write_file(f->m, json_path), 0);
	text = slurp(json_path);
	root = cJSON_Parse(text);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "service")->valuestring, "Loop");
	cJSON_Delete(root);
	free(text);

	assert_int_equal(report_write_file(f->m, missing), -ENOENT);
	assert_int_equal(report_write_file(f->m, dir), -EISDIR);

	unlink(md_path);
	unlink(json_path);
	assert_int_equal(rmdir(dir), 0);
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
		cmocka_unit_test_setup_teardown(test_json_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_write_error, setup, teardown),
		cmocka_unit_test(test_path_is_json),
		cmocka_unit_test_setup_teardown(test_write_file, setup, teardown),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
