/* panel_status.c: the component status panel.
 *
 * Rows: each component our targets name, followed by its service targets,
 * then every other target (controls, the status page, targets without a
 * component). A component row shows the component's state as the monitor
 * computed it (the same one the details, --once and --json give) beside the
 * official word; a target row its last latency, p95 and loss over the last
 * 15 minutes, and its last error in short. Columns are dropped from the right
 * end of their priority list as the panel narrows. */
#include "panel_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "badges.h"
#include "panel.h"
struct row {
	bool component;
	size_t i; /* component or target index */
	bool child; /* a target listed under its component */
};

static bool target_under(const struct target *t, const char *component)
{
	return t->role == TARGET_ROLE_SERVICE && t->component && component &&
	       strcmp(t->component, component) == 0;
}

/* Fills rows (room for components + targets) and returns how many. */
static size_t build_rows(const struct monitor *m, struct row *rows)
{
	size_t nc = monitor_component_count(m), nt = monitor_target_count(m), n = 0;
	bool *used = calloc(nt ? nt : 1, sizeof(*used));

	if (!used)
		return 0;
	for (size_t c = 0; c < nc; c++) {
		struct monitor_component_info ci;

		monitor_component_info(m, c, &ci);
		rows[n++] = (struct row){true, c, false};
		for (size_t t = 0; t < nt; t++) {
			struct monitor_target_info ti;

			monitor_target_info(m, t, &ti);
			if (!used[t] && target_under(ti.target, ci.name)) {
				used[t] = true;
				rows[n++] = (struct row){false, t, true};
			}
		}
	}
	for (size_t t = 0; t < nt; t++)
		if (!used[t])
			rows[n++] = (struct row){false, t, false};
	free(used);
	return n;
}

int panel_status_rows(const struct monitor *m)
{
	return (int)(monitor_component_count(m) + monitor_target_count(m));
}

static enum theme_role official_role(enum assess_official o, bool known)
{
	if (!known)
		return ROLE_DIM;
	switch (o) {
	case ASSESS_OFFICIAL_OPERATIONAL: return ROLE_STATE_OPERATIONAL;
	case ASSESS_OFFICIAL_DEGRADED: return ROLE_STATE_DEGRADED;
	case ASSESS_OFFICIAL_PARTIAL: return ROLE_STATE_PARTIAL;
	case ASSESS_OFFICIAL_MAJOR: return ROLE_STATE_MAJOR;
	case ASSESS_OFFICIAL_MAINTENANCE: return ROLE_STATE_MAINTENANCE;
	case ASSESS_OFFICIAL_UNKNOWN: break;
	}
	return ROLE_DIM;
}

/* A selected row is drawn whole in the selection role: the words still say
 * the state. */
static attr_t pick(const struct screen_ctx *c, bool selected, enum theme_role r)
{
	return screen_attr(c, selected ? ROLE_SELECTION : r);
}

/* Under a local verdict (it's just you) a target that fails from here is not
 * down for the world: it reads "unreachable", dimmed, not a red DOWN. */
static bool local_verdict(const struct monitor *m)
{
	return monitor_verdict(m)->state == VERDICT_LOCAL_PROBLEM;
}

static const char *row_target_badge(const struct screen_ctx *c, const struct monitor_target_info *ti,
				    enum theme_role *role)
{
	enum assess_state s = ti->state;

	if (ti->needs && ti->needs[0]) {
		/* never probed: its key is not set (the result column says which) */
		*role = ROLE_DIM;
		return "- SKIPPED";
	}
	if (s == ASSESS_DOWN && local_verdict(c->m)) {
		*role = ROLE_DIM;
		return "? UNREACH";
	}
	return badge_target(c, s, role);
}

static const char *row_component_badge(const struct screen_ctx *c, const struct monitor_component_info *ci,
				       enum theme_role *role)
{
	const char *badge = badge_component(c, ci->state, role);

	/* unknown for a reason: the badge says which, dimmed (the details and
	 * --json give the reason in words) */
	if (ci->state == ASSESS_COMPONENT_UNKNOWN && ci->reason && ci->reason[0]) {
		*role = ROLE_DIM;
		if (strcmp(ci->reason, DIAGNOSE_REASON_UNREACHABLE) == 0)
			return "? UNREACH";
		if (strcmp(ci->reason, DIAGNOSE_REASON_CHECKING) == 0)
			return "? CHECKING";
	}
	return badge;
}

/* The last result in short: the error of a failure, else what answered. */
static void short_result(const struct screen_ctx *c, const struct monitor_target_info *ti, char *buf, size_t len)
{
	const struct sample *s = ti->last;

	if (ti->target->kind == TARGET_STATUSPAGE) {
		const struct statuspage *sp = monitor_official(c->m);
		const char *err = monitor_official_error(c->m);

		if (err[0])
			snprintf(buf, len, "%s", err);
		else if (sp)
			snprintf(buf, len, "%s", sp->description[0] ? sp->description :
						 statuspage_indicator_name(sp->indicator));
		else
			snprintf(buf, len, "%s", s ? "" : "not read yet");
		return;
	}
	if (ti->needs && ti->needs[0]) {
		snprintf(buf, len, "skipped: %s", ti->needs);
		return;
	}
	if (!s) {
		snprintf(buf, len, "%s", ti->in_flight ? "probing" : "");
		return;
	}
	if (!s->ok) {
		if (s->error[0])
			snprintf(buf, len, "%s", s->error);
		else if (s->http_status)
			snprintf(buf, len, "HTTP %ld %s", s->http_status, assess_outcome_text(s->outcome, s->http_status));
		else
			snprintf(buf, len, "%s", assess_outcome_text(s->outcome, s->http_status));
		return;
	}
	if (s->llm && s->tokens_per_s >= 0)
		snprintf(buf, len, "%s%ld tokens at %.0f/s", s->outcome == OUTCOME_SLOW ? "slow first token, " : "",
			 s->tokens_out, s->tokens_per_s);
	else if (s->http_status)
		snprintf(buf, len, "HTTP %ld", s->http_status);
	else if (ti->target->kind == TARGET_DNS)
		snprintf(buf, len, "%d+%d addresses", s->n_addr_v4, s->n_addr_v6);
	else
		snprintf(buf, len, "%s", assess_outcome_text(s->outcome, s->http_status));
}

/* ---- columns -------------------------------------------------------------- */

enum col { COL_NAME, COL_STATE, COL_LAST, COL_P95, COL_LOSS, COL_UPTIME, COL_OFFICIAL, COL_RESULT, COL_N };

/* The uptime the column shows: 24 h, history_uptime_windows[1] (all three
 * are in the details). */
#define UPTIME_COLUMN_WINDOW 1
#define RESULT_ROOM 24 /* the result's width before there is room for uptime */

struct columns {
	int x[COL_N], w[COL_N]; /* w 0: not shown */
};

static void plan_columns(struct columns *cl, int width, int name_w)
{
	/* priority order: the ones listed first are kept longest */
	static const enum col order[] = {COL_LAST, COL_LOSS, COL_OFFICIAL, COL_P95, COL_RESULT};
	static const int want[COL_N] = {0, 10, 7, 7, 5, 7, 11, 12};
	int used, x = 0;

	memset(cl, 0, sizeof(*cl));
	cl->w[COL_NAME] = name_w;
	cl->w[COL_STATE] = want[COL_STATE];
	if (name_w + 1 + want[COL_STATE] > width) {
		cl->w[COL_NAME] = width - 1 - want[COL_STATE];
		if (cl->w[COL_NAME] < 4) {
			cl->w[COL_NAME] = width;
			cl->w[COL_STATE] = 0;
		}
	}
	used = cl->w[COL_NAME] + (cl->w[COL_STATE] ? cl->w[COL_STATE] + 1 : 0);
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && cl->w[COL_STATE]; k++) {
		enum col c = order[k];

		if (used + 1 + want[c] <= width) {
			cl->w[c] = want[c];
			used += 1 + want[c];
		}
	}
	/* uptime only where the result keeps room for its words ("Minor
	 * Service Outage", "connection refused") */
	if (cl->w[COL_RESULT] && width - used >= 1 + want[COL_UPTIME] + RESULT_ROOM - want[COL_RESULT]) {
		cl->w[COL_UPTIME] = want[COL_UPTIME];
		used += 1 + want[COL_UPTIME];
	}
	/* what is left goes to the result column */
	if (cl->w[COL_RESULT])
		cl->w[COL_RESULT] += width - used;
	else if (cl->w[COL_STATE])
		cl->w[COL_NAME] += width - used;
	for (int c = 0; c < COL_N; c++) {
		if (!cl->w[c])
			continue;
		cl->x[c] = x;
		x += cl->w[c] + 1;
	}
}

/* A one-word cell ("operational", "(control)") is shown whole or not at all. */
static void put_whole(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s)
{
	if (screen_width(c, s) <= w)
		screen_put(c, y, x, w, a, s);
}

/* Columns cut to end before column `limit`; a column with no room left is
 * not shown. */
static void clip_columns(struct columns *cl, int limit)
{
	for (int k = 0; k < COL_N; k++) {
		if (cl->x[k] + cl->w[k] <= limit)
			continue;
		/* a number cut would read as another number */
		if (k == COL_LAST || k == COL_P95 || k == COL_LOSS || k == COL_UPTIME)
			cl->w[k] = 0;
		else
			cl->w[k] = limit - cl->x[k] > 0 ? limit - cl->x[k] : 0;
	}
}

static void draw_header(const struct screen_ctx *c, const struct columns *cl, int y, int x0)
{
	static const char *const names[COL_N] = {"NAME", "STATE", "LAST", "P95", "LOSS", "UP 24H", "OFFICIAL", "RESULT"};
	attr_t a = screen_attr(c, ROLE_HEADER);

	for (int k = 0; k < COL_N; k++) {
		if (!cl->w[k])
			continue;
		if (k == COL_LAST || k == COL_P95 || k == COL_LOSS || k == COL_UPTIME)
			screen_put_right(c, y, x0 + cl->x[k], cl->w[k], a, names[k]);
		else
			screen_put(c, y, x0 + cl->x[k], cl->w[k], a, names[k]);
	}
}

/* Uptime as measured, "99.93 %"; below 99 % drawn as degraded. */
static void put_uptime(const struct screen_ctx *c, const struct columns *cl, int y, int x0, bool selected, int rc,
		       double ratio)
{
	char buf[16];

	if (rc == 0)
		history_uptime_text(ratio, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "-");
	screen_put_right(c, y, x0 + cl->x[COL_UPTIME], cl->w[COL_UPTIME],
			 pick(c, selected, rc == 0 && ratio < 0.99 ? ROLE_STATE_DEGRADED : ROLE_NORMAL), buf);
}

static void draw_component(const struct screen_ctx *c, const struct columns *cl, int y, int x0, size_t i,
			   bool selected)
{
	struct monitor_component_info ci;
	enum theme_role role;
	const char *badge;
	double up = 0;

	monitor_component_info(c->m, i, &ci);
	screen_put_fit(c, y, x0 + cl->x[COL_NAME], cl->w[COL_NAME], pick(c, selected, ROLE_TITLE), ci.name);
	if (cl->w[COL_STATE]) {
		badge = row_component_badge(c, &ci, &role);
		screen_put(c, y, x0 + cl->x[COL_STATE], cl->w[COL_STATE], pick(c, selected, role), badge);
	}
	if (cl->w[COL_UPTIME]) {
		int rc = monitor_component_uptime(c->m, ci.name, UPTIME_COLUMN_WINDOW, c->now, &up);

		put_uptime(c, cl, y, x0, selected, rc, up);
	}
	if (cl->w[COL_OFFICIAL])
		put_whole(c, y, x0 + cl->x[COL_OFFICIAL], cl->w[COL_OFFICIAL],
			  pick(c, selected, official_role(ci.official, ci.official_known)),
			  badge_official_word(ci.official, ci.official_known));
	if (!cl->w[COL_RESULT])
		return;
	/* the reason of an unknown state, or what our probes alone say when the
	 * official word made the state */
	if (ci.reason && ci.reason[0]) {
		screen_put_fit(c, y, x0 + cl->x[COL_RESULT], cl->w[COL_RESULT], pick(c, selected, ROLE_DIM),
			       ci.reason);
	} else if (ci.ours != ci.state && ci.ours != ASSESS_COMPONENT_UNKNOWN) {
		badge = badge_component(c, ci.ours, &role);
		screen_putf_fit(c, y, x0 + cl->x[COL_RESULT], cl->w[COL_RESULT], pick(c, selected, ROLE_DIM),
				"our probes: %s", badge);
	}
}

static void draw_target(const struct screen_ctx *c, const struct columns *cl, int y, int x0, size_t i,
			bool child, bool selected)
{
	struct monitor_target_info ti;
	struct history_stats st;
	enum theme_role role;
	const char *badge;
	char buf[SAMPLE_ERROR_LEN + 32];
	attr_t normal = pick(c, selected, ROLE_NORMAL);
	double up = 0;

	monitor_target_info(c->m, i, &ti);
	history_stats(ti.history, c->now, PANEL_STATUS_WINDOW_S, &st);
	snprintf(buf, sizeof(buf), "%s%s", child ? "  " : "", ti.target->name);
	screen_put_fit(c, y, x0 + cl->x[COL_NAME], cl->w[COL_NAME], normal, buf);
	if (cl->w[COL_STATE]) {
		badge = row_target_badge(c, &ti, &role);
		screen_put(c, y, x0 + cl->x[COL_STATE], cl->w[COL_STATE], pick(c, selected, role), badge);
	}
	if (cl->w[COL_LAST]) {
		/* a model's latency is its time to first token, as in its history */
		if (ti.last && ti.last->ok)
			timefmt_ms_as(ti.last->llm ? ti.last->first_token_ms : ti.last->total_ms, TIMEFMT_MS_COMPACT, buf,
				      sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%s", ti.last ? "fail" : "-");
		screen_put_right(c, y, x0 + cl->x[COL_LAST], cl->w[COL_LAST],
				 ti.last && !ti.last->ok ? pick(c, selected, ROLE_SPARK_FAIL) : normal, buf);
	}
	if (cl->w[COL_P95]) {
		if (st.ok_count)
			timefmt_ms_as(st.p95, TIMEFMT_MS_COMPACT, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "-");
		screen_put_right(c, y, x0 + cl->x[COL_P95], cl->w[COL_P95], normal, buf);
	}
	if (cl->w[COL_LOSS]) {
		if (!st.count)
			snprintf(buf, sizeof(buf), "-");
		else if (st.loss > 0 && st.loss < 0.1)
			snprintf(buf, sizeof(buf), "%.1f%%", st.loss * 100);
		else
			snprintf(buf, sizeof(buf), "%.0f%%", st.loss * 100);
		screen_put_right(c, y, x0 + cl->x[COL_LOSS], cl->w[COL_LOSS],
				 st.failures ? pick(c, selected, ROLE_STATE_DEGRADED) : normal, buf);
	}
	if (cl->w[COL_UPTIME]) {
		int rc = monitor_target_uptime(c->m, i, UPTIME_COLUMN_WINDOW, c->now, &up);

		put_uptime(c, cl, y, x0, selected, rc, up);
	}
	if (cl->w[COL_OFFICIAL])
		put_whole(c, y, x0 + cl->x[COL_OFFICIAL], cl->w[COL_OFFICIAL], pick(c, selected, ROLE_DIM),
			  ti.target->role == TARGET_ROLE_CONTROL ? "(control)" : "");
	if (cl->w[COL_RESULT]) {
		short_result(c, &ti, buf, sizeof(buf));
		screen_put_fit(c, y, x0 + cl->x[COL_RESULT], cl->w[COL_RESULT],
			       pick(c, selected, ti.last && !ti.last->ok && !local_verdict(c->m) ? ROLE_STATE_MAJOR :
						 ROLE_DIM), buf);
	}
}

void panel_status_draw(struct panel_status *p, const struct screen_ctx *c, struct rect r, bool focused)
{
	size_t cap = (size_t)panel_status_rows(c->m);
	struct row *rows;
	struct columns cl;
	int n, name_w = 8, body;

	if (rect_empty(r))
		return;
	if (cap == 0) {
		screen_put(c, r.y, r.x, r.w, screen_attr(c, ROLE_DIM), "no targets configured");
		return;
	}
	rows = calloc(cap, sizeof(*rows));
	if (!rows)
		return;
	n = (int)build_rows(c->m, rows);
	for (int k = 0; k < n; k++) {
		const char *name;
		int w;

		if (rows[k].component) {
			struct monitor_component_info ci;

			monitor_component_info(c->m, rows[k].i, &ci);
			name = ci.name;
		} else {
			struct monitor_target_info ti;

			monitor_target_info(c->m, rows[k].i, &ti);
			name = ti.target->name;
		}
		w = screen_width(c, name) + (rows[k].child ? 2 : 0);
		if (w > name_w)
			name_w = w;
	}
	if (name_w > 24)
		name_w = 24;
	if (name_w > r.w / 3 && r.w >= 36)
		name_w = r.w / 3;
	plan_columns(&cl, r.w, name_w);
	/* the header only when there is room for it and a row */
	body = r.h;
	if (r.h >= 2) {
		draw_header(c, &cl, r.y, r.x);
		body = r.h - 1;
	}
	p->page = body;
	screen_scroll_clamp(&p->sel, &p->top, n, body);
	for (int k = 0; k < body && p->top + k < n; k++) {
		const struct row *rw = &rows[p->top + k];
		int y = r.y + (r.h - body) + k;
		bool sel = focused && p->top + k == p->sel;
		struct columns row_cl = cl;

		/* the last row's columns end before the "+N ↓" drawn over its end */
		if (k == body - 1 && p->top + body < n && r.w > 10)
			clip_columns(&row_cl, r.w - screen_more_width(c, n - p->top - body));
		if (sel)
			screen_fill(c, (struct rect){r.x, y, r.w, 1}, screen_attr(c, ROLE_SELECTION));
		if (rw->component)
			draw_component(c, &row_cl, y, r.x, rw->i, sel);
		else
			draw_target(c, &row_cl, y, r.x, rw->i, rw->child, sel);
	}
	/* the rows below the panel's end, when there are some */
	if (p->top + body < n && r.w > 10)
		screen_more(c, r, n - p->top - body);
	free(rows);
}

/* The rows the tiny view shows, as indexes into build_rows: the components,
 * or the targets when there are none. Returns how many; *idx is malloc'd
 * (NULL when there are none). */
static int tiny_rows(const struct monitor *m, int **idx)
{
	size_t cap = (size_t)panel_status_rows(m), n_all;
	struct row *rows;
	bool comps = monitor_component_count(m) > 0;
	int n = 0;

	*idx = NULL;
	if (cap == 0)
		return 0;
	rows = calloc(cap, sizeof(*rows));
	*idx = calloc(cap, sizeof(**idx));
	if (!rows || !*idx) {
		free(rows);
		free(*idx);
		*idx = NULL;
		return 0;
	}
	n_all = build_rows(m, rows);
	for (size_t i = 0; i < n_all; i++)
		if (rows[i].component == comps)
			(*idx)[n++] = (int)i;
	free(rows);
	return n;
}

/* The tiny line that holds the selection: its component's line. */
static int tiny_line(const struct panel_status *p, const int *idx, int n)
{
	int k = 0;

	while (k + 1 < n && idx[k + 1] <= p->sel)
		k++;
	return k;
}

unsigned panel_status_key_tiny(struct panel_status *p, const struct monitor *m, enum key_action a)
{
	int *idx, n = tiny_rows(m, &idx), k;
	unsigned r = 0;

	if (n == 0)
		return 0;
	k = tiny_line(p, idx, n);
	if (a == ACTION_ENTER) {
		/* what Enter opens is the line shown selected */
		p->sel = idx[k];
		r = SCREEN_DETAIL;
	} else if (keys_move_selection(a, &k, n, p->page > 1 ? p->page - 1 : 1)) {
		p->sel = idx[k];
		r = SCREEN_REDRAW;
	}
	free(idx);
	return r;
}

void panel_status_draw_tiny(struct panel_status *p, const struct screen_ctx *c, struct rect r)
{
	size_t nc = monitor_component_count(c->m), nt = monitor_target_count(c->m);
	size_t n = nc ? nc : nt;
	int shown = (int)n, *idx, ni, sel;

	if (rect_empty(r))
		return;
	ni = tiny_rows(c->m, &idx);
	sel = ni ? tiny_line(p, idx, ni) : -1;
	free(idx);
	if ((int)n > r.h)
		shown = r.h - 1;
	p->page = shown;
	for (int k = 0; k < shown; k++) {
		const char *name, *badge, *off = NULL;
		enum theme_role role;
		int bw, nw;
		bool is_sel = k == sel;

		if (nc) {
			struct monitor_component_info ci;

			monitor_component_info(c->m, (size_t)k, &ci);
			name = ci.name;
			badge = row_component_badge(c, &ci, &role);
			if (ci.official_known)
				off = badge_official_word(ci.official, true);
		} else {
			struct monitor_target_info ti;

			monitor_target_info(c->m, (size_t)k, &ti);
			name = ti.target->name;
			badge = row_target_badge(c, &ti, &role);
		}
		bw = screen_width(c, badge);
		nw = r.w - bw - 1;
		/* Enter opens the line shown selected */
		if (is_sel)
			screen_fill(c, (struct rect){r.x, r.y + k, r.w, 1}, screen_attr(c, ROLE_SELECTION));
		if (nw < 1) {
			screen_put(c, r.y + k, r.x, r.w, pick(c, is_sel, role), badge);
			continue;
		}
		screen_put_fit(c, r.y + k, r.x, nw, pick(c, is_sel, ROLE_NORMAL), name);
		screen_put(c, r.y + k, r.x + nw + 1, bw, pick(c, is_sel, role), badge);
		/* the official word after the name when there is room */
		if (off) {
			int used = screen_width(c, name);
			int ow = screen_width(c, off) + 3;

			if (used + 1 + ow <= nw)
				screen_putf(c, r.y + k, r.x + nw - ow, ow, pick(c, is_sel, ROLE_DIM), "(%s)", off);
		}
	}
	if (shown < (int)n)
		screen_putf(c, r.y + r.h - 1, r.x, r.w, screen_attr(c, ROLE_DIM), "+%d more", (int)n - shown);
}

void panel_status_title(const struct panel_status *p, const struct screen_ctx *c, char *buf, size_t len)
{
	size_t nt = monitor_target_count(c->m), down = 0;
	const struct verdict *v = monitor_verdict(c->m);

	for (size_t i = 0; i < nt; i++) {
		struct monitor_target_info ti;

		monitor_target_info(c->m, i, &ti);
		down += ti.state == ASSESS_DOWN;
	}
	/* the title tells the verdict's story: what fails from here is not down */
	if (v->state == VERDICT_UNKNOWN && v->cause == VERDICT_CAUSE_NO_DATA && nt > 0)
		snprintf(buf, len, "Status: checking");
	else if (down && v->state == VERDICT_LOCAL_PROBLEM)
		snprintf(buf, len, "Status: %zu of %zu unreachable from here", down, nt);
	else if (down)
		snprintf(buf, len, "Status: %zu of %zu targets down", down, nt);
	else
		snprintf(buf, len, "Status");
}

unsigned panel_status_key(struct panel_status *p, const struct monitor *m, enum key_action a)
{
	int n = panel_status_rows(m), page = p->page > 1 ? p->page - 1 : 1;

	if (a == ACTION_ENTER)
		return n > 0 ? SCREEN_DETAIL : 0;
	return keys_move_selection(a, &p->sel, n, page) ? SCREEN_REDRAW : 0;
}

static bool selected_row(const struct panel_status *p, const struct monitor *m, struct row *out)
{
	size_t cap = (size_t)panel_status_rows(m), n;
	struct row *rows;
	bool ok = false;

	if (cap == 0)
		return false;
	rows = calloc(cap, sizeof(*rows));
	if (!rows)
		return false;
	n = build_rows(m, rows);
	if (p->sel >= 0 && (size_t)p->sel < n) {
		*out = rows[p->sel];
		ok = true;
	}
	free(rows);
	return ok;
}

int panel_status_selected_target(const struct panel_status *p, const struct monitor *m)
{
	struct row rw;

	if (!selected_row(p, m, &rw) || rw.component)
		return -1;
	return (int)rw.i;
}

/* ---- details -------------------------------------------------------------- */

/* "uptime 1h 99.93 %, 24h 100 %, 7d -": as measured, over what the history
 * holds (this run and the runs before). */
static void add_uptime_line(const struct screen_ctx *c, struct screen_lines *out, size_t target,
			    const char *component)
{
	char line[128], cell[16];
	size_t at = 0;
	bool low = false;

	for (size_t w = 0; w < HISTORY_UPTIME_WINDOWS; w++) {
		double r;
		int rc = component ? monitor_component_uptime(c->m, component, w, c->now, &r)
				   : monitor_target_uptime(c->m, target, w, c->now, &r);

		if (rc == 0) {
			history_uptime_text(r, cell, sizeof(cell));
			low |= r < 0.99;
		} else {
			snprintf(cell, sizeof(cell), "-");
		}
		at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s %s", w ? ", " : "",
				       history_uptime_windows[w].name, cell);
	}
	screen_lines_add(out, low ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2, "uptime as measured: %s", line);
}

static void add_ms_line(struct screen_lines *out, const char *label, double v)
{
	char a[24];

	timefmt_ms_as(v, TIMEFMT_MS_COMPACT, a, sizeof(a));
	screen_lines_add(out, ROLE_NORMAL, 2, "%-12s %s", label, a);
}

/* What a model's last answer said of itself (every text sanitized when it came in). */
static void describe_answer(struct screen_lines *out, const struct sample *s)
{
	add_ms_line(out, "first token", s->first_token_ms);
	if (s->tokens_out >= 0 && s->tokens_per_s >= 0)
		screen_lines_add(out, ROLE_NORMAL, 2, "%ld tokens, %.1f per second after the first", s->tokens_out,
				 s->tokens_per_s);
	else if (s->tokens_out >= 0)
		screen_lines_add(out, ROLE_NORMAL, 2, "%ld tokens", s->tokens_out);
	screen_lines_add(out, ROLE_NORMAL, 2, "answered by %s, finish reason %s", s->llm_model[0] ? s->llm_model : "(not said)",
			 s->finish_reason[0] ? s->finish_reason : "(none)");
}

void panel_status_describe_target(const struct screen_ctx *c, size_t i, struct screen_lines *out)
{
	struct monitor_target_info ti;
	struct history_stats st;
	const struct target *t;
	const struct sample *s;
	enum theme_role role;
	const char *badge;
	char a[32], b[32], d[32];

	if (i >= monitor_target_count(c->m))
		return;
	monitor_target_info(c->m, i, &ti);
	t = ti.target;
	s = ti.last;
	screen_lines_add(out, ROLE_TITLE, 0, "%s: %s target, %s%s%s", t->name, target_kind_name(t->kind),
			 target_role_name(t->role), t->component ? ", component " : "", t->component ? t->component : "");
	if (t->url) {
		char *u = config_mask_url(t->url);

		screen_lines_add(out, ROLE_NORMAL, 2, "URL: %s", u ? u : "****");
		free(u);
	} else if (t->host && t->kind == TARGET_TCP) {
		screen_lines_add(out, ROLE_NORMAL, 2, "host: %s, port %d", t->host, t->port);
	} else if (t->host) {
		screen_lines_add(out, ROLE_NORMAL, 2, "host: %s", t->host);
	}
	if (t->n_headers)
		screen_lines_add(out, ROLE_DIM, 2, "%zu request header%s (values not shown)%s", t->n_headers,
				 t->n_headers == 1 ? "" : "s",
				 config_target_has_key(t) ? "; API key set" : "");
	badge = badge_target(c, ti.state, &role);
	screen_fmt_time(ti.state_since, c->now, a, sizeof(a));
	screen_lines_add(out, role, 2, "state: %s since %s%s", badge, a, ti.in_flight ? " (probing now)" : "");
	if (ti.needs && ti.needs[0])
		screen_lines_add(out, ROLE_DIM, 2, "skipped, never probed: %s", ti.needs);
	if (t->kind == TARGET_LLM)
		screen_lines_add(out, ROLE_NORMAL, 2, "model %s over %s, at most %d tokens, every %g s", t->model,
				 llm_api_name(t->api), t->max_tokens, t->interval_s);
	screen_lines_add(out, ROLE_NORMAL, 2, "probes: %lu, failed: %lu", ti.probes, ti.failures);
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	if (!s) {
		screen_lines_add(out, ROLE_DIM, 2, "no result yet");
	} else {
		screen_fmt_time(s->t, c->now, a, sizeof(a));
		screen_lines_add(out, ROLE_TITLE, 0, "last result, at %s", a);
		screen_lines_add(out, s->ok ? ROLE_STATE_OPERATIONAL : ROLE_STATE_MAJOR, 2, "%s%s%s",
				 s->ok ? "ok" : "failed: ",
				 s->ok ? "" : (s->error[0] ? s->error : assess_outcome_text(s->outcome, s->http_status)),
				 s->reused ? " (reused connection)" : "");
		if (s->http_status)
			screen_lines_add(out, ROLE_NORMAL, 2, "HTTP %ld (%s)%s%s", s->http_status,
					 assess_outcome_text(s->outcome, s->http_status),
					 s->http_version ? ", HTTP/" : "",
					 s->http_version == 20 ? "2" : s->http_version == 30 ? "3" :
					 s->http_version == 10 ? "1.0" : s->http_version == 11 ? "1.1" : "");
		if (s->remote_ip[0])
			screen_lines_add(out, ROLE_NORMAL, 2, "remote address: %s", s->remote_ip);
		if (t->kind == TARGET_DNS)
			screen_lines_add(out, ROLE_NORMAL, 2, "addresses: %d IPv4, %d IPv6", s->n_addr_v4, s->n_addr_v6);
		add_ms_line(out, "DNS", s->dns_ms);
		add_ms_line(out, "connect", s->connect_ms);
		add_ms_line(out, "TLS", s->tls_ms);
		add_ms_line(out, "first byte", s->ttfb_ms);
		add_ms_line(out, "transfer", s->transfer_ms);
		add_ms_line(out, "total", s->total_ms);
		if (s->llm)
			describe_answer(out, s);
		if (s->cert_expiry > 0) {
			char iso[32];
			struct tm tm;
			time_t e = s->cert_expiry;

			localtime_r(&e, &tm);
			strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
			timefmt_span(fabs((double)s->cert_expiry - c->now), d, sizeof(d));
			screen_lines_add(out, (double)s->cert_expiry - c->now < 14 * 86400.0 ? ROLE_STATE_DEGRADED :
					 ROLE_NORMAL, 2, "TLS certificate %s %s (%s %s)",
					 (double)s->cert_expiry > c->now ? "expires" : "expired", iso, d,
					 (double)s->cert_expiry > c->now ? "left" : "ago");
		}
		if (s->server_date > 0) {
			/* the answer came at about start + total */
			double skew = round((double)s->server_date - (s->t + fmax(s->total_ms, 0) / 1000.0));

			if (skew == 0)
				skew = 0; /* never "-0 s" */

			screen_lines_add(out, fabs(skew) > 60 ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2,
					 "server clock: %+.0f s from ours", skew);
		}
		if (s->retry_after_s >= 0)
			screen_lines_add(out, ROLE_STATE_DEGRADED, 2, "Retry-After: %.0f s", s->retry_after_s);
	}
	if (ti.v4.tried || ti.v6.tried || ti.direct.tried || ti.proxy.tried) {
		const struct diagnose_path *paths[] = {&ti.v4, &ti.v6, &ti.direct, &ti.proxy};
		static const char *const names[] = {"over IPv4", "over IPv6", "direct", "through the proxy"};

		screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
		screen_lines_add(out, ROLE_TITLE, 0, "paths");
		for (int k = 0; k < 4; k++)
			if (paths[k]->tried)
				screen_lines_add(out, paths[k]->ok ? ROLE_STATE_OPERATIONAL : ROLE_STATE_MAJOR, 2, "%s: %s",
						 names[k], paths[k]->ok ? "ok" :
						 assess_outcome_text(paths[k]->outcome, 0));
	}
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	for (int w = 0; w < 2; w++) {
		double window = w == 0 ? PANEL_STATUS_WINDOW_S : 3600.0;

		history_stats(ti.history, c->now, window, &st);
		screen_lines_add(out, ROLE_TITLE, 0, "last %s", w == 0 ? "15 minutes" : "hour");
		if (!st.count) {
			screen_lines_add(out, ROLE_DIM, 2, "no probes");
			continue;
		}
		screen_lines_add(out, st.failures ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2,
				 "%zu probes, %zu failed (%.1f%% loss)", st.count, st.failures, st.loss * 100);
		if (st.ok_count) {
			timefmt_ms_as(st.min, TIMEFMT_MS_COMPACT, a, sizeof(a));
			timefmt_ms_as(st.p50, TIMEFMT_MS_COMPACT, b, sizeof(b));
			timefmt_ms_as(st.p95, TIMEFMT_MS_COMPACT, d, sizeof(d));
			screen_lines_add(out, ROLE_NORMAL, 2, "min %s, p50 %s, p95 %s", a, b, d);
			timefmt_ms_as(st.p99, TIMEFMT_MS_COMPACT, a, sizeof(a));
			timefmt_ms_as(st.max, TIMEFMT_MS_COMPACT, b, sizeof(b));
			screen_lines_add(out, ROLE_NORMAL, 2, "p99 %s, max %s", a, b);
		}
	}
	{
		double base = history_baseline_ms(ti.history);
		double lim = assess_slow_limit(NULL, t->slow_ms, base);

		timefmt_ms_as(base > 0 ? base : -1, TIMEFMT_MS_COMPACT, a, sizeof(a));
		timefmt_ms_as(lim > 0 ? lim : -1, TIMEFMT_MS_COMPACT, b, sizeof(b));
		screen_lines_add(out, ROLE_DIM, 2, "baseline %s; counts as slow above %s", a, b);
	}
	add_uptime_line(c, out, i, NULL);
}

static void describe_component(const struct screen_ctx *c, size_t i, struct screen_lines *out)
{
	struct monitor_component_info ci;
	const struct statuspage *sp = monitor_official(c->m);
	enum theme_role role;
	const char *badge;
	bool any = false;

	monitor_component_info(c->m, i, &ci);
	screen_lines_add(out, ROLE_TITLE, 0, "component %s", ci.name);
	/* the same state as its row, --once and --json, then what made it */
	badge = row_component_badge(c, &ci, &role);
	if (ci.reason && ci.reason[0])
		screen_lines_add(out, role, 2, "state: %s (%s)", badge, ci.reason);
	else
		screen_lines_add(out, role, 2, "state: %s", badge);
	badge = badge_component(c, ci.ours, &role);
	screen_lines_add(out, ci.ours == ASSESS_COMPONENT_UNKNOWN ? ROLE_DIM : role, 2, "our probes: %s", badge);
	screen_lines_add(out, official_role(ci.official, ci.official_known), 2, "official: %s",
			 ci.official_known ? badge_official_word(ci.official, true) :
			 sp ? "not on the status page" : "status page not read");
	add_uptime_line(c, out, 0, ci.name);
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_TITLE, 0, "targets");
	for (size_t t = 0; t < monitor_target_count(c->m); t++) {
		struct monitor_target_info ti;
		char res[SAMPLE_ERROR_LEN + 32], ms[24];

		monitor_target_info(c->m, t, &ti);
		if (!target_under(ti.target, ci.name))
			continue;
		badge = row_target_badge(c, &ti, &role);
		short_result(c, &ti, res, sizeof(res));
		timefmt_ms_as(ti.last && ti.last->ok ? ti.last->total_ms : -1, TIMEFMT_MS_COMPACT, ms, sizeof(ms));
		screen_lines_add(out, role, 2, "%-16s %-10s %8s  %s", ti.target->name, badge, ms, res);
	}
	if (!sp)
		return;
	for (size_t k = 0; k < sp->n_incidents; k++) {
		const struct sp_incident *inc = &sp->incidents[k];
		bool match = inc->n_components == 0;

		for (size_t j = 0; j < inc->n_components && !match; j++)
			match = strcasecmp(inc->components[j], ci.name) == 0;
		if (!match || statuspage_state_is_closed(inc->state))
			continue;
		if (!any) {
			screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
			screen_lines_add(out, ROLE_TITLE, 0, "official incidents");
			any = true;
		}
		screen_lines_add(out, ROLE_STATE_DEGRADED, 2, "%s [%s, impact %s]", inc->name, inc->status,
				 statuspage_indicator_name(inc->impact));
		if (inc->n_updates > 0)
			screen_lines_add_text(out, ROLE_NORMAL, 4, inc->updates[0].body);
	}
}

void panel_status_detail(const struct panel_status *p, const struct screen_ctx *c, struct screen_lines *out,
			 char *title, size_t tlen)
{
	struct row rw;

	if (!selected_row(p, c->m, &rw)) {
		snprintf(title, tlen, "Status");
		screen_lines_add(out, ROLE_DIM, 0, "nothing selected");
		return;
	}
	if (rw.component) {
		snprintf(title, tlen, "Component");
		describe_component(c, rw.i, out);
	} else {
		snprintf(title, tlen, "Target");
		panel_status_describe_target(c, rw.i, out);
	}
}

/* ---- the panel's table for the screen (panel.h) ---- */

static void ops_title(const void *panel, const struct screen_ctx *c, char *buf, size_t len)
{
	panel_status_title(panel, c, buf, len);
}

static void ops_draw(void *panel, const struct screen_ctx *c, struct rect r, bool focused)
{
	panel_status_draw(panel, c, r, focused);
}

static unsigned ops_key(void *panel, const struct monitor *m, bool tiny, enum key_action a)
{
	return tiny ? panel_status_key_tiny(panel, m, a) : panel_status_key(panel, m, a);
}

static void ops_detail(const void *panel, const struct screen_ctx *c, struct screen_lines *out, char *title,
		       size_t tlen)
{
	panel_status_detail(panel, c, out, title, tlen);
}

const struct panel_ops panel_status_ops = {
	.name = "status",
	.title = ops_title,
	.draw = ops_draw,
	.key = ops_key,
	.detail = ops_detail,
};
