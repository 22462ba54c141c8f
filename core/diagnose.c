/* diagnose.c: the verdict, reasoned layer by layer.
 *
 * diagnose_verdict reads a struct diagnose_input that the monitor fills for
 * each redraw or --once report and writes a struct verdict the caller owns;
 * nothing is kept between calls except in struct diagnose_lag, which the
 * monitor embeds and feeds with every verdict to measure how far the official
 * page lagged our own detection. The order in which causes are tried is the
 * precedence written down in diagnose.h; each cause's test reads the same
 * counts (service and control targets, up and down) and the official status
 * restricted to the components our targets belong to. */
#include "diagnose.h"

#include "sanitize.h"
#include "timefmt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diagnose_internal.h"

/* The class of one failed outcome; connected: a connection was made. */
static enum fail_class class_of_outcome(const struct diagnose_target *t, enum outcome o, bool dx_connected,
					bool tls_stalled, long http_status)
{
	switch (o) {
	case OUTCOME_DNS_FAIL:
		return FC_DNS;
	case OUTCOME_CONNECT_FAIL:
		return FC_UNREACHABLE;
	case OUTCOME_TLS_FAIL:
		return FC_TLS;
	case OUTCOME_PROXY_FAIL:
		return FC_PROXY;
	case OUTCOME_HTTP_5XX:
		/* 511: the network (a captive portal) wants a sign-in, not the service */
		return http_status == 511 ? FC_4XX : FC_5XX;
	case OUTCOME_TIMEOUT:
		if (t->kind == TARGET_DNS)
			return FC_DNS;
		if (tls_stalled)
			return FC_TLS_STALL;
		return dx_connected ? FC_TIMEOUT : FC_UNREACHABLE;
	default:
		/* the service answered; a 4xx says our request is refused, never that
		 * the service is down */
		return http_status >= 400 && http_status < 500 ? FC_4XX : FC_BAD;
	}
}

/* Failures of the network kind (no answer from the service), which random
 * loss produces in every variety. */
static bool network_class(enum fail_class fc)
{
	return fc == FC_DNS || fc == FC_UNREACHABLE || fc == FC_TIMEOUT;
}

/* Whether the recent results back the last failure's class: two of them
 * failed that way, or any answered with an HTTP error (a server that answers
 * badly is no lossy link), or only one failed (a target recovering: nothing
 * disagrees). Without recent results the confirmed state stands. */
static bool class_repeats(const struct diagnose_target *t, enum fail_class fc)
{
	int same = 0, fails = 0;

	if (t->n_recent <= 0 || !network_class(fc))
		return true;
	for (int i = 0; i < t->n_recent && i < DIAGNOSE_RECENT; i++) {
		const struct diagnose_recent *r = &t->recent[i];
		enum fail_class rc;

		if (r->outcome == OUTCOME_OK || assess_outcome_reachable(r->outcome))
			continue;
		rc = class_of_outcome(t, r->outcome, r->connected, false, 0);
		if (!network_class(rc))
			return true;
		fails++;
		if (rc == fc)
			same++;
	}
	return same >= 2 || fails < 2;
}

enum fail_class dx_fail_class_of(const struct diagnose_target *t)
{
	const struct sample *s = dx_failed_sample(t);
	enum fail_class fc;

	if (!s)
		return FC_BAD;
	fc = class_of_outcome(t, s->outcome, dx_connected(s), s->tls_stalled, s->http_status);
	return class_repeats(t, fc) ? fc : FC_LOSSY;
}

/* The server's certificate has expired: the expiry date when the handshake
 * got far enough to read it, else the verifier's words (a failed verification
 * ends the handshake before the certificate can be read). */
bool dx_cert_expired(const struct sample *s)
{
	return (s->cert_expiry > 0 && (double)s->cert_expiry < s->t) ||
	       strstr(s->error, "certificate has expired") != NULL;
}

/* Another target reached by the same name got past the lookup lately. */
static bool name_resolves_elsewhere(const struct ctx *c, const struct diagnose_target *t)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *x = &c->in->targets[i];
		const struct sample *s = x->last;

		if (x == t || !s || !x->host || !t->host || strcasecmp(x->host, t->host) != 0)
			continue;
		if (s->ok || (s->outcome != OUTCOME_DNS_FAIL && (dx_connected(s) || s->connect_ms >= 0 ||
								  s->remote_ip[0])))
			return true;
	}
	return false;
}

/* A target's class in the light of the others: a name that another target
 * resolves does not fail to resolve, whatever one lookup said. */
static enum fail_class class_in(const struct ctx *c, const struct diagnose_target *t)
{
	enum fail_class fc = dx_fail_class_of(t);

	if (fc == FC_DNS && t->n_recent > 0 && name_resolves_elsewhere(c, t))
		return FC_LOSSY;
	return fc;
}

/* The first service target confirmed down that failed this way. */
const struct diagnose_target *dx_failing_with(const struct ctx *c, enum fail_class fc)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (dx_is_service(t) && diagnose_target_health(t) == DIAGNOSE_FAIL && class_in(c, t) == fc)
			return t;
	}
	return NULL;
}

/* What packet loss looks like: a lookup or a transfer that got no answer
 * (a refused connection is an answer). */
static bool loss_symptom(enum outcome o)
{
	return o == OUTCOME_DNS_FAIL || o == OUTCOME_TIMEOUT;
}

/* A control (not all of them) lost a lookup or an answer lately. */
static bool controls_lose(const struct ctx *c)
{
	if (c->ctl_known > 0 && c->ctl_down == c->ctl_known)
		return false;
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (!dx_is_control(t))
			continue;
		if (diagnose_target_health(t) == DIAGNOSE_FAIL && t->last && loss_symptom(dx_failed_sample(t)->outcome))
			return true;
		for (int k = 0; k < t->n_recent && k < DIAGNOSE_RECENT; k++)
			if (loss_symptom(t->recent[k].outcome))
				return true;
	}
	return false;
}

/* Every failing service target fails in network ways, and one of them in
 * ways that do not repeat, or a control loses answers too: random loss, not
 * one name or path. */
const struct diagnose_target *dx_lossy_picture(const struct ctx *c)
{
	const struct diagnose_target *lossy = NULL, *net = NULL;

	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];
		enum fail_class fc;

		if (!dx_is_service(t) || diagnose_target_health(t) != DIAGNOSE_FAIL)
			continue;
		fc = class_in(c, t);
		if (fc == FC_LOSSY && !lossy)
			lossy = t;
		else if (fc == FC_4XX)
			continue;
		else if (fc != FC_LOSSY && !network_class(fc))
			return NULL;
		else if (!net && fc != FC_LOSSY && t->last && loss_symptom(dx_failed_sample(t)->outcome))
			net = t;
	}
	if (lossy)
		return lossy;
	return net && controls_lose(c) ? net : NULL;
}

/* The first service target confirmed down with a 4xx answer (or a portal's 511). */
const struct diagnose_target *dx_refused(const struct ctx *c)
{
	return dx_failing_with(c, FC_4XX);
}

/* The first service target whose last answer was this outcome. */
const struct diagnose_target *dx_answered_with(const struct ctx *c, enum outcome o)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (dx_is_service(t) && t->last && t->last->outcome == o)
			return t;
	}
	return NULL;
}

static bool targets_name_component(const struct diagnose_input *in, const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < in->n_targets; i++) {
		const char *c = in->targets[i].component;

		if (c && strcasecmp(c, name) == 0)
			return true;
	}
	return false;
}

static bool official_names_match(const struct diagnose_input *in)
{
	const struct diagnose_official *o = &in->official;

	for (size_t i = 0; o->components && i < o->n_components; i++) {
		/* a name the page does not carry comes with no status */
		if (o->components[i].status != ASSESS_OFFICIAL_UNKNOWN &&
		    targets_name_component(in, o->components[i].name))
			return true;
	}
	return false;
}

/* Whether official news about these components concerns our service. Without
 * a component list, or when our targets name no component the page knows, all
 * of it does. */
static bool relevant(const struct ctx *c, const char *const *names, size_t n)
{
	if (!c->comp_match || !names || n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		if (targets_name_component(c->in, names[i]))
			return true;
	}
	return false;
}

static enum assess_component from_impact(enum diagnose_impact i)
{
	switch (i) {
	case DIAGNOSE_IMPACT_NONE: return ASSESS_COMPONENT_OPERATIONAL;
	case DIAGNOSE_IMPACT_MINOR: return ASSESS_COMPONENT_DEGRADED;
	case DIAGNOSE_IMPACT_MAJOR: return ASSESS_COMPONENT_PARTIAL_OUTAGE;
	case DIAGNOSE_IMPACT_CRITICAL: return ASSESS_COMPONENT_MAJOR_OUTAGE;
	case DIAGNOSE_IMPACT_MAINTENANCE: return ASSESS_COMPONENT_MAINTENANCE;
	default: return ASSESS_COMPONENT_UNKNOWN;
	}
}

/* assess holds the one mapping from the page's words to a component state */
enum assess_component dx_from_official(enum assess_official o)
{
	enum assess_state none = ASSESS_UNKNOWN;

	return assess_component_combine(&none, 1, o);
}

static void read_official(struct ctx *c)
{
	const struct diagnose_official *o = &c->in->official;
	enum assess_component st = ASSESS_COMPONENT_UNKNOWN;
	bool any_comp = false;
	double now = c->in->now;

	c->comp_match = official_names_match(c->in);
	c->official = ASSESS_COMPONENT_UNKNOWN;
	if (!o->have_status)
		return;

	for (size_t i = 0; o->components && i < o->n_components; i++) {
		const struct diagnose_official_component *oc = &o->components[i];

		if (oc->status == ASSESS_OFFICIAL_UNKNOWN)
			continue;
		any_comp = true;
		if (!relevant(c, &oc->name, 1))
			continue;
		st = dx_worse(st, dx_from_official(oc->status));
		if (oc->status == ASSESS_OFFICIAL_MAINTENANCE)
			c->comp_maintenance = true;
	}
	if (!any_comp)
		st = dx_worse(st, from_impact(o->indicator));
	if (!any_comp && o->indicator == DIAGNOSE_IMPACT_MAINTENANCE)
		c->comp_maintenance = true;

	for (size_t i = 0; o->incidents && i < o->n_incidents; i++) {
		const struct diagnose_incident *inc = &o->incidents[i];

		if (!relevant(c, inc->components, inc->n_components))
			continue;
		if (inc->impact == DIAGNOSE_IMPACT_MAINTENANCE)
			continue;
		if (!c->incident)
			c->incident = inc;
		st = dx_worse(st, from_impact(inc->impact));
		if (inc->started > 0 && (c->official_since == 0 || inc->started < c->official_since))
			c->official_since = inc->started;
	}

	for (size_t i = 0; o->maintenances && i < o->n_maintenances; i++) {
		const struct diagnose_maintenance *m = &o->maintenances[i];
		bool now_on = m->in_progress ||
			      (m->starts > 0 && m->ends > 0 && m->starts <= now && now < m->ends);

		if (!relevant(c, m->components, m->n_components))
			continue;
		if (now_on && !c->maint_now)
			c->maint_now = m;
		else if (!now_on && m->starts > now && m->starts - now <= DIAGNOSE_MAINT_HORIZON_S &&
			 (!c->maint_next || m->starts < c->maint_next->starts))
			c->maint_next = m;
	}

	c->official = st;
	c->official_bad = c->incident || st == ASSESS_COMPONENT_DEGRADED ||
			  st == ASSESS_COMPONENT_PARTIAL_OUTAGE || st == ASSESS_COMPONENT_MAJOR_OUTAGE;
	c->official_green = !c->incident && st == ASSESS_COMPONENT_OPERATIONAL && !c->maint_now;
}

static void count(struct ctx *c)
{
	const struct diagnose_input *in = c->in;

	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		enum diagnose_health h = diagnose_target_health(t);

		if (h == DIAGNOSE_PASS) {
			c->any_pass = true;
			if (t->kind != TARGET_DNS)
				c->net_pass = true;
			if (dx_by_name(t))
				c->name_pass = true;
		}
		if (dx_is_service(t)) {
			c->svc_n++;
			if (h != DIAGNOSE_PENDING)
				c->svc_known++;
			if (h == DIAGNOSE_FAIL && dx_fail_class_of(t) == FC_4XX)
				c->svc_refused++;
			else if (h == DIAGNOSE_FAIL)
				c->svc_down++;
			if (h == DIAGNOSE_PASS)
				c->svc_pass++;
		} else if (dx_is_control(t)) {
			c->ctl_n++;
			if (h != DIAGNOSE_PENDING)
				c->ctl_known++;
			if (h == DIAGNOSE_FAIL)
				c->ctl_down++;
			if (h == DIAGNOSE_PASS)
				c->ctl_pass++;
		}
	}
}

enum verdict_state dx_outage_state(const struct ctx *c)
{
	if (c->official == ASSESS_COMPONENT_MAJOR_OUTAGE)
		return VERDICT_MAJOR_OUTAGE;
	if (c->svc_down > 0 && c->svc_down == c->svc_known)
		return VERDICT_MAJOR_OUTAGE;
	return VERDICT_PARTIAL_OUTAGE;
}

enum verdict_state dx_state_of_component(enum assess_component s)
{
	switch (s) {
	case ASSESS_COMPONENT_OPERATIONAL: return VERDICT_OPERATIONAL;
	case ASSESS_COMPONENT_DEGRADED: return VERDICT_DEGRADED;
	case ASSESS_COMPONENT_PARTIAL_OUTAGE: return VERDICT_PARTIAL_OUTAGE;
	case ASSESS_COMPONENT_MAJOR_OUTAGE: return VERDICT_MAJOR_OUTAGE;
	case ASSESS_COMPONENT_MAINTENANCE: return VERDICT_MAINTENANCE;
	default: return VERDICT_UNKNOWN;
	}
}

void dx_set(struct verdict *v, enum verdict_state st, enum verdict_cause cause,
		const struct diagnose_target *t)
{
	v->state = st;
	v->cause = cause;
	if (t)
		dx_clean(v->target, sizeof(v->target), dx_name_of(t));
}

static void fill_detail(const struct ctx *c, struct verdict *v)
{
	const struct diagnose_official *o = &c->in->official;
	char off[200], t[160], sk[96] = "";

	if (o->have_status) {
		if (dx_nonempty(o->description)) {
			dx_clean(t, sizeof(t), o->description);
			sanitize_snprintf(off, sizeof(off), "%s", t);
		} else {
			sanitize_snprintf(off, sizeof(off), "%s", assess_component_name(c->official));
		}
		if (dx_nonempty(o->fetch_error)) {
			size_t n = strlen(off);

			dx_clean(t, sizeof(t), o->fetch_error);
			sanitize_snprintf(off + n, sizeof(off) - n, " (stale: %s)", t);
		}
	} else if (!o->configured) {
		sanitize_snprintf(off, sizeof(off), "no status page configured");
	} else if (dx_nonempty(o->fetch_error)) {
		dx_clean(t, sizeof(t), o->fetch_error);
		sanitize_snprintf(off, sizeof(off), "not read: %s", t);
	} else {
		sanitize_snprintf(off, sizeof(off), "not read yet");
	}
	if (c->have_skew && fabs(c->skew) > c->skew_limit) {
		char d[48];

		timefmt_duration(c->skew, d, sizeof(d));
		sanitize_snprintf(sk, sizeof(sk), "; your clock is %s %s", d, c->skew > 0 ? "behind" : "ahead");
	}
	sanitize_snprintf(v->detail, sizeof(v->detail),
	    "service targets down: %d of %d; controls answering: %d of %d; official: %s%s",
	    c->svc_down, c->svc_known, c->ctl_pass, c->ctl_known, off, sk);
}

int diagnose_verdict(const struct diagnose_input *in, struct verdict *v)
{
	struct ctx c;
	char svc[NAME_LEN];

	if (!in || !v)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	memset(&c, 0, sizeof(c));
	v->state = VERDICT_UNKNOWN;
	v->cause = VERDICT_CAUSE_NO_DATA;
	v->retry_after_s = -1;
	c.in = in;
	dx_clean(svc, sizeof(svc), dx_nonempty(in->service) ? in->service : "the service");
	c.svc = svc;
	c.skew_limit = in->skew_limit_s > 0 ? in->skew_limit_s : DIAGNOSE_SKEW_LIMIT_S;
	if (!in->targets && in->n_targets > 0)
		return -EINVAL;

	count(&c);
	read_official(&c);
	c.have_skew = diagnose_clock_skew(in, &c.skew, NULL);
	{
		double sk;

		/* a server's Date that agrees with our clock outweighs certificates */
		c.cert_clock = diagnose_cert_clock(in, &sk, NULL) &&
			       !(c.have_skew && fabs(c.skew) <= c.skew_limit);
		/* no Date header to go by: the certificates' dates give a bound */
		if (c.cert_clock && !c.have_skew && fabs(sk) >= 1) {
			c.have_skew = true;
			c.skew = sk;
		}
	}

	if (!dx_try_checking(&c, v) && !dx_try_local(&c, v) && !dx_try_official_failing(&c, v) &&
	    !dx_try_service_failing(&c, v))
		dx_try_answering(&c, v);

	v->n_service = c.svc_n;
	v->n_service_known = c.svc_known;
	v->n_service_down = c.svc_down;
	v->n_control = c.ctl_n;
	v->n_control_known = c.ctl_known;
	v->n_control_down = c.ctl_down;
	v->ours_failing = c.svc_down > 0;
	v->official_bad = c.official_bad;
	v->official_since = c.official_since;
	v->official = c.official;
	if (in->official.have_status)
		dx_official_short(&c, v->official_text, sizeof(v->official_text));
	v->have_skew = c.have_skew;
	v->clock_skew_s = c.have_skew ? c.skew : 0;
	fill_detail(&c, v);
	return 0;
}

int diagnose_exit_code(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OPERATIONAL: return 0;
	case VERDICT_DEGRADED:
	case VERDICT_MAINTENANCE: return 1;
	case VERDICT_PARTIAL_OUTAGE:
	case VERDICT_MAJOR_OUTAGE: return 2;
	default: return 3;
	}
}

const char *diagnose_exit_word(enum verdict_state s)
{
	static const char *const words[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

	return words[diagnose_exit_code(s)];
}

const char *diagnose_state_name(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OPERATIONAL: return "operational";
	case VERDICT_DEGRADED: return "degraded";
	case VERDICT_PARTIAL_OUTAGE: return "partial_outage";
	case VERDICT_MAJOR_OUTAGE: return "major_outage";
	case VERDICT_MAINTENANCE: return "maintenance";
	case VERDICT_LOCAL_PROBLEM: return "local_problem";
	case VERDICT_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *diagnose_cause_name(enum verdict_cause c)
{
	switch (c) {
	case VERDICT_CAUSE_OK: return "ok";
	case VERDICT_CAUSE_NO_NETWORK: return "no_network";
	case VERDICT_CAUSE_DNS_ALL: return "dns_all";
	case VERDICT_CAUSE_DNS_SERVICE: return "dns_service";
	case VERDICT_CAUSE_UNREACHABLE: return "unreachable";
	case VERDICT_CAUSE_TLS_ERROR: return "tls_error";
	case VERDICT_CAUSE_CLOCK_SKEW: return "clock_skew";
	case VERDICT_CAUSE_HTTP_5XX: return "http_5xx";
	case VERDICT_CAUSE_TIMEOUT: return "timeout";
	case VERDICT_CAUSE_BAD_RESPONSE: return "bad_response";
	case VERDICT_CAUSE_RATE_LIMITED: return "rate_limited";
	case VERDICT_CAUSE_AUTH_REJECTED: return "auth_rejected";
	case VERDICT_CAUSE_CHALLENGED: return "challenged";
	case VERDICT_CAUSE_SLOW: return "slow";
	case VERDICT_CAUSE_FLAPPING: return "flapping";
	case VERDICT_CAUSE_OFFICIAL_INCIDENT: return "official_incident";
	case VERDICT_CAUSE_MAINTENANCE: return "maintenance";
	case VERDICT_CAUSE_STATUS_LAG: return "status_lag";
	case VERDICT_CAUSE_IPV6_BROKEN: return "ipv6_broken";
	case VERDICT_CAUSE_IPV4_BROKEN: return "ipv4_broken";
	case VERDICT_CAUSE_PROXY_BROKEN: return "proxy_broken";
	case VERDICT_CAUSE_NO_DATA: return "no_data";
	case VERDICT_CAUSE_LOSSY: return "lossy";
	}
	return "no_data";
}

const char *diagnose_impact_name(enum diagnose_impact i)
{
	switch (i) {
	case DIAGNOSE_IMPACT_UNKNOWN: return "unknown";
	case DIAGNOSE_IMPACT_NONE: return "none";
	case DIAGNOSE_IMPACT_MINOR: return "minor";
	case DIAGNOSE_IMPACT_MAJOR: return "major";
	case DIAGNOSE_IMPACT_CRITICAL: return "critical";
	case DIAGNOSE_IMPACT_MAINTENANCE: return "maintenance";
	}
	return "unknown";
}
