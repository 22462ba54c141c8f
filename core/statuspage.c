/* statuspage.c: reading an official status page's JSON into a struct statuspage.
 *
 * A struct statuspage is the picture one poll gave: rollup, components,
 * incidents, maintenances. The caller owns it (usually the statuspage probe,
 * which keeps the last two polls to diff them) and releases it with
 * statuspage_done; every string and array in it belongs to it alone.
 *
 * Seven shapes are read, told apart by their keys, each by its own file
 * (statuspage_atlassian.c, statuspage_incidentio.c, statuspage_google.c,
 * statuspage_flashduty.c, statuspage_instatus.c, statuspage_datadog.c; what
 * they share is in statuspage_internal.h):
 *  - Atlassian Statuspage v2 ({"page", "status", "components", "incidents",
 *    "scheduled_maintenances"}, any subset), also what incident.io serves on
 *    /api/v2 for Statuspage compatibility;
 *  - incident.io's own JSON ({"summary": {"components", "affected_components",
 *    "ongoing_incidents", "scheduled_maintenances", "structure"}}), where a
 *    component not in affected_components is operational and the groups come
 *    from structure;
 *  - incident.io's widget API ({"page_title", "ongoing_incidents",
 *    "in_progress_maintenances", "scheduled_maintenances"}), which names only the
 *    components an incident or maintenance touches;
 *  - Google Cloud's incidents.json (a top-level array of incidents, ended ones
 *    included), where the products of the open incidents are the components;
 *  - Flashduty's summary/active ({"data": {"page", "active_changes"}}), where
 *    the components carry no status and the active changes say what is hurt;
 *  - Instatus's summary.json ({"page": {"status"}, "activeIncidents",
 *    "activeMaintenances"}) and v2/components.json (upper-case status words);
 *  - Datadog Status Pages' config.json ({"pageUrl", "components" typed
 *    Component / ComponentGroup, "incidents" with ended ones, "maintenances"}).
 * Everything from the page is untrusted: any key may be missing, null or of
 * another type and is then skipped, and every text goes through sanitize_dup
 * before it is stored, so nothing here can reach a terminal as an escape
 * sequence. Array sizes are capped so a hostile page costs bounded memory and
 * time. Out of memory ends the process here (xalloc.h); other modules
 * return ENOMEM instead, so a caller cannot assume either. */
#include "statuspage.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "sanitize.h"
#include "timefmt.h"

#include "statuspage_internal.h"
#include "xalloc.h"

/* Makes room for one more element in a growing array. */
void *sp_grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 8;
	return xreallocarray(v, *cap, size);
}

/* Every string the page sends passes here. A NULL from the sanitizer (nothing
 * printable, or no memory) is stored as "". */
char *sp_page_text(const char *s, size_t maxlen, unsigned flags)
{
	char *t;

	if (!s)
		return xstrdup("");
	t = sanitize_dup(s, maxlen, flags);
	return t ? t : xstrdup("");
}

const cJSON *sp_jget(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const char *sp_jstr(const cJSON *obj, const char *key)
{
	const cJSON *v = sp_jget(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first of several keys that holds a string. */
const char *sp_jstr_any(const cJSON *obj, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *s = sp_jstr(obj, *keys);
		if (s)
			return s;
	}
	return NULL;
}

const cJSON *sp_jarray(const cJSON *obj, const char *key)
{
	const cJSON *v = sp_jget(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *sp_jobject(const cJSON *obj, const char *key)
{
	const cJSON *v = sp_jget(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

char *sp_jtext(const cJSON *obj, const char *key)
{
	return sp_page_text(sp_jstr(obj, key), SP_TEXT_MAX, 0);
}

time_t sp_parse_time(const char *s)
{
	time_t t;

	if (!s || timefmt_parse_iso8601(s, &t) < 0)
		return 0;
	return t;
}

time_t sp_jtime_any(const cJSON *obj, const char *const *keys)
{
	for (; *keys; keys++) {
		time_t t = sp_parse_time(sp_jstr(obj, *keys));
		if (t)
			return t;
	}
	return 0;
}

/* The page's words, one table per enum: the value, the word scripts and pages
 * use, and (for component statuses) the words people read. The first entry of
 * a value is its own; later ones are other pages' words for it. */
struct sp_word {
	int value;
	const char *name;
	const char *label;
};

#define N_WORDS(t) (sizeof(t) / sizeof((t)[0]))

static const struct sp_word indicator_words[] = {
	{SP_INDICATOR_NONE, "none", NULL},
	{SP_INDICATOR_MINOR, "minor", NULL},
	{SP_INDICATOR_MAJOR, "major", NULL},
	{SP_INDICATOR_CRITICAL, "critical", NULL},
	{SP_INDICATOR_MAINTENANCE, "maintenance", NULL},
};

static const struct sp_word status_words[] = {
	{SP_COMPONENT_OPERATIONAL, "operational", "operational"},
	{SP_COMPONENT_DEGRADED_PERFORMANCE, "degraded_performance", "degraded performance"},
	{SP_COMPONENT_PARTIAL_OUTAGE, "partial_outage", "partial outage"},
	{SP_COMPONENT_MAJOR_OUTAGE, "major_outage", "major outage"},
	{SP_COMPONENT_UNDER_MAINTENANCE, "under_maintenance", "under maintenance"},
	{SP_COMPONENT_MAJOR_OUTAGE, "full_outage", NULL}, /* incident.io */
};

static const struct sp_word state_words[] = {
	{SP_STATE_INVESTIGATING, "investigating", NULL},
	{SP_STATE_IDENTIFIED, "identified", NULL},
	{SP_STATE_MONITORING, "monitoring", NULL},
	{SP_STATE_RESOLVED, "resolved", NULL},
	{SP_STATE_POSTMORTEM, "postmortem", NULL},
	{SP_STATE_SCHEDULED, "scheduled", NULL},
	{SP_STATE_IN_PROGRESS, "in_progress", NULL},
	{SP_STATE_VERIFYING, "verifying", NULL},
	{SP_STATE_COMPLETED, "completed", NULL},
	/* incident.io's maintenance words */
	{SP_STATE_SCHEDULED, "maintenance_scheduled", NULL},
	{SP_STATE_IN_PROGRESS, "maintenance_in_progress", NULL},
	{SP_STATE_COMPLETED, "maintenance_complete", NULL},
	{SP_STATE_COMPLETED, "maintenance_completed", NULL},
};

static const struct sp_word *word_of(const struct sp_word *t, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return &t[i];
	return NULL;
}

static int value_of(const struct sp_word *t, size_t n, const char *word, int unknown)
{
	for (size_t i = 0; word && i < n; i++)
		if (strcmp(word, t[i].name) == 0)
			return t[i].value;
	return unknown;
}

const char *statuspage_indicator_name(enum sp_indicator i)
{
	const struct sp_word *w = word_of(indicator_words, N_WORDS(indicator_words), (int)i);

	return w ? w->name : "unknown";
}

const char *statuspage_component_status_name(enum sp_component_status s)
{
	const struct sp_word *w = word_of(status_words, N_WORDS(status_words), (int)s);

	return w ? w->name : "unknown";
}

const char *statuspage_component_status_label(enum sp_component_status s)
{
	const struct sp_word *w = word_of(status_words, N_WORDS(status_words), (int)s);

	return w ? w->label : "unknown";
}

const char *statuspage_state_name(enum sp_state s)
{
	const struct sp_word *w = word_of(state_words, N_WORDS(state_words), (int)s);

	return w ? w->name : "unknown";
}

const char *statuspage_source_name(enum sp_source s)
{
	switch (s) {
	case SP_SOURCE_NONE: return "none";
	case SP_SOURCE_STATUSPAGE: return "statuspage";
	case SP_SOURCE_INCIDENTIO: return "incident.io";
	case SP_SOURCE_INCIDENTIO_WIDGET: return "incident.io widget";
	case SP_SOURCE_GOOGLE_CLOUD: return "google cloud";
	case SP_SOURCE_FLASHDUTY: return "flashduty";
	case SP_SOURCE_INSTATUS: return "instatus";
	case SP_SOURCE_DATADOG: return "datadog";
	}
	return "none";
}

enum sp_indicator statuspage_indicator_from(const char *word)
{
	return (enum sp_indicator)value_of(indicator_words, N_WORDS(indicator_words), word, SP_INDICATOR_UNKNOWN);
}

enum sp_component_status statuspage_component_status_from(const char *word)
{
	return (enum sp_component_status)value_of(status_words, N_WORDS(status_words), word,
						  SP_COMPONENT_UNKNOWN);
}

enum sp_state statuspage_state_from(const char *word)
{
	return (enum sp_state)value_of(state_words, N_WORDS(state_words), word, SP_STATE_UNKNOWN);
}

bool statuspage_state_is_closed(enum sp_state s)
{
	return s == SP_STATE_RESOLVED || s == SP_STATE_POSTMORTEM || s == SP_STATE_COMPLETED;
}

int statuspage_component_status_rank(enum sp_component_status s)
{
	switch (s) {
	case SP_COMPONENT_OPERATIONAL: return 0;
	case SP_COMPONENT_UNKNOWN: return 1;
	case SP_COMPONENT_UNDER_MAINTENANCE: return 2;
	case SP_COMPONENT_DEGRADED_PERFORMANCE: return 3;
	case SP_COMPONENT_PARTIAL_OUTAGE: return 4;
	case SP_COMPONENT_MAJOR_OUTAGE: return 5;
	}
	return 1;
}

/* An incident's impact: Statuspage's words, or incident.io's component words
 * (degraded / partial / full outage read as minor / major / critical, the same
 * yellow / orange / red). */
enum sp_indicator sp_impact_from(const char *word)
{
	enum sp_indicator i = statuspage_indicator_from(word);

	if (i != SP_INDICATOR_UNKNOWN)
		return i;
	switch (statuspage_component_status_from(word)) {
	case SP_COMPONENT_OPERATIONAL: return SP_INDICATOR_NONE;
	case SP_COMPONENT_DEGRADED_PERFORMANCE: return SP_INDICATOR_MINOR;
	case SP_COMPONENT_PARTIAL_OUTAGE: return SP_INDICATOR_MAJOR;
	case SP_COMPONENT_MAJOR_OUTAGE: return SP_INDICATOR_CRITICAL;
	case SP_COMPONENT_UNDER_MAINTENANCE: return SP_INDICATOR_MAINTENANCE;
	case SP_COMPONENT_UNKNOWN: break;
	}
	return SP_INDICATOR_UNKNOWN;
}

static void component_done(struct sp_component *c)
{
	free(c->id);
	free(c->name);
	free(c->group_name);
	free(c->group_id);
	free(c->status_raw);
}

static void incident_done(struct sp_incident *in)
{
	free(in->id);
	free(in->name);
	free(in->status);
	free(in->impact_raw);
	free(in->shortlink);
	for (size_t i = 0; i < in->n_components; i++)
		free(in->components[i]);
	free(in->components);
	for (size_t i = 0; i < in->n_updates; i++) {
		free(in->updates[i].id);
		free(in->updates[i].status);
		free(in->updates[i].body);
	}
	free(in->updates);
}

void statuspage_init(struct statuspage *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->source = SP_SOURCE_NONE;
	sp->name = xstrdup("");
	sp->url = xstrdup("");
	sp->indicator_raw = xstrdup("");
	sp->indicator = SP_INDICATOR_UNKNOWN;
	sp->description = xstrdup("");
}

void statuspage_done(struct statuspage *sp)
{
	if (!sp)
		return;
	free(sp->name);
	free(sp->url);
	free(sp->indicator_raw);
	free(sp->description);
	for (size_t i = 0; i < sp->n_components; i++)
		component_done(&sp->components[i]);
	free(sp->components);
	for (size_t i = 0; i < sp->n_incidents; i++)
		incident_done(&sp->incidents[i]);
	free(sp->incidents);
	for (size_t i = 0; i < sp->n_maintenances; i++)
		incident_done(&sp->maintenances[i]);
	free(sp->maintenances);
	memset(sp, 0, sizeof(*sp));
}

void sp_set_text(char **dst, char *value)
{
	free(*dst);
	*dst = value;
}

struct sp_component *sp_add_component(struct sp_builder *b)
{
	struct statuspage *sp = b->sp;
	struct sp_component *c;

	if (sp->n_components >= SP_MAX_COMPONENTS)
		return NULL;
	sp->components = sp_grow(sp->components, sp->n_components, &b->cap_components,
			      sizeof(*sp->components));
	c = &sp->components[sp->n_components++];
	memset(c, 0, sizeof(*c));
	return c;
}

struct sp_incident *sp_add_event(struct sp_builder *b, bool maintenance)
{
	struct statuspage *sp = b->sp;
	struct sp_incident **v = maintenance ? &sp->maintenances : &sp->incidents;
	size_t *n = maintenance ? &sp->n_maintenances : &sp->n_incidents;
	size_t *cap = maintenance ? &b->cap_maintenances : &b->cap_incidents;
	struct sp_incident *in;

	if (*n >= SP_MAX_EVENTS)
		return NULL;
	*v = sp_grow(*v, *n, cap, sizeof(**v));
	in = &(*v)[(*n)++];
	memset(in, 0, sizeof(*in));
	return in;
}

void sp_incident_add_component(struct sp_incident *in, size_t *cap, const char *name)
{
	char *t;

	if (!name || in->n_components >= SP_MAX_AFFECTED)
		return;
	t = sp_page_text(name, SP_TEXT_MAX, 0);
	if (!*t) {
		free(t);
		return;
	}
	for (size_t i = 0; i < in->n_components; i++) {
		if (strcmp(in->components[i], t) == 0) {
			free(t);
			return;
		}
	}
	in->components = sp_grow(in->components, in->n_components, cap, sizeof(*in->components));
	in->components[in->n_components++] = t;
}

struct sp_update *sp_incident_add_update(struct sp_incident *in, size_t *cap)
{
	struct sp_update *u;

	if (in->n_updates >= SP_MAX_UPDATES)
		return NULL;
	in->updates = sp_grow(in->updates, in->n_updates, cap, sizeof(*in->updates));
	u = &in->updates[in->n_updates++];
	memset(u, 0, sizeof(*u));
	return u;
}

void sp_fill_update(struct sp_update *u, const char *id, const char *status,
			const char *body, time_t at)
{
	u->id = sp_page_text(id, SP_TEXT_MAX, 0);
	u->status = sp_page_text(status, SP_TEXT_MAX, 0);
	u->state = statuspage_state_from(status);
	u->body = sp_page_text(body, SP_BODY_MAX, SANITIZE_KEEP_NEWLINES);
	u->at = at;
}

/* Pages list updates newest first; this makes sure of it without reordering
 * updates that carry the same time (insertion sort: stable, and linear on the
 * usual already-sorted list). Updates without a time go last. */
void sp_sort_updates(struct sp_incident *in)
{
	for (size_t i = 1; i < in->n_updates; i++) {
		struct sp_update u = in->updates[i];
		size_t j = i;

		while (j > 0 && in->updates[j - 1].at < u.at) {
			in->updates[j] = in->updates[j - 1];
			j--;
		}
		in->updates[j] = u;
	}
}

/* Strings never NULL, whatever the parse found. */
void sp_incident_fill_blanks(struct sp_incident *in)
{
	char **fields[] = { &in->id, &in->name, &in->status, &in->impact_raw, &in->shortlink };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!*fields[i])
			*fields[i] = xstrdup("");
}

/* Ordered by how much a person should worry. */
static int indicator_weight(enum sp_indicator i)
{
	switch (i) {
	case SP_INDICATOR_NONE: return 0;
	case SP_INDICATOR_MAINTENANCE: return 1;
	case SP_INDICATOR_MINOR: return 2;
	case SP_INDICATOR_MAJOR: return 3;
	case SP_INDICATOR_CRITICAL: return 4;
	case SP_INDICATOR_UNKNOWN: break;
	}
	return -1;
}

static void worsen(enum sp_indicator *acc, enum sp_indicator i)
{
	if (indicator_weight(i) > indicator_weight(*acc))
		*acc = i;
}

/* Statuspage's own rule, as observed: one component in major outage makes the
 * page "major", degraded or partial ones "minor". Open incidents count with
 * their impact, a maintenance in progress as "maintenance". */
static void derive_indicator(struct statuspage *sp)
{
	enum sp_indicator acc = SP_INDICATOR_NONE;

	if (sp->has_status)
		return;
	if (!sp->has_components) {
		sp->indicator = SP_INDICATOR_UNKNOWN;
		return;
	}
	for (size_t i = 0; i < sp->n_components; i++) {
		switch (sp->components[i].status) {
		case SP_COMPONENT_MAJOR_OUTAGE: worsen(&acc, SP_INDICATOR_MAJOR); break;
		case SP_COMPONENT_PARTIAL_OUTAGE:
		case SP_COMPONENT_DEGRADED_PERFORMANCE: worsen(&acc, SP_INDICATOR_MINOR); break;
		case SP_COMPONENT_UNDER_MAINTENANCE: worsen(&acc, SP_INDICATOR_MAINTENANCE); break;
		default: break;
		}
	}
	for (size_t i = 0; i < sp->n_incidents; i++)
		if (!statuspage_state_is_closed(sp->incidents[i].state))
			worsen(&acc, sp->incidents[i].impact);
	for (size_t i = 0; i < sp->n_maintenances; i++)
		if (sp->maintenances[i].state == SP_STATE_IN_PROGRESS ||
		    sp->maintenances[i].state == SP_STATE_VERIFYING)
			worsen(&acc, SP_INDICATOR_MAINTENANCE);
	sp->indicator = acc;
}

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* cJSON refuses more than CJSON_NESTING_LIMIT levels by itself; counting first
 * gives a message that says so instead of "invalid JSON". */
static bool nested_too_deep(const char *p, size_t len)
{
	size_t depth = 0;
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > CJSON_NESTING_LIMIT)
				return true;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return false;
}

int statuspage_parse(struct statuspage *sp, const char *body, size_t len,
		     const char *content_type, char *err, size_t errlen)
{
	struct sp_builder b = { .sp = sp, .widget_budget = 4 * SP_MAX_COMPONENTS };
	const cJSON *summary;
	cJSON *root;
	size_t i = 0;

	statuspage_init(sp);
	if (err && errlen)
		err[0] = '\0';
	if (!body)
		len = 0;
	/* a UTF-8 byte order mark, then blanks */
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && is_space(body[i]))
		i++;
	if (i == len)
		return fail(err, errlen, SP_ERR_EMPTY, "empty response body");
	if ((content_type && (contains_nocase(content_type, "text/html") ||
			      contains_nocase(content_type, "application/xhtml"))) ||
	    body[i] == '<')
		return fail(err, errlen, SP_ERR_HTML, "status page answered with HTML, not JSON (moved?)");
	if (nested_too_deep(body + i, len - i))
		return fail(err, errlen, SP_ERR_JSON, "invalid JSON: nested deeper than %d levels",
			    CJSON_NESTING_LIMIT);
	root = cJSON_ParseWithLength(body, len);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();

		if (at && at >= body && at <= body + len)
			return fail(err, errlen, SP_ERR_JSON, "invalid JSON near byte %zu",
				    (size_t)(at - body));
		return fail(err, errlen, SP_ERR_JSON, "invalid JSON");
	}
	if (sp_is_google_feed(root)) {
		sp_parse_google(&b, root);
		cJSON_Delete(root);
		derive_indicator(sp);
		return SP_OK;
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return fail(err, errlen, SP_ERR_SHAPE, "not a status page: the JSON is not an object");
	}
	summary = sp_jobject(root, "summary");
	if (summary && (sp_jget(summary, "components") || sp_jget(summary, "affected_components") ||
			sp_jget(summary, "ongoing_incidents") || sp_jget(summary, "structure"))) {
		sp_parse_incidentio(&b, summary);
	} else if (sp_is_instatus(root)) {
		sp_parse_instatus(&b, root);
	} else if (sp_is_datadog(root)) {
		sp_parse_datadog(&b, root);
	} else if (sp_jobject(root, "page")) {
		sp_parse_statuspage(&b, root);
	} else if (sp_jstr(root, "page_title") || sp_jarray(root, "ongoing_incidents") ||
		   sp_jarray(root, "in_progress_maintenances")) {
		sp_parse_widget(&b, root);
	} else if (sp_jobject(root, "status") || sp_jarray(root, "components") ||
		   sp_jarray(root, "incidents") || sp_jarray(root, "scheduled_maintenances")) {
		sp_parse_statuspage(&b, root);
	} else if (sp_is_flashduty(root)) {
		sp_parse_flashduty(&b, root);
	} else {
		bool is_error = sp_jget(root, "error") != NULL;

		cJSON_Delete(root);
		if (is_error)
			return fail(err, errlen, SP_ERR_SHAPE,
				    "not a status page: the server answered with an error object");
		return fail(err, errlen, SP_ERR_SHAPE,
			    "not a status page: no page, status, components or incidents in the JSON");
	}
	cJSON_Delete(root);
	derive_indicator(sp);
	return SP_OK;
}

int statuspage_merge_components(struct statuspage *sp, const char *body, size_t len,
				const char *content_type, char *err, size_t errlen)
{
	struct statuspage more;
	size_t cap;
	int rc;

	rc = statuspage_parse(&more, body, len, content_type, err, errlen);
	if (rc < 0) {
		statuspage_done(&more);
		return rc;
	}
	if (!more.has_components) {
		statuspage_done(&more);
		return fail(err, errlen, SP_ERR_SHAPE, "not a component list: no components in the JSON");
	}
	cap = sp->n_components;
	for (size_t i = 0; i < more.n_components; i++) {
		struct sp_component *c = &more.components[i];
		bool known = false;

		for (size_t k = 0; k < sp->n_components && !known; k++)
			known = strcmp(sp->components[k].name, c->name) == 0 &&
				strcmp(sp->components[k].group_name, c->group_name) == 0;
		if (known || sp->n_components >= SP_MAX_COMPONENTS)
			continue;
		sp->components = sp_grow(sp->components, sp->n_components, &cap, sizeof(*sp->components));
		/* moved, not copied: more no longer owns the strings */
		sp->components[sp->n_components++] = *c;
		memset(c, 0, sizeof(*c));
	}
	if (!sp->has_components) {
		sp->has_components = true;
		sp->components_complete = more.components_complete;
	}
	statuspage_done(&more);
	derive_indicator(sp);
	return SP_OK;
}

const struct sp_component *statuspage_find_component(const struct statuspage *sp,
						     const char *name, const char *group)
{
	if (!sp || !name)
		return NULL;
	for (size_t i = 0; i < sp->n_components; i++) {
		const struct sp_component *c = &sp->components[i];

		if (strcasecmp(c->name, name) != 0)
			continue;
		if (group && strcasecmp(c->group_name, group) != 0)
			continue;
		return c;
	}
	return NULL;
}

/* Equal ignoring case, and a trailing "s" on either side ("API", "APIs"). */
static bool loose_eq(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b);

	if (la == 0 || lb == 0)
		return false;
	if (la == lb)
		return strncasecmp(a, b, la) == 0;
	if (la + 1 == lb && tolower((unsigned char)b[lb - 1]) == 's')
		return strncasecmp(a, b, la) == 0;
	if (lb + 1 == la && tolower((unsigned char)a[la - 1]) == 's')
		return strncasecmp(a, b, lb) == 0;
	return false;
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static void take_worst(enum sp_component_status *acc, enum sp_component_status s)
{
	if (statuspage_component_status_rank(s) > statuspage_component_status_rank(*acc))
		*acc = s;
}

int statuspage_worst_status(const struct statuspage *sp, const char *name,
			    enum sp_component_status *out)
{
	enum sp_component_status worst = SP_COMPONENT_OPERATIONAL;
	const char *slash;
	int n = 0;

	if (out)
		*out = SP_COMPONENT_UNKNOWN;
	if (!sp || !name)
		return 0;
	for (size_t i = 0; i < sp->n_components; i++) {
		const struct sp_component *c = &sp->components[i];

		if (loose_eq(name, strlen(name), c->name) ||
		    loose_eq(name, strlen(name), c->group_name)) {
			take_worst(&worst, c->status);
			n++;
		}
	}
	slash = strrchr(name, '/');
	if (n == 0 && slash) {
		const char *g = name, *cn = slash + 1;
		size_t lg = (size_t)(slash - name), lc = strlen(cn);

		trim(&g, &lg);
		trim(&cn, &lc);
		for (size_t i = 0; i < sp->n_components; i++) {
			const struct sp_component *c = &sp->components[i];

			if (loose_eq(g, lg, c->group_name) && loose_eq(cn, lc, c->name)) {
				take_worst(&worst, c->status);
				n++;
			}
		}
	}
	if (out) {
		if (n > 0)
			*out = worst;
		else if (sp->has_components && !sp->components_complete)
			*out = SP_COMPONENT_OPERATIONAL;
	}
	return n;
}
