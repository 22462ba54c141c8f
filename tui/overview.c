/* overview.c: the services at a glance when several are watched, under the
 * verdict bar: a row each (its number, name, verdict, cause, the p95 of its
 * service targets over the last 15 minutes, its 24-hour uptime, the official
 * indicator and the fallback in an outage), or one line of numbered badges
 * where rows are short. The service the panels show is highlighted. */
#include <stdio.h>
#include <string.h>

#include "overview.h"
#include "panel_status.h"
#include "verdict_words.h"

#define NAME_W 14
#define WORD_W 15

enum theme_role overview_verdict_role(enum verdict_state st)
{
	switch (st) {
	case VERDICT_OPERATIONAL: return ROLE_STATE_OPERATIONAL;
	case VERDICT_DEGRADED: return ROLE_STATE_DEGRADED;
	case VERDICT_PARTIAL_OUTAGE: return ROLE_STATE_PARTIAL;
	case VERDICT_MAJOR_OUTAGE: return ROLE_STATE_MAJOR;
	case VERDICT_MAINTENANCE: return ROLE_STATE_MAINTENANCE;
	case VERDICT_LOCAL_PROBLEM: return ROLE_STATE_PARTIAL;
	case VERDICT_UNKNOWN: break;
	}
	return ROLE_STATE_UNKNOWN;
}

/* A mark that reads without colour: up, trouble, unknown. */
static const char *mark(const struct screen_ctx *c, enum verdict_state st)
{
	switch (st) {
	case VERDICT_OPERATIONAL: return screen_glyph(c, "\u2714", "+");
	case VERDICT_UNKNOWN: return "?";
	case VERDICT_MAINTENANCE:
	case VERDICT_DEGRADED: return "!";
	default: return screen_glyph(c, "\u2716", "x");
	}
}

/* The slowest p95 among its service targets over the panel's window; 0 none. */
static double worst_p95(const struct screen_ctx *c, const struct monitor *m)
{
	double worst = 0;

	for (size_t i = 0; i < monitor_target_count(m); i++) {
		struct monitor_target_info ti;
		struct history_stats st;

		monitor_target_info(m, i, &ti);
		if (ti.target->role != TARGET_ROLE_SERVICE || ti.target->kind == TARGET_STATUSPAGE)
			continue;
		if (history_stats(ti.history, c->now, PANEL_STATUS_WINDOW_S, &st) == 0 && st.ok_count && st.p95 > worst)
			worst = st.p95;
	}
	return worst;
}

/* The least 24-hour uptime among its service targets; -1 when none is known. */
static double least_uptime(const struct screen_ctx *c, const struct monitor *m)
{
	double least = 2, r;

	for (size_t i = 0; i < monitor_target_count(m); i++) {
		if (monitor_config(m)->targets[i].role != TARGET_ROLE_SERVICE)
			continue;
		if (monitor_target_uptime(m, i, 1, c->now, &r) == 0 && r < least)
			least = r;
	}
	return least > 1 ? -1 : least;
}

static void draw_row(const struct screen_ctx *c, const struct fleet *f, size_t i, bool selected, int y, int x,
		     int w)
{
	const struct monitor *m = fleet_monitor(f, i);
	const struct verdict *v = monitor_verdict(m);
	const struct statuspage *sp = monitor_official(m);
	attr_t base = selected ? screen_attr(c, ROLE_SELECTION) : screen_attr(c, ROLE_NORMAL);
	attr_t state = screen_attr(c, overview_verdict_role(v->state)) | (selected ? A_REVERSE : 0);
	char word[64], p95[24], up[16], cell[96];
	int at = x, end = x + w;
	double ms = worst_p95(c, m), ratio = least_uptime(c, m);

	verdict_lead(v, word, sizeof(word));
	if (selected)
		screen_fill(c, (struct rect){x, y, w, 1}, base);
	at += screen_putf(c, y, at, end - at, base, "%zu ", i + 1);
	screen_put_fit(c, y, at, NAME_W, base | A_BOLD, monitor_config(m)->service);
	at += NAME_W + 1;
	at += screen_putf(c, y, at, end - at, state, "%s %-*.*s", mark(c, v->state), WORD_W - 2, WORD_W - 2, word);
	at += 1;
	if (ms > 0)
		timefmt_ms_as(ms, TIMEFMT_MS_COMPACT, p95, sizeof(p95));
	else
		snprintf(p95, sizeof(p95), "-");
	if (ratio >= 0)
		history_uptime_text(ratio, up, sizeof(up));
	else
		snprintf(up, sizeof(up), "-");
	snprintf(cell, sizeof(cell), "p95 %-7s up %-8s", p95, up);
	if (end - at > (int)strlen(cell) + 10)
		at += screen_put(c, y, at, end - at, base, cell) + 1;
	if (sp && end - at > 20)
		at += screen_putf(c, y, at, end - at, screen_attr(c, ROLE_DIM) | (selected ? A_REVERSE : 0),
				  "official: %s ", statuspage_indicator_name(sp->indicator));
	/* what it is, or what to use instead */
	if (v->fallback[0])
		screen_putf_fit(c, y, at, end - at, base, "use %s", v->fallback);
	else if (v->state != VERDICT_OPERATIONAL)
		screen_putf_fit(c, y, at, end - at, screen_attr(c, ROLE_DIM) | (selected ? A_REVERSE : 0), "%s",
				diagnose_cause_name(v->cause));
}

/* One line: "1 ✔ OpenAI  2 ✖ Anthropic  ..." */
static void draw_line(const struct screen_ctx *c, const struct fleet *f, size_t selected, int y, int x, int w)
{
	int at = x, end = x + w;

	for (size_t i = 0; i < fleet_count(f) && at < end; i++) {
		const struct monitor *m = fleet_monitor(f, i);
		enum verdict_state st = monitor_verdict(m)->state;
		attr_t a = screen_attr(c, overview_verdict_role(st)) | (i == selected ? A_REVERSE | A_BOLD : 0);
		char item[96];
		int iw;

		snprintf(item, sizeof(item), "%zu %s %s", i + 1, mark(c, st), monitor_config(m)->service);
		iw = screen_width(c, item);
		if (at + iw > end) {
			screen_put(c, y, at, end - at, screen_attr(c, ROLE_DIM), screen_glyph(c, "\u2026", "..."));
			break;
		}
		at += screen_put(c, y, at, end - at, a, item) + 2;
	}
}

void overview_draw(const struct screen_ctx *c, const struct fleet *f, size_t selected, struct rect r)
{
	if (rect_empty(r) || !f)
		return;
	if (r.h == 1) {
		draw_line(c, f, selected, r.y, r.x, r.w);
		return;
	}
	for (size_t i = 0; i < fleet_count(f) && (int)i < r.h; i++)
		draw_row(c, f, i, i == selected, r.y + (int)i, r.x, r.w);
}
