/* diagnose.h: the verdict, "is it down, or is it just me?", from every layer
 * measured: control targets, DNS, TCP, TLS, HTTP and the official status page.
 *
 * Pure logic. The monitor fills a struct diagnose_input from its targets'
 * assessments, their last samples, the parsed status page and the proxy
 * environment; the input only borrows those (pointers stay the caller's and
 * must live for the call). diagnose_verdict writes a self-contained verdict. */
#ifndef ISITDOWN_DIAGNOSE_H
#define ISITDOWN_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "assess.h"
#include "config.h"
#include "proxyenv.h"
#include "sample.h"

enum verdict_state {
	VERDICT_OPERATIONAL,
	VERDICT_DEGRADED,
	VERDICT_PARTIAL_OUTAGE,
	VERDICT_MAJOR_OUTAGE,
	VERDICT_MAINTENANCE,
	VERDICT_LOCAL_PROBLEM, /* it's just you */
	VERDICT_UNKNOWN,
};

/* Why. Words from the issue, plus timeout, bad_response, ipv4_broken,
 * flapping and no_data.
 *
 * Precedence, first that holds wins ("failing" = a service target confirmed down):
 *   no_data            a service target has no settled result yet (its
 *                      first probe, and the retry of a first failure, have
 *                      not ended): nothing speaks for the service before
 *                      its own targets do; the summary names them          unknown
 *   no_network         every control fails and nothing but name lookups
 *                      answers (a resolver proves no way out)               local_problem
 *   dns_all            a name control (or two names) fails to resolve, and
 *                      no name resolves                                     local_problem
 *   proxy_broken       failing through the proxy (works direct, or the
 *                      proxy itself fails)                                  local_problem
 *   ipv6_broken        failing; IPv4 path works, IPv6 does not (each
 *                      twice of up to three runs)                           local_problem
 *   ipv4_broken        failing; IPv6 path works, IPv4 does not              local_problem
 *   clock_skew         the certificates of two or more hosts all not yet
 *                      valid (or all expired), or a TLS failure while the
 *                      clock is off (Date header)                           local_problem
 *   official_incident  failing and the official page reports trouble       partial/major outage
 *   maintenance        failing during official maintenance                  maintenance
 *   dns_service        failing: the service's names do not resolve          local_problem
 *   tls_error          failing: TLS (expired certificate: outage, else
 *                      certificate problem or interception)                 local_problem / outage
 *   tls_error          failing: TCP connects, the TLS handshake stalls
 *                      (filtered by name: local when a control answers
 *                      and the status page is green, as for unreachable)   local_problem / outage
 *   unreachable        failing: refused, or no connection in time           local_problem / outage
 *   status_lag         failing (5xx, timeout, bad answer) while the
 *                      official page says all is well                       partial/major outage
 *   http_5xx           failing with server errors, no official word         partial/major outage
 *   timeout            failing: connects, then no answer in time            partial/major outage
 *   bad_response       failing: unexpected status, body, dropped connection partial/major outage
 *   lossy              failing, but in different ways that do not repeat
 *                      (a name, then a timeout...): a lossy or slow link;
 *                      local when a control failed lately, else             local_problem / degraded
 *   official_incident  nothing failing, the official page reports trouble  the official state (at least degraded)
 *   maintenance        nothing failing, official maintenance in progress    maintenance
 *   no_data            (without service targets) nothing has a result yet  unknown
 *   auth_rejected      401/403 from a target with a key header, the key
 *                      sent (rejected) or withheld (why)                    local_problem
 *   rate_limited       429                                                  degraded
 *   bad_response       a service target refused with a 4xx (or a portal's
 *                      511): the service answered, never an outage          local_problem
 *   flapping           a service target keeps changing state                degraded
 *   slow               a service target is degraded by latency              degraded
 *   maintenance        official maintenance upcoming (within a day)         operational
 *   challenged         reachable, a bot challenge: never an outage          operational
 *   ok                                                                      operational
 * Partial vs major outage: some vs all service targets with a result down,
 * raised to major when the official page says major (or critical). A target
 * refused with a 4xx is not down. When every failing target belongs to one
 * component and a target of another answers, the summary names both ("API is
 * failing (HTTP 503); ChatGPT answers").
 * Unreachable counts as on your side only when a control answers and the
 * status page was read and says all is well; otherwise it is an outage (the
 * service's edge may be down for your region).
 * Official news counts when it concerns a component our targets name (or
 * carries no component list, or our targets name none the page knows). */
enum verdict_cause {
	VERDICT_CAUSE_OK,
	VERDICT_CAUSE_NO_NETWORK,
	VERDICT_CAUSE_DNS_ALL,
	VERDICT_CAUSE_DNS_SERVICE,
	VERDICT_CAUSE_UNREACHABLE,
	VERDICT_CAUSE_TLS_ERROR,
	VERDICT_CAUSE_CLOCK_SKEW,
	VERDICT_CAUSE_HTTP_5XX,
	VERDICT_CAUSE_TIMEOUT,
	VERDICT_CAUSE_BAD_RESPONSE,
	VERDICT_CAUSE_RATE_LIMITED,
	VERDICT_CAUSE_AUTH_REJECTED,
	VERDICT_CAUSE_CHALLENGED,
	VERDICT_CAUSE_SLOW,
	VERDICT_CAUSE_FLAPPING,
	VERDICT_CAUSE_OFFICIAL_INCIDENT,
	VERDICT_CAUSE_MAINTENANCE,
	VERDICT_CAUSE_STATUS_LAG,
	VERDICT_CAUSE_IPV6_BROKEN,
	VERDICT_CAUSE_IPV4_BROKEN,
	VERDICT_CAUSE_PROXY_BROKEN,
	VERDICT_CAUSE_NO_DATA,
	VERDICT_CAUSE_LOSSY,
};

/* Statuspage's vocabulary for the page indicator and for incident impact. */
enum diagnose_impact {
	DIAGNOSE_IMPACT_UNKNOWN,
	DIAGNOSE_IMPACT_NONE,
	DIAGNOSE_IMPACT_MINOR,
	DIAGNOSE_IMPACT_MAJOR,
	DIAGNOSE_IMPACT_CRITICAL,
	DIAGNOSE_IMPACT_MAINTENANCE,
};

#define DIAGNOSE_SKEW_LIMIT_S 300.0
/* Upcoming maintenance further ahead than this is not mentioned in the verdict. */
#define DIAGNOSE_MAINT_HORIZON_S 86400.0

/* How many recent results of a target or of a path the diagnosis weighs: a
 * name, an address family or a path is blamed only when at least two of them
 * agree (random loss makes single failures of every kind). */
#define DIAGNOSE_RECENT 3

/* One differential probe of a target (over IPv4 only, IPv6 only, direct, via
 * the proxy): the latest result, and the tally of the last DIAGNOSE_RECENT.
 * runs 0 counts as one run when tried. A path works when two of its recent
 * runs passed, fails when two failed. */
struct diagnose_path {
	bool tried;
	bool ok;
	enum outcome outcome;
	int runs, oks;
};

/* One recent result of a target, newest first in diagnose_target.recent. */
struct diagnose_recent {
	enum outcome outcome;
	bool connected; /* a connection was made (a timeout after it is the server's) */
};

struct diagnose_target {
	const char *name;
	enum target_kind kind;
	enum target_role role;
	const char *component;   /* may be NULL */
	const char *host;        /* the host probed, from url or host; may be NULL */
	bool plain_http;         /* an http:// URL: curl takes http_proxy for it, not https_proxy */
	bool api;                /* an API endpoint (carries an auth header) */
	bool key_configured;     /* every ${VAR} of its headers is set */
	enum assess_state state; /* assess.state */
	enum assess_state settled; /* assess.settled: what CONFIRMING falls back to */
	const struct sample *last; /* the last sample; may be NULL */
	/* the last failed sample; may be NULL. While a down target recovers (its
	 * last probe passed, not yet confirmed up), it still says how it failed. */
	const struct sample *last_failure;
	double slow_ms, median_ms, baseline_ms; /* <= 0: none / unknown */
	double timeout_s;        /* for words only; 0 unknown */
	struct diagnose_path v4, v6, direct, proxy;
	/* the last results, newest first; n_recent 0: not tracked, and the
	 * confirmed state stands for itself */
	struct diagnose_recent recent[DIAGNOSE_RECENT];
	int n_recent;
};

struct diagnose_official_component {
	const char *name;
	enum assess_official status; /* the worst status of the components with this name */
};

struct diagnose_incident {
	const char *title;
	enum diagnose_impact impact;
	double started;                  /* seconds since the epoch; 0 unknown */
	const char *const *components;   /* names of affected components; may be NULL */
	size_t n_components;
};

struct diagnose_maintenance {
	const char *title;
	bool in_progress;
	double starts, ends;             /* scheduled window; 0 unknown */
	const char *const *components;
	size_t n_components;
};

struct diagnose_official {
	bool configured;   /* a status page is among the targets */
	bool have_status;  /* it has been read at least once */
	enum diagnose_impact indicator;
	const char *description; /* "All Systems Operational", ...; may be NULL */
	const struct diagnose_official_component *components; /* all, or only those our
							       * targets name (unknown
							       * status: not on the page) */
	size_t n_components;
	const struct diagnose_incident *incidents; /* unresolved ones */
	size_t n_incidents;
	const struct diagnose_maintenance *maintenances; /* in progress or upcoming */
	size_t n_maintenances;
	const char *fetch_error; /* why the last fetch failed; NULL or "" when it did not */
};

/* The proxy environment, as getenv returns it (NULL when unset). */

struct diagnose_input {
	const char *service;
	const struct diagnose_target *targets;
	size_t n_targets;
	struct diagnose_official official;
	struct proxyenv env; /* the proxy settings curl takes from the environment */
	double now;
	double skew_limit_s; /* <= 0: DIAGNOSE_SKEW_LIMIT_S */
	const struct assess_params *params; /* for latency limits in words; NULL: defaults */
};

#define VERDICT_SUMMARY_LEN 768 /* whole names: two of up to 255 bytes, and the words */
#define VERDICT_DETAIL_LEN 512
#define VERDICT_NAME_LEN 64

struct verdict {
	enum verdict_state state;
	enum verdict_cause cause;
	char summary[VERDICT_SUMMARY_LEN]; /* the one line a person reads first */
	char detail[VERDICT_DETAIL_LEN];   /* the counts and facts behind it */
	char target[VERDICT_NAME_LEN];     /* the target that decided the cause, or "" */
	char fallback[VERDICT_NAME_LEN];   /* in an outage, a service of the same group that
					    * answers normally (fleet.h); "" when none */
	int n_service, n_service_known, n_service_down;
	int n_control, n_control_known, n_control_down;
	bool ours_failing;     /* a service target is confirmed down */
	bool official_bad;     /* the page reports an incident or a component not operational */
	double official_since; /* when the official trouble started, 0 unknown */
	enum assess_component official; /* the official state of our components; unknown when not read */
	char official_text[160]; /* "TITLE (major)" of the incident that concerns us, else the
				  * page's description; "" when not read */
	bool have_skew;
	double clock_skew_s;   /* server clock minus ours */
	double retry_after_s;  /* from a 429, -1 none */
};

/* How a target stands for the verdict: confirming counts as what it was
 * before (pending when it was unknown), flapping is its own. */
enum diagnose_health { DIAGNOSE_PENDING, DIAGNOSE_PASS, DIAGNOSE_FAIL, DIAGNOSE_FLAP };
enum diagnose_health diagnose_target_health(const struct diagnose_target *t);

/* A differential path works (fails) when two of its recent runs passed (failed). */
bool diagnose_path_works(const struct diagnose_path *p);
bool diagnose_path_fails(const struct diagnose_path *p);

/* Fills v. Returns 0, or -EINVAL when in or v is NULL. */
int diagnose_verdict(const struct diagnose_input *in, struct verdict *v);
/* 0 operational, 1 degraded or maintenance, 2 partial or major outage,
 * 3 local problem or unknown (the monitoring-plugin convention). */
int diagnose_exit_code(enum verdict_state s);
/* The Nagios status word of that exit code: "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *diagnose_exit_word(enum verdict_state s);
const char *diagnose_state_name(enum verdict_state s);
const char *diagnose_cause_name(enum verdict_cause c);
const char *diagnose_impact_name(enum diagnose_impact i);

/* The state of one component: its service targets and its official status. */
enum assess_component diagnose_component_state(const struct diagnose_input *in,
					       const char *component);

/* A component as every view shows it, so that they agree with the verdict:
 * under a local verdict (it's just you) a target we cannot reach says nothing
 * about the service, so the component is not in an outage for it; it is
 * unknown with the reason "unreachable from here" (unless the official page
 * has its own word). While the verdict is still checking (no_data) a failing
 * component is unknown too ("checking"). */
#define DIAGNOSE_REASON_UNREACHABLE "unreachable from here"
#define DIAGNOSE_REASON_CHECKING "checking"
struct diagnose_component {
	enum assess_component state; /* what the views show */
	enum assess_component ours;  /* our probes alone, read the same way */
	const char *reason;          /* why state is unknown: one of the reasons above, or "" */
};
/* Fills out for the component; v is the verdict diagnose_verdict wrote for in.
 * Returns 0, or -EINVAL when an argument is NULL. */
int diagnose_component(const struct diagnose_input *in, const struct verdict *v, const char *component,
		       struct diagnose_component *out);
/* The clock skew seen in the samples: server Date header minus our time of the
 * answer, the smallest in size, so one server with a wrong clock does not
 * accuse ours. Returns false when no sample carries a date; host may be NULL. */
bool diagnose_clock_skew(const struct diagnose_input *in, double *skew_s, const char **host);
/* The clock judged from certificates: two or more different hosts' certificates
 * all refused as not yet valid (our clock behind) or all as expired (ahead),
 * and none accepted. skew_s: server time minus ours, at least (0 when the
 * dates are unknown, only the verifier's words); n_hosts: how many hosts.
 * Either may be NULL. */
bool diagnose_cert_clock(const struct diagnose_input *in, double *skew_s, int *n_hosts);
/* True when host is an IPv4 or IPv6 literal (brackets allowed). */
bool diagnose_host_is_ip(const char *host);

/* How far the official page lagged (or led) our own detection of an outage.
 * Embedded in the monitor; fed with every verdict. An episode starts when
 * either side shows trouble and ends when both are clear again. */
struct diagnose_lag {
	double ours_t;     /* when our probes confirmed the failure; 0 not yet */
	double official_t; /* when the official page showed trouble; 0 not yet */
	bool reported;     /* both known and handed out once */
	double watch_start; /* the first update: trouble older than this was not seen by us */
};

void diagnose_lag_init(struct diagnose_lag *l);
/* Returns true once per episode, when both times have become known: the
 * moment to log "the status page lagged by ...". */
bool diagnose_lag_update(struct diagnose_lag *l, const struct verdict *v, double now);
/* official_t - ours_t: positive when the page lagged, negative when it led.
 * Returns false when either time is missing or the page's trouble began
 * before we started watching. */
bool diagnose_lag_seconds(const struct diagnose_lag *l, double *lag_s);
/* "the status page lagged our probes by 7 min" / "... led ..."; "" when unknown.
 * Returns 0, or -EINVAL. */
int diagnose_lag_text(const struct diagnose_lag *l, char *buf, size_t len);

#endif
