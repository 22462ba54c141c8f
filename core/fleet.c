/* fleet.c: several services watched together (see fleet.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"
#include "fleet.h"
#include "history_file.h"

/* A shared control: the result of target from_t of service from reaches
 * target to_t of service to. */
struct forward {
	size_t from, from_t, to, to_t;
};

struct member {
	struct fleet *f;
	size_t index;
	struct monitor *m;
	bool done;
};

struct fleet {
	struct member *members;
	size_t n;
	const struct monitor **monitors; /* the members' monitors, in order */
	struct eventlog *log;            /* one for all, each event naming its service */
	bool load_log;
	struct forward *forwards;
	size_t n_forwards;
	fleet_fn on_change, on_done;
	void *change_data, *done_data;
	bool finished;
};

static void on_sample(struct monitor *m, size_t i, const struct sample *s, bool final, void *data)
{
	struct member *me = data;
	struct fleet *f = me->f;

	(void)m;
	for (size_t k = 0; k < f->n_forwards; k++) {
		const struct forward *fw = &f->forwards[k];

		if (fw->from == me->index && fw->from_t == i)
			monitor_feed_sample(f->members[fw->to].m, fw->to_t, s, final);
	}
}

static bool in_outage(enum verdict_state s)
{
	return s == VERDICT_PARTIAL_OUTAGE || s == VERDICT_MAJOR_OUTAGE;
}

/* The first other service of i's group that is operational, or NULL. */
static const char *fallback_for(const struct fleet *f, size_t i)
{
	const struct config *ci = monitor_config(f->members[i].m);

	if (!ci->group || !in_outage(monitor_verdict(f->members[i].m)->state))
		return NULL;
	for (size_t j = 0; j < f->n; j++) {
		const struct config *cj = monitor_config(f->members[j].m);

		if (j != i && cj->group && strcmp(cj->group, ci->group) == 0 &&
		    monitor_verdict(f->members[j].m)->state == VERDICT_OPERATIONAL)
			return cj->service;
	}
	return NULL;
}

/* Sets every service's fallback; true when one changed. */
static bool update_fallbacks(struct fleet *f)
{
	bool changed = false;

	for (size_t i = 0; i < f->n; i++) {
		const char *name = fallback_for(f, i), *now = monitor_verdict(f->members[i].m)->fallback;

		if (strcmp(name ? name : "", now) != 0) {
			monitor_set_fallback(f->members[i].m, name);
			changed = true;
		}
	}
	return changed;
}

static void on_member_change(struct monitor *m, void *data)
{
	struct member *me = data;
	struct fleet *f = me->f;

	(void)m;
	update_fallbacks(f);
	if (f->on_change)
		f->on_change(f, f->change_data);
}

static void on_member_done(struct monitor *m, void *data)
{
	struct member *me = data;
	struct fleet *f = me->f;

	(void)m;
	me->done = true;
	for (size_t i = 0; i < f->n; i++)
		if (!f->members[i].done)
			return;
	/* every verdict up to date, then the fallbacks they imply, then the
	 * verdicts again with them */
	for (size_t i = 0; i < f->n; i++)
		monitor_settle(f->members[i].m);
	if (update_fallbacks(f))
		for (size_t i = 0; i < f->n; i++)
			monitor_settle(f->members[i].m);
	f->finished = true;
	if (f->on_done)
		f->on_done(f, f->done_data);
}

/* Control targets of later services that an earlier one already has are
 * mirrored from it. */
static int share_controls(struct fleet *f)
{
	for (size_t i = 1; i < f->n; i++) {
		const struct config *ci = monitor_config(f->members[i].m);

		for (size_t t = 0; t < ci->n_targets; t++) {
			char *key;
			bool found = false;

			if (ci->targets[t].role != TARGET_ROLE_CONTROL)
				continue;
			key = history_file_key(&ci->targets[t]);
			if (!key)
				return -1;
			for (size_t j = 0; j < i && !found; j++) {
				const struct config *cj = monitor_config(f->members[j].m);

				for (size_t u = 0; u < cj->n_targets && !found; u++) {
					char *other;
					struct forward *grown;

					if (cj->targets[u].role != TARGET_ROLE_CONTROL)
						continue;
					other = history_file_key(&cj->targets[u]);
					if (!other) {
						free(key);
						return -1;
					}
					found = strcmp(key, other) == 0;
					free(other);
					if (!found)
						continue;
					grown = realloc(f->forwards, (f->n_forwards + 1) * sizeof(*grown));
					if (!grown) {
						free(key);
						return -1;
					}
					f->forwards = grown;
					/* from its owner: j's target may itself be mirrored */
					f->forwards[f->n_forwards++] = (struct forward){j, u, i, t};
					for (size_t k = 0; k + 1 < f->n_forwards; k++)
						if (f->forwards[k].to == j && f->forwards[k].to_t == u) {
							f->forwards[f->n_forwards - 1].from = f->forwards[k].from;
							f->forwards[f->n_forwards - 1].from_t = f->forwards[k].from_t;
						}
					monitor_mirror_target(f->members[i].m, t);
				}
			}
			free(key);
		}
	}
	return 0;
}

struct fleet *fleet_new(uv_loop_t *loop, struct config_set *set, const struct monitor_options *o, char *err,
			size_t errlen)
{
	struct fleet *f = calloc(1, sizeof(*f));
	struct eventlog_options lo = {.memory_only = o->memory_only_log, .read_only = o->read_only_log};

	if (!f || !(f->members = calloc(set->n ? set->n : 1, sizeof(*f->members))) ||
	    !(f->monitors = calloc(set->n ? set->n : 1, sizeof(*f->monitors))) ||
	    !(f->log = eventlog_new(loop, o->memory_only_log ? NULL : o->log_path, &lo))) {
		snprintf(err, errlen, "out of memory");
		fleet_free(f);
		return NULL;
	}
	f->load_log = !o->memory_only_log;
	for (size_t i = 0; i < set->n; i++) {
		struct member *me = &f->members[i];
		struct monitor_options mo = *o;

		me->f = f;
		me->index = i;
		mo.shared_log = f->log;
		mo.event_service = set->services[i]->service; /* the monitor's config from now on */
		me->m = monitor_new(loop, set->services[i], &mo, err, errlen);
		f->monitors[i] = me->m;
		set->services[i] = NULL; /* the monitor's now, whatever happened */
		if (!me->m)
			goto fail;
		f->n = i + 1;
		monitor_on_sample(me->m, on_sample, me);
		monitor_on_change(me->m, on_member_change, me);
		monitor_on_done(me->m, on_member_done, me);
	}
	if (share_controls(f) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return f;
fail:
	fleet_free(f);
	return NULL;
}

void fleet_free(struct fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		monitor_free(f->members[i].m);
	/* after the monitors, which log as they stop */
	eventlog_free(f->log);
	free(f->members);
	free(f->monitors);
	free(f->forwards);
	free(f);
}

void fleet_start(struct fleet *f)
{
	if (f->load_log)
		eventlog_load(f->log, NULL);
	for (size_t i = 0; i < f->n; i++)
		monitor_start(f->members[i].m);
}

struct eventlog *fleet_events(const struct fleet *f)
{
	return f->log;
}

const struct monitor *const *fleet_monitors(const struct fleet *f)
{
	return f->monitors;
}

size_t fleet_count(const struct fleet *f)
{
	return f->n;
}

struct monitor *fleet_monitor(const struct fleet *f, size_t i)
{
	return i < f->n ? f->members[i].m : NULL;
}

size_t fleet_mirrored(const struct fleet *f, size_t i)
{
	size_t n = 0;

	for (size_t k = 0; k < f->n_forwards; k++)
		n += f->forwards[k].to == i;
	return n;
}

void fleet_on_change(struct fleet *f, fleet_fn fn, void *data)
{
	f->on_change = fn;
	f->change_data = data;
}

void fleet_on_done(struct fleet *f, fleet_fn fn, void *data)
{
	f->on_done = fn;
	f->done_data = data;
}

bool fleet_finished(const struct fleet *f)
{
	return f->finished;
}

/* How bad a verdict is, to pick the worst: a local problem first (it is
 * everyone's), then the outages. */
static int severity(enum verdict_state s)
{
	switch (s) {
	case VERDICT_LOCAL_PROBLEM: return 6;
	case VERDICT_MAJOR_OUTAGE: return 5;
	case VERDICT_PARTIAL_OUTAGE: return 4;
	case VERDICT_DEGRADED: return 3;
	case VERDICT_MAINTENANCE: return 2;
	case VERDICT_UNKNOWN: return 1;
	case VERDICT_OPERATIONAL: return 0;
	}
	return 1;
}

void fleet_verdict(const struct fleet *f, struct verdict *out, size_t *worst)
{
	size_t w = 0;
	char summary[VERDICT_SUMMARY_LEN];

	for (size_t i = 1; i < f->n; i++)
		if (severity(monitor_verdict(f->members[i].m)->state) > severity(monitor_verdict(f->members[w].m)->state))
			w = i;
	*out = *monitor_verdict(f->members[w].m);
	if (worst)
		*worst = w;
	if (out->state == VERDICT_OPERATIONAL) {
		snprintf(out->summary, sizeof(out->summary), "all good: %zu services answer normally", f->n);
		out->fallback[0] = '\0';
	} else if (out->state != VERDICT_LOCAL_PROBLEM) {
		/* which one, when several are watched */
		int len = snprintf(summary, sizeof(summary), "%s: ", monitor_config(f->members[w].m)->service);

		if (len > 0 && (size_t)len < sizeof(summary)) {
			snprintf(summary + len, sizeof(summary) - (size_t)len, "%.*s", (int)(sizeof(summary) - (size_t)len - 1),
				 out->summary);
			memcpy(out->summary, summary, sizeof(out->summary));
		}
	}
}
