/* verdict_words.c: the verdict in a person's words, for the places that show
 * it: the verdict bar, the report, the terminal title. See verdict_words.h. */
#include "verdict_words.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *verdict_word(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OPERATIONAL: return "UP";
	case VERDICT_DEGRADED: return "DEGRADED";
	case VERDICT_PARTIAL_OUTAGE: return "PARTIAL OUTAGE";
	case VERDICT_MAJOR_OUTAGE: return "MAJOR OUTAGE";
	case VERDICT_MAINTENANCE: return "MAINTENANCE";
	case VERDICT_LOCAL_PROBLEM: return "IT'S JUST YOU";
	case VERDICT_UNKNOWN: break;
	}
	return "UNKNOWN";
}

static const char *local_cause_words(enum verdict_cause c)
{
	switch (c) {
	case VERDICT_CAUSE_NO_NETWORK: return "no internet";
	case VERDICT_CAUSE_DNS_ALL: return "DNS is failing";
	case VERDICT_CAUSE_DNS_SERVICE: return "DNS problem";
	case VERDICT_CAUSE_PROXY_BROKEN: return "proxy problem";
	case VERDICT_CAUSE_IPV6_BROKEN: return "IPv6 broken";
	case VERDICT_CAUSE_IPV4_BROKEN: return "IPv4 broken";
	case VERDICT_CAUSE_CLOCK_SKEW: return "clock skew";
	case VERDICT_CAUSE_TLS_ERROR: return "TLS problem";
	case VERDICT_CAUSE_UNREACHABLE: return "cannot connect";
	case VERDICT_CAUSE_AUTH_REJECTED: return "API key rejected";
	case VERDICT_CAUSE_LOSSY: return "lossy connection";
	default: break;
	}
	return diagnose_cause_name(c);
}

void verdict_headline(const struct verdict *v, char *buf, size_t len)
{
	if (!len)
		return;
	if (v->state == VERDICT_LOCAL_PROBLEM)
		snprintf(buf, len, "%s: %s", verdict_word(v->state), local_cause_words(v->cause));
	else
		snprintf(buf, len, "%s", verdict_word(v->state));
}

const char *verdict_summary(const struct verdict *v)
{
	static const char prefix[] = "it's just you: ";

	if (strncasecmp(v->summary, prefix, sizeof(prefix) - 1) == 0)
		return v->summary + sizeof(prefix) - 1;
	return v->summary;
}

void verdict_lead(const struct verdict *v, char *buf, size_t len)
{
	const char *words = local_cause_words(v->cause);

	if (!len)
		return;
	if (v->state == VERDICT_UNKNOWN && v->cause == VERDICT_CAUSE_NO_DATA)
		snprintf(buf, len, "CHECKING");
	else if (v->state == VERDICT_LOCAL_PROBLEM &&
		 strncasecmp(verdict_summary(v), words, strlen(words)) == 0)
		snprintf(buf, len, "%s", verdict_word(v->state));
	else
		verdict_headline(v, buf, len);
}
