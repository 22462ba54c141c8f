/* statuspage_google.c: Google Cloud's incident feed
 * (https://status.cloud.google.com/incidents.json), a JSON array of incidents
 * over every Cloud product, ended ones included, each with "affected_products",
 * "begin", "end" (absent while it lasts), "severity", "status_impact",
 * "most_recent_update" and "updates". The feed has no components, no rollup and
 * no maintenances: the products an open incident affects become the components
 * (every other product is operational, as with incident.io's widget), their
 * status is the incident's latest service status, and only open incidents are
 * kept, as a Statuspage summary keeps only unresolved ones. Google's incidents
 * have no phases (investigating, identified, ...), so an open incident's state is
 * unknown and its status word is Google's ("SERVICE_DISRUPTION"). */
#include <stdlib.h>
#include <string.h>

#include "statuspage_internal.h"

/* Google's service status words, worst last. Information reads as degraded
 * (yellow on Google's dashboard), a disruption as a partial outage, an outage as
 * a major one; severity low / medium / high as Statuspage's impact words. */
static enum sp_component_status google_status_from(const char *word)
{
	if (!word)
		return SP_COMPONENT_UNKNOWN;
	if (strcmp(word, "AVAILABLE") == 0)
		return SP_COMPONENT_OPERATIONAL;
	if (strcmp(word, "SERVICE_INFORMATION") == 0)
		return SP_COMPONENT_DEGRADED_PERFORMANCE;
	if (strcmp(word, "SERVICE_DISRUPTION") == 0)
		return SP_COMPONENT_PARTIAL_OUTAGE;
	if (strcmp(word, "SERVICE_OUTAGE") == 0)
		return SP_COMPONENT_MAJOR_OUTAGE;
	return SP_COMPONENT_UNKNOWN;
}

static enum sp_indicator google_impact_from(const char *severity)
{
	if (!severity)
		return SP_INDICATOR_UNKNOWN;
	if (strcmp(severity, "low") == 0)
		return SP_INDICATOR_MINOR;
	if (strcmp(severity, "medium") == 0)
		return SP_INDICATOR_MAJOR;
	if (strcmp(severity, "high") == 0)
		return SP_INDICATOR_CRITICAL;
	return SP_INDICATOR_UNKNOWN;
}

static bool looks_like_incident(const cJSON *j)
{
	return sp_jarray(j, "affected_products") || sp_jstr(j, "status_impact") ||
	       sp_jobject(j, "most_recent_update") || sp_jstr(j, "service_key");
}

bool sp_is_google_feed(const cJSON *root)
{
	const cJSON *j;
	int looked = 0;

	if (!cJSON_IsArray(root))
		return false;
	/* an empty array is the feed with nothing in it only when it says so
	 * elsewhere, which it cannot: refuse it as not a status page */
	cJSON_ArrayForEach(j, root) {
		if (looks_like_incident(j))
			return true;
		if (++looked == 8)
			break;
	}
	return false;
}

/* The product's current name ("current_title", newer feeds) or its old one. */
static const char *product_name(const cJSON *p)
{
	static const char *const keys[] = { "current_title", "title", NULL };

	return sp_jstr_any(p, keys);
}

/* The product as a component, added once; a product in several open incidents
 * takes the worst status among them. */
static void add_product(struct sp_builder *b, const cJSON *p, const char *word, time_t at)
{
	struct statuspage *sp = b->sp;
	const char *name = product_name(p);
	enum sp_component_status s = google_status_from(word);
	char *id, *clean;
	struct sp_component *c;

	if (!name)
		return;
	id = sp_jtext(p, "id");
	clean = sp_page_text(name, SP_TEXT_MAX, 0);
	for (size_t i = 0; i < sp->n_components; i++) {
		c = &sp->components[i];
		if (strcmp(c->id, id) != 0 || strcmp(c->name, clean) != 0)
			continue;
		if (statuspage_component_status_rank(s) > statuspage_component_status_rank(c->status)) {
			c->status = s;
			sp_set_text(&c->status_raw, sp_page_text(word, SP_TEXT_MAX, 0));
		}
		if (at > c->updated_at)
			c->updated_at = at;
		free(id);
		free(clean);
		return;
	}
	c = sp_add_component(b);
	if (!c) {
		free(id);
		free(clean);
		return;
	}
	c->id = id;
	c->name = clean;
	c->group_name = xstrdup("");
	c->group_id = xstrdup("");
	c->status = s;
	c->status_raw = sp_page_text(word, SP_TEXT_MAX, 0);
	c->updated_at = at;
}

/* "incidents/ID" is relative to the dashboard; anything else is kept only when it
 * is an https address. */
static char *incident_link(const char *uri)
{
	static const char base[] = "https://status.cloud.google.com/";
	char *link, *t;
	size_t n;

	if (!uri || strncmp(uri, "https://", 8) == 0)
		return sp_page_text(uri, SP_TEXT_MAX, 0);
	if (strncmp(uri, "incidents/", 10) != 0)
		return xstrdup("");
	n = strnlen(uri, SP_TEXT_MAX);
	link = xmalloc(sizeof(base) + n);
	memcpy(link, base, sizeof(base) - 1);
	memcpy(link + sizeof(base) - 1, uri, n);
	link[sizeof(base) - 1 + n] = '\0';
	t = sp_page_text(link, SP_TEXT_MAX, 0);
	free(link);
	return t;
}

static void google_parse_incident(struct sp_builder *b, const cJSON *j)
{
	static const char *const update_time[] = { "when", "created", "modified", NULL };
	static const char *const created[] = { "created", "begin", NULL };
	static const char *const updated[] = { "modified", "created", NULL };
	const cJSON *latest = sp_jobject(j, "most_recent_update");
	const char *id = sp_jstr(j, "id");
	const char *name = sp_jstr(j, "external_desc");
	/* the service's status now: the latest update's, else the incident's worst */
	const char *word = sp_jstr(latest, "status");
	size_t cap_c = 0, cap_u = 0;
	struct sp_incident *in;
	const cJSON *x;
	time_t modified;

	if (!word)
		word = sp_jstr(j, "status_impact");
	modified = sp_jtime_any(j, updated);
	if (modified > b->sp->updated_at)
		b->sp->updated_at = modified;
	if (sp_jstr(j, "end") || (!id && !name))
		return; /* ended: the feed keeps its history, a summary does not */
	in = sp_add_event(b, false);
	if (!in)
		return;
	in->id = sp_page_text(id, SP_TEXT_MAX, 0);
	in->name = sp_page_text(name, SP_TEXT_MAX, 0);
	in->status = sp_page_text(word, SP_TEXT_MAX, 0);
	in->state = SP_STATE_UNKNOWN;
	in->impact_raw = sp_jtext(j, "severity");
	in->impact = google_impact_from(sp_jstr(j, "severity"));
	in->created_at = sp_jtime_any(j, created);
	in->updated_at = modified;
	in->shortlink = incident_link(sp_jstr(j, "uri"));
	cJSON_ArrayForEach(x, sp_jarray(j, "affected_products")) {
		sp_incident_add_component(in, &cap_c, product_name(x));
		add_product(b, x, word, modified);
	}
	cJSON_ArrayForEach(x, sp_jarray(j, "updates")) {
		struct sp_update *u;

		if (!cJSON_IsObject(x))
			continue;
		u = sp_incident_add_update(in, &cap_u);
		if (!u)
			break;
		sp_fill_update(u, NULL, sp_jstr(x, "status"), sp_jstr(x, "text"),
			       sp_jtime_any(x, update_time));
	}
	sp_sort_updates(in);
	sp_incident_fill_blanks(in);
}

void sp_parse_google(struct sp_builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *j;

	sp->source = SP_SOURCE_GOOGLE_CLOUD;
	sp->has_components = true;
	sp->components_complete = false;
	sp->has_incidents = true;
	sp->has_maintenances = false;
	cJSON_ArrayForEach(j, root)
		if (cJSON_IsObject(j))
			google_parse_incident(b, j);
}
