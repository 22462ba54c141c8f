/* overlay.c: the help and detail views drawn over the panels: their text,
 * wrapped to the box, and scrolled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "help.h"
#include "text.h"

#include "screen_internal.h"

/* Where `e` writes, for the help text. */
static void export_dir_text(char *buf, size_t len)
{
	if (!getcwd(buf, len))
		snprintf(buf, len, "the current directory");
}

static void overlay_content(struct screen *s, const struct screen_ctx *c, char *title, size_t tlen)
{
	screen_lines_clear(&s->lines);
	if (s->overlay == OVERLAY_HELP) {
		char dir[PATH_MAX];

		export_dir_text(dir, sizeof(dir));
		snprintf(title, tlen, "Help");
		help_lines(c, &s->lines, dir);
		return;
	}
	if (s->detail_of < PANEL_COUNT)
		s->panel[s->detail_of].ops->detail(s->panel[s->detail_of].state, c, &s->lines, title, tlen);
	else
		snprintf(title, tlen, "?");
}

/* Bytes of s that fit in w columns, cut after a space when the line goes on. */
static size_t wrap_len(const struct screen_ctx *c, const char *s, int w)
{
	const char *p = s, *end = s + strlen(s), *space = NULL;
	int cols = 0;

	while (p < end) {
		const char *at = p;
		uint32_t cp = text_next_cp(&p, end);
		int cw = scr_cp_width(c, cp);

		if (cols + cw > w) {
			p = at;
			break;
		}
		cols += cw;
		if (cp == ' ')
			space = p;
	}
	if (p < end && space && space > s)
		return (size_t)(space - s);
	if (p == s && p < end)
		text_next_cp(&p, end); /* wider than the view: take one character anyway */
	return (size_t)(p - s);
}

/* Walks the wrapped rows of the overlay text; draws those from `first` on
 * into r when draw is set. Returns the number of rows. */
static int overlay_rows(const struct screen *s, const struct screen_ctx *c, struct rect r, int first, bool scr_draw)
{
	int row = 0;

	for (size_t i = 0; i < s->lines.n; i++) {
		const struct screen_line *ln = &s->lines.v[i];
		const char *p = ln->text;
		int indent = ln->indent < r.w / 2 ? ln->indent : 0;
		int w = r.w - indent;

		do {
			size_t n = wrap_len(c, p, w);
			int y = row - first;

			if (scr_draw && y >= 0 && y < r.h)
				scr_put_len(c, r.y + y, r.x + indent, w, screen_attr(c, ln->role), p, n);
			row++;
			p += n;
			/* a continuation starts after the space it was cut at */
			while (*p == ' ')
				p++;
			/* later rows of a wrapped line are indented a little more */
			if (w > 12 && indent == ln->indent) {
				indent += 2;
				w -= 2;
			}
		} while (*p);
	}
	return row;
}

void scr_draw_overlay(struct screen *s, const struct screen_ctx *c)
{
	int rows = s->lay.rows, cols = s->lay.cols, w, h, total;
	struct rect box, in;
	char title[128];

	h = rows - 2;
	if (h < 3 || cols < 10)
		return;
	w = cols < OVERLAY_MAX_W ? cols : OVERLAY_MAX_W;
	box = (struct rect){(cols - w) / 2, 1, w, h};
	in = (struct rect){box.x + 2, box.y + 1, box.w - 4, box.h - 2};
	if (in.w < 4) {
		in.x = box.x + 1;
		in.w = box.w - 2;
	}
	overlay_content(s, c, title, sizeof(title));
	screen_fill(c, box, screen_attr(c, ROLE_NORMAL));
	scr_draw_frame(c, box, FRAME_BOX, title, true);
	total = overlay_rows(s, c, in, 0, false);
	s->ov_page = in.h;
	if (s->ov_scroll > total - in.h)
		s->ov_scroll = total - in.h;
	if (s->ov_scroll < 0)
		s->ov_scroll = 0;
	overlay_rows(s, c, in, s->ov_scroll, true);
	if (total > in.h && box.w > 24)
		screen_putf(c, box.y + box.h - 1, box.x + box.w - 22, 20, screen_attr(c, ROLE_BORDER_FOCUS),
			    " %d-%d of %d ", s->ov_scroll + 1,
			    s->ov_scroll + in.h < total ? s->ov_scroll + in.h : total, total);
}
