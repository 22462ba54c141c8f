/* panel_log.c: the incident log, newest first.
 *
 * The panel keeps the selected event by id, not by row, so the selection
 * stays on the same event while new ones arrive above it; an id of 0 means
 * "the newest", which follows the log. The rows are rebuilt from the event
 * log (through the filter) at every draw and key. */
#include "panel_log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "panel.h"

#define HSCROLL_STEP 8

void panel_log_init(struct panel_log *p)
{
	memset(p, 0, sizeof(*p));
}

void panel_log_done(struct panel_log *p)
{
	free(p->rows);
	p->rows = NULL;
	p->n_rows = p->cap = 0;
}

static void rebuild_rows(struct panel_log *p, struct eventlog *log)
{
	size_t n = eventlog_count(log);

	p->n_total = n;
	if (n > p->cap) {
		const struct event **r = realloc(p->rows, n * sizeof(*r));

		if (!r) {
			p->n_rows = 0;
			return;
		}
		p->rows = r;
		p->cap = n;
	}
	if (p->filter[0]) {
		size_t m = eventlog_filter(log, p->filter, p->rows, p->cap);

		p->n_rows = m < p->cap ? m : p->cap;
	} else {
		for (size_t i = 0; i < n; i++)
			p->rows[i] = eventlog_at(log, i);
		p->n_rows = n;
	}
}

static int selected_index(const struct panel_log *p)
{
	if (p->sel_id == 0)
		return 0;
	for (size_t i = 0; i < p->n_rows; i++)
		if (p->rows[i]->id == p->sel_id)
			return (int)i;
	return -1;
}

static const char *severity_word(enum event_severity s)
{
	switch (s) {
	case EVENT_INFO: return "INFO";
	case EVENT_NOTICE: return "NOTE";
	case EVENT_WARNING: return "WARN";
	case EVENT_CRITICAL: return "CRIT";
	}
	return "?";
}

static enum theme_role severity_role(enum event_severity s)
{
	switch (s) {
	case EVENT_INFO: return ROLE_LOG_INFO;
	case EVENT_NOTICE: return ROLE_LOG_NOTICE;
	case EVENT_WARNING: return ROLE_LOG_WARNING;
	case EVENT_CRITICAL: return ROLE_LOG_CRITICAL;
	}
	return ROLE_LOG_INFO;
}

static bool same_day(double a, double b)
{
	time_t ta = (time_t)a, tb = (time_t)b;
	struct tm x, y;

	localtime_r(&ta, &x);
	localtime_r(&tb, &y);
	return x.tm_year == y.tm_year && x.tm_yday == y.tm_yday;
}

static void short_time(double t, bool minutes, bool day, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	if (day)
		strftime(buf, len, minutes ? "%m-%d %H:%M" : "%m-%d %H:%M:%S", &tm);
	else
		strftime(buf, len, minutes ? "%H:%M" : "%H:%M:%S", &tm);
}

/* "api: confirming -> down (HTTP 503)" without its first state, for a row
 * too narrow for the whole text: "api: down (HTTP 503)". The state it came
 * from is the detail that goes first; the state now and its cause stay.
 * Returns false when the text has no such form. */
static bool compact_text(const char *text, char *buf, size_t len)
{
	const char *arrow = strstr(text, " -> ");
	const char *colon = NULL;

	if (!arrow)
		return false;
	for (const char *q = text; q + 1 < arrow; q++)
		if (q[0] == ':' && q[1] == ' ')
			colon = q;
	if (!colon)
		return false;
	snprintf(buf, len, "%.*s%s", (int)(colon + 2 - text), text, arrow + 4);
	return true;
}

/* Events above the first row shown that arrived after the user last looked
 * at the newest one. */
static int new_above(const struct panel_log *p)
{
	int n = 0;

	if (p->sel_id == 0)
		return 0;
	for (int k = 0; k < p->top && k < (int)p->n_rows; k++)
		n += p->rows[k]->id > p->seen_id;
	return n;
}

/* " ↑ N new " at the top right of r; returns its width (0: not drawn). */
static int draw_new_marker(const struct screen_ctx *c, struct rect r, int n)
{
	char buf[48];
	int w;

	snprintf(buf, sizeof(buf), " %s %d new ", screen_glyph(c, "\u2191", "^"), n);
	w = screen_width(c, buf);
	if (w > r.w / 2)
		return 0;
	screen_put(c, r.y, r.x + r.w - w, w, screen_attr(c, ROLE_TITLE) | A_REVERSE, buf);
	return w;
}

void panel_log_draw(struct panel_log *p, const struct screen_ctx *c, struct rect r, bool focused)
{
	int sel, time_w, sev_w = 4, src_w = 8, news, below, more_w = 0, new_w = 0;
	bool other_day = false, minutes;

	if (rect_empty(r))
		return;
	rebuild_rows(p, monitor_events(c->m));
	if (p->n_rows == 0) {
		if (p->filter[0])
			screen_putf_fit(c, r.y, r.x, r.w, screen_attr(c, ROLE_DIM),
					"no event matches \"%s\" (Esc: show all)", p->filter);
		else
			screen_put(c, r.y, r.x, r.w, screen_attr(c, ROLE_DIM), "no events yet");
		return;
	}
	sel = selected_index(p);
	if (sel < 0) {
		/* the selected event left the log or the filter: back to the newest */
		p->sel_id = 0;
		sel = 0;
	}
	if (p->sel_id == 0) {
		/* following: the newest event on the first row */
		p->top = 0;
		p->seen_id = p->rows[0]->id;
	}
	p->page = r.h;
	screen_scroll_clamp(&sel, &p->top, (int)p->n_rows, r.h);
	for (int k = 0; k < r.h && p->top + k < (int)p->n_rows; k++)
		other_day = other_day || !same_day(p->rows[p->top + k]->time, c->now);
	/* narrow panels keep the time and the text first */
	minutes = r.w < 40;
	time_w = other_day ? (minutes ? 11 : 14) : (minutes ? 5 : 8);
	if (r.w < 60)
		src_w = 0;
	if (r.w < 30)
		sev_w = 0;

	/* the markers first: the words of the rows they sit on end before them */
	news = new_above(p);
	if (news > 0)
		new_w = draw_new_marker(c, r, news);
	below = (int)p->n_rows - p->top - r.h;
	/* the last row's words end before the "+N ↓" drawn over its end */
	if (below > 0 && r.w > 12)
		more_w = screen_more_width(c, below);

	for (int k = 0; k < r.h && p->top + k < (int)p->n_rows; k++) {
		const struct event *ev = p->rows[p->top + k];
		int right = r.x + r.w - (k == r.h - 1 ? more_w : 0) - (k == 0 ? new_w : 0);
		bool is_sel = p->top + k == sel && (focused || p->sel_id != 0);
		int y = r.y + k, x = r.x;
		attr_t role = screen_attr(c, severity_role(ev->severity));
		attr_t dim = screen_attr(c, ROLE_DIM);
		const char *text = screen_skip(c, ev->text, p->hscroll);
		char when[32], shorter[512];

		if (is_sel) {
			/* the selection stays in sight, dimmed, when the panel is not focused */
			attr_t a = focused ? screen_attr(c, ROLE_SELECTION) : screen_attr(c, ROLE_DIM) | A_REVERSE;

			screen_fill(c, (struct rect){r.x, y, right - r.x, 1}, a);
			role = dim = a;
		}
		short_time(ev->time, minutes, other_day, when, sizeof(when));
		screen_put(c, y, x, time_w, dim, when);
		x += time_w + 1;
		if (sev_w && x + sev_w <= r.x + r.w) {
			screen_put(c, y, x, sev_w, role, severity_word(ev->severity));
			x += sev_w + 1;
		}
		if (src_w && x + src_w <= r.x + r.w) {
			screen_put(c, y, x, src_w, dim, eventlog_source_name(ev->source));
			x += src_w + 1;
		}
		if (x - r.x + 2 <= r.w) {
			screen_put(c, y, x, 1, role, ev->detail && ev->detail[0] ? "+" : " ");
			x += 2;
		}
		if (x >= right)
			continue;
		/* several services share the log: whose it is, first */
		if (ev->service && p->hscroll == 0)
			x += screen_putf(c, y, x, right - x, role | A_BOLD, "%s: ", ev->service);
		if (x >= right)
			continue;
		if (screen_width(c, text) > right - x && p->hscroll == 0 &&
		    compact_text(text, shorter, sizeof(shorter)))
			text = shorter;
		screen_put_fit(c, y, x, right - x, role, text);
	}
	if (more_w)
		screen_more(c, r, below);
}

void panel_log_title(const struct panel_log *p, const struct screen_ctx *c, char *buf, size_t len)
{
	if (p->filter[0])
		snprintf(buf, len, "Log: \"%s\", %zu of %zu", p->filter, p->n_rows, p->n_total);
	else
		snprintf(buf, len, "Log: %zu event%s", p->n_total, p->n_total == 1 ? "" : "s");
}

unsigned panel_log_key(struct panel_log *p, const struct monitor *m, enum key_action a)
{
	int sel, n, page = p->page > 1 ? p->page - 1 : 1;

	rebuild_rows(p, monitor_events(m));
	n = (int)p->n_rows;
	sel = selected_index(p);
	if (sel < 0)
		sel = 0;
	switch (a) {
	case ACTION_UP: sel--; break;
	case ACTION_DOWN: sel++; break;
	case ACTION_PAGE_UP: sel -= page; break;
	case ACTION_PAGE_DOWN: sel += page; break;
	case ACTION_HOME:
	case ACTION_END:
		/* both ends lead back to following the newest event */
		p->sel_id = 0;
		return SCREEN_REDRAW;
	case ACTION_LEFT:
		p->hscroll = p->hscroll > HSCROLL_STEP ? p->hscroll - HSCROLL_STEP : 0;
		return SCREEN_REDRAW;
	case ACTION_RIGHT:
		p->hscroll += HSCROLL_STEP;
		return SCREEN_REDRAW;
	case ACTION_ENTER:
		if (n == 0)
			return 0;
		/* pin the event, so a newer one does not take over the detail view */
		if (p->sel_id == 0)
			p->seen_id = p->rows[0]->id;
		p->sel_id = p->rows[sel]->id;
		return SCREEN_DETAIL;
	case ACTION_BACK:
		if (!p->filter[0])
			return 0;
		panel_log_set_filter(p, "");
		return SCREEN_REDRAW;
	default:
		return 0;
	}
	if (sel >= n)
		sel = n - 1;
	if (sel < 0)
		sel = 0;
	if (p->sel_id == 0 && n > 0)
		p->seen_id = p->rows[0]->id;
	p->sel_id = sel == 0 || n == 0 ? 0 : p->rows[sel]->id;
	return SCREEN_REDRAW;
}

void panel_log_set_filter(struct panel_log *p, const char *text)
{
	snprintf(p->filter, sizeof(p->filter), "%s", text ? text : "");
	p->sel_id = 0;
	p->top = 0;
}

void panel_log_detail(const struct panel_log *p, const struct screen_ctx *c, struct screen_lines *out,
		      char *title, size_t tlen)
{
	struct eventlog *log = monitor_events(c->m);
	const struct event *ev = NULL;
	char when[64], iso[32];
	time_t tt;
	struct tm tm;

	snprintf(title, tlen, "Event");
	for (size_t i = 0; i < eventlog_count(log) && !ev; i++) {
		const struct event *e = eventlog_at(log, i);

		if (p->sel_id == 0 || e->id == p->sel_id)
			ev = e;
	}
	if (!ev) {
		screen_lines_add(out, ROLE_DIM, 0, "this event is no longer in memory");
		return;
	}
	tt = (time_t)ev->time;
	localtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	gmtime_r(&tt, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	screen_lines_add_text(out, severity_role(ev->severity), 0, ev->text);
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_DIM, 2, "time:      %s (%s)", when, iso);
	screen_lines_add(out, ROLE_DIM, 2, "severity:  %s", eventlog_severity_name(ev->severity));
	screen_lines_add(out, ROLE_DIM, 2, "source:    %s", eventlog_source_name(ev->source));
	if (ev->service)
		screen_lines_add(out, ROLE_DIM, 2, "service:   %s", ev->service);
	if (ev->component[0])
		screen_lines_add(out, ROLE_DIM, 2, "component: %s", ev->component);
	if (ev->target[0])
		screen_lines_add(out, ROLE_DIM, 2, "target:    %s", ev->target);
	if (ev->detail && ev->detail[0]) {
		screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
		screen_lines_add(out, ROLE_TITLE, 0, "%s", ev->source == EVENT_SRC_OFFICIAL ? "update" : "detail");
		screen_lines_add_text(out, ROLE_NORMAL, 2, ev->detail);
	}
}

/* ---- the panel's table for the screen (panel.h) ---- */

static void ops_title(const void *panel, const struct screen_ctx *c, char *buf, size_t len)
{
	panel_log_title(panel, c, buf, len);
}

static void ops_draw(void *panel, const struct screen_ctx *c, struct rect r, bool focused)
{
	panel_log_draw(panel, c, r, focused);
}

static unsigned ops_key(void *panel, const struct monitor *m, bool tiny, enum key_action a)
{
	(void)tiny;
	return panel_log_key(panel, m, a);
}

static void ops_detail(const void *panel, const struct screen_ctx *c, struct screen_lines *out, char *title,
		       size_t tlen)
{
	panel_log_detail(panel, c, out, title, tlen);
}

const struct panel_ops panel_log_ops = {
	.name = "log",
	.title = ops_title,
	.draw = ops_draw,
	.key = ops_key,
	.detail = ops_detail,
};
