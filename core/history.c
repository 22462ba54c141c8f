/* history.c: a ring of compact sample records per target, and its statistics.
 *
 * struct history is owned by whoever monitors the target (one per target); it
 * owns its storage and summaries. history_push is called from the probe's
 * completion callback; the views, the assessment and the report only read it.
 *
 * Storage. A day of records for a hundred targets at 32 bytes each was 27 MB,
 * most of a monitor's memory, for phase timings nobody looks at after an hour.
 * So a ring above HISTORY_DETAIL records keeps each record in about 3.7
 * bytes, in blocks of BLOCK records (a block per BLOCK sequence numbers, in a
 * ring of blocks one longer than the records need, so that the oldest
 * record's block is never the one being written, each allocated when first
 * written): the total time as a 16-bit float, the time as whole seconds after
 * the record before, and the flags as an index into the block's palette of
 * PALETTE values; a block where a step does not fit a byte (a clock step, a
 * long suspend) or with more distinct flags gets one struct overflow holding
 * every record's whole seconds or flags. Beside it the newest HISTORY_DETAIL
 * records are kept whole in a ring of struct history_record, with the same
 * rounded total, so a record reads the same before and after it leaves that ring, and the summaries below
 * agree with what history_at shows. An older record asked for by history_at
 * is decoded into a small direct-mapped cache keyed by its sequence number:
 * it and the suffixes below are the only things a query writes (a cache, not
 * the value), which is why a const history is cast for them.
 *
 * Statistics over a window are built in an accumulator (struct acc): counts,
 * sum, min, max and a log-linear histogram of total_ms. Scanning a window of
 * W records costs O(W) plus a walk of the histogram, which is cheap for short
 * windows but not for "the last 24 h" asked on every redraw. So a ring of a
 * large capacity is cut into SUFFIX_SLICES slices, and, from the first query
 * of a window longer than SCAN_DIRECT_MAX records, for each slice boundary
 * still in the ring a suffix accumulator holds everything from that boundary
 * to the newest record (its histogram in 16-bit counts where the ring is
 * short enough). A push adds its record to each live suffix; a window that
 * reaches the newest record starts from the first suffix inside it and scans
 * only the records before that boundary, at most one slice. A suffix is never
 * subtracted from: when the ring overwrites the record at its boundary it is
 * dead, and its slot is reused by the next boundary. Queries never sort.
 *
 * Windows that end before the newest record, and per-phase figures (asked for
 * the one target in a detail view), are scanned directly. */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* 64 linear sub-buckets per power of two: a bucket is at most 1/64 of its
 * lower bound wide, so its middle is within 1/128 (0.79 %) of any value in it. */
#define SUB_BITS 6
#define SUB (1u << SUB_BITS)
#define EXP_MIN (-4)   /* 0.0625 ms: below goes to bucket 0 */
#define EXP_MAX 20     /* 2^20 ms: from there on, the last bucket */
#define NBUCKETS (2 + (EXP_MAX - EXP_MIN) * SUB)

#define SUFFIX_SLICES 4
#define SUFFIX_MIN_CAPACITY 1024 /* below this, every window is scanned */
#define SCAN_DIRECT_MAX 1024     /* windows this short are scanned even so: a few us */
#define NO_SUFFIX UINT64_MAX

/* The 16-bit total: 0 is "not measured"; 1 .. Q_LINEAR + 1 are multiples of
 * 2^(Q_EMIN - Q_MANT) ms below 2^Q_EMIN ms; above, Q_MANT bits of mantissa
 * for Q_NEXP powers of two from 2^Q_EMIN ms (4 us to 70 min). */
#define Q_MANT 11
#define Q_EMIN (-8)
#define Q_LINEAR (1u << Q_MANT)
#define Q_LOG0 (Q_LINEAR + 2)
#define Q_NEXP 30
#define Q_MAX (Q_LOG0 + Q_NEXP * Q_LINEAR - 1)

#define BLOCK 128
#define PALETTE 4
#define STEP_MAX 254
#define FLAG_STATUS 0x3ffu
#define FLAG_OUTCOME_SHIFT 10
#define FLAG_OK 0x4000u
#define FLAG_REUSED 0x8000u

_Static_assert(OUTCOME_ERROR < 16, "an outcome no longer fits the 4 bits of a compact record");
_Static_assert(Q_MAX <= UINT16_MAX, "the 16-bit total does not fit");

struct acc {
	size_t count, failures, n;
	double sum, min, max;
	uint32_t hist[NBUCKETS];
};

struct suffix {
	uint64_t start;   /* sequence number of its first record, NO_SUFFIX when unused */
	size_t count, failures, n;
	double sum, min, max;
	void *hist;       /* NBUCKETS counts, uint16_t or uint32_t (h->wide) */
};

/* What a block rarely needs, in one allocation: each record's flags once it
 * has more distinct ones than its palette, each record's whole seconds once a
 * step did not fit. */
struct overflow {
	bool flags_set, times_set;
	uint16_t flags[BLOCK];
	uint32_t exact[BLOCK];
};

struct block {
	uint32_t base;          /* whole seconds of its first record */
	uint8_t npal;           /* distinct flags in pal */
	uint16_t pal[PALETTE];  /* the flags of its records, while PALETTE values do */
	uint8_t idx[BLOCK / 4]; /* 2 bits a record: its flags in pal */
	uint8_t step[BLOCK];    /* seconds after the record before it */
	uint16_t total[BLOCK];
	struct overflow *ov;    /* NULL until a block needs one */
};

struct decoded {
	uint64_t seq;
	struct history_record r;
};

#define STATS_MEMO_N 4 /* windows asked per frame: the status row, details, checklist */

struct history {
	size_t cap;
	uint64_t pushed;  /* records ever pushed */
	uint32_t last_t_s; /* whole seconds of the newest record */
	struct history_record *det; /* the newest dcap, the one at sequence s in det[s % dcap] */
	size_t dcap;
	struct block **blk;         /* NULL when dcap == cap; each allocated when first written */
	size_t nblk;
	struct decoded *cache;      /* HISTORY_DECODED, allocated on first use */
	size_t slice;     /* records per slice; 0 without suffixes */
	size_t nsuffix;
	bool wide;        /* suffix counts are 32-bit */
	struct suffix *suffix;
	float base[HISTORY_BASELINE_N]; /* last successes' total_ms, a ring */
	size_t base_n, base_pos;
	/* The last answers of history_stats and history_recent_median_ms: the views
	 * ask the same on every frame, and between two pushes the answer for the
	 * same records cannot change (a cache, not the value, as above). */
	struct stats_memo {
		uint64_t pushed; /* 0: empty (nothing is cached before the first push) */
		size_t lo, hi;
		struct history_stats st;
	} stats_memo[STATS_MEMO_N];
	unsigned stats_memo_next;
	struct {
		uint64_t pushed;
		size_t n;
		double ms;
	} median_memo;
};

static unsigned bucket_of(float v)
{
	uint32_t bits;
	int e;

	if (v < 0x1p-4f)
		return 0;
	memcpy(&bits, &v, sizeof bits);
	e = (int)(bits >> 23 & 0xff) - 127;
	if (e >= EXP_MAX)
		return NBUCKETS - 1;
	return 1 + (unsigned)(e - EXP_MIN) * SUB + (bits >> (23 - SUB_BITS) & (SUB - 1));
}

static double bucket_middle(unsigned b)
{
	if (b == 0)
		return ldexp(1.0, EXP_MIN - 1);
	if (b == NBUCKETS - 1)
		return INFINITY; /* clamped to the max by the caller */
	b -= 1;
	return ldexp(1.0 + (b % SUB + 0.5) / SUB, EXP_MIN + (int)(b / SUB));
}

static void acc_clear(struct acc *a)
{
	memset(a, 0, sizeof *a);
	a->min = INFINITY;
	a->max = -INFINITY;
}

static void acc_add_value(struct acc *a, float v)
{
	a->n++;
	a->sum += v;
	if (v < a->min)
		a->min = v;
	if (v > a->max)
		a->max = v;
	a->hist[bucket_of(v)]++;
}

static void acc_add(struct acc *a, bool ok, float total)
{
	a->count++;
	if (!ok)
		a->failures++;
	else if (total >= 0)
		acc_add_value(a, total);
}

static bool phase_counts(const struct history_record *r, enum history_phase p)
{
	if (!r->ok || history_record_ms(r, p) < 0)
		return false;
	/* curl reports 0 for what a reused connection skipped */
	return !(r->reused && (p == HISTORY_DNS || p == HISTORY_CONNECT || p == HISTORY_TLS));
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

/* ---- the 16-bit total ---------------------------------------------------- */

static uint16_t q_encode(float v)
{
	int e;
	double f;
	long mant;

	if (!(v >= 0))
		return 0;
	if (v < ldexp(1.0, Q_EMIN))
		return (uint16_t)(1 + lround(ldexp(v, Q_MANT - Q_EMIN)));
	f = frexp(v, &e); /* v = f * 2^e, f in [0.5, 1) */
	e -= 1;
	mant = lround((2 * f - 1) * Q_LINEAR);
	if (mant == (long)Q_LINEAR) {
		mant = 0;
		e++;
	}
	if (e - Q_EMIN >= Q_NEXP)
		return Q_MAX;
	return (uint16_t)(Q_LOG0 + (unsigned)(e - Q_EMIN) * Q_LINEAR + (unsigned)mant);
}

static float q_decode(uint16_t c)
{
	if (c == 0)
		return -1.0f;
	if (c < Q_LOG0)
		return ldexpf((float)(c - 1), Q_EMIN - Q_MANT);
	c -= Q_LOG0;
	return ldexpf(1.0f + (float)(c % Q_LINEAR) / Q_LINEAR, Q_EMIN + (int)(c / Q_LINEAR));
}

/* ---- storage -------------------------------------------------------------- */

size_t history_count(const struct history *h)
{
	if (h == NULL)
		return 0;
	return h->pushed < h->cap ? (size_t)h->pushed : h->cap;
}

size_t history_capacity(const struct history *h)
{
	return h != NULL ? h->cap : 0;
}

static uint64_t oldest_seq(const struct history *h)
{
	return h->pushed - history_count(h);
}

static bool is_detailed(const struct history *h, uint64_t seq)
{
	return h->blk == NULL || seq + h->dcap >= h->pushed;
}

static const struct block *block_of(const struct history *h, uint64_t seq)
{
	return h->blk[seq / BLOCK % h->nblk];
}

static uint16_t block_flags(const struct block *b, size_t i)
{
	if (b->ov != NULL && b->ov->flags_set)
		return b->ov->flags[i];
	return b->pal[b->idx[i / 4] >> (i % 4 * 2) & 3];
}

static uint32_t block_time(const struct block *b, size_t i)
{
	uint32_t t = b->base;

	if (b->ov != NULL && b->ov->times_set)
		return b->ov->exact[i];
	for (size_t k = 1; k <= i; k++)
		t += b->step[k];
	return t;
}

static void ok_total(const struct history *h, uint64_t seq, bool *ok, float *total)
{
	if (h->blk != NULL) {
		const struct block *b = block_of(h, seq);

		*ok = (block_flags(b, seq % BLOCK) & FLAG_OK) != 0;
		*total = q_decode(b->total[seq % BLOCK]);
	} else {
		const struct history_record *r = &h->det[seq % h->dcap];

		*ok = r->ok;
		*total = r->total_ms;
	}
}

static double time_at(const struct history *h, uint64_t seq)
{
	const struct block *b;

	if (is_detailed(h, seq))
		return history_record_t(&h->det[seq % h->dcap]);
	b = block_of(h, seq);
	return block_time(b, seq % BLOCK);
}

static const struct history_record *record_at_seq(const struct history *h, uint64_t seq)
{
	const struct block *b;
	struct decoded *d;
	uint16_t f;

	if (is_detailed(h, seq))
		return &h->det[seq % h->dcap];
	if (h->cache == NULL) {
		struct decoded *c = malloc(HISTORY_DECODED * sizeof *c);

		if (c == NULL)
			return NULL;
		for (size_t i = 0; i < HISTORY_DECODED; i++)
			c[i].seq = NO_SUFFIX;
		((struct history *)h)->cache = c; /* see the top: the cache is no part of the value */
	}
	d = &h->cache[seq % HISTORY_DECODED];
	if (d->seq == seq)
		return &d->r;
	b = block_of(h, seq);
	f = block_flags(b, seq % BLOCK);
	memset(&d->r, 0, sizeof d->r);
	d->seq = seq;
	d->r.t_s = (uint32_t)time_at(h, seq);
	d->r.http_status = f & FLAG_STATUS;
	d->r.outcome = (f >> FLAG_OUTCOME_SHIFT) & 0xf;
	d->r.ok = (f & FLAG_OK) != 0;
	d->r.reused = (f & FLAG_REUSED) != 0;
	d->r.total_ms = q_decode(b->total[seq % BLOCK]);
	d->r.dns_ms = d->r.connect_ms = d->r.tls_ms = d->r.ttfb_ms = d->r.transfer_ms = -1.0f;
	return &d->r;
}

const struct history_record *history_at(const struct history *h, size_t i)
{
	if (h == NULL || i >= history_count(h))
		return NULL;
	return record_at_seq(h, oldest_seq(h) + i);
}

const struct history_record *history_last(const struct history *h)
{
	return history_at(h, history_count(h) - 1);
}

struct history *history_new(size_t capacity)
{
	struct history *h;

	if (capacity == 0)
		capacity = HISTORY_DEFAULT_CAPACITY;
	if (capacity > SIZE_MAX / sizeof(struct block))
		return NULL;
	h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	h->cap = capacity;
	h->dcap = capacity < HISTORY_DETAIL ? capacity : HISTORY_DETAIL;
	h->det = malloc(h->dcap * sizeof *h->det);
	if (h->det == NULL)
		goto fail;
	if (h->dcap < capacity) {
		/* one block more than the records span, see the top */
		h->nblk = (capacity + BLOCK - 1) / BLOCK + 1;
		h->blk = calloc(h->nblk, sizeof *h->blk); /* a young history costs what it holds */
		if (h->blk == NULL)
			goto fail;
	}
	if (capacity >= SUFFIX_MIN_CAPACITY) {
		h->slice = (capacity + SUFFIX_SLICES - 1) / SUFFIX_SLICES;
		/* enough slots that the boundary a slot is reused for is always
		 * a full ring after the one it held, so that one is dead */
		h->nsuffix = (capacity + h->slice - 1) / h->slice;
		h->wide = capacity > UINT16_MAX;
	}
	return h;
fail:
	history_free(h);
	return NULL;
}

void history_free(struct history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; h->blk != NULL && i < h->nblk; i++)
		if (h->blk[i] != NULL) {
			free(h->blk[i]->ov);
			free(h->blk[i]);
		}
	free(h->blk);
	free(h->cache);
	free(h->suffix);
	free(h->det);
	free(h);
}

static float ms_of(double v)
{
	if (!(v >= 0))
		return -1.0f; /* did not happen, or NaN */
	if (v > 1e9)
		v = 1e9;
	return (float)v;
}

static void record_from_sample(struct history_record *r, const struct sample *s)
{
	double t = s->t, whole;
	long ms;

	if (!(t >= 0))
		t = 0;
	if (t > UINT32_MAX)
		t = UINT32_MAX;
	whole = floor(t);
	ms = lround((t - whole) * 1000.0);
	if (ms >= 1000) {
		if (whole < UINT32_MAX) {
			whole += 1;
			ms = 0;
		} else {
			ms = 999;
		}
	}
	memset(r, 0, sizeof *r);
	r->t_s = (uint32_t)whole;
	r->t_ms = (unsigned)ms;
	r->http_status = s->http_status > 0 && s->http_status <= 999 ? (unsigned)s->http_status : 0;
	r->outcome = (unsigned)s->outcome <= OUTCOME_ERROR ? (unsigned)s->outcome : OUTCOME_ERROR;
	r->ok = s->ok;
	r->reused = s->reused;
	r->total_ms = ms_of(s->total_ms);
	r->dns_ms = ms_of(s->dns_ms);
	r->connect_ms = ms_of(s->connect_ms);
	r->tls_ms = ms_of(s->tls_ms);
	r->ttfb_ms = ms_of(s->ttfb_ms);
	r->transfer_ms = ms_of(s->transfer_ms);
}

static struct overflow *overflow_of(struct block *b)
{
	if (b->ov == NULL)
		b->ov = calloc(1, sizeof *b->ov);
	return b->ov;
}

static void block_store_flags(struct block *b, size_t i, uint16_t f)
{
	struct overflow *ov;
	size_t k;

	if (b->ov == NULL || !b->ov->flags_set) {
		for (k = 0; k < b->npal && b->pal[k] != f; k++)
			;
		if (k == b->npal && k < PALETTE)
			b->pal[b->npal++] = f;
		if (k < PALETTE) {
			b->idx[i / 4] = (uint8_t)((b->idx[i / 4] & ~(3u << (i % 4 * 2))) | k << (i % 4 * 2));
			return;
		}
		ov = overflow_of(b);
		if (ov == NULL) {
			/* out of memory: the record keeps the block's first flags */
			b->idx[i / 4] &= (uint8_t)~(3u << (i % 4 * 2));
			return;
		}
		for (k = 0; k < i; k++)
			ov->flags[k] = block_flags(b, k);
		ov->flags_set = true;
	}
	b->ov->flags[i] = f;
}

static void block_store_time(struct block *b, size_t i, uint32_t t, uint32_t prev)
{
	struct overflow *ov;

	if (i == 0)
		return;
	if ((b->ov == NULL || !b->ov->times_set) && t >= prev && t - prev <= STEP_MAX) {
		b->step[i] = (uint8_t)(t - prev);
		return;
	}
	if (b->ov == NULL || !b->ov->times_set) {
		ov = overflow_of(b);
		if (ov == NULL) {
			/* keep going with a time that is off rather than lose the record */
			b->step[i] = t < prev ? 0 : STEP_MAX;
			return;
		}
		for (size_t k = 0; k < i; k++)
			ov->exact[k] = block_time(b, k);
		ov->times_set = true;
	}
	b->ov->exact[i] = t;
}

static void block_store(struct history *h, uint64_t seq, struct history_record *r)
{
	struct block *b = h->blk[seq / BLOCK % h->nblk];
	size_t i = seq % BLOCK;
	uint16_t c = q_encode(r->total_ms);

	r->total_ms = q_decode(c); /* the whole record reads as the compact one will */
	if (i == 0) {
		free(b->ov);
		b->ov = NULL;
		b->npal = 0;
		b->base = r->t_s;
		b->step[0] = 0;
	}
	b->total[i] = c;
	block_store_flags(b, i, (uint16_t)(r->http_status | r->outcome << FLAG_OUTCOME_SHIFT |
		(r->ok ? FLAG_OK : 0) | (r->reused ? FLAG_REUSED : 0)));
	block_store_time(b, i, r->t_s, h->last_t_s);
}

static void suffix_reset(const struct history *h, struct suffix *x, uint64_t start)
{
	x->start = start;
	x->count = x->failures = x->n = 0;
	x->sum = 0;
	x->min = INFINITY;
	x->max = -INFINITY;
	memset(x->hist, 0, NBUCKETS * (h->wide ? sizeof(uint32_t) : sizeof(uint16_t)));
}

static void suffix_add(const struct history *h, struct suffix *x, bool ok, float total)
{
	unsigned bucket;

	x->count++;
	if (!ok) {
		x->failures++;
		return;
	}
	if (total < 0)
		return;
	x->n++;
	x->sum += total;
	if (total < x->min)
		x->min = total;
	if (total > x->max)
		x->max = total;
	bucket = bucket_of(total);
	if (h->wide)
		((uint32_t *)x->hist)[bucket]++;
	else
		((uint16_t *)x->hist)[bucket]++;
}

/* The suffixes, built from the records at the first window long enough to
 * want them, then kept by each push: no view asks for one on most targets, and
 * they are 12 KiB a target. Returns false when out of memory. */
static bool suffix_activate(struct history *h)
{
	size_t width = h->wide ? sizeof(uint32_t) : sizeof(uint16_t);
	struct suffix *sx = malloc(h->nsuffix * (sizeof *sx + NBUCKETS * width));
	char *hist;
	uint64_t oldest = oldest_seq(h);

	if (sx == NULL)
		return false;
	hist = (char *)(sx + h->nsuffix);
	for (size_t i = 0; i < h->nsuffix; i++) {
		sx[i].start = NO_SUFFIX;
		sx[i].hist = hist + i * NBUCKETS * width;
	}
	for (uint64_t b = (oldest + h->slice - 1) / h->slice * h->slice; b < h->pushed; b += h->slice) {
		struct suffix *x = &sx[b / h->slice % h->nsuffix];

		suffix_reset(h, x, b);
		for (uint64_t q = b; q < h->pushed; q++) {
			bool ok;
			float total;

			ok_total(h, q, &ok, &total);
			suffix_add(h, x, ok, total);
		}
	}
	h->suffix = sx;
	return true;
}

void history_push(struct history *h, const struct sample *s)
{
	uint64_t seq, oldest;
	struct history_record *r;

	if (h == NULL || s == NULL)
		return;
	seq = h->pushed;
	if (h->blk != NULL && h->blk[seq / BLOCK % h->nblk] == NULL) {
		h->blk[seq / BLOCK % h->nblk] = calloc(1, sizeof(struct block));
		if (h->blk[seq / BLOCK % h->nblk] == NULL)
			return; /* out of memory: this record is lost, the others stay right */
	}
	r = &h->det[seq % h->dcap];
	record_from_sample(r, s);
	if (h->blk != NULL)
		block_store(h, seq, r);
	h->last_t_s = r->t_s;
	h->pushed++;
	oldest = oldest_seq(h);

	if (h->suffix != NULL) {
		if (seq % h->slice == 0)
			suffix_reset(h, &h->suffix[seq / h->slice % h->nsuffix], seq);
		for (size_t i = 0; i < h->nsuffix; i++) {
			struct suffix *x = &h->suffix[i];

			if (x->start == NO_SUFFIX)
				continue;
			if (x->start < oldest)
				x->start = NO_SUFFIX; /* its first record was just overwritten */
			else
				suffix_add(h, x, r->ok, r->total_ms);
		}
	}

	if (r->ok && r->total_ms >= 0) {
		h->base[h->base_pos] = r->total_ms;
		h->base_pos = (h->base_pos + 1) % HISTORY_BASELINE_N;
		if (h->base_n < HISTORY_BASELINE_N)
			h->base_n++;
	}
}

size_t history_tail(const struct history *h, size_t n, struct history_record *out)
{
	size_t count = history_count(h);

	if (out == NULL)
		return 0;
	if (n > count)
		n = count;
	for (size_t i = 0; i < n; i++) {
		const struct history_record *r = history_at(h, count - n + i);

		if (r == NULL)
			return i;
		out[i] = *r;
	}
	return n;
}

/* The first index whose time is after t, by binary search. */
static size_t first_after(const struct history *h, double t)
{
	size_t lo = 0, hi = history_count(h);
	uint64_t oldest = oldest_seq(h);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (time_at(h, oldest + mid) > t)
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
	uint64_t first = oldest_seq(h) + lo, end = oldest_seq(h) + hi;

	acc_clear(a);
	if (h->slice != 0 && hi == history_count(h) && hi - lo > SCAN_DIRECT_MAX &&
	    (h->suffix != NULL || suffix_activate((struct history *)h))) { /* see suffix_activate */
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

		ok_total(h, s, &ok, &total);
		acc_add(a, ok, total);
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
	acc_clear(a);
	/* only whole records have phase timings other than the total */
	if (p != HISTORY_TOTAL && h->blk != NULL && history_count(h) > h->dcap && lo < history_count(h) - h->dcap)
		lo = history_count(h) - h->dcap;
	for (size_t i = lo; i < hi; i++) {
		const struct history_record *r = history_at(h, i);

		if (phase_counts(r, p))
			acc_add_value(a, history_record_ms(r, p));
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

		ok_total(h, oldest_seq(h) + i, &ok, &total);
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
