/* proxyenv.h: the proxy settings of the environment, read in one place.
 *
 * curl takes https_proxy (or HTTPS_PROXY) for https URLs, http_proxy for plain
 * http (never HTTP_PROXY: a CGI program could set it from a request header),
 * then all_proxy (or ALL_PROXY) for both; no_proxy (or NO_PROXY) lists hosts that
 * go direct. The diagnosis, the checklist, the probes and the screen all read
 * these through here, so they can never disagree on which proxy is in use. */
#ifndef ISITDOWN_PROXYENV_H
#define ISITDOWN_PROXYENV_H

#include <stdbool.h>
#include <stddef.h>

/* Borrowed pointers (into the environment, or a test's strings); NULL or ""
 * when unset. */
struct proxyenv {
	const char *http_proxy;
	const char *https_proxy, *HTTPS_PROXY;
	const char *all_proxy, *ALL_PROXY;
	const char *no_proxy, *NO_PROXY;
};

/* Reads the variables from the process environment (getenv). */
void proxyenv_read(struct proxyenv *e);

/* The proxy curl takes for a URL of this scheme, or NULL when none is set. */
const char *proxyenv_for(const struct proxyenv *e, bool plain_http);

/* One variable that is set, for a person to read. */
struct proxyenv_entry {
	const char *name;  /* "https_proxy" */
	const char *value;
	bool is_url;       /* a proxy URL, which may carry a password: mask it */
};

#define PROXYENV_VARS 7

/* The variables that are set, in curl's order of precedence: a count, at
 * most max (PROXYENV_VARS is all of them). */
size_t proxyenv_entries(const struct proxyenv *e, struct proxyenv_entry *out, size_t max);

#endif
