/* screen_internal.h: the full screen's insides, shared by its files: screen.c
 * (the loop, frame pacing, drawing a frame), term.c (the terminal's life and
 * crash handling), overlay.c (help and detail views), actions.c (keys, mouse,
 * the filter prompt, theme cycling, export). The panels never include it: they
 * draw with draw.h. */
#ifndef ISITDOWN_SCREEN_INTERNAL_H
#define ISITDOWN_SCREEN_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <uv.h>
#include "screen.h"
#include "alert.h"
#include "keys.h"
#include "panel_checklist.h"
#include "panel_latency.h"
#include "panel_log.h"
#include "panel_status.h"
#include "panel.h"

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
	struct monitor *m;     /* the service the panels show */
	struct fleet *fleet;   /* several services: m is fleet_monitor(fleet, service) */
	size_t service;
	struct screen_options opts;
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
	/* the four above, as the screen sees them: indexed by enum panel_id */
	struct panel_slot {
		const struct panel_ops *ops;
		void *state;
	} panel[PANEL_COUNT];

	enum overlay overlay;
	enum panel_id detail_of;
	int ov_scroll, ov_page;
	struct screen_lines lines;

	bool confirm_save;      /* T asked: the next key says whether to save the theme */
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

void scr_crash_handlers(bool on);
int scr_cp_width(const struct screen_ctx *c, uint32_t cp);
int scr_put_len(const struct screen_ctx *c, int y, int x, int w, attr_t a, const char *s, size_t len);
void scr_lines_free(struct screen_lines *l);
void scr_set_message(struct screen *s, const char *fmt, ...);
void scr_next_theme(struct screen *s);
void scr_draw_frame(const struct screen_ctx *c, struct rect r, enum layout_frame f, const char *title,
		       bool focus);
enum panel_id scr_effective_focus(const struct screen *s);
void scr_draw_overlay(struct screen *s, const struct screen_ctx *c);
void scr_draw(struct screen *s);
void scr_quit(struct screen *s, int code);
void scr_resize(struct screen *s);
void scr_handle_key(struct screen *s, bool fkey, wint_t ch);
/* The verdict the bar, the title and the bell follow: the service's, or with
 * several the overall one (fleet_verdict). */
void scr_verdict(const struct screen *s, struct verdict *out);
/* Shows service i (several services); the panels start afresh on it. */
void scr_show_service(struct screen *s, size_t i);
int scr_open_tty(struct screen *s);
void scr_close_tty(struct screen *s);
int scr_start_curses(struct screen *s, char *why, size_t len);
void scr_stop_curses(struct screen *s);

#endif
