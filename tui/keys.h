/* keys.h: the key bindings of the monitor, in one table.
 *
 * The key dispatcher looks keys up here, and the help screen and the main
 * footer are written from the same table, so what they say is what the keys
 * do; so is the footer of the help and detail views.
 * Keys are characters or curses KEY_* codes (numbers only: nothing here
 * talks to the terminal). */
#ifndef ISITDOWN_KEYS_H
#define ISITDOWN_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"

enum key_action {
	ACTION_NONE,
	ACTION_UP,
	ACTION_DOWN,
	ACTION_LEFT,
	ACTION_RIGHT,
	ACTION_PAGE_UP,
	ACTION_PAGE_DOWN,
	ACTION_HOME,
	ACTION_END,
	ACTION_NEXT_PANEL,
	ACTION_PREV_PANEL,
	ACTION_ENTER,      /* details of the selected row */
	ACTION_BACK,       /* close details, help, a prompt */
	ACTION_PROBE_NOW,
	ACTION_PAUSE,
	ACTION_THEME,      /* next theme */
	ACTION_SAVE_THEME, /* keep the theme in the user's config file */
	ACTION_FILTER,     /* filter the log */
	ACTION_EXPORT,     /* write a report */
	ACTION_HELP,
	ACTION_REDRAW,     /* repaint the whole screen (^L) */
	ACTION_PREV_SERVICE, /* several services: the one before */
	ACTION_NEXT_SERVICE,
	ACTION_PICK_SERVICE, /* 1 to 9: that one */
	ACTION_QUIT,
	ACTION_COUNT
};

/* a set of panels, one bit per enum panel_id */
#define KEYS_IN(p) (1u << (p))
#define KEYS_ANYWHERE ((1u << PANEL_COUNT) - 1)

struct key_binding {
	int key;             /* a character or a curses KEY_* code */
	unsigned panels;     /* where the binding applies (KEYS_IN bits) */
	enum key_action action;
};

extern const struct key_binding keys_table[];
extern const size_t keys_count;

/* What key does with panel focused; ACTION_NONE when it does nothing there. */
enum key_action keys_lookup(int key, enum panel_id focused);
/* The list keys (up, down, page up and down, home, end) applied to a
 * selection among n rows, kept within them; page: rows per page. Returns
 * false, leaving sel alone, for any other action. */
bool keys_move_selection(enum key_action a, int *sel, int n, int page);

/* Short name of a key for people: "q", "Up", "Tab", "Shift-Tab", "^L". */
const char *keys_name(int key, char *buf, size_t size);

const char *keys_action_name(enum key_action a); /* "probe-now" */
const char *keys_action_help(enum key_action a); /* "probe every target now" */

/* The footer line for the focused panel: items "KEY WORD" separated by two
 * spaces, most useful first, as many as fit in width columns (ASCII only).
 * Writes at most size - 1 bytes and returns the number of columns used. */
int keys_footer(enum panel_id focused, char *buf, size_t size, int width);

/* The footer of the help and detail views ("Esc back  j/k scroll  PgUp/PgDn
 * page  ? help  q quit"), from the same table, as many items as fit. */
int keys_overlay_footer(char *buf, size_t size, int width);

/* Columns of the keys in a help line, before the words. */
#define KEYS_HELP_KEY_W 16

/* Line i of the help screen ("Up, k          move up"), one per action, in
 * table order. Returns 0, or -1 when i is past the last line. */
int keys_help_line(size_t i, char *buf, size_t size);

#endif
