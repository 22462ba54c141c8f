/* proxyenv.c: the environment's proxy variables, read and weighed as curl
 * does; see proxyenv.h. Nothing is copied: the struct borrows its strings. */
#include "proxyenv.h"

#include <stdlib.h>

static bool set(const char *s)
{
	return s && s[0];
}

void proxyenv_read(struct proxyenv *e)
{
	e->http_proxy = getenv("http_proxy");
	e->https_proxy = getenv("https_proxy");
	e->HTTPS_PROXY = getenv("HTTPS_PROXY");
	e->all_proxy = getenv("all_proxy");
	e->ALL_PROXY = getenv("ALL_PROXY");
	e->no_proxy = getenv("no_proxy");
	e->NO_PROXY = getenv("NO_PROXY");
}

const char *proxyenv_for(const struct proxyenv *e, bool plain_http)
{
	if (!e)
		return NULL;
	if (plain_http && set(e->http_proxy))
		return e->http_proxy;
	if (!plain_http && set(e->https_proxy))
		return e->https_proxy;
	if (!plain_http && set(e->HTTPS_PROXY))
		return e->HTTPS_PROXY;
	if (set(e->all_proxy))
		return e->all_proxy;
	if (set(e->ALL_PROXY))
		return e->ALL_PROXY;
	return NULL;
}

size_t proxyenv_entries(const struct proxyenv *e, struct proxyenv_entry *out, size_t max)
{
	const struct proxyenv_entry all[PROXYENV_VARS] = {
		{"https_proxy", e->https_proxy, true}, {"HTTPS_PROXY", e->HTTPS_PROXY, true},
		{"http_proxy", e->http_proxy, true},   {"all_proxy", e->all_proxy, true},
		{"ALL_PROXY", e->ALL_PROXY, true},     {"no_proxy", e->no_proxy, false},
		{"NO_PROXY", e->NO_PROXY, false},
	};
	size_t n = 0;

	for (size_t i = 0; i < PROXYENV_VARS && n < max; i++)
		if (set(all[i].value))
			out[n++] = all[i];
	return n;
}
