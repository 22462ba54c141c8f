/* probe_tcp.c: TCP connect probes: resolve the host, connect to its first
 * address of the wanted family, time both, close. */
#include "probe_internal.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

static void on_connected(uv_connect_t *req, int status)
{
	struct probe *p = req->data;
	uint64_t now = uv_hrtime();

	if (p->finished)
		return; /* timed out or cancelled: the close is already under way */
	p->s.total_ms = probe_elapsed_ms(p, now);
	p->s.connect_ms = (double)(now - p->resolved_ns) / 1e6;
	if (status == 0) {
		p->s.ok = true;
		p->s.outcome = OUTCOME_OK;
	} else if (status == UV_ETIMEDOUT) {
		probe_set_error(&p->s, OUTCOME_TIMEOUT, "connect to %s port %d timed out", p->t->host, p->t->port);
	} else {
		probe_set_error(&p->s, OUTCOME_CONNECT_FAIL, "connect to %s port %d: %s", p->t->host, p->t->port,
				uv_strerror(status));
	}
	probe_uv_cancel(p);
	probe_finish(p);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct probe *p = req->data;
	int rc;

	if (p->finished) {
		uv_freeaddrinfo(res);
		probe_resolve_done(p);
		return;
	}
	p->resolving = false;
	p->resolved_ns = uv_hrtime();
	p->s.dns_ms = probe_elapsed_ms(p, p->resolved_ns);
	if (status != 0 || !res) {
		probe_dns_failed(p, status ? status : UV_EAI_NONAME);
		goto fail;
	}
	uv_ip_name(res->ai_addr, p->s.remote_ip, sizeof(p->s.remote_ip));
	rc = uv_tcp_init(p->pr->loop, &p->tcp);
	if (rc != 0) {
		probe_set_error(&p->s, OUTCOME_ERROR, "cannot open a socket: %s", uv_strerror(rc));
		goto fail;
	}
	p->tcp.data = p;
	p->open_handles++;
	p->connect.data = p;
	rc = uv_tcp_connect(&p->connect, &p->tcp, res->ai_addr, on_connected);
	uv_freeaddrinfo(res);
	if (rc != 0) {
		probe_set_error(&p->s, OUTCOME_CONNECT_FAIL, "connect to %s port %d: %s", p->t->host, p->t->port,
				uv_strerror(rc));
		probe_uv_cancel(p);
		probe_finish(p);
	}
	return;
fail:
	uv_freeaddrinfo(res);
	probe_uv_cancel(p);
	probe_finish(p);
}

int probe_tcp_start(struct probe *p)
{
	if (probe_start_timeout(p) != 0)
		return -1;
	return probe_resolve(p, p->t->host, on_resolved) == 0 ? 0 : -1;
}
