/* draw.c: the drawing kit the panels and the screen use: text put into a
 * rectangle cut at a character (or after a word), glyphs with ASCII fallbacks,
 * filled rectangles, the '+N' marker, scroll clamping, texts of lines for the
 * detail views, and the time and duration words of the screen. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include "text.h"
#include "xalloc.h"
#include "timefmt.h"

#include "screen_internal.h"

/* Columns of one code point as drawn; 0 for what is dropped. */
int scr_cp_width(const struct screen_ctx *c, uint32_t cp)
{
	return text_cp_width(cp, c->utf8);
}

/* The core of screen_put: at most len bytes of s. */
int scr_put_len(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s, size_t len)
{
	const char *end;
	wchar_t buf[PUT_CHUNK + 4];
	int maxy, maxx, cols = 0, n = 0;
	bool first = true;

	if (!s || w <= 0)
		return 0;
	getmaxyx(c->win, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx)
		return 0;
	if (x + w > maxx)
		w = maxx - x;
	end = s + strnlen(s, len);
	wattrset(c->win, (int)a);
	while (s < end && cols < w) {
		uint32_t cp = text_next_cp(&s, end);
		int cw = scr_cp_width(c, cp);

		if (cw == 0)
			continue;
		if (cols + cw > w)
			break;
		if (cp < 0x80) {
			buf[n++] = (wchar_t)cp;
		} else if (!c->utf8) {
			for (const char *q = text_ascii_for(cp); *q; q++)
				buf[n++] = (wchar_t)*q;
		} else {
			buf[n++] = wcwidth((wchar_t)cp) < 0 ? L'?' : (wchar_t)cp;
		}
		cols += cw;
		if (n >= PUT_CHUNK) {
			if (first)
				mvwaddnwstr(c->win, y, x, buf, n);
			else
				waddnwstr(c->win, buf, n);
			first = false;
			n = 0;
		}
	}
	if (n > 0) {
		if (first)
			mvwaddnwstr(c->win, y, x, buf, n);
		else
			waddnwstr(c->win, buf, n);
	}
	wattrset(c->win, A_NORMAL);
	return cols;
}

int screen_put(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s)
{
	return scr_put_len(c, y, x, w, a, s, SIZE_MAX);
}

int screen_putf(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return screen_put(c, y, x, w, a, buf);
}

int screen_width(const struct screen_ctx *c, const char *s)
{
	return text_width(s, c->utf8);
}

int screen_put_fit(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s)
{
	bool cut;
	size_t n = text_fit(s, w, c->utf8, &cut);
	int cols = scr_put_len(c, y, x, w, a, s, n);

	if (cut)
		cols += screen_put(c, y, x + cols, w - cols, a, text_ellipsis(c->utf8));
	return cols;
}

int screen_putf_fit(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return screen_put_fit(c, y, x, w, a, buf);
}

const char *screen_skip(const struct screen_ctx *c, const char *s, int cols)
{
	const char *end;

	if (!s)
		return "";
	end = s + strlen(s);
	while (s < end && cols > 0) {
		const char *at = s;
		int cw = scr_cp_width(c, text_next_cp(&s, end));

		if (cw > cols) {
			s = at;
			break;
		}
		cols -= cw;
	}
	return s;
}

int screen_put_right(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s)
{
	int sw = screen_width(c, s);

	if (sw > w)
		return screen_put(c, y, x, w, a, screen_skip(c, s, sw - w));
	return screen_put(c, y, x + w - sw, sw, a, s);
}

void screen_fill(const struct screen_ctx *c, struct rect r, attr_t a)
{
	int maxy, maxx;

	getmaxyx(c->win, maxy, maxx);
	if (r.x < 0 || r.y < 0)
		return;
	if (r.x + r.w > maxx)
		r.w = maxx - r.x;
	if (r.y + r.h > maxy)
		r.h = maxy - r.y;
	if (r.w <= 0 || r.h <= 0)
		return;
	wattrset(c->win, (int)a);
	for (int y = r.y; y < r.y + r.h; y++)
		mvwhline(c->win, y, r.x, ' ', r.w);
	wattrset(c->win, A_NORMAL);
}

const char *screen_glyph(const struct screen_ctx *c, const char *utf8, const char *ascii)
{
	return c->utf8 ? utf8 : ascii;
}

void screen_lines_add(struct screen_lines *l, enum theme_role role, int indent, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_fail();
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct screen_line *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			xalloc_fail();
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct screen_line){role, indent, text};
}

void screen_lines_add_text(struct screen_lines *l, enum theme_role role, int indent, const char *text)
{
	const char *p = text ? text : "";

	for (;;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		screen_lines_add(l, role, indent, "%.*s", len, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

void screen_lines_clear(struct screen_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	l->n = 0;
}

void scr_lines_free(struct screen_lines *l)
{
	screen_lines_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

void screen_fmt_time(double t, double now, char *buf, size_t len)
{
	time_t a = (time_t)t, b = (time_t)now;
	struct tm x, y;

	if (t <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&a, &x);
	localtime_r(&b, &y);
	if (x.tm_year == y.tm_year && x.tm_yday == y.tm_yday)
		strftime(buf, len, "%H:%M:%S", &x);
	else
		strftime(buf, len, "%m-%d %H:%M", &x);
}

static void more_text(const struct screen_ctx *c, int n, char *buf, size_t len)
{
	snprintf(buf, len, " +%d %s ", n, screen_glyph(c, "\u2193", "v"));
}

int screen_more_width(const struct screen_ctx *c, int n)
{
	char more[32];

	more_text(c, n, more, sizeof(more));
	return screen_width(c, more);
}

void screen_more(const struct screen_ctx *c, struct rect r, int n)
{
	char more[32];
	int w;

	more_text(c, n, more, sizeof(more));
	w = screen_width(c, more);
	if (w > r.w)
		return;
	screen_fill(c, (struct rect){r.x + r.w - w, r.y + r.h - 1, w, 1}, screen_attr(c, ROLE_DIM));
	screen_put(c, r.y + r.h - 1, r.x + r.w - w, w, screen_attr(c, ROLE_DIM), more);
}

void screen_scroll_clamp(int *sel, int *top, int n, int rows)
{
	if (n <= 0) {
		*sel = *top = 0;
		return;
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	if (rows <= 0) {
		*top = *sel;
		return;
	}
	if (*top > *sel)
		*top = *sel;
	if (*sel >= *top + rows)
		*top = *sel - rows + 1;
	if (*top > n - rows)
		*top = n - rows;
	if (*top < 0)
		*top = 0;
}
