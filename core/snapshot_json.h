/* snapshot_json.h: the monitor's state as one JSON document (--once --json).
 *
 * The schema is documented in README.md; keys are only ever added. */
#ifndef ISITDOWN_SNAPSHOT_JSON_H
#define ISITDOWN_SNAPSHOT_JSON_H

#include <cjson/cJSON.h>

#include "monitor.h"

/* "events" holds at most this many, the newest (history loaded from the log file included). */
#define SNAPSHOT_EVENTS_MAX 200

/* The caller owns the tree. NULL when out of memory. */
cJSON *snapshot_json(const struct monitor *m);

#endif
