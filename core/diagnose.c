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

/* How a confirmed failure failed. */
enum fail_class { FC_DNS, FC_UNREACHABLE, FC_TLS, FC_TLS_STALL, FC_PROXY, FC_5XX, FC_TIMEOUT, FC_BAD, FC_4XX, FC_LOSSY };

struct ctx {
	const struct diagnose_input *in;
	const char *svc;
	int svc_n, svc_known, svc_down, svc_pass;
	int svc_refused; /* down, but with a 4xx answer: the service answered */
	int ctl_n, ctl_known, ctl_down, ctl_pass;
	bool any_pass;   /* some target of any role answers */
	bool net_pass;   /* some target other than a name lookup answers: the local
			    resolver's answer proves nothing about the way out */
	bool name_pass;  /* some target reached by name answers: DNS works */
	bool comp_match; /* our targets' components appear on the official page */
	enum assess_component official;
	bool official_bad, official_green;
	const struct diagnose_incident *incident;
	double official_since;
	const struct diagnose_maintenance *maint_now, *maint_next;
	bool comp_maintenance;
	bool have_skew;
	double skew;
	double skew_limit;
	bool cert_clock; /* certificates of several hosts, all not yet valid or all expired */
};

/* Network text (titles, descriptions, errors) without escape sequences or
 * control bytes, so nothing in it can drive a terminal or break a log line. */
static void clean(char *dst, size_t len, const char *src)
{
	sanitize_into(dst, len, src, SANITIZE_NUL_TERMINATED, 0);
}

/* Room for a service, target or host name in a summary: names are never cut
 * here (line mode has no width; the screen cuts what it must itself). */
#define NAME_LEN 256

bool diagnose_host_is_ip(const char *host)
{
	char tmp[64];
	unsigned char addr[16];
	size_t n;

	if (!host || !*host)
		return false;
	n = strlen(host);
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		if (n - 2 >= sizeof(tmp))
			return false;
		memcpy(tmp, host + 1, n - 2);
		tmp[n - 2] = '\0';
	} else {
		if (n >= sizeof(tmp))
			return false;
		memcpy(tmp, host, n + 1);
	}
	return inet_pton(AF_INET, tmp, addr) == 1 || inet_pton(AF_INET6, tmp, addr) == 1;
}

static bool nonempty(const char *s)
{
	return s && *s;
}

static const char *name_of(const struct diagnose_target *t)
{
	if (nonempty(t->name))
		return t->name;
	if (nonempty(t->host))
		return t->host;
	return "a target";
}

static const char *host_of(const struct diagnose_target *t)
{
	return nonempty(t->host) ? t->host : name_of(t);
}

static bool is_service(const struct diagnose_target *t)
{
	return t->role == TARGET_ROLE_SERVICE && t->kind != TARGET_STATUSPAGE;
}

static bool is_control(const struct diagnose_target *t)
{
	return t->role == TARGET_ROLE_CONTROL;
}

static bool by_name(const struct diagnose_target *t)
{
	return !diagnose_host_is_ip(t->host);
}

enum diagnose_health diagnose_target_health(const struct diagnose_target *t)
{
	enum assess_state s = t->state;

	if (s == ASSESS_CONFIRMING)
		s = t->settled;
	switch (s) {
	case ASSESS_UP:
	case ASSESS_DEGRADED:
		return DIAGNOSE_PASS;
	case ASSESS_DOWN:
		return DIAGNOSE_FAIL;
	case ASSESS_FLAPPING:
		return DIAGNOSE_FLAP;
	default:
		return DIAGNOSE_PENDING;
	}
}

static bool connected(const struct sample *s)
{
	return s->reused || s->connect_ms >= 0 || s->tls_ms >= 0 || s->ttfb_ms >= 0 ||
	       s->http_status > 0;
}

/* The sample that says how a target failed: the last one, or while it
 * recovers (its last probe passed) the last failed one. */
static const struct sample *failed_sample(const struct diagnose_target *t)
{
	const struct sample *s = t->last;

	if (s && (s->ok || assess_outcome_reachable(s->outcome)) && t->last_failure)
		s = t->last_failure;
	return s;
}

/* The class of one failed outcome; connected: a connection was made. */
static enum fail_class class_of_outcome(const struct diagnose_target *t, enum outcome o, bool connected,
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
		return connected ? FC_TIMEOUT : FC_UNREACHABLE;
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

static enum fail_class fail_class_of(const struct diagnose_target *t)
{
	const struct sample *s = failed_sample(t);
	enum fail_class fc;

	if (!s)
		return FC_BAD;
	fc = class_of_outcome(t, s->outcome, connected(s), s->tls_stalled, s->http_status);
	return class_repeats(t, fc) ? fc : FC_LOSSY;
}

/* The server's certificate has expired: the expiry date when the handshake
 * got far enough to read it, else the verifier's words (a failed verification
 * ends the handshake before the certificate can be read). */
static bool cert_expired(const struct sample *s)
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
		if (s->ok || (s->outcome != OUTCOME_DNS_FAIL && (connected(s) || s->connect_ms >= 0 ||
								  s->remote_ip[0])))
			return true;
	}
	return false;
}

/* A target's class in the light of the others: a name that another target
 * resolves does not fail to resolve, whatever one lookup said. */
static enum fail_class class_in(const struct ctx *c, const struct diagnose_target *t)
{
	enum fail_class fc = fail_class_of(t);

	if (fc == FC_DNS && t->n_recent > 0 && name_resolves_elsewhere(c, t))
		return FC_LOSSY;
	return fc;
}

/* The first service target confirmed down that failed this way. */
static const struct diagnose_target *failing_with(const struct ctx *c, enum fail_class fc)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (is_service(t) && diagnose_target_health(t) == DIAGNOSE_FAIL && class_in(c, t) == fc)
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

		if (!is_control(t))
			continue;
		if (diagnose_target_health(t) == DIAGNOSE_FAIL && t->last && loss_symptom(failed_sample(t)->outcome))
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
static const struct diagnose_target *lossy_picture(const struct ctx *c)
{
	const struct diagnose_target *lossy = NULL, *net = NULL;

	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];
		enum fail_class fc;

		if (!is_service(t) || diagnose_target_health(t) != DIAGNOSE_FAIL)
			continue;
		fc = class_in(c, t);
		if (fc == FC_LOSSY && !lossy)
			lossy = t;
		else if (fc == FC_4XX)
			continue;
		else if (fc != FC_LOSSY && !network_class(fc))
			return NULL;
		else if (!net && fc != FC_LOSSY && t->last && loss_symptom(failed_sample(t)->outcome))
			net = t;
	}
	if (lossy)
		return lossy;
	return net && controls_lose(c) ? net : NULL;
}

/* The first service target confirmed down with a 4xx answer (or a portal's 511). */
static const struct diagnose_target *refused(const struct ctx *c)
{
	return failing_with(c, FC_4XX);
}

/* The first service target whose last answer was this outcome. */
static const struct diagnose_target *answered_with(const struct ctx *c, enum outcome o)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (is_service(t) && t->last && t->last->outcome == o)
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

static int comp_rank(enum assess_component s)
{
	switch (s) {
	case ASSESS_COMPONENT_OPERATIONAL: return 1;
	case ASSESS_COMPONENT_MAINTENANCE: return 2;
	case ASSESS_COMPONENT_DEGRADED: return 3;
	case ASSESS_COMPONENT_PARTIAL_OUTAGE: return 4;
	case ASSESS_COMPONENT_MAJOR_OUTAGE: return 5;
	default: return 0;
	}
}

static enum assess_component worse(enum assess_component a, enum assess_component b)
{
	return comp_rank(b) > comp_rank(a) ? b : a;
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
static enum assess_component from_official(enum assess_official o)
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
		st = worse(st, from_official(oc->status));
		if (oc->status == ASSESS_OFFICIAL_MAINTENANCE)
			c->comp_maintenance = true;
	}
	if (!any_comp)
		st = worse(st, from_impact(o->indicator));
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
		st = worse(st, from_impact(inc->impact));
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

static bool sample_skew(const struct sample *s, double *skew)
{
	double ours;

	if (!s || s->server_date == 0 || s->t <= 0)
		return false;
	/* the Date header is written when the answer is, about the first byte */
	ours = s->t + (s->ttfb_ms > 0 ? s->ttfb_ms / 1000.0 : 0);
	*skew = (double)s->server_date - ours;
	return true;
}

bool diagnose_clock_skew(const struct diagnose_input *in, double *skew_s, const char **host)
{
	bool have = false;
	double best = 0;
	const char *best_host = NULL;

	if (!in)
		return false;
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		double sk;

		if (!sample_skew(t->last, &sk))
			continue;
		if (!have || fabs(sk) < fabs(best)) {
			best = sk;
			best_host = host_of(t);
			have = true;
		}
	}
	if (have && skew_s)
		*skew_s = best;
	if (have && host)
		*host = best_host;
	return have;
}

/* How a certificate's dates stand against our clock at the sample's time. */
enum cert_when { CERT_UNKNOWN, CERT_VALID, CERT_NOT_YET, CERT_EXPIRED };

static enum cert_when cert_when(const struct sample *s)
{
	if (s->cert_start > 0 && (double)s->cert_start > s->t)
		return CERT_NOT_YET;
	if (s->cert_expiry > 0 && (double)s->cert_expiry < s->t)
		return CERT_EXPIRED;
	if (strstr(s->error, "certificate is not yet valid"))
		return CERT_NOT_YET;
	if (strstr(s->error, "certificate has expired"))
		return CERT_EXPIRED;
	if (s->cert_expiry > 0)
		return CERT_VALID;
	return CERT_UNKNOWN;
}

static bool same_host(const struct diagnose_target *a, const struct diagnose_target *b)
{
	return a->host && b->host && strcasecmp(a->host, b->host) == 0;
}

bool diagnose_cert_clock(const struct diagnose_input *in, double *skew_s, int *n_hosts)
{
	int hosts[2] = { 0, 0 };
	double bound[2] = { 0, 0 };

	if (!in)
		return false;
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		const struct sample *s = t->last;
		enum cert_when w;
		int k;
		bool seen = false;

		if (!s || (s->outcome != OUTCOME_TLS_FAIL && !(s->ok && s->cert_expiry > 0)))
			continue;
		w = cert_when(s);
		/* a certificate accepted clears the clock */
		if (s->ok || w == CERT_VALID)
			return false;
		if (w == CERT_UNKNOWN)
			continue;
		k = w == CERT_NOT_YET ? 0 : 1;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct diagnose_target *x = &in->targets[j];

			seen = x->last && x->last->outcome == OUTCOME_TLS_FAIL && cert_when(x->last) == w &&
			       same_host(x, t);
		}
		if (!seen)
			hosts[k]++;
		/* our clock is off by at least this much: the tightest lower bound */
		if (k == 0 && s->cert_start > 0 && (double)s->cert_start - s->t > bound[0])
			bound[0] = (double)s->cert_start - s->t;
		if (k == 1 && s->cert_expiry > 0 && s->t - (double)s->cert_expiry > bound[1])
			bound[1] = s->t - (double)s->cert_expiry;
	}
	/* several unrelated hosts, all the same way: the clock, not the sites */
	for (int k = 0; k < 2; k++) {
		if (hosts[k] >= 2 && hosts[1 - k] == 0) {
			if (skew_s)
				*skew_s = k == 0 ? bound[0] : -bound[1];
			if (n_hosts)
				*n_hosts = hosts[k];
			return true;
		}
	}
	return false;
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
			if (by_name(t))
				c->name_pass = true;
		}
		if (is_service(t)) {
			c->svc_n++;
			if (h != DIAGNOSE_PENDING)
				c->svc_known++;
			if (h == DIAGNOSE_FAIL && fail_class_of(t) == FC_4XX)
				c->svc_refused++;
			else if (h == DIAGNOSE_FAIL)
				c->svc_down++;
			if (h == DIAGNOSE_PASS)
				c->svc_pass++;
		} else if (is_control(t)) {
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

static enum verdict_state outage_state(const struct ctx *c)
{
	if (c->official == ASSESS_COMPONENT_MAJOR_OUTAGE)
		return VERDICT_MAJOR_OUTAGE;
	if (c->svc_down > 0 && c->svc_down == c->svc_known)
		return VERDICT_MAJOR_OUTAGE;
	return VERDICT_PARTIAL_OUTAGE;
}

static enum verdict_state state_of_component(enum assess_component s)
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

static void set(struct verdict *v, enum verdict_state st, enum verdict_cause cause,
		const struct diagnose_target *t)
{
	v->state = st;
	v->cause = cause;
	if (t)
		clean(v->target, sizeof(v->target), name_of(t));
}

/* "http://user:secret@proxy.corp:3128/" -> "proxy.corp:3128": never show credentials. */
static void proxy_display(char *buf, size_t len, const char *url)
{
	const char *p = url, *at, *end;

	if (!url) {
		sanitize_snprintf(buf, len, "the proxy");
		return;
	}
	if (strstr(p, "://"))
		p = strstr(p, "://") + 3;
	/* the last '@': a password may hold an unescaped '/' or '@' */
	at = strrchr(p, '@');
	if (at)
		p = at + 1;
	end = p + strcspn(p, "/?#");
	sanitize_into(buf, len, p, (size_t)(end - p), 0);
}

/* "service unavailable, HTTP 503" or "no answer in time". */
static void failure_words(char *buf, size_t len, const struct diagnose_target *t)
{
	const struct sample *s = t->last;

	if (!s)
		sanitize_snprintf(buf, len, "no answer");
	else if (s->ok || assess_outcome_reachable(s->outcome))
		/* still down, recovering: the last probe passed */
		sanitize_snprintf(buf, len, "not answering reliably");
	else if (s->http_status > 0)
		sanitize_snprintf(buf, len, "%s, HTTP %ld", assess_outcome_text(s->outcome, s->http_status),
		    s->http_status);
	else
		sanitize_snprintf(buf, len, "%s", assess_outcome_text(s->outcome, 0));
}

static int path_runs(const struct diagnose_path *p)
{
	return p->runs > 0 ? p->runs : p->tried ? 1 : 0;
}

static int path_oks(const struct diagnose_path *p)
{
	return p->runs > 0 ? p->oks : p->tried && p->ok ? 1 : 0;
}

bool diagnose_path_works(const struct diagnose_path *p)
{
	return p && path_oks(p) >= 2;
}

bool diagnose_path_fails(const struct diagnose_path *p)
{
	return p && path_runs(p) - path_oks(p) >= 2;
}

/* One path works and the other fails, each at least twice: one result of
 * each under random loss proves nothing. */
static bool path_split(const struct diagnose_path *good, const struct diagnose_path *bad)
{
	return diagnose_path_works(good) && diagnose_path_fails(bad);
}

/* Differential probes that tell which path is broken. */
enum split { SPLIT_PROXY, SPLIT_V6, SPLIT_V4 };

static const struct diagnose_target *failing_split(const struct ctx *c, enum split which)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (!is_service(t) || diagnose_target_health(t) != DIAGNOSE_FAIL)
			continue;
		if (which == SPLIT_PROXY && path_split(&t->direct, &t->proxy))
			return t;
		if (which == SPLIT_V6 && path_split(&t->v4, &t->v6))
			return t;
		if (which == SPLIT_V4 && path_split(&t->v6, &t->v4))
			return t;
	}
	return NULL;
}

/* Until every service target has a settled result, nothing else may speak for
 * the service: a passing control or DNS target would say "all good" for a
 * service that answers 503. The summary says what we wait for. */
static bool try_checking(struct ctx *c, struct verdict *v)
{
	size_t len = 0, listed = 0, max_listed = 4;
	char b[96];

	if (c->svc_known == c->svc_n)
		return false;
	set(v, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, NULL);
	len = (size_t)snprintf(v->summary, sizeof(v->summary), "waiting for ");
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (!is_service(t) || diagnose_target_health(t) != DIAGNOSE_PENDING)
			continue;
		if (listed == max_listed) {
			listed++;
			continue;
		}
		if (listed > max_listed)
			continue;
		clean(b, sizeof(b), name_of(t));
		len += (size_t)snprintf(v->summary + len, sizeof(v->summary) - len, "%s%s", listed ? ", " : "", b);
		if (len >= sizeof(v->summary))
			len = sizeof(v->summary) - 1;
		listed++;
	}
	if (listed > max_listed)
		snprintf(v->summary + len, sizeof(v->summary) - len, " and %d more",
			 c->svc_n - c->svc_known - (int)max_listed);
	return true;
}

static bool try_local(struct ctx *c, struct verdict *v)
{
	const struct diagnose_input *in = c->in;
	const struct diagnose_target *t;
	char a[NAME_LEN], b[NAME_LEN];

	/* Every control down and nothing but name lookups answering: the local
	 * resolver (or a captive portal's) answers without reaching the internet. */
	if (c->ctl_known > 0 && c->ctl_down == c->ctl_known && !c->net_pass) {
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, NULL);
		if (c->any_pass)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "it's just you: no internet connection (names resolve, but nothing outside answers, "
			    "the controls neither: a captive portal or a firewall blocks the way out)");
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "it's just you: no internet connection (the control targets fail too)");
		return true;
	}

	/* dns_all: a name control (or two different names) fails to resolve and no name resolves */
	if (!c->name_pass) {
		bool name_ctl = false, name_ctl_dns = false, ip_ok = false;
		const struct diagnose_target *first = NULL;
		int hosts = 0;

		for (size_t i = 0; i < in->n_targets; i++) {
			const struct diagnose_target *x = &in->targets[i];
			bool dns = diagnose_target_health(x) == DIAGNOSE_FAIL && fail_class_of(x) == FC_DNS;

			if (is_control(x) && by_name(x)) {
				name_ctl = true;
				if (dns)
					name_ctl_dns = true;
			}
			if (is_control(x) && !by_name(x) && diagnose_target_health(x) == DIAGNOSE_PASS)
				ip_ok = true;
			if (!dns)
				continue;
			if (!first) {
				first = x;
				hosts = 1;
			} else if (!first->host || !x->host || strcasecmp(first->host, x->host) != 0) {
				hosts = 2;
			}
		}
		if (first && (name_ctl_dns || (!name_ctl && hosts >= 2))) {
			set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, first);
			if (ip_ok)
				sanitize_snprintf(v->summary, sizeof(v->summary),
				    "it's just you: DNS is failing (no name resolves, the network itself answers)");
			else
				sanitize_snprintf(v->summary, sizeof(v->summary),
				    "it's just you: DNS is failing, no name resolves");
			return true;
		}
	}

	t = failing_split(c, SPLIT_PROXY);
	if (!t)
		t = failing_with(c, FC_PROXY);
	if (t) {
		proxy_display(a, sizeof(a), proxyenv_for(&in->env, t->plain_http));
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_PROXY_BROKEN, t);
		if (path_split(&t->direct, &t->proxy))
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the proxy is the problem: %s works directly but fails through %s", b, a);
		else if (failed_sample(t) && failed_sample(t)->proxy_status > 0)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the proxy is the problem: %s refuses the way to %s (HTTP %ld)", a, b,
			    failed_sample(t)->proxy_status);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the proxy is the problem: %s fails at %s", b, a);
		return true;
	}

	t = failing_split(c, SPLIT_V6);
	if (t) {
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV6_BROKEN, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "IPv6 path broken, IPv4 fine: %s answers over IPv4 only", b);
		return true;
	}
	t = failing_split(c, SPLIT_V4);
	if (t) {
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV4_BROKEN, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "IPv4 path broken, IPv6 fine: %s answers over IPv6 only", b);
		return true;
	}

	if (c->cert_clock) {
		int n = 0;
		double sk = 0;

		diagnose_cert_clock(in, &sk, &n);
		for (size_t i = 0; i < in->n_targets; i++) {
			const struct diagnose_target *x = &in->targets[i];

			if (!x->last || x->last->outcome != OUTCOME_TLS_FAIL)
				continue;
			set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, x);
			if (fabs(sk) >= 1) {
				timefmt_duration(sk, a, sizeof(a));
				sanitize_snprintf(v->summary, sizeof(v->summary),
				    "your clock is at least %s %s: the certificates of %d sites are all %s", a,
				    sk > 0 ? "behind" : "ahead", n, sk > 0 ? "not valid yet" : "expired");
			} else {
				sanitize_snprintf(v->summary, sizeof(v->summary),
				    "your clock is %s: the certificates of %d sites are all %s",
				    sk >= 0 ? "behind" : "ahead", n, sk >= 0 ? "not valid yet" : "expired");
			}
			return true;
		}
	}

	if (c->have_skew && fabs(c->skew) > c->skew_limit) {
		for (size_t i = 0; i < in->n_targets; i++) {
			const struct diagnose_target *x = &in->targets[i];

			if (diagnose_target_health(x) != DIAGNOSE_FAIL || fail_class_of(x) != FC_TLS)
				continue;
			timefmt_duration(c->skew, a, sizeof(a));
			set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, x);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "your clock is %s %s: TLS certificates look invalid", a,
			    c->skew > 0 ? "behind" : "ahead");
			return true;
		}
	}
	return false;
}

static void official_words(const struct ctx *c, char *buf, size_t len)
{
	const struct diagnose_official *o = &c->in->official;
	char t[160];

	if (c->incident) {
		clean(t, sizeof(t), nonempty(c->incident->title) ? c->incident->title : "untitled");
		if (c->incident->impact != DIAGNOSE_IMPACT_UNKNOWN)
			sanitize_snprintf(buf, len, "official incident: %s (%s)", t,
			    diagnose_impact_name(c->incident->impact));
		else
			sanitize_snprintf(buf, len, "official incident: %s", t);
	} else if (nonempty(o->description)) {
		clean(t, sizeof(t), o->description);
		sanitize_snprintf(buf, len, "official status: %s", t);
	} else {
		sanitize_snprintf(buf, len, "official status: %s", assess_component_name(c->official));
	}
}

/* The same, for a place that already says "official": "TITLE (major)" or the description. */
static void official_short(const struct ctx *c, char *buf, size_t len)
{
	const struct diagnose_official *o = &c->in->official;
	char t[160];

	if (c->incident) {
		clean(t, sizeof(t), nonempty(c->incident->title) ? c->incident->title : "untitled");
		if (c->incident->impact != DIAGNOSE_IMPACT_UNKNOWN)
			sanitize_snprintf(buf, len, "%s (%s)", t, diagnose_impact_name(c->incident->impact));
		else
			sanitize_snprintf(buf, len, "%s", t);
	} else if (nonempty(o->description)) {
		clean(buf, len, o->description);
	} else {
		sanitize_snprintf(buf, len, "%s", assess_component_name(c->official));
	}
}

static bool try_official_failing(struct ctx *c, struct verdict *v)
{
	const struct diagnose_target *first = NULL;
	char t[160];

	if (c->svc_down == 0)
		return false;
	for (size_t i = 0; i < c->in->n_targets && !first; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (is_service(t) && diagnose_target_health(t) == DIAGNOSE_FAIL && fail_class_of(t) != FC_4XX)
			first = t;
	}
	if (c->official_bad) {
		set(v, outage_state(c), VERDICT_CAUSE_OFFICIAL_INCIDENT, first);
		official_words(c, v->summary, sizeof(v->summary));
		return true;
	}
	if (c->maint_now || c->comp_maintenance) {
		set(v, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE, first);
		if (c->maint_now) {
			clean(t, sizeof(t), nonempty(c->maint_now->title) ? c->maint_now->title : "untitled");
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
static bool component_split(const struct ctx *c, const struct diagnose_target *t, char *buf, size_t len)
{
	const struct diagnose_target *up = NULL;
	const struct sample *s = failed_sample(t);
	char failing[64], answering[64], how[64];

	if (!nonempty(t->component) || !s)
		return false;
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *x = &c->in->targets[i];
		enum diagnose_health h = diagnose_target_health(x);

		if (!is_service(x))
			continue;
		if (h == DIAGNOSE_FAIL && fail_class_of(x) != FC_4XX &&
		    (!nonempty(x->component) || strcasecmp(x->component, t->component) != 0))
			return false;
		if (!up && h == DIAGNOSE_PASS && x->kind != TARGET_DNS && nonempty(x->component) &&
		    strcasecmp(x->component, t->component) != 0)
			up = x;
	}
	if (!up)
		return false;
	/* a component that also has an answering target is not plainly failing */
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *x = &c->in->targets[i];

		if (is_service(x) && x->kind != TARGET_DNS && diagnose_target_health(x) == DIAGNOSE_PASS &&
		    nonempty(x->component) && strcasecmp(x->component, t->component) == 0)
			return false;
	}
	clean(failing, sizeof(failing), t->component);
	clean(answering, sizeof(answering), up->component);
	if (t->last && (t->last->ok || assess_outcome_reachable(t->last->outcome)))
		sanitize_snprintf(how, sizeof(how), "not answering reliably");
	else if (s->http_status > 0)
		sanitize_snprintf(how, sizeof(how), "HTTP %ld", s->http_status);
	else if (fail_class_of(t) == FC_TIMEOUT && t->timeout_s > 0)
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

		if (!is_control(t))
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
	bool seen[OUTCOME_ERROR + 1] = { false };
	size_t off = 0;

	clean(b, sizeof(b), name_of(t));
	for (int k = 0; k < t->n_recent && k < DIAGNOSE_RECENT; k++) {
		enum outcome o = t->recent[k].outcome;

		if (o == OUTCOME_OK || assess_outcome_reachable(o) || o > OUTCOME_ERROR || seen[o])
			continue;
		seen[o] = true;
		sanitize_snprintf(ways + off, sizeof(ways) - off, "%s%s", off ? ", " : "", assess_outcome_text(o, 0));
		off = strlen(ways);
	}
	if (!ways[0])
		sanitize_snprintf(ways, sizeof(ways), "%s", "in different ways");
	if (controls_falter(c)) {
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_LOSSY, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "your connection is lossy or slow: %s fails on and off (%s) and the control targets "
		    "fail at times too; no one cause repeats", b, ways);
	} else {
		set(v, VERDICT_DEGRADED, VERDICT_CAUSE_LOSSY, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "the way to %s is lossy or slow: %s fails on and off (%s); no one cause repeats", c->svc, b,
		    ways);
	}
}

static bool try_service_failing(struct ctx *c, struct verdict *v)
{
	const struct diagnose_target *t;
	const char *svc = c->svc;
	char a[NAME_LEN], b[NAME_LEN], w[96], cs[VERDICT_SUMMARY_LEN];

	if (c->svc_down == 0)
		return false;

	t = lossy_picture(c);
	if (t) {
		lossy_words(c, t, v);
		return true;
	}

	t = failing_with(c, FC_DNS);
	if (t) {
		clean(a, sizeof(a), host_of(t));
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE, t);
		if (c->name_pass)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "DNS problem for %s: %s does not resolve, other names do", svc, a);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "DNS problem for %s: %s does not resolve", svc, a);
		return true;
	}

	t = failing_with(c, FC_TLS);
	if (t) {
		const struct sample *s = t->last;

		clean(a, sizeof(a), host_of(t));
		if (s->cert_expiry > 0 && (double)s->cert_expiry < s->t) {
			timefmt_duration(s->t - (double)s->cert_expiry, b, sizeof(b));
			set(v, outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s is down: the certificate of %s expired %s ago", svc, a, b);
		} else if (cert_expired(s)) {
			set(v, outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s is down: the certificate of %s has expired", svc, a);
		} else {
			set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "TLS failure for %s: certificate problem or interception (captive portal, proxy, antivirus)", a);
		}
		return true;
	}

	t = failing_with(c, FC_TLS_STALL);
	if (t) {
		clean(a, sizeof(a), host_of(t));
		if (c->ctl_pass > 0 && c->official_green) {
			set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the TLS handshake with %s stalls (TCP connects, no answer) while other sites work and "
			    "its status page says all is well: probably filtered on your side (firewall)", a);
		} else if (c->ctl_pass > 0) {
			set(v, outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the TLS handshake with %s stalls (TCP connects, no answer) while other sites work: "
			    "a firewall filtering by name, or its edge is stuck", a);
		} else {
			set(v, outage_state(c), VERDICT_CAUSE_TLS_ERROR, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the TLS handshake with %s stalls: TCP connects, the handshake gets no answer", a);
		}
		return true;
	}

	t = failing_with(c, FC_UNREACHABLE);
	if (t) {
		if (c->ctl_pass > 0 && c->official_green) {
			set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_UNREACHABLE, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s unreachable from here while other sites work and its status page says all is well: "
			    "probably blocked on your side (firewall, proxy, VPN)", svc);
		} else if (c->ctl_pass > 0) {
			set(v, outage_state(c), VERDICT_CAUSE_UNREACHABLE, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s unreachable while other sites work: blocked (firewall, proxy) or its edge is down",
			    svc);
		} else {
			set(v, outage_state(c), VERDICT_CAUSE_UNREACHABLE, t);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s unreachable from here (no control target answers to compare with)", svc);
		}
		return true;
	}

	t = failing_with(c, FC_5XX);
	if (!t)
		t = failing_with(c, FC_TIMEOUT);
	if (!t)
		t = failing_with(c, FC_BAD);
	if (!t) {
		t = failing_with(c, FC_LOSSY);
		if (!t)
			return false;
		lossy_words(c, t, v);
		return true;
	}
	clean(b, sizeof(b), name_of(t));
	failure_words(w, sizeof(w), t);
	if (component_split(c, t, cs, sizeof(cs))) {
		/* one component fails, another answers: say which */
		set(v, outage_state(c), c->official_green ? VERDICT_CAUSE_STATUS_LAG :
					fail_class_of(t) == FC_5XX ? VERDICT_CAUSE_HTTP_5XX :
					fail_class_of(t) == FC_TIMEOUT ? VERDICT_CAUSE_TIMEOUT :
									 VERDICT_CAUSE_BAD_RESPONSE, t);
		if (c->official_green)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s; the status page has not caught up", cs);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary), "%s", cs);
		return true;
	}
	if (c->official_green) {
		set(v, outage_state(c), VERDICT_CAUSE_STATUS_LAG, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "down for us (%s); the status page has not caught up", w);
		return true;
	}
	switch (fail_class_of(t)) {
	case FC_5XX:
		set(v, outage_state(c), VERDICT_CAUSE_HTTP_5XX, t);
		sanitize_snprintf(v->summary, sizeof(v->summary), "%s is failing: %s from %s", svc, w, b);
		break;
	case FC_TIMEOUT:
		set(v, outage_state(c), VERDICT_CAUSE_TIMEOUT, t);
		if (t->timeout_s > 0)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s does not answer: %s connects, then no answer within %g s", svc, b,
			    t->timeout_s);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "%s does not answer: %s connects, then no answer in time", svc, b);
		break;
	default:
		set(v, outage_state(c), VERDICT_CAUSE_BAD_RESPONSE, t);
		sanitize_snprintf(v->summary, sizeof(v->summary), "%s answers wrongly: %s from %s", svc, w, b);
		break;
	}
	return true;
}

static bool try_answering(struct ctx *c, struct verdict *v)
{
	const struct diagnose_target *t;
	const char *svc = c->svc;
	char a[NAME_LEN], b[NAME_LEN], d[64];

	if (c->official_bad) {
		enum verdict_state st = state_of_component(c->official);

		if (st == VERDICT_OPERATIONAL || st == VERDICT_UNKNOWN || st == VERDICT_MAINTENANCE)
			st = VERDICT_DEGRADED;
		set(v, st, VERDICT_CAUSE_OFFICIAL_INCIDENT, NULL);
		official_words(c, v->summary, sizeof(v->summary));
		if (c->svc_pass > 0) {
			size_t n = strlen(v->summary);

			sanitize_snprintf(v->summary + n, sizeof(v->summary) - n, "; our probes pass");
		}
		return true;
	}
	if (c->maint_now || c->comp_maintenance) {
		set(v, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE, NULL);
		if (c->maint_now) {
			clean(a, sizeof(a), nonempty(c->maint_now->title) ? c->maint_now->title : "untitled");
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
		set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, NULL);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "all good, says the official status page (no probes of our own)");
		return true;
	}
	if (c->svc_known == 0) {
		set(v, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, NULL);
		sanitize_snprintf(v->summary, sizeof(v->summary), "no results yet");
		return true;
	}

	t = answered_with(c, OUTCOME_AUTH_REJECTED);
	if (t) {
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_AUTH_REJECTED, t);
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
	t = answered_with(c, OUTCOME_RATE_LIMITED);
	if (t) {
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_DEGRADED, VERDICT_CAUSE_RATE_LIMITED, t);
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

	t = refused(c);
	if (t) {
		char w[96];

		clean(b, sizeof(b), name_of(t));
		failure_words(w, sizeof(w), t);
		set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_BAD_RESPONSE, t);
		if (failed_sample(t) && failed_sample(t)->http_status == 511)
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
		if (!is_service(t) || diagnose_target_health(t) != DIAGNOSE_FLAP)
			continue;
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_DEGRADED, VERDICT_CAUSE_FLAPPING, t);
		sanitize_snprintf(v->summary, sizeof(v->summary), "%s is unstable: %s keeps going up and down", svc, b);
		return true;
	}
	for (size_t i = 0; i < c->in->n_targets; i++) {
		enum assess_state s;

		t = &c->in->targets[i];
		s = t->state == ASSESS_CONFIRMING ? t->settled : t->state;
		if (!is_service(t) || s != ASSESS_DEGRADED)
			continue;
		clean(b, sizeof(b), name_of(t));
		timefmt_ms(t->median_ms, a, sizeof(a));
		set(v, VERDICT_DEGRADED, VERDICT_CAUSE_SLOW, t);
		if (t->baseline_ms > 0) {
			timefmt_ms(t->baseline_ms, d, sizeof(d));
			sanitize_snprintf(v->summary, sizeof(v->summary), "%s is slow: %s takes %s, usually %s", svc, b, a, d);
		} else {
			sanitize_snprintf(v->summary, sizeof(v->summary), "%s is slow: %s takes %s", svc, b, a);
		}
		return true;
	}
	if (c->maint_next) {
		clean(a, sizeof(a), nonempty(c->maint_next->title) ? c->maint_next->title : "untitled");
		timefmt_duration(c->maint_next->starts - c->in->now, d, sizeof(d));
		set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_MAINTENANCE, NULL);
		sanitize_snprintf(v->summary, sizeof(v->summary), "all good; scheduled maintenance in %s: %s", d, a);
		return true;
	}
	t = answered_with(c, OUTCOME_CHALLENGED);
	if (t) {
		clean(b, sizeof(b), name_of(t));
		set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_CHALLENGED, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "%s is up: %s is reachable but shows a bot challenge (a browser would pass it)", svc, b);
		return true;
	}
	set(v, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, NULL);
	sanitize_snprintf(v->summary, sizeof(v->summary), "all good: %s answers normally", svc);
	return true;
}

static void fill_detail(const struct ctx *c, struct verdict *v)
{
	const struct diagnose_official *o = &c->in->official;
	char off[200], t[160], sk[96] = "";

	if (o->have_status) {
		if (nonempty(o->description)) {
			clean(t, sizeof(t), o->description);
			sanitize_snprintf(off, sizeof(off), "%s", t);
		} else {
			sanitize_snprintf(off, sizeof(off), "%s", assess_component_name(c->official));
		}
		if (nonempty(o->fetch_error)) {
			size_t n = strlen(off);

			clean(t, sizeof(t), o->fetch_error);
			sanitize_snprintf(off + n, sizeof(off) - n, " (stale: %s)", t);
		}
	} else if (!o->configured) {
		sanitize_snprintf(off, sizeof(off), "no status page configured");
	} else if (nonempty(o->fetch_error)) {
		clean(t, sizeof(t), o->fetch_error);
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
	clean(svc, sizeof(svc), nonempty(in->service) ? in->service : "the service");
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

	if (!try_checking(&c, v) && !try_local(&c, v) && !try_official_failing(&c, v) &&
	    !try_service_failing(&c, v))
		try_answering(&c, v);

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
		official_short(&c, v->official_text, sizeof(v->official_text));
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

enum diagnose_impact diagnose_impact_from_string(const char *s)
{
	static const struct {
		const char *word;
		enum diagnose_impact i;
	} words[] = {
		{ "none", DIAGNOSE_IMPACT_NONE },
		{ "minor", DIAGNOSE_IMPACT_MINOR },
		{ "major", DIAGNOSE_IMPACT_MAJOR },
		{ "critical", DIAGNOSE_IMPACT_CRITICAL },
		{ "maintenance", DIAGNOSE_IMPACT_MAINTENANCE },
	};

	if (!s)
		return DIAGNOSE_IMPACT_UNKNOWN;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(s, words[i].word) == 0)
			return words[i].i;
	}
	return DIAGNOSE_IMPACT_UNKNOWN;
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

enum assess_component diagnose_component_state(const struct diagnose_input *in,
					       const char *component)
{
	enum assess_state *states;
	enum assess_official official = ASSESS_OFFICIAL_UNKNOWN;
	enum assess_component r;
	size_t n = 0;

	if (!in || !component)
		return ASSESS_COMPONENT_UNKNOWN;
	states = calloc(in->n_targets + 1, sizeof(*states));
	if (!states)
		return ASSESS_COMPONENT_UNKNOWN;
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];

		if (is_service(t) && t->component && strcasecmp(t->component, component) == 0)
			states[n++] = t->state;
	}
	if (in->official.have_status) {
		const struct diagnose_official *o = &in->official;
		enum assess_component worst = ASSESS_COMPONENT_UNKNOWN;

		for (size_t i = 0; o->components && i < o->n_components; i++) {
			const struct diagnose_official_component *oc = &o->components[i];

			if (!oc->name || strcasecmp(oc->name, component) != 0)
				continue;
			if (comp_rank(from_official(oc->status)) > comp_rank(worst)) {
				worst = from_official(oc->status);
				official = oc->status;
			}
		}
	}
	r = assess_component_combine(states, n, official);
	free(states);
	return r;
}

static enum assess_official official_of_component(const struct diagnose_input *in, const char *component)
{
	const struct diagnose_official *o = &in->official;
	enum assess_component worst = ASSESS_COMPONENT_UNKNOWN;
	enum assess_official official = ASSESS_OFFICIAL_UNKNOWN;

	if (!o->have_status)
		return ASSESS_OFFICIAL_UNKNOWN;
	for (size_t i = 0; o->components && i < o->n_components; i++) {
		const struct diagnose_official_component *oc = &o->components[i];

		if (!oc->name || strcasecmp(oc->name, component) != 0)
			continue;
		if (comp_rank(from_official(oc->status)) > comp_rank(worst)) {
			worst = from_official(oc->status);
			official = oc->status;
		}
	}
	return official;
}

static bool is_outage(enum assess_component s)
{
	return s == ASSESS_COMPONENT_PARTIAL_OUTAGE || s == ASSESS_COMPONENT_MAJOR_OUTAGE;
}

int diagnose_component(const struct diagnose_input *in, const struct verdict *v, const char *component,
		       struct diagnose_component *out)
{
	enum assess_state *states;
	enum assess_official official;
	size_t n = 0;
	bool local, checking;

	if (!in || !v || !component || !out)
		return -EINVAL;
	out->state = out->ours = ASSESS_COMPONENT_UNKNOWN;
	out->reason = "";
	states = calloc(in->n_targets + 1, sizeof(*states));
	if (!states)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];

		/* a first failure is not a result yet: confirming reads as what it was */
		if (is_service(t) && t->component && strcasecmp(t->component, component) == 0)
			states[n++] = t->state == ASSESS_CONFIRMING ? t->settled : t->state;
	}
	official = official_of_component(in, component);
	out->ours = assess_component_combine(states, n, ASSESS_OFFICIAL_UNKNOWN);
	local = v->state == VERDICT_LOCAL_PROBLEM;
	checking = v->state == VERDICT_UNKNOWN && v->cause == VERDICT_CAUSE_NO_DATA;
	if ((local || checking) && is_outage(out->ours)) {
		/* what fails from here says nothing of the service: leave it out */
		for (size_t i = 0; i < n; i++)
			if (states[i] == ASSESS_DOWN)
				states[i] = ASSESS_UNKNOWN;
		out->ours = assess_component_combine(states, n, ASSESS_OFFICIAL_UNKNOWN);
		out->reason = local ? DIAGNOSE_REASON_UNREACHABLE : DIAGNOSE_REASON_CHECKING;
	} else if (checking && out->ours == ASSESS_COMPONENT_UNKNOWN) {
		out->reason = DIAGNOSE_REASON_CHECKING;
	}
	out->state = assess_component_combine(states, n, official);
	if (out->state != ASSESS_COMPONENT_UNKNOWN)
		out->reason = ""; /* a target that answers, or the official word, speaks for it */
	free(states);
	return 0;
}

void diagnose_lag_init(struct diagnose_lag *l)
{
	memset(l, 0, sizeof(*l));
}

bool diagnose_lag_update(struct diagnose_lag *l, const struct verdict *v, double now)
{
	if (!l || !v)
		return false;
	if (l->watch_start == 0)
		l->watch_start = now;
	if (!v->ours_failing && !v->official_bad) {
		double watch_start = l->watch_start;

		diagnose_lag_init(l);
		l->watch_start = watch_start;
		return false;
	}
	if (v->ours_failing && l->ours_t == 0)
		l->ours_t = now;
	if (v->official_bad && l->official_t == 0)
		l->official_t = v->official_since > 0 ? v->official_since : now;
	/* An incident opened before we started watching says nothing about how
	 * quickly the page follows an outage: we cannot know when our probes
	 * would have seen it, so this episode gets no lag. */
	if (!l->reported && l->official_t > 0 && l->official_t < l->watch_start)
		l->reported = true;
	if (!l->reported && l->ours_t > 0 && l->official_t > 0) {
		l->reported = true;
		return true;
	}
	return false;
}

bool diagnose_lag_seconds(const struct diagnose_lag *l, double *lag_s)
{
	if (!l || l->ours_t <= 0 || l->official_t <= 0 || l->official_t < l->watch_start)
		return false;
	if (lag_s)
		*lag_s = l->official_t - l->ours_t;
	return true;
}

int diagnose_lag_text(const struct diagnose_lag *l, char *buf, size_t len)
{
	double lag;
	char d[48];

	if (!buf || len == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (!diagnose_lag_seconds(l, &lag))
		return 0;
	timefmt_duration(lag, d, sizeof(d));
	if (fabs(lag) < 1)
		sanitize_snprintf(buf, len, "the status page changed as our probes failed");
	else
		sanitize_snprintf(buf, len, "the status page %s our probes by %s", lag > 0 ? "lagged" : "led", d);
	return 0;
}
