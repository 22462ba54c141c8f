/* test_eventlog.c: the event log as its users meet it: events that survive a
 * restart, rotation, a file damaged by a crash, and a disk that cannot be written
 * (no directory, read-only, full, file deleted under us) without losing events. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <time.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "eventlog.h"

/* Root in a private mount namespace (set up in main) may mount tmpfs to play a
 * full or read-only disk; elsewhere those tests are skipped. */
static bool can_mount;

/* ---- helpers ---- */

static char *tmpdir_new(void)
{
	char tmpl[] = "/tmp/eventlog-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *join(const char *a, const char *b)
{
	char *s;
	assert_true(asprintf(&s, "%s/%s", a, b) > 0);
	return s;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *data = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&data, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return data;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Number of newline-terminated lines, -1 when the file does not exist. */
static long file_lines(const char *path)
{
	char *s = slurp(path);
	if (s == NULL)
		return -1;
	long n = 0;
	for (char *p = s; *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

static long file_size(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	return (long)st.st_size;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

struct warn_rec {
	int calls;
	bool cleared;
	char last[512];
};

static void on_warn(struct eventlog *log, const char *w, void *data)
{
	struct warn_rec *r = data;
	(void)log;
	r->calls++;
	r->cleared = w == NULL;
	snprintf(r->last, sizeof r->last, "%s", w ? w : "");
}

struct seen {
	int n;
	char last[128];
};

static void on_event(struct eventlog *log, const struct event *ev, void *data)
{
	struct seen *s = data;
	(void)log;
	s->n++;
	snprintf(s->last, sizeof s->last, "%s", ev->text);
}

static void add_text(struct eventlog *log, const char *text)
{
	struct event ev = { .severity = EVENT_INFO, .source = EVENT_SRC_PROBE,
	                    .component = "API", .target = "api", .text = text };
	assert_int_equal(eventlog_add(log, &ev), 0);
}

static void run(uv_loop_t *loop)
{
	uv_run(loop, UV_RUN_DEFAULT);
}

/* Texts of the ring, oldest first, one per line, for comparing two logs. */
static char *ring_texts(const struct eventlog *log)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	for (size_t i = eventlog_count(log); i > 0; i--)
		fprintf(m, "%s\n", eventlog_at(log, i - 1)->text);
	fclose(m);
	return s;
}

/* ---- tests ---- */

static const struct event sample_events[] = {
	{ .time = 1758535872.345, .severity = EVENT_CRITICAL, .source = EVENT_SRC_PROBE,
	  .component = "API", .target = "api", .text = "api is down: HTTP 503" },
	{ .time = 1758535880.5, .severity = EVENT_NOTICE, .source = EVENT_SRC_OFFICIAL,
	  .component = "ChatGPT", .target = "status",
	  .text = "incident \"Elevated errors\" \\ update: investigating",
	  /* as the monitor adds it: sanitized, but full of what JSON must escape */
	  .detail = "We are investigating.\nLine two with \"quotes\", a \\ backslash, caf\xc3\xa9 \xe2\x9c\x93" },
	{ .time = 1758535890.001, .severity = EVENT_WARNING, .source = EVENT_SRC_NETWORK,
	  .component = "", .target = "", .text = "default route changed", .detail = "" },
	{ .time = 1758535899.999, .severity = EVENT_INFO, .source = EVENT_SRC_VERDICT,
	  .text = "verdict: UP" },
	/* a verdict event carries its state and cause for scripts */
	{ .time = 1758535901.25, .severity = EVENT_CRITICAL, .source = EVENT_SRC_VERDICT,
	  .text = "major_outage: ChatGPT is failing", .state = "major_outage", .cause = "http_5xx" },
};
#define N_SAMPLES (sizeof sample_events / sizeof sample_events[0])

static void check_same_event(const struct event *got, const struct event *want)
{
	assert_true(got->time == want->time);
	assert_int_equal(got->severity, want->severity);
	assert_int_equal(got->source, want->source);
	assert_string_equal(got->component, want->component ? want->component : "");
	assert_string_equal(got->target, want->target ? want->target : "");
	assert_string_equal(got->text, want->text);
	if (want->detail == NULL)
		assert_null(got->detail);
	else
		assert_string_equal(got->detail, want->detail);
	if (want->state == NULL)
		assert_null(got->state);
	else
		assert_string_equal(got->state, want->state);
	if (want->cause == NULL)
		assert_null(got->cause);
	else
		assert_string_equal(got->cause, want->cause);
}

static void test_round_trip(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	/* Directories that do not exist yet are created. */
	char *path = join(dir, "state/isitdown/events.jsonl");

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	assert_non_null(log);
	assert_string_equal(eventlog_path(log), path);
	for (size_t i = 0; i < N_SAMPLES; i++)
		assert_int_equal(eventlog_add(log, &sample_events[i]), 0);
	assert_int_equal(eventlog_addf(log, EVENT_WARNING, EVENT_SRC_PROBE, "API", "api",
	                               "latency %d ms above baseline", 2400), 0);
	run(&loop);
	assert_null(eventlog_warning(log));
	assert_int_equal(eventlog_unsaved(log), 0);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	/* One line per event, newlines inside the text escaped, every key there. */
	assert_int_equal(file_lines(path), N_SAMPLES + 1);
	char *text = slurp(path);
	char *line = strtok(text, "\n");
	assert_non_null(line);
	cJSON *o = cJSON_Parse(line);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "time")->valuestring, "2025-09-22T10:11:12.345Z");
	assert_true(cJSON_GetObjectItem(o, "ts")->valuedouble == 1758535872.345);
	assert_string_equal(cJSON_GetObjectItem(o, "severity")->valuestring, "critical");
	assert_string_equal(cJSON_GetObjectItem(o, "source")->valuestring, "probe");
	assert_string_equal(cJSON_GetObjectItem(o, "component")->valuestring, "API");
	assert_string_equal(cJSON_GetObjectItem(o, "target")->valuestring, "api");
	assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, "api is down: HTTP 503");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "detail")));
	cJSON_Delete(o);
	/* The detail's newline, quotes and backslash are escaped: one line. */
	line = strtok(NULL, "\n");
	assert_non_null(line);
	assert_non_null(strstr(line, "investigating.\\nLine two with \\\"quotes\\\", a \\\\ backslash"));
	free(text);

	/* A restart sees the same events in the same order. */
	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	struct eventlog_load_stats st;
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, N_SAMPLES + 1);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(eventlog_count(log), N_SAMPLES + 1);
	const struct event *e = eventlog_at(log, 0);
	assert_string_equal(e->text, "latency 2400 ms above baseline");
	assert_int_equal(e->severity, EVENT_WARNING);
	for (size_t i = 0; i < N_SAMPLES; i++) {
		const struct event *got = eventlog_at(log, N_SAMPLES - i);
		check_same_event(got, &sample_events[i]);
		assert_true(got->id < e->id);
	}
	/* Loading writes nothing back. */
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(file_lines(path), N_SAMPLES + 1);

	rm_rf(dir);
	free(path);
	free(dir);
}

static void test_batching_subscribers_and_flush(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");
	struct seen a = { 0 }, b = { 0 };
	char text[64];

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	assert_int_equal(eventlog_on_event(log, on_event, &a), 0);
	assert_int_equal(eventlog_on_event(log, on_event, &b), 0);
	/* Many events while the loop is busy elsewhere: all of them, in order. */
	for (int i = 0; i < 300; i++) {
		snprintf(text, sizeof text, "event %d", i);
		add_text(log, text);
	}
	assert_int_equal(a.n, 300);
	assert_string_equal(b.last, "event 299");
	assert_true(eventlog_unsaved(log) > 0);
	run(&loop);
	assert_int_equal(eventlog_unsaved(log), 0);
	assert_int_equal(file_lines(path), 300);

	assert_int_equal(eventlog_off_event(log, on_event, &b), 0);
	assert_int_equal(eventlog_off_event(log, on_event, &b), UV_ENOENT);
	add_text(log, "after off");
	assert_int_equal(a.n, 301);
	assert_int_equal(b.n, 300);

	/* At shutdown, flush writes what is pending without uv_run. */
	assert_int_equal(eventlog_flush(log), 0);
	assert_int_equal(file_lines(path), 301);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	assert_int_equal(eventlog_load(log, NULL), 0);
	assert_int_equal(eventlog_count(log), 301);
	for (int i = 0; i < 300; i++) {
		snprintf(text, sizeof text, "event %d", i);
		assert_string_equal(eventlog_at(log, (size_t)(300 - i))->text, text);
	}
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	rm_rf(dir);
	free(path);
	free(dir);
}

static void test_ring_and_filter(void **state)
{
	(void)state;
	struct eventlog_options o = { .capacity = 5, .memory_only = true };
	struct eventlog *log = eventlog_new(NULL, NULL, &o);
	char text[32];

	assert_non_null(log);
	assert_null(eventlog_path(log));
	assert_null(eventlog_warning(log));
	for (int i = 1; i <= 8; i++) {
		snprintf(text, sizeof text, "event %d", i);
		add_text(log, text);
	}
	assert_int_equal(eventlog_count(log), 5);
	assert_string_equal(eventlog_at(log, 0)->text, "event 8");
	assert_string_equal(eventlog_at(log, 4)->text, "event 4");
	assert_null(eventlog_at(log, 5));
	assert_true(eventlog_at(log, 0)->id > eventlog_at(log, 1)->id);

	eventlog_addf(log, EVENT_WARNING, EVENT_SRC_OFFICIAL, "ChatGPT", NULL,
	              "incident: Elevated error rates");
	eventlog_addf(log, EVENT_CRITICAL, EVENT_SRC_NETWORK, NULL, NULL, "no default route");

	const struct event *out[8];
	assert_int_equal(eventlog_filter(log, "WARN", out, 8), 1);
	assert_string_equal(out[0]->text, "incident: Elevated error rates");
	assert_int_equal(eventlog_filter(log, "official", out, 8), 1);
	assert_int_equal(eventlog_filter(log, "chatgpt", out, 8), 1);
	assert_int_equal(eventlog_filter(log, "Critical", out, 8), 1);
	assert_string_equal(out[0]->text, "no default route");
	assert_string_equal(out[0]->component, "");
	assert_int_equal(eventlog_filter(log, "EVENT 7", out, 8), 1);
	assert_int_equal(eventlog_filter(log, "api", out, 8), 3);
	assert_int_equal(eventlog_filter(log, "no such thing", out, 8), 0);
	/* All matches are counted, only max are stored; newest first. */
	assert_int_equal(eventlog_filter(log, "", out, 2), 5);
	assert_string_equal(out[0]->text, "no default route");
	assert_int_equal(eventlog_filter(log, NULL, out, 0), 5);

	assert_int_equal(eventlog_flush(log), 0);
	assert_int_equal(eventlog_unsaved(log), 0);
	assert_int_equal(eventlog_load(log, NULL), 0);
	eventlog_free(log);

	/* An empty path also means no file. */
	uv_loop_t loop;
	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, "", NULL);
	assert_null(eventlog_path(log));
	assert_null(eventlog_warning(log));
	add_text(log, "kept in memory");
	assert_int_equal(eventlog_count(log), 1);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void test_names(void **state)
{
	(void)state;
	enum event_severity sev;
	enum event_source src;

	assert_string_equal(eventlog_severity_name(EVENT_NOTICE), "notice");
	assert_string_equal(eventlog_source_name(EVENT_SRC_VERDICT), "verdict");
	assert_int_equal(eventlog_severity_parse("critical", &sev), 0);
	assert_int_equal(sev, EVENT_CRITICAL);
	assert_int_equal(eventlog_source_parse("monitor", &src), 0);
	assert_int_equal(src, EVENT_SRC_MONITOR);
	assert_int_equal(eventlog_severity_parse("fatal", &sev), UV_EINVAL);
	assert_int_equal(eventlog_source_parse(NULL, &src), UV_EINVAL);
}

static void test_default_path(void **state)
{
	(void)state;
	char *saved_xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *p;

	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/home/u", 1);
	p = eventlog_default_path();
	assert_string_equal(p, "/x/state/isitdown/events.jsonl");
	free(p);
	/* A relative XDG_STATE_HOME is invalid by the spec. */
	setenv("XDG_STATE_HOME", "relative/state", 1);
	p = eventlog_default_path();
	assert_string_equal(p, "/home/u/.local/state/isitdown/events.jsonl");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = eventlog_default_path();
	assert_string_equal(p, "/home/u/.local/state/isitdown/events.jsonl");
	free(p);

	/* Nowhere to write: memory only, with a warning that says why. */
	unsetenv("HOME");
	assert_null(eventlog_default_path());
	uv_loop_t loop;
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, NULL, NULL);
	assert_null(eventlog_path(log));
	assert_string_equal(eventlog_warning(log),
	                    "cannot write event log: neither XDG_STATE_HOME nor HOME is set");
	add_text(log, "still kept");
	assert_int_equal(eventlog_count(log), 1);
	eventlog_free(log);

	/* The default file is really where events go. */
	char *dir = tmpdir_new();
	setenv("XDG_STATE_HOME", dir, 1);
	log = eventlog_new(&loop, NULL, NULL);
	char *want = join(dir, "isitdown/events.jsonl");
	assert_string_equal(eventlog_path(log), want);
	add_text(log, "in the state dir");
	run(&loop);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(file_lines(want), 1);
	struct stat st;
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	rm_rf(dir);
	free(want);
	free(dir);

	if (saved_xdg)
		setenv("XDG_STATE_HOME", saved_xdg, 1);
	else
		unsetenv("XDG_STATE_HOME");
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_xdg);
	free(saved_home);
}

static void test_rotation(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");
	char *p1 = join(dir, "events.jsonl.1");
	char *p2 = join(dir, "events.jsonl.2");
	char *p3 = join(dir, "events.jsonl.3");
	struct eventlog_options o = { .max_bytes = 2000, .keep_files = 2 };
	char text[64];

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, &o);
	for (int i = 0; i < 80; i++) {
		snprintf(text, sizeof text, "event %d", i);
		add_text(log, text);
		/* A few writes of several lines, most of one line. */
		if (i % 7 != 0)
			run(&loop);
	}
	run(&loop);
	assert_null(eventlog_warning(log));
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	/* Two old files kept, none beyond; no file over the limit. */
	assert_true(file_size(path) > 0 && file_size(path) <= 2000);
	assert_true(file_size(p1) > 1000 && file_size(p1) <= 2000);
	assert_true(file_size(p2) > 1000 && file_size(p2) <= 2000);
	assert_false(exists(p3));

	/* No event lost across a rotation: .2, .1 and the file are consecutive and
	 * end with the newest. */
	long n0 = file_lines(path), n1 = file_lines(p1), n2 = file_lines(p2);
	char *all = NULL;
	char *f2 = slurp(p2), *f1 = slurp(p1), *f0 = slurp(path);
	assert_true(asprintf(&all, "%s%s%s", f2, f1, f0) > 0);
	int first = 80 - (int)(n0 + n1 + n2);
	assert_true(first > 0);
	int k = first;
	for (char *line = strtok(all, "\n"); line != NULL; line = strtok(NULL, "\n"), k++) {
		snprintf(text, sizeof text, "\"text\":\"event %d\"", k);
		assert_non_null(strstr(line, text));
	}
	assert_int_equal(k, 80);
	free(all);
	free(f0);
	free(f1);
	free(f2);

	/* A restart refills from the file and the newest rotated one. */
	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	struct eventlog_load_stats st;
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, (size_t)(n0 + n1));
	assert_int_equal(st.skipped, 0);
	assert_string_equal(eventlog_at(log, 0)->text, "event 79");
	snprintf(text, sizeof text, "event %d", 80 - (int)(n0 + n1));
	assert_string_equal(eventlog_at(log, eventlog_count(log) - 1)->text, text);
	eventlog_free(log);

	/* A small ring takes only the newest. */
	o = (struct eventlog_options){ .capacity = 3 };
	log = eventlog_new(&loop, path, &o);
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(eventlog_count(log), 3);
	assert_string_equal(eventlog_at(log, 0)->text, "event 79");
	assert_string_equal(eventlog_at(log, 2)->text, "event 77");
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	rm_rf(dir);
	free(path);
	free(p1);
	free(p2);
	free(p3);
	free(dir);
}

static void test_damaged_lines(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");

	write_file(path,
		"{\"time\":\"2025-09-22T10:00:00.000Z\",\"ts\":1758535200,\"severity\":\"info\","
		"\"source\":\"probe\",\"component\":\"API\",\"target\":\"api\",\"text\":\"good one\",\"detail\":null}\n"
		"not json at all\n"
		"\n"
		"   \t \n"
		"{\"ts\":\"yesterday\",\"severity\":\"info\",\"source\":\"probe\",\"text\":\"x\"}\n"
		"[1,2,3]\n"
		"{\"ts\":1e300,\"severity\":\"info\",\"source\":\"probe\",\"text\":\"far future\"}\n"
		"{\"ts\":1758535300,\"severity\":\"catastrophic\",\"source\":\"probe\",\"text\":\"x\"}\n"
		"{\"ts\":1758535300,\"severity\":\"info\",\"source\":\"probe\",\"text\":\"x\",\"component\":5}\n"
		"{\"ts\":1758535300,\"severity\":\"info\",\"source\":\"probe\",\"text\":\"x\"} trailing\n"
		/* Written by hand or another tool: time only, CRLF, no optional keys. */
		"{\"time\":\"2025-09-22T10:05:00.250Z\",\"severity\":\"notice\",\"source\":\"official\",\"text\":\"good two\"}\r\n"
		/* A crash in the middle of a write. */
		"{\"time\":\"2025-09-22T10:06:00.000Z\",\"ts\":1758535560,\"severity\":\"war");

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	struct eventlog_load_stats st;
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, 2);
	assert_int_equal(st.skipped, 8);
	assert_int_equal(eventlog_count(log), 3);
	char *want = NULL;
	assert_true(asprintf(&want, "skipped 8 damaged lines in %s", path) > 0);
	assert_string_equal(eventlog_at(log, 0)->text, want);
	assert_int_equal(eventlog_at(log, 0)->source, EVENT_SRC_MONITOR);
	assert_string_equal(eventlog_at(log, 1)->text, "good two");
	assert_true(eventlog_at(log, 1)->time == 1758535500.25);
	assert_string_equal(eventlog_at(log, 1)->component, "");
	assert_null(eventlog_at(log, 1)->detail);
	assert_string_equal(eventlog_at(log, 2)->text, "good one");
	assert_string_equal(eventlog_at(log, 2)->component, "API");

	/* New events after the torn line start on a line of their own. A time that
	 * makes no sense is taken as now. */
	struct event ev = { .time = NAN, .text = "after the crash" };
	double before = (double)time(NULL);
	assert_int_equal(eventlog_add(log, &ev), 0);
	assert_true(eventlog_at(log, 0)->time >= before && eventlog_at(log, 0)->time < before + 60);
	run(&loop);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, 4);
	assert_int_equal(st.skipped, 8);
	assert_string_equal(eventlog_at(log, 1)->text, "after the crash");
	assert_string_equal(eventlog_at(log, 2)->text, want);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	free(want);
	rm_rf(dir);
	free(path);
	free(dir);
}

/* A log edited by someone else: what it holds reaches the screen cleaned. */
static void test_loaded_text_is_inert(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");

	write_file(path,
		"{\"ts\":1758535200,\"severity\":\"critical\",\"source\":\"official\","
		"\"component\":\"A\\u001b[2JPI\",\"target\":\"t\\u202eeg\","
		"\"text\":\"title\\u001b]0;owned\\u0007 here\","
		"\"detail\":\"line one\\nline\\u009b31m two\"}\n");
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	struct eventlog_load_stats st;
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, 1);
	const struct event *e = eventlog_at(log, 0);
	assert_string_equal(e->component, "API");
	assert_string_equal(e->target, "teg");
	assert_string_equal(e->text, "title here");
	assert_string_equal(e->detail, "line one\nline two");
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	rm_rf(dir);
	free(path);
	free(dir);
}

static void test_load_after_add(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");
	struct eventlog_load_stats st;

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	/* No file yet: nothing loaded, not an error. */
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, 0);
	add_text(log, "old 1");
	add_text(log, "old 2");
	eventlog_free(log);

	log = eventlog_new(&loop, path, NULL);
	add_text(log, "isitdown started");
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, 2);
	assert_int_equal(eventlog_count(log), 3);
	assert_string_equal(eventlog_at(log, 0)->text, "isitdown started");
	assert_string_equal(eventlog_at(log, 1)->text, "old 2");
	assert_string_equal(eventlog_at(log, 2)->text, "old 1");
	assert_true(eventlog_at(log, 0)->id > eventlog_at(log, 1)->id);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(file_lines(path), 3);

	/* A file that exists but cannot be read is reported, not fatal. */
	if (geteuid() != 0) {
		chmod(path, 0200);
		assert_int_equal(uv_loop_init(&loop), 0);
		log = eventlog_new(&loop, path, NULL);
		assert_int_equal(eventlog_load(log, &st), UV_EACCES);
		assert_non_null(strstr(eventlog_at(log, 0)->text, "cannot read event log"));
		eventlog_free(log);
		assert_int_equal(uv_loop_close(&loop), 0);
	}

	rm_rf(dir);
	free(path);
	free(dir);
}

/* read_only (--once): the history is loaded, and the file stays as it was. */
static void test_read_only(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");
	struct eventlog_options ro = { .read_only = true };
	struct eventlog_load_stats st;
	char *before;

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	add_text(log, "old 1");
	add_text(log, "old 2");
	eventlog_free(log);
	before = slurp(path);

	log = eventlog_new(&loop, path, &ro);
	assert_string_equal(eventlog_path(log), path);
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.loaded, 2);
	add_text(log, "once");
	assert_int_equal(eventlog_count(log), 3);
	assert_string_equal(eventlog_at(log, 0)->text, "once");
	assert_string_equal(eventlog_at(log, 2)->text, "old 1");
	assert_int_equal(eventlog_unsaved(log), 0);
	assert_int_equal(eventlog_flush(log), 0);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	char *after = slurp(path);
	assert_string_equal(after, before);
	free(after);
	free(before);

	/* no file and no directory: nothing is created */
	char *missing = join(dir, "sub/events.jsonl");
	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, missing, &ro);
	assert_int_equal(eventlog_load(log, &st), 0);
	add_text(log, "once");
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_false(exists(missing));
	free(missing);

	rm_rf(dir);
	free(path);
	free(dir);
}

/* The directory cannot be created (a file is in the way): one warning, events
 * still in memory, and everything written once the way is clear. */
static void test_unwritable_dir(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *blocker = join(dir, "blocker");
	char *path = join(dir, "blocker/isitdown/events.jsonl");
	struct warn_rec w = { 0 };
	char *want;

	write_file(blocker, "a file, not a directory\n");
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	eventlog_on_warning(log, on_warn, &w);
	add_text(log, "e1");
	add_text(log, "e2");
	add_text(log, "e3");
	run(&loop);

	assert_true(asprintf(&want, "cannot write event log %s: not a directory", path) > 0);
	assert_string_equal(eventlog_warning(log), want);
	assert_int_equal(w.calls, 1);
	assert_string_equal(w.last, want);
	/* The warning is an event too, so line mode and the log panel show it. */
	assert_int_equal(eventlog_count(log), 4);
	assert_string_equal(eventlog_at(log, 0)->text, want);
	assert_int_equal(eventlog_at(log, 0)->severity, EVENT_WARNING);
	assert_int_equal(eventlog_unsaved(log), 4);

	/* More events: still one warning. */
	add_text(log, "e4");
	add_text(log, "e5");
	run(&loop);
	assert_int_equal(w.calls, 1);
	assert_int_equal(eventlog_count(log), 6);
	assert_string_equal(eventlog_at(log, 0)->text, "e5");
	assert_int_equal(eventlog_flush(log), UV_ENOTDIR);

	/* The way is clear again: the warning goes and nothing was lost. */
	unlink(blocker);
	add_text(log, "e6");
	run(&loop);
	assert_null(eventlog_warning(log));
	assert_int_equal(w.calls, 2);
	assert_true(w.cleared);
	assert_non_null(strstr(eventlog_at(log, 0)->text, "is writable again"));
	char *mem = ring_texts(log);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	assert_int_equal(file_lines(path), 8);
	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	assert_int_equal(eventlog_load(log, NULL), 0);
	char *disk = ring_texts(log);
	assert_string_equal(disk, mem);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	free(mem);
	free(disk);
	free(want);
	rm_rf(dir);
	free(blocker);
	free(path);
	free(dir);
}

/* A log that cannot be written for long keeps a bounded backlog (about 1 MiB),
 * drops the oldest lines beyond it, and says how many when it recovers. */
static void test_unsaved_bound(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *blocker = join(dir, "blocker");
	char *path = join(dir, "blocker/events.jsonl");
	char text[400];
	const int n = 4000;

	write_file(blocker, "");
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	memset(text, 'x', sizeof text);
	for (int i = 0; i < n; i++) {
		snprintf(text, 16, "event %05d ", i);
		text[strlen(text)] = 'x';
		text[sizeof text - 1] = '\0';
		add_text(log, text);
	}
	run(&loop);
	assert_non_null(eventlog_warning(log));
	size_t unsaved = eventlog_unsaved(log);
	assert_true(unsaved < (size_t)n);
	assert_true(unsaved > 1000);
	/* Memory still has them all. */
	assert_int_equal(eventlog_count(log), (size_t)n + 1);

	unlink(blocker);
	add_text(log, "back");
	run(&loop);
	assert_null(eventlog_warning(log));
	const char *msg = eventlog_at(log, 0)->text;
	size_t lost = 0;
	const char *p = strstr(msg, "is writable again; ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "is writable again; %zu events could not be saved", &lost), 1);
	assert_int_equal(lost, (size_t)n + 1 - unsaved);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	/* What was kept is the newest, complete and in order. */
	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	struct eventlog_load_stats st;
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.loaded, unsaved + 2);
	assert_string_equal(eventlog_at(log, 1)->text, "back");
	assert_non_null(strstr(eventlog_at(log, 2)->text, "cannot write event log"));
	assert_true(strncmp(eventlog_at(log, 3)->text, "event 03999 ", 12) == 0);
	snprintf(text, 16, "event %05zu ", (size_t)n - (unsaved - 1));
	assert_true(strncmp(eventlog_at(log, eventlog_count(log) - 1)->text, text, 12) == 0);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	rm_rf(dir);
	free(blocker);
	free(path);
	free(dir);
}

/* A directory without write permission (not testable as root, who may write
 * anywhere; test_read_only_fs covers that case for root). */
static void test_permission_denied(void **state)
{
	(void)state;
	if (geteuid() == 0)
		skip();
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *locked = join(dir, "locked");
	char *path = join(dir, "locked/events.jsonl");
	struct warn_rec w = { 0 };
	char *want;

	assert_int_equal(mkdir(locked, 0500), 0);
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	eventlog_on_warning(log, on_warn, &w);
	add_text(log, "e1");
	run(&loop);
	assert_true(asprintf(&want, "cannot write event log %s: permission denied", path) > 0);
	assert_string_equal(eventlog_warning(log), want);
	assert_int_equal(w.calls, 1);

	chmod(locked, 0700);
	add_text(log, "e2");
	run(&loop);
	assert_null(eventlog_warning(log));
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(file_lines(path), 4);

	free(want);
	rm_rf(dir);
	free(locked);
	free(path);
	free(dir);
}

static void test_read_only_fs(void **state)
{
	(void)state;
	if (!can_mount)
		skip();
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *mnt = join(dir, "ro");
	char *path = join(dir, "ro/isitdown/events.jsonl");
	struct warn_rec w = { 0 };
	char *want;

	assert_int_equal(mkdir(mnt, 0700), 0);
	assert_int_equal(mount("tmpfs", mnt, "tmpfs", MS_RDONLY, "size=64k"), 0);
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	eventlog_on_warning(log, on_warn, &w);
	add_text(log, "e1");
	run(&loop);
	assert_true(asprintf(&want, "cannot write event log %s: read-only file system", path) > 0);
	assert_string_equal(eventlog_warning(log), want);
	assert_int_equal(w.calls, 1);
	assert_int_equal(eventlog_count(log), 2);

	assert_int_equal(mount("tmpfs", mnt, "tmpfs", MS_REMOUNT, "size=64k"), 0);
	add_text(log, "e2");
	run(&loop);
	assert_null(eventlog_warning(log));
	assert_int_equal(w.calls, 2);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
	/* e1, the warning, e2, "writable again" */
	assert_int_equal(file_lines(path), 4);

	umount2(mnt, MNT_DETACH);
	free(want);
	rm_rf(dir);
	free(mnt);
	free(path);
	free(dir);
}

static void test_enospc_dev_full(void **state)
{
	(void)state;
	uv_loop_t loop;
	struct warn_rec w = { 0 };

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, "/dev/full", NULL);
	eventlog_on_warning(log, on_warn, &w);
	add_text(log, "e1");
	run(&loop);
	assert_string_equal(eventlog_warning(log),
	                    "cannot write event log /dev/full: no space left on device");
	assert_int_equal(w.calls, 1);
	add_text(log, "e2");
	add_text(log, "e3");
	run(&loop);
	assert_int_equal(w.calls, 1);
	assert_int_equal(eventlog_count(log), 4);
	assert_string_equal(eventlog_at(log, 0)->text, "e3");
	assert_int_equal(eventlog_flush(log), UV_ENOSPC);
	assert_int_equal(w.calls, 1);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* A real full disk: writes fail part way through a line, the space comes back,
 * and the file holds every event, none torn. */
static void test_enospc_tmpfs(void **state)
{
	(void)state;
	if (!can_mount)
		skip();
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *path = join(dir, "events.jsonl");
	char *filler = join(dir, "filler");
	struct warn_rec w = { 0 };
	char text[64];
	char *want;

	assert_int_equal(mount("tmpfs", dir, "tmpfs", 0, "size=32k"), 0);
	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	eventlog_on_warning(log, on_warn, &w);
	add_text(log, "before the disk filled up");
	run(&loop);
	assert_null(eventlog_warning(log));

	int fd = open(filler, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	char block[1000];
	memset(block, 'x', sizeof block);
	while (write(fd, block, sizeof block) > 0)
		;
	assert_int_equal(errno, ENOSPC);
	close(fd);

	int i;
	for (i = 0; i < 500 && eventlog_warning(log) == NULL; i++) {
		snprintf(text, sizeof text, "while full %d", i);
		add_text(log, text);
		run(&loop);
	}
	assert_true(asprintf(&want, "cannot write event log %s: no space left on device", path) > 0);
	assert_string_equal(eventlog_warning(log), want);
	assert_int_equal(w.calls, 1);
	for (int j = 0; j < 5; j++) {
		snprintf(text, sizeof text, "still full %d", j);
		add_text(log, text);
		run(&loop);
	}
	assert_int_equal(w.calls, 1);

	unlink(filler);
	add_text(log, "space again");
	run(&loop);
	assert_null(eventlog_warning(log));
	assert_int_equal(w.calls, 2);
	char *mem = ring_texts(log);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	assert_int_equal(uv_loop_init(&loop), 0);
	log = eventlog_new(&loop, path, NULL);
	struct eventlog_load_stats st;
	assert_int_equal(eventlog_load(log, &st), 0);
	assert_int_equal(st.skipped, 0);
	char *disk = ring_texts(log);
	assert_string_equal(disk, mem);
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	umount2(dir, MNT_DETACH);
	free(mem);
	free(disk);
	free(want);
	rm_rf(dir);
	free(filler);
	free(path);
	free(dir);
}

static void test_deleted_while_running(void **state)
{
	(void)state;
	uv_loop_t loop;
	char *dir = tmpdir_new();
	char *sub = join(dir, "isitdown");
	char *path = join(dir, "isitdown/events.jsonl");
	struct warn_rec w = { 0 };

	assert_int_equal(uv_loop_init(&loop), 0);
	struct eventlog *log = eventlog_new(&loop, path, NULL);
	eventlog_on_warning(log, on_warn, &w);
	add_text(log, "e1");
	run(&loop);
	assert_int_equal(file_lines(path), 1);

	unlink(path);
	add_text(log, "e2");
	run(&loop);
	char *got = slurp(path);
	assert_non_null(got);
	assert_non_null(strstr(got, "\"text\":\"e2\""));
	assert_non_null(strstr(got, "was deleted or moved while running; recreated it"));
	assert_null(strstr(got, "\"text\":\"e1\""));
	free(got);

	/* The whole directory, too. */
	rm_rf(sub);
	add_text(log, "e3");
	run(&loop);
	got = slurp(path);
	assert_non_null(got);
	assert_non_null(strstr(got, "\"text\":\"e3\""));
	free(got);

	/* Moved away and replaced by an empty file (as logrotate does): the old file
	 * keeps its lines, new ones go to the new file under the name. */
	char *moved = join(dir, "moved.jsonl");
	assert_int_equal(rename(path, moved), 0);
	write_file(path, "");
	add_text(log, "e4");
	run(&loop);
	assert_int_equal(file_lines(path), 1);
	got = slurp(moved);
	assert_null(strstr(got, "\"text\":\"e4\""));
	free(got);

	assert_int_equal(w.calls, 0);
	assert_null(eventlog_warning(log));
	eventlog_free(log);
	assert_int_equal(uv_loop_close(&loop), 0);

	rm_rf(dir);
	free(moved);
	free(sub);
	free(path);
	free(dir);
}

int main(void)
{
	/* Mounts made here vanish with the process; it must happen before libuv
	 * starts its thread pool (unshare refuses a threaded process). */
	if (geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0)
		can_mount = true;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_batching_subscribers_and_flush),
		cmocka_unit_test(test_ring_and_filter),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_damaged_lines),
		cmocka_unit_test(test_loaded_text_is_inert),
		cmocka_unit_test(test_load_after_add),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_unwritable_dir),
		cmocka_unit_test(test_unsaved_bound),
		cmocka_unit_test(test_permission_denied),
		cmocka_unit_test(test_read_only_fs),
		cmocka_unit_test(test_enospc_dev_full),
		cmocka_unit_test(test_enospc_tmpfs),
		cmocka_unit_test(test_deleted_while_running),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
