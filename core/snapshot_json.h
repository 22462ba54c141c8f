/* snapshot_json.h: the monitor's state as one JSON document (--once --json).
 *
 * The schema is documented in README.md; keys are only ever added. */
#ifndef ISITDOWN_SNAPSHOT_JSON_H
#define ISITDOWN_SNAPSHOT_JSON_H

#include <cjson/cJSON.h>

#include "fleet.h"
#include "monitor.h"

/* "events" holds at most this many, the newest (history loaded from the log file included). */
#define SNAPSHOT_EVENTS_MAX 200

/* The caller owns the tree. NULL when out of memory. */
cJSON *snapshot_json(const struct monitor *m);
/* Several services (--once --json): "verdict" the overall one (fleet_verdict,
 * with "service": the one it comes from, null when all are good or it is a
 * local problem), "services": [{"service", "group", "verdict" (with
 * "fallback"), "components", "official", "targets", "checklist"}]. */
cJSON *snapshot_fleet_json(const struct fleet *f);

#endif
