/* statuspage_diff.h: what changed on a status page between two polls.
 *
 * A struct statuspage_diff is a list of changes, each one line a person can
 * read in the incident log. It owns its changes and their strings;
 * statuspage_diff_done releases them. It keeps no pointer into the two pages it
 * was computed from. */
#ifndef ISITDOWN_STATUSPAGE_DIFF_H
#define ISITDOWN_STATUSPAGE_DIFF_H

#include <stddef.h>
#include <time.h>

#include "statuspage.h"

enum sp_change_kind {
	SP_CHANGE_COMPONENT,             /* a component's status changed */
	SP_CHANGE_INCIDENT_NEW,
	SP_CHANGE_INCIDENT_UPDATE,       /* a new update on an incident seen before */
	SP_CHANGE_INCIDENT_RESOLVED,     /* resolved, or no longer listed */
	SP_CHANGE_INCIDENT_KNOWN,        /* open when we first looked */
	SP_CHANGE_MAINTENANCE_SCHEDULED,
	SP_CHANGE_MAINTENANCE_STARTED,
	SP_CHANGE_MAINTENANCE_COMPLETED, /* completed, or no longer listed */
	SP_CHANGE_MAINTENANCE_KNOWN,     /* scheduled or in progress when we first looked */
};

enum sp_severity {
	SP_SEVERITY_INFO,
	SP_SEVERITY_WARNING,
	SP_SEVERITY_CRITICAL,
};

struct sp_change {
	enum sp_change_kind kind;
	enum sp_severity severity;
	/* The component concerned; for incidents and maintenances the affected
	 * components joined with ", ". "" when none. */
	char *component;
	char *group;         /* the component's group; "" otherwise */
	char *incident_id;   /* incidents and maintenances; "" otherwise */
	/* Component changes; SP_COMPONENT_UNKNOWN otherwise. */
	enum sp_component_status old_status, new_status;
	time_t at;           /* when the page says it happened; 0 when it does not say */
	/* One line of plain words, sanitized, for the log:
	 * "incident: Elevated errors on ChatGPT (impact major)". */
	char *text;
};

struct statuspage_diff {
	struct sp_change *changes;
	size_t n_changes;
};

void statuspage_diff_init(struct statuspage_diff *d);
void statuspage_diff_done(struct statuspage_diff *d);

/* Appends to d the changes from old to new, in this order: components (page
 * order), new incidents, incident updates (oldest first), resolved incidents,
 * maintenances. With old NULL (the first poll) only the open incidents and the
 * scheduled or running maintenances are reported, as *_KNOWN; component
 * states are not (they are the starting point, not a change). A part of the
 * page one of the two polls did not cover (has_incidents, ...) is not
 * compared. Incidents and maintenances are matched by id, components by id
 * and then by name and group. Returns 0 (d->n_changes tells how many there
 * are now); -1 when d is NULL. */
int statuspage_diff_compute(struct statuspage_diff *d, const struct statuspage *old,
			    const struct statuspage *new);

const char *statuspage_diff_kind_name(enum sp_change_kind k);
const char *statuspage_diff_severity_name(enum sp_severity s);

#endif
