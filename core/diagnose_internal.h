/* diagnose_internal.h: what the verdict's files share: the counts every cause's
 * test reads (struct ctx), how a failure failed (enum fail_class), and the facts
 * about targets and samples. diagnose.c reads the input and tries the causes in
 * order; diagnose_local.c tries the user's own network, diagnose_service.c the
 * service's failures and answers; diagnose_facts.c, diagnose_clock.c,
 * diagnose_component.c and diagnose_lag.c hold the rest. */
#ifndef ISITDOWN_DIAGNOSE_INTERNAL_H
#define ISITDOWN_DIAGNOSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "diagnose.h"
#include "diagnose_facts.h"

/* How a confirmed failure failed. */
enum fail_class { FC_DNS, FC_UNREACHABLE, FC_TLS, FC_TLS_STALL, FC_PROXY, FC_5XX, FC_TIMEOUT, FC_BAD, FC_4XX, FC_LOSSY };

struct ctx {
	const struct diagnose_input *in;
	const char *svc;
	int svc_n, svc_known, svc_down, svc_pass;
	int svc_refused; /* down, but with a 4xx answer: the service answered */
	int ctl_n, ctl_known, ctl_down, ctl_pass;
	bool any_pass;   /* some target of any role answers */
	bool net_pass;   /* some target other than a name lookup answers: the local
			    resolver's answer proves nothing about the way out */
	bool name_pass;  /* some target reached by name answers: DNS works */
	bool comp_match; /* our targets' components appear on the official page */
	enum assess_component official;
	bool official_bad, official_green;
	const struct diagnose_incident *incident;
	double official_since;
	const struct diagnose_maintenance *maint_now, *maint_next;
	bool comp_maintenance;
	bool have_skew;
	double skew;
	double skew_limit;
	bool cert_clock; /* certificates of several hosts, all not yet valid or all expired */
};

/* Room for a service, target or host name in a summary: names are never cut
 * here (line mode has no width; the screen cuts what it must itself). */
#define NAME_LEN 256

/* Differential probes that tell which path is broken. */
enum split { SPLIT_PROXY, SPLIT_V6, SPLIT_V4 };

/* How a certificate's dates stand against our clock at the sample's time. */
enum cert_when { CERT_UNKNOWN, CERT_VALID, CERT_NOT_YET, CERT_EXPIRED };


/* Shared inside the diagnosis (dx_: diagnose.c and the files split from it). */
enum fail_class dx_fail_class_of(const struct diagnose_target *t);
bool dx_cert_expired(const struct sample *s);
const struct diagnose_target *dx_failing_with(const struct ctx *c, enum fail_class fc);
const struct diagnose_target *dx_lossy_picture(const struct ctx *c);
const struct diagnose_target *dx_refused(const struct ctx *c);
const struct diagnose_target *dx_answered_with(const struct ctx *c, enum outcome o);
enum assess_component dx_worse(enum assess_component a, enum assess_component b);
enum assess_component dx_from_official(enum assess_official o);
enum verdict_state dx_outage_state(const struct ctx *c);
enum verdict_state dx_state_of_component(enum assess_component s);
void dx_set(struct verdict *v, enum verdict_state st, enum verdict_cause cause,
		const struct diagnose_target *t);
bool dx_try_checking(struct ctx *c, struct verdict *v);
bool dx_try_local(struct ctx *c, struct verdict *v);
void dx_official_short(const struct ctx *c, char *buf, size_t len);
bool dx_try_official_failing(struct ctx *c, struct verdict *v);
bool dx_try_service_failing(struct ctx *c, struct verdict *v);
bool dx_try_answering(struct ctx *c, struct verdict *v);

#endif
