/* monitor_paths.c: the comparison probes. When a target fails, the same request
 * is sent over IPv4 and over IPv6, and directly and through the environment's
 * proxy, so the diagnosis can tell a broken family or a broken proxy from an
 * outage. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "proxyenv.h"

#include "monitor_internal.h"

static void on_path_done(struct probe *p, const struct target *t, struct sample *s, void *data);
static void start_path(struct mtarget *mt, enum path_kind k);

/* A family probe that found no address of its family: nothing about the route. */
static bool no_address(const struct path_probe *pp)
{
	return (pp->kind == PATH_V4 || pp->kind == PATH_V6) && pp->result.tried && !pp->result.ok &&
	       pp->result.outcome == OUTCOME_DNS_FAIL;
}

/* --once has one run of each comparison probe where the monitor has a round
 * after round: when the two of a pair disagree, run both again (up to
 * DIAGNOSE_RECENT runs), until the split repeats or goes away. */
static void once_rerun(struct path_probe *pp)
{
	struct path_probe *other = &pp->mt->paths[pp->kind ^ 1];
	const struct diagnose_path *a = &pp->result, *b = &other->result;

	if (other->probe || !b->tried || other->once_runs != pp->once_runs || pp->once_runs >= DIAGNOSE_RECENT)
		return;
	if (a->ok == b->ok || no_address(pp) || no_address(other))
		return;
	if ((diagnose_path_works(a) && diagnose_path_fails(b)) || (diagnose_path_works(b) && diagnose_path_fails(a)))
		return;
	start_path(pp->mt, pp->kind);
	start_path(pp->mt, other->kind);
}

static void on_path_done(struct probe *p, const struct target *t, struct sample *s, void *data)
{
	struct path_probe *pp = data;
	struct monitor *m = pp->mt->m;
	int oks = 0;

	pp->probe = NULL;
	pp->result.tried = true;
	pp->result.ok = s->ok;
	pp->result.outcome = s->outcome;
	if (no_address(pp)) {
		/* the name has no address of this family (or the lookup was lost):
		 * neither a pass nor a failure of the route */
		mon_settle(m);
		return;
	}
	pp->recent_ok[pp->next] = s->ok;
	pp->next = (pp->next + 1) % DIAGNOSE_RECENT;
	if (pp->n_recent < DIAGNOSE_RECENT)
		pp->n_recent++;
	for (int i = 0; i < pp->n_recent; i++)
		oks += pp->recent_ok[i];
	pp->result.runs = pp->n_recent;
	pp->result.oks = oks;
	if (m->opts.once)
		once_rerun(pp);
	mon_settle(m);
}

/* The proxy curl would take from the environment for t's URL. */
static const char *env_proxy(const struct target *t)
{
	struct proxyenv env;

	proxyenv_read(&env);
	return proxyenv_for(&env, mon_is_plain_http(t));
}

/* The address family of a target named by an IP literal: such a target has
 * only one path, so comparing v4 with v6 would blame a path that cannot exist. */
static enum ip_family literal_family(const char *host)
{
	unsigned char addr[16];
	char bare[64];
	size_t n = host ? strlen(host) : 0;

	if (n > 2 && n < sizeof(bare) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(bare, host + 1, n - 2);
		bare[n - 2] = '\0';
		host = bare;
	}
	if (host && inet_pton(AF_INET, host, addr) == 1)
		return IP_FAMILY_V4;
	if (host && inet_pton(AF_INET6, host, addr) == 1)
		return IP_FAMILY_V6;
	return IP_FAMILY_AUTO;
}

/* One comparison probe. The address families go direct: through a proxy,
 * curl would force the family on the connection to the proxy, which says
 * nothing about the route to the service (and fails wherever the proxy has
 * no IPv6). */
static void start_path(struct mtarget *mt, enum path_kind k)
{
	struct path_probe *pp = &mt->paths[k];
	struct probe_opts o;

	memset(&o, 0, sizeof(o));
	o.family = k == PATH_V4 ? IP_FAMILY_V4 : k == PATH_V6 ? IP_FAMILY_V6 : IP_FAMILY_AUTO;
	o.proxy_mode = k == PATH_PROXY ? PROBE_PROXY_ENV :
		       k == PATH_DIRECT || env_proxy(mt->t) || mt->t->proxy ? PROBE_PROXY_DIRECT :
									  PROBE_PROXY_TARGET;
	pp->mt = mt;
	pp->kind = k;
	pp->once_runs++;
	pp->probe = probe_start(mt->m->pr, mt->t, &o, on_path_done, pp);
}

/* The same probe over each address family, and direct and through the
 * environment's proxy when there is one: the diagnosis compares the paths. */
void mon_start_paths(struct mtarget *mt)
{
	bool proxy = env_proxy(mt->t) != NULL && !mt->t->proxy;
	enum ip_family literal = literal_family(mt->host);

	for (int k = 0; k < PATH_COUNT; k++) {
		struct path_probe *pp = &mt->paths[k];

		if (pp->probe)
			continue;
		if ((k == PATH_DIRECT || k == PATH_PROXY) && !proxy) {
			pp->result.tried = false;
			continue;
		}
		if ((k == PATH_V4 && literal == IP_FAMILY_V6) || (k == PATH_V6 && literal == IP_FAMILY_V4)) {
			pp->result.tried = false;
			continue;
		}
		start_path(mt, (enum path_kind)k);
	}
}
