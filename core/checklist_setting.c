/* checklist_setting.c: the checklist's steps about the setting rather than the
 * way there: the API key, rate limits, latency, the official status page, the
 * proxy and the clock. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "proxyenv.h"
#include "sanitize.h"
#include "timefmt.h"

#include "checklist_internal.h"

void cl_step_api_key(const struct diagnose_input *in, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "api_key", "API key");
	const struct diagnose_target *t = NULL;
	const struct sample *s;
	char h[96];

	for (size_t i = 0; i < in->n_targets && !t; i++) {
		if (dx_is_service(&in->targets[i]) && in->targets[i].key_configured)
			t = &in->targets[i];
	}
	if (!t) {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no API key set");
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "set the key variable the config refers to (e.g. OPENAI_API_KEY) to check the key too");
		return;
	}
	s = t->last;
	dx_clean(h, sizeof(h), dx_name_of(t));
	if (!s) {
		sanitize_snprintf(st->detail, sizeof(st->detail), "no result yet");
		return;
	}
	if (!s->key_sent && s->http_status > 0) {
		/* build_headers keeps a secret off plain http: the answer says
		 * nothing about the key */
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: the key is not sent over plain http", h);
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "use an https URL for this target so that the key can be checked");
	} else if (s->outcome == OUTCOME_AUTH_REJECTED) {
		st->result = CHECKLIST_FAIL;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP %ld, the key was rejected", h, s->http_status);
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "the key is wrong, revoked, or has no access to this project or organisation: "
		    "check it, or create a new one");
	} else if (s->ok || s->outcome == OUTCOME_RATE_LIMITED) {
		st->result = CHECKLIST_PASS;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: key accepted (HTTP %ld)", h, s->http_status);
	} else {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "not reached: %s", assess_outcome_text(s->outcome, s->http_status));
	}
}

void cl_step_rate_limit(const struct diagnose_input *in, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "rate_limit", "Rate limits");
	bool any_http = false, any_answer = false;
	char h[96], d[48];

	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		const struct sample *s = t->last;

		if (!dx_is_service(t) || t->kind != TARGET_HTTP)
			continue;
		any_http = true;
		if (!s)
			continue;
		if (s->http_status > 0)
			any_answer = true;
		if (s->outcome != OUTCOME_RATE_LIMITED)
			continue;
		dx_clean(h, sizeof(h), dx_name_of(t));
		st->result = CHECKLIST_WARN;
		if (s->retry_after_s >= 0) {
			timefmt_duration(s->retry_after_s, d, sizeof(d));
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP 429, retry after %s", h, d);
		} else {
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP 429", h);
		}
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "too many requests, or the quota is used up: wait for the retry time, send fewer "
		    "requests, check your plan's limits and usage");
		return;
	}
	if (!any_http) {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no web or API target");
	} else if (any_answer) {
		st->result = CHECKLIST_PASS;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no HTTP 429 answers");
	} else {
		sanitize_snprintf(st->detail, sizeof(st->detail), "no HTTP answer yet");
	}
}

void cl_step_latency(const struct diagnose_input *in, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "latency", "Latency");
	size_t off = 0;
	int listed = 0;

	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		enum assess_state s = t->state == ASSESS_CONFIRMING ? t->settled : t->state;
		double limit;
		char h[64], med[32], base[32], lim[32];

		if (!dx_is_service(t) || t->median_ms <= 0)
			continue;
		limit = assess_slow_limit(in->params, t->slow_ms, t->baseline_ms);
		dx_clean(h, sizeof(h), dx_name_of(t));
		timefmt_ms(t->median_ms, med, sizeof(med));
		if (s == ASSESS_DEGRADED || (limit > 0 && t->median_ms > limit)) {
			timefmt_ms(limit, lim, sizeof(lim));
			st->result = CHECKLIST_WARN;
			if (t->baseline_ms > 0) {
				timefmt_ms(t->baseline_ms, base, sizeof(base));
				sanitize_snprintf(st->detail, sizeof(st->detail), "%s: %s, usually %s (limit %s)", h, med,
				    base, lim);
			} else {
				sanitize_snprintf(st->detail, sizeof(st->detail), "%s: %s (limit %s)", h, med, lim);
			}
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "slower than usual: if the control targets are slow too it is your "
			    "connection, otherwise the service is under load");
			return;
		}
		if (listed < 3 && off < sizeof(st->detail)) {
			sanitize_snprintf(st->detail + off, sizeof(st->detail) - off, "%s%s %s", off ? ", " : "", h, med);
			off = strlen(st->detail);
			listed++;
		}
	}
	if (listed > 0)
		st->result = CHECKLIST_PASS;
	else
		sanitize_snprintf(st->detail, sizeof(st->detail), "no latency figures yet");
}

void cl_step_official(const struct diagnose_input *in, const struct verdict *v,
			  struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "official", "Official status page");
	const struct diagnose_official *o = &in->official;
	char err[SAMPLE_ERROR_LEN];

	dx_clean(err, sizeof(err), o->fetch_error);
	if (!o->configured) {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no status page configured");
		return;
	}
	if (!o->have_status) {
		if (*err) {
			st->result = CHECKLIST_WARN;
			sanitize_snprintf(st->detail, sizeof(st->detail), "not read: %s", err);
			sanitize_snprintf(st->advice, sizeof(st->advice), "open the status page in a browser");
		} else {
			sanitize_snprintf(st->detail, sizeof(st->detail), "not read yet");
		}
		return;
	}
	if (v->official_bad) {
		st->result = v->official == ASSESS_COMPONENT_PARTIAL_OUTAGE ||
					     v->official == ASSESS_COMPONENT_MAJOR_OUTAGE
				     ? CHECKLIST_FAIL
				     : CHECKLIST_WARN;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s", v->official_text);
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "the provider knows: follow the incident's updates; nothing to fix on your side");
		return;
	}
	if (v->cause == VERDICT_CAUSE_MAINTENANCE || v->official == ASSESS_COMPONENT_MAINTENANCE) {
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s", v->cause == VERDICT_CAUSE_MAINTENANCE
							  ? v->summary : v->official_text);
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "planned work: expect interruptions during the window");
		return;
	}
	st->result = CHECKLIST_PASS;
	if (*err) {
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s (stale: %s)", v->official_text, err);
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "the status page could not be read again: what it says may be old");
	} else if (v->ours_failing) {
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s, though our probes fail", v->official_text);
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "status pages often lag an outage by minutes: trust the probes, check again soon");
	} else {
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s", v->official_text);
	}
}

/* Whether no_proxy exempts host: "*", an exact name, or a domain suffix. */
static bool no_proxy_covers(const char *list, const char *host)
{
	size_t hl;

	if (!dx_nonempty(list) || !dx_nonempty(host))
		return false;
	hl = strlen(host);
	while (*list) {
		size_t n;
		const char *e;

		list += strspn(list, ", \t");
		n = strcspn(list, ", \t");
		e = list;
		if (n == 1 && *e == '*')
			return true;
		if (n > 0 && *e == '.') {
			e++;
			n--;
		}
		if (n > 0 && hl >= n && strncasecmp(host + hl - n, e, n) == 0 &&
		    (hl == n || host[hl - n - 1] == '.'))
			return true;
		list = e + n;
	}
	return false;
}

void cl_step_proxy(const struct diagnose_input *in, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "proxy", "Proxy");
	const char *proxy = NULL;
	const char *no_proxy = dx_nonempty(in->env.no_proxy) ? in->env.no_proxy : in->env.NO_PROXY;
	const struct diagnose_target *pass = NULL, *bypass = NULL;
	char p[96], h[96];

	for (size_t i = 0; i < in->n_targets && !proxy; i++)
		if (dx_is_service(&in->targets[i]) && in->targets[i].kind == TARGET_HTTP)
			proxy = proxyenv_for(&in->env, in->targets[i].plain_http);
	if (!proxy) {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no proxy in the environment: direct connections");
		return;
	}
	dx_proxy_display(p, sizeof(p), proxy);
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		const char *tp = proxyenv_for(&in->env, t->plain_http);
		bool split = diagnose_path_works(&t->direct) && diagnose_path_fails(&t->proxy);

		/* only curl's requests go through a proxy, and only where one is set for the scheme */
		if (!dx_is_service(t) || t->kind != TARGET_HTTP || !tp)
			continue;
		dx_proxy_display(p, sizeof(p), tp);
		if (no_proxy_covers(no_proxy, t->host)) {
			if (!bypass)
				bypass = t;
			continue;
		}
		if (split || (t->last && t->last->outcome == OUTCOME_PROXY_FAIL &&
			      diagnose_target_health(t) == DIAGNOSE_FAIL)) {
			dx_clean(h, sizeof(h), dx_name_of(t));
			st->result = CHECKLIST_FAIL;
			if (split)
				sanitize_snprintf(st->detail, sizeof(st->detail), "%s works directly but fails through %s", h, p);
			else if (t->last->proxy_status > 0)
				sanitize_snprintf(st->detail, sizeof(st->detail),
				    "%s fails at the proxy %s: it refuses the tunnel (HTTP %ld)", h, p, t->last->proxy_status);
			else
				sanitize_snprintf(st->detail, sizeof(st->detail), "%s fails at the proxy %s", h, p);
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the proxy is down or refuses this site: check its settings, or unset "
			    "%s to test a direct connection", t->plain_http ? "http_proxy" : "https_proxy");
			return;
		}
		if (!pass && t->last && cl_answered(t->last))
			pass = t;
	}
	if (pass) {
		st->result = CHECKLIST_PASS;
		dx_proxy_display(p, sizeof(p), proxyenv_for(&in->env, pass->plain_http));
		dx_clean(h, sizeof(h), dx_name_of(pass));
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s answers through %s", h, p);
	} else if (bypass) {
		st->result = CHECKLIST_PASS;
		dx_proxy_display(p, sizeof(p), proxyenv_for(&in->env, bypass->plain_http));
		dx_clean(h, sizeof(h), dx_host_of(bypass));
		sanitize_snprintf(st->detail, sizeof(st->detail), "proxy %s set, but no_proxy exempts %s", p, h);
	} else {
		sanitize_snprintf(st->detail, sizeof(st->detail), "proxy %s set; no answer through it yet", p);
	}
}

void cl_step_clock(const struct diagnose_input *in, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "clock", "Clock");
	double skew, limit = in->skew_limit_s > 0 ? in->skew_limit_s : DIAGNOSE_SKEW_LIMIT_S;
	const char *host = NULL;
	bool any = false;
	char h[96], d[48];

	if (!diagnose_clock_skew(in, &skew, &host)) {
		int hosts = 0;

		/* no server date: the certificates of several sites may still tell */

		if (diagnose_cert_clock(in, &skew, &hosts)) {
			st->result = CHECKLIST_FAIL;
			if (fabs(skew) >= 1) {
				timefmt_duration(skew, d, sizeof(d));
				sanitize_snprintf(st->detail, sizeof(st->detail),
				    "your clock is at least %s %s: the certificates of %d sites are all %s", d,
				    skew > 0 ? "behind" : "ahead", hosts, skew > 0 ? "not valid yet" : "expired");
			} else {
				sanitize_snprintf(st->detail, sizeof(st->detail),
				    "the certificates of %d sites are all %s: your clock is off", hosts,
				    skew >= 0 ? "not valid yet" : "expired");
			}
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "set the clock (turn on NTP, e.g. timedatectl set-ntp true): certificates and "
			    "tokens fail when it is off");
			return;
		}
		for (size_t i = 0; i < in->n_targets && !any; i++)
			any = in->targets[i].last && in->targets[i].last->http_status > 0;
		if (any) {
			st->result = CHECKLIST_SKIP;
			sanitize_snprintf(st->detail, sizeof(st->detail), "no server sent a Date header");
		} else {
			sanitize_snprintf(st->detail, sizeof(st->detail), "no server date yet");
		}
		return;
	}
	dx_clean(h, sizeof(h), host);
	timefmt_duration(skew, d, sizeof(d));
	if (fabs(skew) > CHECKLIST_CLOCK_WARN_S) {
		sanitize_snprintf(st->detail, sizeof(st->detail), "your clock is %s %s %s", d,
		    skew > 0 ? "behind" : "ahead of", h);
		st->result = fabs(skew) > limit ? CHECKLIST_FAIL : CHECKLIST_WARN;
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "set the clock (turn on NTP, e.g. timedatectl set-ntp true): certificates and "
		    "tokens fail when it is off");
	} else {
		st->result = CHECKLIST_PASS;
		sanitize_snprintf(st->detail, sizeof(st->detail), "within %s of %s", d, h);
	}
}
