/* statuspage_incidentio.c: incident.io's own JSON ({"summary": {"components",
 * "affected_components", "ongoing_incidents", "scheduled_maintenances",
 * "structure"}}), where a component not in affected_components is operational and
 * the groups come from structure; and its widget API ({"page_title",
 * "ongoing_incidents", "in_progress_maintenances", "scheduled_maintenances"}),
 * which names only the components an incident or maintenance touches. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "statuspage_internal.h"

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
	l->v = sp_grow(l->v, l->n, &l->cap, sizeof(*l->v));
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
static void io_add_component(struct sp_builder *b, const cJSON *j, const char *const *id_keys,
			     const cJSON *names, const cJSON *group, struct id_list *hidden)
{
	const char *id = sp_jstr_any(j, id_keys);
	const char *name = sp_jstr(j, "name");
	struct sp_component *c;
	const cJSON *n;

	if (b->sp->n_components >= SP_MAX_COMPONENTS)
		return;
	if (cJSON_IsTrue(sp_jget(j, "hidden")) || (group && cJSON_IsTrue(sp_jget(group, "hidden")))) {
		id_list_add(hidden, id);
		return;
	}
	if (!name && id) {
		cJSON_ArrayForEach(n, names) {
			const char *nid = sp_jstr(n, "id");
			if (nid && strcmp(nid, id) == 0) {
				name = sp_jstr(n, "name");
				break;
			}
		}
	}
	if (!name)
		return;
	c = sp_add_component(b);
	c->id = sp_page_text(id, SP_TEXT_MAX, 0);
	c->name = sp_page_text(name, SP_TEXT_MAX, 0);
	c->group_name = group ? sp_jtext(group, "name") : xstrdup("");
	c->group_id = group ? sp_jtext(group, "id") : xstrdup("");
	c->status = SP_COMPONENT_OPERATIONAL;
	c->status_raw = xstrdup("operational");
}

static void io_parse_components(struct sp_builder *b, const cJSON *summary)
{
	static const char *const flat_id[] = { "id", NULL };
	static const char *const status_keys[] = { "status", "current_status", NULL };
	struct statuspage *sp = b->sp;
	const cJSON *names = sp_jarray(summary, "components");
	const cJSON *structure = sp_jobject(summary, "structure");
	const cJSON *items = sp_jarray(structure, "items");
	const cJSON *affected = sp_jarray(summary, "affected_components");
	struct id_list hidden = { 0 };
	const cJSON *j, *k;
	size_t seen = 0;

	sp->has_components = names || items;
	sp->components_complete = true;
	cJSON_ArrayForEach(j, items) {
		const cJSON *group = sp_jobject(j, "group");
		const cJSON *comp = sp_jobject(j, "component");

		if (sp->n_components >= SP_MAX_COMPONENTS)
			break;
		if (group) {
			cJSON_ArrayForEach(k, sp_jarray(group, "components"))
				io_add_component(b, k, io_component_id, names, group, &hidden);
		} else if (comp) {
			io_add_component(b, comp, io_component_id, names, NULL, &hidden);
		}
	}
	/* Components the structure does not place (or a payload without one); a
	 * component the structure hides stays out. */
	cJSON_ArrayForEach(j, names) {
		const char *id = sp_jstr(j, "id");

		if (sp->n_components >= SP_MAX_COMPONENTS)
			break;
		if (id && (component_name_by_id(sp, id) || id_list_has(&hidden, id)))
			continue;
		io_add_component(b, j, flat_id, NULL, NULL, &hidden);
	}
	free(hidden.v);
	cJSON_ArrayForEach(j, affected) {
		const char *id = sp_jstr_any(j, io_component_id);
		const char *status = sp_jstr_any(j, status_keys);

		if (++seen > SP_MAX_COMPONENTS)
			break;
		if (!id)
			continue;
		for (size_t i = 0; i < sp->n_components; i++) {
			struct sp_component *c = &sp->components[i];

			if (strcmp(c->id, id) != 0)
				continue;
			sp_set_text(&c->status_raw, sp_page_text(status, SP_TEXT_MAX, 0));
			c->status = statuspage_component_status_from(status);
		}
	}
}

/* Adds (or worsens) a component named by a widget's affected_components entry. */
static void widget_note_component(struct sp_builder *b, const cJSON *j, const char *fallback_status)
{
	struct statuspage *sp = b->sp;
	const char *name = sp_jstr(j, "name");
	const char *status = sp_jstr_any(j, (const char *const[]){ "current_status", "status", NULL });
	char *tname, *tgroup;
	enum sp_component_status st;
	struct sp_component *c;

	if (!status)
		status = fallback_status;
	if (!name || !status || b->widget_budget == 0)
		return;
	b->widget_budget--;
	st = statuspage_component_status_from(status);
	tname = sp_page_text(name, SP_TEXT_MAX, 0);
	tgroup = sp_jtext(j, "group_name");
	for (size_t i = 0; i < sp->n_components; i++) {
		c = &sp->components[i];
		if (strcmp(c->name, tname) != 0 || strcmp(c->group_name, tgroup) != 0)
			continue;
		if (statuspage_component_status_rank(st) > statuspage_component_status_rank(c->status)) {
			c->status = st;
			sp_set_text(&c->status_raw, sp_page_text(status, SP_TEXT_MAX, 0));
		}
		free(tname);
		free(tgroup);
		return;
	}
	c = sp_add_component(b);
	if (!c) {
		free(tname);
		free(tgroup);
		return;
	}
	c->id = sp_jtext(j, "id");
	c->name = tname;
	c->group_name = tgroup;
	c->group_id = xstrdup("");
	c->status = st;
	c->status_raw = sp_page_text(status, SP_TEXT_MAX, 0);
}

/* An incident or maintenance in either incident.io shape. default_status fills
 * in for the widget's maintenance lists, whose list already says the status. */
static void io_parse_event(struct sp_builder *b, const cJSON *j, bool maintenance,
			   const char *default_status, bool widget)
{
	static const char *const created[] = { "published_at", "created_at", "started_at", "starts_at", NULL };
	static const char *const updated[] = { "last_update_at", "updated_at", NULL };
	static const char *const start[] = { "starts_at", "scheduled_for", "start_at", "started_at", NULL };
	static const char *const end[] = { "ends_at", "scheduled_until", "end_at", "scheduled_end_at", NULL };
	static const char *const upd_status[] = { "to_status", "status", NULL };
	static const char *const upd_body[] = { "message_string", "message", "body", NULL };
	static const char *const upd_time[] = { "published_at", "created_at", "updated_at", NULL };
	const char *id = sp_jstr(j, "id");
	const char *name = sp_jstr(j, "name");
	const char *status = sp_jstr(j, "status");
	const char *impact = sp_jstr(j, "current_worst_impact");
	const char *maint_status = maintenance ? "under_maintenance" : NULL;
	size_t cap_c = 0, cap_u = 0, seen = 0;
	struct sp_incident *in;
	const cJSON *x;

	if (!id && !name)
		return;
	if (!status)
		status = default_status;
	in = sp_add_event(b, maintenance);
	if (!in)
		return;
	in->id = sp_page_text(id, SP_TEXT_MAX, 0);
	in->name = sp_page_text(name, SP_TEXT_MAX, 0);
	in->status = sp_page_text(status, SP_TEXT_MAX, 0);
	in->state = statuspage_state_from(status);
	in->created_at = sp_jtime_any(j, created);
	in->updated_at = sp_jtime_any(j, updated);
	in->shortlink = sp_jtext(j, "url");
	if (maintenance) {
		in->scheduled_for = sp_jtime_any(j, start);
		in->scheduled_until = sp_jtime_any(j, end);
	}
	cJSON_ArrayForEach(x, sp_jarray(j, "affected_components")) {
		const char *cid;
		const char *cname = sp_jstr(x, "name");
		const char *cstat = sp_jstr_any(x, (const char *const[]){ "status", "current_status", NULL });

		if (++seen > SP_MAX_AFFECTED)
			break;
		cid = sp_jstr_any(x, io_component_id);
		if (!cname)
			cname = component_name_by_id(b->sp, cid);
		sp_incident_add_component(in, &cap_c, cname);
		/* the worst impact on any component is the incident's impact */
		if (!maintenance && !sp_jstr(j, "current_worst_impact") && cstat &&
		    (!impact || statuspage_component_status_rank(statuspage_component_status_from(cstat)) >
				statuspage_component_status_rank(statuspage_component_status_from(impact))))
			impact = cstat;
		if (widget && !(maintenance && in->state == SP_STATE_SCHEDULED))
			widget_note_component(b, x, maint_status);
	}
	if (maintenance && !impact)
		impact = "maintenance";
	in->impact_raw = sp_page_text(impact, SP_TEXT_MAX, 0);
	in->impact = sp_impact_from(impact);
	cJSON_ArrayForEach(x, sp_jarray(j, "updates")) {
		struct sp_update *u;

		if (!cJSON_IsObject(x))
			continue;
		u = sp_incident_add_update(in, &cap_u);
		if (!u)
			break;
		sp_fill_update(u, sp_jstr(x, "id"), sp_jstr_any(x, upd_status), sp_jstr_any(x, upd_body),
			    sp_jtime_any(x, upd_time));
	}
	if (in->n_updates == 0 && sp_jstr(j, "last_update_message")) {
		struct sp_update *u = sp_incident_add_update(in, &cap_u);

		sp_fill_update(u, NULL, status, sp_jstr(j, "last_update_message"), in->updated_at);
	}
	sp_sort_updates(in);
	if (!in->updated_at && in->n_updates)
		in->updated_at = in->updates[0].at;
	sp_incident_fill_blanks(in);
}

void sp_parse_incidentio(struct sp_builder *b, const cJSON *summary)
{
	struct statuspage *sp = b->sp;
	const cJSON *incidents = sp_jarray(summary, "ongoing_incidents");
	const cJSON *scheduled = sp_jarray(summary, "scheduled_maintenances");
	const cJSON *running = sp_jarray(summary, "in_progress_maintenances");
	const cJSON *j;

	sp->source = SP_SOURCE_INCIDENTIO;
	sp_set_text(&sp->name, sp_jtext(summary, "name"));
	sp_set_text(&sp->url, sp_page_text(sp_jstr_any(summary, (const char *const[]){ "public_url", "url", NULL }),
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

void sp_parse_widget(struct sp_builder *b, const cJSON *root)
{
	struct statuspage *sp = b->sp;
	const cJSON *incidents = sp_jarray(root, "ongoing_incidents");
	const cJSON *scheduled = sp_jarray(root, "scheduled_maintenances");
	const cJSON *running = sp_jarray(root, "in_progress_maintenances");
	const cJSON *j;

	sp->source = SP_SOURCE_INCIDENTIO_WIDGET;
	sp_set_text(&sp->name, sp_jtext(root, "page_title"));
	sp_set_text(&sp->url, sp_jtext(root, "page_url"));
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
