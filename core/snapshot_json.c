/* snapshot_json.c: builds the --json document from the monitor's accessors.
 * Every string in it is either ours or was sanitized when it came in; header
 * values are never included, so no secret can reach it. */
#include "snapshot_json.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

static void add_ms(cJSON *o, const char *key, double ms)
{
	if (ms >= 0)
		cJSON_AddNumberToObject(o, key, round(ms * 1000.0) / 1000.0);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_time(cJSON *o, const char *key, double t)
{
	char buf[TIMEFMT_ISO_LEN];

	if (t > 0)
		cJSON_AddStringToObject(o, key, timefmt_iso_utc((time_t)t, buf, sizeof(buf)));
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *path_json(const struct diagnose_path *p)
{
	if (!p->tried)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "ok", p->ok);
	cJSON_AddStringToObject(o, "outcome", outcome_name(p->outcome));
	return o;
}

/* "uptime": {"1h": 0.9993, "24h": null, "7d": null}: null for a window the
 * history does not cover yet. A component's is its least available service
 * target's (monitor_component_uptime). */
static void add_uptime(cJSON *o, const struct monitor *m, size_t target, const char *component, double now)
{
	cJSON *u = cJSON_AddObjectToObject(o, "uptime");

	for (size_t w = 0; u && w < HISTORY_UPTIME_WINDOWS; w++) {
		double r;
		int rc = component ? monitor_component_uptime(m, component, w, now, &r)
				   : monitor_target_uptime(m, target, w, now, &r);

		if (rc == 0)
			cJSON_AddNumberToObject(u, history_uptime_windows[w].name, r);
		else
			cJSON_AddNullToObject(u, history_uptime_windows[w].name);
	}
}

/* "llm": {"model", "finish_reason", "tokens_out", "tokens_per_s"}: what the
 * last answer said of itself, null where it did not. */
static cJSON *llm_json(const struct sample *s)
{
	cJSON *o = cJSON_CreateObject();

	add_str_or_null(o, "model", s ? s->llm_model : NULL);
	add_str_or_null(o, "finish_reason", s ? s->finish_reason : NULL);
	if (s && s->tokens_out >= 0)
		cJSON_AddNumberToObject(o, "tokens_out", (double)s->tokens_out);
	else
		cJSON_AddNullToObject(o, "tokens_out");
	if (s && s->tokens_per_s >= 0)
		cJSON_AddNumberToObject(o, "tokens_per_s", round(s->tokens_per_s * 10.0) / 10.0);
	else
		cJSON_AddNullToObject(o, "tokens_per_s");
	return o;
}

static cJSON *target_json(const struct monitor *m, size_t i)
{
	struct monitor_target_info ti;
	struct history_stats hs;
	cJSON *o = cJSON_CreateObject();
	const struct sample *s;

	monitor_target_info(m, i, &ti);
	s = ti.last;
	cJSON_AddStringToObject(o, "name", ti.target->name);
	cJSON_AddStringToObject(o, "kind", target_kind_name(ti.target->kind));
	cJSON_AddStringToObject(o, "role", target_role_name(ti.target->role));
	add_str_or_null(o, "component", ti.target->component);
	cJSON_AddBoolToObject(o, "ok", s && s->ok);
	cJSON_AddStringToObject(o, "state", ti.needs[0] ? "skipped" : assess_state_name(ti.state));
	if (ti.needs[0])
		cJSON_AddStringToObject(o, "skipped", ti.needs);
	cJSON_AddStringToObject(o, "outcome", s ? outcome_name(s->outcome) : "none");
	cJSON_AddStringToObject(o, "outcome_text", s ? assess_outcome_text(s->outcome, s->http_status) : "no result yet");
	if (s && s->http_status)
		cJSON_AddNumberToObject(o, "http_status", (double)s->http_status);
	else
		cJSON_AddNullToObject(o, "http_status");
	if (s && s->http_version)
		cJSON_AddNumberToObject(o, "http_version", s->http_version / 10.0);
	else
		cJSON_AddNullToObject(o, "http_version");
	add_str_or_null(o, "error", s ? s->error : NULL);
	add_str_or_null(o, "remote_ip", s ? s->remote_ip : NULL);
	cJSON *tm = cJSON_AddObjectToObject(o, "timings_ms");

	add_ms(tm, "dns", s ? s->dns_ms : -1);
	add_ms(tm, "connect", s ? s->connect_ms : -1);
	add_ms(tm, "tls", s ? s->tls_ms : -1);
	add_ms(tm, "ttfb", s ? s->ttfb_ms : -1);
	add_ms(tm, "transfer", s ? s->transfer_ms : -1);
	add_ms(tm, "total", s ? s->total_ms : -1);
	if (ti.target->kind == TARGET_LLM)
		add_ms(tm, "first_token", s ? s->first_token_ms : -1);
	if (s && s->retry_after_s >= 0)
		cJSON_AddNumberToObject(o, "retry_after_s", s->retry_after_s);
	else
		cJSON_AddNullToObject(o, "retry_after_s");
	add_time(o, "server_date", s ? (double)s->server_date : 0);
	add_time(o, "cert_expiry", s ? (double)s->cert_expiry : 0);
	if (ti.target->kind == TARGET_DNS && s && s->ok) {
		cJSON_AddNumberToObject(o, "addresses_v4", s->n_addr_v4);
		cJSON_AddNumberToObject(o, "addresses_v6", s->n_addr_v6);
	}
	if (ti.target->kind == TARGET_LLM)
		cJSON_AddItemToObject(o, "llm", llm_json(s));
	cJSON_AddNumberToObject(o, "probes", (double)ti.probes);
	cJSON_AddNumberToObject(o, "failures", (double)ti.failures);
	if (history_stats(ti.history, s ? s->t + 1 : 0, 3600, &hs) == 0 && hs.count > 0) {
		cJSON *st = cJSON_AddObjectToObject(o, "stats_1h");

		cJSON_AddNumberToObject(st, "count", (double)hs.count);
		cJSON_AddNumberToObject(st, "loss", hs.loss);
		add_ms(st, "min", hs.ok_count ? hs.min : -1);
		add_ms(st, "p50", hs.ok_count ? hs.p50 : -1);
		add_ms(st, "p95", hs.ok_count ? hs.p95 : -1);
		add_ms(st, "p99", hs.ok_count ? hs.p99 : -1);
	}
	add_uptime(o, m, i, NULL, (double)time(NULL));
	if (ti.target->differential) {
		cJSON *paths = cJSON_AddObjectToObject(o, "paths");

		cJSON_AddItemToObject(paths, "ipv4", path_json(&ti.v4));
		cJSON_AddItemToObject(paths, "ipv6", path_json(&ti.v6));
		cJSON_AddItemToObject(paths, "direct", path_json(&ti.direct));
		cJSON_AddItemToObject(paths, "proxy", path_json(&ti.proxy));
	}
	return o;
}

static cJSON *update_json(const struct sp_update *u)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status", u->status);
	add_time(o, "at", (double)u->at);
	cJSON_AddStringToObject(o, "body", u->body);
	return o;
}

static cJSON *incident_json(const struct sp_incident *inc, bool maintenance)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *comps, *ups;

	cJSON_AddStringToObject(o, "id", inc->id);
	cJSON_AddStringToObject(o, "name", inc->name);
	cJSON_AddStringToObject(o, "status", inc->status);
	cJSON_AddStringToObject(o, "impact", inc->impact_raw[0] ? inc->impact_raw : statuspage_indicator_name(inc->impact));
	add_time(o, "created_at", (double)inc->created_at);
	add_time(o, "updated_at", (double)inc->updated_at);
	if (maintenance) {
		add_time(o, "scheduled_for", (double)inc->scheduled_for);
		add_time(o, "scheduled_until", (double)inc->scheduled_until);
	}
	add_str_or_null(o, "shortlink", inc->shortlink);
	comps = cJSON_AddArrayToObject(o, "components");
	for (size_t i = 0; i < inc->n_components; i++)
		cJSON_AddItemToArray(comps, cJSON_CreateString(inc->components[i]));
	ups = cJSON_AddArrayToObject(o, "updates");
	for (size_t i = 0; i < inc->n_updates; i++)
		cJSON_AddItemToArray(ups, update_json(&inc->updates[i]));
	return o;
}

static cJSON *official_json(const struct monitor *m)
{
	const struct statuspage *sp = monitor_official(m);
	const char *err = monitor_official_error(m);
	cJSON *o = cJSON_CreateObject();
	cJSON *incs, *mts, *comps;

	if (!sp) {
		cJSON_AddNullToObject(o, "indicator");
		cJSON_AddNullToObject(o, "description");
		cJSON_AddNullToObject(o, "page");
		cJSON_AddNullToObject(o, "updated_at");
		cJSON_AddArrayToObject(o, "incidents");
		cJSON_AddArrayToObject(o, "maintenances");
		cJSON_AddArrayToObject(o, "components");
		add_str_or_null(o, "error", err);
		return o;
	}
	if (sp->has_status) {
		cJSON_AddStringToObject(o, "indicator", sp->indicator_raw);
		cJSON_AddStringToObject(o, "description", sp->description);
	} else {
		cJSON_AddStringToObject(o, "indicator", statuspage_indicator_name(sp->indicator));
		cJSON_AddNullToObject(o, "description");
	}
	add_str_or_null(o, "page", sp->name);
	add_time(o, "updated_at", (double)sp->updated_at);
	incs = cJSON_AddArrayToObject(o, "incidents");
	for (size_t i = 0; i < sp->n_incidents; i++)
		if (!statuspage_state_is_closed(sp->incidents[i].state))
			cJSON_AddItemToArray(incs, incident_json(&sp->incidents[i], false));
	mts = cJSON_AddArrayToObject(o, "maintenances");
	for (size_t i = 0; i < sp->n_maintenances; i++)
		if (!statuspage_state_is_closed(sp->maintenances[i].state))
			cJSON_AddItemToArray(mts, incident_json(&sp->maintenances[i], true));
	comps = cJSON_AddArrayToObject(o, "components");
	for (size_t i = 0; i < sp->n_components; i++) {
		const struct sp_component *c = &sp->components[i];
		cJSON *co;

		if (c->is_group)
			continue;
		co = cJSON_CreateObject();
		cJSON_AddStringToObject(co, "name", c->name);
		add_str_or_null(co, "group", c->group_name);
		cJSON_AddStringToObject(co, "status", c->status_raw[0] ? c->status_raw :
							  statuspage_component_status_name(c->status));
		cJSON_AddItemToArray(comps, co);
	}
	add_str_or_null(o, "error", err);
	return o;
}

static cJSON *verdict_json(const struct verdict *v)
{
	cJSON *vo = cJSON_CreateObject();

	if (!vo)
		return NULL;
	cJSON_AddStringToObject(vo, "state", diagnose_state_name(v->state));
	cJSON_AddStringToObject(vo, "cause", diagnose_cause_name(v->cause));
	cJSON_AddStringToObject(vo, "summary", v->summary);
	cJSON_AddStringToObject(vo, "detail", v->detail);
	add_str_or_null(vo, "target", v->target);
	cJSON_AddNumberToObject(vo, "exit_code", diagnose_exit_code(v->state));
	if (v->have_skew)
		cJSON_AddNumberToObject(vo, "clock_skew_s", v->clock_skew_s);
	return vo;
}

cJSON *snapshot_json(const struct monitor *m)
{
	const struct verdict *v = monitor_verdict(m);
	const struct checklist *cl = monitor_checklist(m);
	cJSON *root = cJSON_CreateObject();
	cJSON *vo, *arr;

	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "service", monitor_config(m)->service ? monitor_config(m)->service : "");
	add_time(root, "time", monitor_last_result(m));
	vo = verdict_json(v);
	cJSON_AddItemToObject(root, "verdict", vo);
	add_str_or_null(vo, "status_page_lag", monitor_lag_text(m));

	arr = cJSON_AddArrayToObject(root, "targets");
	for (size_t i = 0; i < monitor_target_count(m); i++)
		cJSON_AddItemToArray(arr, target_json(m, i));

	arr = cJSON_AddArrayToObject(root, "components");
	for (size_t i = 0; i < monitor_component_count(m); i++) {
		struct monitor_component_info ci;
		cJSON *co = cJSON_CreateObject();

		monitor_component_info(m, i, &ci);
		cJSON_AddStringToObject(co, "name", ci.name);
		cJSON_AddStringToObject(co, "state", assess_component_name(ci.state));
		/* why it is unknown, e.g. "unreachable from here" under a local verdict;
		 * only then, so that the usual component keeps its three keys */
		if (ci.reason && ci.reason[0])
			cJSON_AddStringToObject(co, "reason", ci.reason);
		if (ci.official_known)
			cJSON_AddStringToObject(co, "official", assess_official_name(ci.official));
		else
			cJSON_AddNullToObject(co, "official");
		add_uptime(co, m, 0, ci.name, (double)time(NULL));
		cJSON_AddItemToArray(arr, co);
	}

	cJSON_AddItemToObject(root, "official", official_json(m));

	arr = cJSON_AddArrayToObject(root, "checklist");
	for (size_t i = 0; i < cl->n; i++) {
		const struct checklist_step *st = &cl->steps[i];
		cJSON *so = cJSON_CreateObject();

		cJSON_AddStringToObject(so, "id", st->id);
		cJSON_AddStringToObject(so, "title", st->title);
		cJSON_AddStringToObject(so, "result", checklist_result_name(st->result));
		cJSON_AddStringToObject(so, "detail", st->detail);
		cJSON_AddStringToObject(so, "advice", st->advice);
		cJSON_AddItemToArray(arr, so);
	}

	arr = cJSON_AddArrayToObject(root, "events");
	struct eventlog *log = monitor_events(m);
	size_t n = eventlog_count(log);

	/* the newest ones, oldest first: the log reloaded from its file can hold thousands */
	if (n > SNAPSHOT_EVENTS_MAX)
		n = SNAPSHOT_EVENTS_MAX;
	for (size_t i = n; i-- > 0;)
		cJSON_AddItemToArray(arr, eventlog_event_json(eventlog_at(log, i)));
	return root;
}

cJSON *snapshot_fleet_json(const struct fleet *f)
{
	static const char *const per_service[] = {"components", "official", "targets", "checklist"};
	cJSON *root = cJSON_CreateObject(), *services, *vo;
	struct verdict v;
	size_t worst;
	double last = 0;

	if (!root)
		return NULL;
	fleet_verdict(f, &v, &worst);
	for (size_t i = 0; i < fleet_count(f); i++)
		if (monitor_last_result(fleet_monitor(f, i)) > last)
			last = monitor_last_result(fleet_monitor(f, i));
	add_time(root, "time", last);
	vo = verdict_json(&v);
	cJSON_AddItemToObject(root, "verdict", vo);
	if (vo && v.state != VERDICT_OPERATIONAL && v.state != VERDICT_LOCAL_PROBLEM)
		cJSON_AddStringToObject(vo, "service", monitor_config(fleet_monitor(f, worst))->service);
	else if (vo)
		cJSON_AddNullToObject(vo, "service");
	services = cJSON_AddArrayToObject(root, "services");
	for (size_t i = 0; services && i < fleet_count(f); i++) {
		const struct monitor *m = fleet_monitor(f, i);
		const struct config *cfg = monitor_config(m);
		cJSON *whole = snapshot_json(m), *so = cJSON_CreateObject(), *sv;

		if (!whole || !so) {
			cJSON_Delete(whole);
			cJSON_Delete(so);
			cJSON_Delete(root);
			return NULL;
		}
		cJSON_AddStringToObject(so, "service", cfg->service);
		add_str_or_null(so, "group", cfg->group ? cfg->group : "");
		sv = cJSON_DetachItemFromObjectCaseSensitive(whole, "verdict");
		add_str_or_null(sv, "fallback", monitor_verdict(m)->fallback);
		cJSON_AddItemToObject(so, "verdict", sv);
		for (size_t k = 0; k < sizeof(per_service) / sizeof(per_service[0]); k++)
			cJSON_AddItemToObject(so, per_service[k], cJSON_DetachItemFromObjectCaseSensitive(whole, per_service[k]));
		cJSON_Delete(whole);
		cJSON_AddItemToArray(services, so);
	}
	return root;
}
