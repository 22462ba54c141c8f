/* probe_dns.c: name resolution probes, and the resolving step of tcp probes.
 *
 * uv_getaddrinfo runs on libuv's thread pool and cannot be interrupted once it
 * has started, so the probe's own timer ends the probe at its timeout and a
 * late answer is dropped when it arrives (p->resolving keeps the probe alive
 * until then). */
#include "probe_internal.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_handle_closed(uv_handle_t *h)
{
	struct probe *p = h->data;

	p->open_handles--;
	probe_release(p);
}

static void on_timeout(uv_timer_t *timer)
{
	struct probe *p = timer->data;

	probe_set_error(&p->s, OUTCOME_TIMEOUT, "timed out after %.0f ms", probe_elapsed_ms(p, uv_hrtime()));
	probe_uv_cancel(p);
	probe_finish(p);
}

/* Starts the probe's timeout (dns and tcp probes). */
int probe_start_timeout(struct probe *p)
{
	double timeout_s = p->t->timeout_s > 0 ? p->t->timeout_s : 8;

	if (uv_timer_init(p->pr->loop, &p->timer) != 0)
		return -1;
	p->timer.data = p;
	p->open_handles++;
	return uv_timer_start(&p->timer, on_timeout, (uint64_t)(timeout_s * 1000), 0);
}

void probe_uv_cancel(struct probe *p)
{
	if (p->resolving)
		uv_cancel((uv_req_t *)&p->gai);
	if (p->timer.data && !uv_is_closing((uv_handle_t *)&p->timer)) {
		uv_timer_stop(&p->timer);
		uv_close((uv_handle_t *)&p->timer, on_handle_closed);
	}
	if (p->tcp.data && !uv_is_closing((uv_handle_t *)&p->tcp))
		uv_close((uv_handle_t *)&p->tcp, on_handle_closed);
}

/* A resolution ended after its probe had: the probe may go now (tcp too). */
void probe_resolve_done(struct probe *p)
{
	p->resolving = false;
	if (p->finished)
		probe_release(p);
}

int probe_resolve(struct probe *p, const char *host, uv_getaddrinfo_cb cb)
{
	const char *override = config_resolve_lookup(p->pr->cfg, host);
	struct addrinfo hints;
	enum ip_family fam = p->opts.family != IP_FAMILY_AUTO ? p->opts.family : p->t->ip_family;
	char port[16];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = fam == IP_FAMILY_V4 ? AF_INET : fam == IP_FAMILY_V6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (override) {
		hints.ai_flags = AI_NUMERICHOST;
		/* "fail" is not a number, so the lookup fails like a missing name would. */
		host = override;
	}
	snprintf(port, sizeof(port), "%d", p->t->port > 0 ? p->t->port : 443);
	p->gai.data = p;
	rc = uv_getaddrinfo(p->pr->loop, &p->gai, cb, host, port, &hints);
	if (rc == 0)
		p->resolving = true;
	return rc;
}

static void count_addresses(struct sample *s, const struct addrinfo *res)
{
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			s->n_addr_v4++;
		else if (ai->ai_family == AF_INET6)
			s->n_addr_v6++;
		if (!s->remote_ip[0])
			uv_ip_name(ai->ai_addr, s->remote_ip, sizeof(s->remote_ip));
	}
}

void probe_dns_failed(struct probe *p, int status)
{
	if (status == UV_EAI_AGAIN)
		probe_set_error(&p->s, OUTCOME_DNS_FAIL, "could not resolve %s: resolver not answering",
				p->t->host);
	else
		probe_set_error(&p->s, OUTCOME_DNS_FAIL, "could not resolve %s: %s", p->t->host, uv_strerror(status));
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct probe *p = req->data;

	if (p->finished) {
		uv_freeaddrinfo(res);
		probe_resolve_done(p);
		return;
	}
	p->resolving = false;
	p->s.dns_ms = probe_elapsed_ms(p, uv_hrtime());
	p->s.total_ms = p->s.dns_ms;
	if (status != 0) {
		probe_dns_failed(p, status);
	} else {
		count_addresses(&p->s, res);
		p->s.ok = true;
		p->s.outcome = OUTCOME_OK;
	}
	uv_freeaddrinfo(res);
	probe_uv_cancel(p);
	probe_finish(p);
}

int probe_dns_start(struct probe *p)
{
	if (probe_start_timeout(p) != 0)
		return -1;
	return probe_resolve(p, p->t->host, on_resolved) == 0 ? 0 : -1;
}
