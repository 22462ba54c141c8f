/* panel_latency.c: sparklines per target and the phase chart of the selected one.
 *
 * Each target gets one row: its name, one cell per sample (the newest on the
 * right, so the line scrolls left as samples arrive), and its last latency.
 * All rows share one scale, so rows can be compared; a failure is drawn as a
 * failure glyph in its own role, never as a short bar. Below, when there is
 * room, the selected target's samples are drawn as a taller chart whose
 * columns are coloured by phase (DNS, connect, TLS, first byte, transfer),
 * with the phases of the last answer as a bar and the statistics of the
 * visible window. h / l scroll back in time. */
#include "panel_latency.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "panel.h"
#include "panel_status.h"
#include "sparkline.h"

/* a slow answer when there is no colour: the dark shade, and "!" in ASCII
 * (neither is on the sparkline's height ramp) */
#define SLOW_UTF8 "\u2593"
#define SLOW_ASCII "!"
#define NAME_MAX_W 16
#define VALUE_W 7
#define AXIS_MIN_W 6

static const char phase_letters[SPARK_PHASES] = {'D', 'C', 'T', 'F', 'X'};

/* A pause between two records longer than this is a gap in the line (the
 * monitor was stopped, paused or backing off), drawn as an empty column
 * rather than closing up as if no time had passed. */
static double gap_after(const struct target *t)
{
	double interval = t->interval_s > 0 ? t->interval_s : 10;

	return fmax(3 * interval, interval + 30);
}

/* The samples of h ending `back` records before the newest, at most width
 * cells of them, oldest first; with gap_s > 0 a pause longer than gap_s
 * between two records takes a cell of its own (SPARK_NODATA, its record
 * NULL). recs (may be NULL) receives the records. */
static size_t collect(const struct history *h, int back, int width, double gap_s, struct spark_sample *out,
		      const struct history_record **recs)
{
	size_t count = history_count(h), end, pos, n;
	const struct history_record *newer = NULL;

	if (width <= 0)
		return 0;
	end = (size_t)back >= count ? 0 : count - (size_t)back;
	/* newest first, from the last cell down; moved to the front at the end */
	pos = (size_t)width;
	for (size_t i = end; i-- > 0 && pos > 0;) {
		const struct history_record *r = history_at(h, i);

		if (newer && gap_s > 0 && history_record_t(newer) - history_record_t(r) > gap_s) {
			if (pos < 2)
				break; /* a line never starts with a gap */
			pos--;
			out[pos] = (struct spark_sample){SPARK_NODATA, 0};
			if (recs)
				recs[pos] = NULL;
		}
		pos--;
		if (r->ok && r->total_ms >= 0)
			out[pos] = (struct spark_sample){SPARK_VALUE, r->total_ms};
		else
			out[pos] = (struct spark_sample){SPARK_FAILED, 0};
		if (recs)
			recs[pos] = r;
		newer = r;
	}
	n = (size_t)width - pos;
	memmove(out, out + pos, n * sizeof(*out));
	if (recs)
		memmove(recs, recs + pos, n * sizeof(*recs));
	return n;
}

static void record_phases(const struct history_record *r, double ms[SPARK_PHASES])
{
	ms[SPARK_PHASE_DNS] = r->dns_ms;
	ms[SPARK_PHASE_CONNECT] = r->connect_ms;
	ms[SPARK_PHASE_TLS] = r->tls_ms;
	ms[SPARK_PHASE_TTFB] = r->ttfb_ms;
	ms[SPARK_PHASE_TRANSFER] = r->transfer_ms;
}

static attr_t cell_attr(const struct screen_ctx *c, const struct spark_cell *cell)
{
	switch (cell->cls) {
	case SPARK_EMPTY: return screen_attr(c, ROLE_SPARK_EMPTY);
	case SPARK_FAIL: return screen_attr(c, ROLE_SPARK_FAIL);
	case SPARK_SLOW: return screen_attr(c, ROLE_SPARK_SLOW);
	case SPARK_OK: break;
	}
	if (cell->clipped || cell->level > 6)
		return screen_attr(c, ROLE_SPARK_HIGH);
	return screen_attr(c, cell->level > 3 ? ROLE_SPARK_MID : ROLE_SPARK_OK);
}

static double slow_limit(const struct monitor_target_info *ti)
{
	return assess_slow_limit(NULL, ti->target->slow_ms, history_baseline_ms(ti->history));
}

/* One scale for every row: the p95 of all the visible answers, rounded. */
static double shared_scale(const struct screen_ctx *c, int back, int width)
{
	size_t nt = monitor_target_count(c->m), n = 0;
	struct spark_sample *all;
	struct spark_stats st;
	double top = 0;

	if (width <= 0 || nt == 0)
		return 0;
	all = calloc(nt * (size_t)width, sizeof(*all));
	if (!all)
		return 0;
	for (size_t i = 0; i < nt; i++) {
		struct monitor_target_info ti;

		monitor_target_info(c->m, i, &ti);
		n += collect(ti.history, back, width, 0, all + n, NULL);
	}
	if (sparkline_stats(all, n, &st) == 0 && st.n_ok > 0)
		top = sparkline_nice(st.p95);
	free(all);
	return top;
}

/* Without colour a slow answer would look like any other: it gets a glyph of
 * its own (slow answers sit at the top of the scale, so little height is lost). */
static const char *cell_glyph(const struct screen_ctx *c, const struct spark_cell *cell)
{
	if (cell->cls == SPARK_SLOW && !c->colour)
		return screen_glyph(c, SLOW_UTF8, SLOW_ASCII);
	return cell->glyph;
}

static void draw_row(const struct screen_ctx *c, size_t i, int y, int x, int name_w, int spark_w, int value_w,
		     int back, double scale, bool selected)
{
	struct monitor_target_info ti;
	struct spark_sample *smp = NULL;
	struct spark_cell *cells = NULL;
	struct spark_opts o = {0};
	char buf[32];
	size_t n;

	monitor_target_info(c->m, i, &ti);
	screen_put_fit(c, y, x, name_w, selected ? screen_attr(c, ROLE_SELECTION) : screen_attr(c, ROLE_NORMAL),
		       ti.target->name);
	if (spark_w > 0) {
		smp = calloc((size_t)spark_w, sizeof(*smp));
		cells = calloc((size_t)spark_w, sizeof(*cells));
	}
	if (smp && cells) {
		n = collect(ti.history, back, spark_w, gap_after(ti.target), smp, NULL);
		o.utf8 = c->utf8;
		o.scale = SPARK_LINEAR;
		o.slow_ms = slow_limit(&ti);
		o.max_ms = scale;
		if (sparkline_render(smp, n, spark_w, &o, cells, NULL) == 0) {
			for (int k = 0; k < spark_w; k++)
				screen_put(c, y, x + name_w + 1 + k, 1, cell_attr(c, &cells[k]), cell_glyph(c, &cells[k]));
		}
	}
	free(smp);
	free(cells);
	if (value_w <= 0)
		return;
	if (!ti.last)
		snprintf(buf, sizeof(buf), "-");
	else if (!ti.last->ok)
		snprintf(buf, sizeof(buf), "%s", "fail");
	else /* a model's latency is its first token, as its history keeps it */
		timefmt_ms_as(ti.last->llm ? ti.last->first_token_ms : ti.last->total_ms, TIMEFMT_MS_COMPACT, buf,
			      sizeof(buf));
	screen_put_right(c, y, x + name_w + 1 + (spark_w > 0 ? spark_w + 1 : 0), value_w,
			 ti.last && !ti.last->ok ? screen_attr(c, ROLE_SPARK_FAIL) : screen_attr(c, ROLE_NORMAL), buf);
}

/* Draws text at *x when all of it fits before end, and moves *x past it;
 * false when it does not fit (nothing is drawn): a line of items loses
 * whole items at its end, never half a word. */
static bool put_item(const struct screen_ctx *c, int y, int *x, int end, attr_t a, const char *text)
{
	int w = screen_width(c, text);

	if (w > end - *x)
		return false;
	*x += screen_put(c, y, *x, w, a, text);
	return true;
}

/* Seconds between the oldest and the newest sample the sparklines show: the
 * time they span, for the scale line. */
static double shown_span(const struct screen_ctx *c, int back, int width)
{
	double span = 0;

	for (size_t i = 0; i < monitor_target_count(c->m) && width > 0; i++) {
		struct monitor_target_info ti;
		size_t count, end, start;

		monitor_target_info(c->m, i, &ti);
		count = history_count(ti.history);
		end = (size_t)back >= count ? 0 : count - (size_t)back;
		start = end > (size_t)width ? end - (size_t)width : 0;
		if (end - start < 2)
			continue;
		span = fmax(span, history_record_t(history_at(ti.history, end - 1)) -
					  history_record_t(history_at(ti.history, start)));
	}
	return span;
}

static void draw_scale_line(const struct screen_ctx *c, int y, int x, int w, double scale, int back, int spark_w)
{
	struct spark_scale sc = {SPARK_LINEAR, scale};
	char label[32], item[64], dur[24];
	int at = x, end = x + w;
	double span = shown_span(c, back, spark_w);
	attr_t ax = screen_attr(c, ROLE_SPARK_AXIS);

	sparkline_scale_label(&sc, label, sizeof(label));
	at += screen_putf(c, y, at, end - at, screen_attr(c, ROLE_SPARK_AXIS), "scale 0-%s ",
			  scale > 0 ? label : "?");
	at += screen_put(c, y, at, end - at, screen_attr(c, ROLE_SPARK_MID), screen_glyph(c, "\u2585", "+"));
	at += screen_put(c, y, at, end - at, screen_attr(c, ROLE_SPARK_AXIS), " answer ");
	at += screen_put(c, y, at, end - at, screen_attr(c, ROLE_SPARK_SLOW),
			 c->colour ? screen_glyph(c, "\u2585", "+") : screen_glyph(c, SLOW_UTF8, SLOW_ASCII));
	at += screen_put(c, y, at, end - at, screen_attr(c, ROLE_SPARK_AXIS), " slow ");
	at += screen_put(c, y, at, end - at, screen_attr(c, ROLE_SPARK_FAIL), screen_glyph(c, "\u2716", "x"));
	at += screen_put(c, y, at, end - at, screen_attr(c, ROLE_SPARK_AXIS), " failed");
	/* scrolled back: the way forward first */
	if (back > 0) {
		snprintf(item, sizeof(item), "  %d back (l: newer)", back);
		put_item(c, y, &at, end, screen_attr(c, ROLE_STATE_MAINTENANCE), item);
	}
	/* the time the lines span, so that a reader knows what a cell is worth */
	timefmt_span(span, dur, sizeof(dur));
	if (span > 0) {
		snprintf(item, sizeof(item), back > 0 ? ", %s shown" : "  last %s", dur);
		put_item(c, y, &at, end, ax, item);
	}
}

/* ---- the detail chart ----------------------------------------------------- */

/* Colours one column of a tall chart by the phases of its record: each cell
 * takes the phase that fills most of it. */
static void phase_column(const struct screen_ctx *c, const struct history_record *r, struct spark_cell *cells,
			 int col, int width, int height, attr_t *attrs)
{
	double ms[SPARK_PHASES], sum = 0, bound[SPARK_PHASES];
	int units = 0;

	if (!r)
		return; /* a gap */
	record_phases(r, ms);
	for (int k = 0; k < SPARK_PHASES; k++)
		sum += ms[k] > 0 ? ms[k] : 0;
	for (int row = 0; row < height; row++) {
		const struct spark_cell *cell = &cells[row * width + col];

		if (cell->cls == SPARK_OK || cell->cls == SPARK_SLOW)
			units += cell->level;
	}
	if (!(sum > 0) || units == 0)
		return;
	for (int k = 0; k < SPARK_PHASES; k++)
		bound[k] = (k ? bound[k - 1] : 0) + (ms[k] > 0 ? ms[k] : 0) / sum * units;
	for (int rb = 0; rb < height; rb++) {
		struct spark_cell *cell = &cells[(height - 1 - rb) * width + col];
		double lo = rb * 8.0, hi = lo + 8, best = 0;
		int which = -1;

		if (cell->cls != SPARK_OK && cell->cls != SPARK_SLOW)
			continue;
		for (int k = 0; k < SPARK_PHASES; k++) {
			double a = k ? bound[k - 1] : 0, b = bound[k];
			double ov = fmin(hi, b) - fmax(lo, a);

			if (ov > best) {
				best = ov;
				which = k;
			}
		}
		if (which >= 0)
			attrs[(height - 1 - rb) * width + col] = screen_attr(c, (enum theme_role)(ROLE_PHASE_DNS + which));
	}
}

static void draw_chart(const struct screen_ctx *c, const struct monitor_target_info *ti, int back, struct rect r)
{
	struct spark_sample *smp;
	const struct history_record **recs;
	struct spark_cell *cells;
	attr_t *attrs;
	struct spark_opts o = {0};
	struct spark_scale sc;
	char label[32];
	int axis_w, cw, n;

	if (rect_empty(r))
		return;
	o.utf8 = c->utf8;
	o.scale = SPARK_LINEAR;
	o.slow_ms = slow_limit(ti);
	/* the axis label takes the width of the widest value it may show */
	axis_w = AXIS_MIN_W;
	cw = r.w - axis_w;
	if (cw < 1)
		return;
	smp = calloc((size_t)cw, sizeof(*smp));
	recs = calloc((size_t)cw, sizeof(*recs));
	cells = calloc((size_t)cw * (size_t)r.h, sizeof(*cells));
	attrs = calloc((size_t)cw * (size_t)r.h, sizeof(*attrs));
	if (!smp || !recs || !cells || !attrs)
		goto out;
	n = (int)collect(ti->history, back, cw, gap_after(ti->target), smp, recs);
	if (sparkline_render_tall(smp, (size_t)n, cw, r.h, &o, cells, &sc) != 0)
		goto out;
	for (int k = 0; k < cw * r.h; k++)
		attrs[k] = cell_attr(c, &cells[k]);
	if (c->colour)
		for (int col = cw - n; col < cw; col++)
			phase_column(c, recs[col - (cw - n)], cells, col, cw, r.h, attrs);
	sparkline_scale_label(&sc, label, sizeof(label));
	for (int row = 0; row < r.h; row++) {
		const char *lab = row == 0 ? label : row == r.h - 1 ? "0" : "";
		attr_t ax = screen_attr(c, ROLE_SPARK_AXIS);

		screen_put_right(c, r.y + row, r.x, axis_w - 1, ax, lab);
		screen_put(c, r.y + row, r.x + axis_w - 1, 1, ax,
			   row == 0 || row == r.h - 1 ? screen_glyph(c, "\u2524", "+") : screen_glyph(c, "\u2502", "|"));
		for (int col = 0; col < cw; col++)
			screen_put(c, r.y + row, r.x + axis_w + col, 1, attrs[row * cw + col], cells[row * cw + col].glyph);
	}
out:
	free(smp);
	free(recs);
	free(cells);
	free(attrs);
}

/* The phases of the newest answer, as a proportional bar and a legend (a
 * model's: up to its first token, as its history keeps them). */
static bool last_phases(const struct monitor_target_info *ti, double ms[SPARK_PHASES])
{
	const struct sample *s = ti->last;

	if (s && s->ok && !s->llm) {
		ms[SPARK_PHASE_DNS] = s->dns_ms;
		ms[SPARK_PHASE_CONNECT] = s->connect_ms;
		ms[SPARK_PHASE_TLS] = s->tls_ms;
		ms[SPARK_PHASE_TTFB] = s->ttfb_ms;
		ms[SPARK_PHASE_TRANSFER] = s->transfer_ms;
		return true;
	}
	for (size_t i = history_count(ti->history); i-- > 0;) {
		const struct history_record *r = history_at(ti->history, i);

		if (r->ok) {
			record_phases(r, ms);
			return true;
		}
	}
	return false;
}

static const char *phase_key(const struct screen_ctx *c, int k, char *buf)
{
	if (c->colour)
		return screen_glyph(c, "\u2588", "#");
	buf[0] = phase_letters[k];
	buf[1] = '\0';
	return buf;
}

static void draw_phase_bar(const struct screen_ctx *c, const double ms[SPARK_PHASES], int y, int x, int w)
{
	int cells[SPARK_PHASES];
	char key[2];

	if (sparkline_phases(ms, w, cells) == 0) {
		screen_put(c, y, x, w, screen_attr(c, ROLE_DIM), "no phase timings");
		return;
	}
	for (int k = 0; k < SPARK_PHASES; k++) {
		const char *g = phase_key(c, k, key);

		for (int i = 0; i < cells[k]; i++)
			x += screen_put(c, y, x, 1, screen_attr(c, (enum theme_role)(ROLE_PHASE_DNS + k)), g);
	}
}

/* A model probe's first byte is the response head, and its last phase the
 * wait after it for the first token: its legend says so. */
static void draw_phase_legend(const struct screen_ctx *c, const double ms[SPARK_PHASES], bool model, int y, int x,
			      int w)
{
	int end = x + w;
	char key[2], v[24];

	/* whole items only: "█ first byte 0.63m" would misread */
	for (int k = 0; k < SPARK_PHASES && x < end; k++) {
		char item[64];
		const char *g = phase_key(c, k, key);

		timefmt_ms_as(ms[k], TIMEFMT_MS_COMPACT, v, sizeof(v));
		snprintf(item, sizeof(item), " %s %s",
			 model && k == SPARK_PHASE_TRANSFER ? "first token" :
			 model && k == SPARK_PHASE_TTFB ? "head" : sparkline_phase_name((enum spark_phase)k), v);
		if (screen_width(c, g) + screen_width(c, item) > end - x)
			break;
		x += screen_put(c, y, x, end - x, screen_attr(c, (enum theme_role)(ROLE_PHASE_DNS + k)), g);
		x += screen_put(c, y, x, end - x, screen_attr(c, ROLE_NORMAL), item);
		x += 2;
	}
}

static void draw_stats(const struct screen_ctx *c, const struct monitor_target_info *ti, int back, int span, int y,
		       int x, int w)
{
	struct spark_sample *smp = calloc((size_t)(span > 0 ? span : 1), sizeof(*smp));
	const struct history_record **recs = calloc((size_t)(span > 0 ? span : 1), sizeof(*recs));
	struct spark_stats st;
	char a[24], b[24], d[24], e[24], dur[24], item[64];
	size_t n;
	int end = x + w;

	if (!smp || !recs || span <= 0)
		goto out;
	n = collect(ti->history, back, span, 0, smp, recs);
	if (n == 0) {
		screen_put(c, y, x, w, screen_attr(c, ROLE_DIM), "no samples yet");
		goto out;
	}
	if (sparkline_stats(smp, n, &st) != 0)
		goto out;
	timefmt_span(history_record_t(recs[n - 1]) - history_record_t(recs[0]), dur, sizeof(dur));
	if (st.n_ok == 0) {
		screen_putf_fit(c, y, x, w, screen_attr(c, ROLE_SPARK_FAIL), "all %zu failed over %s", n, dur);
		goto out;
	}
	timefmt_ms_as(st.min, TIMEFMT_MS_COMPACT, a, sizeof(a));
	timefmt_ms_as(st.p50, TIMEFMT_MS_COMPACT, b, sizeof(b));
	timefmt_ms_as(st.p95, TIMEFMT_MS_COMPACT, d, sizeof(d));
	timefmt_ms_as(st.p99, TIMEFMT_MS_COMPACT, e, sizeof(e));
	/* whole items, as many as fit: "5 failed of 26, " would misread */
	{
		const char *label[] = {"min", "  p50", "  p95", "  p99"};
		const char *value[] = {a, b, d, e};
		bool fits = true;

		for (int k = 0; k < 4 && fits; k++) {
			snprintf(item, sizeof(item), "%s %s", label[k], value[k]);
			fits = put_item(c, y, &x, end, screen_attr(c, ROLE_NORMAL), item);
		}
		snprintf(item, sizeof(item), "  %zu failed of %zu in %s", st.n_fail, n, dur);
		if (fits && !put_item(c, y, &x, end, st.n_fail ? screen_attr(c, ROLE_SPARK_FAIL) :
								 screen_attr(c, ROLE_DIM), item)) {
			snprintf(item, sizeof(item), "  %zu failed", st.n_fail);
			put_item(c, y, &x, end, st.n_fail ? screen_attr(c, ROLE_SPARK_FAIL) : screen_attr(c, ROLE_DIM),
				 item);
		}
	}
out:
	free(smp);
	free(recs);
}

static void draw_detail(const struct screen_ctx *c, const struct panel_latency *p, struct rect r)
{
	struct monitor_target_info ti;
	double ms[SPARK_PHASES];
	int chart_h, y = r.y;
	bool bar;

	monitor_target_info(c->m, (size_t)p->sel, &ti);
	/* title, chart, [bar], legend, stats */
	bar = r.h >= 6;
	chart_h = r.h - 3 - (bar ? 1 : 0);
	if (ti.target->kind == TARGET_LLM && ti.last && ti.last->tokens_per_s >= 0)
		screen_putf_fit(c, y++, r.x, r.w, screen_attr(c, ROLE_TITLE),
				"%s: time to first token by phase; last answer %ld tokens at %.1f/s%s", ti.target->name,
				ti.last->tokens_out, ti.last->tokens_per_s, p->back ? " (scrolled back)" : "");
	else
		screen_putf_fit(c, y++, r.x, r.w, screen_attr(c, ROLE_TITLE), "%s: %s by phase%s", ti.target->name,
				ti.target->kind == TARGET_LLM ? "time to first token" : "latency",
				p->back ? " (scrolled back)" : "");
	draw_chart(c, &ti, p->back, (struct rect){r.x, y, r.w, chart_h});
	y += chart_h;
	if (last_phases(&ti, ms)) {
		if (bar) {
			/* the bar is the newest answer, cut by phase: say so in the axis */
			screen_put_right(c, y, r.x, AXIS_MIN_W - 1, screen_attr(c, ROLE_SPARK_AXIS), "last");
			draw_phase_bar(c, ms, y++, r.x + AXIS_MIN_W, r.w - AXIS_MIN_W);
		}
		draw_phase_legend(c, ms, ti.target->kind == TARGET_LLM, y++, r.x, r.w);
	} else {
		if (bar)
			y++;
		screen_put(c, y++, r.x, r.w, screen_attr(c, ROLE_DIM), "no answer yet: no phase timings");
	}
	draw_stats(c, &ti, p->back, r.w - AXIS_MIN_W, y, r.x, r.w);
}

void panel_latency_draw(struct panel_latency *p, const struct screen_ctx *c, struct rect r, bool focused)
{
	int nt = (int)monitor_target_count(c->m), name_w = 4, value_w = VALUE_W, spark_w, list_h, most = 0;
	double scale;

	if (rect_empty(r))
		return;
	if (nt == 0) {
		screen_put(c, r.y, r.x, r.w, screen_attr(c, ROLE_DIM), "no targets configured");
		return;
	}
	for (int i = 0; i < nt; i++) {
		struct monitor_target_info ti;
		int w;

		monitor_target_info(c->m, (size_t)i, &ti);
		w = screen_width(c, ti.target->name);
		name_w = w > name_w ? w : name_w;
		most = (int)history_count(ti.history) > most ? (int)history_count(ti.history) : most;
	}
	if (name_w > NAME_MAX_W)
		name_w = NAME_MAX_W;
	if (name_w > r.w / 4 && r.w >= 24)
		name_w = r.w / 4;
	spark_w = r.w - name_w - 1 - value_w - 1;
	if (spark_w < 4) {
		value_w = 0;
		spark_w = r.w - name_w - 1;
	}
	if (spark_w < 1) {
		spark_w = 0;
		name_w = r.w;
	}
	p->span = spark_w;
	if (p->back > most - spark_w)
		p->back = most - spark_w;
	if (p->back < 0)
		p->back = 0;
	/* rows: the targets, the scale line, then the detail chart if it fits */
	list_h = r.h >= 2 ? r.h - 1 : r.h;
	if (list_h > nt)
		list_h = nt;
	p->page = list_h;
	screen_scroll_clamp(&p->sel, &p->top, nt, list_h);
	scale = shared_scale(c, p->back, spark_w);
	for (int k = 0; k < list_h && p->top + k < nt; k++)
		draw_row(c, (size_t)(p->top + k), r.y + k, r.x, name_w, spark_w, value_w, p->back, scale,
			 focused && p->top + k == p->sel);
	if (r.h >= 2)
		draw_scale_line(c, r.y + list_h, r.x, r.w, scale, p->back, spark_w);
	if (r.h - list_h - 1 >= 4)
		draw_detail(c, p, (struct rect){r.x, r.y + list_h + 1, r.w, r.h - list_h - 1});
}

void panel_latency_title(const struct panel_latency *p, const struct screen_ctx *c, char *buf, size_t len)
{
	struct monitor_target_info ti;

	if (p->sel < 0 || (size_t)p->sel >= monitor_target_count(c->m)) {
		snprintf(buf, len, "Latency");
		return;
	}
	monitor_target_info(c->m, (size_t)p->sel, &ti);
	snprintf(buf, len, "Latency: %s", ti.target->name);
}

unsigned panel_latency_key(struct panel_latency *p, const struct monitor *m, enum key_action a)
{
	int n = (int)monitor_target_count(m), page = p->page > 1 ? p->page - 1 : 1;
	int step = p->span / 4 > 1 ? p->span / 4 : 1;

	switch (a) {
	case ACTION_LEFT:
		p->back += step;
		return SCREEN_REDRAW;
	case ACTION_RIGHT:
		p->back = p->back > step ? p->back - step : 0;
		return SCREEN_REDRAW;
	case ACTION_ENTER:
		return n > 0 ? SCREEN_DETAIL : 0;
	case ACTION_END:
		/* the newest samples too, not only the last row */
		p->back = 0;
		break;
	default:
		break;
	}
	return keys_move_selection(a, &p->sel, n, page) ? SCREEN_REDRAW : 0;
}

void panel_latency_select(struct panel_latency *p, int target)
{
	if (target >= 0)
		p->sel = target;
}

void panel_latency_detail(const struct panel_latency *p, const struct screen_ctx *c, struct screen_lines *out,
			  char *title, size_t tlen)
{
	snprintf(title, tlen, "Target");
	if (p->sel < 0 || (size_t)p->sel >= monitor_target_count(c->m)) {
		screen_lines_add(out, ROLE_DIM, 0, "nothing selected");
		return;
	}
	panel_status_describe_target(c, (size_t)p->sel, out);
}

/* ---- the panel's table for the screen (panel.h) ---- */

static void ops_title(const void *panel, const struct screen_ctx *c, char *buf, size_t len)
{
	panel_latency_title(panel, c, buf, len);
}

static void ops_draw(void *panel, const struct screen_ctx *c, struct rect r, bool focused)
{
	panel_latency_draw(panel, c, r, focused);
}

static unsigned ops_key(void *panel, const struct monitor *m, bool tiny, enum key_action a)
{
	(void)tiny;
	return panel_latency_key(panel, m, a);
}

static void ops_detail(const void *panel, const struct screen_ctx *c, struct screen_lines *out, char *title,
		       size_t tlen)
{
	panel_latency_detail(panel, c, out, title, tlen);
}

const struct panel_ops panel_latency_ops = {
	.name = "latency",
	.title = ops_title,
	.draw = ops_draw,
	.key = ops_key,
	.detail = ops_detail,
};
