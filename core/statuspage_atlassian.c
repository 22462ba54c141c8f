/* statuspage_atlassian.c: Atlassian Statuspage v2 ({"page", "status",
 * "components", "incidents", "scheduled_maintenances"}, any subset), also what
 * incident.io serves on /api/v2 for Statuspage compatibility; groups are resolved
 * from the components' group ids. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "statuspage_internal.h"

static void sp_parse_component(struct sp_builder *b, const cJSON *j)
{
	const char *name = sp_jstr(j, "name");
	const char *status = sp_jstr(j, "status");
	struct sp_component *c;

	if (!name)
		return;
	c = sp_add_component(b);
	if (!c)
		return;
	c->id = sp_jtext(j, "id");
	c->name = sp_page_text(name, SP_TEXT_MAX, 0);
	c->group_id = sp_jtext(j, "group_id");
	c->group_name = xstrdup("");
	c->status_raw = sp_page_text(status, SP_TEXT_MAX, 0);
	c->status = statuspage_component_status_from(status);
	c->is_group = cJSON_IsTrue(sp_jget(j, "group"));
	c->updated_at = sp_parse_time(sp_jstr(j, "updated_at"));
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
			sp_set_text(&c->group_name, xstrdup(g->name));
	}
	cJSON_ArrayForEach(j, arr) {
		const cJSON *kids = sp_jarray(j, "components");
		struct sp_component *g;
		const cJSON *k;

		if (!cJSON_IsTrue(sp_jget(j, "group")) || !kids)
			continue;
		if (budget == 0)
			return;
		budget--;
		g = component_by_id(sp, sp_jstr(j, "id"));
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
				sp_set_text(&c->group_name, xstrdup(g->name));
				if (!*c->group_id)
					sp_set_text(&c->group_id, xstrdup(g->id));
			}
		}
	}
}

static void sp_parse_event(struct sp_builder *b, const cJSON *j, bool maintenance)
{
	static const char *const update_time[] = { "display_at", "created_at", "updated_at", NULL };
	static const char *const created[] = { "created_at", "started_at", NULL };
	static const char *const updated[] = { "updated_at", "created_at", NULL };
	const char *id = sp_jstr(j, "id");
	const char *name = sp_jstr(j, "name");
	size_t cap_c = 0, cap_u = 0;
	struct sp_incident *in;
	const cJSON *x;

	if (!id && !name)
		return;
	in = sp_add_event(b, maintenance);
	if (!in)
		return;
	in->id = sp_page_text(id, SP_TEXT_MAX, 0);
	in->name = sp_page_text(name, SP_TEXT_MAX, 0);
	in->status = sp_jtext(j, "status");
	in->state = statuspage_state_from(sp_jstr(j, "status"));
	in->impact_raw = sp_jtext(j, "impact");
	in->impact = sp_impact_from(sp_jstr(j, "impact"));
	in->created_at = sp_jtime_any(j, created);
	in->updated_at = sp_jtime_any(j, updated);
	in->shortlink = sp_jtext(j, "shortlink");
	in->scheduled_for = sp_parse_time(sp_jstr(j, "scheduled_for"));
	in->scheduled_until = sp_parse_time(sp_jstr(j, "scheduled_until"));
	cJSON_ArrayForEach(x, sp_jarray(j, "components")) {
		if (cJSON_IsString(x))
			sp_incident_add_component(in, &cap_c, x->valuestring);
		else
			sp_incident_add_component(in, &cap_c, sp_jstr(x, "name"));
	}
	cJSON_ArrayForEach(x, sp_jarray(j, "incident_updates")) {
		struct sp_update *u;

		if (!cJSON_IsObject(x))
			continue;
		u = sp_incident_add_update(in, &cap_u);
		if (!u)
			break;
		sp_fill_update(u, sp_jstr(x, "id"), sp_jstr(x, "status"), sp_jstr(x, "body"),
			    sp_jtime_any(x, update_time));
	}
	sp_sort_updates(in);
	sp_incident_fill_blanks(in);
}

void sp_parse_statuspage(struct sp_builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *page = sp_jobject(root, "page");
	const cJSON *status = sp_jobject(root, "status");
	const cJSON *comps = sp_jarray(root, "components");
	const cJSON *incidents = sp_jarray(root, "incidents");
	const cJSON *maint = sp_jarray(root, "scheduled_maintenances");
	const cJSON *j;

	sp->source = SP_SOURCE_STATUSPAGE;
	if (page) {
		sp_set_text(&sp->name, sp_jtext(page, "name"));
		sp_set_text(&sp->url, sp_jtext(page, "url"));
		sp->updated_at = sp_parse_time(sp_jstr(page, "updated_at"));
	}
	if (status) {
		sp->has_status = true;
		sp_set_text(&sp->indicator_raw, sp_jtext(status, "indicator"));
		sp->indicator = statuspage_indicator_from(sp_jstr(status, "indicator"));
		sp_set_text(&sp->description, sp_jtext(status, "description"));
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
