/* draw.h: the drawing kit of the full screen (draw.c): what a panel draws
 * with during one frame, text put into rectangles, texts of lines for the
 * detail views, and the screen's time words. The panels and the help screen
 * include this, never screen.h's loop. */
#ifndef ISITDOWN_DRAW_H
#define ISITDOWN_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "monitor.h"
#include "theme.h"
#include "timefmt.h"


/* What a panel draws with during one frame. */
struct screen_ctx {
	const struct monitor *m;
	WINDOW *win;
	const attr_t *attr; /* [ROLE_COUNT] */
	bool utf8;          /* the locale is UTF-8: block glyphs and symbols */
	bool colour;        /* colours are shown (not NO_COLOR, not a mono terminal) */
	double now;         /* seconds since the epoch */
};

/* What a panel's key handler asks of the screen. */
#define SCREEN_REDRAW 0x1u
#define SCREEN_DETAIL 0x2u /* open the detail view of the selection */

/* A text of lines for a detail view or the help screen; the view wraps long
 * lines to its width. Owns its strings. */
struct screen_line {
	enum theme_role role;
	int indent; /* columns, also for the wrapped continuation */
	char *text;
};

struct screen_lines {
	struct screen_line *v;
	size_t n, cap;
};

void screen_lines_add(struct screen_lines *l, enum theme_role role, int indent, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Adds a text that may hold newlines, one line each. */
void screen_lines_add_text(struct screen_lines *l, enum theme_role role, int indent, const char *text);
void screen_lines_clear(struct screen_lines *l);

/* Draws s at y, x in at most w columns (and never past the window), cut at a
 * character boundary. Returns the columns drawn. Control characters are
 * dropped; without UTF-8 other characters become ASCII look-alikes or '?'. */
int screen_put(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s);
int screen_putf(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* screen_put for text that may not fit: cut after the last whole word that
 * does, followed by an ellipsis (text_fit). Returns the columns drawn. */
int screen_put_fit(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s);
int screen_putf_fit(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* s right-aligned in w columns (cut on the left when too long). */
int screen_put_right(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s);
/* Blanks a rectangle in attribute a. */
void screen_fill(const struct screen_ctx *c, struct rect r, attr_t a);
/* Columns s takes on screen, as screen_put would draw it. */
int screen_width(const struct screen_ctx *c, const char *s);
/* s after its first cols columns ("" when it is shorter). */
const char *screen_skip(const struct screen_ctx *c, const char *s, int cols);
/* The UTF-8 glyph, or the ASCII one when the locale is not UTF-8. */
const char *screen_glyph(const struct screen_ctx *c, const char *utf8, const char *ascii);
static inline attr_t screen_attr(const struct screen_ctx *c, enum theme_role r)
{
	return c->attr[r];
}

/* "14:02:11" today, "09-21 14:02" another day, "-" for 0. */
void screen_fmt_time(double t, double now, char *buf, size_t len);

/* " +N ↓" at the bottom right of r: N more rows below. */
void screen_more(const struct screen_ctx *c, struct rect r, int n);
/* Columns screen_more takes for n, so that the words under it can end before. */
int screen_more_width(const struct screen_ctx *c, int n);
/* Keeps *sel in [0, n) and *top such that sel is among the rows visible in
 * a page of `rows` lines. */
void screen_scroll_clamp(int *sel, int *top, int n, int rows);

#endif
