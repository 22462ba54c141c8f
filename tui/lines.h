/* lines.h: line mode, one line (or one JSON object) per event on stdout. */
#ifndef ISITDOWN_LINES_H
#define ISITDOWN_LINES_H

#include <stdbool.h>
#include <stdio.h>

#include "eventlog.h"

/* Formats one event as the line mode prints it. */
void lines_format(const struct event *ev, bool json, char *buf, size_t len);
/* Subscribes to the log: every new event is printed to out and flushed. When
 * out is a pipe whose reader has gone, raises SIGTERM once (a clean stop). */
int lines_attach(struct eventlog *log, FILE *out, bool json);

#endif
