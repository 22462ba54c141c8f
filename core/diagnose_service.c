/* diagnose_service.c: the causes on the service's side: the official page
 * saying it fails, our service targets failing (all, some, one component), and
 * the service answering (slowly, with errors, under maintenance, all good). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "sanitize.h"
#include "timefmt.h"

#include "diagnose_internal.h"

static void official_words(const struct ctx *c, char *buf, size_t len)
{
	const struct diagnose_official *o = &c->in->official;
	char t[160];

	if (c->incident) {
		dx_clean(t, sizeof(t), dx_nonempty(c->incident->title) ? c->incident->title : "untitled");
		if (c->incident->impact != DIAGNOSE_IMPACT_UNKNOWN)
			sanitize_snprintf(buf, len, "official incident: %s (%s)", t,
			    diagnose_impact_name(c->incident->impact));
		else
			sanitize_snprintf(buf, len, "official incident: %s", t);
	} else if (dx_nonempty(o->description)) {
		dx_clean(t, sizeof(t), o->description);
		sanitize_snprintf(buf, len, "official status: %s", t);
	} else {
		sanitize_snprintf(buf, len, "official status: %s", assess_component_name(c->official));
	}
}

/* The same, for a place that already says "official": "TITLE (major)" or the description. */
void dx_official_short(const struct ctx *c, char *buf, size_t len)
{
	const struct diagnose_official *o = &c->in->official;
	char t[160];

	if (c->incident) {
		dx_clean(t, sizeof(t), dx_nonempty(c->incident->title) ? c->incident->title : "untitled");
		if (c->incident->impact != DIAGNOSE_IMPACT_UNKNOWN)
			sanitize_snprintf(buf, len, "%s (%s)", t, diagnose_impact_name(c->incident->impact));
		else
			sanitize_snprintf(buf, len, "%s", t);
	} else if (dx_nonempty(o->description)) {
		dx_clean(buf, len, o->description);
	} else {
		sanitize_snprintf(buf, len, "%s", assess_component_name(c->official));
	}
}

bool dx_try_official_failing(struct ctx *c, struct verdict *v)
{
	const struct diagnose_target *first = NULL;
	char t[160];

	if (c->svc_down == 0)
		return false;
	for (size_t i = 0; i < c->in->n_targets && !first; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (dx_is_service(t) && diagnose_target_health(t) == DIAGNOSE_FAIL && dx_fail_class_of(t) != FC_4XX)
			first = t;
	}
	if (c->official_bad) {
		dx_set(v, dx_outage_state(c), VERDICT_CAUSE_OFFICIAL_INCIDENT, first);
		official_words(c, v->summary, sizeof(v->summary));
		return true;
	}
	if (c->maint_now || c->comp_maintenance) {
		dx_set(v, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE, first);
		if (c->maint_now) {
			dx_clean(t, sizeof(t), dx_nonempty(c->maint_now->title) ? c->maint_now->title : "untitled");
			sanitize_snprintf(v->summary, sizeof(v->summary), "scheduled maintenance in progress: %s", t);
		} else {
			sanitize_snprintf(v->summary, sizeof(v->summary), "scheduled maintenance in progress");
		}
		return true;
	}
	return false;
}

/* "API is failing (HTTP 503); ChatGPT answers" when every failing service
 * target belongs to t's component and a target of another component answers
 * over the network (a name lookup proves nothing about the service). */
/* A model (an llm target) that fails while another target of its component
 * answers (its /v1/models, say): the partial outage people meet, "the API
 * answers, but gpt-4o-mini fails: ...". */
static bool model_fails(const struct ctx *c, const struct diagnose_target *t, struct verdict *v)
{
	const struct diagnose_target *up = NULL;
	const struct sample *s = dx_failed_sample(t);
	char component[64], model[64];
	enum fail_class fc;

	if (t->kind != TARGET_LLM || !dx_nonempty(t->component) || !s)
		return false;
	for (size_t i = 0; i < c->in->n_targets && !up; i++) {
		const struct diagnose_target *x = &c->in->targets[i];

		if (x != t && dx_is_service(x) && x->kind != TARGET_LLM && x->kind != TARGET_DNS &&
		    dx_nonempty(x->component) && strcasecmp(x->component, t->component) == 0 &&
		    diagnose_target_health(x) == DIAGNOSE_PASS)
			up = x;
	}
	if (!up)
		return false;
	fc = dx_fail_class_of(t);
	dx_set(v, VERDICT_PARTIAL_OUTAGE, fc == FC_5XX ? VERDICT_CAUSE_HTTP_5XX :
					  fc == FC_TIMEOUT ? VERDICT_CAUSE_TIMEOUT : VERDICT_CAUSE_BAD_RESPONSE, t);
	dx_clean(component, sizeof(component), t->component);
	dx_clean(model, sizeof(model), dx_name_of(t));
	sanitize_snprintf(v->summary, sizeof(v->summary), "the %s answers, but %s fails: %s", component, model,
			  s->error[0] ? s->error : assess_outcome_text(s->outcome, s->http_status));
	return true;
}

static bool component_split(const struct ctx *c, const struct diagnose_target *t, char *buf, size_t len)
{
	const struct diagnose_target *up = NULL;
	const struct sample *s = dx_failed_sample(t);
	char failing[64], answering[64], how[64];

	if (!dx_nonempty(t->component) || !s)
		return false;
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *x = &c->in->targets[i];
		enum diagnose_health h = diagnose_target_health(x);

		if (!dx_is_service(x))
			continue;
		if (h == DIAGNOSE_FAIL && dx_fail_class_of(x) != FC_4XX &&
		    (!dx_nonempty(x->component) || strcasecmp(x->component, t->component) != 0))
			return false;
		if (!up && h == DIAGNOSE_PASS && x->kind != TARGET_DNS && dx_nonempty(x->component) &&
		    strcasecmp(x->component, t->component) != 0)
			up = x;
	}
	if (!up)
		return false;
	/* a component that also has an answering target is not plainly failing */
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *x = &c->in->targets[i];

		if (dx_is_service(x) && x->kind != TARGET_DNS && diagnose_target_health(x) == DIAGNOSE_PASS &&
		    dx_nonempty(x->component) && strcasecmp(x->component, t->component) == 0)
			return false;
	}
	dx_clean(failing, sizeof(failing), t->component);
	dx_clean(answering, sizeof(answering), up->component);
	if (t->last && (t->last->ok || assess_outcome_reachable(t->last->outcome)))
		sanitize_snprintf(how, sizeof(how), "not answering reliably");
	else if (s->http_status > 0)
		sanitize_snprintf(how, sizeof(how), "HTTP %ld", s->http_status);
	else if (dx_fail_class_of(t) == FC_TIMEOUT && t->timeout_s > 0)
		sanitize_snprintf(how, sizeof(how), "connects, then no answer within %g s", t->timeout_s);
	else
		sanitize_snprintf(how, sizeof(how), "%s", assess_outcome_text(s->outcome, 0));
	sanitize_snprintf(buf, len, "%s is failing (%s); %s answers", failing, how, answering);
	return true;
}

/* Whether a control failed lately: its state, or one of its recent results. */
static bool controls_falter(const struct ctx *c)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (!dx_is_control(t))
			continue;
		if (diagnose_target_health(t) == DIAGNOSE_FAIL)
			return true;
		for (int k = 0; k < t->n_recent && k < DIAGNOSE_RECENT; k++)
			if (!assess_outcome_reachable(t->recent[k].outcome) && t->recent[k].outcome != OUTCOME_OK)
				return true;
	}
	return false;
}

/* A target down in ways that do not repeat: a lossy or slow link, and no one
 * name, family or path to blame. */
static void lossy_words(const struct ctx *c, const struct diagnose_target *t, struct verdict *v)
{
	char b[96], ways[160] = "";
	bool seen[OUTCOME_COUNT] = { false };
	size_t off = 0;

	dx_clean(b, sizeof(b), dx_name_of(t));
	for (int k = 0; k < t->n_recent && k < DIAGNOSE_RECENT; k++) {
		enum outcome o = t->recent[k].outcome;

		if (o == OUTCOME_OK || assess_outcome_reachable(o) || o >= OUTCOME_COUNT || seen[o])
			continue;
		seen[o] = true;
		sanitize_snprintf(ways + off, sizeof(ways) - off, "%s%s", off ? ", " : "", assess_outcome_text(o, 0));
		off = strlen(ways);
	}
	if (!ways[0])
		sanitize_snprintf(ways, sizeof(ways), "%s", "in different ways");
	if (controls_falter(c)) {
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_LOSSY, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "your connection is lossy or slow: %s fails on and off (%s) and the control targets "
		    "fail at times too; no one cause repeats", b, ways);
	} else {
		dx_set(v, VERDICT_DEGRADED, VERDICT_CAUSE_LOSSY, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "the way to %s is lossy or slow: %s fails on and off (%s); no one cause repeats", c->svc, b,
		    ways);
	}
}

bool dx_try_service_failing(struct ctx *c, struct verdict *v)
{
	const struct diagnose_target *t;
	const char *svc = c->svc;
	char a[NAME_LEN], b[NAME_LEN], w[96], cs[VERDICT_SUMMARY_LEN];

	if (c->svc_down == 0)
		return false;

	t = dx_lossy_picture(c);
	if (t) {
		lossy_words(c, t, v);
		return true;
	}

	t = dx_failing_with(c, FC_DNS);
	if (t) {
		dx_clean(a, sizeof(a), dx_host_of(t));
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE, t);
		if (c->name_pass)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "DNS problem for %s: %s does not resolve, other names do", svc, a);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "DNS problem for %s: %s does not resolve", svc, a);
		return true;
	}

	t = dx_failing_with(c, FC_TLS);
	if (t) {
		const struct sample *s = t->last;

		dx_clean(a, sizeof(a), dx_host_of(t));
		if (s->cert_expiry > 0 && (double)s->cert_expiry < s->t) {
			timefmt_duration(s->t - (double)s->cert_expiry, b, sizeof(b));
			dx_set(v, dx_outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s is down: the certificate of %s expired %s ago", svc, a, b);
		} else if (dx_cert_expired(s)) {
			dx_set(v, dx_outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s is down: the certificate of %s has expired", svc, a);
		} else {
			dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "TLS failure for %s: certificate problem or interception (captive portal, proxy, antivirus)", a);
		}
		return true;
	}

	t = dx_failing_with(c, FC_TLS_STALL);
	if (t) {
		dx_clean(a, sizeof(a), dx_host_of(t));
		if (c->ctl_pass > 0 && c->official_green) {
			dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the TLS handshake with %s stalls (TCP connects, no answer) while other sites work and "
			    "its status page says all is well: probably filtered on your side (firewall)", a);
		} else if (c->ctl_pass > 0) {
			dx_set(v, dx_outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the TLS handshake with %s stalls (TCP connects, no answer) while other sites work: "
			    "a firewall filtering by name, or its edge is stuck", a);
		} else {
			dx_set(v, dx_outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the TLS handshake with %s stalls: TCP connects, the handshake gets no answer", a);
		}
		return true;
	}

	t = dx_failing_with(c, FC_UNREACHABLE);
	if (t) {
		if (c->ctl_pass > 0 && c->official_green) {
			dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_UNREACHABLE, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s unreachable from here while other sites work and its status page says all is well: "
			    "probably blocked on your side (firewall, proxy, VPN)", svc);
		} else if (c->ctl_pass > 0) {
			dx_set(v, dx_outage_state(c), VERDICT_CAUSE_UNREACHABLE, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s unreachable while other sites work: blocked (firewall, proxy) or its edge is down",
			    svc);
		} else {
			dx_set(v, dx_outage_state(c), VERDICT_CAUSE_UNREACHABLE, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s unreachable from here (no control target answers to compare with)", svc);
		}
		return true;
	}

	t = dx_failing_with(c, FC_5XX);
	if (!t)
		t = dx_failing_with(c, FC_TIMEOUT);
	if (!t)
		t = dx_failing_with(c, FC_BAD);
	if (!t) {
		t = dx_failing_with(c, FC_LOSSY);
		if (!t)
			return false;
		lossy_words(c, t, v);
		return true;
	}
	dx_clean(b, sizeof(b), dx_name_of(t));
	dx_failure_words(w, sizeof(w), t);
	if (model_fails(c, t, v))
		return true;
	if (component_split(c, t, cs, sizeof(cs))) {
		/* one component fails, another answers: say which */
		dx_set(v, dx_outage_state(c), c->official_green ? VERDICT_CAUSE_STATUS_LAG :
					dx_fail_class_of(t) == FC_5XX ? VERDICT_CAUSE_HTTP_5XX :
					dx_fail_class_of(t) == FC_TIMEOUT ? VERDICT_CAUSE_TIMEOUT :
									 VERDICT_CAUSE_BAD_RESPONSE, t);
		if (c->official_green)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s; the status page has not caught up", cs);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary), "%s", cs);
		return true;
	}
	if (c->official_green) {
		dx_set(v, dx_outage_state(c), VERDICT_CAUSE_STATUS_LAG, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "down for us (%s); the status page has not caught up", w);
		return true;
	}
	switch (dx_fail_class_of(t)) {
	case FC_5XX:
		dx_set(v, dx_outage_state(c), VERDICT_CAUSE_HTTP_5XX, t);
		sanitize_snprintf(v->summary, sizeof(v->summary), "%s is failing: %s from %s", svc, w, b);
		break;
	case FC_TIMEOUT:
		dx_set(v, dx_outage_state(c), VERDICT_CAUSE_TIMEOUT, t);
		if (t->timeout_s > 0)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s does not answer: %s connects, then no answer within %g s", svc, b,
			    t->timeout_s);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s does not answer: %s connects, then no answer in time", svc, b);
		break;
	default:
		dx_set(v, dx_outage_state(c), VERDICT_CAUSE_BAD_RESPONSE, t);
		sanitize_snprintf(v->summary, sizeof(v->summary), "%s answers wrongly: %s from %s", svc, w, b);
		break;
	}
	return true;
}

bool dx_try_answering(struct ctx *c, struct verdict *v)
{
	const struct diagnose_target *t;
	const char *svc = c->svc;
	char a[NAME_LEN], b[NAME_LEN], d[64];

	if (c->official_bad) {
		enum verdict_state st = dx_state_of_component(c->official);

		if (st == VERDICT_OPERATIONAL || st == VERDICT_UNKNOWN || st == VERDICT_MAINTENANCE)
			st = VERDICT_DEGRADED;
		dx_set(v, st, VERDICT_CAUSE_OFFICIAL_INCIDENT, NULL);
		official_words(c, v->summary, sizeof(v->summary));
		if (c->svc_pass > 0) {
			size_t n = strlen(v->summary);

			sanitize_snprintf(v->summary + n, sizeof(v->summary) - n, "; our probes pass");
		}
		return true;
	}
	if (c->maint_now || c->comp_maintenance) {
		dx_set(v, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE, NULL);
		if (c->maint_now) {
			dx_clean(a, sizeof(a), dx_nonempty(c->maint_now->title) ? c->maint_now->title : "untitled");
			if (c->maint_now->ends > c->in->now) {
				timefmt_duration(c->maint_now->ends - c->in->now, d, sizeof(d));
				sanitize_snprintf(v->summary, sizeof(v->summary),
				    "scheduled maintenance in progress: %s (ends in %s)", a, d);
			} else {
				sanitize_snprintf(v->summary, sizeof(v->summary), "scheduled maintenance in progress: %s", a);
			}
		} else {
			sanitize_snprintf(v->summary, sizeof(v->summary), "scheduled maintenance in progress");
		}
		return true;
	}
	if (c->svc_n == 0 && c->official_green) {
		/* a config that only follows the status page: its word is all there is */
		dx_set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, NULL);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "all good, says the official status page (no probes of our own)");
		return true;
	}
	if (c->svc_known == 0) {
		dx_set(v, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, NULL);
		sanitize_snprintf(v->summary, sizeof(v->summary), "no results yet");
		return true;
	}

	t = dx_answered_with(c, OUTCOME_AUTH_REJECTED);
	if (t) {
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_AUTH_REJECTED, t);
		if (t->last->key_sent)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "your API key was rejected (HTTP %ld); %s itself is up", t->last->http_status, svc);
		else if (t->plain_http)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s refuses the request (HTTP %ld): the API key was not sent, it is only sent over "
			    "https; %s itself is up", b, t->last->http_status, svc);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s refuses the request (HTTP %ld): the API key was not sent, its variable is not "
			    "set; %s itself is up", b, t->last->http_status, svc);
		return true;
	}
	t = dx_answered_with(c, OUTCOME_RATE_LIMITED);
	if (t) {
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_DEGRADED, VERDICT_CAUSE_RATE_LIMITED, t);
		if (t->last->retry_after_s >= 0) {
			v->retry_after_s = t->last->retry_after_s;
			timefmt_duration(t->last->retry_after_s, d, sizeof(d));
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "rate limited by %s (HTTP 429), retry after %s", b, d);
		} else {
			sanitize_snprintf(v->summary, sizeof(v->summary), "rate limited by %s (HTTP 429)", b);
		}
		return true;
	}

	t = dx_refused(c);
	if (t) {
		char w[96];

		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_failure_words(w, sizeof(w), t);
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_BAD_RESPONSE, t);
		if (dx_failed_sample(t) && dx_failed_sample(t)->http_status == 511)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "your network asks you to sign in (HTTP 511 from %s): a captive portal; open any "
			    "site in a browser", b);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s answers %s: %s is up, but refuses this request (check the URL in the config, "
			    "or a filter or portal answering for it)", b, w, svc);
		return true;
	}

	for (size_t i = 0; i < c->in->n_targets; i++) {
		t = &c->in->targets[i];
		if (!dx_is_service(t) || diagnose_target_health(t) != DIAGNOSE_FLAP)
			continue;
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_DEGRADED, VERDICT_CAUSE_FLAPPING, t);
		sanitize_snprintf(v->summary, sizeof(v->summary), "%s is unstable: %s keeps going up and down", svc, b);
		return true;
	}
	for (size_t i = 0; i < c->in->n_targets; i++) {
		enum assess_state s;

		t = &c->in->targets[i];
		s = t->state == ASSESS_CONFIRMING ? t->settled : t->state;
		if (!dx_is_service(t) || s != ASSESS_DEGRADED)
			continue;
		dx_clean(b, sizeof(b), dx_name_of(t));
		timefmt_ms(t->median_ms, a, sizeof(a));
		dx_set(v, VERDICT_DEGRADED, VERDICT_CAUSE_SLOW, t);
		if (t->baseline_ms > 0) {
			timefmt_ms(t->baseline_ms, d, sizeof(d));
			sanitize_snprintf(v->summary, sizeof(v->summary), "%s is slow: %s takes %s, usually %s", svc, b, a, d);
		} else {
			sanitize_snprintf(v->summary, sizeof(v->summary), "%s is slow: %s takes %s", svc, b, a);
		}
		return true;
	}
	if (c->maint_next) {
		dx_clean(a, sizeof(a), dx_nonempty(c->maint_next->title) ? c->maint_next->title : "untitled");
		timefmt_duration(c->maint_next->starts - c->in->now, d, sizeof(d));
		dx_set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_MAINTENANCE, NULL);
		sanitize_snprintf(v->summary, sizeof(v->summary), "all good; scheduled maintenance in %s: %s", d, a);
		return true;
	}
	t = dx_answered_with(c, OUTCOME_CHALLENGED);
	if (t) {
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_CHALLENGED, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "%s is up: %s is reachable but shows a bot challenge (a browser would pass it)", svc, b);
		return true;
	}
	dx_set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, NULL);
	sanitize_snprintf(v->summary, sizeof(v->summary), "all good: %s answers normally", svc);
	return true;
}
