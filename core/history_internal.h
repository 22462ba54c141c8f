/* history_internal.h: the insides of a target's history, shared by its two
 * files: history.c (the compact storage: blocks, the detailed ring, suffix
 * summaries) and history_stats.c (statistics over a window: the histogram
 * accumulator, percentiles, medians and the memo of the last answers). */
#ifndef ISITDOWN_HISTORY_INTERNAL_H
#define ISITDOWN_HISTORY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"

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

_Static_assert(OUTCOME_STREAM_STALLED < 16, "an outcome no longer fits the 4 bits of a compact record");
_Static_assert(OUTCOME_COUNT <= 32, "an outcome no longer fits the 5 bits of a whole record");
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
	/* the hourly tally: hours[hour % HISTORY_HOURS], a slot holding probes
	 * only when its count is not 0 and its hour is within HISTORY_HOURS of
	 * hours_newest */
	struct history_hour hours[HISTORY_HOURS];
	uint32_t hours_newest;
	uint32_t hours_first_t_s; /* the first time ever counted; 0: nothing yet */
};

/* history.c: the accumulator, and reading records by sequence number. */
void hist_acc_clear(struct acc *a);
void hist_acc_add_value(struct acc *a, float v);
void hist_acc_add(struct acc *a, bool ok, float total);
bool hist_phase_counts(const struct history_record *r, enum history_phase p);
uint64_t hist_oldest_seq(const struct history *h);
void hist_ok_total(const struct history *h, uint64_t seq, bool *ok, float *total);
double hist_time_at(const struct history *h, uint64_t seq);
bool hist_suffix_activate(struct history *h);
/* history_uptime.c: counts records at t_s in the hourly tally. */
void hist_hours_add(struct history *h, uint32_t t_s, uint32_t count, uint32_t failures);

#endif
