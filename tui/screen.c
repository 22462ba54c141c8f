/* screen.c: the full-screen monitor on the monitor's own libuv loop.
 *
 * struct screen owns the terminal (a private /dev/tty handed to newterm, so
 * the shell's stdin is never left non-blocking), the libuv handles that feed
 * it (a poll on the tty, signals, a prepare handle and two one-shot timers),
 * the theme, the panels' state and what the footer says. The monitor only
 * marks the screen dirty (on_change), and so do keys and resizes; the
 * prepare handle draws at most one frame per loop pass and at most one per
 * FRAME_MS (a one-shot timer wakes the loop for a frame held back), so a
 * burst of probe results or keys costs one frame and an idle monitor none. Keys become actions
 * through the binding table (keys.c); navigation goes to the focused panel,
 * everything else is done here. The terminal is restored on every way out:
 * q, SIGINT / SIGTERM / SIGHUP, a hung-up terminal, out of memory, and a
 * crash signal. struct screen is freed in the close callback of its last
 * handle, after screen_run has returned. */
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
#include "lines.h"
#include "panel_checklist.h"
#include "panel_latency.h"
#include "panel_log.h"
#include "panel_status.h"
#include "report.h"
#include "text.h"

/* at most ten frames a second */
#define FRAME_MS 100
/* Probe results alone draw at most four frames a second: with 100 targets at
 * 1 s each result drew its own frame, ten a second, most of the CPU. */
#define RESULT_FRAME_MS 250
/* how long a message stays in the footer */
#define MESSAGE_MS 15000
/* keys read per poll wake-up at most, so a flood cannot starve the probes */
#define KEYS_PER_WAKE 512
/* wake-ups without a key in a row before the terminal counts as gone */
#define EMPTY_WAKES_MAX 8
#define OVERLAY_MAX_W 100
#define WHEEL_LINES 3
#define CH_ESC 27
#define PUT_CHUNK 256

enum overlay { OVERLAY_NONE, OVERLAY_HELP, OVERLAY_DETAIL };

enum sig_slot { SIG_WINCH, SIG_INT, SIG_TERM, SIG_HUP, SIG_COUNT };

struct screen {
	struct monitor *m;
	const struct cli *cli;
	uv_loop_t *loop;

	/* the terminal: one descriptor read (and polled, so non-blocking), one
	 * written (blocking, so a slow link never loses output) */
	int tty_in, tty_out;
	FILE *fin, *fout;
	SCREEN *term;
	WINDOW *input; /* 1x1, never drawn: reading keys never refreshes stdscr */
	bool curses_on, utf8, colour;

	uv_poll_t poll;
	uv_signal_t sig[SIG_COUNT];
	uv_prepare_t prepare;
	uv_timer_t frame_timer, msg_timer;
	int open_handles;
	bool polling;

	struct theme theme;
	struct theme_dirs dirs;
	struct theme_list themes;
	enum theme_depth depth;
	attr_t attr[ROLE_COUNT];

	struct layout lay;
	enum panel_id focus;
	struct panel_status status;
	struct panel_latency latency;
	struct panel_log log;
	struct panel_checklist checklist;

	enum overlay overlay;
	enum panel_id detail_of;
	int ov_scroll, ov_page;
	struct screen_lines lines;

	bool prompt;
	char prompt_buf[PANEL_LOG_FILTER_MAX];

	struct alert_term alert; /* the title, bell and notification */

	char msg[PATH_MAX + 64];
	bool dirty, full;
	bool results_dirty;     /* only the monitor changed: drawn at RESULT_FRAME_MS */
	uint64_t last_draw;
	int empty_wakes;
	bool quit;
	int exit_code;
};

/* For the paths that cannot be handed the screen: out of memory deep in a
 * panel, and the crash handler. */
static volatile sig_atomic_t curses_live;
static struct sigaction old_crash[5];
static const int crash_signals[5] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

/* ---- leaving ------------------------------------------------------------- */

static void terminal_restore(void)
{
	if (curses_live && !isendwin()) {
		curs_set(1);
		endwin();
	}
	curses_live = 0;
}

static __attribute__((noreturn)) void fatal(const char *what)
{
	terminal_restore();
	fprintf(stderr, "isitdown: %s\n", what);
	/* the message above says it all: no "crashed" from on_crash */
	signal(SIGABRT, SIG_DFL);
	abort();
}

static void on_crash(int sig)
{
	static const char msg[] = "isitdown: crashed; the terminal was restored\n";

	/* endwin is not async-signal-safe, but the process is lost anyway and a
	 * terminal left in raw mode is worse (htop does the same) */
	if (curses_live) {
		curses_live = 0;
		endwin();
	}
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more can be done */
	}
	raise(sig);
}

static void crash_handlers(bool on)
{
	for (int i = 0; i < 5; i++) {
		if (on) {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_crash;
			sa.sa_flags = SA_RESETHAND;
			sigemptyset(&sa.sa_mask);
			sigaction(crash_signals[i], &sa, &old_crash[i]);
		} else {
			sigaction(crash_signals[i], &old_crash[i], NULL);
		}
	}
}

/* ---- text ----------------------------------------------------------------- */

/* Columns of one code point as drawn; 0 for what is dropped. */
static int cp_width(const struct screen_ctx *c, uint32_t cp)
{
	return text_cp_width(cp, c->utf8);
}

/* The core of screen_put: at most len bytes of s. */
static int put_len(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s, size_t len)
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
		int cw = cp_width(c, cp);

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
	return put_len(c, y, x, w, a, s, SIZE_MAX);
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
	int cols = put_len(c, y, x, w, a, s, n);

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
		int cw = cp_width(c, text_next_cp(&s, end));

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
		fatal("out of memory");
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct screen_line *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			fatal("out of memory");
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

static void lines_free(struct screen_lines *l)
{
	screen_lines_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

void screen_fmt_ms(double ms, char *buf, size_t len)
{
	if (ms < 0 || ms != ms)
		snprintf(buf, len, "-");
	else if (ms < 10)
		snprintf(buf, len, "%.2fms", ms);
	else if (ms < 100)
		snprintf(buf, len, "%.1fms", ms);
	else if (ms < 1000)
		snprintf(buf, len, "%.0fms", ms);
	else if (ms < 100000)
		snprintf(buf, len, "%.2fs", ms / 1000);
	else
		snprintf(buf, len, "%.0fs", ms / 1000);
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

void screen_fmt_duration(double s, char *buf, size_t len)
{
	long v = s > 0 ? (long)(s + 0.5) : 0;

	if (v < 120)
		snprintf(buf, len, "%ld s", v);
	else if (v < 7200)
		snprintf(buf, len, "%ld min", v / 60);
	else if (v < 2 * 86400)
		snprintf(buf, len, "%ld h %ld min", v / 3600, v % 3600 / 60);
	else
		snprintf(buf, len, "%ld d", v / 86400);
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

/* ---- theme ---------------------------------------------------------------- */

static void apply_theme(struct screen *s)
{
	theme_apply(&s->theme, s->depth, s->colour ? COLOR_PAIRS : 0, s->attr);
	wbkgdset(stdscr, (chtype)(s->attr[ROLE_NORMAL] | ' '));
	s->full = true;
	s->dirty = true;
}

static void set_message(struct screen *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_message(struct screen *s, const char *fmt, ...)
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
		set_message(s, "theme: %s", err);
	apply_theme(s);
}

static void next_theme(struct screen *s)
{
	const char *name = theme_list_next(&s->themes, s->theme.name);
	char err[512];

	if (!name)
		return;
	if (theme_find(&s->theme, name, &s->dirs, err, sizeof(err)) < 0) {
		set_message(s, "theme: %s", err);
	} else {
		set_message(s, "theme: %s%s", s->theme.name,
			    s->colour ? "" : " (this terminal shows no colour: attributes only)");
	}
	apply_theme(s);
}

/* ---- drawing -------------------------------------------------------------- */

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

static enum theme_role verdict_role(enum verdict_state st)
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

static void draw_verdict(const struct screen *s, const struct screen_ctx *c, struct rect r)
{
	const struct verdict *v = monitor_verdict(s->m);
	attr_t bar = screen_attr(c, verdict_role(v->state)) | A_REVERSE;
	char head[96], last[32], right[64];
	double t = monitor_last_result(s->m);
	int x = r.x, end = r.x + r.w, rw;

	if (rect_empty(r))
		return;
	screen_fill(c, r, bar);
	report_verdict_lead(v, head, sizeof(head));
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
	if (end - x < rw + 1 + screen_width(c, report_verdict_summary(v)))
		rw = 0;
	screen_putf_fit(c, r.y, x, end - x - rw, bar, " %s", report_verdict_summary(v));
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

static void draw_frame(const struct screen_ctx *c, struct rect r, enum layout_frame f, const char *title,
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

static enum panel_id effective_focus(const struct screen *s)
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
		x += put_len(c, r.y, x, end - x, screen_attr(c, ROLE_FOOTER_KEY), p, klen);
		x += put_len(c, r.y, x, end - x, screen_attr(c, ROLE_FOOTER), p + klen, ilen - klen);
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
		draw_footer_keys(c, r, "Esc back  j/k scroll  PgUp/PgDn page  ? help  q quit");
		return;
	}
	keys_footer(effective_focus(s), keys, sizeof(keys), r.w - 1);
	draw_footer_keys(c, r, keys);
}

static void panel_title(const struct screen *s, const struct screen_ctx *c, enum panel_id p, char *buf, size_t len)
{
	switch (p) {
	case PANEL_STATUS: panel_status_title(&s->status, c, buf, len); break;
	case PANEL_LATENCY: panel_latency_title(&s->latency, c, buf, len); break;
	case PANEL_LOG: panel_log_title(&s->log, c, buf, len); break;
	case PANEL_CHECKLIST: panel_checklist_title(&s->checklist, c, buf, len); break;
	case PANEL_COUNT: snprintf(buf, len, "?"); break;
	}
}

static void draw_panel(struct screen *s, const struct screen_ctx *c, enum panel_id p)
{
	struct rect r = layout_content(&s->lay, p);
	bool focus = s->focus == p && s->overlay == OVERLAY_NONE;
	char title[256];

	switch (p) {
	case PANEL_STATUS: panel_status_draw(&s->status, c, r, focus); break;
	case PANEL_LATENCY: panel_latency_draw(&s->latency, c, r, focus); break;
	case PANEL_LOG: panel_log_draw(&s->log, c, r, focus); break;
	case PANEL_CHECKLIST: panel_checklist_draw(&s->checklist, c, r, focus); break;
	case PANEL_COUNT: break;
	}
	/* the title after the content: it counts what the panel just drew */
	panel_title(s, c, p, title, sizeof(title));
	draw_frame(c, s->lay.panel[p], s->lay.frame[p], title, s->focus == p);
}

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
	switch (s->detail_of) {
	case PANEL_STATUS: panel_status_detail(&s->status, c, &s->lines, title, tlen); break;
	case PANEL_LATENCY: panel_latency_detail(&s->latency, c, &s->lines, title, tlen); break;
	case PANEL_LOG: panel_log_detail(&s->log, c, &s->lines, title, tlen); break;
	case PANEL_CHECKLIST: panel_checklist_detail(&s->checklist, c, &s->lines, title, tlen); break;
	case PANEL_COUNT: snprintf(title, tlen, "?"); break;
	}
}

/* Bytes of s that fit in w columns, cut after a space when the line goes on. */
static size_t wrap_len(const struct screen_ctx *c, const char *s, int w)
{
	const char *p = s, *end = s + strlen(s), *space = NULL;
	int cols = 0;

	while (p < end) {
		const char *at = p;
		uint32_t cp = text_next_cp(&p, end);
		int cw = cp_width(c, cp);

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
static int overlay_rows(const struct screen *s, const struct screen_ctx *c, struct rect r, int first, bool draw)
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

			if (draw && y >= 0 && y < r.h)
				put_len(c, r.y + y, r.x + indent, w, screen_attr(c, ln->role), p, n);
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

static void draw_overlay(struct screen *s, const struct screen_ctx *c)
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
	draw_frame(c, box, FRAME_BOX, title, true);
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

static void draw(struct screen *s)
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
	layout_compute(&s->lay, cols, rows, panel_status_rows(s->m), (int)cl->n, s->focus);
	if (s->full) {
		clearok(curscr, TRUE);
		s->full = false;
	}
	werase(stdscr);
	draw_verdict(s, &c, s->lay.verdict);
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
		draw_overlay(s, &c);
	draw_footer(s, &c);
	wnoutrefresh(stdscr);
	doupdate();
	alert_term_update(&s->alert, monitor_verdict(s->m));
	s->last_draw = uv_now(s->loop);
	s->dirty = false;
}

/* ---- actions -------------------------------------------------------------- */

static void quit(struct screen *s, int code)
{
	s->quit = true;
	s->exit_code = code;
	uv_stop(s->loop);
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* The state directory: --state-dir, else $XDG_STATE_HOME/isitdown, else
 * ~/.local/state/isitdown; "" when none can be named. */
static void state_dir(const struct screen *s, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (s->cli->state_dir && s->cli->state_dir[0])
		snprintf(buf, len, "%s", s->cli->state_dir);
	else if (xdg && xdg[0] == '/')
		snprintf(buf, len, "%s/isitdown", xdg);
	else if (home && home[0])
		snprintf(buf, len, "%s/.local/state/isitdown", home);
	else
		buf[0] = '\0';
}

/* Creates a new report file in dir; the name carries the time, and a
 * counter when two reports fall in the same second. */
static FILE *open_report(const char *dir, const char *stamp, char *path, size_t len, int *err)
{
	for (int k = 1; k < 100; k++) {
		int fd, n;

		if (k == 1)
			n = snprintf(path, len, "%s/isitdown-report-%s.md", dir, stamp);
		else
			n = snprintf(path, len, "%s/isitdown-report-%s-%d.md", dir, stamp, k);
		if (n < 0 || (size_t)n >= len) {
			*err = ENAMETOOLONG;
			return NULL;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			FILE *f = fdopen(fd, "w");

			if (!f) {
				*err = errno;
				close(fd);
				unlink(path);
			}
			return f;
		}
		if (errno != EEXIST) {
			*err = errno;
			return NULL;
		}
	}
	*err = EEXIST;
	return NULL;
}

static void export_report(struct screen *s)
{
	char dirs[2][PATH_MAX], path[PATH_MAX + 64], stamp[32], shown[PATH_MAX + 64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = NULL;
	int err = 0, first_err = 0, rc;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	if (!getcwd(dirs[0], sizeof(dirs[0])))
		snprintf(dirs[0], sizeof(dirs[0]), ".");
	state_dir(s, dirs[1], sizeof(dirs[1]));
	for (int i = 0; i < 2 && !f; i++) {
		if (!dirs[i][0])
			continue;
		if (i == 1)
			mkdir_p(dirs[i]);
		f = open_report(dirs[i], stamp, path, sizeof(path), &err);
		if (!f && !first_err)
			first_err = err;
	}
	if (!f) {
		set_message(s, "cannot write the report in %s: %s", dirs[0], strerror(first_err ? first_err : err));
		return;
	}
	monitor_settle(s->m);
	rc = report_write_markdown(s->m, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc != 0) {
		set_message(s, "cannot write the report %s: %s", path, strerror(-rc));
		unlink(path);
		return;
	}
	snprintf(shown, sizeof(shown), "%s", path);
	set_message(s, "report written to %s", shown);
}

static unsigned panel_key(struct screen *s, enum panel_id p, enum key_action a)
{
	unsigned r = 0;

	switch (p) {
	case PANEL_STATUS:
		if (s->lay.mode == LAYOUT_TINY)
			r = panel_status_key_tiny(&s->status, s->m, a);
		else
			r = panel_status_key(&s->status, s->m, a);
		panel_latency_select(&s->latency, panel_status_selected_target(&s->status, s->m));
		break;
	case PANEL_LATENCY: r = panel_latency_key(&s->latency, s->m, a); break;
	case PANEL_LOG: r = panel_log_key(&s->log, s->m, a); break;
	case PANEL_CHECKLIST: r = panel_checklist_key(&s->checklist, s->m, a); break;
	case PANEL_COUNT: break;
	}
	return r;
}

/* The next visible panel in reading order: status, latency, checklist, log. */
static void cycle_focus(struct screen *s, int dir)
{
	static const enum panel_id order[] = {PANEL_STATUS, PANEL_LATENCY, PANEL_CHECKLIST, PANEL_LOG};
	int at = 0;

	for (int i = 0; i < 4; i++)
		if (order[i] == s->focus)
			at = i;
	for (int k = 1; k <= 4; k++) {
		enum panel_id p = order[((at + dir * k) % 4 + 4) % 4];

		if (s->lay.mode == LAYOUT_TINY || s->lay.mode == LAYOUT_MINIMAL || layout_visible(&s->lay, p)) {
			s->focus = p;
			return;
		}
	}
}

static void overlay_key(struct screen *s, enum key_action a)
{
	int page = s->ov_page > 1 ? s->ov_page - 1 : 1;

	switch (a) {
	case ACTION_UP: s->ov_scroll--; break;
	case ACTION_DOWN: s->ov_scroll++; break;
	case ACTION_PAGE_UP: s->ov_scroll -= page; break;
	case ACTION_PAGE_DOWN: s->ov_scroll += page; break;
	case ACTION_HOME: s->ov_scroll = 0; break;
	case ACTION_END: s->ov_scroll = INT_MAX / 2; break;
	case ACTION_BACK:
	case ACTION_ENTER:
		s->overlay = OVERLAY_NONE;
		break;
	case ACTION_HELP:
		s->overlay = s->overlay == OVERLAY_HELP ? OVERLAY_NONE : OVERLAY_HELP;
		s->ov_scroll = 0;
		break;
	case ACTION_NEXT_PANEL:
	case ACTION_PREV_PANEL:
		s->overlay = OVERLAY_NONE;
		cycle_focus(s, a == ACTION_NEXT_PANEL ? 1 : -1);
		break;
	default:
		return;
	}
	if (s->ov_scroll < 0)
		s->ov_scroll = 0;
}

static void do_action(struct screen *s, enum key_action a)
{
	enum panel_id f = effective_focus(s);

	switch (a) {
	case ACTION_QUIT:
		quit(s, 0);
		return;
	case ACTION_PROBE_NOW:
		monitor_probe_all(s->m);
		set_message(s, "probing all %zu targets now", monitor_target_count(s->m));
		return;
	case ACTION_PAUSE:
		monitor_pause(s->m, !monitor_paused(s->m));
		return;
	case ACTION_THEME:
		next_theme(s);
		return;
	case ACTION_EXPORT:
		export_report(s);
		return;
	case ACTION_REDRAW:
		s->full = true;
		return;
	default:
		break;
	}
	if (s->overlay != OVERLAY_NONE) {
		overlay_key(s, a);
		return;
	}
	switch (a) {
	case ACTION_HELP:
		s->overlay = OVERLAY_HELP;
		s->ov_scroll = 0;
		return;
	case ACTION_NEXT_PANEL:
		cycle_focus(s, 1);
		return;
	case ACTION_PREV_PANEL:
		cycle_focus(s, -1);
		return;
	case ACTION_FILTER:
		s->prompt = true;
		snprintf(s->prompt_buf, sizeof(s->prompt_buf), "%s", s->log.filter);
		return;
	default:
		break;
	}
	if (panel_key(s, f, a) & SCREEN_DETAIL) {
		s->overlay = OVERLAY_DETAIL;
		s->detail_of = f;
		s->ov_scroll = 0;
	}
}

static void prompt_key(struct screen *s, bool fkey, wint_t ch)
{
	size_t len = strlen(s->prompt_buf);

	if ((fkey && ch == KEY_ENTER) || (!fkey && (ch == '\n' || ch == '\r'))) {
		panel_log_set_filter(&s->log, s->prompt_buf);
		s->prompt = false;
		return;
	}
	if (!fkey && ch == CH_ESC) {
		s->prompt = false;
		return;
	}
	if ((fkey && ch == KEY_BACKSPACE) || (!fkey && (ch == 127 || ch == 8))) {
		/* one character, not one byte */
		while (len > 0 && ((unsigned char)s->prompt_buf[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		s->prompt_buf[len] = '\0';
		return;
	}
	if (!fkey && ch == ('u' & 0x1f)) {
		s->prompt_buf[0] = '\0';
		return;
	}
	if (fkey || ch < 0x20 || ch == 0x7f || (ch >= 0x80 && !s->utf8)) {
		return;
	} else {
		char enc[8];
		int n = 0;
		uint32_t cp = (uint32_t)ch;

		if (cp < 0x80) {
			enc[n++] = (char)cp;
		} else if (cp < 0x800) {
			enc[n++] = (char)(0xc0 | cp >> 6);
			enc[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			enc[n++] = (char)(0xe0 | cp >> 12);
			enc[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
			enc[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x110000) {
			enc[n++] = (char)(0xf0 | cp >> 18);
			enc[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
			enc[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
			enc[n++] = (char)(0x80 | (cp & 0x3f));
		}
		if (len + (size_t)n < sizeof(s->prompt_buf)) {
			memcpy(s->prompt_buf + len, enc, (size_t)n);
			s->prompt_buf[len + (size_t)n] = '\0';
		}
	}
}

static bool in_rect(struct rect r, int x, int y)
{
	return !rect_empty(r) && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static void mouse_event(struct screen *s)
{
	MEVENT ev;
	enum key_action a = ACTION_NONE;
	int target = -1;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		a = ACTION_UP;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		a = ACTION_DOWN;
#endif
	if (s->overlay != OVERLAY_NONE) {
		for (int i = 0; i < WHEEL_LINES && a != ACTION_NONE; i++)
			overlay_key(s, a);
		return;
	}
	if (s->lay.mode == LAYOUT_TINY || s->lay.mode == LAYOUT_MINIMAL)
		return;
	for (int p = 0; p < PANEL_COUNT; p++)
		if (in_rect(s->lay.panel[p], ev.x, ev.y))
			target = p;
	if (target < 0)
		return;
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		s->focus = (enum panel_id)target;
		return;
	}
	for (int i = 0; i < WHEEL_LINES && a != ACTION_NONE; i++)
		panel_key(s, (enum panel_id)target, a);
}

static void resize(struct screen *s)
{
	struct winsize ws;

	if (ioctl(s->tty_out, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	s->full = true;
}

static void handle_key(struct screen *s, bool fkey, wint_t ch)
{
	int key = (int)ch;

	s->dirty = true;
	if (fkey && key == KEY_RESIZE) {
		resize(s);
		return;
	}
	if (fkey && key == KEY_MOUSE) {
		mouse_event(s);
		return;
	}
	if (s->prompt) {
		prompt_key(s, fkey, ch);
		return;
	}
	/* a message stays until the next key */
	if (s->msg[0]) {
		s->msg[0] = '\0';
		uv_timer_stop(&s->msg_timer);
	}
	if (!fkey && ch >= 0x80)
		return;
	do_action(s, keys_lookup(key, effective_focus(s)));
}

/* ---- libuv callbacks ------------------------------------------------------ */

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
		quit(s, 0);
		return;
	}
	for (int i = 0; i < KEYS_PER_WAKE && !s->quit; i++) {
		wint_t ch;
		int rc;

		errno = 0;
		rc = wget_wch(s->input, &ch);
		if (rc == ERR) {
			if (errno == EIO || errno == EBADF || errno == EPIPE || errno == ENXIO)
				quit(s, 0);
			break;
		}
		got++;
		handle_key(s, rc == KEY_CODE_YES, ch);
	}
	/* A terminal that hung up stays readable and yields nothing: leave
	 * instead of spinning. */
	if (got == 0) {
		int avail = 0;

		if (ioctl(s->tty_in, FIONREAD, &avail) == 0 && avail == 0 && ++s->empty_wakes >= EMPTY_WAKES_MAX)
			quit(s, 0);
	} else {
		s->empty_wakes = 0;
	}
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct screen *s = h->data;

	if (signum == SIGWINCH) {
		resize(s);
		s->dirty = true;
		return;
	}
	/* a clean stop, as in line mode: the log is flushed on the way out */
	quit(s, 0);
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
		draw(s);
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

/* ---- set-up and tear-down ------------------------------------------------- */

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

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static int open_tty(struct screen *s)
{
	s->tty_in = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	s->tty_out = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->tty_in < 0 || s->tty_out < 0)
		return -errno;
	s->fin = fdopen(s->tty_in, "r");
	if (!s->fin)
		return -errno;
	s->fout = fdopen(s->tty_out, "w");
	if (!s->fout)
		return -errno;
	return 0;
}

static void close_tty(struct screen *s)
{
	if (s->fin)
		fclose(s->fin);
	else if (s->tty_in >= 0)
		close(s->tty_in);
	if (s->fout)
		fclose(s->fout);
	else if (s->tty_out >= 0)
		close(s->tty_out);
	s->fin = s->fout = NULL;
	s->tty_in = s->tty_out = -1;
}

/* Starts curses on the private tty. Returns 0, or -1 with why in buf when
 * this terminal cannot show a full screen. */
static int start_curses(struct screen *s, char *why, size_t len)
{
	const char *no_color = getenv("NO_COLOR");
	const char *cup;

	s->term = newterm(NULL, s->fout, s->fin);
	if (!s->term) {
		const char *t = getenv("TERM");

		snprintf(why, len, "unknown terminal type \"%s\"", t ? t : "");
		return -1;
	}
	set_term(s->term);
	cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		snprintf(why, len, "terminal \"%s\" cannot place the cursor", termname());
		endwin();
		delscreen(s->term);
		s->term = NULL;
		return -1;
	}
	curses_live = 1;
	s->curses_on = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	s->input = newwin(1, 1, 0, 0);
	if (!s->input)
		fatal("out of memory");
	untouchwin(s->input);
	keypad(s->input, TRUE);
	nodelay(s->input, TRUE);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	s->utf8 = locale_is_utf8();
	if (no_color && !no_color[0])
		no_color = NULL;
	if (!no_color && has_colors())
		start_color();
	s->depth = theme_depth_detect(has_colors(), no_color ? 0 : COLORS, tigetflag("RGB") > 0, no_color);
	s->colour = s->depth != THEME_DEPTH_NONE;
	return 0;
}

static void stop_curses(struct screen *s)
{
	if (!s->curses_on)
		return;
	if (s->input)
		delwin(s->input);
	s->input = NULL;
	terminal_restore();
	delscreen(s->term);
	s->term = NULL;
	s->curses_on = false;
}

/* A terminal that cannot show a full screen still gets the events, one line
 * each, as when stdout is not a terminal. */
static int run_lines(struct screen *s, const char *why)
{
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};

	fprintf(stderr, "isitdown: %s: showing events line by line\n", why);
	lines_attach(monitor_events(s->m), stdout, false);
	for (int i = 0; i < 3; i++) {
		uv_signal_init(s->loop, &s->sig[SIG_INT + i]);
		add_handle(s, (uv_handle_t *)&s->sig[SIG_INT + i]);
		uv_signal_start(&s->sig[SIG_INT + i], on_signal, sigs[i]);
	}
	monitor_start(s->m);
	uv_run(s->loop, UV_RUN_DEFAULT);
	for (int i = 0; i < 3; i++)
		close_handle((uv_handle_t *)&s->sig[SIG_INT + i]);
	return s->exit_code;
}

int screen_run(struct monitor *m, const struct cli *cli)
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
	s->cli = cli;
	s->loop = monitor_loop(m);
	s->tty_in = s->tty_out = -1;
	s->focus = PANEL_STATUS;
	panel_log_init(&s->log);
	/* counts itself until the end of screen_run, so the handles' close
	 * callbacks cannot free it early */
	s->open_handles = 1;

	rc = open_tty(s);
	if (rc < 0) {
		close_tty(s);
		snprintf(why, sizeof(why), "cannot open the terminal: %s", strerror(-rc));
		rc = run_lines(s, why);
		goto out;
	}
	if (start_curses(s, why, sizeof(why)) != 0) {
		close_tty(s);
		rc = run_lines(s, why);
		goto out;
	}
	crash_handlers(true);

	rc = uv_poll_init(s->loop, &s->poll, s->tty_in);
	if (rc < 0) {
		snprintf(why, sizeof(why), "cannot watch the terminal: %s", uv_strerror(rc));
		stop_curses(s);
		close_tty(s);
		crash_handlers(false);
		rc = run_lines(s, why);
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
	load_theme(s, cli->theme ? cli->theme : cfg->theme);

	{
		const char *tmux = getenv("TMUX");

		alert_term_start(&s->alert, s->fout, cfg->service, cfg->bell, cli->notify || cfg->notify,
				 tmux && tmux[0]);
	}
	monitor_on_change(m, on_change, s);
	monitor_start(m);
	s->dirty = true;
	uv_run(s->loop, UV_RUN_DEFAULT);

	monitor_on_change(m, NULL, NULL);
	close_handle((uv_handle_t *)&s->poll);
	for (int i = 0; i < SIG_COUNT; i++)
		close_handle((uv_handle_t *)&s->sig[i]);
	close_handle((uv_handle_t *)&s->prepare);
	close_handle((uv_handle_t *)&s->frame_timer);
	close_handle((uv_handle_t *)&s->msg_timer);
	/* uv_close has already taken the tty out of the poll set */
	stop_curses(s);
	alert_term_stop(&s->alert);
	close_tty(s);
	crash_handlers(false);
	rc = s->exit_code;
out:
	panel_log_done(&s->log);
	lines_free(&s->lines);
	if (--s->open_handles == 0)
		free(s);
	return rc;
}
