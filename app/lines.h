/* lines.h: line mode, one line (or one JSON object) per event on a stream. */
#ifndef ISITDOWN_LINES_H
#define ISITDOWN_LINES_H

#include <stdbool.h>
#include <stdio.h>

#include "eventlog.h"

struct lines_sink;

/* Subscribes to the log: every new event is printed to out and flushed. When
 * out is a pipe whose reader has gone, raises SIGTERM once (a clean stop).
 * Each subscription has its own sink; NULL when out of memory. */
struct lines_sink *lines_attach(struct eventlog *log, FILE *out, bool json);
/* Ends the subscription and frees the sink (NULL is a no-op). */
void lines_detach(struct eventlog *log, struct lines_sink *sink);

#endif
