/* statuspage_instatus.c: Instatus's public API, two documents. The page's
 * /summary.json is {"page": {"name", "url", "status"}, "activeIncidents",
 * "activeMaintenances"} (the lists left out when empty), the page status one of
 * UP, HASISSUES, UNDERMAINTENANCE; /v2/components.json is {"components": [...]}
 * with upper-case status words (OPERATIONAL, DEGRADEDPERFORMANCE, PARTIALOUTAGE,
 * MAJOROUTAGE, UNDERMAINTENANCE). The summary names no components, so a
 * statuspage target reads the second with components_url. Every word is mapped
 * to Statuspage's; the raw words are kept. */
#include <stdlib.h>
#include <string.h>

#include "statuspage_internal.h"

struct word {
	const char *instatus;
	const char *statuspage; /* the same thing in Statuspage's words */
};

static const struct word component_words[] = {
	{"OPERATIONAL", "operational"},
	{"DEGRADEDPERFORMANCE", "degraded_performance"},
	{"PARTIALOUTAGE", "partial_outage"},
	{"MAJOROUTAGE", "major_outage"},
	{"UNDERMAINTENANCE", "under_maintenance"},
};

static const struct word state_words[] = {
	{"INVESTIGATING", "investigating"},
	{"IDENTIFIED", "identified"},
	{"MONITORING", "monitoring"},
	{"RESOLVED", "resolved"},
	{"NOTSTARTEDYET", "scheduled"},
	{"INPROGRESS", "in_progress"},
	{"COMPLETED", "completed"},
};

#define N_WORDS(t) (sizeof(t) / sizeof((t)[0]))

static const char *translate(const struct word *t, size_t n, const char *word)
{
	for (size_t i = 0; word && i < n; i++)
		if (strcmp(word, t[i].instatus) == 0)
			return t[i].statuspage;
	return NULL;
}

static bool is_component_list(const cJSON *root)
{
	const cJSON *j;

	cJSON_ArrayForEach(j, sp_jarray(root, "components")) {
		const char *s = sp_jstr(j, "status");

		if (s)
			return translate(component_words, N_WORDS(component_words), s) != NULL;
	}
	return false;
}

bool sp_is_instatus(const cJSON *root)
{
	const cJSON *page = sp_jobject(root, "page");

	/* Statuspage's page object has no status: its rollup is beside it */
	if (page && sp_jstr(page, "status") && !sp_jobject(root, "status"))
		return true;
	if (sp_jarray(root, "activeIncidents") || sp_jarray(root, "activeMaintenances"))
		return true;
	return is_component_list(root);
}

/* Instatus's impact words are its component words: degraded / partial / major
 * outage read as minor / major / critical, as incident.io's. */
static enum sp_indicator impact_of(const char *word)
{
	return sp_impact_from(translate(component_words, N_WORDS(component_words), word));
}

/* A group as an object with a name, or as a name. */
static const char *group_name(const cJSON *j)
{
	const cJSON *g = sp_jget(j, "group");

	if (cJSON_IsString(g))
		return g->valuestring;
	return sp_jstr(g, "name");
}

static void instatus_parse_component(struct sp_builder *b, const cJSON *j)
{
	const char *name = sp_jstr(j, "name");
	const char *status = sp_jstr(j, "status");
	const cJSON *g = sp_jget(j, "group");
	struct sp_component *c;

	if (!name)
		return;
	c = sp_add_component(b);
	if (!c)
		return;
	c->id = sp_jtext(j, "id");
	c->name = sp_page_text(name, SP_TEXT_MAX, 0);
	c->group_name = sp_page_text(group_name(j), SP_TEXT_MAX, 0);
	c->group_id = sp_jtext(cJSON_IsObject(g) ? g : NULL, "id");
	c->status_raw = sp_page_text(status, SP_TEXT_MAX, 0);
	c->status = statuspage_component_status_from(
		translate(component_words, N_WORDS(component_words), status));
}

/* Minutes, as a number or as a string of digits. */
static long duration_minutes(const cJSON *j)
{
	const cJSON *d = sp_jget(j, "duration");

	if (cJSON_IsNumber(d) && d->valuedouble > 0 && d->valuedouble < 1e6)
		return (long)d->valuedouble;
	if (cJSON_IsString(d) && *d->valuestring && strlen(d->valuestring) < 7 &&
	    strspn(d->valuestring, "0123456789") == strlen(d->valuestring))
		return strtol(d->valuestring, NULL, 10);
	return 0;
}

static void instatus_parse_event(struct sp_builder *b, const cJSON *j, bool maintenance)
{
	static const char *const created[] = { "started", "start", "createdAt", NULL };
	static const char *const updated[] = { "updatedAt", "started", "start", NULL };
	const char *status = sp_jstr(j, "status");
	const char *impact = sp_jstr(j, "impact");
	struct sp_incident *in;
	long minutes;

	if (!sp_jstr(j, "id") && !sp_jstr(j, "name"))
		return;
	in = sp_add_event(b, maintenance);
	if (!in)
		return;
	in->id = sp_jtext(j, "id");
	in->name = sp_jtext(j, "name");
	in->status = sp_page_text(status, SP_TEXT_MAX, 0);
	in->state = statuspage_state_from(translate(state_words, N_WORDS(state_words), status));
	in->impact_raw = sp_page_text(impact, SP_TEXT_MAX, 0);
	in->impact = maintenance ? SP_INDICATOR_MAINTENANCE : impact_of(impact);
	in->created_at = sp_jtime_any(j, created);
	in->updated_at = sp_jtime_any(j, updated);
	in->shortlink = sp_jtext(j, "url");
	if (maintenance) {
		in->scheduled_for = sp_parse_time(sp_jstr(j, "start"));
		minutes = duration_minutes(j);
		if (in->scheduled_for && minutes)
			in->scheduled_until = in->scheduled_for + (time_t)minutes * 60;
	}
	sp_incident_fill_blanks(in);
}

/* The page's word as Statuspage's rollup; "has issues" is as bad as its worst
 * active incident, and at least minor. */
static void instatus_rollup(struct statuspage *sp, const char *word)
{
	sp->has_status = true;
	sp_set_text(&sp->indicator_raw, sp_page_text(word, SP_TEXT_MAX, 0));
	if (strcmp(word, "UP") == 0) {
		sp->indicator = SP_INDICATOR_NONE;
	} else if (strcmp(word, "UNDERMAINTENANCE") == 0) {
		sp->indicator = SP_INDICATOR_MAINTENANCE;
	} else if (strcmp(word, "HASISSUES") == 0) {
		sp->indicator = SP_INDICATOR_MINOR;
		for (size_t i = 0; i < sp->n_incidents; i++) {
			enum sp_indicator x = sp->incidents[i].impact;

			if (x == SP_INDICATOR_CRITICAL ||
			    (x == SP_INDICATOR_MAJOR && sp->indicator != SP_INDICATOR_CRITICAL))
				sp->indicator = x;
		}
	} else {
		sp->indicator = SP_INDICATOR_UNKNOWN;
	}
}

void sp_parse_instatus(struct sp_builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *page = sp_jobject(root, "page");
	const char *word = sp_jstr(page, "status");
	const cJSON *j;

	sp->source = SP_SOURCE_INSTATUS;
	if (page) {
		sp_set_text(&sp->name, sp_jtext(page, "name"));
		sp_set_text(&sp->url, sp_jtext(page, "url"));
	}
	if (sp_jarray(root, "components")) {
		sp->has_components = true;
		sp->components_complete = true;
		cJSON_ArrayForEach(j, sp_jarray(root, "components"))
			instatus_parse_component(b, j);
	}
	/* the summary leaves an empty list out: it has none */
	if (page || sp_jarray(root, "activeIncidents") || sp_jarray(root, "activeMaintenances")) {
		sp->has_incidents = true;
		sp->has_maintenances = true;
	}
	cJSON_ArrayForEach(j, sp_jarray(root, "activeIncidents"))
		instatus_parse_event(b, j, false);
	cJSON_ArrayForEach(j, sp_jarray(root, "activeMaintenances"))
		instatus_parse_event(b, j, true);
	if (word)
		instatus_rollup(sp, word);
}
