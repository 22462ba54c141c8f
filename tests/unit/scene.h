/* scene.h: a synthetic picture of what the probes measured, for the tests of
 * the verdict (test_diagnose.c) and the checklist (test_checklist.c): a
 * target whose last sample had a given outcome, with the timings and the
 * words of curl's errors a profile gives, assessed accordingly. Each test
 * keeps its own struct scene and profile; the sample and target rules are
 * here once. Header-only: each test is one program. */
#ifndef ISITDOWN_TEST_SCENE_H
#define ISITDOWN_TEST_SCENE_H

#include <stdbool.h>
#include <string.h>

#include "diagnose.h"

#define SCENE_NOW 1760000000.0

struct scene_profile {
	/* an answer's phases, and what assess made of the target's history */
	double dns_ms, connect_ms, tls_ms, ttfb_ms, transfer_ms, total_ms;
	double median_ms, baseline_ms;
	bool dates;               /* answers carry a server Date and a certificate's expiry */
	bool timeout_connected;   /* OUTCOME_TIMEOUT: connected, then nothing */
	const char *dns_error, *connect_error, *tls_error;
	long unexpected_status;   /* OUTCOME_HTTP_UNEXPECTED's status */
};

/* s as a probe with outcome o would have left it (s->t is kept). */
static inline void scene_sample(struct sample *s, enum outcome o, const struct scene_profile *p)
{
	s->outcome = o;
	s->ok = o == OUTCOME_OK;
	s->dns_ms = p->dns_ms;
	s->connect_ms = p->connect_ms;
	s->tls_ms = p->tls_ms;
	s->ttfb_ms = p->ttfb_ms;
	s->transfer_ms = p->transfer_ms;
	s->total_ms = p->total_ms;
	s->http_status = 200;
	s->http_version = 20;
	s->retry_after_s = -1;
	s->server_date = p->dates ? (time_t)(s->t + 0.15) : 0;
	s->cert_expiry = p->dates ? (time_t)(s->t + 62 * 86400) : 0;
	strcpy(s->remote_ip, "104.18.32.47");
	s->error[0] = '\0';
	switch (o) {
	case OUTCOME_DNS_FAIL:
		s->dns_ms = s->connect_ms = s->tls_ms = s->ttfb_ms = s->transfer_ms = -1;
		s->http_status = 0;
		s->server_date = 0;
		s->cert_expiry = 0;
		s->remote_ip[0] = '\0';
		strcpy(s->error, p->dns_error);
		break;
	case OUTCOME_CONNECT_FAIL:
	case OUTCOME_PROXY_FAIL:
		s->connect_ms = s->tls_ms = s->ttfb_ms = s->transfer_ms = -1;
		s->http_status = 0;
		s->server_date = 0;
		s->cert_expiry = 0;
		strcpy(s->error, p->connect_error);
		break;
	case OUTCOME_TLS_FAIL:
		s->tls_ms = s->ttfb_ms = s->transfer_ms = -1;
		s->http_status = 0;
		s->server_date = 0;
		s->cert_expiry = 0;
		strcpy(s->error, p->tls_error);
		break;
	case OUTCOME_TIMEOUT:
		if (p->timeout_connected) {
			s->ttfb_ms = s->transfer_ms = -1;
			s->http_status = 0;
		}
		break;
	case OUTCOME_HTTP_5XX:
		s->http_status = 503;
		break;
	case OUTCOME_RATE_LIMITED:
		s->http_status = 429;
		break;
	case OUTCOME_AUTH_REJECTED:
		s->http_status = 401;
		break;
	case OUTCOME_CHALLENGED:
		s->http_status = 403;
		break;
	case OUTCOME_HTTP_UNEXPECTED:
		s->http_status = p->unexpected_status;
		break;
	default:
		break;
	}
}

/* t, whose last sample s had outcome o five seconds ago, assessed up or down. */
static inline void scene_target(struct diagnose_target *t, struct sample *s, const char *name,
				enum target_kind kind, enum target_role role, const char *host,
				const char *component, enum outcome o, const struct scene_profile *p)
{
	memset(t, 0, sizeof(*t));
	memset(s, 0, sizeof(*s));
	s->t = SCENE_NOW - 5;
	scene_sample(s, o, p);
	t->name = name;
	t->kind = kind;
	t->role = role;
	t->host = host;
	t->component = component;
	t->last = s;
	t->state = assess_outcome_reachable(o) ? ASSESS_UP : ASSESS_DOWN;
	t->settled = t->state;
	t->median_ms = p->median_ms;
	t->baseline_ms = p->baseline_ms;
}

/* The last sample of t changed to outcome o, and t assessed again. */
static inline void scene_set(struct diagnose_target *t, struct sample *s, enum outcome o,
			     const struct scene_profile *p)
{
	scene_sample(s, o, p);
	t->state = assess_outcome_reachable(o) ? ASSESS_UP : ASSESS_DOWN;
	t->settled = t->state;
}

#endif
