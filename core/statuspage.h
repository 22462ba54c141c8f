/* statuspage.h: an official status page, parsed.
 *
 * struct statuspage is what one poll of a status page said: the rollup
 * indicator, the components with their status, the unresolved incidents and the
 * scheduled maintenances. It is read from any of the JSON shapes the pages in
 * use serve (see statuspage_parse) and owns every string and array in it;
 * statuspage_done releases them. Every text that came from the page has been
 * through sanitize_dup: it holds no control characters or terminal escapes, and
 * names hold no newlines. Strings are never NULL ("" when the page gave none);
 * times are UTC seconds since the epoch, 0 when the page gave none. */
#ifndef ISITDOWN_STATUSPAGE_H
#define ISITDOWN_STATUSPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The page's rollup (status.indicator), also used for an incident's impact,
 * which takes the same words. */
enum sp_indicator {
	SP_INDICATOR_NONE,
	SP_INDICATOR_MINOR,
	SP_INDICATOR_MAJOR,
	SP_INDICATOR_CRITICAL,
	SP_INDICATOR_MAINTENANCE,
	SP_INDICATOR_UNKNOWN,
};

enum sp_component_status {
	SP_COMPONENT_OPERATIONAL,
	SP_COMPONENT_DEGRADED_PERFORMANCE,
	SP_COMPONENT_PARTIAL_OUTAGE,
	SP_COMPONENT_MAJOR_OUTAGE,   /* also incident.io's "full_outage" */
	SP_COMPONENT_UNDER_MAINTENANCE,
	SP_COMPONENT_UNKNOWN,        /* a word we do not know, or none */
};

/* Where an incident or a maintenance stands (its status word, or an update's).
 * incident.io's maintenance_scheduled / _in_progress / _complete map to
 * SCHEDULED / IN_PROGRESS / COMPLETED. */
enum sp_state {
	SP_STATE_INVESTIGATING,
	SP_STATE_IDENTIFIED,
	SP_STATE_MONITORING,
	SP_STATE_RESOLVED,
	SP_STATE_POSTMORTEM,
	SP_STATE_SCHEDULED,
	SP_STATE_IN_PROGRESS,
	SP_STATE_VERIFYING,
	SP_STATE_COMPLETED,
	SP_STATE_UNKNOWN,
};

/* Which JSON shape the page served. */
enum sp_source {
	SP_SOURCE_NONE,              /* nothing parsed (yet) */
	SP_SOURCE_STATUSPAGE,        /* Atlassian Statuspage v2 (and incident.io's compatible /api/v2) */
	SP_SOURCE_INCIDENTIO,        /* incident.io's own JSON ({"summary": {...}}) */
	SP_SOURCE_INCIDENTIO_WIDGET, /* incident.io's widget API (/api/v1/summary) */
	SP_SOURCE_GOOGLE_CLOUD,      /* Google Cloud's incidents.json (an array of incidents) */
	SP_SOURCE_FLASHDUTY,         /* Flashduty's /api/status-page/<id>/summary/active */
	SP_SOURCE_INSTATUS,          /* Instatus's /summary.json and /v2/components.json */
	SP_SOURCE_DATADOG,           /* Datadog Status Pages' config.json */
};

/* Errors from statuspage_parse and statuspage_merge_components. */
enum sp_error {
	SP_OK = 0,
	SP_ERR_EMPTY = -1,   /* no body */
	SP_ERR_HTML = -2,    /* a web page where JSON was expected: moved, login, challenge */
	SP_ERR_JSON = -3,    /* not JSON, truncated, or nested too deeply */
	SP_ERR_SHAPE = -4,   /* JSON, but not a status page */
};

struct sp_component {
	char *id;            /* the page's id; "" when none */
	char *name;
	char *group_name;    /* "" when not in a group, or the group is not on the page */
	char *group_id;      /* as given, even when the group is not on the page; "" when none */
	enum sp_component_status status;
	char *status_raw;    /* the word the page used ("full_outage", "sparkly") */
	bool is_group;       /* the row of a group itself (Statuspage "group": true) */
	time_t updated_at;
};

struct sp_update {
	char *id;            /* "" when the page gives none */
	enum sp_state state;
	char *status;        /* the word as given */
	char *body;          /* plain text; newlines kept */
	time_t at;           /* when it was published (display_at, else created_at) */
};

/* An incident, or a scheduled maintenance (which adds its window). */
struct sp_incident {
	char *id;
	char *name;
	enum sp_state state;
	char *status;        /* the word as given */
	enum sp_indicator impact;
	char *impact_raw;    /* as given; for incident.io the worst component impact word */
	time_t created_at, updated_at;
	char *shortlink;     /* "" when none */
	char **components;   /* names of the affected components */
	size_t n_components;
	struct sp_update *updates; /* newest first */
	size_t n_updates;
	time_t scheduled_for, scheduled_until; /* maintenances; 0 when unknown */
};

struct statuspage {
	enum sp_source source;
	char *name;          /* page name ("GitHub"); "" when none */
	char *url;
	time_t updated_at;
	/* The rollup. indicator_raw and description are "" when the page did not
	 * give one (incident.io's own JSON and widget, components.json, ...); the
	 * indicator is then worked out from the components, incidents and
	 * maintenances, and has_status is false. */
	bool has_status;
	char *indicator_raw;
	enum sp_indicator indicator;
	char *description;
	struct sp_component *components;  /* in page order */
	size_t n_components;
	struct sp_incident *incidents;    /* as listed: unresolved ones in a summary */
	size_t n_incidents;
	struct sp_incident *maintenances;
	size_t n_maintenances;
	/* Which parts the payload covered, so that a part it did not carry is not
	 * read as "everything there ended" (OpenAI's summary has no maintenances). */
	bool has_components, has_incidents, has_maintenances;
	/* False when only affected components are listed (incident.io's widget):
	 * a component not listed is then operational. */
	bool components_complete;
};

void statuspage_init(struct statuspage *sp);
void statuspage_done(struct statuspage *sp);

/* Parses one response body (len bytes, need not be NUL-terminated) into sp,
 * which need not be initialised and is overwritten: a caller reusing one must
 * statuspage_done it first. Accepts Statuspage v2 summary.json, components.json,
 * incidents*.json, scheduled-maintenances*.json and status.json, incident.io's
 * own JSON and its widget API, Google Cloud's incidents.json, Flashduty's
 * summary/active, Instatus's summary.json and v2/components.json, and Datadog
 * Status Pages' config.json, told apart by their shape. content_type may be
 * NULL. On error returns an sp_error, writes one line to err (lowercase, no
 * full stop) and leaves sp empty; sp always ends valid for statuspage_done. */
int statuspage_parse(struct statuspage *sp, const char *body, size_t len,
		     const char *content_type, char *err, size_t errlen);

/* Adds the components of a second response (components.json, which lists more
 * than summary.json on some pages) that sp does not have yet. Components are
 * matched by name and group name, never by id. Returns 0 or an sp_error; on
 * error sp is unchanged. */
int statuspage_merge_components(struct statuspage *sp, const char *body, size_t len,
				const char *content_type, char *err, size_t errlen);

/* The component with exactly this name (case-insensitive) in this group; group
 * NULL matches any group (the first in page order), "" only ungrouped ones. */
const struct sp_component *statuspage_find_component(const struct statuspage *sp,
						     const char *name, const char *group);

/* The worst status among the components a monitored name stands for: those
 * whose name or group name matches it, case-insensitively and forgiving a
 * trailing "s" ("API" matches the group "APIs"; "ChatGPT" the group "ChatGPT",
 * "Login" both of OpenAI's Login components). When nothing matches and the
 * name holds a '/', "Group/Component" is tried ("ChatGPT/Login"). Returns the
 * number of components matched and sets *out; with no match *out is
 * SP_COMPONENT_UNKNOWN, or operational when the page lists only affected
 * components. Worst means: major outage, partial outage, degraded, under
 * maintenance, unknown, operational. */
int statuspage_worst_status(const struct statuspage *sp, const char *name,
			    enum sp_component_status *out);

/* Incidents and maintenances that are over (resolved, postmortem, completed). */
bool statuspage_state_is_closed(enum sp_state s);

/* Words: the API's word ("degraded_performance") and a phrase for people
 * ("degraded performance"). Parsers from the page's words: unknown words give
 * SP_*_UNKNOWN. */
const char *statuspage_component_status_name(enum sp_component_status s);
const char *statuspage_component_status_label(enum sp_component_status s);
const char *statuspage_indicator_name(enum sp_indicator i);
const char *statuspage_state_name(enum sp_state s);
const char *statuspage_source_name(enum sp_source s);
enum sp_component_status statuspage_component_status_from(const char *word);
enum sp_indicator statuspage_indicator_from(const char *word);
enum sp_state statuspage_state_from(const char *word);
/* 0 for operational up to 5 for a major outage, in the order given above. */
int statuspage_component_status_rank(enum sp_component_status s);

#endif
