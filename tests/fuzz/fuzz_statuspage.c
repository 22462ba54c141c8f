/* fuzz_statuspage.c: status page bodies, Statuspage v2, incident.io, Google
 * Cloud's incidents.json, Flashduty, Instatus and Datadog.
 *
 * The input is up to three response bodies separated by FUZZ_SEPARATOR: the
 * first poll, the second poll, and a components.json merged into the first
 * (a one-part input plays all three). Each is parsed; the third is merged
 * into the first; then the changes from nothing to the first poll and from
 * the first to the second are computed, as the statuspage probe does.
 * Besides not crashing: every text kept is clean (only update bodies keep
 * newlines), the caps on counts hold, a failed parse leaves an empty page and
 * says why in one line, and every change is one clean line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "statuspage.h"
#include "statuspage_diff.h"
#include "fuzz_util.h"

static void check_incident(const struct sp_incident *in)
{
	FUZZ_CLEAN(in->id, false);
	FUZZ_CLEAN(in->name, false);
	FUZZ_CLEAN(in->status, false);
	FUZZ_CLEAN(in->impact_raw, false);
	FUZZ_CLEAN(in->shortlink, false);
	FUZZ_ASSERT(in->state <= SP_STATE_UNKNOWN);
	FUZZ_ASSERT(in->impact <= SP_INDICATOR_UNKNOWN);
	FUZZ_ASSERT(in->n_components <= 500 && in->n_updates <= 500);
	FUZZ_ASSERT(in->n_components == 0 || in->components != NULL);
	FUZZ_ASSERT(in->n_updates == 0 || in->updates != NULL);
	for (size_t i = 0; i < in->n_components; i++)
		FUZZ_CLEAN(in->components[i], false);
	for (size_t i = 0; i < in->n_updates; i++) {
		const struct sp_update *u = &in->updates[i];

		FUZZ_CLEAN(u->id, false);
		FUZZ_CLEAN(u->status, false);
		FUZZ_CLEAN(u->body, true);
		FUZZ_ASSERT(u->state <= SP_STATE_UNKNOWN);
		/* newest first */
		if (i > 0)
			FUZZ_ASSERT(in->updates[i - 1].at >= u->at);
	}
}

static void check_page(const struct statuspage *sp)
{
	enum sp_component_status worst;

	FUZZ_ASSERT(sp->source <= SP_SOURCE_DATADOG);
	FUZZ_ASSERT(sp->indicator <= SP_INDICATOR_UNKNOWN);
	FUZZ_CLEAN(sp->name, false);
	FUZZ_CLEAN(sp->url, false);
	FUZZ_CLEAN(sp->indicator_raw, false);
	FUZZ_CLEAN(sp->description, false);
	FUZZ_ASSERT(sp->n_components <= 2000);
	FUZZ_ASSERT(sp->n_incidents <= 500 && sp->n_maintenances <= 500);
	for (size_t i = 0; i < sp->n_components; i++) {
		const struct sp_component *c = &sp->components[i];

		FUZZ_CLEAN(c->id, false);
		FUZZ_CLEAN(c->name, false);
		FUZZ_CLEAN(c->group_name, false);
		FUZZ_CLEAN(c->group_id, false);
		FUZZ_CLEAN(c->status_raw, false);
		FUZZ_ASSERT(c->status <= SP_COMPONENT_UNKNOWN);
		FUZZ_ASSERT(statuspage_find_component(sp, c->name, c->group_name) != NULL);
	}
	for (size_t i = 0; i < sp->n_incidents; i++)
		check_incident(&sp->incidents[i]);
	for (size_t i = 0; i < sp->n_maintenances; i++)
		check_incident(&sp->maintenances[i]);

	/* the lookups the monitor makes with a configured component name */
	FUZZ_ASSERT(statuspage_worst_status(sp, "API", &worst) >= 0);
	FUZZ_ASSERT(worst <= SP_COMPONENT_UNKNOWN);
	if (sp->n_components > 0 && sp->components[0].name[0] != '\0') {
		FUZZ_ASSERT(statuspage_worst_status(sp, sp->components[0].name, &worst) >= 1);
		FUZZ_ASSERT(worst <= SP_COMPONENT_UNKNOWN);
	}
	statuspage_worst_status(sp, "ChatGPT/Login", &worst);
}

static void check_failed(const struct statuspage *sp, int rc, const char *err)
{
	FUZZ_ASSERT(rc == SP_ERR_EMPTY || rc == SP_ERR_HTML || rc == SP_ERR_JSON ||
		    rc == SP_ERR_SHAPE);
	FUZZ_MESSAGE(err);
	FUZZ_ASSERT(sp->n_components == 0 && sp->n_incidents == 0 && sp->n_maintenances == 0);
}

static int parse(struct statuspage *sp, const struct fuzz_part *part, const char *content_type)
{
	char err[256];
	int rc = statuspage_parse(sp, part->data, part->len, content_type, err, sizeof(err));

	if (rc == SP_OK)
		check_page(sp);
	else
		check_failed(sp, rc, err);
	return rc;
}

static void check_diff(const struct statuspage *old, const struct statuspage *new)
{
	struct statuspage_diff d;

	statuspage_diff_init(&d);
	FUZZ_ASSERT(statuspage_diff_compute(&d, old, new) == 0);
	for (size_t i = 0; i < d.n_changes; i++) {
		const struct sp_change *c = &d.changes[i];

		FUZZ_ASSERT(c->kind <= SP_CHANGE_MAINTENANCE_KNOWN);
		FUZZ_ASSERT(c->severity <= SP_SEVERITY_CRITICAL);
		FUZZ_CLEAN(c->component, false);
		FUZZ_CLEAN(c->group, false);
		FUZZ_CLEAN(c->incident_id, false);
		FUZZ_ASSERT(c->text != NULL && c->text[0] != '\0');
		FUZZ_CLEAN(c->text, false);
		FUZZ_ASSERT(statuspage_diff_kind_name(c->kind) != NULL);
		FUZZ_ASSERT(statuspage_diff_severity_name(c->severity) != NULL);
	}
	statuspage_diff_done(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[3];
	size_t n = fuzz_split(data, size, parts, 3);
	const struct fuzz_part *first = &parts[0];
	const struct fuzz_part *second = n > 1 ? &parts[1] : &parts[0];
	const struct fuzz_part *comps = n > 2 ? &parts[2] : &parts[0];
	struct statuspage a, b;
	char err[256];
	int rc_a, rc_b, rc;

	rc_a = parse(&a, first, NULL);
	rc_b = parse(&b, second, "application/json; charset=utf-8");

	rc = statuspage_merge_components(&a, comps->data, comps->len, "application/json", err,
					 sizeof(err));
	if (rc == SP_OK)
		check_page(&a);
	else
		FUZZ_MESSAGE(err);

	check_diff(NULL, rc_a == SP_OK ? &a : &b);
	if (rc_a == SP_OK && rc_b == SP_OK)
		check_diff(&a, &b);

	statuspage_done(&a);
	statuspage_done(&b);
	return 0;
}
