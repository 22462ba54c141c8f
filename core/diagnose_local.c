/* diagnose_local.c: the causes on the user's side, tried first: still checking,
 * no network, DNS, a proxy, one IP family, the clock, a lossy link. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "sanitize.h"
#include "timefmt.h"

#include "diagnose_internal.h"

static const struct diagnose_target *failing_split(const struct ctx *c, enum split which)
{
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (!dx_is_service(t) || diagnose_target_health(t) != DIAGNOSE_FAIL)
			continue;
		if (which == SPLIT_PROXY && dx_path_split(&t->direct, &t->proxy))
			return t;
		if (which == SPLIT_V6 && dx_path_split(&t->v4, &t->v6))
			return t;
		if (which == SPLIT_V4 && dx_path_split(&t->v6, &t->v4))
			return t;
	}
	return NULL;
}

/* Until every service target has a settled result, nothing else may speak for
 * the service: a passing control or DNS target would say "all good" for a
 * service that answers 503. The summary says what we wait for. */
bool dx_try_checking(struct ctx *c, struct verdict *v)
{
	size_t len = 0, listed = 0, max_listed = 4;
	char b[96];

	if (c->svc_known == c->svc_n)
		return false;
	dx_set(v, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, NULL);
	len = (size_t)snprintf(v->summary, sizeof(v->summary), "waiting for ");
	for (size_t i = 0; i < c->in->n_targets; i++) {
		const struct diagnose_target *t = &c->in->targets[i];

		if (!dx_is_service(t) || diagnose_target_health(t) != DIAGNOSE_PENDING)
			continue;
		if (listed == max_listed) {
			listed++;
			continue;
		}
		if (listed > max_listed)
			continue;
		dx_clean(b, sizeof(b), dx_name_of(t));
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

bool dx_try_local(struct ctx *c, struct verdict *v)
{
	const struct diagnose_input *in = c->in;
	const struct diagnose_target *t;
	char a[NAME_LEN], b[NAME_LEN];

	/* Every control down and nothing but name lookups answering: the local
	 * resolver (or a captive portal's) answers without reaching the internet. */
	if (c->ctl_known > 0 && c->ctl_down == c->ctl_known && !c->net_pass) {
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, NULL);
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
			bool dns = diagnose_target_health(x) == DIAGNOSE_FAIL && dx_fail_class_of(x) == FC_DNS;

			if (dx_is_control(x) && dx_by_name(x)) {
				name_ctl = true;
				if (dns)
					name_ctl_dns = true;
			}
			if (dx_is_control(x) && !dx_by_name(x) && diagnose_target_health(x) == DIAGNOSE_PASS)
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
			dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, first);
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
		t = dx_failing_with(c, FC_PROXY);
	if (t) {
		dx_proxy_display(a, sizeof(a), proxyenv_for(&in->env, t->plain_http));
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_PROXY_BROKEN, t);
		if (dx_path_split(&t->direct, &t->proxy))
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the proxy is the problem: %s works directly but fails through %s", b, a);
		else if (dx_failed_sample(t) && dx_failed_sample(t)->proxy_status > 0)
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the proxy is the problem: %s refuses the way to %s (HTTP %ld)", a, b,
			    dx_failed_sample(t)->proxy_status);
		else
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "the proxy is the problem: %s fails at %s", b, a);
		return true;
	}

	t = failing_split(c, SPLIT_V6);
	if (t) {
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV6_BROKEN, t);
		sanitize_snprintf(v->summary, sizeof(v->summary),
		    "IPv6 path broken, IPv4 fine: %s answers over IPv4 only", b);
		return true;
	}
	t = failing_split(c, SPLIT_V4);
	if (t) {
		dx_clean(b, sizeof(b), dx_name_of(t));
		dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV4_BROKEN, t);
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
			dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, x);
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

			if (diagnose_target_health(x) != DIAGNOSE_FAIL || dx_fail_class_of(x) != FC_TLS)
				continue;
			timefmt_duration(c->skew, a, sizeof(a));
			dx_set(v, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, x);
			sanitize_snprintf(v->summary, sizeof(v->summary),
			    "your clock is %s %s: TLS certificates look invalid", a,
			    c->skew > 0 ? "behind" : "ahead");
			return true;
		}
	}
	return false;
}
