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

#include "cli.h"
#include "draw.h"
#include "layout.h"
#include "monitor.h"
#include "theme.h"

/* Runs the monitor on the terminal until the user quits or a signal arrives;
 * the terminal is restored on every way out. Returns the exit status. */
int screen_run(struct monitor *m, const struct cli *cli);

#endif
