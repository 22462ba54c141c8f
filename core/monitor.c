/* monitor.c: the glue between probes and views.
 *
 * struct monitor owns one struct mtarget per configured target (its history,
 * assessment, last sample, differential paths and, for a status page, the
 * parsed page), plus the verdict and the checklist computed from all of them.
 * Probe callbacks (on_probe_done, on_path_done, on_status_done) are the only
 * writers; after each they re-diagnose and tell the view. */
#include "monitor.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe.h"
#include "sanitize.h"
#include "scheduler.h"
#include "statuspage_diff.h"
#include "timefmt.h"

#define BACKOFF_MAX_S 600.0
/* Rediagnosing reads every target, so it runs at most this often while results
 * pour in, not once per result: per result, a round of 1,000 targets cost
 * 1,000 x 1,000 target reads. A person cannot tell 100 ms; --once ends 10 ms
 * after its last result at most. */
#define SETTLE_MS 100
#define SETTLE_ONCE_MS 10

/* In pairs that are compared: v4 with v6, direct with proxy (kind ^ 1). */
enum path_kind { PATH_V4, PATH_V6, PATH_DIRECT, PATH_PROXY, PATH_COUNT };

struct mtarget;

struct path_probe {
	struct mtarget *mt;
	enum path_kind kind;
	struct probe *probe;
	struct diagnose_path result;
	bool recent_ok[DIAGNOSE_RECENT]; /* a ring of the last runs */
	int n_recent, next;
	int once_runs;           /* runs started: --once compares a pair run for run */
};

struct mtarget {
	struct monitor *m;
	size_t index;
	const struct target *t;
	struct assess assess;
	struct history *hist;
	char *host;             /* of its URL, parsed once: the diagnosis reads it often */
	struct sample last;
	bool have_last;
	struct sample last_fail; /* the last failed sample, without body or headers */
	bool have_last_fail;
	struct probe *probe;
	struct path_probe paths[PATH_COUNT];
	unsigned long probes, failures;
	unsigned long outcomes[OUTCOME_ERROR + 1];
	bool once_done;
	int retries_left;
	bool paths_started;     /* --once: the comparison probes ran (they start once) */
	/* status pages */
	struct statuspage page;
	bool have_page;
	char *etag, *last_modified;
	struct probe *components_probe;
	char fetch_error[SAMPLE_ERROR_LEN];
	double backoff_s;
};

struct monitor {
	uv_loop_t *loop;
	struct config *cfg;
	struct monitor_options opts;
	struct prober *pr;
	struct scheduler *sched;
	struct eventlog *log;
	struct mtarget *targets;
	size_t n;
	char **components;
	size_t n_components;
	/* each component's state as of the last diagnosis: the views read it
	 * every frame, and working it out reads every target */
	struct monitor_component_info *component_info;
	struct verdict verdict;
	bool have_logged;       /* a verdict event was written: logged_* say which */
	enum verdict_state logged_state;
	enum verdict_cause logged_cause;
	struct checklist checklist;
	struct diagnose_lag lag;
	char lag_text[128];
	double last_result;
	unsigned long probes_total;
	monitor_change_fn on_change, on_done;
	void *change_data, *done_data;
	bool paused;
	bool finished;
	uv_timer_t *settle;     /* allocated apart: it outlives monitor_free until closed */
	uint64_t last_settle;
};

static double now_s(void)
{
	uv_timeval64_t tv;

	uv_gettimeofday(&tv);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void changed(struct monitor *m)
{
	if (m->on_change)
		m->on_change(m, m->change_data);
}

static const struct mtarget *status_target(const struct monitor *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->targets[i].t->kind == TARGET_STATUSPAGE)
			return &m->targets[i];
	return NULL;
}

/* ---- diagnosis input ------------------------------------------------------ */

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

static char *host_of(const struct target *t)
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

/* Everything the diagnosis borrows for one call; freed by input_done. */
struct input_store {
	struct diagnose_input in;
	struct diagnose_target *targets;
	struct diagnose_official_component *components;
	struct diagnose_incident *incidents;
	struct diagnose_maintenance *maintenances;
};

static bool is_plain_http(const struct target *t)
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
	dt->plain_http = is_plain_http(t);
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

static int input_build(const struct monitor *m, struct input_store *st)
{
	const struct mtarget *stt = status_target(m);
	struct diagnose_official *off = &st->in.official;

	memset(st, 0, sizeof(*st));
	st->targets = calloc(m->n ? m->n : 1, sizeof(*st->targets));
	st->components = calloc(m->n_components ? m->n_components : 1, sizeof(*st->components));
	if (!st->targets || !st->components)
		return -1;
	for (size_t i = 0; i < m->n; i++)
		fill_target(&m->targets[i], &st->targets[i], m->targets[i].host);
	st->in.service = m->cfg->service;
	st->in.targets = st->targets;
	st->in.n_targets = m->n;
	st->in.now = now_s();
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

static void input_done(struct input_store *st, size_t n)
{
	(void)n;
	free(st->targets);
	free(st->components);
	free(st->incidents);
	free(st->maintenances);
}

static enum event_severity verdict_severity(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OPERATIONAL: return EVENT_INFO;
	case VERDICT_DEGRADED:
	case VERDICT_MAINTENANCE: return EVENT_WARNING;
	case VERDICT_PARTIAL_OUTAGE:
	case VERDICT_MAJOR_OUTAGE:
	case VERDICT_LOCAL_PROBLEM: return EVENT_CRITICAL;
	case VERDICT_UNKNOWN: break;
	}
	return EVENT_NOTICE;
}

static bool first_round_done(const struct monitor *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (!m->targets[i].have_last)
			return false;
	return true;
}

/* Every change of the verdict's state or cause is an event, with both as
 * fields for scripts. "Checking" is said at once; any other verdict only
 * once every target has answered (or failed) once: a control that has not
 * answered yet could still turn an outage into "it's just you". */
static void log_verdict(struct monitor *m, const struct verdict *v)
{
	struct event ev = {0};
	char *text = NULL;

	if (v->cause != VERDICT_CAUSE_NO_DATA && !first_round_done(m))
		return;
	if (m->have_logged && v->state == m->logged_state && v->cause == m->logged_cause)
		return;
	if (asprintf(&text, "%s: %s", diagnose_state_name(v->state), v->summary) < 0)
		return;
	ev.severity = verdict_severity(v->state);
	ev.source = EVENT_SRC_VERDICT;
	ev.text = text;
	ev.state = diagnose_state_name(v->state);
	ev.cause = diagnose_cause_name(v->cause);
	if (eventlog_add(m->log, &ev) == 0) {
		m->have_logged = true;
		m->logged_state = v->state;
		m->logged_cause = v->cause;
	}
	free(text);
}

static void rediagnose(struct monitor *m)
{
	struct input_store st;
	struct verdict v;

	if (input_build(m, &st) != 0) {
		input_done(&st, m->n);
		return;
	}
	diagnose_verdict(&st.in, &v);
	checklist_build(&st.in, &v, &m->checklist);
	for (size_t i = 0; i < m->n_components; i++) {
		struct monitor_component_info *ci = &m->component_info[i];
		struct diagnose_component dc;

		if (diagnose_component(&st.in, &v, m->components[i], &dc) != 0)
			dc = (struct diagnose_component){ASSESS_COMPONENT_UNKNOWN, ASSESS_COMPONENT_UNKNOWN, ""};
		ci->name = m->components[i];
		ci->state = dc.state;
		ci->ours = dc.ours;
		ci->reason = dc.reason;
		ci->official = st.in.official.have_status ? st.components[i].status : ASSESS_OFFICIAL_UNKNOWN;
		ci->official_known = ci->official != ASSESS_OFFICIAL_UNKNOWN;
	}
	input_done(&st, m->n);
	log_verdict(m, &v);
	m->verdict = v;
	if (diagnose_lag_update(&m->lag, &m->verdict, now_s())) {
		diagnose_lag_text(&m->lag, m->lag_text, sizeof(m->lag_text));
		eventlog_addf(m->log, EVENT_NOTICE, EVENT_SRC_OFFICIAL, "", "", "%s", m->lag_text);
	}
}

static void check_once_finished(struct monitor *m);

static void settle_now(struct monitor *m)
{
	rediagnose(m);
	check_once_finished(m);
	changed(m);
}

static void on_settle(uv_timer_t *t)
{
	struct monitor *m = t->data;

	m->last_settle = uv_now(m->loop);
	settle_now(m);
}

/* After a result: the verdict, the end of --once and the views, soon. */
static void settle(struct monitor *m)
{
	uint64_t gap = m->opts.once ? SETTLE_ONCE_MS : SETTLE_MS, now;

	if (m->settle && uv_is_active((uv_handle_t *)m->settle))
		return;
	now = m->settle ? uv_now(m->loop) : 0;
	if (!m->settle ||
	    uv_timer_start(m->settle, on_settle, m->last_settle + gap > now ? m->last_settle + gap - now : 0, 0) != 0)
		settle_now(m);
}

void monitor_settle(struct monitor *m)
{
	if (m->settle && uv_is_active((uv_handle_t *)m->settle))
		uv_timer_stop(m->settle);
	if (m->settle)
		m->last_settle = uv_now(m->loop);
	settle_now(m);
}

static void free_handle(uv_handle_t *h)
{
	free(h);
}

/* ---- once mode ------------------------------------------------------------ */

static bool target_busy(const struct mtarget *mt)
{
	if (mt->probe || mt->components_probe)
		return true;
	for (int k = 0; k < PATH_COUNT; k++)
		if (mt->paths[k].probe)
			return true;
	return false;
}

static void check_once_finished(struct monitor *m)
{
	if (!m->opts.once || m->finished)
		return;
	for (size_t i = 0; i < m->n; i++)
		if (!m->targets[i].once_done || target_busy(&m->targets[i]))
			return;
	m->finished = true;
	if (m->on_done)
		m->on_done(m, m->done_data);
}

/* ---- samples -------------------------------------------------------------- */

static enum event_severity state_severity(enum assess_state s)
{
	switch (s) {
	case ASSESS_DOWN: return EVENT_CRITICAL;
	case ASSESS_DEGRADED:
	case ASSESS_FLAPPING:
	case ASSESS_CONFIRMING: return EVENT_WARNING;
	default: return EVENT_INFO;
	}
}

static void record_sample(struct mtarget *mt, struct sample *s)
{
	struct monitor *m = mt->m;
	struct assess_input in;
	struct assess_change ch;

	history_push(mt->hist, s);
	in.slow_ms = mt->t->slow_ms;
	in.median_ms = history_recent_median_ms(mt->hist, 5);
	in.baseline_ms = history_baseline_ms(mt->hist);
	in.now = s->t;
	ch = assess_update(&mt->assess, s, &in);

	sample_done(&mt->last);
	mt->last = *s;
	mt->last.body = NULL;
	mt->last.etag = NULL;
	mt->last.last_modified = NULL;
	mt->have_last = true;
	if (!s->ok) {
		mt->last_fail = mt->last;
		mt->have_last_fail = true;
	}
	mt->probes++;
	m->probes_total++;
	if (!s->ok)
		mt->failures++;
	if (s->outcome <= OUTCOME_ERROR)
		mt->outcomes[s->outcome]++;
	m->last_result = now_s();

	if (ch.changed && ch.to != ASSESS_CONFIRMING && !(ch.from == ASSESS_UNKNOWN && ch.to == ASSESS_UP)) {
		char took[48];

		if (ch.outage_s > 0)
			eventlog_addf(m->log, state_severity(ch.to), EVENT_SRC_PROBE,
				      mt->t->component ? mt->t->component : "", mt->t->name, "%s: %s -> %s after %s",
				      mt->t->name, assess_state_name(ch.from), assess_state_name(ch.to),
				      timefmt_elapsed(ch.outage_s, took, sizeof(took)));
		else if (s->ok)
			eventlog_addf(m->log, state_severity(ch.to), EVENT_SRC_PROBE,
				      mt->t->component ? mt->t->component : "", mt->t->name, "%s: %s -> %s",
				      mt->t->name, assess_state_name(ch.from), assess_state_name(ch.to));
		else
			eventlog_addf(m->log, state_severity(ch.to), EVENT_SRC_PROBE,
				      mt->t->component ? mt->t->component : "", mt->t->name, "%s: %s -> %s (%s)",
				      mt->t->name, assess_state_name(ch.from), assess_state_name(ch.to), s->error);
	}
	if (m->opts.once) {
		if (!s->ok && mt->retries_left > 0) {
			mt->retries_left--;
			scheduler_soon(m->sched, mt->index, m->opts.retry_delay_s);
		} else {
			mt->once_done = true;
		}
	} else if (ch.reprobe_in_s > 0) {
		double interval = mt->t->interval_s > 0 ? mt->t->interval_s : 10;

		/* sooner than usual, never later */
		scheduler_soon(m->sched, mt->index, fmin(ch.reprobe_in_s, interval));
	}
}

static void start_path(struct mtarget *mt, enum path_kind k);
static void on_path_done(struct probe *p, const struct target *t, struct sample *s, void *data);

/* A family probe that found no address of its family: nothing about the route. */
static bool no_address(const struct path_probe *pp)
{
	return (pp->kind == PATH_V4 || pp->kind == PATH_V6) && pp->result.tried && !pp->result.ok &&
	       pp->result.outcome == OUTCOME_DNS_FAIL;
}

/* --once has one run of each comparison probe where the monitor has a round
 * after round: when the two of a pair disagree, run both again (up to
 * DIAGNOSE_RECENT runs), until the split repeats or goes away. */
static void once_rerun(struct path_probe *pp)
{
	struct path_probe *other = &pp->mt->paths[pp->kind ^ 1];
	const struct diagnose_path *a = &pp->result, *b = &other->result;

	if (other->probe || !b->tried || other->once_runs != pp->once_runs || pp->once_runs >= DIAGNOSE_RECENT)
		return;
	if (a->ok == b->ok || no_address(pp) || no_address(other))
		return;
	if ((diagnose_path_works(a) && diagnose_path_fails(b)) || (diagnose_path_works(b) && diagnose_path_fails(a)))
		return;
	start_path(pp->mt, pp->kind);
	start_path(pp->mt, other->kind);
}

static void on_path_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct path_probe *pp = data;
	struct monitor *m = pp->mt->m;
	int oks = 0;

	pp->probe = NULL;
	pp->result.tried = true;
	pp->result.ok = s->ok;
	pp->result.outcome = s->outcome;
	if (no_address(pp)) {
		/* the name has no address of this family (or the lookup was lost):
		 * neither a pass nor a failure of the route */
		settle(m);
		return;
	}
	pp->recent_ok[pp->next] = s->ok;
	pp->next = (pp->next + 1) % DIAGNOSE_RECENT;
	if (pp->n_recent < DIAGNOSE_RECENT)
		pp->n_recent++;
	for (int i = 0; i < pp->n_recent; i++)
		oks += pp->recent_ok[i];
	pp->result.runs = pp->n_recent;
	pp->result.oks = oks;
	if (m->opts.once)
		once_rerun(pp);
	settle(m);
}

/* The proxy curl would take from the environment for t's URL. */
static const char *env_proxy(const struct target *t)
{
	struct proxyenv env;

	proxyenv_read(&env);
	return proxyenv_for(&env, is_plain_http(t));
}

/* The address family of a target named by an IP literal: such a target has
 * only one path, so comparing v4 with v6 would blame a path that cannot exist. */
static enum ip_family literal_family(const char *host)
{
	unsigned char addr[16];
	char bare[64];
	size_t n = host ? strlen(host) : 0;

	if (n > 2 && n < sizeof(bare) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(bare, host + 1, n - 2);
		bare[n - 2] = '\0';
		host = bare;
	}
	if (host && inet_pton(AF_INET, host, addr) == 1)
		return IP_FAMILY_V4;
	if (host && inet_pton(AF_INET6, host, addr) == 1)
		return IP_FAMILY_V6;
	return IP_FAMILY_AUTO;
}

/* One comparison probe. The address families go direct: through a proxy,
 * curl would force the family on the connection to the proxy, which says
 * nothing about the route to the service (and fails wherever the proxy has
 * no IPv6). */
static void start_path(struct mtarget *mt, enum path_kind k)
{
	struct path_probe *pp = &mt->paths[k];
	struct probe_opts o;

	memset(&o, 0, sizeof(o));
	o.family = k == PATH_V4 ? IP_FAMILY_V4 : k == PATH_V6 ? IP_FAMILY_V6 : IP_FAMILY_AUTO;
	o.proxy_mode = k == PATH_PROXY ? PROBE_PROXY_ENV :
		       k == PATH_DIRECT || env_proxy(mt->t) || mt->t->proxy ? PROBE_PROXY_DIRECT :
									  PROBE_PROXY_TARGET;
	pp->mt = mt;
	pp->kind = k;
	pp->once_runs++;
	pp->probe = probe_start(mt->m->pr, mt->t, &o, on_path_done, pp);
}

/* The same probe over each address family, and direct and through the
 * environment's proxy when there is one: the diagnosis compares the paths. */
static void start_paths(struct mtarget *mt)
{
	bool proxy = env_proxy(mt->t) != NULL && !mt->t->proxy;
	enum ip_family literal = literal_family(mt->host);

	for (int k = 0; k < PATH_COUNT; k++) {
		struct path_probe *pp = &mt->paths[k];

		if (pp->probe)
			continue;
		if ((k == PATH_DIRECT || k == PATH_PROXY) && !proxy) {
			pp->result.tried = false;
			continue;
		}
		if ((k == PATH_V4 && literal == IP_FAMILY_V6) || (k == PATH_V6 && literal == IP_FAMILY_V4)) {
			pp->result.tried = false;
			continue;
		}
		start_path(mt, (enum path_kind)k);
	}
}

static void on_probe_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct mtarget *mt = data;
	struct monitor *m = mt->m;

	mt->probe = NULL;
	record_sample(mt, s);
	scheduler_done(m->sched, mt->index);
	/* --once compares the paths once, from the first result: alongside the
	 * confirming retry, so a silent service costs one timeout less */
	if (mt->t->differential && (!m->opts.once || !mt->paths_started)) {
		mt->paths_started = true;
		start_paths(mt);
	}
	settle(m);
}

/* ---- status pages --------------------------------------------------------- */

static void set_fetch_error(struct mtarget *mt, const char *msg)
{
	if (strcmp(mt->fetch_error, msg) != 0 && msg[0])
		eventlog_addf(mt->m->log, EVENT_WARNING, EVENT_SRC_OFFICIAL, "", mt->t->name,
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
	settle(mt->m);
}

static void adopt_page(struct mtarget *mt, struct statuspage *fresh)
{
	log_page_changes(mt, mt->have_page ? &mt->page : NULL, fresh);
	/* The page was initialised even before the first read: release it either way. */
	statuspage_done(&mt->page);
	mt->page = *fresh;
	mt->have_page = true;
}

static void on_status_done(struct probe *p, const struct target *t, struct sample *s, void *data)
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
	record_sample(mt, s);
	scheduler_done(m->sched, mt->index);
	settle(m);
}

static int start_target(size_t i, void *data)
{
	struct monitor *m = data;
	struct mtarget *mt = &m->targets[i];

	if (mt->t->kind == TARGET_STATUSPAGE) {
		struct probe_opts o = {.keep_body = true};

		/* The conditional request only makes sense once we hold the page it refers to. */
		if (mt->have_page) {
			o.if_none_match = mt->etag;
			o.if_modified_since = mt->last_modified;
		}
		mt->probe = probe_start(m->pr, mt->t, &o, on_status_done, mt);
	} else {
		mt->probe = probe_start(m->pr, mt->t, NULL, on_probe_done, mt);
	}
	if (!mt->probe && m->opts.once && !mt->once_done) {
		/* The scheduler would try again only after the (endless) once
		 * interval: count the target as failed so that --once ends. */
		struct sample s = {.t = now_s(), .outcome = OUTCOME_ERROR, .retry_after_s = -1,
				   .dns_ms = -1, .connect_ms = -1, .tls_ms = -1, .ttfb_ms = -1,
				   .transfer_ms = -1, .total_ms = -1};

		snprintf(s.error, sizeof(s.error), "could not start the probe (out of memory or sockets)");
		mt->retries_left = 0;
		record_sample(mt, &s);
		rediagnose(m);
		check_once_finished(m);
		changed(m);
	}
	return mt->probe ? 0 : -1;
}

/* ---- life ----------------------------------------------------------------- */

static int collect_components(struct monitor *m)
{
	m->components = calloc(m->n ? m->n : 1, sizeof(*m->components));
	m->component_info = calloc(m->n ? m->n : 1, sizeof(*m->component_info));
	if (!m->components || !m->component_info)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		const struct target *t = m->targets[i].t;
		bool seen = false;

		if (!t->component || !t->component[0] || t->role != TARGET_ROLE_SERVICE)
			continue;
		for (size_t j = 0; j < m->n_components; j++)
			seen = seen || strcmp(m->components[j], t->component) == 0;
		if (!seen) {
			struct monitor_component_info *ci = &m->component_info[m->n_components];

			ci->name = t->component;
			ci->state = ASSESS_COMPONENT_UNKNOWN;
			ci->official = ASSESS_OFFICIAL_UNKNOWN;
			m->components[m->n_components++] = t->component;
		}
	}
	return 0;
}

static size_t history_size(const struct monitor_options *o, const struct target *t)
{
	double interval = t->interval_s > 0 ? t->interval_s : 10;

	if (o->history_capacity)
		return o->history_capacity;
	/* --once keeps a probe and its retry, not a day: with 1,000 targets a
	 * day's worth of young rings was half of its memory */
	if (o->once)
		return 8;
	return (size_t)ceil(86400.0 / interval) + 1;
}

struct monitor *monitor_new(uv_loop_t *loop, struct config *cfg, const struct monitor_options *opts,
			    char *err, size_t errlen)
{
	struct monitor *m = calloc(1, sizeof(*m));
	struct eventlog_options lo = {0};

	if (!m) {
		snprintf(err, errlen, "out of memory");
		config_free(cfg);
		return NULL;
	}
	m->loop = loop;
	m->cfg = cfg;
	if (opts)
		m->opts = *opts;
	if (m->opts.retry_delay_s <= 0)
		m->opts.retry_delay_s = 1.0;
	m->n = cfg->n_targets;
	m->targets = calloc(m->n ? m->n : 1, sizeof(*m->targets));
	if (!m->targets)
		goto oom;
	for (size_t i = 0; i < m->n; i++) {
		struct mtarget *mt = &m->targets[i];

		mt->m = m;
		mt->index = i;
		mt->t = &cfg->targets[i];
		mt->retries_left = 1;
		assess_init(&mt->assess, NULL);
		statuspage_init(&mt->page);
		mt->hist = history_new(history_size(&m->opts, mt->t));
		if (!mt->hist)
			goto oom;
		mt->host = host_of(mt->t);
	}
	if (collect_components(m) != 0)
		goto oom;
	diagnose_lag_init(&m->lag);
	lo.memory_only = m->opts.memory_only_log;
	lo.read_only = m->opts.read_only_log;
	m->log = eventlog_new(loop, m->opts.memory_only_log ? NULL : m->opts.log_path, &lo);
	if (!m->log)
		goto oom;
	m->pr = prober_new(loop, cfg, err, errlen);
	if (!m->pr)
		goto fail;
	m->settle = malloc(sizeof(*m->settle));
	if (m->settle) {
		uv_timer_init(loop, m->settle);
		m->settle->data = m;
	}
	m->sched = scheduler_new(loop, m->n, start_target, m);
	if (!m->sched)
		goto oom;
	for (size_t i = 0; i < m->n; i++) {
		const struct target *t = m->targets[i].t;

		/* Once mode probes each target once, then only retries on demand. */
		scheduler_set_interval(m->sched, i, m->opts.once ? 1e9 : (t->interval_s > 0 ? t->interval_s : 10));
	}
	return m;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	monitor_free(m);
	return NULL;
}

int monitor_start(struct monitor *m)
{
	if (!m->opts.memory_only_log)
		eventlog_load(m->log, NULL);
	eventlog_addf(m->log, EVENT_INFO, EVENT_SRC_MONITOR, "", "", "monitoring %s: %zu targets",
		      m->cfg->service ? m->cfg->service : "service", m->n);
	rediagnose(m);
	if (m->n == 0) {
		m->finished = m->opts.once;
		return 0;
	}
	if (m->opts.once) {
		scheduler_start(m->sched, 0);
	} else {
		/* Spread the first round over a second: a burst would inflate the very
		 * latencies we measure. */
		scheduler_start(m->sched, m->n > 1 ? 1.0 : 0);
	}
	return 0;
}

void monitor_free(struct monitor *m)
{
	if (!m)
		return;
	/* Probes first: their callbacks must not run into a half-freed monitor. */
	if (m->pr)
		prober_free(m->pr);
	scheduler_free(m->sched);
	if (m->settle) {
		uv_timer_stop(m->settle);
		uv_close((uv_handle_t *)m->settle, free_handle);
	}
	for (size_t i = 0; m->targets && i < m->n; i++) {
		struct mtarget *mt = &m->targets[i];

		history_free(mt->hist);
		free(mt->host);
		sample_done(&mt->last);
		statuspage_done(&mt->page);
		free(mt->etag);
		free(mt->last_modified);
	}
	free(m->targets);
	free(m->components);
	free(m->component_info);
	if (m->log)
		eventlog_free(m->log);
	config_free(m->cfg);
	free(m);
}

void monitor_on_change(struct monitor *m, monitor_change_fn fn, void *data)
{
	m->on_change = fn;
	m->change_data = data;
}

void monitor_on_done(struct monitor *m, monitor_change_fn fn, void *data)
{
	m->on_done = fn;
	m->done_data = data;
}

bool monitor_finished(const struct monitor *m)
{
	return m->finished;
}

void monitor_probe_all(struct monitor *m)
{
	size_t n = scheduler_probe_all(m->sched);

	eventlog_addf(m->log, EVENT_INFO, EVENT_SRC_MONITOR, "", "", "probing all targets now (%zu started)", n);
	changed(m);
}

void monitor_pause(struct monitor *m, bool paused)
{
	if (m->paused == paused)
		return;
	m->paused = paused;
	scheduler_pause(m->sched, paused);
	eventlog_addf(m->log, EVENT_INFO, EVENT_SRC_MONITOR, "", "", paused ? "paused" : "resumed");
	changed(m);
}

bool monitor_paused(const struct monitor *m)
{
	return m->paused;
}

const struct config *monitor_config(const struct monitor *m)
{
	return m->cfg;
}

size_t monitor_target_count(const struct monitor *m)
{
	return m->n;
}

void monitor_target_info(const struct monitor *m, size_t i, struct monitor_target_info *out)
{
	const struct mtarget *mt = &m->targets[i];

	memset(out, 0, sizeof(*out));
	out->target = mt->t;
	out->state = mt->assess.state;
	out->state_since = mt->assess.since;
	out->last = mt->have_last ? &mt->last : NULL;
	out->history = mt->hist;
	out->v4 = mt->paths[PATH_V4].result;
	out->v6 = mt->paths[PATH_V6].result;
	out->direct = mt->paths[PATH_DIRECT].result;
	out->proxy = mt->paths[PATH_PROXY].result;
	out->probes = mt->probes;
	out->failures = mt->failures;
	memcpy(out->outcomes, mt->outcomes, sizeof(out->outcomes));
	out->in_flight = mt->probe != NULL;
}

size_t monitor_component_count(const struct monitor *m)
{
	return m->n_components;
}

void monitor_component_info(const struct monitor *m, size_t i, struct monitor_component_info *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= m->n_components)
		return;
	*out = m->component_info[i];
}

const struct verdict *monitor_verdict(const struct monitor *m)
{
	return &m->verdict;
}

const struct checklist *monitor_checklist(const struct monitor *m)
{
	return &m->checklist;
}

const struct statuspage *monitor_official(const struct monitor *m)
{
	const struct mtarget *stt = status_target(m);

	return stt && stt->have_page ? &stt->page : NULL;
}

const char *monitor_official_error(const struct monitor *m)
{
	const struct mtarget *stt = status_target(m);

	return stt ? stt->fetch_error : "";
}

const char *monitor_lag_text(const struct monitor *m)
{
	return m->lag_text;
}

struct eventlog *monitor_events(const struct monitor *m)
{
	return m->log;
}

double monitor_last_result(const struct monitor *m)
{
	return m->last_result;
}

unsigned long monitor_probes_total(const struct monitor *m)
{
	return m->probes_total;
}

uv_loop_t *monitor_loop(const struct monitor *m)
{
	return m->loop;
}
