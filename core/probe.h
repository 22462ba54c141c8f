/* probe.h: run one probe of one target on the loop and report a sample.
 *
 * A struct prober holds what every probe needs (the loop, the curl engine, the
 * config for resolver overrides and CA files). probe_start begins a probe and
 * calls back exactly once, from the loop, unless the prober is freed first. */
#ifndef ISITDOWN_PROBE_H
#define ISITDOWN_PROBE_H

#include <stdbool.h>
#include <uv.h>

#include "config.h"
#include "sample.h"

struct prober;
struct probe;

/* Variations on a target's own settings, for differential and conditional probes. */
struct probe_opts {
	enum ip_family family;   /* IP_FAMILY_AUTO: the target's own */
	int proxy_mode;          /* PROBE_PROXY_* */
	bool keep_body;          /* status pages: the body is parsed afterwards */
	const char *if_none_match;     /* ETag of the last answer, or NULL */
	const char *if_modified_since; /* Last-Modified of the last answer, or NULL */
	const char *url;         /* overrides the target's url (components.json), or NULL */
};

enum { PROBE_PROXY_TARGET, PROBE_PROXY_DIRECT, PROBE_PROXY_ENV };

/* The sample belongs to the callback for the duration of the call; it may take
 * the body (set s->body to NULL) and must not keep the pointer. */
typedef void (*probe_done_fn)(struct probe *p, const struct target *t, struct sample *s, void *data);

struct prober *prober_new(uv_loop_t *loop, const struct config *cfg, char *err, size_t errlen);
/* Cancels every probe still running (no callbacks) and closes all handles;
 * run the loop afterwards so the close callbacks free the memory. */
void prober_free(struct prober *pr);
struct probe *probe_start(struct prober *pr, const struct target *t, const struct probe_opts *opts,
			  probe_done_fn done, void *data);

/* Sets the outcome and the short error text of an HTTP sample from its status
 * and what the response carried (probe_http.c); exposed for unit tests. */
void probe_classify_http(struct sample *s, const struct target *t, bool key_set, bool challenge_header,
			 bool body_matched);

#endif
