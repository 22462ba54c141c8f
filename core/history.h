/* history.h: the recent past of one target, as compact records in a ring.
 *
 * A history owns a fixed ring of records (oldest overwritten first). Statistics
 * over a window are computed on demand by selection (linear time, no sort of
 * the window) into a scratch buffer the history owns. */
#ifndef ISITDOWN_HISTORY_H
#define ISITDOWN_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"

/* 32 bytes: a day at a 10 s interval is 270 KiB per target. */
struct history_record {
	double t;        /* seconds since the epoch */
	float total_ms;  /* -1 when the probe failed before an answer */
	float dns_ms, connect_ms, tls_ms, ttfb_ms;
	uint16_t http_status;
	uint8_t outcome; /* enum outcome */
	uint8_t ok;
};

struct history_stats {
	size_t count;     /* samples in the window */
	size_t ok_count;  /* of which succeeded (with a latency) */
	size_t failures;
	double loss;      /* failures / count, 0 when empty */
	double min, p50, p95, p99, max, mean; /* over successes, ms; 0 when none */
};

struct history;

struct history *history_new(size_t capacity);
void history_free(struct history *h);
void history_push(struct history *h, const struct sample *s);
size_t history_count(const struct history *h);
size_t history_capacity(const struct history *h);
/* i = 0 is the oldest kept; NULL when out of range. */
const struct history_record *history_at(const struct history *h, size_t i);
/* The newest record, or NULL. */
const struct history_record *history_last(const struct history *h);
/* Stats over the records with t > now - window_s (window_s <= 0: all kept).
 * Returns 0, or -1 when out of memory. */
int history_stats(const struct history *h, double now, double window_s, struct history_stats *out);
/* Stats over the newest n records. */
int history_stats_last(const struct history *h, size_t n, struct history_stats *out);
/* Median latency of the newest n successes; 0 when there are none. */
double history_recent_median_ms(const struct history *h, size_t n);
/* The rolling baseline: median latency of the newest HISTORY_BASELINE_N
 * successes; 0 when there are fewer than 5. */
#define HISTORY_BASELINE_N 30
double history_baseline_ms(const struct history *h);
/* The p-th percentile (0..100) of the values by selection; reorders values. */
double history_percentile(float *values, size_t n, double p);

#endif
