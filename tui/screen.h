/* screen.h: the full-screen monitor. */
#ifndef ISITDOWN_SCREEN_H
#define ISITDOWN_SCREEN_H

#include "cli.h"
#include "monitor.h"

/* Runs the monitor on the terminal until the user quits or a signal arrives;
 * the terminal is restored on every way out. Returns the exit status. */
int screen_run(struct monitor *m, const struct cli *cli);

#endif
