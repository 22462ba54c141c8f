/* probe_dns.c: name resolution probes: how many addresses of each family a
 * name has, and how long the lookup took. The timer, the lookup itself and
 * closing the handles are shared with tcp probes in probe_uv.c. */
#include "probe_internal.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
