/* history.h: the recent samples of one target, compactly, in a ring.
 *
 * A record as the views see it (struct history_record, 32 bytes) keeps the
 * time, outcome, HTTP status and phase timings. What is stored is smaller: a
 * ring of up to HISTORY_DETAIL records keeps whole records; a larger ring (24 h
 * at a 10 s interval is 8641 records) keeps every record in about 3.7 bytes
 * (the time to the second as a step from the record before, the total time to
 * 12 significant bits, i.e. within 0.025 %, and outcome, status, ok and reused
 * from a palette of each block of 128) and whole records only for the newest
 * HISTORY_DETAIL. So in a large ring a record older than that has no phase
 * timings (they read as not measured) and no milliseconds in its time, and
 * every total_ms, the newest included, is the rounded value; a small ring
 * keeps everything as pushed. 24 h at 10 s take about 43 KiB per target, 12
 * KiB more once a window longer than 1024 records has been asked for.
 * Records must be pushed in time order for the time windows to be exact; after
 * a clock step backwards a window is still a contiguous run of records, found
 * by binary search on time.
 *
 * Statistics over latencies are those of successful samples only, and a phase
 * counts only where it happened (a negative timing means it did not; DNS,
 * connect and TLS are skipped on reused connections).
 *
 * Accuracy: counts, failures, loss, min, max and mean are exact (of the values
 * stored). Percentiles come from a log-linear histogram with 64
 * sub-buckets per power of two: the reported value is the middle of the bucket
 * holding the true nearest-rank percentile, clamped to [min, max], so it is
 * within 0.79 % of the true value for values from 0.0625 ms to 2^20 ms
 * (17 minutes); below 0.0625 ms it is within 0.032 ms, above 2^20 ms it is the
 * max. Percentiles use the nearest-rank definition: pXX is the smallest value
 * with at least XX % of the values at or below it.
 *
 * Pointers from history_at, history_last stay valid until the next push; in a
 * large ring, those to records older than the newest HISTORY_DETAIL also until
 * HISTORY_DECODED other old records have been asked for. */
#ifndef ISITDOWN_HISTORY_H
#define ISITDOWN_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"

#define HISTORY_DEFAULT_CAPACITY 8640 /* 24 h at a 10 s interval */
#define HISTORY_BASELINE_N 30         /* successes behind history_baseline_ms */
#define HISTORY_BASELINE_MIN 5        /* fewer successes make no baseline */
#define HISTORY_DETAIL 360            /* newest records kept whole: an hour at 10 s */
#define HISTORY_DECODED 512           /* older records decoded at once, see above */

struct history_record {
	uint32_t t_s;               /* start of the probe, whole seconds since the epoch */
	unsigned t_ms : 10;         /* and milliseconds */
	unsigned http_status : 10;  /* 0 when none */
	unsigned outcome : 5;       /* enum outcome */
	unsigned ok : 1;
	unsigned reused : 1;        /* connection was reused */
	float total_ms;             /* -1 when not measured, as the phases */
	float dns_ms, connect_ms, tls_ms, ttfb_ms, transfer_ms;
};

_Static_assert(sizeof(struct history_record) == 32, "history_record grew past 32 bytes");

enum history_phase {
	HISTORY_TOTAL,
	HISTORY_DNS,
	HISTORY_CONNECT,
	HISTORY_TLS,
	HISTORY_TTFB,
	HISTORY_TRANSFER,
	HISTORY_NPHASES,
};

/* Latency figures over the values of one phase in a window; every figure is 0
 * when n is 0 (as elsewhere in isitdown, a latency <= 0 means "unknown"). */
struct history_summary {
	size_t n;
	double min, p50, p95, p99, max, mean;
};

struct history_stats {
	size_t count;     /* records in the window */
	size_t failures;  /* of which not ok */
	double loss;      /* failures / count; 0 when count is 0 */
	size_t ok_count;  /* successes with a total time: what the figures below cover */
	double min, p50, p95, p99, max, mean; /* total_ms; 0 when ok_count is 0 */
};

/* capacity 0 means HISTORY_DEFAULT_CAPACITY. NULL when out of memory. */
struct history *history_new(size_t capacity);
void history_free(struct history *h);

/* Copies what the record keeps from s; the oldest record goes when full. */
void history_push(struct history *h, const struct sample *s);
/* Pushes a record as history_at gives it back (one read from the history
 * file, say). */
void history_push_record(struct history *h, const struct history_record *r);

size_t history_count(const struct history *h);
size_t history_capacity(const struct history *h);
/* i = 0 is the oldest record, history_count() - 1 the newest; NULL past the end. */
const struct history_record *history_at(const struct history *h, size_t i);
/* The newest record, or NULL. */
const struct history_record *history_last(const struct history *h);

/* Copies the last min(n, count) records, oldest first, into out (room for n);
 * returns how many. */
size_t history_tail(const struct history *h, size_t n, struct history_record *out);

/* Records with now - window_s < t <= now; window_s <= 0 or INFINITY: every
 * record up to now. Returns 0, -EINVAL for a NULL argument or a NaN, -ENOMEM. */
int history_stats(const struct history *h, double now, double window_s, struct history_stats *out);
/* The last n records. */
int history_stats_last(const struct history *h, size_t n, struct history_stats *out);

/* The same figures for one phase, over the successes in the window. Returns 0,
 * -EINVAL for a bad argument, -ENOMEM. */
int history_phase_stats(const struct history *h, double now, double window_s,
	enum history_phase phase, struct history_summary *out);
int history_phase_stats_last(const struct history *h, size_t n, enum history_phase phase,
	struct history_summary *out);

/* Median total_ms of the last HISTORY_BASELINE_N successes: what normal looks
 * like. It remembers them even when a long outage has pushed them out of the
 * ring. 0 before HISTORY_BASELINE_MIN successes. */
double history_baseline_ms(const struct history *h);
/* Median total_ms of the last n successes still in the ring (the mean of the
 * two middle values for an even count); 0 when there are none. */
double history_recent_median_ms(const struct history *h, size_t n);

/* Beside the ring, every record pushed is counted in an hourly tally of the
 * last HISTORY_HOURS hours (probes and failures per hour, 2 KiB): what the
 * ring no longer holds, down to what 7 days of uptime need, and what the
 * history file keeps of records older than the ring. */
#define HISTORY_HOURS (7 * 24 + 1)
struct history_hour {
	uint32_t hour;      /* the hour starting at hour * 3600 s since the epoch */
	uint32_t count, failures;
};
/* Adds count probes, failures of them failed, to the tally's hour (a
 * downsampled hour read back from the history file). An hour more than
 * HISTORY_HOURS before the newest is ignored. */
void history_add_hour(struct history *h, uint32_t hour, uint32_t count, uint32_t failures);
/* The tally's hours that hold probes, oldest first, into out (room for
 * HISTORY_HOURS); returns how many. */
size_t history_hours(const struct history *h, struct history_hour *out);

/* Uptime as we measured it: the share of probes that passed in the window
 * ending at now. Only a window the history covers (its oldest record at
 * least 95 % of the window back) has one: 0 and *ratio, else -ENODATA (a
 * monitor that started ten minutes ago knows no hour's uptime). A window the
 * ring covers is counted exactly; a longer one from the hourly tally, the
 * hour the window starts in counted in proportion to its part inside. */
int history_uptime(const struct history *h, double now, double window_s, double *ratio);

/* An uptime ratio as people read it, "99.93 %": rounded down to a hundredth
 * of a percent, so that a window with a failure never reads "100 %". */
void history_uptime_text(double ratio, char *buf, size_t len);

/* The windows uptime is told for: "1h", "24h", "7d". */
struct history_window {
	const char *name;
	double seconds;
};
#define HISTORY_UPTIME_WINDOWS 3
extern const struct history_window history_uptime_windows[HISTORY_UPTIME_WINDOWS];

/* The record's start time in seconds since the epoch. */
static inline double history_record_t(const struct history_record *r)
{
	return (double)r->t_s + r->t_ms / 1000.0;
}

/* One phase's timing in ms; negative when it did not happen. */
static inline float history_record_ms(const struct history_record *r, enum history_phase p)
{
	switch (p) {
	case HISTORY_TOTAL: return r->total_ms;
	case HISTORY_DNS: return r->dns_ms;
	case HISTORY_CONNECT: return r->connect_ms;
	case HISTORY_TLS: return r->tls_ms;
	case HISTORY_TTFB: return r->ttfb_ms;
	case HISTORY_TRANSFER: return r->transfer_ms;
	case HISTORY_NPHASES: break;
	}
	return -1.0f;
}

#endif
