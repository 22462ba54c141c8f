/* probe_uv.c: what the dns and tcp probes share on libuv: the probe's own
 * timer, the name lookup (honouring the config's overrides), and closing
 * their handles.
 *
 * uv_getaddrinfo runs on libuv's thread pool and cannot be interrupted once it
 * has started, so the probe's own timer ends the probe at its timeout and a
 * late answer is dropped when it arrives (p->resolving keeps the probe alive
 * until then). A handle's close callback releases the probe once nothing of
 * it is left open. */
#include "probe_internal.h"

#include <netdb.h>
#include <stdio.h>
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
