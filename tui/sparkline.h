/* sparkline.h: latency series turned into character cells.
 *
 * Pure: it picks a glyph and a class for each cell, and the drawing code
 * colours the cell by its class (ok, slow, failed, empty). The newest sample
 * is in the rightmost cell, so the line scrolls left as samples arrive. */
#ifndef ISITDOWN_SPARKLINE_H
#define ISITDOWN_SPARKLINE_H

#include <stdbool.h>
#include <stddef.h>

enum spark_kind {
	SPARK_NODATA,  /* no probe in that slot (paused, not started) */
	SPARK_VALUE,   /* an answer, ms is its latency */
	SPARK_FAILED,  /* a probe that failed: no latency to draw */
};

struct spark_sample {
	enum spark_kind kind;
	double ms;
};

enum spark_class {
	SPARK_EMPTY,
	SPARK_OK,
	SPARK_SLOW,  /* an answer slower than the slow threshold */
	SPARK_FAIL,
};

enum spark_scale_kind {
	SPARK_LINEAR,
	SPARK_LOG,
};

struct spark_opts {
	bool utf8;                   /* eighth blocks; otherwise an ASCII ramp */
	enum spark_scale_kind scale;
	double slow_ms;              /* > 0: answers above it are SPARK_SLOW */
	double max_ms;               /* > 0: fixed top of the scale; otherwise the
				      * p95 of the visible samples, rounded up to
				      * 1, 2 or 5 times a power of ten */
};

#define SPARK_GLYPH_MAX 5

struct spark_cell {
	char glyph[SPARK_GLYPH_MAX]; /* one column wide, NUL-terminated */
	enum spark_class cls;
	unsigned char level;         /* eighths of the cell filled, 0-8 */
	bool clipped;                /* the answer was above the top of the scale */
};

struct spark_scale {
	enum spark_scale_kind kind;
	double max_ms;               /* the value a full cell (or column) stands for */
};

/* Fills out[0..width-1] from the last width of the n samples (oldest first);
 * cells with no sample are SPARK_EMPTY. scale (may be NULL) receives the scale
 * used. Returns 0, -EINVAL or -ENOMEM. */
int sparkline_render(const struct spark_sample *s, size_t n, int width,
		     const struct spark_opts *o, struct spark_cell *out,
		     struct spark_scale *scale);

/* The same chart height rows tall: out holds height * width cells, the top row
 * first. A failure shows as the failure glyph in the bottom row. */
int sparkline_render_tall(const struct spark_sample *s, size_t n, int width, int height,
			  const struct spark_opts *o, struct spark_cell *out,
			  struct spark_scale *scale);

/* v rounded up to 1, 2 or 5 times a power of ten; 1 for v <= 1 */
double sparkline_nice(double v);

/* Scale text for the chart's axis: "200ms", "2s", "log 5s". */
void sparkline_scale_label(const struct spark_scale *sc, char *buf, size_t size);

struct spark_stats {
	size_t n_ok, n_fail;
	double min, p50, p95, p99, max; /* over the answers; 0 when there are none */
};

/* Statistics of the answers among n samples. Returns 0 or -ENOMEM. */
int sparkline_stats(const struct spark_sample *s, size_t n, struct spark_stats *st);

enum spark_phase {
	SPARK_PHASE_DNS,
	SPARK_PHASE_CONNECT,
	SPARK_PHASE_TLS,
	SPARK_PHASE_TTFB,
	SPARK_PHASE_TRANSFER,
	SPARK_PHASES
};

/* Splits width cells among the phases in proportion to their durations in ms
 * (a phase that did not happen is 0 or negative). Every phase that took time
 * gets at least one cell when there are enough cells. Returns the cells
 * used: width, or 0 when no phase took time. */
int sparkline_phases(const double ms[SPARK_PHASES], int width, int cells[SPARK_PHASES]);

const char *sparkline_phase_name(enum spark_phase p); /* "DNS", "first byte" */

#endif
