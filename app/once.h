/* once.h: the --once report on stdout, as a table or as JSON, and the
 * progress line shown on a terminal while it waits. */
#ifndef ISITDOWN_ONCE_H
#define ISITDOWN_ONCE_H

#include <stdbool.h>
#include <stdio.h>
#include <uv.h>

#include "fleet.h"
#include "monitor.h"

/* The report in 80 columns (the first line, the status line, whole). */
void once_print_text(FILE *out, const struct monitor *m);
int once_print_json(FILE *out, const struct monitor *m);
/* A target the user must fix in the config (an llm target whose model the
 * API does not know), said on err: --once then exits 3, unless the verdict
 * is an outage. */
bool once_config_problem(const struct monitor *m, FILE *err);
/* Several services: the overall status line (the worst, or one local
 * problem), then one block per service; the JSON as snapshot_fleet_json. */
void once_print_fleet_text(FILE *out, const struct fleet *f);
int once_print_fleet_json(FILE *out, const struct fleet *f);

struct once_progress;

/* "probing 7 targets… 5 answered" on out, rewritten in place, when out is a
 * terminal (NULL, and nothing printed, otherwise). once_progress_stop erases
 * it and closes its timer (freed when the loop runs the close). */
struct once_progress *once_progress_start(uv_loop_t *loop, const struct monitor *m, FILE *out);
void once_progress_stop(struct once_progress *p);

#endif
