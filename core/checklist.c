/* checklist.c: the troubleshooting checklist, step by step.
 *
 * checklist_build fills a struct checklist the caller owns (usually embedded
 * in the monitor beside the verdict, rebuilt whenever a sample or the official
 * status changes). Each network step (dns, tcp, tls, http, api) looks at every
 * service target's last sample and asks where it stopped: a target that
 * failed at this layer fails the step (or warns while the failure is not
 * confirmed), one that got past it passes the step, one that failed earlier
 * means the step was not reached. The words come from the samples; the advice
 * says what a person can do about it. The steps about the setting rather than
 * the way (key, rate limits, latency, official page, proxy, clock) are in
 * checklist_setting.c. */
#include "checklist.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "diagnose_facts.h"
#include "sanitize.h"
#include "timefmt.h"

#include "checklist_internal.h"

bool cl_answered(const struct sample *s)
{
	return s->ok || assess_outcome_reachable(s->outcome);
}

static bool saw_tls(const struct sample *s)
{
	return s->tls_ms >= 0 || s->cert_expiry > 0;
}

/* Where a failed sample stopped. */
static enum layer failed_layer(const struct diagnose_target *t, const struct sample *s)
{
	switch (s->outcome) {
	case OUTCOME_DNS_FAIL:
		return L_DNS;
	case OUTCOME_CONNECT_FAIL:
	case OUTCOME_PROXY_FAIL:
		return L_TCP;
	case OUTCOME_TLS_FAIL:
		return L_TLS;
	case OUTCOME_TIMEOUT:
		if (t->kind == TARGET_DNS)
			return L_DNS;
		if (s->tls_stalled)
			return L_TLS;
		return dx_connected(s) ? L_HTTP : L_TCP;
	default:
		return L_HTTP;
	}
}

static bool applies(const struct diagnose_target *t, enum layer l, enum which w)
{
	if (!dx_is_service(t))
		return false;
	switch (l) {
	case L_DNS:
		return !diagnose_host_is_ip(t->host);
	case L_TCP:
		return t->kind == TARGET_HTTP || t->kind == TARGET_TCP;
	case L_TLS:
		return t->kind == TARGET_HTTP;
	case L_HTTP:
		if (t->kind != TARGET_HTTP)
			return false;
		return w == W_ANY || (w == W_API) == t->api;
	}
	return false;
}

static void eval(const struct diagnose_input *in, enum layer l, enum which w, struct layer_eval *e)
{
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		const struct sample *s = t->last;
		enum diagnose_health h;
		bool past;

		if (!applies(t, l, w))
			continue;
		e->applicable++;
		if (!s)
			continue;
		if (cl_answered(s)) {
			past = true;
		} else {
			enum layer fl = failed_layer(t, s);

			if (fl < l) {
				if (!e->blocked)
					e->blocked = t;
				continue;
			}
			past = fl > l;
		}
		if (past) {
			/* TLS counts as passed only where a handshake was seen (https, fresh connection) */
			if (l == L_TLS && !saw_tls(s)) {
				e->no_tls++;
				continue;
			}
			/* for names, a dns probe has the better words */
			if (!e->pass || (l == L_DNS && t->kind == TARGET_DNS && e->pass->kind != TARGET_DNS))
				e->pass = t;
			continue;
		}
		h = diagnose_target_health(t);
		if (h == DIAGNOSE_FAIL || h == DIAGNOSE_FLAP) {
			if (!e->fail)
				e->fail = t;
		} else if (!e->confirming) {
			e->confirming = t;
		}
	}
}

/* "connection refused or unreachable" or "service unavailable, HTTP 503", with
 * curl's own words when they add something. */
static void failure_words(char *buf, size_t len, const struct sample *s)
{
	char err[SAMPLE_ERROR_LEN];

	if (s->http_status > 0) {
		sanitize_snprintf(buf, len, "%s, HTTP %ld", assess_outcome_text(s->outcome, s->http_status),
		    s->http_status);
		return;
	}
	dx_clean(err, sizeof(err), s->error);
	if (*err)
		sanitize_snprintf(buf, len, "%s (%s)", assess_outcome_text(s->outcome, 0), err);
	else
		sanitize_snprintf(buf, len, "%s", assess_outcome_text(s->outcome, 0));
}

struct checklist_step *cl_step(struct checklist *c, const char *id, const char *title)
{
	struct checklist_step *st = &c->steps[c->n++];

	memset(st, 0, sizeof(*st));
	st->id = id;
	st->title = title;
	st->result = CHECKLIST_PENDING;
	return st;
}

/* The generic outcome of a layer step; returns false when the caller words a pass. */
static bool layer_result(struct checklist_step *st, const struct layer_eval *e, const char *none)
{
	char h[96], w[128];

	if (e->fail || e->confirming) {
		const struct diagnose_target *t = e->fail ? e->fail : e->confirming;

		dx_clean(h, sizeof(h), dx_host_of(t));
		failure_words(w, sizeof(w), t->last);
		st->result = e->fail ? CHECKLIST_FAIL : CHECKLIST_WARN;
		if (e->fail)
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s: %s", h, w);
		else
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s: %s; probing again to confirm", h, w);
		return true;
	}
	if (e->pass)
		return false;
	if (e->blocked) {
		dx_clean(h, sizeof(h), dx_host_of(e->blocked));
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "not reached: %s stops earlier (%s)", h,
		    e->blocked->last->tls_stalled ? "the TLS handshake got no answer" :
		    assess_outcome_text(e->blocked->last->outcome, e->blocked->last->http_status));
		return true;
	}
	if (e->applicable == 0) {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s", none);
		return true;
	}
	st->result = CHECKLIST_PENDING;
	sanitize_snprintf(st->detail, sizeof(st->detail), "no result yet");
	return true;
}

static void step_internet(const struct diagnose_input *in, const struct verdict *v, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "internet", "Internet connection");
	int known = 0, pass = 0, fail = 0, ctl = 0;
	size_t off = 0;

	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];
		enum diagnose_health h = diagnose_target_health(t);
		char n[64], w[96];

		if (t->role != TARGET_ROLE_CONTROL)
			continue;
		ctl++;
		if (h == DIAGNOSE_PENDING || !t->last)
			continue;
		known++;
		dx_clean(n, sizeof(n), dx_name_of(t));
		if (h == DIAGNOSE_FAIL) {
			fail++;
			sanitize_snprintf(w, sizeof(w), "%s: %s", n, assess_outcome_text(t->last->outcome, t->last->http_status));
		} else {
			char ms[32];

			pass++;
			timefmt_ms(t->last->total_ms, ms, sizeof(ms));
			sanitize_snprintf(w, sizeof(w), "%s answers in %s", n, ms);
		}
		if (off < sizeof(st->detail)) {
			sanitize_snprintf(st->detail + off, sizeof(st->detail) - off, "%s%s", off ? ", " : "", w);
			off = strlen(st->detail);
		}
	}

	if (ctl == 0) {
		for (size_t i = 0; i < in->n_targets; i++) {
			const struct diagnose_target *t = &in->targets[i];
			char n[64];

			if (diagnose_target_health(t) != DIAGNOSE_PASS)
				continue;
			dx_clean(n, sizeof(n), dx_name_of(t));
			st->result = CHECKLIST_PASS;
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s answers (no control targets)", n);
			return;
		}
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no control targets configured");
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "add control targets (an IP address and a well-known name) to tell your network "
		    "from the service");
		return;
	}
	if (known == 0) {
		st->result = CHECKLIST_PENDING;
		sanitize_snprintf(st->detail, sizeof(st->detail), "waiting for the control targets");
	} else if (fail == known) {
		st->result = CHECKLIST_FAIL;
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "no outside site answers: check the cable or Wi-Fi, restart the router, "
		    "check a VPN or captive portal (open any site in a browser)");
	} else if (fail > 0 && v->cause == VERDICT_CAUSE_CLOCK_SKEW) {
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "the control targets' certificates fail as well: your clock (see Clock), not the network");
	} else if (fail > 0 && v->cause == VERDICT_CAUSE_LOSSY) {
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->advice, sizeof(st->advice), "%s", LOSSY_ADVICE);
	} else if (fail > 0) {
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "some control targets fail: the network works, but not everywhere "
		    "(a filtered network, or that site is down)");
	} else {
		st->result = CHECKLIST_PASS;
	}
}

static void step_dns(const struct diagnose_input *in, const struct verdict *v, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "dns", "Name resolution (DNS)");
	struct layer_eval e;
	const struct sample *s;
	char h[96], ms[32];

	eval(in, L_DNS, W_ANY, &e);
	if (layer_result(st, &e, "no service target uses a name")) {
		if (st->result != CHECKLIST_FAIL)
			return;
		dx_clean(h, sizeof(h), dx_host_of(e.fail));
		if (v->cause == VERDICT_CAUSE_NO_NETWORK)
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "nothing outside answers: fix the connection first, DNS follows");
		else if (v->cause == VERDICT_CAUSE_LOSSY)
			sanitize_snprintf(st->advice, sizeof(st->advice), "%s", LOSSY_ADVICE);
		else if (v->cause == VERDICT_CAUSE_DNS_ALL)
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "no name resolves: your DNS resolver does not answer; restart the router, "
			    "or use another DNS server (1.1.1.1, 9.9.9.9)");
		else
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "%s does not resolve while other names do: flush the DNS cache, check "
			    "/etc/hosts and DNS filtering (ad blocker, company DNS), try another resolver", h);
		return;
	}
	s = e.pass->last;
	dx_clean(h, sizeof(h), dx_host_of(e.pass));
	timefmt_ms(s->dns_ms, ms, sizeof(ms));
	st->result = CHECKLIST_PASS;
	if (e.pass->kind == TARGET_DNS && s->n_addr_v4 > 0 && s->n_addr_v6 > 0)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s -> %d IPv4 + %d IPv6 addresses in %s", h,
		    s->n_addr_v4, s->n_addr_v6, ms);
	else if (e.pass->kind == TARGET_DNS)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s -> %d address%s in %s", h,
		    s->n_addr_v4 + s->n_addr_v6, s->n_addr_v4 + s->n_addr_v6 == 1 ? "" : "es", ms);
	else if (s->dns_ms >= 0)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s resolved in %s", h, ms);
	else if (s->reused)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: connection reused, no lookup needed", h);
	else
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s resolves", h);
	if (s->dns_ms > CHECKLIST_DNS_SLOW_MS) {
		st->result = CHECKLIST_WARN;
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "lookups are slow: your DNS resolver struggles; try another DNS server");
	}
}

static const struct diagnose_target *v6_split(const struct diagnose_input *in)
{
	for (size_t i = 0; i < in->n_targets; i++) {
		const struct diagnose_target *t = &in->targets[i];

		if (dx_is_service(t) && diagnose_path_works(&t->v4) && diagnose_path_fails(&t->v6))
			return t;
	}
	return NULL;
}

static void step_tcp(const struct diagnose_input *in, const struct verdict *v, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "tcp", "Connection (TCP)");
	struct layer_eval e;
	const struct diagnose_target *split = v6_split(in);
	const struct sample *s;
	char h[96], ip[SAMPLE_IP_LEN + 4] = "", ms[32];

	eval(in, L_TCP, W_ANY, &e);
	if (layer_result(st, &e, "no service target connects")) {
		if (st->result != CHECKLIST_FAIL)
			return;
		dx_clean(h, sizeof(h), dx_host_of(e.fail));
		if (split)
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "IPv4 works, IPv6 does not: your IPv6 route is broken; fix the router's IPv6 "
			    "or turn IPv6 off");
		else if (v->cause == VERDICT_CAUSE_LOSSY)
			sanitize_snprintf(st->advice, sizeof(st->advice), "%s", LOSSY_ADVICE);
		else if (e.fail->last->outcome == OUTCOME_PROXY_FAIL)
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the proxy is down or refuses %s: check its settings, or unset the proxy "
			    "variable to test a direct connection", h);
		else if (v->n_control_known > v->n_control_down && v->n_control_known > 0)
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "other sites answer, so something blocks %s: a firewall, proxy or VPN, or the "
			    "service's edge; try another network (a phone hotspot)", h);
		else
			sanitize_snprintf(st->advice, sizeof(st->advice), "check your own connection first");
		return;
	}
	s = e.pass->last;
	dx_clean(h, sizeof(h), dx_host_of(e.pass));
	if (*s->remote_ip)
		sanitize_snprintf(ip, sizeof(ip), " (%s)", s->remote_ip);
	st->result = CHECKLIST_PASS;
	if (s->reused) {
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s%s: connection reused", h, ip);
	} else if (s->connect_ms >= 0) {
		timefmt_ms(s->connect_ms, ms, sizeof(ms));
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s%s connected in %s", h, ip, ms);
	} else {
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s%s connected", h, ip);
	}
	if (split) {
		dx_clean(h, sizeof(h), dx_host_of(split));
		st->result = CHECKLIST_WARN;
		/* the families are compared direct: through a proxy they say nothing of the route */
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: IPv6 path fails, IPv4 works%s", h,
		    proxyenv_for(&in->env, split->plain_http) ? " (compared directly, not through the proxy)" :
									 "");
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "your IPv6 route is broken: programs that try IPv6 first may hang; fix the "
		    "router's IPv6 or turn IPv6 off");
	}
}

/* TCP connected and the handshake got no answer: a filter on the way that
 * blocks by server name (SNI), or the service's edge, not a certificate. */
static void tls_stall_words(struct checklist_step *st, const struct diagnose_target *t, const struct verdict *v)
{
	char h[96], d[32];

	dx_clean(h, sizeof(h), dx_host_of(t));
	timefmt_ms(t->last->total_ms, d, sizeof(d));
	if (st->result == CHECKLIST_FAIL)
		sanitize_snprintf(st->detail, sizeof(st->detail),
		    "%s: the handshake got no answer in %s (TCP connected)", h, d);
	else
		sanitize_snprintf(st->detail, sizeof(st->detail),
		    "%s: the handshake got no answer in %s (TCP connected); probing again to confirm", h, d);
	if (st->result != CHECKLIST_FAIL)
		return;
	if (v->n_control_known > v->n_control_down && v->n_control_known > 0)
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "other sites answer and %s accepts the connection, but never answers the TLS "
		    "hello: a firewall or filter that blocks by name looks like this (corporate "
		    "networks, some countries); try another network (a phone hotspot)", h);
	else
		sanitize_snprintf(st->advice, sizeof(st->advice),
		    "%s accepts the connection but never answers the TLS hello: a filter that blocks "
		    "by name, or the service's edge is stuck; try another network (a phone hotspot)", h);
}

static void step_tls(const struct diagnose_input *in, const struct verdict *v, struct checklist *c)
{
	struct checklist_step *st = cl_step(c, "tls", "Secure connection (TLS)");
	struct layer_eval e;
	const struct sample *s;
	char h[96], ms[32], d[48];

	eval(in, L_TLS, W_ANY, &e);
	if (!e.fail && !e.confirming && !e.pass && e.no_tls > 0) {
		st->result = CHECKLIST_SKIP;
		sanitize_snprintf(st->detail, sizeof(st->detail), "no TLS handshake seen (plain HTTP or reused connections)");
		return;
	}
	if (layer_result(st, &e, "no web or API target")) {
		const struct diagnose_target *t = e.fail ? e.fail : e.confirming;

		if (t && t->last->tls_stalled)
			tls_stall_words(st, t, v);
		if (!t || st->result != CHECKLIST_FAIL || t->last->tls_stalled)
			return;
		s = e.fail->last;
		if (v->have_skew && fabs(v->clock_skew_s) > (in->skew_limit_s > 0 ? in->skew_limit_s :
							       DIAGNOSE_SKEW_LIMIT_S)) {
			timefmt_duration(v->clock_skew_s, d, sizeof(d));
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "your clock is off by %s: set it (turn on NTP) and try again", d);
		} else if ((s->cert_expiry > 0 && (double)s->cert_expiry < s->t) ||
			   strstr(s->error, "certificate has expired")) {
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the service's certificate has expired: nothing to fix on your side");
		} else {
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the certificate was not accepted: a proxy, antivirus or captive portal may "
			    "intercept TLS; check the date and the system's CA certificates");
		}
		return;
	}
	s = e.pass->last;
	dx_clean(h, sizeof(h), dx_host_of(e.pass));
	timefmt_ms(s->tls_ms, ms, sizeof(ms));
	st->result = CHECKLIST_PASS;
	if (s->cert_expiry > 0) {
		double left = (double)s->cert_expiry - s->t;

		timefmt_duration(left, d, sizeof(d));
		if (s->tls_ms >= 0)
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s: handshake %s, certificate valid for %s", h, ms, d);
		else
			sanitize_snprintf(st->detail, sizeof(st->detail), "%s: certificate valid for %s", h, d);
		if (left < CHECKLIST_CERT_WARN_S) {
			st->result = CHECKLIST_WARN;
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the certificate expires soon: the service must renew it; nothing to do on "
			    "your side");
		}
	} else {
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: handshake %s", h, ms);
	}
}

static void step_http(const struct diagnose_input *in, const struct verdict *v, struct checklist *c,
		      enum which w)
{
	bool api = w == W_API;
	struct checklist_step *st = api ? cl_step(c, "api", "API") : cl_step(c, "http", "Web service (HTTP)");
	struct layer_eval e;
	const struct sample *s;
	char h[96], ms[32];

	eval(in, L_HTTP, w, &e);
	if (layer_result(st, &e, api ? "no API target" : "no web target")) {
		if (st->result != CHECKLIST_FAIL && st->result != CHECKLIST_WARN)
			return;
		s = (e.fail ? e.fail : e.confirming)->last;
		if (s->outcome == OUTCOME_HTTP_UNEXPECTED || s->outcome == OUTCOME_BODY_MISMATCH)
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "an unexpected answer: a captive portal or filter may answer instead (open it "
			    "in a browser), or the endpoint changed");
		else if (v->cause == VERDICT_CAUSE_LOSSY)
			sanitize_snprintf(st->advice, sizeof(st->advice), "%s", LOSSY_ADVICE);
		else if (v->state == VERDICT_LOCAL_PROBLEM)
			/* the verdict found the cause on this side: the service is not to blame */
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the cause is on your side (%s): fix that first, see the steps above",
			    diagnose_cause_name(v->cause));
		else
			sanitize_snprintf(st->advice, sizeof(st->advice),
			    "the service itself is failing: nothing to fix on your side; wait, and follow "
			    "the official status");
		return;
	}
	s = e.pass->last;
	dx_clean(h, sizeof(h), dx_name_of(e.pass));
	timefmt_ms(s->total_ms, ms, sizeof(ms));
	st->result = CHECKLIST_PASS;
	if (s->outcome == OUTCOME_CHALLENGED)
		sanitize_snprintf(st->detail, sizeof(st->detail),
		    "%s: reachable, answers with a bot challenge (HTTP %ld)", h, s->http_status);
	else if (api && s->http_status == 401 && !e.pass->key_configured)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP 401 without a key in %s: the API answers", h, ms);
	else if (s->http_status > 0 && s->http_version >= 20)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP %ld in %s (HTTP/%d)", h, s->http_status,
		    ms, s->http_version / 10);
	else if (s->http_status > 0 && s->http_version > 0)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP %ld in %s (HTTP/%d.%d)", h, s->http_status,
		    ms, s->http_version / 10, s->http_version % 10);
	else if (s->http_status > 0)
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: HTTP %ld in %s", h, s->http_status, ms);
	else
		sanitize_snprintf(st->detail, sizeof(st->detail), "%s: answers in %s", h, ms);
}

/* Several services watched (fleet.h): in an outage, the first failing step
 * also says which service of the same group answers now. */
static void add_fallback(const struct verdict *v, struct checklist *out)
{
	if (!v->fallback[0])
		return;
	for (size_t i = 0; i < out->n; i++) {
		struct checklist_step *st = &out->steps[i];
		size_t len = strlen(st->advice);

		if (st->result != CHECKLIST_FAIL)
			continue;
		sanitize_snprintf(st->advice + len, sizeof(st->advice) - len, "%s%s answers normally: use it meanwhile",
				  len ? "; " : "", v->fallback);
		return;
	}
}

int checklist_build(const struct diagnose_input *in, const struct verdict *v,
		    struct checklist *out)
{
	struct verdict own;

	if (!in || !out || (!in->targets && in->n_targets > 0))
		return -EINVAL;
	if (!v) {
		if (diagnose_verdict(in, &own) < 0)
			return -EINVAL;
		v = &own;
	}
	out->n = 0;
	step_internet(in, v, out);
	step_dns(in, v, out);
	step_tcp(in, v, out);
	step_tls(in, v, out);
	step_http(in, v, out, W_WEB);
	step_http(in, v, out, W_API);
	cl_step_api_key(in, out);
	cl_step_rate_limit(in, out);
	cl_step_latency(in, out);
	cl_step_official(in, v, out);
	cl_step_proxy(in, out);
	cl_step_clock(in, out);
	add_fallback(v, out);
	return 0;
}

const struct checklist_step *checklist_find(const struct checklist *c, const char *id)
{
	if (!c || !id)
		return NULL;
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->steps[i].id, id) == 0)
			return &c->steps[i];
	}
	return NULL;
}

const char *checklist_result_name(enum checklist_result r)
{
	switch (r) {
	case CHECKLIST_PASS: return "pass";
	case CHECKLIST_WARN: return "warn";
	case CHECKLIST_FAIL: return "fail";
	case CHECKLIST_SKIP: return "skip";
	case CHECKLIST_PENDING: return "pending";
	}
	return "pending";
}
