/* statuspage.c: reading an official status page's JSON into a struct statuspage.
 *
 * A struct statuspage is the picture one poll gave: rollup, components,
 * incidents, maintenances. The caller owns it (usually the statuspage probe,
 * which keeps the last two polls to diff them) and releases it with
 * statuspage_done; every string and array in it belongs to it alone.
 *
 * Three shapes are read, told apart by their keys:
 *  - Atlassian Statuspage v2 ({"page", "status", "components", "incidents",
 *    "scheduled_maintenances"}, any subset), also what incident.io serves on
 *    /api/v2 for Statuspage compatibility;
 *  - incident.io's own JSON ({"summary": {"components", "affected_components",
 *    "ongoing_incidents", "scheduled_maintenances", "structure"}}), where a
 *    component not in affected_components is operational and the groups come
 *    from structure;
 *  - incident.io's widget API ({"page_title", "ongoing_incidents",
 *    "in_progress_maintenances", "scheduled_maintenances"}), which names only the
 *    components an incident or maintenance touches.
 * Everything from the page is untrusted: any key may be missing, null or of
 * another type and is then skipped, and every text goes through sanitize_dup
 * before it is stored, so nothing here can reach a terminal as an escape
 * sequence. Array sizes are capped so a hostile page costs bounded memory and
 * time. Out of memory aborts here (xrealloc, xstrdup below); other modules
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

#define SP_TEXT_MAX 512          /* names, ids, words, links */
#define SP_BODY_MAX 16384        /* an update's body */
#define SP_MAX_COMPONENTS 2000
#define SP_MAX_EVENTS 500        /* incidents, maintenances */
#define SP_MAX_UPDATES 500       /* per incident */
#define SP_MAX_AFFECTED 500      /* affected components per incident */

/* ---- memory ---- */

static void out_of_memory(void)
{
	fputs("isitdown: out of memory\n", stderr);
	abort();
}

static void *xrealloc(void *p, size_t n, size_t size)
{
	size_t bytes;

	if (size && n > ((size_t)-1) / size)
		out_of_memory();
	bytes = n * size;
	p = realloc(p, bytes > 0 ? bytes : 1);
	if (!p)
		out_of_memory();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

/* Makes room for one more element in a growing array. */
static void *grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 8;
	return xrealloc(v, *cap, size);
}

/* ---- text from the page ---- */

/* Every string the page sends passes here. A NULL from the sanitizer (nothing
 * printable, or no memory) is stored as "". */
static char *page_text(const char *s, size_t maxlen, unsigned flags)
{
	char *t;

	if (!s)
		return xstrdup("");
	t = sanitize_dup(s, maxlen, flags);
	return t ? t : xstrdup("");
}

static const cJSON *jget(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *jstr(const cJSON *obj, const char *key)
{
	const cJSON *v = jget(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first of several keys that holds a string. */
static const char *jstr_any(const cJSON *obj, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *s = jstr(obj, *keys);
		if (s)
			return s;
	}
	return NULL;
}

static const cJSON *jarray(const cJSON *obj, const char *key)
{
	const cJSON *v = jget(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

static const cJSON *jobject(const cJSON *obj, const char *key)
{
	const cJSON *v = jget(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

static char *jtext(const cJSON *obj, const char *key)
{
	return page_text(jstr(obj, key), SP_TEXT_MAX, 0);
}

static time_t parse_time(const char *s)
{
	time_t t;

	if (!s || timefmt_parse_iso8601(s, &t) < 0)
		return 0;
	return t;
}

static time_t jtime_any(const cJSON *obj, const char *const *keys)
{
	for (; *keys; keys++) {
		time_t t = parse_time(jstr(obj, *keys));
		if (t)
			return t;
	}
	return 0;
}

/* ---- words ---- */

static const char *const indicator_names[] = {
	[SP_INDICATOR_NONE] = "none",
	[SP_INDICATOR_MINOR] = "minor",
	[SP_INDICATOR_MAJOR] = "major",
	[SP_INDICATOR_CRITICAL] = "critical",
	[SP_INDICATOR_MAINTENANCE] = "maintenance",
	[SP_INDICATOR_UNKNOWN] = "unknown",
};

static const char *const status_names[] = {
	[SP_COMPONENT_OPERATIONAL] = "operational",
	[SP_COMPONENT_DEGRADED_PERFORMANCE] = "degraded_performance",
	[SP_COMPONENT_PARTIAL_OUTAGE] = "partial_outage",
	[SP_COMPONENT_MAJOR_OUTAGE] = "major_outage",
	[SP_COMPONENT_UNDER_MAINTENANCE] = "under_maintenance",
	[SP_COMPONENT_UNKNOWN] = "unknown",
};

static const char *const status_labels[] = {
	[SP_COMPONENT_OPERATIONAL] = "operational",
	[SP_COMPONENT_DEGRADED_PERFORMANCE] = "degraded performance",
	[SP_COMPONENT_PARTIAL_OUTAGE] = "partial outage",
	[SP_COMPONENT_MAJOR_OUTAGE] = "major outage",
	[SP_COMPONENT_UNDER_MAINTENANCE] = "under maintenance",
	[SP_COMPONENT_UNKNOWN] = "unknown",
};

static const char *const state_names[] = {
	[SP_STATE_INVESTIGATING] = "investigating",
	[SP_STATE_IDENTIFIED] = "identified",
	[SP_STATE_MONITORING] = "monitoring",
	[SP_STATE_RESOLVED] = "resolved",
	[SP_STATE_POSTMORTEM] = "postmortem",
	[SP_STATE_SCHEDULED] = "scheduled",
	[SP_STATE_IN_PROGRESS] = "in_progress",
	[SP_STATE_VERIFYING] = "verifying",
	[SP_STATE_COMPLETED] = "completed",
	[SP_STATE_UNKNOWN] = "unknown",
};

const char *statuspage_indicator_name(enum sp_indicator i)
{
	if ((unsigned)i > SP_INDICATOR_UNKNOWN)
		return "unknown";
	return indicator_names[i];
}

const char *statuspage_component_status_name(enum sp_component_status s)
{
	if ((unsigned)s > SP_COMPONENT_UNKNOWN)
		return "unknown";
	return status_names[s];
}

const char *statuspage_component_status_label(enum sp_component_status s)
{
	if ((unsigned)s > SP_COMPONENT_UNKNOWN)
		return "unknown";
	return status_labels[s];
}

const char *statuspage_state_name(enum sp_state s)
{
	if ((unsigned)s > SP_STATE_UNKNOWN)
		return "unknown";
	return state_names[s];
}

const char *statuspage_source_name(enum sp_source s)
{
	switch (s) {
	case SP_SOURCE_NONE: return "none";
	case SP_SOURCE_STATUSPAGE: return "statuspage";
	case SP_SOURCE_INCIDENTIO: return "incident.io";
	case SP_SOURCE_INCIDENTIO_WIDGET: return "incident.io widget";
	}
	return "none";
}

enum sp_indicator statuspage_indicator_from(const char *word)
{
	if (!word)
		return SP_INDICATOR_UNKNOWN;
	for (int i = SP_INDICATOR_NONE; i < SP_INDICATOR_UNKNOWN; i++)
		if (strcmp(word, indicator_names[i]) == 0)
			return (enum sp_indicator)i;
	return SP_INDICATOR_UNKNOWN;
}

enum sp_component_status statuspage_component_status_from(const char *word)
{
	if (!word)
		return SP_COMPONENT_UNKNOWN;
	for (int i = SP_COMPONENT_OPERATIONAL; i < SP_COMPONENT_UNKNOWN; i++)
		if (strcmp(word, status_names[i]) == 0)
			return (enum sp_component_status)i;
	if (strcmp(word, "full_outage") == 0)
		return SP_COMPONENT_MAJOR_OUTAGE;
	return SP_COMPONENT_UNKNOWN;
}

enum sp_state statuspage_state_from(const char *word)
{
	if (!word)
		return SP_STATE_UNKNOWN;
	for (int i = SP_STATE_INVESTIGATING; i < SP_STATE_UNKNOWN; i++)
		if (strcmp(word, state_names[i]) == 0)
			return (enum sp_state)i;
	if (strcmp(word, "maintenance_scheduled") == 0)
		return SP_STATE_SCHEDULED;
	if (strcmp(word, "maintenance_in_progress") == 0)
		return SP_STATE_IN_PROGRESS;
	if (strcmp(word, "maintenance_complete") == 0 || strcmp(word, "maintenance_completed") == 0)
		return SP_STATE_COMPLETED;
	return SP_STATE_UNKNOWN;
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
static enum sp_indicator impact_from(const char *word)
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

/* ---- lifecycle ---- */

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

static void set_text(char **dst, char *value)
{
	free(*dst);
	*dst = value;
}

/* ---- building ---- */

struct builder {
	struct statuspage *sp;
	size_t cap_components, cap_incidents, cap_maintenances;
	size_t widget_budget; /* affected components the widget parse still looks at */
};

static struct sp_component *add_component(struct builder *b)
{
	struct statuspage *sp = b->sp;
	struct sp_component *c;

	if (sp->n_components >= SP_MAX_COMPONENTS)
		return NULL;
	sp->components = grow(sp->components, sp->n_components, &b->cap_components,
			      sizeof(*sp->components));
	c = &sp->components[sp->n_components++];
	memset(c, 0, sizeof(*c));
	return c;
}

static struct sp_incident *add_event(struct builder *b, bool maintenance)
{
	struct statuspage *sp = b->sp;
	struct sp_incident **v = maintenance ? &sp->maintenances : &sp->incidents;
	size_t *n = maintenance ? &sp->n_maintenances : &sp->n_incidents;
	size_t *cap = maintenance ? &b->cap_maintenances : &b->cap_incidents;
	struct sp_incident *in;

	if (*n >= SP_MAX_EVENTS)
		return NULL;
	*v = grow(*v, *n, cap, sizeof(**v));
	in = &(*v)[(*n)++];
	memset(in, 0, sizeof(*in));
	return in;
}

static void incident_add_component(struct sp_incident *in, size_t *cap, const char *name)
{
	char *t;

	if (!name || in->n_components >= SP_MAX_AFFECTED)
		return;
	t = page_text(name, SP_TEXT_MAX, 0);
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
	in->components = grow(in->components, in->n_components, cap, sizeof(*in->components));
	in->components[in->n_components++] = t;
}

static struct sp_update *incident_add_update(struct sp_incident *in, size_t *cap)
{
	struct sp_update *u;

	if (in->n_updates >= SP_MAX_UPDATES)
		return NULL;
	in->updates = grow(in->updates, in->n_updates, cap, sizeof(*in->updates));
	u = &in->updates[in->n_updates++];
	memset(u, 0, sizeof(*u));
	return u;
}

static void fill_update(struct sp_update *u, const char *id, const char *status,
			const char *body, time_t at)
{
	u->id = page_text(id, SP_TEXT_MAX, 0);
	u->status = page_text(status, SP_TEXT_MAX, 0);
	u->state = statuspage_state_from(status);
	u->body = page_text(body, SP_BODY_MAX, SANITIZE_KEEP_NEWLINES);
	u->at = at;
}

/* Pages list updates newest first; this makes sure of it without reordering
 * updates that carry the same time (insertion sort: stable, and linear on the
 * usual already-sorted list). Updates without a time go last. */
static void sort_updates(struct sp_incident *in)
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
static void incident_fill_blanks(struct sp_incident *in)
{
	char **fields[] = { &in->id, &in->name, &in->status, &in->impact_raw, &in->shortlink };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!*fields[i])
			*fields[i] = xstrdup("");
}

/* ---- Atlassian Statuspage v2 ---- */

static void sp_parse_component(struct builder *b, const cJSON *j)
{
	const char *name = jstr(j, "name");
	const char *status = jstr(j, "status");
	struct sp_component *c;

	if (!name)
		return;
	c = add_component(b);
	if (!c)
		return;
	c->id = jtext(j, "id");
	c->name = page_text(name, SP_TEXT_MAX, 0);
	c->group_id = jtext(j, "group_id");
	c->group_name = xstrdup("");
	c->status_raw = page_text(status, SP_TEXT_MAX, 0);
	c->status = statuspage_component_status_from(status);
	c->is_group = cJSON_IsTrue(jget(j, "group"));
	c->updated_at = parse_time(jstr(j, "updated_at"));
}

static struct sp_component *component_by_id(struct statuspage *sp, const char *id)
{
	if (!id || !*id)
		return NULL;
	for (size_t i = 0; i < sp->n_components; i++)
		if (strcmp(sp->components[i].id, id) == 0)
			return &sp->components[i];
	return NULL;
}

/* Children point at their group with group_id; groups list their children's
 * ids. Either link gives the child its group's name. */
static void sp_resolve_groups(struct statuspage *sp, const cJSON *arr)
{
	size_t budget = 4 * SP_MAX_COMPONENTS; /* child ids looked at, over all groups */
	const cJSON *j;

	for (size_t i = 0; i < sp->n_components; i++) {
		struct sp_component *c = &sp->components[i];
		struct sp_component *g = component_by_id(sp, c->group_id);

		if (g && g != c)
			set_text(&c->group_name, xstrdup(g->name));
	}
	cJSON_ArrayForEach(j, arr) {
		const cJSON *kids = jarray(j, "components");
		struct sp_component *g;
		const cJSON *k;

		if (!cJSON_IsTrue(jget(j, "group")) || !kids)
			continue;
		if (budget == 0)
			return;
		budget--;
		g = component_by_id(sp, jstr(j, "id"));
		if (!g)
			continue;
		cJSON_ArrayForEach(k, kids) {
			struct sp_component *c;

			if (budget == 0)
				return;
			budget--;
			if (!cJSON_IsString(k))
				continue;
			c = component_by_id(sp, k->valuestring);
			if (c && c != g && !*c->group_name) {
				set_text(&c->group_name, xstrdup(g->name));
				if (!*c->group_id)
					set_text(&c->group_id, xstrdup(g->id));
			}
		}
	}
}

static void sp_parse_event(struct builder *b, const cJSON *j, bool maintenance)
{
	static const char *const update_time[] = { "display_at", "created_at", "updated_at", NULL };
	static const char *const created[] = { "created_at", "started_at", NULL };
	static const char *const updated[] = { "updated_at", "created_at", NULL };
	const char *id = jstr(j, "id");
	const char *name = jstr(j, "name");
	size_t cap_c = 0, cap_u = 0;
	struct sp_incident *in;
	const cJSON *x;

	if (!id && !name)
		return;
	in = add_event(b, maintenance);
	if (!in)
		return;
	in->id = page_text(id, SP_TEXT_MAX, 0);
	in->name = page_text(name, SP_TEXT_MAX, 0);
	in->status = jtext(j, "status");
	in->state = statuspage_state_from(jstr(j, "status"));
	in->impact_raw = jtext(j, "impact");
	in->impact = impact_from(jstr(j, "impact"));
	in->created_at = jtime_any(j, created);
	in->updated_at = jtime_any(j, updated);
	in->shortlink = jtext(j, "shortlink");
	in->scheduled_for = parse_time(jstr(j, "scheduled_for"));
	in->scheduled_until = parse_time(jstr(j, "scheduled_until"));
	cJSON_ArrayForEach(x, jarray(j, "components")) {
		if (cJSON_IsString(x))
			incident_add_component(in, &cap_c, x->valuestring);
		else
			incident_add_component(in, &cap_c, jstr(x, "name"));
	}
	cJSON_ArrayForEach(x, jarray(j, "incident_updates")) {
		struct sp_update *u;

		if (!cJSON_IsObject(x))
			continue;
		u = incident_add_update(in, &cap_u);
		if (!u)
			break;
		fill_update(u, jstr(x, "id"), jstr(x, "status"), jstr(x, "body"),
			    jtime_any(x, update_time));
	}
	sort_updates(in);
	incident_fill_blanks(in);
}

static void parse_statuspage(struct builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *page = jobject(root, "page");
	const cJSON *status = jobject(root, "status");
	const cJSON *comps = jarray(root, "components");
	const cJSON *incidents = jarray(root, "incidents");
	const cJSON *maint = jarray(root, "scheduled_maintenances");
	const cJSON *j;

	sp->source = SP_SOURCE_STATUSPAGE;
	if (page) {
		set_text(&sp->name, jtext(page, "name"));
		set_text(&sp->url, jtext(page, "url"));
		sp->updated_at = parse_time(jstr(page, "updated_at"));
	}
	if (status) {
		sp->has_status = true;
		set_text(&sp->indicator_raw, jtext(status, "indicator"));
		sp->indicator = statuspage_indicator_from(jstr(status, "indicator"));
		set_text(&sp->description, jtext(status, "description"));
	}
	if (comps) {
		sp->has_components = true;
		sp->components_complete = true;
		cJSON_ArrayForEach(j, comps)
			sp_parse_component(b, j);
		sp_resolve_groups(sp, comps);
	}
	/* A summary with no "incidents" key has none (incident.io's /api/v2 leaves
	 * the key out then); status.json or components.json alone say nothing. */
	sp->has_incidents = incidents || (status && comps);
	cJSON_ArrayForEach(j, incidents)
		sp_parse_event(b, j, false);
	sp->has_maintenances = maint != NULL;
	cJSON_ArrayForEach(j, maint)
		sp_parse_event(b, j, true);
}

/* ---- incident.io ---- */

static const char *component_name_by_id(const struct statuspage *sp, const char *id)
{
	if (!id || !*id)
		return NULL;
	for (size_t i = 0; i < sp->n_components; i++)
		if (strcmp(sp->components[i].id, id) == 0)
			return sp->components[i].name;
	return NULL;
}

static const char *const io_component_id[] = { "component_id", "id", NULL };

/* Ids the structure hides; pointers into the parsed JSON, which outlives them. */
struct id_list {
	const char **v;
	size_t n, cap;
};

static void id_list_add(struct id_list *l, const char *id)
{
	if (!id || l->n >= SP_MAX_COMPONENTS)
		return;
	l->v = grow(l->v, l->n, &l->cap, sizeof(*l->v));
	l->v[l->n++] = id;
}

static bool id_list_has(const struct id_list *l, const char *id)
{
	for (size_t i = 0; id && i < l->n; i++)
		if (strcmp(l->v[i], id) == 0)
			return true;
	return false;
}

/* A component of incident.io's structure, or of its flat list. */
static void io_add_component(struct builder *b, const cJSON *j, const char *const *id_keys,
			     const cJSON *names, const cJSON *group, struct id_list *hidden)
{
	const char *id = jstr_any(j, id_keys);
	const char *name = jstr(j, "name");
	struct sp_component *c;
	const cJSON *n;

	if (b->sp->n_components >= SP_MAX_COMPONENTS)
		return;
	if (cJSON_IsTrue(jget(j, "hidden")) || (group && cJSON_IsTrue(jget(group, "hidden")))) {
		id_list_add(hidden, id);
		return;
	}
	if (!name && id) {
		cJSON_ArrayForEach(n, names) {
			const char *nid = jstr(n, "id");
			if (nid && strcmp(nid, id) == 0) {
				name = jstr(n, "name");
				break;
			}
		}
	}
	if (!name)
		return;
	c = add_component(b);
	c->id = page_text(id, SP_TEXT_MAX, 0);
	c->name = page_text(name, SP_TEXT_MAX, 0);
	c->group_name = group ? jtext(group, "name") : xstrdup("");
	c->group_id = group ? jtext(group, "id") : xstrdup("");
	c->status = SP_COMPONENT_OPERATIONAL;
	c->status_raw = xstrdup("operational");
}

static void io_parse_components(struct builder *b, const cJSON *summary)
{
	static const char *const flat_id[] = { "id", NULL };
	static const char *const status_keys[] = { "status", "current_status", NULL };
	struct statuspage *sp = b->sp;
	const cJSON *names = jarray(summary, "components");
	const cJSON *structure = jobject(summary, "structure");
	const cJSON *items = jarray(structure, "items");
	const cJSON *affected = jarray(summary, "affected_components");
	struct id_list hidden = { 0 };
	const cJSON *j, *k;
	size_t seen = 0;

	sp->has_components = names || items;
	sp->components_complete = true;
	cJSON_ArrayForEach(j, items) {
		const cJSON *group = jobject(j, "group");
		const cJSON *comp = jobject(j, "component");

		if (sp->n_components >= SP_MAX_COMPONENTS)
			break;
		if (group) {
			cJSON_ArrayForEach(k, jarray(group, "components"))
				io_add_component(b, k, io_component_id, names, group, &hidden);
		} else if (comp) {
			io_add_component(b, comp, io_component_id, names, NULL, &hidden);
		}
	}
	/* Components the structure does not place (or a payload without one); a
	 * component the structure hides stays out. */
	cJSON_ArrayForEach(j, names) {
		const char *id = jstr(j, "id");

		if (sp->n_components >= SP_MAX_COMPONENTS)
			break;
		if (id && (component_name_by_id(sp, id) || id_list_has(&hidden, id)))
			continue;
		io_add_component(b, j, flat_id, NULL, NULL, &hidden);
	}
	free(hidden.v);
	cJSON_ArrayForEach(j, affected) {
		const char *id = jstr_any(j, io_component_id);
		const char *status = jstr_any(j, status_keys);

		if (++seen > SP_MAX_COMPONENTS)
			break;
		if (!id)
			continue;
		for (size_t i = 0; i < sp->n_components; i++) {
			struct sp_component *c = &sp->components[i];

			if (strcmp(c->id, id) != 0)
				continue;
			set_text(&c->status_raw, page_text(status, SP_TEXT_MAX, 0));
			c->status = statuspage_component_status_from(status);
		}
	}
}

/* Adds (or worsens) a component named by a widget's affected_components entry. */
static void widget_note_component(struct builder *b, const cJSON *j, const char *fallback_status)
{
	struct statuspage *sp = b->sp;
	const char *name = jstr(j, "name");
	const char *status = jstr_any(j, (const char *const[]){ "current_status", "status", NULL });
	char *tname, *tgroup;
	enum sp_component_status st;
	struct sp_component *c;

	if (!status)
		status = fallback_status;
	if (!name || !status || b->widget_budget == 0)
		return;
	b->widget_budget--;
	st = statuspage_component_status_from(status);
	tname = page_text(name, SP_TEXT_MAX, 0);
	tgroup = jtext(j, "group_name");
	for (size_t i = 0; i < sp->n_components; i++) {
		c = &sp->components[i];
		if (strcmp(c->name, tname) != 0 || strcmp(c->group_name, tgroup) != 0)
			continue;
		if (statuspage_component_status_rank(st) > statuspage_component_status_rank(c->status)) {
			c->status = st;
			set_text(&c->status_raw, page_text(status, SP_TEXT_MAX, 0));
		}
		free(tname);
		free(tgroup);
		return;
	}
	c = add_component(b);
	if (!c) {
		free(tname);
		free(tgroup);
		return;
	}
	c->id = jtext(j, "id");
	c->name = tname;
	c->group_name = tgroup;
	c->group_id = xstrdup("");
	c->status = st;
	c->status_raw = page_text(status, SP_TEXT_MAX, 0);
}

/* An incident or maintenance in either incident.io shape. default_status fills
 * in for the widget's maintenance lists, whose list already says the status. */
static void io_parse_event(struct builder *b, const cJSON *j, bool maintenance,
			   const char *default_status, bool widget)
{
	static const char *const created[] = { "published_at", "created_at", "started_at", "starts_at", NULL };
	static const char *const updated[] = { "last_update_at", "updated_at", NULL };
	static const char *const start[] = { "starts_at", "scheduled_for", "start_at", "started_at", NULL };
	static const char *const end[] = { "ends_at", "scheduled_until", "end_at", "scheduled_end_at", NULL };
	static const char *const upd_status[] = { "to_status", "status", NULL };
	static const char *const upd_body[] = { "message_string", "message", "body", NULL };
	static const char *const upd_time[] = { "published_at", "created_at", "updated_at", NULL };
	const char *id = jstr(j, "id");
	const char *name = jstr(j, "name");
	const char *status = jstr(j, "status");
	const char *impact = jstr(j, "current_worst_impact");
	const char *maint_status = maintenance ? "under_maintenance" : NULL;
	size_t cap_c = 0, cap_u = 0, seen = 0;
	struct sp_incident *in;
	const cJSON *x;

	if (!id && !name)
		return;
	if (!status)
		status = default_status;
	in = add_event(b, maintenance);
	if (!in)
		return;
	in->id = page_text(id, SP_TEXT_MAX, 0);
	in->name = page_text(name, SP_TEXT_MAX, 0);
	in->status = page_text(status, SP_TEXT_MAX, 0);
	in->state = statuspage_state_from(status);
	in->created_at = jtime_any(j, created);
	in->updated_at = jtime_any(j, updated);
	in->shortlink = jtext(j, "url");
	if (maintenance) {
		in->scheduled_for = jtime_any(j, start);
		in->scheduled_until = jtime_any(j, end);
	}
	cJSON_ArrayForEach(x, jarray(j, "affected_components")) {
		const char *cid;
		const char *cname = jstr(x, "name");
		const char *cstat = jstr_any(x, (const char *const[]){ "status", "current_status", NULL });

		if (++seen > SP_MAX_AFFECTED)
			break;
		cid = jstr_any(x, io_component_id);
		if (!cname)
			cname = component_name_by_id(b->sp, cid);
		incident_add_component(in, &cap_c, cname);
		/* the worst impact on any component is the incident's impact */
		if (!maintenance && !jstr(j, "current_worst_impact") && cstat &&
		    (!impact || statuspage_component_status_rank(statuspage_component_status_from(cstat)) >
				statuspage_component_status_rank(statuspage_component_status_from(impact))))
			impact = cstat;
		if (widget && !(maintenance && in->state == SP_STATE_SCHEDULED))
			widget_note_component(b, x, maint_status);
	}
	if (maintenance && !impact)
		impact = "maintenance";
	in->impact_raw = page_text(impact, SP_TEXT_MAX, 0);
	in->impact = impact_from(impact);
	cJSON_ArrayForEach(x, jarray(j, "updates")) {
		struct sp_update *u;

		if (!cJSON_IsObject(x))
			continue;
		u = incident_add_update(in, &cap_u);
		if (!u)
			break;
		fill_update(u, jstr(x, "id"), jstr_any(x, upd_status), jstr_any(x, upd_body),
			    jtime_any(x, upd_time));
	}
	if (in->n_updates == 0 && jstr(j, "last_update_message")) {
		struct sp_update *u = incident_add_update(in, &cap_u);

		fill_update(u, NULL, status, jstr(j, "last_update_message"), in->updated_at);
	}
	sort_updates(in);
	if (!in->updated_at && in->n_updates)
		in->updated_at = in->updates[0].at;
	incident_fill_blanks(in);
}

static void parse_incidentio(struct builder *b, const cJSON *summary)
{
	struct statuspage *sp = b->sp;
	const cJSON *incidents = jarray(summary, "ongoing_incidents");
	const cJSON *scheduled = jarray(summary, "scheduled_maintenances");
	const cJSON *running = jarray(summary, "in_progress_maintenances");
	const cJSON *j;

	sp->source = SP_SOURCE_INCIDENTIO;
	set_text(&sp->name, jtext(summary, "name"));
	set_text(&sp->url, page_text(jstr_any(summary, (const char *const[]){ "public_url", "url", NULL }),
				     SP_TEXT_MAX, 0));
	io_parse_components(b, summary);
	sp->has_incidents = incidents != NULL;
	cJSON_ArrayForEach(j, incidents)
		io_parse_event(b, j, false, NULL, false);
	sp->has_maintenances = scheduled || running;
	cJSON_ArrayForEach(j, running)
		io_parse_event(b, j, true, "maintenance_in_progress", false);
	cJSON_ArrayForEach(j, scheduled)
		io_parse_event(b, j, true, "maintenance_scheduled", false);
}

static void parse_widget(struct builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *incidents = jarray(root, "ongoing_incidents");
	const cJSON *scheduled = jarray(root, "scheduled_maintenances");
	const cJSON *running = jarray(root, "in_progress_maintenances");
	const cJSON *j;

	sp->source = SP_SOURCE_INCIDENTIO_WIDGET;
	set_text(&sp->name, jtext(root, "page_title"));
	set_text(&sp->url, jtext(root, "page_url"));
	sp->has_components = true;
	sp->components_complete = false;
	sp->has_incidents = incidents != NULL;
	cJSON_ArrayForEach(j, incidents)
		io_parse_event(b, j, false, NULL, true);
	sp->has_maintenances = scheduled || running;
	cJSON_ArrayForEach(j, running)
		io_parse_event(b, j, true, "maintenance_in_progress", true);
	cJSON_ArrayForEach(j, scheduled)
		io_parse_event(b, j, true, "maintenance_scheduled", true);
}

/* ---- the rollup when the page gives none ---- */

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

/* ---- entry points ---- */

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
	struct builder b = { .sp = sp, .widget_budget = 4 * SP_MAX_COMPONENTS };
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
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return fail(err, errlen, SP_ERR_SHAPE, "not a status page: the JSON is not an object");
	}
	summary = jobject(root, "summary");
	if (summary && (jget(summary, "components") || jget(summary, "affected_components") ||
			jget(summary, "ongoing_incidents") || jget(summary, "structure"))) {
		parse_incidentio(&b, summary);
	} else if (jobject(root, "page")) {
		parse_statuspage(&b, root);
	} else if (jstr(root, "page_title") || jarray(root, "ongoing_incidents") ||
		   jarray(root, "in_progress_maintenances")) {
		parse_widget(&b, root);
	} else if (jobject(root, "status") || jarray(root, "components") ||
		   jarray(root, "incidents") || jarray(root, "scheduled_maintenances")) {
		parse_statuspage(&b, root);
	} else {
		bool is_error = jget(root, "error") != NULL;

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
		sp->components = grow(sp->components, sp->n_components, &cap, sizeof(*sp->components));
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

/* ---- lookups ---- */

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
