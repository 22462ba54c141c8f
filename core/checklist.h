/* checklist.h: the troubleshooting steps a person would run by hand, ticked
 * from the measurements: the verdict's reasoning shown step by step.
 *
 * Pure logic: built from the same struct diagnose_input as the verdict. */
#ifndef ISITDOWN_CHECKLIST_H
#define ISITDOWN_CHECKLIST_H

#include <stddef.h>

#include "diagnose.h"

enum checklist_result {
	CHECKLIST_PASS,
	CHECKLIST_WARN,
	CHECKLIST_FAIL,
	CHECKLIST_SKIP,    /* does not apply, or not reached because an earlier step failed */
	CHECKLIST_PENDING, /* no measurement yet */
};

#define CHECKLIST_MAX_STEPS 12
#define CHECKLIST_DETAIL_LEN 160
#define CHECKLIST_ADVICE_LEN 256
/* A certificate closer to expiry than this is worth a warning. */
#define CHECKLIST_CERT_WARN_S (14 * 86400.0)
/* A clock off by more than this (but under the skew limit) is worth a warning. */
#define CHECKLIST_CLOCK_WARN_S 60.0
/* A lookup slower than this is worth a warning. */
#define CHECKLIST_DNS_SLOW_MS 1000.0

struct checklist_step {
	const char *id;    /* stable: "internet", "dns", "tcp", "tls", "http", "api", "api_key",
			    * "rate_limit", "latency", "official", "proxy", "clock" (in this order) */
	const char *title; /* static words for people */
	enum checklist_result result;
	char detail[CHECKLIST_DETAIL_LEN]; /* one line from the measurements */
	char advice[CHECKLIST_ADVICE_LEN]; /* what to do; "" when there is nothing to do */
};

struct checklist {
	struct checklist_step steps[CHECKLIST_MAX_STEPS];
	size_t n;
};

/* Fills out with every step, in order. v is the verdict of the same input
 * (NULL: computed here). Returns 0, or -EINVAL when in or out is NULL. */
int checklist_build(const struct diagnose_input *in, const struct verdict *v,
		    struct checklist *out);
/* The step with this id, or NULL. */
const struct checklist_step *checklist_find(const struct checklist *c, const char *id);
/* "pass", "warn", "fail", "skip", "pending". */
const char *checklist_result_name(enum checklist_result r);

#endif
