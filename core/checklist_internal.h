/* checklist_internal.h: what the checklist's files share: how a layer step
 * judges the service targets (struct layer_eval) and how a step is added and
 * worded. checklist.c holds the way to the service (internet, DNS, TCP, TLS,
 * HTTP) and checklist_build; checklist_setting.c the steps about the setting
 * (the API key, rate limits, latency, the official page, the proxy, the clock). */
#ifndef ISITDOWN_CHECKLIST_INTERNAL_H
#define ISITDOWN_CHECKLIST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "checklist.h"
#include "diagnose_facts.h"

enum layer { L_DNS, L_TCP, L_TLS, L_HTTP };

/* Failures that do not repeat blame no name, route or service. */
#define LOSSY_ADVICE                                                                             \
	"failures come and go in different ways: a lossy or slow link (Wi-Fi, mobile, a "        \
	"congested line); try a cable or another network, and watch it for a while"

/* Which service targets a layer step looks at: web (not api), api, or both. */
enum which { W_ANY, W_WEB, W_API };

struct layer_eval {
	int applicable;
	int no_tls; /* answered, but with no TLS handshake to judge (plain HTTP, reused) */
	const struct diagnose_target *fail;       /* confirmed failure at this layer */
	const struct diagnose_target *confirming; /* failure at this layer, not confirmed yet */
	const struct diagnose_target *pass;       /* got past this layer */
	const struct diagnose_target *blocked;    /* stopped at an earlier layer */
};

/* checklist.c: the sample answered (passed, or failed with an answer); a new
 * step in c (NULL when the list is full). */
bool cl_answered(const struct sample *s);
struct checklist_step *cl_step(struct checklist *c, const char *id, const char *title);
/* checklist_setting.c: one step each, added to c. */
void cl_step_api_key(const struct diagnose_input *in, struct checklist *c);
void cl_step_rate_limit(const struct diagnose_input *in, struct checklist *c);
void cl_step_latency(const struct diagnose_input *in, struct checklist *c);
void cl_step_official(const struct diagnose_input *in, const struct verdict *v,
			  struct checklist *c);
void cl_step_proxy(const struct diagnose_input *in, struct checklist *c);
void cl_step_clock(const struct diagnose_input *in, struct checklist *c);

#endif
