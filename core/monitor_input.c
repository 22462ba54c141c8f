/* monitor_input.c: what the diagnosis is given: each target's state, samples and
 * paths, the official page's words for its components, the proxy environment and
 * the clock, in a struct diagnose_input that borrows from the monitor (valid until
 * the next sample). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "proxyenv.h"

#include "monitor_internal.h"

static enum diagnose_impact impact_of(enum sp_indicator i)
{
	switch (i) {
	case SP_INDICATOR_NONE: return DIAGNOSE_IMPACT_NONE;
	case SP_INDICATOR_MINOR: return DIAGNOSE_IMPACT_MINOR;
	case SP_INDICATOR_MAJOR: return DIAGNOSE_IMPACT_MAJOR;
	case SP_INDICATOR_CRITICAL: return DIAGNOSE_IMPACT_CRITICAL;
	case SP_INDICATOR_MAINTENANCE: return DIAGNOSE_IMPACT_MAINTENANCE;
	case SP_INDICATOR_UNKNOWN: break;
	}
	return DIAGNOSE_IMPACT_UNKNOWN;
}

static enum assess_official official_of(enum sp_component_status s)
{
	switch (s) {
	case SP_COMPONENT_OPERATIONAL: return ASSESS_OFFICIAL_OPERATIONAL;
	case SP_COMPONENT_DEGRADED_PERFORMANCE: return ASSESS_OFFICIAL_DEGRADED;
	case SP_COMPONENT_PARTIAL_OUTAGE: return ASSESS_OFFICIAL_PARTIAL;
	case SP_COMPONENT_MAJOR_OUTAGE: return ASSESS_OFFICIAL_MAJOR;
	case SP_COMPONENT_UNDER_MAINTENANCE: return ASSESS_OFFICIAL_MAINTENANCE;
	case SP_COMPONENT_UNKNOWN: break;
	}
	return ASSESS_OFFICIAL_UNKNOWN;
}

char *mon_host_of(const struct target *t)
{
	if (t->host)
		return strdup(t->host);
	if (!t->url)
		return NULL;
	CURLU *u = curl_url();
	char *host = NULL, *copy = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, t->url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		copy = strdup(host);
		curl_free(host);
	}
	curl_url_cleanup(u);
	return copy;
}

bool mon_is_plain_http(const struct target *t)
{
	return t->url && strncasecmp(t->url, "http://", 7) == 0;
}

static void fill_target(const struct mtarget *mt, struct diagnose_target *dt, const char *host)
{
	const struct target *t = mt->t;

	dt->name = t->name;
	dt->kind = t->kind;
	dt->role = t->role;
	dt->component = t->component;
	dt->host = host;
	dt->plain_http = mon_is_plain_http(t);
	dt->api = t->n_headers > 0 || t->n_expect_with_key > 0;
	dt->key_configured = config_target_has_key(t);
	dt->state = mt->assess.state;
	dt->settled = mt->assess.settled;
	dt->last = mt->have_last ? &mt->last : NULL;
	dt->last_failure = mt->have_last_fail ? &mt->last_fail : NULL;
	dt->slow_ms = t->slow_ms;
	dt->median_ms = history_recent_median_ms(mt->hist, 5);
	dt->baseline_ms = history_baseline_ms(mt->hist);
	dt->timeout_s = t->timeout_s;
	dt->v4 = mt->paths[PATH_V4].result;
	dt->v6 = mt->paths[PATH_V6].result;
	dt->direct = mt->paths[PATH_DIRECT].result;
	dt->proxy = mt->paths[PATH_PROXY].result;

	/* the last results, newest first: one failure of a kind blames nothing */
	struct history_record rec[DIAGNOSE_RECENT];
	size_t n = history_tail(mt->hist, DIAGNOSE_RECENT, rec);

	dt->n_recent = (int)n;
	for (size_t i = 0; i < n; i++) {
		const struct history_record *r = &rec[n - 1 - i];

		dt->recent[i].outcome = (enum outcome)r->outcome;
		dt->recent[i].connected = r->reused || r->connect_ms >= 0 || r->tls_ms >= 0 || r->ttfb_ms >= 0 ||
					  r->http_status > 0;
	}
}

int mon_input_build(const struct monitor *m, struct input_store *st)
{
	const struct mtarget *stt = mon_status_target(m);
	struct diagnose_official *off = &st->in.official;

	memset(st, 0, sizeof(*st));
	st->targets = calloc(m->n ? m->n : 1, sizeof(*st->targets));
	st->components = calloc(m->n_components ? m->n_components : 1, sizeof(*st->components));
	if (!st->targets || !st->components)
		return -1;
	/* a skipped target (an llm one without its key) is not seen at all */
	for (size_t i = 0; i < m->n; i++)
		if (!m->targets[i].needs[0])
			fill_target(&m->targets[i], &st->targets[st->in.n_targets++], m->targets[i].host);
	st->in.service = m->cfg->service;
	st->in.targets = st->targets;
	st->in.now = mon_now_s();
	proxyenv_read(&st->in.env);

	off->configured = stt != NULL;
	if (!stt)
		return 0;
	off->fetch_error = stt->fetch_error;
	if (!stt->have_page)
		return 0;
	const struct statuspage *sp = &stt->page;

	off->have_status = true;
	off->indicator = impact_of(sp->indicator);
	off->description = sp->description;
	for (size_t i = 0; i < m->n_components; i++) {
		enum sp_component_status s;

		st->components[i].name = m->components[i];
		st->components[i].status = statuspage_worst_status(sp, m->components[i], &s) > 0 ?
						   official_of(s) : ASSESS_OFFICIAL_UNKNOWN;
	}
	off->components = st->components;
	off->n_components = m->n_components;
	st->incidents = calloc(sp->n_incidents ? sp->n_incidents : 1, sizeof(*st->incidents));
	st->maintenances = calloc(sp->n_maintenances ? sp->n_maintenances : 1, sizeof(*st->maintenances));
	if (!st->incidents || !st->maintenances)
		return -1;
	for (size_t i = 0; i < sp->n_incidents; i++) {
		const struct sp_incident *inc = &sp->incidents[i];
		struct diagnose_incident *di = &st->incidents[off->n_incidents];

		if (statuspage_state_is_closed(inc->state))
			continue;
		di->title = inc->name;
		di->impact = impact_of(inc->impact);
		di->started = (double)inc->created_at;
		di->components = (const char *const *)inc->components;
		di->n_components = inc->n_components;
		off->n_incidents++;
	}
	off->incidents = st->incidents;
	for (size_t i = 0; i < sp->n_maintenances; i++) {
		const struct sp_incident *mn = &sp->maintenances[i];
		struct diagnose_maintenance *dm = &st->maintenances[off->n_maintenances];

		if (statuspage_state_is_closed(mn->state))
			continue;
		dm->title = mn->name;
		dm->in_progress = mn->state == SP_STATE_IN_PROGRESS || mn->state == SP_STATE_VERIFYING;
		dm->starts = (double)mn->scheduled_for;
		dm->ends = (double)mn->scheduled_until;
		dm->components = (const char *const *)mn->components;
		dm->n_components = mn->n_components;
		off->n_maintenances++;
	}
	off->maintenances = st->maintenances;
	return 0;
}

void mon_input_done(struct input_store *st, size_t n)
{
	(void)n;
	free(st->targets);
	free(st->components);
	free(st->incidents);
	free(st->maintenances);
}
