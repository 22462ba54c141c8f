/* statuspage_datadog.c: a Datadog Status Pages page's config.json (OpenRouter's
 * page): {"name", "pageUrl", "components": [Component | ComponentGroup with its
 * own "components"], "incidents": [...], "maintenances": [...] or null}. Every
 * component carries its current status (operational, degraded, partial_outage,
 * major_outage, maintenance); a group is a row of its own whose status is its
 * worst child's. The incidents are the page's history, ended ones included, each
 * with a "timeline" of updates: only those not resolved are kept, as a
 * Statuspage summary keeps them, and likewise maintenances not completed or
 * canceled. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "statuspage_internal.h"

#define DD_MAX_DEPTH 4 /* groups in groups */

static enum sp_component_status datadog_status_from(const char *word)
{
	if (word && strcmp(word, "degraded") == 0)
		return SP_COMPONENT_DEGRADED_PERFORMANCE;
	if (word && strcmp(word, "maintenance") == 0)
		return SP_COMPONENT_UNDER_MAINTENANCE;
	return statuspage_component_status_from(word);
}

static bool is_datadog_component(const cJSON *j)
{
	const char *type = sp_jstr(j, "type");

	return type && (strcmp(type, "Component") == 0 || strcmp(type, "ComponentGroup") == 0);
}

bool sp_is_datadog(const cJSON *root)
{
	const cJSON *comps = sp_jarray(root, "components");

	if (comps && comps->child)
		return is_datadog_component(comps->child);
	/* no components: the page's own keys */
	return sp_jstr(root, "pageUrl") && sp_jstr(root, "domainPrefix") &&
	       sp_jarray(root, "incidents");
}

static void take_worst(enum sp_component_status *acc, enum sp_component_status s)
{
	if (statuspage_component_status_rank(s) > statuspage_component_status_rank(*acc))
		*acc = s;
}

/* Adds the components of one level, in the group at index group (SIZE_MAX for
 * none: an index, as the array moves when it grows); returns the worst status
 * among them. */
static enum sp_component_status datadog_parse_components(struct sp_builder *b, const cJSON *arr,
							 size_t group, int depth)
{
	enum sp_component_status worst = SP_COMPONENT_OPERATIONAL;
	const cJSON *j;

	cJSON_ArrayForEach(j, arr) {
		const char *name = sp_jstr(j, "name");
		const char *type = sp_jstr(j, "type");
		bool is_group = type && strcmp(type, "ComponentGroup") == 0;
		struct sp_component *c;
		size_t at;

		if (!name || !is_datadog_component(j))
			continue;
		c = sp_add_component(b);
		if (!c)
			break;
		at = (size_t)(c - b->sp->components);
		c->id = sp_jtext(j, "id");
		c->name = sp_page_text(name, SP_TEXT_MAX, 0);
		c->group_name = xstrdup(group == SIZE_MAX ? "" : b->sp->components[group].name);
		c->group_id = xstrdup(group == SIZE_MAX ? "" : b->sp->components[group].id);
		c->is_group = is_group;
		if (is_group) {
			enum sp_component_status s = SP_COMPONENT_OPERATIONAL;

			if (depth < DD_MAX_DEPTH)
				s = datadog_parse_components(b, sp_jarray(j, "components"), at,
							     depth + 1);
			/* the array may have moved while the children were added */
			c = &b->sp->components[at];
			c->status = s;
			c->status_raw = xstrdup(statuspage_component_status_name(s));
		} else {
			c->status_raw = sp_jtext(j, "status");
			c->status = datadog_status_from(sp_jstr(j, "status"));
		}
		take_worst(&worst, c->status);
	}
	return worst;
}

/* The affected components, and the worst status the event gives them. */
static enum sp_component_status affected(struct sp_incident *in, const cJSON *list)
{
	enum sp_component_status worst = SP_COMPONENT_OPERATIONAL;
	size_t cap = 0;
	const cJSON *x;

	cJSON_ArrayForEach(x, list) {
		sp_incident_add_component(in, &cap, sp_jstr(x, "name"));
		take_worst(&worst, datadog_status_from(sp_jstr(x, "status")));
	}
	return worst;
}

static void datadog_parse_event(struct sp_builder *b, const cJSON *j, bool maintenance)
{
	static const char *const update_time[] = { "startedAt", "createdAt", "lastModifiedAt", NULL };
	static const char *const created[] = { "publishedDate", "startDate", "createdAt", NULL };
	static const char *const updated[] = { "lastModifiedAt", "publishedDate", "startDate", NULL };
	const char *status = sp_jstr(j, "currentStatus");
	enum sp_component_status worst = SP_COMPONENT_OPERATIONAL;
	size_t cap_u = 0;
	struct sp_incident *in;
	const cJSON *x;

	/* deleted, ended or called off: not on the page any more */
	if (sp_jget(j, "deletedAt") && !cJSON_IsNull(sp_jget(j, "deletedAt")))
		return;
	if (statuspage_state_is_closed(statuspage_state_from(status)) ||
	    cJSON_IsTrue(sp_jget(j, "resolved")) || (status && strcmp(status, "canceled") == 0))
		return;
	in = sp_add_event(b, maintenance);
	if (!in)
		return;
	in->id = sp_jtext(j, "id");
	in->name = sp_jtext(j, "title");
	in->status = sp_page_text(status, SP_TEXT_MAX, 0);
	in->state = statuspage_state_from(status);
	in->created_at = sp_jtime_any(j, created);
	in->updated_at = sp_jtime_any(j, updated);
	if (maintenance) {
		in->scheduled_for = sp_parse_time(sp_jstr(j, "startDate"));
		in->scheduled_until = sp_parse_time(sp_jstr(j, "endDate"));
	}
	worst = affected(in, sp_jarray(j, "componentsAffected"));
	cJSON_ArrayForEach(x, sp_jarray(j, "timeline")) {
		struct sp_update *u;

		if (!cJSON_IsObject(x))
			continue;
		u = sp_incident_add_update(in, &cap_u);
		if (!u)
			break;
		sp_fill_update(u, sp_jstr(x, "id"), sp_jstr(x, "status"), sp_jstr(x, "description"),
			       sp_jtime_any(x, update_time));
	}
	sp_sort_updates(in);
	if (maintenance) {
		in->impact = SP_INDICATOR_MAINTENANCE;
		in->impact_raw = xstrdup("maintenance");
	} else {
		/* the worst it does to a component, at least minor while it is open */
		in->impact_raw = xstrdup(statuspage_component_status_name(worst));
		in->impact = sp_impact_from(in->impact_raw);
		if (in->impact == SP_INDICATOR_NONE || in->impact == SP_INDICATOR_UNKNOWN)
			in->impact = SP_INDICATOR_MINOR;
	}
	sp_incident_fill_blanks(in);
}

void sp_parse_datadog(struct sp_builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *j;

	sp->source = SP_SOURCE_DATADOG;
	sp_set_text(&sp->name, sp_jtext(root, "name"));
	sp_set_text(&sp->url, sp_jtext(root, "pageUrl"));
	if (sp_jarray(root, "components")) {
		sp->has_components = true;
		sp->components_complete = true;
		datadog_parse_components(b, sp_jarray(root, "components"), SIZE_MAX, 0);
	}
	sp->has_incidents = sp_jarray(root, "incidents") != NULL;
	cJSON_ArrayForEach(j, sp_jarray(root, "incidents"))
		if (cJSON_IsObject(j))
			datadog_parse_event(b, j, false);
	/* null: the page has none */
	sp->has_maintenances = sp_jget(root, "maintenances") != NULL;
	cJSON_ArrayForEach(j, sp_jarray(root, "maintenances"))
		if (cJSON_IsObject(j))
			datadog_parse_event(b, j, true);
}
