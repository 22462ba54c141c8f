/* layout.h: where the verdict bar, the four panels and the footer go.
 *
 * Pure geometry: no curses calls, so every window size can be tested. The
 * screen code asks for a layout after each resize or focus change and draws
 * each part inside its rectangle; a part with zero width or height is hidden.
 * Rectangles never overlap and never leave the window. */
#ifndef ISITDOWN_LAYOUT_H
#define ISITDOWN_LAYOUT_H

#include <stdbool.h>

enum panel_id {
	PANEL_STATUS,    /* one row per component / target */
	PANEL_LATENCY,   /* sparklines and the detail chart */
	PANEL_LOG,       /* incident log */
	PANEL_CHECKLIST, /* troubleshooting steps */
	PANEL_COUNT
};

enum layout_mode {
	LAYOUT_MINIMAL, /* below 20x5: the verdict line only */
	LAYOUT_TINY,    /* verdict, one line per component, footer */
	LAYOUT_NARROW,  /* panels stacked, each under a one-line title rule */
	LAYOUT_WIDE,    /* two columns of boxed panels */
};

/* How a panel's frame is drawn, which decides where its content goes. */
enum layout_frame {
	FRAME_NONE,  /* content fills the rectangle */
	FRAME_RULE,  /* first row is a title rule, the rest is content */
	FRAME_BOX,   /* a border all round, the title sits in the top border */
};

struct rect {
	int x, y, w, h; /* w == 0 or h == 0: not shown */
};

struct layout {
	enum layout_mode mode;
	int cols, rows;
	struct rect verdict;
	struct rect overview; /* one row per service when several are watched, or one line of badges */
	struct rect footer;
	struct rect panel[PANEL_COUNT];
	enum layout_frame frame[PANEL_COUNT];
};

/* Smallest sizes of each mode, for messages and tests. */
#define LAYOUT_TINY_MIN_COLS 20
#define LAYOUT_TINY_MIN_ROWS 5
#define LAYOUT_NARROW_MIN_COLS 40
#define LAYOUT_NARROW_MIN_ROWS 14
#define LAYOUT_WIDE_MIN_COLS 120
#define LAYOUT_WIDE_MIN_ROWS 30

/* Computes the layout for a window of cols x rows. n_status is the number of
 * rows the status panel would like (components and targets), n_checks the
 * number of checklist steps (0 when not known yet). The focused panel gets
 * more room where rows are short. Sizes of 0 or less give an empty layout. */
void layout_compute(struct layout *l, int cols, int rows, int n_status, int n_checks,
		    enum panel_id focus);

/* The same with an overview of n_services services under the verdict bar
 * (none for fewer than two): a row each where the window is tall
 * (LAYOUT_WIDE_MIN_ROWS) and they take at most a quarter of it, else one
 * line; the rest is laid out as above in the rows left. */
void layout_compute_services(struct layout *l, int cols, int rows, int n_status, int n_checks,
			     enum panel_id focus, int n_services);

/* The part of panel p that content may be drawn in (inside its frame). */
struct rect layout_content(const struct layout *l, enum panel_id p);

bool layout_visible(const struct layout *l, enum panel_id p);
bool rect_empty(struct rect r);
bool rect_overlap(struct rect a, struct rect b);
/* a lies inside a window of cols x rows */
bool rect_inside(struct rect a, int cols, int rows);
const char *layout_panel_name(enum panel_id p);

#endif
