/* history.c: a ring of compact sample records per target.
 *
 * The history owns its ring and a scratch array as large as the ring, used to
 * select percentiles without sorting; the scratch is why the query functions
 * take a const history yet write: it is a cache, not state. */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct history {
	struct history_record *ring;
	size_t cap, head, count; /* head: where the next record goes */
	float *scratch;
};

struct history *history_new(size_t capacity)
{
	struct history *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->cap = capacity ? capacity : 1;
	h->ring = calloc(h->cap, sizeof(*h->ring));
	h->scratch = calloc(h->cap, sizeof(*h->scratch));
	if (!h->ring || !h->scratch) {
		history_free(h);
		return NULL;
	}
	return h;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	free(h->ring);
	free(h->scratch);
	free(h);
}

static float ms_or_absent(double v)
{
	return v >= 0 ? (float)v : -1.0f;
}

void history_push(struct history *h, const struct sample *s)
{
	struct history_record *r = &h->ring[h->head];

	r->t = s->t;
	r->ok = s->ok;
	r->outcome = (uint8_t)s->outcome;
	r->http_status = s->http_status > 0 && s->http_status < 65536 ? (uint16_t)s->http_status : 0;
	r->total_ms = s->ok ? ms_or_absent(s->total_ms) : -1.0f;
	r->dns_ms = ms_or_absent(s->dns_ms);
	r->connect_ms = ms_or_absent(s->connect_ms);
	r->tls_ms = ms_or_absent(s->tls_ms);
	r->ttfb_ms = ms_or_absent(s->ttfb_ms);
	h->head = (h->head + 1) % h->cap;
	if (h->count < h->cap)
		h->count++;
}

size_t history_count(const struct history *h)
{
	return h->count;
}

size_t history_capacity(const struct history *h)
{
	return h->cap;
}

const struct history_record *history_at(const struct history *h, size_t i)
{
	if (i >= h->count)
		return NULL;
	return &h->ring[(h->head + h->cap - h->count + i) % h->cap];
}

const struct history_record *history_last(const struct history *h)
{
	return h->count ? history_at(h, h->count - 1) : NULL;
}

static void swap(float *a, float *b)
{
	float t = *a;

	*a = *b;
	*b = t;
}

/* Wirth's selection: afterwards v[k] is the k-th smallest. */
static float select_kth(float *v, size_t n, size_t k)
{
	long l = 0, m = (long)n - 1, kk = (long)k;

	while (l < m) {
		float x = v[kk];
		long i = l, j = m;

		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				swap(&v[i], &v[j]);
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return v[k];
}

double history_percentile(float *values, size_t n, double p)
{
	double rank;
	size_t k;

	if (n == 0)
		return 0;
	/* Nearest rank: the smallest value with at least p% of values at or below it. */
	rank = ceil(p / 100.0 * (double)n);
	k = rank < 1 ? 0 : (size_t)rank - 1;
	if (k >= n)
		k = n - 1;
	return select_kth(values, n, k);
}

static void stats_from(const struct history *h, size_t first, size_t count, double since,
		       struct history_stats *out)
{
	size_t n = 0;
	double sum = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = first; i < first + count; i++) {
		const struct history_record *r = history_at(h, i);

		if (r->t <= since)
			continue;
		out->count++;
		if (!r->ok) {
			out->failures++;
			continue;
		}
		if (r->total_ms < 0)
			continue;
		h->scratch[n++] = r->total_ms;
		sum += r->total_ms;
		if (n == 1 || r->total_ms < out->min)
			out->min = r->total_ms;
		if (r->total_ms > out->max)
			out->max = r->total_ms;
	}
	out->ok_count = n;
	out->loss = out->count ? (double)out->failures / (double)out->count : 0;
	if (n == 0)
		return;
	out->mean = sum / (double)n;
	/* Each selection leaves the array partitioned, which only helps the next. */
	out->p50 = history_percentile(h->scratch, n, 50);
	out->p95 = history_percentile(h->scratch, n, 95);
	out->p99 = history_percentile(h->scratch, n, 99);
}

int history_stats(const struct history *h, double now, double window_s, struct history_stats *out)
{
	size_t first = 0;
	double since = window_s > 0 ? now - window_s : -INFINITY;

	/* Records are in time order: skip the old ones by bisection. */
	if (window_s > 0) {
		size_t lo = 0, hi = h->count;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (history_at(h, mid)->t <= since)
				lo = mid + 1;
			else
				hi = mid;
		}
		first = lo;
	}
	stats_from(h, first, h->count - first, since, out);
	return 0;
}

int history_stats_last(const struct history *h, size_t n, struct history_stats *out)
{
	if (n > h->count)
		n = h->count;
	stats_from(h, h->count - n, n, -INFINITY, out);
	return 0;
}

double history_recent_median_ms(const struct history *h, size_t n)
{
	size_t got = 0;

	for (size_t i = h->count; i-- > 0 && got < n;) {
		const struct history_record *r = history_at(h, i);

		if (r->ok && r->total_ms >= 0)
			h->scratch[got++] = r->total_ms;
	}
	return got ? history_percentile(h->scratch, got, 50) : 0;
}

double history_baseline_ms(const struct history *h)
{
	size_t got = 0;

	for (size_t i = h->count; i-- > 0 && got < HISTORY_BASELINE_N;) {
		const struct history_record *r = history_at(h, i);

		if (r->ok && r->total_ms >= 0)
			h->scratch[got++] = r->total_ms;
	}
	return got >= 5 ? history_percentile(h->scratch, got, 50) : 0;
}
