/* diagnose_component.c: one component's state as every view shows it: our
 * probes and the official word, read with the verdict, so that a local verdict
 * puts no component in an outage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sanitize.h"

#include "diagnose_internal.h"

static int comp_rank(enum assess_component s)
{
	switch (s) {
	case ASSESS_COMPONENT_OPERATIONAL: return 1;
	case ASSESS_COMPONENT_MAINTENANCE: return 2;
	case ASSESS_COMPONENT_DEGRADED: return 3;
	case ASSESS_COMPONENT_PARTIAL_OUTAGE: return 4;
	case ASSESS_COMPONENT_MAJOR_OUTAGE: return 5;
	default: return 0;
	}
}

enum assess_component dx_worse(enum assess_component a, enum assess_component b)
{
	return comp_rank(b) > comp_rank(a) ? b : a;
}

enum assess_component diagnose_component_state(const struct diagnose_input *in,
					       const char *component)
{
	enum assess_state *states;
	enum assess_official official = ASSESS_OFFICIAL_UNKNOWN;
	enum assess_component r;
	size_t n = 0;

	if (!in || !component)
		return ASSESS_COMPONENT_UNKNOWN;
	states = calloc(in->n_targets + 1, sizeof(*states));
	if (!states)
		return ASSESS_COMPONENT_UNKNOWN;
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];

		if (dx_is_service(t) && t->component && strcasecmp(t->component, component) == 0)
			states[n++] = t->state;
	}
	if (in->official.have_status) {
		const struct diagnose_official *o = &in->official;
		enum assess_component worst = ASSESS_COMPONENT_UNKNOWN;

		for (size_t i = 0; o->components && i < o->n_components; i++) {
			const struct diagnose_official_component *oc = &o->components[i];

			if (!oc->name || strcasecmp(oc->name, component) != 0)
				continue;
			if (comp_rank(dx_from_official(oc->status)) > comp_rank(worst)) {
				worst = dx_from_official(oc->status);
				official = oc->status;
			}
		}
	}
	r = assess_component_combine(states, n, official);
	free(states);
	return r;
}

static enum assess_official official_of_component(const struct diagnose_input *in, const char *component)
{
	const struct diagnose_official *o = &in->official;
	enum assess_component worst = ASSESS_COMPONENT_UNKNOWN;
	enum assess_official official = ASSESS_OFFICIAL_UNKNOWN;

	if (!o->have_status)
		return ASSESS_OFFICIAL_UNKNOWN;
	for (size_t i = 0; o->components && i < o->n_components; i++) {
		const struct diagnose_official_component *oc = &o->components[i];

		if (!oc->name || strcasecmp(oc->name, component) != 0)
			continue;
		if (comp_rank(dx_from_official(oc->status)) > comp_rank(worst)) {
			worst = dx_from_official(oc->status);
			official = oc->status;
		}
	}
	return official;
}

static bool is_outage(enum assess_component s)
{
	return s == ASSESS_COMPONENT_PARTIAL_OUTAGE || s == ASSESS_COMPONENT_MAJOR_OUTAGE;
}

int diagnose_component(const struct diagnose_input *in, const struct verdict *v, const char *component,
		       struct diagnose_component *out)
{
	enum assess_state *states;
	enum assess_official official;
	size_t n = 0;
	bool local, checking;

	if (!in || !v || !component || !out)
		return -EINVAL;
	out->state = out->ours = ASSESS_COMPONENT_UNKNOWN;
	out->reason = "";
	states = calloc(in->n_targets + 1, sizeof(*states));
	if (!states)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];

		/* a first failure is not a result yet: confirming reads as what it was */
		if (dx_is_service(t) && t->component && strcasecmp(t->component, component) == 0)
			states[n++] = t->state == ASSESS_CONFIRMING ? t->settled : t->state;
	}
	official = official_of_component(in, component);
	out->ours = assess_component_combine(states, n, ASSESS_OFFICIAL_UNKNOWN);
	local = v->state == VERDICT_LOCAL_PROBLEM;
	checking = v->state == VERDICT_UNKNOWN && v->cause == VERDICT_CAUSE_NO_DATA;
	if ((local || checking) && is_outage(out->ours)) {
		/* what fails from here says nothing of the service: leave it out */
		for (size_t i = 0; i < n; i++)
			if (states[i] == ASSESS_DOWN)
				states[i] = ASSESS_UNKNOWN;
		out->ours = assess_component_combine(states, n, ASSESS_OFFICIAL_UNKNOWN);
		out->reason = local ? DIAGNOSE_REASON_UNREACHABLE : DIAGNOSE_REASON_CHECKING;
	} else if (checking && out->ours == ASSESS_COMPONENT_UNKNOWN) {
		out->reason = DIAGNOSE_REASON_CHECKING;
	}
	out->state = assess_component_combine(states, n, official);
	if (out->state != ASSESS_COMPONENT_UNKNOWN)
		out->reason = ""; /* a target that answers, or the official word, speaks for it */
	free(states);
	return 0;
}
