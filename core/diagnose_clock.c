/* diagnose_clock.c: is our clock wrong? The servers' Date headers against ours,
 * and certificates of several hosts all not yet valid or all expired. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "diagnose_internal.h"

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
			best_host = dx_host_of(t);
			have = true;
		}
	}
	if (have && skew_s)
		*skew_s = best;
	if (have && host)
		*host = best_host;
	return have;
}

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
