/* history.c: a ring of compact sample records per target (its statistics are
 * history_stats.c's).
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

#include "history_internal.h"

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

void hist_acc_clear(struct acc *a)
{
	memset(a, 0, sizeof *a);
	a->min = INFINITY;
	a->max = -INFINITY;
}

void hist_acc_add_value(struct acc *a, float v)
{
	a->n++;
	a->sum += v;
	if (v < a->min)
		a->min = v;
	if (v > a->max)
		a->max = v;
	a->hist[bucket_of(v)]++;
}

void hist_acc_add(struct acc *a, bool ok, float total)
{
	a->count++;
	if (!ok)
		a->failures++;
	else if (total >= 0)
		hist_acc_add_value(a, total);
}

bool hist_phase_counts(const struct history_record *r, enum history_phase p)
{
	if (!r->ok || history_record_ms(r, p) < 0)
		return false;
	/* curl reports 0 for what a reused connection skipped */
	return !(r->reused && (p == HISTORY_DNS || p == HISTORY_CONNECT || p == HISTORY_TLS));
}

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

uint64_t hist_oldest_seq(const struct history *h)
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

void hist_ok_total(const struct history *h, uint64_t seq, bool *ok, float *total)
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

double hist_time_at(const struct history *h, uint64_t seq)
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
	d->r.t_s = (uint32_t)hist_time_at(h, seq);
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
	return record_at_seq(h, hist_oldest_seq(h) + i);
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
	r->outcome = (unsigned)s->outcome < OUTCOME_COUNT ? (unsigned)s->outcome : OUTCOME_ERROR;
	r->ok = s->ok;
	r->reused = s->reused;
	/* a model's answer takes as long as it is: its latency is the time to
	 * its first token, which the sparkline, the baseline and "slow" follow */
	r->total_ms = ms_of(s->llm && s->first_token_ms >= 0 ? s->first_token_ms : s->total_ms);
	r->dns_ms = ms_of(s->dns_ms);
	r->connect_ms = ms_of(s->connect_ms);
	r->tls_ms = ms_of(s->tls_ms);
	r->ttfb_ms = ms_of(s->ttfb_ms);
	r->transfer_ms = ms_of(s->transfer_ms);
	if (s->llm && s->first_token_ms >= 0) {
		/* and its last phase the wait from the head to that token, so that
		 * the phases add up to it */
		double before = fmax(s->dns_ms, 0) + fmax(s->connect_ms, 0) + fmax(s->tls_ms, 0) + fmax(s->ttfb_ms, 0);

		r->transfer_ms = ms_of(fmax(s->first_token_ms - before, 0));
	}
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

/* A compact record has 4 bits for the outcome: the two that do not fit read
 * back as the nearest that does (old records only; whole ones keep theirs). */
static unsigned compact_outcome(unsigned o)
{
	if (o == OUTCOME_SLOW)
		return OUTCOME_OK;
	if (o == OUTCOME_MODEL_NOT_FOUND)
		return OUTCOME_HTTP_UNEXPECTED;
	return o < 16 ? o : OUTCOME_ERROR;
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
	block_store_flags(b, i, (uint16_t)(r->http_status | compact_outcome(r->outcome) << FLAG_OUTCOME_SHIFT |
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
bool hist_suffix_activate(struct history *h)
{
	size_t width = h->wide ? sizeof(uint32_t) : sizeof(uint16_t);
	struct suffix *sx = malloc(h->nsuffix * (sizeof *sx + NBUCKETS * width));
	char *hist;
	uint64_t oldest = hist_oldest_seq(h);

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

			hist_ok_total(h, q, &ok, &total);
			suffix_add(h, x, ok, total);
		}
	}
	h->suffix = sx;
	return true;
}

void history_push(struct history *h, const struct sample *s)
{
	struct history_record r;

	if (h == NULL || s == NULL)
		return;
	record_from_sample(&r, s);
	history_push_record(h, &r);
}

void history_push_record(struct history *h, const struct history_record *rec)
{
	uint64_t seq, oldest;
	struct history_record *r;

	if (h == NULL || rec == NULL)
		return;
	seq = h->pushed;
	if (h->blk != NULL && h->blk[seq / BLOCK % h->nblk] == NULL) {
		h->blk[seq / BLOCK % h->nblk] = calloc(1, sizeof(struct block));
		if (h->blk[seq / BLOCK % h->nblk] == NULL)
			return; /* out of memory: this record is lost, the others stay right */
	}
	hist_hours_add(h, rec->t_s, 1, !rec->ok);
	r = &h->det[seq % h->dcap];
	*r = *rec;
	if (r->outcome >= OUTCOME_COUNT)
		r->outcome = OUTCOME_ERROR;
	if (h->blk != NULL)
		block_store(h, seq, r);
	h->last_t_s = r->t_s;
	h->pushed++;
	oldest = hist_oldest_seq(h);

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
