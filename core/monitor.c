/* monitor.c: the glue between probes and views.
 *
 * struct monitor owns one struct mtarget per configured target (its history,
 * assessment, last sample, differential paths and, for a status page, the
 * parsed page), plus the verdict and the checklist computed from all of them.
 * Probe callbacks (on_probe_done, on_path_done, on_status_done) are the only
 * writers; after each they re-diagnose and tell the view. What the diagnosis is
 * given is built in monitor_input.c, the comparison probes are in
 * monitor_paths.c, the status page is followed in monitor_page.c. */
#include "monitor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
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

#include "history_file.h"
#include "monitor_internal.h"

static void check_once_finished(struct monitor *m);

double mon_now_s(void)
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

const struct mtarget *mon_status_target(const struct monitor *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->targets[i].t->kind == TARGET_STATUSPAGE)
			return &m->targets[i];
	return NULL;
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
		if (!m->targets[i].have_last && !m->targets[i].needs[0])
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
	/* a new fallback is news too: "use Anthropic instead" */
	if (m->have_logged && v->state == m->logged_state && v->cause == m->logged_cause &&
	    strcmp(v->fallback, m->logged_fallback) == 0)
		return;
	if (asprintf(&text, "%s: %s", diagnose_state_name(v->state), v->summary) < 0)
		return;
	ev.severity = verdict_severity(v->state);
	ev.source = EVENT_SRC_VERDICT;
	ev.text = text;
	ev.state = diagnose_state_name(v->state);
	ev.cause = diagnose_cause_name(v->cause);
	ev.service = m->opts.event_service;
	if (eventlog_add(m->log, &ev) == 0) {
		m->have_logged = true;
		m->logged_state = v->state;
		m->logged_cause = v->cause;
		snprintf(m->logged_fallback, sizeof(m->logged_fallback), "%s", v->fallback);
	}
	free(text);
}

/* "; Anthropic answers normally": only in an outage, never for a local
 * problem (then nothing answers from here). */
static void apply_fallback(const struct monitor *m, struct verdict *v)
{
	size_t len = strlen(v->summary);

	if (!m->fallback[0] || (v->state != VERDICT_PARTIAL_OUTAGE && v->state != VERDICT_MAJOR_OUTAGE))
		return;
	snprintf(v->fallback, sizeof(v->fallback), "%s", m->fallback);
	snprintf(v->summary + len, sizeof(v->summary) - len, "; %s answers normally", m->fallback);
}

static void rediagnose(struct monitor *m)
{
	struct input_store st;
	struct verdict v;

	if (mon_input_build(m, &st) != 0) {
		mon_input_done(&st, m->n);
		return;
	}
	diagnose_verdict(&st.in, &v);
	apply_fallback(m, &v);
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
	mon_input_done(&st, m->n);
	log_verdict(m, &v);
	m->verdict = v;
	if (diagnose_lag_update(&m->lag, &m->verdict, mon_now_s())) {
		diagnose_lag_text(&m->lag, m->lag_text, sizeof(m->lag_text));
		mon_log(m, EVENT_NOTICE, EVENT_SRC_OFFICIAL, "", "", "%s", m->lag_text);
	}
}

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
void mon_settle(struct monitor *m)
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

/* A model's first token far above its own usual (the baseline of its
 * history, which keeps first tokens) is slow too, not only past slow_ms. */
static void note_slow_first_token(struct mtarget *mt, struct sample *s)
{
	double baseline = history_baseline_ms(mt->hist);

	if (!s->llm || s->outcome != OUTCOME_OK || !assess_first_token_slow(&mt->assess.p, s->first_token_ms, baseline))
		return;
	s->outcome = OUTCOME_SLOW;
	snprintf(s->error, sizeof(s->error), "first token after %.0f ms, %.1fx its usual %.0f ms", s->first_token_ms,
		 s->first_token_ms / baseline, baseline);
}

void mon_record_sample(struct mtarget *mt, struct sample *s)
{
	struct monitor *m = mt->m;
	struct assess_input in;
	struct assess_change ch;

	note_slow_first_token(mt, s);
	history_push(mt->hist, s);
	history_file_append(m->history, mt->index, history_last(mt->hist));
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
	if (s->outcome < OUTCOME_COUNT)
		mt->outcomes[s->outcome]++;
	m->last_result = mon_now_s();

	if (!mt->mirrored && ch.changed && ch.to != ASSESS_CONFIRMING &&
	    !(ch.from == ASSESS_UNKNOWN && ch.to == ASSESS_UP)) {
		char took[48];

		if (ch.outage_s > 0)
			mon_log(m, state_severity(ch.to), EVENT_SRC_PROBE,
				      mt->t->component ? mt->t->component : "", mt->t->name, "%s: %s -> %s after %s",
				      mt->t->name, assess_state_name(ch.from), assess_state_name(ch.to),
				      timefmt_elapsed(ch.outage_s, took, sizeof(took)));
		else if (s->ok)
			mon_log(m, state_severity(ch.to), EVENT_SRC_PROBE,
				      mt->t->component ? mt->t->component : "", mt->t->name, "%s: %s -> %s",
				      mt->t->name, assess_state_name(ch.from), assess_state_name(ch.to));
		else
			mon_log(m, state_severity(ch.to), EVENT_SRC_PROBE,
				      mt->t->component ? mt->t->component : "", mt->t->name, "%s: %s -> %s (%s)",
				      mt->t->name, assess_state_name(ch.from), assess_state_name(ch.to), s->error);
	}
	if (mt->mirrored) {
		/* its owner retries, and says when it is done */
	} else if (m->opts.once) {
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
	if (m->on_sample && !mt->mirrored)
		m->on_sample(m, mt->index, s, !m->opts.once || mt->once_done, m->sample_data);
}

static void on_probe_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct mtarget *mt = data;
	struct monitor *m = mt->m;

	mt->probe = NULL;
	mon_record_sample(mt, s);
	scheduler_done(m->sched, mt->index);
	/* --once compares the paths once, from the first result: alongside the
	 * confirming retry, so a silent service costs one timeout less */
	if (mt->t->differential && (!m->opts.once || !mt->paths_started)) {
		mt->paths_started = true;
		mon_start_paths(mt);
	}
	mon_settle(m);
}

static int start_target(size_t i, void *data)
{
	struct monitor *m = data;
	struct mtarget *mt = &m->targets[i];

	if (mt->needs[0])
		return -1; /* skipped: never probed (the scheduler asks again an interval later) */
	if (mt->mirrored)
		return -1; /* another monitor probes it */

	if (mt->t->kind == TARGET_STATUSPAGE) {
		struct probe_opts o = {.keep_body = true};

		/* The conditional request only makes sense once we hold the page it refers to. */
		if (mt->have_page) {
			o.if_none_match = mt->etag;
			o.if_modified_since = mt->last_modified;
		}
		mt->probe = probe_start(m->pr, mt->t, &o, mon_on_status_done, mt);
	} else {
		mt->probe = probe_start(m->pr, mt->t, NULL, on_probe_done, mt);
	}
	if (!mt->probe && m->opts.once && !mt->once_done) {
		/* The scheduler would try again only after the (endless) once
		 * interval: count the target as failed so that --once ends. */
		struct sample s = {.t = mon_now_s(), .outcome = OUTCOME_ERROR, .retry_after_s = -1,
				   .dns_ms = -1, .connect_ms = -1, .tls_ms = -1, .ttfb_ms = -1,
				   .transfer_ms = -1, .total_ms = -1};

		snprintf(s.error, sizeof(s.error), "could not start the probe (out of memory or sockets)");
		mt->retries_left = 0;
		mon_record_sample(mt, &s);
		rediagnose(m);
		check_once_finished(m);
		changed(m);
	}
	return mt->probe ? 0 : -1;
}

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
		mt->host = mon_host_of(mt->t);
		config_target_needs(mt->t, mt->needs, sizeof(mt->needs));
		mt->once_done = mt->needs[0] != '\0';
	}
	if (collect_components(m) != 0)
		goto oom;
	diagnose_lag_init(&m->lag);
	lo.memory_only = m->opts.memory_only_log;
	lo.read_only = m->opts.read_only_log;
	m->log = m->opts.shared_log ? m->opts.shared_log
				    : eventlog_new(loop, m->opts.memory_only_log ? NULL : m->opts.log_path, &lo);
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

static void history_warning(void *data, const char *message)
{
	struct monitor *m = data;

	mon_log(m, EVENT_WARNING, EVENT_SRC_MONITOR, "", "", "%s", message);
}

/* The history kept across restarts: loaded now, before the first probe, so
 * the sparklines, statistics and uptime continue where the last run stopped. */
static int open_history(struct monitor *m)
{
	struct history_file_options o = {.read_only = m->opts.read_only_log, .warn = history_warning, .warn_data = m};
	char path[PATH_MAX];
	char **keys = calloc(m->n ? m->n : 1, sizeof(*keys));
	struct history **hists = calloc(m->n ? m->n : 1, sizeof(*hists));
	int rc = 0;

	if (!keys || !hists) {
		rc = -ENOMEM;
		goto out;
	}
	if (history_file_default_path(m->opts.state_dir, m->cfg->service, path, sizeof(path)) != 0)
		goto out; /* no state directory: the event log says so */
	for (size_t i = 0; i < m->n; i++) {
		keys[i] = history_file_key(m->targets[i].t);
		hists[i] = m->targets[i].hist;
		if (!keys[i]) {
			rc = -ENOMEM;
			goto out;
		}
	}
	m->hists = hists;
	hists = NULL;
	m->history = history_file_open(m->loop, path, m->n, (const char *const *)keys, m->hists, &o);
	if (!m->history)
		rc = -ENOMEM;
	else if (history_file_loaded(m->history) > 0)
		mon_log(m, EVENT_INFO, EVENT_SRC_MONITOR, "", "", "history continued: %zu samples from %s",
			      history_file_loaded(m->history), path);
out:
	for (size_t i = 0; keys && i < m->n; i++)
		free(keys[i]);
	free(keys);
	free(hists);
	return rc;
}

int monitor_start(struct monitor *m)
{
	if (!m->opts.memory_only_log) {
		if (!m->opts.shared_log)
			eventlog_load(m->log, NULL);
		if (open_history(m) != 0)
			return -ENOMEM;
	}
	mon_log(m, EVENT_INFO, EVENT_SRC_MONITOR, "", "", "monitoring %s: %zu targets",
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
	/* before the histories it reads go */
	history_file_close(m->history);
	free(m->hists);
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
	if (m->log && !m->opts.shared_log)
		eventlog_free(m->log);
	config_free(m->cfg);
	free(m);
}

void monitor_on_sample(struct monitor *m, monitor_sample_fn fn, void *data)
{
	m->on_sample = fn;
	m->sample_data = data;
}

void monitor_mirror_target(struct monitor *m, size_t i)
{
	if (i < m->n) {
		m->targets[i].mirrored = true;
		scheduler_set_interval(m->sched, i, 1e9);
	}
}

void monitor_feed_sample(struct monitor *m, size_t i, const struct sample *s, bool final)
{
	struct mtarget *mt;
	struct sample copy;

	if (i >= m->n || !m->targets[i].mirrored)
		return;
	mt = &m->targets[i];
	copy = *s;
	/* what the owner keeps of a result is its own */
	copy.body = NULL;
	copy.etag = copy.last_modified = NULL;
	mon_record_sample(mt, &copy);
	if (final)
		mt->once_done = true;
	mon_settle(m);
}

void monitor_set_fallback(struct monitor *m, const char *name)
{
	if (strcmp(m->fallback, name ? name : "") == 0)
		return;
	snprintf(m->fallback, sizeof(m->fallback), "%s", name ? name : "");
	mon_settle(m);
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

	mon_log(m, EVENT_INFO, EVENT_SRC_MONITOR, "", "", "probing all targets now (%zu started)", n);
	changed(m);
}

void monitor_pause(struct monitor *m, bool paused)
{
	if (m->paused == paused)
		return;
	m->paused = paused;
	scheduler_pause(m->sched, paused);
	mon_log(m, EVENT_INFO, EVENT_SRC_MONITOR, "", "", paused ? "paused" : "resumed");
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
	out->needs = mt->needs;
}

int monitor_target_uptime(const struct monitor *m, size_t i, size_t w, double now, double *ratio)
{
	if (i >= m->n || w >= HISTORY_UPTIME_WINDOWS)
		return -ENODATA;
	return history_uptime(m->targets[i].hist, now, history_uptime_windows[w].seconds, ratio);
}

int monitor_component_uptime(const struct monitor *m, const char *component, size_t w, double now, double *ratio)
{
	double worst = 2, r;

	for (size_t i = 0; component && i < m->n; i++) {
		const struct target *t = m->targets[i].t;

		if (t->role != TARGET_ROLE_SERVICE || !t->component || strcmp(t->component, component) != 0)
			continue;
		if (monitor_target_uptime(m, i, w, now, &r) == 0 && r < worst)
			worst = r;
	}
	if (worst > 1)
		return -ENODATA;
	*ratio = worst;
	return 0;
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
	const struct mtarget *stt = mon_status_target(m);

	return stt && stt->have_page ? &stt->page : NULL;
}

const char *monitor_official_error(const struct monitor *m)
{
	const struct mtarget *stt = mon_status_target(m);

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

void monitor_proxy_env(const struct monitor *m, struct proxyenv *out)
{
	(void)m;
	/* read when asked, as input_build does: both see what curl will */
	proxyenv_read(out);
}
