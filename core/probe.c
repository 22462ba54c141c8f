/* probe.c: the prober and the life of one probe.
 *
 * The prober owns the curl engine and the list of probes in flight. A probe is
 * owned by the prober until it finishes or the prober is freed; after that it lives on
 * only until its libuv handles are closed (probe_release). The kind-specific
 * parts are in probe_http.c (and probe_llm.c), probe_dns.c and probe_tcp.c. */
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
		probe_llm_free(p->llm);
		free(p->body);
		free(p);
	}
}

/* What each kind of probe does to start and to stop early. */
struct probe_kind {
	int (*start)(struct probe *p);
	void (*cancel)(struct probe *p);
};

static const struct probe_kind kinds[] = {
	[TARGET_HTTP] = {probe_http_start, probe_http_cancel},
	[TARGET_STATUSPAGE] = {probe_http_start, probe_http_cancel},
	[TARGET_DNS] = {probe_dns_start, probe_uv_cancel},
	[TARGET_TCP] = {probe_tcp_start, probe_uv_cancel},
	[TARGET_LLM] = {probe_http_start, probe_http_cancel},
};

static void cancel_kind(struct probe *p)
{
	kinds[p->t->kind].cancel(p);
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
	int rc;

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
	p->s.first_token_ms = p->s.tokens_per_s = -1;
	p->s.tokens_out = -1;
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

	rc = kinds[t->kind].start(p);
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
