/* sparkline.c: glyphs and classes for latency charts and the phase bar.
 *
 * The top of a linear scale follows the p95 of what is on screen, not the
 * maximum, so one huge outlier does not flatten every other answer into the
 * bottom eighth: it is drawn as a full, clipped cell instead. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparkline.h"

static const char *const blocks[9] = {
	" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
};
static const char ascii_ramp[] = "_.-=+*#";
#define FAIL_UTF8 "\u2716"
#define FAIL_ASCII "x"
/* shown while nothing else has been computed: one second */
#define DEFAULT_MAX_MS 1000.0
/* float noise must not push a rank of 19.0000001 or a ratio of 2.0000001 up
 * a step */
#define EPS 1e-9

static void set_glyph(struct spark_cell *c, const char *g)
{
	snprintf(c->glyph, sizeof(c->glyph), "%s", g);
}

static void cell_empty(struct spark_cell *c)
{
	memset(c, 0, sizeof(*c));
	set_glyph(c, " ");
	c->cls = SPARK_EMPTY;
}

static void cell_level(struct spark_cell *c, int level, bool utf8)
{
	char a[2];

	c->level = (unsigned char)level;
	if (level <= 0) {
		set_glyph(c, " ");
		return;
	}
	if (utf8) {
		set_glyph(c, blocks[level]);
		return;
	}
	/* eight heights onto a ramp of seven characters */
	a[0] = ascii_ramp[(level - 1) * (int)(sizeof(ascii_ramp) - 1) / 8];
	a[1] = '\0';
	set_glyph(c, a);
}

static bool usable(const struct spark_sample *s)
{
	return s->kind == SPARK_VALUE && !isnan(s->ms);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* nearest-rank percentile of sorted v[0..n-1] */
static double rank(const double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)ceil(p / 100.0 * (double)n - EPS);
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return v[i - 1];
}

/* The answers among s (only the finite ones when finite_only: infinities
 * are outliers by definition, and the scale leaves them out of its p95), in
 * their order; *out is NULL when there are none. */
static int collect_values(const struct spark_sample *s, size_t n, bool finite_only, double **out, size_t *count)
{
	double *v;
	size_t k = 0;

	*out = NULL;
	*count = 0;
	for (size_t i = 0; i < n; i++)
		k += usable(&s[i]) && !(finite_only && isinf(s[i].ms));
	if (k == 0)
		return 0;
	v = malloc(k * sizeof(*v));
	if (!v)
		return -ENOMEM;
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (usable(&s[i]) && !(finite_only && isinf(s[i].ms)))
			v[k++] = s[i].ms < 0 ? 0 : s[i].ms;
	}
	*out = v;
	*count = k;
	return 0;
}

/* rank() of v without sorting it (the scale is picked on every frame): the
 * same element found by selection in linear time; v is reordered. */
static double select_rank(double *v, size_t n, double p)
{
	size_t want, lo = 0, hi = n - 1;

	want = (size_t)ceil(p / 100.0 * (double)n - EPS);
	want = want < 1 ? 0 : want > n ? n - 1 : want - 1;
	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			break;
	}
	return v[want];
}

/* The answers among s, sorted; *out is NULL when there are none. */
static int sorted_values(const struct spark_sample *s, size_t n, double **out, size_t *count)
{
	int rc = collect_values(s, n, false, out, count);

	if (rc == 0 && *out)
		qsort(*out, *count, sizeof(**out), cmp_double);
	return rc;
}

double sparkline_nice(double v)
{
	double p, f;

	if (isinf(v))
		return DEFAULT_MAX_MS;
	if (!(v > 1))
		return 1;
	p = pow(10, floor(log10(v)));
	f = v / p;
	if (f <= 1 + EPS)
		return p;
	if (f <= 2 + EPS)
		return 2 * p;
	if (f <= 5 + EPS)
		return 5 * p;
	return 10 * p;
}

static int pick_scale(const struct spark_sample *s, size_t n, const struct spark_opts *o,
		      struct spark_scale *sc)
{
	double *v, top;
	size_t k;
	int rc;

	sc->kind = o->scale;
	if (o->max_ms > 0) {
		sc->max_ms = o->max_ms;
		return 0;
	}
	rc = collect_values(s, n, true, &v, &k);
	if (rc < 0)
		return rc;
	if (k == 0)
		top = o->slow_ms > 0 ? o->slow_ms : DEFAULT_MAX_MS;
	else
		top = select_rank(v, k, 95);
	free(v);
	sc->max_ms = sparkline_nice(top);
	return 0;
}

/* How many units out of total the value v fills on scale sc, rounded to the
 * nearest; at least 1 for any answer, so a fast answer never looks like no
 * answer. */
static int units(double v, const struct spark_scale *sc, int total, bool *clipped)
{
	double f;
	int u;

	if (v < 0)
		v = 0;
	*clipped = v > sc->max_ms;
	if (*clipped)
		return total;
	if (sc->kind == SPARK_LOG)
		f = log1p(v) / log1p(sc->max_ms);
	else
		f = v / sc->max_ms;
	u = (int)floor(f * total + 0.5);
	if (u < 1)
		u = 1;
	if (u > total)
		u = total;
	return u;
}

static enum spark_class classify(const struct spark_sample *s, const struct spark_opts *o)
{
	if (s->kind == SPARK_FAILED)
		return SPARK_FAIL;
	if (!usable(s))
		return SPARK_EMPTY;
	if (o->slow_ms > 0 && s->ms > o->slow_ms)
		return SPARK_SLOW;
	return SPARK_OK;
}

int sparkline_render_tall(const struct spark_sample *s, size_t n, int width, int height,
			  const struct spark_opts *o, struct spark_cell *out,
			  struct spark_scale *scale)
{
	struct spark_scale sc;
	size_t first, shown;
	int pad, rc;

	if (width <= 0 || height <= 0)
		return 0;
	if (!out || !o || (n > 0 && !s))
		return -EINVAL;
	shown = n < (size_t)width ? n : (size_t)width;
	first = n - shown;
	pad = width - (int)shown;

	rc = pick_scale(s + first, shown, o, &sc);
	if (rc < 0)
		return rc;
	if (scale)
		*scale = sc;

	for (int i = 0; i < width * height; i++)
		cell_empty(&out[i]);
	for (size_t i = 0; i < shown; i++) {
		const struct spark_sample *smp = &s[first + i];
		enum spark_class cls = classify(smp, o);
		int col = pad + (int)i;
		struct spark_cell *bottom = &out[(height - 1) * width + col];
		bool clipped;
		int u;

		if (cls == SPARK_EMPTY)
			continue;
		if (cls == SPARK_FAIL) {
			bottom->cls = SPARK_FAIL;
			set_glyph(bottom, o->utf8 ? FAIL_UTF8 : FAIL_ASCII);
			continue;
		}
		u = units(smp->ms, &sc, 8 * height, &clipped);
		for (int r = 0; r < height && u > 0; r++) {
			struct spark_cell *c = &out[(height - 1 - r) * width + col];
			int lv = u > 8 ? 8 : u;

			c->cls = cls;
			cell_level(c, lv, o->utf8);
			u -= lv;
			c->clipped = clipped && r == height - 1;
		}
	}
	return 0;
}

int sparkline_render(const struct spark_sample *s, size_t n, int width,
		     const struct spark_opts *o, struct spark_cell *out,
		     struct spark_scale *scale)
{
	return sparkline_render_tall(s, n, width, 1, o, out, scale);
}

void sparkline_scale_label(const struct spark_scale *sc, char *buf, size_t size)
{
	const char *pre = sc->kind == SPARK_LOG ? "log " : "";
	double v = sc->max_ms;

	if (v >= 1000)
		snprintf(buf, size, "%s%gs", pre, v / 1000);
	else
		snprintf(buf, size, "%s%gms", pre, v);
}

int sparkline_stats(const struct spark_sample *s, size_t n, struct spark_stats *st)
{
	double *v;
	size_t k;
	int rc;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < n; i++)
		st->n_fail += s[i].kind == SPARK_FAILED;
	rc = sorted_values(s, n, &v, &k);
	if (rc < 0)
		return rc;
	st->n_ok = k;
	if (k == 0)
		return 0;
	st->min = v[0];
	st->p50 = rank(v, k, 50);
	st->p95 = rank(v, k, 95);
	st->p99 = rank(v, k, 99);
	st->max = v[k - 1];
	free(v);
	return 0;
}

int sparkline_phases(const double ms[SPARK_PHASES], int width, int cells[SPARK_PHASES])
{
	double v[SPARK_PHASES], rem[SPARK_PHASES], total = 0;
	int used = 0, nonzero = 0;

	for (int i = 0; i < SPARK_PHASES; i++) {
		cells[i] = 0;
		v[i] = ms[i] > 0 && isfinite(ms[i]) ? ms[i] : 0;
		total += v[i];
		nonzero += v[i] > 0;
	}
	if (width <= 0 || !(total > 0))
		return 0;

	/* largest remainder: floors first, then the leftover cells to the
	 * phases that lost the most by rounding down */
	for (int i = 0; i < SPARK_PHASES; i++) {
		double exact = v[i] / total * width;

		cells[i] = (int)floor(exact);
		rem[i] = v[i] > 0 ? exact - cells[i] : -1;
		used += cells[i];
	}
	while (used < width) {
		int best = -1;

		for (int i = 0; i < SPARK_PHASES; i++) {
			if (rem[i] >= 0 && (best < 0 || rem[i] > rem[best]))
				best = i;
		}
		if (best < 0) {
			/* float noise left a cell over: the biggest phase takes it */
			best = 0;
			for (int i = 1; i < SPARK_PHASES; i++)
				best = v[i] > v[best] ? i : best;
		}
		cells[best]++;
		rem[best] = -1;
		used++;
	}

	/* a short DNS lookup next to a long transfer still shows */
	if (nonzero <= width) {
		for (int i = 0; i < SPARK_PHASES; i++) {
			int big = 0;

			if (v[i] <= 0 || cells[i] > 0)
				continue;
			for (int j = 1; j < SPARK_PHASES; j++)
				big = cells[j] > cells[big] ? j : big;
			cells[big]--;
			cells[i]++;
		}
	}
	return width;
}

const char *sparkline_phase_name(enum spark_phase p)
{
	switch (p) {
	case SPARK_PHASE_DNS:
		return "DNS";
	case SPARK_PHASE_CONNECT:
		return "connect";
	case SPARK_PHASE_TLS:
		return "TLS";
	case SPARK_PHASE_TTFB:
		return "first byte";
	case SPARK_PHASE_TRANSFER:
		return "transfer";
	case SPARK_PHASES:
		break;
	}
	return "?";
}
