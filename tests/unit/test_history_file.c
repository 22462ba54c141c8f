/* test_history_file.c: the history kept across restarts, as a restarted
 * monitor meets it: records and the hourly tally come back, a target's key
 * picks its own records, the file never grows past its cap, a crash's cut-off
 * tail is dropped quietly, a damaged or foreign file is set aside with a
 * warning, a read-only reader writes nothing, and a second writer stays out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "history_file.h"

struct warnings {
	int n;
	char last[1024];
};

static void on_warn(void *data, const char *message)
{
	struct warnings *w = data;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", message);
}

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/histfile-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h/svc.bin", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct sample sample_at(double t, bool ok, double total)
{
	struct sample s = {
		.t = t, .ok = ok, .outcome = ok ? OUTCOME_OK : OUTCOME_CONNECT_FAIL,
		.http_status = ok ? 200 : 0, .total_ms = ok ? total : -1, .connect_ms = ok ? total / 4 : -1,
		.dns_ms = -1, .tls_ms = -1, .ttfb_ms = -1, .transfer_ms = -1, .retry_after_s = -1,
	};

	return s;
}

static off_t file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? st.st_size : -1;
}

/* One run: opens the file for the keys, lets run() push samples, closes it and
 * lets the loop finish writing. */
struct run {
	uv_loop_t loop;
	struct history *h[3];
	struct history_file *hf;
	struct warnings warn;
};

static void run_open(struct run *r, const char *const *keys, size_t n, bool read_only, size_t max_bytes)
{
	struct history_file_options o = {.read_only = read_only, .max_bytes = max_bytes, .warn = on_warn};

	memset(r, 0, sizeof(*r));
	assert_int_equal(uv_loop_init(&r->loop), 0);
	for (size_t i = 0; i < n; i++)
		assert_non_null(r->h[i] = history_new(1000));
	o.warn_data = &r->warn;
	r->hf = history_file_open(&r->loop, path, n, keys, r->h, &o);
	assert_non_null(r->hf);
	uv_run(&r->loop, UV_RUN_DEFAULT); /* the first rewrite */
}

static void run_push(struct run *r, size_t i, const struct sample *s)
{
	history_push(r->h[i], s);
	history_file_append(r->hf, i, history_last(r->h[i]));
	uv_run(&r->loop, UV_RUN_NOWAIT);
}

static void run_close(struct run *r, size_t n)
{
	history_file_close(r->hf);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	for (size_t i = 0; i < n; i++)
		history_free(r->h[i]);
	assert_int_equal(uv_loop_close(&r->loop), 0);
}

static const char *const two_keys[] = {"http\nweb\nhttps://a.test/", "tcp\ntcp\na.test:443"};

/* Two runs an hour apart: the second starts with the first's records, in
 * order, with the gap between them, and the latency figures they gave. */
static void test_restart_continues(void **state)
{
	struct run r;
	double t0 = (double)time(NULL) - 7200, now = t0 + 3600 + 60 * 10;
	struct history_stats st;

	(void)state;
	run_open(&r, two_keys, 2, false, 0);
	assert_true(history_file_writing(r.hf));
	for (int i = 0; i < 60; i++) {
		struct sample a = sample_at(t0 + 10 * i, true, 100 + i), b = sample_at(t0 + 10 * i, i % 10 != 0, 5);

		run_push(&r, 0, &a);
		run_push(&r, 1, &b);
	}
	run_close(&r, 2);

	run_open(&r, two_keys, 2, false, 0);
	assert_int_equal(history_file_loaded(r.hf), 120);
	assert_int_equal(history_count(r.h[0]), 60);
	assert_true(fabs(history_record_t(history_at(r.h[0], 0)) - t0) < 0.002);
	assert_true(history_at(r.h[0], 59)->total_ms == 159.0f);
	assert_true(history_at(r.h[0], 59)->connect_ms == 159.0f / 4);
	assert_int_equal(history_at(r.h[0], 59)->http_status, 200);
	assert_int_equal(history_at(r.h[1], 0)->ok, 0);
	assert_int_equal(history_at(r.h[1], 0)->outcome, OUTCOME_CONNECT_FAIL);
	/* an hour later, ten more */
	for (int i = 0; i < 10; i++) {
		struct sample a = sample_at(t0 + 3600 + 60 * i, true, 200);

		run_push(&r, 0, &a);
	}
	run_close(&r, 2);

	run_open(&r, two_keys, 2, true, 0);
	assert_int_equal(history_count(r.h[0]), 70);
	assert_int_equal(history_stats(r.h[0], now, 7200, &st), 0);
	assert_int_equal(st.count, 70);
	assert_true(st.max == 200);
	assert_int_equal(history_stats(r.h[1], now, 7200, &st), 0);
	assert_int_equal(st.failures, 6);
	run_close(&r, 2);
}

/* A target is found by its key, wherever it is in the list; one that is no
 * longer configured is dropped, a new one starts empty. */
static void test_keys_pick_records(void **state)
{
	static const char *const later[] = {"udp\nnew\nb.test:1", "http\nweb\nhttps://a.test/"};
	struct run r;
	double t0 = (double)time(NULL) - 600;

	(void)state;
	run_open(&r, two_keys, 2, false, 0);
	for (int i = 0; i < 5; i++) {
		struct sample a = sample_at(t0 + i, true, 42), b = sample_at(t0 + i, true, 7);

		run_push(&r, 0, &a);
		run_push(&r, 1, &b);
	}
	run_close(&r, 2);
	run_open(&r, later, 2, false, 0);
	assert_int_equal(history_count(r.h[0]), 0);
	assert_int_equal(history_count(r.h[1]), 5);
	assert_true(history_last(r.h[1])->total_ms == 42.0f);
	run_close(&r, 2);
	/* the rewrite kept only what is configured now */
	run_open(&r, two_keys, 2, true, 0);
	assert_int_equal(history_count(r.h[0]), 5);
	assert_int_equal(history_count(r.h[1]), 0);
	run_close(&r, 2);
}

/* Never more than the cap: records beyond what fits are folded into the
 * hourly tally, so the uptime they gave stays. */
static void test_size_cap(void **state)
{
	static const char *const one[] = {"tcp\nt\nx:1"};
	struct run r;
	/* room for the tally and 200 records, twice: a rewrite leaves half free */
	size_t cap = 2 * (16 + 12 + HISTORY_HOURS * 16 + 200 * 36);
	double t0 = (double)time(NULL) - 3 * 3600, ratio;
	off_t biggest = 0;

	(void)state;
	run_open(&r, one, 1, false, cap);
	for (int i = 0; i < 3000; i++) {
		struct sample s = sample_at(t0 + 3.0 * i, i % 100 != 0, 20);

		run_push(&r, 0, &s);
		if (file_size(path) > biggest)
			biggest = file_size(path);
	}
	run_close(&r, 1);
	assert_true(biggest <= (off_t)cap);
	assert_true(file_size(path) <= (off_t)cap);

	run_open(&r, one, 1, true, cap);
	assert_true(history_count(r.h[0]) < 3000);
	assert_true(history_count(r.h[0]) >= 100);
	assert_true(history_last(r.h[0])->t_s == (uint32_t)(t0 + 3.0 * 2999));
	/* 30 failures in 3000 probes, all counted */
	assert_int_equal(history_uptime(r.h[0], t0 + 9000, 9000, &ratio), 0);
	assert_true(fabs(ratio - 0.99) < 1e-3);
	run_close(&r, 1);
}

static void write_bytes(const char *p, const void *b, size_t n, const char *mode)
{
	FILE *f = fopen(p, mode);

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

static void record_run(int n)
{
	static const char *const one[] = {"tcp\nt\nx:1"};
	struct run r;
	double t0 = (double)time(NULL) - 600;

	run_open(&r, one, 1, false, 0);
	for (int i = 0; i < n; i++) {
		struct sample s = sample_at(t0 + i, true, 9);

		run_push(&r, 0, &s);
	}
	run_close(&r, 1);
}

/* A record cut short (a crash mid-write) is dropped without a word. */
static void test_torn_tail(void **state)
{
	static const char *const one[] = {"tcp\nt\nx:1"};
	struct run r;

	(void)state;
	record_run(4);
	write_bytes(path, "S\0\0\1\2\3", 6, "ab");
	run_open(&r, one, 1, false, 0);
	assert_int_equal(r.warn.n, 0);
	assert_int_equal(history_count(r.h[0]), 4);
	run_close(&r, 1);
	/* rewritten without it: the header, the target, its four records */
	assert_int_equal(file_size(path), 16 + 12 + 4 * 36);
}

/* Damage in the middle: what came before it stays, the file is set aside
 * with a warning, and a good file takes its place. */
static void test_damaged_set_aside(void **state)
{
	static const char *const one[] = {"tcp\nt\nx:1"};
	char aside[160];
	struct run r;

	(void)state;
	record_run(3);
	write_bytes(path, "Zgarbage that is no record", 26, "ab");
	run_open(&r, one, 1, false, 0);
	assert_int_equal(r.warn.n, 1);
	assert_non_null(strstr(r.warn.last, "is damaged at byte"));
	assert_non_null(strstr(r.warn.last, "set aside"));
	assert_int_equal(history_count(r.h[0]), 3);
	run_close(&r, 1);
	snprintf(aside, sizeof(aside), "%s.damaged", path);
	assert_true(file_size(aside) > 0);
	run_open(&r, one, 1, true, 0);
	assert_int_equal(r.warn.n, 0);
	assert_int_equal(history_count(r.h[0]), 3);
	run_close(&r, 1);
}

/* Not ours at all, or a record that cannot be: set aside, never a crash. */
static void test_foreign_and_bad_values(void **state)
{
	static const char *const one[] = {"tcp\nt\nx:1"};
	unsigned char bad[16 + 12 + 36];
	struct run r;

	(void)state;
	{
		char sub[128];

		snprintf(sub, sizeof(sub), "%s/h", dir);
		assert_int_equal(mkdir(sub, 0700), 0);
	}
	write_bytes(path, "{\"not\": \"a history\"}\n", 21, "wb");
	run_open(&r, one, 1, false, 0);
	assert_non_null(strstr(r.warn.last, "is not an isitdown history file"));
	assert_int_equal(history_count(r.h[0]), 0);
	run_close(&r, 1);

	/* a sample whose latency is NaN */
	memcpy(bad, "isitdownHIST\1\0\0\0", 16);
	memcpy(bad + 16, "T\0\11tcp\nt\nx:1", 12);
	memset(bad + 28, 0, 36);
	bad[28] = 'S';
	bad[28 + 4] = 0x00, bad[28 + 5] = 0xca, bad[28 + 6] = 0x9a, bad[28 + 7] = 0x3b; /* 1e9 s */
	memcpy(bad + 28 + 12, "\0\0\xc0\x7f", 4);                                       /* NaN */
	write_bytes(path, bad, sizeof(bad), "wb");
	run_open(&r, one, 1, false, 0);
	assert_non_null(strstr(r.warn.last, "is damaged at byte 28"));
	run_close(&r, 1);
}

/* --once reads and writes nothing; a second monitor finds the file taken,
 * reads it and adds nothing. */
static void test_readers_write_nothing(void **state)
{
	static const char *const one[] = {"tcp\nt\nx:1"};
	struct run writer, reader;
	struct stat before, after;
	double t0 = (double)time(NULL) - 60;

	(void)state;
	record_run(2);
	assert_int_equal(stat(path, &before), 0);
	run_open(&reader, one, 1, true, 0);
	assert_false(history_file_writing(reader.hf));
	for (int i = 0; i < 3; i++) {
		struct sample s = sample_at(t0 + i, true, 1);

		run_push(&reader, 0, &s);
	}
	run_close(&reader, 1);
	assert_int_equal(stat(path, &after), 0);
	assert_true(before.st_ino == after.st_ino && before.st_size == after.st_size);

	run_open(&writer, one, 1, false, 0);
	assert_true(history_file_writing(writer.hf));
	run_open(&reader, one, 1, false, 0);
	assert_false(history_file_writing(reader.hf));
	assert_non_null(strstr(reader.warn.last, "another isitdown keeps the history"));
	assert_int_equal(history_count(reader.h[0]), 2);
	run_close(&reader, 1);
	run_close(&writer, 1);
}

static void test_default_path(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(history_file_default_path("/s", "OpenAI", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/s/history/openai.bin");
	assert_int_equal(history_file_default_path("/s", "  My  Service/../x ", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/s/history/my-service-x.bin");
	assert_int_equal(history_file_default_path("/s", "\xe2\x9c\x93", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/s/history/service.bin");
	assert_int_equal(history_file_default_path("/s", "x", buf, 10), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restart_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_pick_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_set_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_and_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readers_write_nothing, setup, teardown),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
