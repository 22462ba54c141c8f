/* Tests for history.c: the ring, windows and percentiles against a sorted
 * reference. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

static struct sample ok_sample(double t, double ms)
{
	struct sample s;

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.ok = true;
	s.total_ms = ms;
	s.dns_ms = s.connect_ms = s.tls_ms = s.ttfb_ms = -1;
	s.http_status = 200;
	return s;
}

static struct sample failed_sample(double t)
{
	struct sample s = ok_sample(t, -1);

	s.ok = false;
	s.outcome = OUTCOME_TIMEOUT;
	s.http_status = 0;
	return s;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

static double reference(float *v, size_t n, double p)
{
	double rank = p / 100.0 * (double)n;
	size_t k = rank <= 1 ? 0 : (size_t)(rank + 0.999999999) - 1;

	qsort(v, n, sizeof(*v), cmp_float);
	return v[k < n ? k : n - 1];
}

static void test_record_is_compact(void **state)
{
	assert_int_equal(sizeof(struct history_record), 32);
}

static void test_percentiles_match_sorted_reference(void **state)
{
	srand(7);
	for (int round = 0; round < 50; round++) {
		size_t n = 1 + (size_t)(rand() % 700);
		struct history *h = history_new(1000);
		float *ref = malloc(n * sizeof(*ref));
		struct history_stats st;

		for (size_t i = 0; i < n; i++) {
			/* Integers in a small range: many ties, the hard case for selection. */
			float v = (float)(rand() % 97);
			struct sample s = ok_sample((double)i, v);

			ref[i] = v;
			history_push(h, &s);
		}
		assert_int_equal(history_stats(h, (double)n, 0, &st), 0);
		assert_int_equal(st.count, n);
		assert_float_equal(st.p50, reference(ref, n, 50), 1e-6);
		assert_float_equal(st.p95, reference(ref, n, 95), 1e-6);
		assert_float_equal(st.p99, reference(ref, n, 99), 1e-6);
		assert_float_equal(st.min, ref[0], 1e-6);
		assert_float_equal(st.max, ref[n - 1], 1e-6);
		free(ref);
		history_free(h);
	}
}

static void test_ring_keeps_newest(void **state)
{
	struct history *h = history_new(10);

	for (int i = 0; i < 25; i++) {
		struct sample s = ok_sample(i, i);

		history_push(h, &s);
	}
	assert_int_equal(history_count(h), 10);
	assert_float_equal(history_at(h, 0)->t, 15, 0);
	assert_float_equal(history_last(h)->t, 24, 0);
	assert_null(history_at(h, 10));
	history_free(h);
}

static void test_window_and_loss(void **state)
{
	struct history *h = history_new(100);
	struct history_stats st;

	for (int i = 0; i < 60; i++) {
		struct sample s = i % 4 == 0 ? failed_sample(i) : ok_sample(i, 100 + i);

		history_push(h, &s);
	}
	/* The last 20 s: t in (39, 59] */
	assert_int_equal(history_stats(h, 59, 20, &st), 0);
	assert_int_equal(st.count, 20);
	assert_int_equal(st.failures, 5);
	assert_float_equal(st.loss, 0.25, 1e-9);
	assert_float_equal(st.min, 141, 1e-6);
	assert_float_equal(st.max, 159, 1e-6);
	history_free(h);
}

static void test_empty_history(void **state)
{
	struct history *h = history_new(5);
	struct history_stats st;

	assert_int_equal(history_stats(h, 100, 60, &st), 0);
	assert_int_equal(st.count, 0);
	assert_float_equal(st.loss, 0, 0);
	assert_float_equal(history_baseline_ms(h), 0, 0);
	assert_float_equal(history_recent_median_ms(h, 5), 0, 0);
	assert_null(history_last(h));
	history_free(h);
}

static void test_baseline_needs_five_successes(void **state)
{
	struct history *h = history_new(100);

	for (int i = 0; i < 4; i++) {
		struct sample s = ok_sample(i, 10);

		history_push(h, &s);
	}
	assert_float_equal(history_baseline_ms(h), 0, 0);
	for (int i = 4; i < 40; i++) {
		struct sample s = ok_sample(i, i < 20 ? 10 : 50);

		history_push(h, &s);
	}
	/* The newest 30 successes: 10 of 10 ms, 20 of 50 ms. */
	assert_float_equal(history_baseline_ms(h), 50, 1e-6);
	assert_float_equal(history_recent_median_ms(h, 3), 50, 1e-6);
	history_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_is_compact),
		cmocka_unit_test(test_percentiles_match_sorted_reference),
		cmocka_unit_test(test_ring_keeps_newest),
		cmocka_unit_test(test_window_and_loss),
		cmocka_unit_test(test_empty_history),
		cmocka_unit_test(test_baseline_needs_five_successes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
