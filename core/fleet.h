/* fleet.h: the services one run watches, together.
 *
 * One monitor per service (monitor.h), all on one loop. A control target
 * that several services share (the same kind, name and address: the presets'
 * controls, or a file's "controls") is probed by the first service that has
 * it; the others mirror its results, so it is probed once per interval
 * whatever the number of services, and "it's just you" is judged on the same
 * facts for all. After each change the fleet works out each service's
 * fallback: a service in a partial or major outage is told the first other
 * service of its group (config order) that is operational. */
#ifndef ISITDOWN_FLEET_H
#define ISITDOWN_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "config_set.h"
#include "monitor.h"

struct fleet;

typedef void (*fleet_fn)(struct fleet *f, void *data);

/* Takes the set's configs (set is emptied; the caller still frees it). NULL
 * with a reason in err on failure. */
struct fleet *fleet_new(uv_loop_t *loop, struct config_set *set, const struct monitor_options *o, char *err,
			size_t errlen);
/* Stops everything; run the loop afterwards until it has closed its handles. */
void fleet_free(struct fleet *f);
void fleet_start(struct fleet *f);

size_t fleet_count(const struct fleet *f);
/* The one event log of all services (each event names its service). */
struct eventlog *fleet_events(const struct fleet *f);
/* The services' monitors, fleet_count of them, in config order. */
const struct monitor *const *fleet_monitors(const struct fleet *f);
struct monitor *fleet_monitor(const struct fleet *f, size_t i);
/* Targets of service i probed by another service (mirrored), for tests. */
size_t fleet_mirrored(const struct fleet *f, size_t i);

/* Any service's verdict changed (after the fallbacks are worked out). */
void fleet_on_change(struct fleet *f, fleet_fn fn, void *data);
/* --once: every service is done, every verdict up to date. */
void fleet_on_done(struct fleet *f, fleet_fn fn, void *data);
bool fleet_finished(const struct fleet *f);

/* The verdict for all: a local problem once for all, else the worst
 * service's (its summary then starting with the service's name), else all
 * good. *worst: the service it comes from (0 when all are good). */
void fleet_verdict(const struct fleet *f, struct verdict *out, size_t *worst);

#endif
