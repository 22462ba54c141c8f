/* history_stats.c: statistics of a target's history over a window: counts,
 * loss, and percentiles from a log-linear histogram (struct acc), from the
 * suffix summaries for long windows or a direct scan for short ones; the
 * baseline and recent medians; and a memo of the last answers, since the views
 * ask the same on every frame (see history.c for the storage). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history_internal.h"

static double bucket_middle(unsigned b)
{
	if (b == 0)
		return ldexp(1.0, EXP_MIN - 1);
	if (b == NBUCKETS - 1)
		return INFINITY; /* clamped to the max by the caller */
	b -= 1;
	return ldexp(1.0 + (b % SUB + 0.5) / SUB, EXP_MIN + (int)(b / SUB));
}

static void acc_summary(const struct acc *a, struct history_summary *out)
{
	static const unsigned permille[3] = { 500, 950, 990 };
	double *dst[3] = { &out->p50, &out->p95, &out->p99 };
	size_t cum = 0;
	unsigned b = 0;

	out->n = a->n;
	if (a->n == 0) {
		out->min = out->p50 = out->p95 = out->p99 = out->max = out->mean = 0;
		return;
	}
	out->min = a->min;
	out->max = a->max;
	out->mean = a->sum / (double)a->n;
	/* one walk up the buckets for the three ranks, in increasing order */
	for (int i = 0; i < 3; i++) {
		size_t rank = (a->n * permille[i] + 999) / 1000;
		double v;

		while (cum + a->hist[b] < rank)
			cum += a->hist[b++];
		v = bucket_middle(b);
		*dst[i] = v < a->min ? a->min : v > a->max ? a->max : v;
	}
}

/* The first index whose time is after t, by binary search. */
static size_t first_after(const struct history *h, double t)
{
	size_t lo = 0, hi = history_count(h);
	uint64_t oldest = hist_oldest_seq(h);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (hist_time_at(h, oldest + mid) > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int time_range(const struct history *h, double now, double window_s, size_t *lo, size_t *hi)
{
	double from;

	if (h == NULL || isnan(now) || isnan(window_s))
		return -EINVAL;
	from = window_s <= 0 || isinf(window_s) ? -INFINITY : now - window_s;
	*hi = first_after(h, now);
	*lo = first_after(h, from);
	if (*lo > *hi)
		*lo = *hi;
	return 0;
}

static void acc_from_suffix(const struct history *h, const struct suffix *x, struct acc *a)
{
	a->count = x->count;
	a->failures = x->failures;
	a->n = x->n;
	a->sum = x->sum;
	a->min = x->min;
	a->max = x->max;
	for (size_t b = 0; b < NBUCKETS; b++)
		a->hist[b] = h->wide ? ((const uint32_t *)x->hist)[b] : ((const uint16_t *)x->hist)[b];
}

/* Fills a with the records [lo, hi), from a suffix where one helps. */
static void acc_range(const struct history *h, size_t lo, size_t hi, struct acc *a)
{
	uint64_t first = hist_oldest_seq(h) + lo, end = hist_oldest_seq(h) + hi;

	hist_acc_clear(a);
	if (h->slice != 0 && hi == history_count(h) && hi - lo > SCAN_DIRECT_MAX &&
	    (h->suffix != NULL || hist_suffix_activate((struct history *)h))) { /* see suffix_activate */
		uint64_t b = (first + h->slice - 1) / h->slice * h->slice;
		const struct suffix *x = &h->suffix[b / h->slice % h->nsuffix];

		if (b < end && x->start == b) {
			acc_from_suffix(h, x, a);
			end = b;
		}
	}
	for (uint64_t s = first; s < end; s++) {
		bool ok;
		float total;

		hist_ok_total(h, s, &ok, &total);
		hist_acc_add(a, ok, total);
	}
}

static int stats_range(const struct history *h, size_t lo, size_t hi, struct history_stats *out)
{
	struct history_summary sum;
	struct acc *a;

	a = malloc(sizeof *a);
	if (a == NULL)
		return -ENOMEM;
	acc_range(h, lo, hi, a);
	acc_summary(a, &sum);
	out->count = a->count;
	out->failures = a->failures;
	out->loss = a->count != 0 ? (double)a->failures / (double)a->count : 0.0;
	out->ok_count = sum.n;
	out->min = sum.min;
	out->p50 = sum.p50;
	out->p95 = sum.p95;
	out->p99 = sum.p99;
	out->max = sum.max;
	out->mean = sum.mean;
	free(a);
	return 0;
}

int history_stats(const struct history *h, double now, double window_s, struct history_stats *out)
{
	struct history *memo = (struct history *)h; /* see the top: a cache */
	size_t lo, hi;
	int rc;

	if (out == NULL)
		return -EINVAL;
	rc = time_range(h, now, window_s, &lo, &hi);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < STATS_MEMO_N; i++) {
		const struct stats_memo *m = &h->stats_memo[i];

		if (m->pushed != 0 && m->pushed == h->pushed && m->lo == lo && m->hi == hi) {
			*out = m->st;
			return 0;
		}
	}
	rc = stats_range(h, lo, hi, out);
	if (rc == 0 && h->pushed != 0) {
		struct stats_memo *m = &memo->stats_memo[memo->stats_memo_next++ % STATS_MEMO_N];

		m->pushed = h->pushed;
		m->lo = lo;
		m->hi = hi;
		m->st = *out;
	}
	return rc;
}

int history_stats_last(const struct history *h, size_t n, struct history_stats *out)
{
	size_t count = history_count(h);

	if (h == NULL || out == NULL)
		return -EINVAL;
	return stats_range(h, n < count ? count - n : 0, count, out);
}

static int phase_range(const struct history *h, size_t lo, size_t hi, enum history_phase p,
	struct history_summary *out)
{
	struct acc *a;

	if ((unsigned)p >= HISTORY_NPHASES)
		return -EINVAL;
	a = malloc(sizeof *a);
	if (a == NULL)
		return -ENOMEM;
	hist_acc_clear(a);
	/* only whole records have phase timings other than the total */
	if (p != HISTORY_TOTAL && h->blk != NULL && history_count(h) > h->dcap && lo < history_count(h) - h->dcap)
		lo = history_count(h) - h->dcap;
	for (size_t i = lo; i < hi; i++) {
		const struct history_record *r = history_at(h, i);

		if (hist_phase_counts(r, p))
			hist_acc_add_value(a, history_record_ms(r, p));
	}
	acc_summary(a, out);
	free(a);
	return 0;
}

int history_phase_stats(const struct history *h, double now, double window_s,
	enum history_phase phase, struct history_summary *out)
{
	size_t lo, hi;
	int rc;

	if (out == NULL)
		return -EINVAL;
	rc = time_range(h, now, window_s, &lo, &hi);
	if (rc < 0)
		return rc;
	return phase_range(h, lo, hi, phase, out);
}

int history_phase_stats_last(const struct history *h, size_t n, enum history_phase phase,
	struct history_summary *out)
{
	size_t count = history_count(h);

	if (h == NULL || out == NULL)
		return -EINVAL;
	return phase_range(h, n < count ? count - n : 0, count, phase, out);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

static double median_of(float *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_float);
	if (n % 2 == 1)
		return v[n / 2];
	return ((double)v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double history_baseline_ms(const struct history *h)
{
	float v[HISTORY_BASELINE_N];

	if (h == NULL || h->base_n < HISTORY_BASELINE_MIN)
		return 0;
	memcpy(v, h->base, h->base_n * sizeof *v);
	return median_of(v, h->base_n);
}

double history_recent_median_ms(const struct history *h, size_t n)
{
	float small[64], *v = small;
	size_t count = history_count(h), got = 0;
	double m;

	if (n > count)
		n = count;
	if (n == 0)
		return 0;
	if (h->median_memo.pushed == h->pushed && h->median_memo.n == n)
		return h->median_memo.ms;
	if (n > sizeof small / sizeof *small) {
		v = malloc(n * sizeof *v);
		if (v == NULL)
			return 0;
	}
	for (size_t i = count; i-- > 0 && got < n;) {
		bool ok;
		float total;

		hist_ok_total(h, hist_oldest_seq(h) + i, &ok, &total);
		if (ok && total >= 0)
			v[got++] = total;
	}
	m = median_of(v, got);
	if (v != small)
		free(v);
	/* see the top: a cache, not the value */
	((struct history *)h)->median_memo.pushed = h->pushed;
	((struct history *)h)->median_memo.n = n;
	((struct history *)h)->median_memo.ms = m;
	return m;
}
