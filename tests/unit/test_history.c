/* test_history.c: the ring keeps what happened, and its figures are right. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"

/* the documented bound: half a bucket of 1/64 of its lower end */
#define REL_ERR (1.0 / 128.0)

static struct sample ok_sample(double t, double total_ms)
{
	struct sample s = {
		.t = t, .ok = true, .outcome = OUTCOME_OK,
		.dns_ms = total_ms * 0.1, .connect_ms = total_ms * 0.2, .tls_ms = total_ms * 0.3,
		.ttfb_ms = total_ms * 0.3, .transfer_ms = total_ms * 0.1, .total_ms = total_ms,
		.http_status = 200, .http_version = 20, .retry_after_s = -1,
	};

	return s;
}

static struct sample failed_sample(double t)
{
	struct sample s = {
		.t = t, .ok = false, .outcome = OUTCOME_TIMEOUT,
		.dns_ms = 3, .connect_ms = -1, .tls_ms = -1, .ttfb_ms = -1, .transfer_ms = -1,
		.total_ms = 10000, .retry_after_s = -1,
	};

	return s;
}

static unsigned rng_state = 1;

static double rnd(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (rng_state >> 8) / 16777216.0;
}

/* latencies spread over 0.1 ms .. 60 s, log-uniform, as a reference sort sees them */
static double rnd_latency(void)
{
	return exp(log(0.1) + rnd() * (log(60000.0) - log(0.1)));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct reference {
	size_t count, failures, n;
	double min, max, mean, p50, p95, p99;
};

/* The plain way: collect, sort, take nearest ranks. */
static void reference_stats(const struct history *h, size_t lo, size_t hi, int phase,
	struct reference *ref)
{
	double *v = malloc((hi - lo + 1) * sizeof *v);
	double sum = 0;

	assert_non_null(v);
	memset(ref, 0, sizeof *ref);
	for (size_t i = lo; i < hi; i++) {
		const struct history_record *r = history_at(h, i);
		float x = history_record_ms(r, (enum history_phase)phase);

		ref->count++;
		if (!r->ok) {
			ref->failures++;
			continue;
		}
		if (x < 0)
			continue;
		if (r->reused && (phase == HISTORY_DNS || phase == HISTORY_CONNECT ||
				phase == HISTORY_TLS))
			continue;
		v[ref->n++] = x;
		sum += x;
	}
	if (ref->n > 0) {
		qsort(v, ref->n, sizeof *v, cmp_double);
		ref->min = v[0];
		ref->max = v[ref->n - 1];
		ref->mean = sum / (double)ref->n;
		ref->p50 = v[(size_t)ceil(0.50 * (double)ref->n - 1e-9) - 1];
		ref->p95 = v[(size_t)ceil(0.95 * (double)ref->n - 1e-9) - 1];
		ref->p99 = v[(size_t)ceil(0.99 * (double)ref->n - 1e-9) - 1];
	}
	free(v);
}

static void assert_close(double got, double want)
{
	if (fabs(got - want) > want * REL_ERR + 1e-9)
		fail_msg("%.6f is not within %.2f%% of %.6f", got, REL_ERR * 100, want);
}

static void assert_matches(const struct history_stats *st, const struct reference *ref)
{
	assert_int_equal(st->count, ref->count);
	assert_int_equal(st->failures, ref->failures);
	assert_int_equal(st->ok_count, ref->n);
	if (ref->count > 0)
		assert_true(fabs(st->loss - (double)ref->failures / (double)ref->count) < 1e-12);
	if (ref->n == 0) {
		assert_true(st->p50 == 0 && st->min == 0 && st->max == 0 && st->mean == 0);
		return;
	}
	assert_true(st->min == ref->min);
	assert_true(st->max == ref->max);
	assert_true(fabs(st->mean - ref->mean) <= ref->mean * 1e-9);
	assert_close(st->p50, ref->p50);
	assert_close(st->p95, ref->p95);
	assert_close(st->p99, ref->p99);
	assert_true(st->p50 <= st->p95 && st->p95 <= st->p99);
}

static void assert_summary_matches(const struct history_summary *s, const struct reference *ref)
{
	assert_int_equal(s->n, ref->n);
	if (ref->n == 0) {
		assert_true(s->p50 == 0 && s->mean == 0);
		return;
	}
	assert_true(s->min == ref->min);
	assert_true(s->max == ref->max);
	assert_true(fabs(s->mean - ref->mean) <= ref->mean * 1e-9);
	assert_close(s->p50, ref->p50);
	assert_close(s->p95, ref->p95);
	assert_close(s->p99, ref->p99);
}

static void test_record_is_compact(void **state)
{
	/* 100 targets x 24 h at 10 s: 8640 records of 32 bytes each, 270 KiB a target */
	assert_int_equal(sizeof(struct history_record), 32);
}

static void test_empty(void **state)
{
	struct history *h = history_new(0);
	struct history_stats st;
	struct history_summary sum;
	struct history_record out[4];

	assert_non_null(h);
	assert_int_equal(history_capacity(h), HISTORY_DEFAULT_CAPACITY);
	assert_int_equal(history_count(h), 0);
	assert_null(history_at(h, 0));
	assert_null(history_at(h, history_count(h) - 1));
	assert_null(history_last(h));
	assert_int_equal(history_stats(h, 1e9, 3600, &st), 0);
	assert_int_equal(st.count, 0);
	assert_int_equal(st.failures, 0);
	assert_true(st.loss == 0.0);
	/* no latency is 0, which the rest of isitdown reads as "unknown" */
	assert_int_equal(st.ok_count, 0);
	assert_true(st.min == 0 && st.p50 == 0 && st.p99 == 0 && st.max == 0);
	assert_int_equal(history_stats_last(h, 10, &st), 0);
	assert_int_equal(st.count, 0);
	assert_int_equal(history_phase_stats(h, 1e9, INFINITY, HISTORY_TLS, &sum), 0);
	assert_int_equal(sum.n, 0);
	assert_true(sum.mean == 0);
	assert_true(history_baseline_ms(h) == 0);
	assert_true(history_recent_median_ms(h, 5) == 0);
	assert_int_equal(history_tail(h, 4, out), 0);
	history_free(h);
	history_free(NULL);
}

static void test_bad_arguments(void **state)
{
	struct history *h = history_new(16);
	struct history_stats st;
	struct history_summary sum;
	struct sample s = ok_sample(100, 10);

	history_push(h, &s);
	history_push(h, NULL);
	history_push(NULL, &s);
	assert_int_equal(history_count(h), 1);
	assert_int_equal(history_stats(h, 100, 60, NULL), -EINVAL);
	assert_int_equal(history_stats(NULL, 100, 60, &st), -EINVAL);
	assert_int_equal(history_stats(h, NAN, 60, &st), -EINVAL);
	assert_int_equal(history_stats(h, 100, NAN, &st), -EINVAL);
	assert_int_equal(history_stats_last(NULL, 3, &st), -EINVAL);
	assert_int_equal(history_phase_stats(h, 100, 60, HISTORY_NPHASES, &sum), -EINVAL);
	assert_int_equal(history_phase_stats_last(h, 3, (enum history_phase)-1, &sum), -EINVAL);
	history_free(h);
}

static void test_record_keeps_the_sample(void **state)
{
	struct history *h = history_new(4);
	struct sample s = ok_sample(1700000000.25, 123.5);
	const struct history_record *r;

	s.reused = true;
	s.dns_ms = -1;
	s.http_status = 503;
	s.ok = false;
	s.outcome = OUTCOME_HTTP_5XX;
	s.transfer_ms = NAN;
	history_push(h, &s);
	r = history_at(h, 0);
	assert_non_null(r);
	assert_true(fabs(history_record_t(r) - 1700000000.25) < 1e-6);
	assert_int_equal(r->http_status, 503);
	assert_int_equal(r->outcome, OUTCOME_HTTP_5XX);
	assert_false(r->ok);
	assert_true(r->reused);
	assert_true(r->total_ms == 123.5f);
	assert_true(history_record_ms(r, HISTORY_TOTAL) == 123.5f);
	assert_true(r->dns_ms < 0);
	assert_true(r->transfer_ms < 0); /* NaN is "not measured" */
	assert_true(history_record_ms(r, HISTORY_TLS) == (float)(123.5 * 0.3));

	/* nonsense from a broken probe is clamped, not trusted */
	s = ok_sample(-5, 1);
	s.http_status = 123456;
	s.outcome = (enum outcome)99;
	history_push(h, &s);
	r = history_at(h, 1);
	assert_true(history_record_t(r) == 0.0);
	assert_int_equal(r->http_status, 0);
	assert_int_equal(r->outcome, OUTCOME_ERROR);
	s = ok_sample(5e9, 1e12);
	history_push(h, &s);
	r = history_at(h, 2);
	assert_true(history_record_t(r) == (double)UINT32_MAX);
	assert_true(r->total_ms == 1e9f);
	/* a time whose milliseconds round up to the next second */
	s = ok_sample(100.9996, 1);
	history_push(h, &s);
	assert_true(history_record_t(history_at(h, 3)) == 101.0);
	history_free(h);
}

static void test_wrap_around(void **state)
{
	struct history *h = history_new(5);
	struct history_record tail[8];
	struct history_stats st;

	for (int i = 0; i < 12; i++) {
		struct sample s = ok_sample(1000 + i, 10 + i);

		history_push(h, &s);
	}
	assert_int_equal(history_count(h), 5);
	for (size_t i = 0; i < 5; i++)
		assert_true(history_record_t(history_at(h, i)) == 1007.0 + (double)i);
	assert_null(history_at(h, 5));
	assert_true(history_last(h) == history_at(h, 4));
	assert_int_equal(history_tail(h, 3, tail), 3);
	assert_true(tail[0].total_ms == 19 && tail[1].total_ms == 20 && tail[2].total_ms == 21);
	assert_int_equal(history_tail(h, 8, tail), 5);
	assert_true(tail[0].total_ms == 17 && tail[4].total_ms == 21);
	/* what left the ring is not in any window */
	assert_int_equal(history_stats(h, 2000, INFINITY, &st), 0);
	assert_int_equal(st.count, 5);
	assert_true(st.min == 17 && st.max == 21 && st.mean == 19);
	assert_close(st.p50, 19); /* a percentile is a bucket's middle */
	history_free(h);
}

static void test_time_windows_and_loss(void **state)
{
	struct history *h = history_new(100);
	struct history_stats st;

	/* one probe every 10 s from t=1000 to t=1290; every third one failed */
	for (int i = 0; i < 30; i++) {
		struct sample s = i % 3 == 2 ? failed_sample(1000 + 10 * i) : ok_sample(1000 + 10 * i, 50);

		history_push(h, &s);
	}
	/* the last minute: (1230, 1290] is 6 probes, 2 of them failed */
	assert_int_equal(history_stats(h, 1290, 60, &st), 0);
	assert_int_equal(st.count, 6);
	assert_int_equal(st.failures, 2);
	assert_true(fabs(st.loss - 2.0 / 6.0) < 1e-12);
	assert_int_equal(st.ok_count, 4);
	assert_true(st.p50 == 50 && st.max == 50); /* the 10 s timeouts do not count as latency */
	/* a window in the past leaves out what came after it */
	assert_int_equal(history_stats(h, 1045, 30, &st), 0);
	assert_int_equal(st.count, 3); /* 1020, 1030, 1040 */
	/* before the first record, after the last */
	assert_int_equal(history_stats(h, 999, 3600, &st), 0);
	assert_int_equal(st.count, 0);
	assert_int_equal(history_stats(h, 5000, 60, &st), 0);
	assert_int_equal(st.count, 0);
	/* no window: everything up to now */
	assert_int_equal(history_stats(h, 1045, 0, &st), 0);
	assert_int_equal(st.count, 5);
	assert_int_equal(history_stats(h, 1290, -60, &st), 0);
	assert_int_equal(st.count, 30);
	assert_int_equal(history_stats(h, 5000, INFINITY, &st), 0);
	assert_int_equal(st.count, 30);
	assert_int_equal(st.failures, 10);
	assert_int_equal(history_stats_last(h, 4, &st), 0);
	assert_int_equal(st.count, 4); /* 1260 .. 1290: 1260 and 1290 failed */
	assert_int_equal(st.failures, 2);
	assert_int_equal(history_stats_last(h, 1000, &st), 0);
	assert_int_equal(st.count, 30);
	history_free(h);
}

/* Checks many windows of a history against the sorted reference. */
static void check_windows(const struct history *h, double now)
{
	static const double windows[] = { 0, 1, 60, 300, 3599, 3600, 6 * 3600, 86400 - 5, 86400, INFINITY };
	static const size_t lasts[] = { 1, 2, 30, 257, 1000, 1440, 1441, 5000, 8639, 8640, 9000 };
	size_t count = history_count(h);
	struct history_stats st;
	struct reference ref;

	for (size_t w = 0; w < sizeof windows / sizeof *windows; w++) {
		/* windows ending at the newest record, and ending earlier */
		for (int back = 0; back < 3; back++) {
			double end = now - back * 7000.0;
			size_t lo = 0, hi = 0;

			for (size_t i = 0; i < count; i++) {
				double t = history_record_t(history_at(h, i));

				if (windows[w] > 0 && t <= end - windows[w])
					lo = i + 1;
				if (t <= end)
					hi = i + 1;
			}
			if (lo > hi)
				lo = hi;
			assert_int_equal(history_stats(h, end, windows[w], &st), 0);
			reference_stats(h, lo, hi, HISTORY_TOTAL, &ref);
			assert_matches(&st, &ref);
		}
	}
	for (size_t k = 0; k < sizeof lasts / sizeof *lasts; k++) {
		size_t n = lasts[k] < count ? lasts[k] : count;

		assert_int_equal(history_stats_last(h, lasts[k], &st), 0);
		reference_stats(h, count - n, count, HISTORY_TOTAL, &ref);
		assert_matches(&st, &ref);
	}
}

static void fill_random(struct history *h, size_t n, double t0)
{
	for (size_t i = 0; i < n; i++) {
		double t = t0 + 10.0 * (double)i + rnd();
		struct sample s = rnd() < 0.05 ? failed_sample(t) : ok_sample(t, rnd_latency());

		if (s.ok && rnd() < 0.2) {
			s.reused = true;
			s.dns_ms = s.connect_ms = s.tls_ms = 0;
		}
		if (s.ok && rnd() < 0.01)
			s.total_ms = -1; /* ok, but no total measured */
		history_push(h, &s);
	}
}

static void test_percentiles_against_sort(void **state)
{
	struct history *h = history_new(HISTORY_DEFAULT_CAPACITY);
	double t0 = 1.7e9;

	rng_state = 42;
	/* filling up, then wrapped more than twice, checked at uneven points */
	fill_random(h, 700, t0);
	check_windows(h, t0 + 7000);
	fill_random(h, 4000, t0 + 7000);
	check_windows(h, t0 + 47000);
	fill_random(h, 5000, t0 + 47000);
	assert_int_equal(history_count(h), 8640);
	check_windows(h, t0 + 97000);
	for (int step = 0; step < 7; step++) {
		double start = t0 + 97000 + step * 23130.0;

		fill_random(h, 2313, start);
		check_windows(h, start + 23130);
	}
	history_free(h);
}

static void test_percentiles_small_ring(void **state)
{
	struct history *h = history_new(500);

	rng_state = 7;
	fill_random(h, 1234, 1000);
	assert_int_equal(history_count(h), 500);
	check_windows(h, 1000 + 12340);
	history_free(h);

	/* a capacity that is no multiple of its slices */
	h = history_new(1031);
	fill_random(h, 3001, 1000);
	assert_int_equal(history_count(h), 1031);
	for (int i = 0; i < 40; i++) {
		fill_random(h, 37, 1000 + 30010 + 370.0 * i);
		check_windows(h, 1000 + 30010 + 370.0 * (i + 1));
	}
	history_free(h);
}

static void test_tiny_and_huge_latencies(void **state)
{
	struct history *h = history_new(64);
	static const double v[] = { 0.001, 0.02, 0.05, 0.0625, 0.07, 2e6, 3e6 };
	struct history_stats st;

	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		struct sample s = ok_sample(100 + (double)i, v[i]);

		history_push(h, &s);
	}
	assert_int_equal(history_stats(h, 200, INFINITY, &st), 0);
	assert_true(st.min == (float)0.001);
	assert_true(st.max == (float)3e6);
	/* p50 is the 4th value, 0.0625, in a regular bucket */
	assert_true(fabs(st.p50 - 0.0625) <= 0.0625 * REL_ERR);
	/* above 2^20 ms the figure is the max */
	assert_true(st.p99 == (float)3e6);
	history_free(h);

	h = history_new(64);
	for (int i = 0; i < 10; i++) {
		struct sample s = ok_sample(100 + i, 0.001 * (i + 1));

		history_push(h, &s);
	}
	assert_int_equal(history_stats(h, 200, INFINITY, &st), 0);
	assert_true(fabs(st.p50 - 0.005) <= 0.032);
	assert_true(st.p50 >= st.min && st.p99 <= st.max);
	history_free(h);
}

static void test_phase_stats(void **state)
{
	struct history *h = history_new(3000);
	struct history_summary sum;
	struct reference ref;
	size_t count;

	rng_state = 99;
	fill_random(h, 4000, 1e9);
	count = history_count(h);
	for (int p = 0; p < HISTORY_NPHASES; p++) {
		assert_int_equal(history_phase_stats(h, 1e9 + 40000, INFINITY, (enum history_phase)p, &sum), 0);
		reference_stats(h, 0, count, p, &ref);
		assert_summary_matches(&sum, &ref);
		assert_int_equal(history_phase_stats_last(h, 333, (enum history_phase)p, &sum), 0);
		reference_stats(h, count - 333, count, p, &ref);
		assert_summary_matches(&sum, &ref);
	}
	/* reused connections did not measure DNS: fewer DNS values than totals */
	assert_int_equal(history_phase_stats_last(h, count, HISTORY_DNS, &sum), 0);
	{
		struct history_summary total;

		assert_int_equal(history_phase_stats_last(h, count, HISTORY_TOTAL, &total), 0);
		assert_true(sum.n < total.n * 9 / 10);
		assert_true(sum.min > 0); /* the zeros of reused connections are not in it */
	}
	history_free(h);
}

static void test_baseline_and_recent_median(void **state)
{
	struct history *h = history_new(100);
	struct sample s;

	for (int i = 1; i <= 40; i++) {
		s = ok_sample(i, i);
		history_push(h, &s);
		/* four samples are no baseline yet */
		if (i == 4)
			assert_true(history_baseline_ms(h) == 0);
		if (i == 5)
			assert_true(history_baseline_ms(h) == 3);
	}
	/* the last 30 successes are 11..40 */
	assert_true(history_baseline_ms(h) == 25.5);
	assert_true(history_recent_median_ms(h, 5) == 38);
	assert_true(history_recent_median_ms(h, 4) == 38.5);
	assert_true(history_recent_median_ms(h, 1) == 40);
	assert_true(history_recent_median_ms(h, 1000) == 20.5);
	/* failures in between do not count, nor move the baseline */
	for (int i = 0; i < 3; i++) {
		s = failed_sample(50 + i);
		history_push(h, &s);
	}
	assert_true(history_recent_median_ms(h, 3) == 39);
	assert_true(history_baseline_ms(h) == 25.5);
	/* a slow spell shows in the recent median first */
	for (int i = 0; i < 5; i++) {
		s = ok_sample(60 + i, 500);
		history_push(h, &s);
	}
	assert_true(history_recent_median_ms(h, 5) == 500);
	assert_true(history_baseline_ms(h) == 30.5); /* 16..40 and five of 500 */
	/* a long outage pushes every success out of the ring; the baseline stays */
	for (int i = 0; i < 250; i++) {
		s = failed_sample(100 + i);
		history_push(h, &s);
	}
	assert_true(history_recent_median_ms(h, 5) == 0);
	assert_true(history_baseline_ms(h) == 30.5);
	history_free(h);
}

static void test_recent_median_many(void **state)
{
	struct history *h = history_new(1000);
	struct sample s;

	/* more values than the median's stack buffer holds */
	for (int i = 0; i < 1000; i++) {
		s = ok_sample(i, (i * 7919) % 1000);
		history_push(h, &s);
	}
	assert_true(history_recent_median_ms(h, 1000) == 499.5);
	assert_true(history_recent_median_ms(h, 999) == 500); /* 0 (the first) is left out */
	history_free(h);
}

static void test_compact_old_records(void **state)
{
	struct history *h = history_new(2000);
	double t = 1.7e9;

	/* regular probes, a suspend of 20 h, a clock step back of an hour */
	for (int i = 0; i < 3000; i++) {
		struct sample s = ok_sample(t + 0.5, 10.0 + i * 0.37);

		/* every other block of 64 sees more distinct statuses than a block's palette holds */
		s.http_status = i / 64 % 2 == 0 ? 200 + i % 7 : 200;
		history_push(h, &s);
		t += i == 1500 ? 72000 : i == 1700 ? -3600 : 10;
	}
	assert_int_equal(history_count(h), 2000);
	t = 1.7e9;
	for (int i = 0; i < 3000; i++) {
		if (i >= 1000) {
			const struct history_record *r = history_at(h, (size_t)(i - 1000));
			double want = 10.0 + i * 0.37;
			bool whole = i >= 3000 - HISTORY_DETAIL;

			assert_non_null(r);
			/* old records keep the second, whole ones the millisecond */
			assert_true(history_record_t(r) == (whole ? t + 0.5 : t));
			/* the total to 12 significant bits, in old and whole records alike */
			assert_true(fabs(r->total_ms - want) <= want / 4096);
			assert_true(r->ok && r->outcome == OUTCOME_OK);
			assert_int_equal(r->http_status, i / 64 % 2 == 0 ? 200 + i % 7 : 200);
			assert_true(whole ? r->dns_ms > 0 : r->dns_ms < 0);
		}
		t += i == 1500 ? 72000 : i == 1700 ? -3600 : 10;
	}
	/* the last ten minutes, after the step back, are found by time */
	{
		struct history_stats st;

		assert_int_equal(history_stats(h, history_record_t(history_last(h)), 600, &st), 0);
		assert_int_equal(st.count, 60);
		assert_int_equal(history_stats(h, t, INFINITY, &st), 0);
		assert_int_equal(st.count, 2000);
	}
	history_free(h);
}

/* Uptime as measured: the share of probes passed in a window the history
 * covers; none for a window longer than what was watched. */
static void test_uptime(void **state)
{
	struct history *h = history_new(10000);
	double t0 = 1.7e9, r = -1;

	(void)state;
	assert_int_equal(history_uptime(h, t0, 3600, &r), -ENODATA);
	/* two hours at one probe a minute, 3 failures in the last hour */
	for (int i = 0; i < 120; i++) {
		struct sample s = i == 70 || i == 80 || i == 90 ? failed_sample(t0 + 60.0 * i)
								   : ok_sample(t0 + 60.0 * i, 100);

		history_push(h, &s);
		sample_done(&s);
	}
	assert_int_equal(history_uptime(h, t0 + 7200, 3600, &r), 0);
	assert_true(fabs(r - 56.0 / 59.0) < 1e-9); /* the records after the hour began */
	/* the history does not reach back a day, nor a week */
	assert_int_equal(history_uptime(h, t0 + 7200, 86400, &r), -ENODATA);
	assert_int_equal(history_uptime(h, t0 + 7200, 7 * 86400, &r), -ENODATA);
	/* the whole two hours: the 119 records after the first, 3 failed */
	assert_int_equal(history_uptime(h, t0 + 7200, 7200, &r), 0);
	assert_true(fabs(r - 116.0 / 119.0) < 1e-9);
	assert_string_equal(history_uptime_windows[0].name, "1h");
	assert_true(history_uptime_windows[2].seconds == 7 * 86400);
	history_free(h);
}

/* Past the ring: a week at one probe a minute in a ring of a day, with a
 * 2-hour outage three days ago; the 7-day uptime comes from the hourly tally
 * and the 24-hour one from the ring, both as counted. */
static void test_uptime_past_the_ring(void **state)
{
	struct history *h = history_new(1441);
	struct history_hour hours[HISTORY_HOURS];
	double t0 = 1700000000.0 - fmod(1700000000.0, 3600.0), now = t0 + 7 * 86400.0, r = -1;
	int n = 7 * 24 * 60, down_from = 4 * 24 * 60, down_to = down_from + 120;
	size_t nh;

	(void)state;
	for (int i = 0; i < n; i++) {
		struct sample s = i >= down_from && i < down_to ? failed_sample(t0 + 60.0 * i + 30)
								: ok_sample(t0 + 60.0 * i + 30, 80);

		history_push(h, &s);
		sample_done(&s);
	}
	assert_int_equal(history_uptime(h, now, 7 * 86400, &r), 0);
	assert_true(fabs(r - (double)(n - 120) / n) < 1e-9);
	assert_int_equal(history_uptime(h, now, 86400, &r), 0);
	assert_true(r == 1.0);
	/* the tally: a week of hours, 60 probes each, the outage's two failed */
	nh = history_hours(h, hours);
	assert_int_equal(nh, 7 * 24);
	assert_true(hours[0].hour == (uint32_t)(t0 / 3600));
	assert_int_equal(hours[96].failures, 60);
	assert_int_equal(hours[97].failures, 60);
	assert_int_equal(hours[98].failures, 0);
	assert_int_equal(hours[nh - 1].count, 60);

	/* a history restored from those hours tells the same week */
	struct history *back = history_new(1441);

	for (size_t i = 0; i < nh; i++)
		history_add_hour(back, hours[i].hour, hours[i].count, hours[i].failures);
	assert_int_equal(history_uptime(back, now, 7 * 86400, &r), 0);
	assert_true(fabs(r - (double)(n - 120) / n) < 1e-9);
	/* a window starting mid-hour counts that hour in proportion: from
	 * 30 minutes into the outage's first hour, 30 + 60 failures of 150 */
	assert_int_equal(history_uptime(back, t0 + 98 * 3600.0, 1.5 * 3600, &r), 0);
	assert_true(fabs(r - 60.0 / 150.0) < 1e-9);
	/* nothing beyond a week, and an hour older than the tally is dropped */
	assert_int_equal(history_uptime(back, now, 14 * 86400, &r), -ENODATA);
	history_add_hour(back, hours[0].hour - HISTORY_HOURS, 5, 5);
	assert_int_equal(history_hours(back, hours), nh);
	history_free(back);
	history_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_is_compact),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_record_keeps_the_sample),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_time_windows_and_loss),
		cmocka_unit_test(test_percentiles_against_sort),
		cmocka_unit_test(test_percentiles_small_ring),
		cmocka_unit_test(test_tiny_and_huge_latencies),
		cmocka_unit_test(test_phase_stats),
		cmocka_unit_test(test_baseline_and_recent_median),
		cmocka_unit_test(test_recent_median_many),
		cmocka_unit_test(test_compact_old_records),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_uptime_past_the_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
