/* layout.c: window geometry for the monitor.
 *
 * The window is cut into a verdict line at the top, a footer line at the
 * bottom and the panels in between: two columns of boxed panels when there is
 * room, one stack of panels under title rules in a narrow window or a tmux
 * pane, and only the components in a tiny one. Rows inside a stack are shared
 * out by what each panel would like to show, with the focused panel served
 * first, and whatever is left goes to the panel that can always use more
 * (the log, or the latency chart in the left column). */
#include <limits.h>
#include <string.h>

#include "layout.h"

/* rows a panel's content gets before anyone gets more */
#define MIN_CONTENT 2
/* rows the focused panel gets in a short stack, taken from the others down
 * to one row each: at 40x14 two rows of the status table hide the row that
 * is down */
#define MIN_FOCUSED 5
/* the detail chart under the sparklines: chart, phase bar, statistics */
#define DETAIL_ROWS 7
/* checklist steps assumed before the diagnosis has said how many */
#define CHECKS_GUESS 8
/* a panel that is not focused takes at most this share (in %) of a stack */
#define UNFOCUSED_SHARE 60
#define UNBOUNDED (INT_MAX / 4)
/* the widest the left column of the wide layout gets: the status table with
 * a result column, sparklines of a few minutes */
#define LEFT_MAX_W 92

struct stack_item {
	enum panel_id panel;
	int want; /* content rows it would like */
	int have;
};

static struct rect rect_make(int x, int y, int w, int h)
{
	struct rect r = {x, y, w, h};

	if (w <= 0 || h <= 0)
		r.w = r.h = 0;
	return r;
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* Shares the rows of a column among its panels; the last item is the sink
 * that takes what nobody else wants. */
static void stack_panels(struct layout *l, int x, int y, int w, int h,
			 struct stack_item *it, int n, enum layout_frame frame,
			 enum panel_id focus)
{
	int frame_rows = frame == FRAME_BOX ? 2 : frame == FRAME_RULE ? 1 : 0;
	int content = h - n * frame_rows;
	int base, extra, cap;

	if (content < n) {
		/* not even one line each: give the column to the first panel */
		l->panel[it[0].panel] = rect_make(x, y, w, h);
		l->frame[it[0].panel] = frame;
		return;
	}
	base = min_int(MIN_CONTENT, content / n);
	extra = content - base * n;
	cap = content * UNFOCUSED_SHARE / 100;
	for (int i = 0; i < n; i++)
		it[i].have = base;

	for (int i = 0; i < n; i++) {
		if (it[i].panel == focus) {
			int g = min_int(extra / 2, it[i].want - it[i].have);

			if (g > 0) {
				it[i].have += g;
				extra -= g;
			}
		}
	}
	for (int i = 0; i < n - 1 && extra > 0; i++) {
		int want = it[i].want;
		int g;

		if (it[i].panel != focus)
			want = min_int(want, cap);
		g = min_int(extra, want - it[i].have);
		if (g > 0) {
			it[i].have += g;
			extra -= g;
		}
	}
	it[n - 1].have += extra;

	for (int f = 0; f < n; f++) {
		int goal;

		if (it[f].panel != focus)
			continue;
		goal = min_int(it[f].want, MIN_FOCUSED);
		/* the sink first, then upwards: the log gives way before the status */
		for (int i = n - 1; i >= 0 && it[f].have < goal; i--) {
			while (i != f && it[i].have > 1 && it[f].have < goal) {
				it[i].have--;
				it[f].have++;
			}
		}
	}

	for (int i = 0; i < n; i++) {
		int ph = it[i].have + frame_rows;

		l->panel[it[i].panel] = rect_make(x, y, w, ph);
		l->frame[it[i].panel] = frame;
		y += ph;
	}
}

void layout_compute(struct layout *l, int cols, int rows, int n_status, int n_checks,
		    enum panel_id focus)
{
	int body_h, status_want, latency_want, checks_want;

	memset(l, 0, sizeof(*l));
	l->mode = LAYOUT_MINIMAL;
	if (cols <= 0 || rows <= 0)
		return;
	l->cols = cols;
	l->rows = rows;
	l->verdict = rect_make(0, 0, cols, 1);
	if (cols < LAYOUT_TINY_MIN_COLS || rows < LAYOUT_TINY_MIN_ROWS)
		return;

	l->footer = rect_make(0, rows - 1, cols, 1);
	body_h = rows - 2;
	if (n_status < 0)
		n_status = 0;
	if (cols < LAYOUT_NARROW_MIN_COLS || rows < LAYOUT_NARROW_MIN_ROWS) {
		l->mode = LAYOUT_TINY;
		l->panel[PANEL_STATUS] = rect_make(0, 1, cols, body_h);
		l->frame[PANEL_STATUS] = FRAME_NONE;
		return;
	}

	/* a header row over the status table; an empty table still says so */
	status_want = n_status > 0 ? n_status + 1 : 2;
	/* one sparkline per target and a scale line */
	latency_want = n_status + 1;
	checks_want = n_checks > 0 ? n_checks : CHECKS_GUESS;

	if (cols >= LAYOUT_WIDE_MIN_COLS && rows >= LAYOUT_WIDE_MIN_ROWS) {
		/* the left column (status table, sparklines) gets half and a
		 * little, up to what its columns and a useful history need;
		 * the checklist and the log, whose lines are words, get the rest */
		int left_w = min_int(cols / 2 + 2, LEFT_MAX_W);
		struct stack_item left[] = {
			{PANEL_STATUS, status_want, 0},
			{PANEL_LATENCY, latency_want + DETAIL_ROWS, 0},
		};
		struct stack_item right[] = {
			{PANEL_CHECKLIST, checks_want, 0},
			{PANEL_LOG, UNBOUNDED, 0},
		};

		l->mode = LAYOUT_WIDE;
		stack_panels(l, 0, 1, left_w, body_h, left, 2, FRAME_BOX, focus);
		stack_panels(l, left_w, 1, cols - left_w, body_h, right, 2, FRAME_BOX, focus);
	} else {
		/* the detail chart only when the latency panel has the focus */
		struct stack_item col[] = {
			{PANEL_STATUS, status_want, 0},
			{PANEL_LATENCY, latency_want + (focus == PANEL_LATENCY ? DETAIL_ROWS : 0), 0},
			{PANEL_CHECKLIST, checks_want, 0},
			{PANEL_LOG, UNBOUNDED, 0},
		};

		l->mode = LAYOUT_NARROW;
		stack_panels(l, 0, 1, cols, body_h, col, 4, FRAME_RULE, focus);
	}
}

void layout_compute_services(struct layout *l, int cols, int rows, int n_status, int n_checks,
			     enum panel_id focus, int n_services)
{
	int oh = 0;

	if (n_services > 1 && cols >= LAYOUT_TINY_MIN_COLS && rows > LAYOUT_TINY_MIN_ROWS)
		oh = rows >= LAYOUT_WIDE_MIN_ROWS && n_services <= rows / 4 ? n_services : 1;
	layout_compute(l, cols, rows - oh, n_status, n_checks, focus);
	if (oh == 0)
		return;
	l->rows = rows;
	for (int p = 0; p < PANEL_COUNT; p++)
		if (!rect_empty(l->panel[p]))
			l->panel[p].y += oh;
	if (!rect_empty(l->footer))
		l->footer.y += oh;
	l->overview = rect_make(0, 1, cols, oh);
}

struct rect layout_content(const struct layout *l, enum panel_id p)
{
	struct rect r;

	if ((int)p < 0 || p >= PANEL_COUNT)
		return rect_make(0, 0, 0, 0);
	r = l->panel[p];
	if (rect_empty(r))
		return rect_make(0, 0, 0, 0);
	switch (l->frame[p]) {
	case FRAME_RULE:
		return rect_make(r.x, r.y + 1, r.w, r.h - 1);
	case FRAME_BOX:
		return rect_make(r.x + 1, r.y + 1, r.w - 2, r.h - 2);
	case FRAME_NONE:
		break;
	}
	return r;
}

bool layout_visible(const struct layout *l, enum panel_id p)
{
	return (int)p >= 0 && p < PANEL_COUNT && !rect_empty(l->panel[p]);
}

bool rect_empty(struct rect r)
{
	return r.w <= 0 || r.h <= 0;
}

bool rect_overlap(struct rect a, struct rect b)
{
	if (rect_empty(a) || rect_empty(b))
		return false;
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool rect_inside(struct rect a, int cols, int rows)
{
	if (rect_empty(a))
		return true;
	return a.x >= 0 && a.y >= 0 && a.x + a.w <= cols && a.y + a.h <= rows;
}

const char *layout_panel_name(enum panel_id p)
{
	switch (p) {
	case PANEL_STATUS:
		return "Status";
	case PANEL_LATENCY:
		return "Latency";
	case PANEL_LOG:
		return "Log";
	case PANEL_CHECKLIST:
		return "Checklist";
	case PANEL_COUNT:
		break;
	}
	return "?";
}
