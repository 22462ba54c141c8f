/* screen.c: the full-screen monitor on the monitor's own libuv loop.
 *
 * struct screen (screen_internal.h) owns the terminal, the libuv handles that
 * feed it (a poll on the tty, signals, a prepare handle and two one-shot
 * timers), the theme, the panels' state and what the footer says. The monitor
 * only marks the screen dirty (on_change), and so do keys and resizes; the
 * prepare handle draws at most one frame per loop pass and at most one per
 * FRAME_MS (a one-shot timer wakes the loop for a frame held back), so a burst
 * of probe results or keys costs one frame and an idle monitor none. This file
 * holds that loop and the drawing of a frame; the terminal's life is term.c's,
 * the help and detail views overlay.c's, what keys and the mouse do
 * actions.c's, the drawing kit draw.c's. struct screen is freed in the close
 * callback of its last handle, after screen_run has returned. */
#include "screen.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "alert.h"
#include "help.h"
#include "keys.h"
#include "panel_checklist.h"
#include "panel_latency.h"
#include "panel_log.h"
#include "panel_status.h"
#include "report.h"
#include "verdict_words.h"
#include "text.h"

/* at most ten frames a second */
#include "overview.h"
#include "screen_internal.h"

static void apply_theme(struct screen *s)
{
	theme_apply(&s->theme, s->depth, s->colour ? COLOR_PAIRS : 0, s->attr);
	wbkgdset(stdscr, (chtype)(s->attr[ROLE_NORMAL] | ' '));
	s->full = true;
	s->dirty = true;
}

void scr_set_message(struct screen *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	uv_timer_stop(&s->msg_timer);
	s->dirty = true;
}

static void load_theme(struct screen *s, const char *name)
{
	char err[512];

	if (theme_find(&s->theme, name, &s->dirs, err, sizeof(err)) < 0)
		scr_set_message(s, "theme: %s", err);
	apply_theme(s);
}

void scr_next_theme(struct screen *s)
{
	const char *name = theme_list_next(&s->themes, s->theme.name);
	char err[512];

	if (!name)
		return;
	if (theme_find(&s->theme, name, &s->dirs, err, sizeof(err)) < 0) {
		scr_set_message(s, "theme: %s", err);
	} else {
		scr_set_message(s, "theme: %s%s", s->theme.name,
			    s->colour ? "" : " (this terminal shows no colour: attributes only)");
	}
	apply_theme(s);
}

static void make_ctx(const struct screen *s, struct screen_ctx *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	c->m = s->m;
	c->win = stdscr;
	c->attr = s->attr;
	c->utf8 = s->utf8;
	c->colour = s->colour;
	c->now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void scr_verdict(const struct screen *s, struct verdict *out)
{
	if (s->fleet)
		fleet_verdict(s->fleet, out, NULL);
	else
		*out = *monitor_verdict(s->m);
}

/* The newest result of any service shown. */
static double last_result(const struct screen *s)
{
	double t = monitor_last_result(s->m);

	for (size_t i = 0; s->fleet && i < fleet_count(s->fleet); i++)
		if (monitor_last_result(fleet_monitor(s->fleet, i)) > t)
			t = monitor_last_result(fleet_monitor(s->fleet, i));
	return t;
}

static void draw_verdict(const struct screen *s, const struct screen_ctx *c, struct rect r)
{
	struct verdict overall;
	const struct verdict *v = &overall;
	attr_t bar;
	char head[96], last[32], right[64];
	double t = last_result(s);

	scr_verdict(s, &overall);
	bar = screen_attr(c, overview_verdict_role(v->state)) | A_REVERSE;
	int x = r.x, end = r.x + r.w, rw;

	if (rect_empty(r))
		return;
	screen_fill(c, r, bar);
	verdict_lead(v, head, sizeof(head));
	/* "CHECKING: waiting for web, api" reads as one sentence */
	if (v->state == VERDICT_UNKNOWN && v->cause == VERDICT_CAUSE_NO_DATA)
		x += screen_putf(c, r.y, x, end - x, bar | A_BOLD, " %s:", head);
	else
		x += screen_putf(c, r.y, x, end - x, bar | A_BOLD, " %s ", head);
	if (monitor_paused(s->m) && end - x > 8)
		x += screen_put(c, r.y, x, end - x, screen_attr(c, ROLE_TITLE), " PAUSED ");
	screen_fmt_time(t, c->now, last, sizeof(last));
	snprintf(right, sizeof(right), "  %s %s ", t > 0 ? "last probe" : "", t > 0 ? last : "no probe yet");
	rw = screen_width(c, right);
	/* the time of the last round only when the whole summary fits beside it:
	 * the clock goes before the verdict's words do */
	if (end - x < rw + 1 + screen_width(c, verdict_summary(v)))
		rw = 0;
	screen_putf_fit(c, r.y, x, end - x - rw, bar, " %s", verdict_summary(v));
	if (rw)
		screen_put(c, r.y, end - rw, rw, bar, right);
}

static void frame_glyphs(const struct screen_ctx *c, bool focus, const char **h, const char **vt, const char **tl,
			 const char **tr, const char **bl, const char **br)
{
	if (!c->utf8) {
		*h = focus ? "=" : "-";
		*vt = "|";
		*tl = *tr = *bl = *br = "+";
	} else if (focus) {
		*h = "\u2550";
		*vt = "\u2551";
		*tl = "\u2554";
		*tr = "\u2557";
		*bl = "\u255a";
		*br = "\u255d";
	} else {
		*h = "\u2500";
		*vt = "\u2502";
		*tl = "\u250c";
		*tr = "\u2510";
		*bl = "\u2514";
		*br = "\u2518";
	}
}

void scr_draw_frame(const struct screen_ctx *c, struct rect r, enum layout_frame f, const char *title,
		       bool focus)
{
	attr_t a = screen_attr(c, focus ? ROLE_BORDER_FOCUS : ROLE_BORDER);
	attr_t ta = screen_attr(c, focus ? ROLE_BORDER_FOCUS : ROLE_TITLE);
	const char *h, *vt, *tl, *tr, *bl, *br;
	char shown[256];
	bool cut;
	size_t n;

	if (rect_empty(r) || f == FRAME_NONE)
		return;
	/* the title cut at a word, inside its brackets: the frame's ends and
	 * "[ ", " ]" take 8 columns in a box, 6 under a rule */
	n = text_fit(title, r.w - (f == FRAME_BOX ? 8 : 6), c->utf8, &cut);
	snprintf(shown, sizeof(shown), "%.*s%s", (int)n, title, cut ? text_ellipsis(c->utf8) : "");
	title = shown;
	frame_glyphs(c, focus, &h, &vt, &tl, &tr, &bl, &br);
	if (f == FRAME_RULE) {
		for (int x = r.x; x < r.x + r.w; x++)
			screen_put(c, r.y, x, 1, a, h);
		if (r.w > 4)
			screen_putf(c, r.y, r.x + 1, r.w - 2, ta, focus ? "[ %s ]" : " %s ", title);
		return;
	}
	for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
		screen_put(c, r.y, x, 1, a, h);
		screen_put(c, r.y + r.h - 1, x, 1, a, h);
	}
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		screen_put(c, y, r.x, 1, a, vt);
		screen_put(c, y, r.x + r.w - 1, 1, a, vt);
	}
	screen_put(c, r.y, r.x, 1, a, tl);
	screen_put(c, r.y, r.x + r.w - 1, 1, a, tr);
	screen_put(c, r.y + r.h - 1, r.x, 1, a, bl);
	screen_put(c, r.y + r.h - 1, r.x + r.w - 1, 1, a, br);
	if (r.w > 6)
		screen_putf(c, r.y, r.x + 2, r.w - 4, ta, focus ? "[ %s ]" : " %s ", title);
}

enum panel_id scr_effective_focus(const struct screen *s)
{
	return layout_visible(&s->lay, s->focus) && s->lay.mode != LAYOUT_TINY ? s->focus : PANEL_STATUS;
}

static void draw_footer_keys(const struct screen_ctx *c, struct rect r, const char *items)
{
	int x = r.x + 1, end = r.x + r.w;
	const char *p = items;

	while (*p && x < end) {
		const char *sp = strchr(p, ' ');
		const char *next = strstr(p, "  ");
		size_t klen = sp ? (size_t)(sp - p) : strlen(p);
		size_t ilen = next ? (size_t)(next - p) : strlen(p);

		if (klen > ilen)
			klen = ilen;
		x += scr_put_len(c, r.y, x, end - x, screen_attr(c, ROLE_FOOTER_KEY), p, klen);
		x += scr_put_len(c, r.y, x, end - x, screen_attr(c, ROLE_FOOTER), p + klen, ilen - klen);
		if (!next)
			break;
		x += 2;
		p = next + 2;
	}
}

static void draw_footer(const struct screen *s, const struct screen_ctx *c)
{
	struct rect r = s->lay.footer;
	attr_t fa = screen_attr(c, ROLE_FOOTER);
	char keys[512];

	if (rect_empty(r))
		return;
	screen_fill(c, r, fa);
	if (s->prompt) {
		int x = r.x;

		x += screen_put(c, r.y, x, r.w, screen_attr(c, ROLE_FOOTER_KEY), " filter: ");
		/* the end of a long filter stays in view */
		{
			int room = r.x + r.w - x - 1, w = screen_width(c, s->prompt_buf);
			const char *shown = w > room ? screen_skip(c, s->prompt_buf, w - room) : s->prompt_buf;

			x += screen_put(c, r.y, x, room, fa, shown);
		}
		screen_put(c, r.y, x, 1, fa | A_REVERSE, " ");
		if (r.x + r.w - x > 32)
			screen_put_right(c, r.y, r.x, r.w - 1, fa, "Enter apply  Esc cancel");
		return;
	}
	if (s->msg[0]) {
		screen_putf(c, r.y, r.x, r.w, fa | A_BOLD, " %s", s->msg);
		return;
	}
	if (s->overlay != OVERLAY_NONE) {
		keys_overlay_footer(keys, sizeof(keys), r.w - 1);
		draw_footer_keys(c, r, keys);
		return;
	}
	if (s->fleet) {
		/* the service keys first: what is on screen is one of several */
		int used = snprintf(keys, sizeof(keys), "[/] service  ");

		keys_footer(scr_effective_focus(s), keys + used, sizeof(keys) - (size_t)used, r.w - 1 - used);
	} else {
		keys_footer(scr_effective_focus(s), keys, sizeof(keys), r.w - 1);
	}
	draw_footer_keys(c, r, keys);
}

static void panel_title(const struct screen *s, const struct screen_ctx *c, enum panel_id p, char *buf, size_t len)
{
	s->panel[p].ops->title(s->panel[p].state, c, buf, len);
}

static void draw_panel(struct screen *s, const struct screen_ctx *c, enum panel_id p)
{
	struct rect r = layout_content(&s->lay, p);
	bool focus = s->focus == p && s->overlay == OVERLAY_NONE;
	char title[256];

	s->panel[p].ops->draw(s->panel[p].state, c, r, focus);
	/* the title after the content: it counts what the panel just drew */
	panel_title(s, c, p, title, sizeof(title));
	scr_draw_frame(c, s->lay.panel[p], s->lay.frame[p], title, s->focus == p);
}

void scr_draw(struct screen *s)
{
	struct screen_ctx c;
	int rows, cols;
	const struct checklist *cl = monitor_checklist(s->m);

	make_ctx(s, &c);
	getmaxyx(stdscr, rows, cols);
	/* ncurses 6.4 reads out of bounds when it updates a screen one column
	 * wide (seen with valgrind), and one column shows nothing anyway */
	if (cols < 2) {
		s->last_draw = uv_now(s->loop);
		s->dirty = false;
		return;
	}
	layout_compute_services(&s->lay, cols, rows, panel_status_rows(s->m), (int)cl->n, s->focus,
				s->fleet ? (int)fleet_count(s->fleet) : 0);
	if (s->full) {
		clearok(curscr, TRUE);
		s->full = false;
	}
	werase(stdscr);
	draw_verdict(s, &c, s->lay.verdict);
	overview_draw(&c, s->fleet, s->service, s->lay.overview);
	if (s->lay.mode == LAYOUT_TINY) {
		struct rect r = s->lay.panel[PANEL_STATUS];
		int n = (int)(monitor_component_count(s->m) ? monitor_component_count(s->m)
							       : monitor_target_count(s->m));

		panel_status_draw_tiny(&s->status, &c, r);
		/* rows the components leave free (a short pane) tell what happened last */
		if (r.h - n >= 3)
			panel_log_draw(&s->log, &c, (struct rect){r.x, r.y + n + 1, r.w, r.h - n - 1}, false);
	} else if (s->lay.mode != LAYOUT_MINIMAL) {
		for (int p = 0; p < PANEL_COUNT; p++)
			if (layout_visible(&s->lay, (enum panel_id)p))
				draw_panel(s, &c, (enum panel_id)p);
	}
	if (s->overlay != OVERLAY_NONE && s->lay.mode != LAYOUT_MINIMAL)
		scr_draw_overlay(s, &c);
	draw_footer(s, &c);
	wnoutrefresh(stdscr);
	doupdate();
	{
		struct verdict v;

		scr_verdict(s, &v);
		alert_term_update(&s->alert, &v);
	}
	s->last_draw = uv_now(s->loop);
	s->dirty = false;
}

static void on_handle_closed(uv_handle_t *h)
{
	struct screen *s = h->data;

	if (--s->open_handles == 0)
		free(s);
}

static void on_tty(uv_poll_t *h, int status, int events)
{
	struct screen *s = h->data;
	int got = 0;

	if (status < 0 || (events & UV_DISCONNECT)) {
		scr_quit(s, 0);
		return;
	}
	for (int i = 0; i < KEYS_PER_WAKE && !s->quit; i++) {
		wint_t ch;
		int rc;

		errno = 0;
		rc = wget_wch(s->input, &ch);
		if (rc == ERR) {
			if (errno == EIO || errno == EBADF || errno == EPIPE || errno == ENXIO)
				scr_quit(s, 0);
			break;
		}
		got++;
		scr_handle_key(s, rc == KEY_CODE_YES, ch);
	}
	/* A terminal that hung up stays readable and yields nothing: leave
	 * instead of spinning. */
	if (got == 0) {
		int avail = 0;

		if (ioctl(s->tty_in, FIONREAD, &avail) == 0 && avail == 0 && ++s->empty_wakes >= EMPTY_WAKES_MAX)
			scr_quit(s, 0);
	} else {
		s->empty_wakes = 0;
	}
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct screen *s = h->data;

	if (signum == SIGWINCH) {
		scr_resize(s);
		s->dirty = true;
		return;
	}
	/* a clean stop, as in line mode: the log is flushed on the way out */
	scr_quit(s, 0);
}

static void on_frame_timer(uv_timer_t *t)
{
	/* Nothing to do here: waking the loop is the point. The prepare handle
	 * runs later in this same pass and draws the frame that was held back. */
	(void)t;
}

static void on_message_timer(uv_timer_t *t)
{
	struct screen *s = t->data;

	s->msg[0] = '\0';
	/* a question no longer shown is no longer asked */
	s->confirm_save = false;
	s->dirty = true;
}

static void on_prepare(uv_prepare_t *h)
{
	struct screen *s = h->data;
	uint64_t now, since;

	if ((!s->dirty && !s->results_dirty) || s->quit)
		return;
	now = uv_now(s->loop);
	since = now - s->last_draw;
	if (!s->dirty) {
		if (since < RESULT_FRAME_MS) {
			if (!uv_is_active((uv_handle_t *)&s->frame_timer))
				uv_timer_start(&s->frame_timer, on_frame_timer, RESULT_FRAME_MS - since, 0);
			return;
		}
		s->dirty = true;
	}
	if (since >= FRAME_MS) {
		s->results_dirty = false;
		scr_draw(s);
		if (s->msg[0] && !uv_is_active((uv_handle_t *)&s->msg_timer))
			uv_timer_start(&s->msg_timer, on_message_timer, MESSAGE_MS, 0);
		return;
	}
	/* restarted, not left running: it may be a longer wait for results */
	uv_timer_start(&s->frame_timer, on_frame_timer, FRAME_MS - since, 0);
}

static void on_change(struct monitor *m, void *data)
{
	struct screen *s = data;

	s->results_dirty = true;
}

static void on_fleet_change(struct fleet *f, void *data)
{
	struct screen *s = data;

	s->results_dirty = true;
}

static void add_handle(struct screen *s, uv_handle_t *h)
{
	h->data = s;
	s->open_handles++;
}

static void close_handle(uv_handle_t *h)
{
	if (h->data && !uv_is_closing(h))
		uv_close(h, on_handle_closed);
}

/* Said before screen_run gives up: the caller shows the events line by line. */
static int no_terminal(const char *why)
{
	fprintf(stderr, "isitdown: %s: showing events line by line\n", why);
	return SCREEN_NO_TERMINAL;
}

int screen_run(struct monitor *m, const struct screen_options *o)
{
	static const int sigs[SIG_COUNT] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
	struct screen *s = calloc(1, sizeof(*s));
	const struct config *cfg = monitor_config(m);
	char why[256];
	int rc;

	if (!s) {
		fprintf(stderr, "isitdown: out of memory\n");
		return 3;
	}
	s->m = m;
	s->fleet = o->fleet;
	s->opts = *o;
	s->panel[PANEL_STATUS] = (struct panel_slot){&panel_status_ops, &s->status};
	s->panel[PANEL_LATENCY] = (struct panel_slot){&panel_latency_ops, &s->latency};
	s->panel[PANEL_LOG] = (struct panel_slot){&panel_log_ops, &s->log};
	s->panel[PANEL_CHECKLIST] = (struct panel_slot){&panel_checklist_ops, &s->checklist};
	s->loop = monitor_loop(m);
	s->tty_in = s->tty_out = -1;
	s->focus = PANEL_STATUS;
	panel_log_init(&s->log);
	/* counts itself until the end of screen_run, so the handles' close
	 * callbacks cannot free it early */
	s->open_handles = 1;

	rc = scr_open_tty(s);
	if (rc < 0) {
		scr_close_tty(s);
		snprintf(why, sizeof(why), "cannot open the terminal: %s", strerror(-rc));
		rc = no_terminal(why);
		goto out;
	}
	if (scr_start_curses(s, why, sizeof(why)) != 0) {
		scr_close_tty(s);
		rc = no_terminal(why);
		goto out;
	}
	scr_crash_handlers(true);

	rc = uv_poll_init(s->loop, &s->poll, s->tty_in);
	if (rc < 0) {
		snprintf(why, sizeof(why), "cannot watch the terminal: %s", uv_strerror(rc));
		scr_stop_curses(s);
		scr_close_tty(s);
		scr_crash_handlers(false);
		rc = no_terminal(why);
		goto out;
	}
	add_handle(s, (uv_handle_t *)&s->poll);
	uv_poll_start(&s->poll, UV_READABLE | UV_DISCONNECT, on_tty);
	for (int i = 0; i < SIG_COUNT; i++) {
		uv_signal_init(s->loop, &s->sig[i]);
		add_handle(s, (uv_handle_t *)&s->sig[i]);
		uv_signal_start(&s->sig[i], on_signal, sigs[i]);
	}
	uv_prepare_init(s->loop, &s->prepare);
	add_handle(s, (uv_handle_t *)&s->prepare);
	uv_prepare_start(&s->prepare, on_prepare);
	uv_timer_init(s->loop, &s->frame_timer);
	add_handle(s, (uv_handle_t *)&s->frame_timer);
	uv_timer_init(s->loop, &s->msg_timer);
	add_handle(s, (uv_handle_t *)&s->msg_timer);

	/* after the timers: a theme that is not found is said in the footer */
	theme_dirs_init(&s->dirs);
	theme_list_init(&s->themes, &s->dirs);
	load_theme(s, o->theme ? o->theme : cfg->theme);

	{
		const char *tmux = getenv("TMUX");

		alert_term_start(&s->alert, s->fout, s->fleet ? "services" : cfg->service, cfg->bell,
				 o->notify || cfg->notify, tmux && tmux[0]);
	}
	if (s->fleet) {
		fleet_on_change(s->fleet, on_fleet_change, s);
		fleet_start(s->fleet);
	} else {
		monitor_on_change(m, on_change, s);
		monitor_start(m);
	}
	s->dirty = true;
	uv_run(s->loop, UV_RUN_DEFAULT);

	if (s->fleet)
		fleet_on_change(s->fleet, NULL, NULL);
	else
		monitor_on_change(m, NULL, NULL);
	close_handle((uv_handle_t *)&s->poll);
	for (int i = 0; i < SIG_COUNT; i++)
		close_handle((uv_handle_t *)&s->sig[i]);
	close_handle((uv_handle_t *)&s->prepare);
	close_handle((uv_handle_t *)&s->frame_timer);
	close_handle((uv_handle_t *)&s->msg_timer);
	/* uv_close has already taken the tty out of the poll set */
	scr_stop_curses(s);
	alert_term_stop(&s->alert);
	scr_close_tty(s);
	scr_crash_handlers(false);
	rc = s->exit_code;
out:
	panel_log_done(&s->log);
	scr_lines_free(&s->lines);
	if (--s->open_handles == 0)
		free(s);
	return rc;
}
