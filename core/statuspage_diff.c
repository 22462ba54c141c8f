/* statuspage_diff.c: turning two polls of a status page into log lines.
 *
 * A struct statuspage_diff is a list the caller owns (the statuspage probe
 * fills one per poll and hands the changes to the event log); each change owns
 * its strings. The two pages are only read. Texts are built from strings the
 * parser already sanitized, flattened to one line and passed through
 * sanitize_dup once more, so a change's text is safe for any log or screen. */
#include "statuspage_diff.h"

#include "xalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "timefmt.h"

#define DIFF_LINE_MAX 1024   /* a change's text */
#define DIFF_BODY_MAX 600    /* the part of an update's body quoted in it */
#define DIFF_LIST_MAX 512    /* affected components, joined */

struct builder {
	struct statuspage_diff *d;
	size_t cap;
};

void statuspage_diff_init(struct statuspage_diff *d)
{
	d->changes = NULL;
	d->n_changes = 0;
}

void statuspage_diff_done(struct statuspage_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_changes; i++) {
		free(d->changes[i].component);
		free(d->changes[i].group);
		free(d->changes[i].incident_id);
		free(d->changes[i].text);
	}
	free(d->changes);
	d->changes = NULL;
	d->n_changes = 0;
}

const char *statuspage_diff_kind_name(enum sp_change_kind k)
{
	switch (k) {
	case SP_CHANGE_COMPONENT: return "component";
	case SP_CHANGE_INCIDENT_NEW: return "incident_new";
	case SP_CHANGE_INCIDENT_UPDATE: return "incident_update";
	case SP_CHANGE_INCIDENT_RESOLVED: return "incident_resolved";
	case SP_CHANGE_INCIDENT_KNOWN: return "incident_known";
	case SP_CHANGE_MAINTENANCE_SCHEDULED: return "maintenance_scheduled";
	case SP_CHANGE_MAINTENANCE_STARTED: return "maintenance_started";
	case SP_CHANGE_MAINTENANCE_COMPLETED: return "maintenance_completed";
	case SP_CHANGE_MAINTENANCE_KNOWN: return "maintenance_known";
	}
	return "unknown";
}

const char *statuspage_diff_severity_name(enum sp_severity s)
{
	switch (s) {
	case SP_SEVERITY_INFO: return "info";
	case SP_SEVERITY_WARNING: return "warning";
	case SP_SEVERITY_CRITICAL: return "critical";
	}
	return "info";
}

/* ---- text ---- */

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static void cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

/* Collapses every run of blanks and line breaks into one space, so that a
 * multi-paragraph body fits on a log line, and shortens it to max bytes with
 * "..." when it is longer. */
static char *one_line(const char *s, size_t max)
{
	size_t n = strlen(s), k = 0;
	char *out = xmalloc(n + 4);
	bool space = false;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = *s;
	}
	out[k] = '\0';
	if (k > max) {
		cut_utf8(out, max);
		strcat(out, "...");
	}
	return out;
}

static char *join_names(char **names, size_t n)
{
	size_t len = 1;
	char *out;

	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 2;
	out = xmalloc(len);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ", ");
		strcat(out, names[i]);
	}
	if (strlen(out) > DIFF_LIST_MAX) {
		cut_utf8(out, DIFF_LIST_MAX);
		strcat(out, "...");
	}
	return out;
}

static struct sp_change *push(struct builder *b, enum sp_change_kind kind, enum sp_severity sev)
{
	struct statuspage_diff *d = b->d;
	struct sp_change *c;

	if (d->n_changes >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		d->changes = xreallocarray(d->changes, cap, sizeof(*d->changes));
		b->cap = cap;
	}
	c = &d->changes[d->n_changes++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->severity = sev;
	c->old_status = SP_COMPONENT_UNKNOWN;
	c->new_status = SP_COMPONENT_UNKNOWN;
	return c;
}

static void set_line(struct sp_change *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_line(struct sp_change *c, const char *fmt, ...)
{
	va_list ap;
	char *raw;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_fail();
	raw = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	c->text = sanitize_dup(raw, DIFF_LINE_MAX, 0);
	free(raw);
	if (!c->text)
		c->text = xstrdup("");
}

/* A status in words; a word the parser did not know is shown as the page wrote it. */
static const char *status_words(enum sp_component_status s, const char *raw)
{
	if (s == SP_COMPONENT_UNKNOWN && raw && *raw)
		return raw;
	return statuspage_component_status_label(s);
}

static const char *impact_words(const struct sp_incident *in)
{
	if (in->impact != SP_INDICATOR_UNKNOWN)
		return statuspage_indicator_name(in->impact);
	return in->impact_raw;
}

static enum sp_severity impact_severity(enum sp_indicator i)
{
	switch (i) {
	case SP_INDICATOR_CRITICAL: return SP_SEVERITY_CRITICAL;
	case SP_INDICATOR_MAJOR:
	case SP_INDICATOR_MINOR:
	case SP_INDICATOR_UNKNOWN: return SP_SEVERITY_WARNING;
	case SP_INDICATOR_NONE:
	case SP_INDICATOR_MAINTENANCE: break;
	}
	return SP_SEVERITY_INFO;
}

static enum sp_severity status_severity(enum sp_component_status s)
{
	switch (s) {
	case SP_COMPONENT_MAJOR_OUTAGE: return SP_SEVERITY_CRITICAL;
	case SP_COMPONENT_PARTIAL_OUTAGE:
	case SP_COMPONENT_DEGRADED_PERFORMANCE:
	case SP_COMPONENT_UNKNOWN: return SP_SEVERITY_WARNING;
	case SP_COMPONENT_OPERATIONAL:
	case SP_COMPONENT_UNDER_MAINTENANCE: break;
	}
	return SP_SEVERITY_INFO;
}

/* ---- components ---- */

/* Pairs each new component with the old one it continues: same id first, then
 * (for the rest) the first unpaired one with the same name and group. Two
 * components may share a name, such as OpenAI's two "Login"s; ids keep each
 * with its own, and pairing in order does when there are no ids. match[i] is
 * the index in old, or -1. */
static void match_components(const struct statuspage *old, const struct statuspage *new,
			     long *match, bool *used)
{
	for (size_t i = 0; i < new->n_components; i++) {
		const struct sp_component *c = &new->components[i];

		match[i] = -1;
		if (!*c->id)
			continue;
		for (size_t k = 0; k < old->n_components; k++) {
			if (!used[k] && strcmp(old->components[k].id, c->id) == 0) {
				used[k] = true;
				match[i] = (long)k;
				break;
			}
		}
	}
	for (size_t i = 0; i < new->n_components; i++) {
		const struct sp_component *c = &new->components[i];

		if (match[i] >= 0)
			continue;
		for (size_t k = 0; k < old->n_components; k++) {
			const struct sp_component *o = &old->components[k];

			if (!used[k] && strcmp(o->name, c->name) == 0 &&
			    strcmp(o->group_name, c->group_name) == 0) {
				used[k] = true;
				match[i] = (long)k;
				break;
			}
		}
	}
}

static void component_change(struct builder *b, const struct sp_component *c,
			     enum sp_component_status from, const char *from_raw,
			     enum sp_component_status to, const char *to_raw, time_t at)
{
	struct sp_change *ch;

	if (from == to && (to != SP_COMPONENT_UNKNOWN || strcmp(from_raw, to_raw) == 0))
		return;
	ch = push(b, SP_CHANGE_COMPONENT, status_severity(to));
	ch->component = xstrdup(c->name);
	ch->group = xstrdup(c->group_name);
	ch->incident_id = xstrdup("");
	ch->old_status = from;
	ch->new_status = to;
	ch->at = at;
	if (*c->group_name && strcmp(c->group_name, c->name) != 0)
		set_line(ch, "component: %s / %s now %s (was %s)", c->group_name, c->name,
			 status_words(to, to_raw), status_words(from, from_raw));
	else
		set_line(ch, "component: %s now %s (was %s)", c->name, status_words(to, to_raw),
			 status_words(from, from_raw));
}

static void diff_components(struct builder *b, const struct statuspage *old,
			    const struct statuspage *new)
{
	bool *used;
	long *match;

	if (!old->has_components || !new->has_components)
		return;
	used = calloc(old->n_components + 1, sizeof(*used));
	match = calloc(new->n_components + 1, sizeof(*match));
	if (!used || !match)
		xalloc_fail();
	match_components(old, new, match, used);
	for (size_t i = 0; i < new->n_components; i++) {
		const struct sp_component *c = &new->components[i];

		if (c->is_group)
			continue;
		if (match[i] >= 0) {
			const struct sp_component *o = &old->components[match[i]];

			component_change(b, c, o->status, o->status_raw, c->status, c->status_raw,
					 c->updated_at ? c->updated_at : new->updated_at);
		} else if (!old->components_complete) {
			/* the old poll listed only troubled components: this one was fine */
			component_change(b, c, SP_COMPONENT_OPERATIONAL, "", c->status,
					 c->status_raw, new->updated_at);
		}
	}
	if (!new->components_complete) {
		for (size_t i = 0; i < old->n_components; i++) {
			const struct sp_component *o = &old->components[i];

			if (!used[i] && !o->is_group)
				component_change(b, o, o->status, o->status_raw,
						 SP_COMPONENT_OPERATIONAL, "", new->updated_at);
		}
	}
	free(used);
	free(match);
}

/* ---- incidents ---- */

static const struct sp_incident *find_event(const struct sp_incident *v, size_t n,
					    const struct sp_incident *x)
{
	for (size_t i = 0; i < n; i++) {
		if (*x->id || *v[i].id) {
			if (strcmp(v[i].id, x->id) == 0)
				return &v[i];
		} else if (strcmp(v[i].name, x->name) == 0) {
			return &v[i];
		}
	}
	return NULL;
}

static bool has_update(const struct sp_incident *in, const struct sp_update *u)
{
	for (size_t i = 0; i < in->n_updates; i++) {
		const struct sp_update *o = &in->updates[i];

		if (*u->id && *o->id) {
			if (strcmp(o->id, u->id) == 0)
				return true;
		} else if (o->at == u->at && strcmp(o->body, u->body) == 0) {
			return true;
		}
	}
	return false;
}

static struct sp_change *event_change(struct builder *b, enum sp_change_kind kind,
				      enum sp_severity sev, const struct sp_incident *in, time_t at)
{
	struct sp_change *ch = push(b, kind, sev);

	ch->component = join_names(in->components, in->n_components);
	ch->group = xstrdup("");
	ch->incident_id = xstrdup(in->id);
	ch->at = at;
	return ch;
}

static void incident_line(struct sp_change *ch, const char *lead, const struct sp_incident *in,
			  bool with_status)
{
	const char *impact = impact_words(in);

	if (*impact && with_status)
		set_line(ch, "%s: %s (impact %s, %s)", lead, in->name, impact, in->status);
	else if (*impact)
		set_line(ch, "%s: %s (impact %s)", lead, in->name, impact);
	else if (with_status && *in->status)
		set_line(ch, "%s: %s (%s)", lead, in->name, in->status);
	else
		set_line(ch, "%s: %s", lead, in->name);
}

static void diff_incidents(struct builder *b, const struct statuspage *old,
			   const struct statuspage *new)
{
	if (!old->has_incidents || !new->has_incidents)
		return;
	for (size_t i = 0; i < new->n_incidents; i++) {
		const struct sp_incident *in = &new->incidents[i];
		const struct sp_incident *was = find_event(old->incidents, old->n_incidents, in);
		struct sp_change *ch;

		if (statuspage_state_is_closed(in->state))
			continue;
		if (was && !statuspage_state_is_closed(was->state))
			continue;
		ch = event_change(b, SP_CHANGE_INCIDENT_NEW, impact_severity(in->impact), in,
				  in->created_at);
		incident_line(ch, "incident", in, false);
	}
	for (size_t i = 0; i < new->n_incidents; i++) {
		const struct sp_incident *in = &new->incidents[i];
		const struct sp_incident *was = find_event(old->incidents, old->n_incidents, in);

		if (!was || statuspage_state_is_closed(was->state))
			continue;
		/* updates are newest first; the log reads oldest first */
		for (size_t k = in->n_updates; k-- > 0;) {
			const struct sp_update *u = &in->updates[k];
			struct sp_change *ch;
			char *body;

			if (has_update(was, u))
				continue;
			ch = event_change(b, SP_CHANGE_INCIDENT_UPDATE, SP_SEVERITY_INFO, in, u->at);
			body = one_line(u->body, DIFF_BODY_MAX);
			if (*u->status)
				set_line(ch, "update: %s (%s): %s", in->name, u->status, body);
			else
				set_line(ch, "update: %s: %s", in->name, body);
			free(body);
		}
	}
	for (size_t i = 0; i < old->n_incidents; i++) {
		const struct sp_incident *was = &old->incidents[i];
		const struct sp_incident *in = find_event(new->incidents, new->n_incidents, was);
		struct sp_change *ch;
		time_t at;

		if (statuspage_state_is_closed(was->state))
			continue;
		if (in && !statuspage_state_is_closed(in->state))
			continue;
		at = new->updated_at;
		if (in)
			at = in->n_updates ? in->updates[0].at : in->updated_at;
		ch = event_change(b, SP_CHANGE_INCIDENT_RESOLVED, SP_SEVERITY_INFO, in ? in : was, at);
		if (in)
			set_line(ch, "incident resolved: %s", in->name);
		else
			set_line(ch, "incident resolved: %s (no longer listed)", was->name);
	}
}

/* ---- maintenances ---- */

enum phase { PHASE_OTHER, PHASE_SCHEDULED, PHASE_RUNNING, PHASE_DONE };

static enum phase phase_of(const struct sp_incident *m)
{
	switch (m->state) {
	case SP_STATE_SCHEDULED: return PHASE_SCHEDULED;
	case SP_STATE_IN_PROGRESS:
	case SP_STATE_VERIFYING: return PHASE_RUNNING;
	case SP_STATE_COMPLETED:
	case SP_STATE_RESOLVED:
	case SP_STATE_POSTMORTEM: return PHASE_DONE;
	default: break;
	}
	return PHASE_OTHER;
}

static void maintenance_line(struct sp_change *ch, const char *lead, const struct sp_incident *m,
			     bool window)
{
	char from[TIMEFMT_ISO_LEN], until[TIMEFMT_ISO_LEN];

	timefmt_iso_utc(m->scheduled_for, from, sizeof(from));
	timefmt_iso_utc(m->scheduled_until, until, sizeof(until));
	if (window && m->scheduled_for && m->scheduled_until)
		set_line(ch, "%s: %s (%s to %s)", lead, m->name, from, until);
	else if (window && m->scheduled_until)
		set_line(ch, "%s: %s (until %s)", lead, m->name, until);
	else
		set_line(ch, "%s: %s", lead, m->name);
}

static void maintenance_change(struct builder *b, enum sp_change_kind kind,
			       const struct sp_incident *m, const char *lead, bool window, time_t at)
{
	struct sp_change *ch = event_change(b, kind, SP_SEVERITY_INFO, m, at);

	maintenance_line(ch, lead, m, window);
}

static void diff_maintenances(struct builder *b, const struct statuspage *old,
			      const struct statuspage *new)
{
	if (!old->has_maintenances || !new->has_maintenances)
		return;
	for (size_t i = 0; i < new->n_maintenances; i++) {
		const struct sp_incident *m = &new->maintenances[i];
		const struct sp_incident *was = find_event(old->maintenances, old->n_maintenances, m);
		enum phase now = phase_of(m), before = was ? phase_of(was) : PHASE_OTHER;
		time_t at = m->n_updates ? m->updates[0].at : m->updated_at;

		if (!was) {
			if (now == PHASE_RUNNING)
				maintenance_change(b, SP_CHANGE_MAINTENANCE_STARTED, m,
						   "maintenance started", true, at);
			else if (now != PHASE_DONE)
				maintenance_change(b, SP_CHANGE_MAINTENANCE_SCHEDULED, m,
						   "maintenance scheduled", true, at);
		} else if (now == PHASE_RUNNING && before != PHASE_RUNNING && before != PHASE_DONE) {
			maintenance_change(b, SP_CHANGE_MAINTENANCE_STARTED, m, "maintenance started",
					   true, at);
		} else if (now == PHASE_DONE && before != PHASE_DONE) {
			maintenance_change(b, SP_CHANGE_MAINTENANCE_COMPLETED, m,
					   "maintenance completed", false, at);
		}
	}
	for (size_t i = 0; i < old->n_maintenances; i++) {
		const struct sp_incident *was = &old->maintenances[i];

		if (phase_of(was) == PHASE_DONE ||
		    find_event(new->maintenances, new->n_maintenances, was))
			continue;
		if (phase_of(was) == PHASE_RUNNING)
			maintenance_change(b, SP_CHANGE_MAINTENANCE_COMPLETED, was,
					   "maintenance completed", false, new->updated_at);
		else
			maintenance_change(b, SP_CHANGE_MAINTENANCE_COMPLETED, was,
					   "maintenance no longer listed", false, new->updated_at);
	}
}

/* ---- first poll ---- */

static void known_at_start(struct builder *b, const struct statuspage *new)
{
	for (size_t i = 0; i < new->n_incidents; i++) {
		const struct sp_incident *in = &new->incidents[i];
		struct sp_change *ch;

		if (statuspage_state_is_closed(in->state))
			continue;
		ch = event_change(b, SP_CHANGE_INCIDENT_KNOWN, impact_severity(in->impact), in,
				  in->created_at);
		incident_line(ch, "incident already open", in, true);
	}
	for (size_t i = 0; i < new->n_maintenances; i++) {
		const struct sp_incident *m = &new->maintenances[i];
		enum phase p = phase_of(m);

		if (p == PHASE_RUNNING)
			maintenance_change(b, SP_CHANGE_MAINTENANCE_KNOWN, m, "maintenance in progress",
					   true, m->scheduled_for);
		else if (p != PHASE_DONE)
			maintenance_change(b, SP_CHANGE_MAINTENANCE_KNOWN, m, "maintenance scheduled",
					   true, m->scheduled_for);
	}
}

int statuspage_diff_compute(struct statuspage_diff *d, const struct statuspage *old,
			    const struct statuspage *new)
{
	struct builder b = { .d = d };

	if (!d)
		return -1;
	b.cap = d->n_changes;
	if (!new)
		return 0;
	if (!old) {
		known_at_start(&b, new);
		return 0;
	}
	diff_components(&b, old, new);
	diff_incidents(&b, old, new);
	diff_maintenances(&b, old, new);
	return 0;
}
