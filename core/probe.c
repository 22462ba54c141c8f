/* probe.c: the prober and the life of one probe.
 *
 * The prober owns the curl engine and the list of probes in flight. A probe is
 * owned by the prober until it finishes or the prober is freed; after that it lives on
 * only until its libuv handles are closed (probe_release). The kind-specific
 * parts are in probe_http.c, probe_dns.c and probe_tcp.c. */
#include "probe_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct prober *prober_new(uv_loop_t *loop, const struct config *cfg, char *err, size_t errlen)
{
	struct prober *pr = calloc(1, sizeof(*pr));

	if (!pr) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pr->loop = loop;
	pr->cfg = cfg;
	pr->net = net_new(loop, err, errlen);
	if (!pr->net) {
		free(pr);
		return NULL;
	}
	return pr;
}

static void unlink_probe(struct probe *p)
{
	struct prober *pr = p->pr;

	if (!pr)
		return;
	if (p->prev)
		p->prev->next = p->next;
	else
		pr->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->prev = p->next = NULL;
}

void probe_release(struct probe *p)
{
	if (p->finished && p->open_handles == 0 && !p->resolving && !p->easy) {
		sample_done(&p->s);
		free(p->body);
		free(p);
	}
}

static void cancel_kind(struct probe *p)
{
	if (p->t->kind == TARGET_HTTP || p->t->kind == TARGET_STATUSPAGE)
		probe_http_cancel(p);
	else
		probe_uv_cancel(p);
}

void prober_free(struct prober *pr)
{
	if (!pr)
		return;
	while (pr->head) {
		struct probe *p = pr->head;

		unlink_probe(p);
		p->finished = true;
		cancel_kind(p);
		p->pr = NULL;
		probe_release(p);
	}
	net_free(pr->net);
	free(pr);
}

struct probe *probe_start(struct prober *pr, const struct target *t, const struct probe_opts *opts,
			  probe_done_fn done, void *data)
{
	struct probe *p = calloc(1, sizeof(*p));
	int rc = -1;

	if (!p)
		return NULL;
	p->pr = pr;
	p->net = pr->net;
	p->t = t;
	if (opts)
		p->opts = *opts;
	p->done = done;
	p->data = data;
	p->s.retry_after_s = -1;
	p->s.dns_ms = p->s.connect_ms = p->s.tls_ms = -1;
	p->s.ttfb_ms = p->s.transfer_ms = p->s.total_ms = -1;
	p->started_ns = uv_hrtime();
	{
		uv_timeval64_t tv;

		uv_gettimeofday(&tv);
		p->s.t = (double)tv.tv_sec + tv.tv_usec / 1e6;
	}
	p->next = pr->head;
	if (pr->head)
		pr->head->prev = p;
	pr->head = p;

	switch (t->kind) {
	case TARGET_HTTP:
	case TARGET_STATUSPAGE:
		rc = probe_http_start(p);
		break;
	case TARGET_DNS:
		rc = probe_dns_start(p);
		break;
	case TARGET_TCP:
		rc = probe_tcp_start(p);
		break;
	}
	if (rc != 0) {
		/* Could not even begin (out of memory, no handle): the caller
		 * sees NULL and counts it as a failed probe. */
		unlink_probe(p);
		p->pr = NULL;
		p->finished = true;
		cancel_kind(p);
		probe_release(p);
		return NULL;
	}
	return p;
}

void probe_finish(struct probe *p)
{
	struct prober *pr = p->pr;

	if (p->finished)
		return;
	unlink_probe(p);
	p->pr = NULL;
	p->finished = true;
	if (p->s.total_ms < 0)
		p->s.total_ms = probe_elapsed_ms(p, uv_hrtime());
	if (pr)
		p->done(p, p->t, &p->s, p->data);
	probe_release(p);
}

double probe_elapsed_ms(const struct probe *p, uint64_t until_ns)
{
	return (double)(until_ns - p->started_ns) / 1e6;
}

void probe_set_error(struct sample *s, enum outcome o, const char *fmt, ...)
{
	va_list ap;

	s->ok = false;
	s->outcome = o;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
}

static bool status_in(long status, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == status)
			return true;
	return false;
}

/* The target carries a credential header (sent or withheld). */
static bool has_secret_header(const struct target *t)
{
	for (size_t i = 0; i < t->n_headers; i++)
		if (config_header_is_secret(&t->headers[i]))
			return true;
	return false;
}

void probe_classify_http(struct sample *s, const struct target *t, bool key_set, bool challenge_header,
			 bool body_matched)
{
	long st = s->http_status;
	bool expected;

	if (key_set && t->n_expect_with_key > 0)
		expected = status_in(st, t->expect_status_with_key, t->n_expect_with_key);
	else if (t->n_expect > 0)
		expected = status_in(st, t->expect_status, t->n_expect);
	else
		expected = st >= 200 && st < 400;

	s->ok = false;
	s->error[0] = '\0';
	if (challenge_header && (st == 403 || st == 503 || st == 429)) {
		/* The edge answered: the path works, a browser would be asked to prove itself. */
		s->ok = true;
		s->outcome = OUTCOME_CHALLENGED;
		snprintf(s->error, sizeof(s->error), "HTTP %ld bot challenge (reachable)", st);
	} else if (expected && body_matched) {
		s->ok = true;
		s->outcome = OUTCOME_OK;
	} else if (expected) {
		probe_set_error(s, OUTCOME_BODY_MISMATCH, "HTTP %ld but the body lacks the expected text", st);
	} else if (st == 429) {
		if (s->retry_after_s >= 0)
			probe_set_error(s, OUTCOME_RATE_LIMITED, "HTTP 429 rate limited, retry after %.0f s",
					s->retry_after_s);
		else
			probe_set_error(s, OUTCOME_RATE_LIMITED, "HTTP 429 rate limited");
	} else if ((st == 401 || st == 403) && key_set) {
		probe_set_error(s, OUTCOME_AUTH_REJECTED, "HTTP %ld: the API key was rejected", st);
	} else if ((st == 401 || st == 403) && has_secret_header(t)) {
		/* The service answered and asks for the credential we did not send:
		 * a question of the key, never an outage. */
		if (t->url && strncasecmp(t->url, "https://", 8) != 0)
			probe_set_error(s, OUTCOME_AUTH_REJECTED,
					"HTTP %ld: the API key was not sent (it is only sent over https)", st);
		else
			probe_set_error(s, OUTCOME_AUTH_REJECTED,
					"HTTP %ld: the API key was not sent (its variable is not set)", st);
	} else if (st >= 500) {
		probe_set_error(s, OUTCOME_HTTP_5XX, "HTTP %ld server error", st);
	} else {
		probe_set_error(s, OUTCOME_HTTP_UNEXPECTED, "HTTP %ld not expected", st);
	}
}
