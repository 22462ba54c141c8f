/* statuspage_flashduty.c: Flashduty's (Flashcat's) status page API, which
 * DeepSeek's page serves at /api/status-page/<page id>/summary/active:
 * {"request_id", "data": {"page": {"name", "custom_domain", "components",
 * "sections"}, "active_changes": [...]}}. The page lists every component but no
 * status for them and no rollup: a component is operational unless an active
 * change (an incident, or a maintenance) names it in "affected_components" with
 * another status, the worst of them winning. Sections are the groups.
 * Timestamps are whole seconds since the epoch ("start_at_seconds"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statuspage_internal.h"

/* Flashduty's impact words: Statuspage's, and its own "degraded". */
static enum sp_component_status flashduty_status_from(const char *word)
{
	if (word && strcmp(word, "degraded") == 0)
		return SP_COMPONENT_DEGRADED_PERFORMANCE;
	return statuspage_component_status_from(word);
}

static const cJSON *flashduty_data(const cJSON *root)
{
	const cJSON *data = sp_jobject(root, "data");

	if (!data)
		return NULL;
	if (sp_jarray(data, "active_changes") || sp_jarray(sp_jobject(data, "page"), "components"))
		return data;
	return NULL;
}

bool sp_is_flashduty(const cJSON *root)
{
	return flashduty_data(root) != NULL;
}

/* A number of seconds, or a string of them; 0 when neither. */
static time_t jseconds(const cJSON *obj, const char *key)
{
	const cJSON *v = sp_jget(obj, key);

	if (cJSON_IsNumber(v) && v->valuedouble > 0 && v->valuedouble < 1e11)
		return (time_t)v->valuedouble;
	return 0;
}

/* An id that may come as a number (change_id 7020391134287) or a string. */
static char *jid(const cJSON *obj, const char *key)
{
	const cJSON *v = sp_jget(obj, key);
	char buf[32];

	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e18) {
		snprintf(buf, sizeof(buf), "%.0f", v->valuedouble);
		return xstrdup(buf);
	}
	return sp_jtext(obj, key);
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

/* The page's url from its custom domain, when that is a plain host name. */
static char *page_url(const char *domain)
{
	size_t n;
	char *url;

	if (!domain || !*domain)
		return xstrdup("");
	n = strnlen(domain, 254);
	if (n == 254 || strspn(domain, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != n)
		return xstrdup("");
	url = xmalloc(n + sizeof("https:///"));
	snprintf(url, n + sizeof("https:///"), "https://%s/", domain);
	return url;
}

static void flashduty_parse_components(struct sp_builder *b, const cJSON *page)
{
	const cJSON *sections = sp_jarray(page, "sections");
	const cJSON *j;

	cJSON_ArrayForEach(j, sp_jarray(page, "components")) {
		const char *name = sp_jstr(j, "name");
		const char *section = sp_jstr(j, "section_id");
		struct sp_component *c;
		const cJSON *s;

		if (!name)
			continue;
		c = sp_add_component(b);
		if (!c)
			return;
		c->id = sp_jtext(j, "component_id");
		c->name = sp_page_text(name, SP_TEXT_MAX, 0);
		c->group_id = sp_page_text(section, SP_TEXT_MAX, 0);
		c->group_name = xstrdup("");
		c->status = SP_COMPONENT_OPERATIONAL;
		c->status_raw = xstrdup("operational");
		cJSON_ArrayForEach(s, sections) {
			const char *sid = sp_jstr(s, "section_id");

			if (section && sid && strcmp(sid, section) == 0) {
				sp_set_text(&c->group_name, sp_jtext(s, "name"));
				break;
			}
		}
	}
}

static void flashduty_parse_change(struct sp_builder *b, const cJSON *j)
{
	const char *type = sp_jstr(j, "type");
	const char *status = sp_jstr(j, "status");
	bool maintenance = type && strcmp(type, "maintenance") == 0;
	enum sp_component_status worst = SP_COMPONENT_OPERATIONAL;
	size_t cap_c = 0;
	struct sp_incident *in;
	const cJSON *x;

	in = sp_add_event(b, maintenance);
	if (!in)
		return;
	in->id = jid(j, "change_id");
	in->name = sp_jtext(j, "title");
	in->status = sp_page_text(status, SP_TEXT_MAX, 0);
	in->state = statuspage_state_from(status);
	in->created_at = jseconds(j, "start_at_seconds");
	in->updated_at = jseconds(j, "updated_at_seconds");
	if (!in->updated_at)
		in->updated_at = in->created_at;
	if (maintenance) {
		in->scheduled_for = in->created_at;
		in->scheduled_until = jseconds(j, "end_at_seconds");
	}
	cJSON_ArrayForEach(x, sp_jarray(j, "affected_components")) {
		const char *word = sp_jstr(x, "status");
		enum sp_component_status s = flashduty_status_from(word);
		struct sp_component *c = component_by_id(b->sp, sp_jstr(x, "component_id"));

		if (statuspage_component_status_rank(s) > statuspage_component_status_rank(worst))
			worst = s;
		if (!c)
			continue;
		sp_incident_add_component(in, &cap_c, c->name);
		if (statuspage_component_status_rank(s) > statuspage_component_status_rank(c->status)) {
			c->status = s;
			sp_set_text(&c->status_raw, sp_page_text(word, SP_TEXT_MAX, 0));
		}
	}
	/* no impact of its own: the worst it does to a component, as incident.io's */
	if (maintenance) {
		in->impact = SP_INDICATOR_MAINTENANCE;
		in->impact_raw = xstrdup("maintenance");
	} else {
		in->impact = sp_impact_from(statuspage_component_status_name(worst));
		in->impact_raw = xstrdup(statuspage_component_status_name(worst));
		if (worst == SP_COMPONENT_OPERATIONAL || worst == SP_COMPONENT_UNKNOWN) {
			/* an open incident that names no harm: at least minor, as it is
			 * on the page, never "none" */
			in->impact = SP_INDICATOR_MINOR;
			sp_set_text(&in->impact_raw, xstrdup(""));
		}
	}
	sp_incident_fill_blanks(in);
}

void sp_parse_flashduty(struct sp_builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *data = flashduty_data(root);
	const cJSON *page = sp_jobject(data, "page");
	const cJSON *changes = sp_jarray(data, "active_changes");
	const cJSON *j;

	sp->source = SP_SOURCE_FLASHDUTY;
	if (page) {
		sp_set_text(&sp->name, sp_jtext(page, "name"));
		sp_set_text(&sp->url, page_url(sp_jstr(page, "custom_domain")));
	}
	if (sp_jarray(page, "components")) {
		sp->has_components = true;
		sp->components_complete = true;
		flashduty_parse_components(b, page);
	}
	/* active changes are incidents and maintenances alike */
	sp->has_incidents = changes != NULL;
	sp->has_maintenances = changes != NULL;
	cJSON_ArrayForEach(j, changes)
		if (cJSON_IsObject(j))
			flashduty_parse_change(b, j);
}
