/* screen.h: the full-screen monitor.
 *
 * screen_run owns the terminal, the input and the redraws; the panels
 * (panel_status, panel_latency, panel_log, panel_checklist) and the help
 * screen draw inside the rectangles it gives them, with draw.h's kit, and
 * only read the monitor. */
#ifndef ISITDOWN_SCREEN_H
#define ISITDOWN_SCREEN_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "draw.h"
#include "fleet.h"
#include "layout.h"
#include "monitor.h"
#include "theme.h"

/* What the command line asks of the full screen. */
struct screen_options {
	const char *theme;     /* a name or path; NULL: the config's */
	const char *state_dir; /* --state-dir, where e writes reports; NULL: the usual place */
	bool notify;           /* --notify (the config's "notify" counts too) */
	const char *config_path; /* the config file in use, where T saves the theme;
				  * NULL when a preset runs (then T writes the user's own file) */
	const char *preset;    /* the preset that runs when config_path is NULL */
	struct fleet *fleet;   /* several services (the monitor given is the first); NULL: one */
};

/* screen_run could not show a full screen here (no terminal, a terminal type
 * that cannot place the cursor): it said why on stderr and started nothing,
 * so the caller can show the events line by line instead. */
#define SCREEN_NO_TERMINAL (-1)

/* Runs the monitor on the terminal until the user quits or a signal arrives;
 * the terminal is restored on every way out. Returns the exit status, or
 * SCREEN_NO_TERMINAL. */
int screen_run(struct monitor *m, const struct screen_options *o);

#endif
