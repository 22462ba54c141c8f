/* monitor_page.c: following the official status page: each poll's picture is
 * kept beside the last one, their differences become events (new incidents,
 * updates, resolutions, component changes), a fetch error is kept for the views. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sanitize.h"
#include "statuspage_diff.h"
#include "timefmt.h"

#include "monitor_internal.h"

static void set_fetch_error(struct mtarget *mt, const char *msg)
{
	if (strcmp(mt->fetch_error, msg) != 0 && msg[0])
		mon_log(mt->m, EVENT_WARNING, EVENT_SRC_OFFICIAL, "", mt->t->name,
			      "cannot read the status page: %s", msg);
	snprintf(mt->fetch_error, sizeof(mt->fetch_error), "%s", msg);
}

static const struct sp_incident *find_incident(const struct statuspage *sp, const char *id)
{
	for (size_t i = 0; i < sp->n_incidents; i++)
		if (strcmp(sp->incidents[i].id, id) == 0)
			return &sp->incidents[i];
	for (size_t i = 0; i < sp->n_maintenances; i++)
		if (strcmp(sp->maintenances[i].id, id) == 0)
			return &sp->maintenances[i];
	return NULL;
}

static void log_page_changes(struct mtarget *mt, const struct statuspage *old, const struct statuspage *new)
{
	struct statuspage_diff d;

	statuspage_diff_init(&d);
	if (statuspage_diff_compute(&d, old, new) == 0) {
		for (size_t i = 0; i < d.n_changes; i++) {
			const struct sp_change *c = &d.changes[i];
			const struct sp_incident *inc = c->incident_id[0] ? find_incident(new, c->incident_id) : NULL;
			struct event ev = {
				.time = 0,
				.severity = c->severity == SP_SEVERITY_CRITICAL ? EVENT_CRITICAL :
					    c->severity == SP_SEVERITY_WARNING ? EVENT_WARNING : EVENT_INFO,
				.source = EVENT_SRC_OFFICIAL,
				.component = c->component,
				.target = mt->t->name,
				.text = c->text,
				.detail = inc && inc->n_updates > 0 ? inc->updates[0].body : NULL,
				.service = mt->m->opts.event_service,
			};

			eventlog_add(mt->m->log, &ev);
		}
	}
	statuspage_diff_done(&d);
}

static void on_components_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct mtarget *mt = data;
	char err[160];

	mt->components_probe = NULL;
	if (s->ok && s->body && mt->have_page)
		statuspage_merge_components(&mt->page, s->body, s->body_len, NULL, err, sizeof(err));
	mon_settle(mt->m);
}

static void adopt_page(struct mtarget *mt, struct statuspage *fresh)
{
	log_page_changes(mt, mt->have_page ? &mt->page : NULL, fresh);
	/* The page was initialised even before the first read: release it either way. */
	statuspage_done(&mt->page);
	mt->page = *fresh;
	mt->have_page = true;
}

void mon_on_status_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct mtarget *mt = data;
	struct monitor *m = mt->m;
	char err[160] = "";

	mt->probe = NULL;
	if (s->ok && s->http_status == 304) {
		set_fetch_error(mt, "");
	} else if (s->ok) {
		struct statuspage fresh;

		if (statuspage_parse(&fresh, s->body, s->body ? s->body_len : 0, NULL, err, sizeof(err)) == 0) {
			adopt_page(mt, &fresh);
			set_fetch_error(mt, "");
			free(mt->etag);
			free(mt->last_modified);
			mt->etag = s->etag ? strdup(s->etag) : NULL;
			mt->last_modified = s->last_modified ? strdup(s->last_modified) : NULL;
			if (t->status_components_url && !mt->components_probe) {
				struct probe_opts o = {.keep_body = true, .url = t->status_components_url};

				mt->components_probe = probe_start(m->pr, t, &o, on_components_done, mt);
			}
		} else {
			statuspage_done(&fresh);
			s->ok = false;
			s->outcome = OUTCOME_BODY_MISMATCH;
			snprintf(s->error, sizeof(s->error), "%s", err);
			set_fetch_error(mt, err);
		}
	} else {
		set_fetch_error(mt, s->error);
	}
	/* Politeness: slow down while the page is overloaded or rate limiting us. */
	if (s->http_status == 429 || s->http_status >= 500) {
		double base = t->interval_s > 0 ? t->interval_s : 60;

		mt->backoff_s = mt->backoff_s > 0 ? fmin(mt->backoff_s * 2, BACKOFF_MAX_S) : base * 2;
		if (s->retry_after_s > mt->backoff_s)
			mt->backoff_s = fmin(s->retry_after_s, BACKOFF_MAX_S * 6);
		scheduler_set_interval(m->sched, mt->index, mt->backoff_s);
	} else if (mt->backoff_s > 0) {
		mt->backoff_s = 0;
		scheduler_set_interval(m->sched, mt->index, t->interval_s > 0 ? t->interval_s : 60);
	}
	mon_record_sample(mt, s);
	scheduler_done(m->sched, mt->index);
	mon_settle(m);
}
