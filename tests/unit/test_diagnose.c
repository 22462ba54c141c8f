/* test_diagnose.c: the verdict for each situation a person can be in.
 *
 * Every test builds a synthetic picture (OpenAI's targets: two controls, the
 * ChatGPT web front, the API, the status page) from what the probes would
 * have measured, and asserts the verdict's state, its cause and the words of
 * its summary: what the person reads first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "diagnose.h"
#include "scene.h"

#define NOW SCENE_NOW
#define MAX_T 16

struct scene {
	struct diagnose_target t[MAX_T];
	struct sample s[MAX_T];
	size_t n;
	struct diagnose_official_component comps[4];
	struct diagnose_incident inc[2];
	struct diagnose_maintenance maint[2];
	struct diagnose_input in;
	struct verdict v;
};

enum { CTL_IP, CTL_NAME, WEB, API, STATUS, DNS_API };

/* What the probes measured: no server dates (the clock tests add them), a
 * timeout that connected and then heard nothing. */
static const struct scene_profile PROFILE = {
	.dns_ms = 12, .connect_ms = 20, .tls_ms = 30, .ttfb_ms = 120, .transfer_ms = 5, .total_ms = 190,
	.median_ms = 190, .baseline_ms = 180,
	.timeout_connected = true,
	.dns_error = "Could not resolve host",
	.connect_error = "Failed to connect",
	.tls_error = "SSL certificate problem: unable to get local issuer certificate",
	.unexpected_status = 404,
};

static void set_outcome(struct sample *s, enum outcome o)
{
	scene_sample(s, o, &PROFILE);
}

/* A target whose last sample had this outcome, assessed accordingly. */
static struct diagnose_target *add(struct scene *sc, const char *name, enum target_kind kind,
				   enum target_role role, const char *host, const char *component,
				   enum outcome o)
{
	struct diagnose_target *t = &sc->t[sc->n];

	scene_target(t, &sc->s[sc->n], name, kind, role, host, component, o, &PROFILE);
	sc->n++;
	sc->in.n_targets = sc->n;
	return t;
}

static void set(struct scene *sc, int i, enum outcome o)
{
	scene_set(&sc->t[i], &sc->s[i], o, &PROFILE);
}

/* OpenAI, everything fine, the status page all green. */
static void scene_init(struct scene *sc)
{
	struct diagnose_target *api;

	memset(sc, 0, sizeof(*sc));
	sc->in.service = "OpenAI";
	sc->in.targets = sc->t;
	sc->in.now = NOW;
	add(sc, "cloudflare-ip", TARGET_TCP, TARGET_ROLE_CONTROL, "1.1.1.1", NULL, OUTCOME_OK);
	add(sc, "example", TARGET_HTTP, TARGET_ROLE_CONTROL, "example.com", NULL, OUTCOME_OK);
	add(sc, "chatgpt", TARGET_HTTP, TARGET_ROLE_SERVICE, "chatgpt.com", "ChatGPT", OUTCOME_OK);
	api = add(sc, "api", TARGET_HTTP, TARGET_ROLE_SERVICE, "api.openai.com", "APIs", OUTCOME_OK);
	api->api = true;
	add(sc, "status", TARGET_STATUSPAGE, TARGET_ROLE_SERVICE, "status.openai.com", NULL, OUTCOME_OK);

	sc->comps[0] = (struct diagnose_official_component){ "ChatGPT", ASSESS_OFFICIAL_OPERATIONAL };
	sc->comps[1] = (struct diagnose_official_component){ "APIs", ASSESS_OFFICIAL_OPERATIONAL };
	sc->comps[2] = (struct diagnose_official_component){ "Sora", ASSESS_OFFICIAL_OPERATIONAL };
	sc->in.official.configured = true;
	sc->in.official.have_status = true;
	sc->in.official.indicator = DIAGNOSE_IMPACT_NONE;
	sc->in.official.description = "All Systems Operational";
	sc->in.official.components = sc->comps;
	sc->in.official.n_components = 3;
	sc->in.official.incidents = sc->inc;
	sc->in.official.maintenances = sc->maint;
}

static void no_official(struct scene *sc)
{
	sc->in.official.have_status = false;
	sc->in.official.fetch_error = "connection timed out";
}

static void incident(struct scene *sc, const char *title, enum diagnose_impact impact,
		     const char *const *components, size_t n)
{
	struct diagnose_incident *i = &sc->inc[sc->in.official.n_incidents++];

	i->title = title;
	i->impact = impact;
	i->started = NOW - 600;
	i->components = components;
	i->n_components = n;
	sc->in.official.indicator = impact;
	sc->in.official.description = "Partial System Outage";
}

static void run(struct scene *sc)
{
	assert_int_equal(diagnose_verdict(&sc->in, &sc->v), 0);
}

#define expect(sc, st, ca, fragment)                                                         \
	do {                                                                                 \
		run(sc);                                                                     \
		if ((sc)->v.state != (st) || (sc)->v.cause != (ca) ||                        \
		    !strstr((sc)->v.summary, (fragment)))                                    \
			fail_msg("got %s/%s \"%s\", want %s/%s \"...%s...\"",                \
				 diagnose_state_name((sc)->v.state),                         \
				 diagnose_cause_name((sc)->v.cause), (sc)->v.summary,        \
				 diagnose_state_name(st), diagnose_cause_name(ca), fragment); \
	} while (0)

static void test_all_good(void **state)
{
	struct scene sc;

	scene_init(&sc);
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, "all good: OpenAI answers normally");
	assert_int_equal(diagnose_exit_code(sc.v.state), 0);
	assert_int_equal(sc.v.n_service, 2); /* the status page is not a service target */
	assert_int_equal(sc.v.n_control, 2);
	assert_false(sc.v.ours_failing);
	assert_false(sc.v.official_bad);
	assert_int_equal(sc.v.official, ASSESS_COMPONENT_OPERATIONAL);
	assert_string_equal(sc.v.official_text, "All Systems Operational");
	assert_non_null(strstr(sc.v.detail, "service targets down: 0 of 2"));
	assert_non_null(strstr(sc.v.detail, "controls answering: 2 of 2"));
}

static void test_no_network(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, CTL_IP, OUTCOME_CONNECT_FAIL);
	set(&sc, CTL_NAME, OUTCOME_DNS_FAIL);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	set(&sc, STATUS, OUTCOME_DNS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, "it's just you: no internet");
	assert_int_equal(diagnose_exit_code(sc.v.state), 3);
}

/* A captive portal, or a firewall that lets only DNS out: the local resolver
 * answers, nothing outside does. The resolver proves nothing about the way out. */
static void test_captive_portal(void **state)
{
	struct scene sc;

	scene_init(&sc);
	no_official(&sc);
	add(&sc, "dns-api", TARGET_DNS, TARGET_ROLE_SERVICE, "api.openai.com", "APIs", OUTCOME_OK);
	set(&sc, CTL_IP, OUTCOME_CONNECT_FAIL);
	set(&sc, CTL_NAME, OUTCOME_TLS_FAIL);
	set(&sc, WEB, OUTCOME_TLS_FAIL);
	set(&sc, API, OUTCOME_CONNECT_FAIL);
	set(&sc, STATUS, OUTCOME_TLS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, "it's just you: no internet connection");
	assert_non_null(strstr(sc.v.summary, "captive portal"));

	/* port 443 blocked: the same */
	set(&sc, CTL_NAME, OUTCOME_CONNECT_FAIL);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, "a captive portal or a firewall");

	/* the service answering over the network is the internet working */
	set(&sc, WEB, OUTCOME_OK);
	run(&sc);
	assert_int_not_equal(sc.v.cause, VERDICT_CAUSE_NO_NETWORK);
}

static void test_dns_all(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, CTL_NAME, OUTCOME_DNS_FAIL);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	set(&sc, STATUS, OUTCOME_DNS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, "DNS is failing");
	assert_non_null(strstr(sc.v.summary, "the network itself answers"));

	/* no control by name: two different names failing is enough */
	scene_init(&sc);
	sc.t[CTL_NAME].role = TARGET_ROLE_SERVICE;
	sc.t[CTL_NAME].kind = TARGET_STATUSPAGE;
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	set(&sc, STATUS, OUTCOME_DNS_FAIL);
	set(&sc, CTL_NAME, OUTCOME_DNS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, "DNS is failing");
}

static void test_dns_service(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE,
	       "DNS problem for OpenAI: chatgpt.com does not resolve, other names do");
	assert_string_equal(sc.v.target, "chatgpt");
	assert_true(sc.v.ours_failing);

	/* a dns probe that times out is a DNS failure too */
	scene_init(&sc);
	sc.t[API].kind = TARGET_DNS;
	set(&sc, API, OUTCOME_TIMEOUT);
	sc.s[API].connect_ms = -1;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE, "api.openai.com does not resolve");
}

static void test_unreachable(void **state)
{
	struct scene sc;

	/* the page is green, the controls answer: probably blocked on this side */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_UNREACHABLE, "blocked on your side");

	/* no official word: the edge may be down, so it counts as an outage */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_UNREACHABLE,
	       "OpenAI unreachable while other sites work: blocked (firewall, proxy) or its edge is down");

	/* a timeout before any connection is unreachable too (packets dropped) */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_TIMEOUT);
	set(&sc, API, OUTCOME_TIMEOUT);
	sc.s[WEB].connect_ms = sc.s[WEB].tls_ms = -1;
	sc.s[API].connect_ms = sc.s[API].tls_ms = -1;
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_UNREACHABLE, "unreachable");
}

static void test_tls(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, API, OUTCOME_TLS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR,
	       "TLS failure for api.openai.com: certificate problem or interception");

	/* an expired certificate is the service's problem */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, API, OUTCOME_TLS_FAIL);
	sc.s[API].cert_expiry = (time_t)(NOW - 2 * 86400);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TLS_ERROR, "certificate of api.openai.com expired 2 d ago");

	/* a failed verification ends the handshake before the expiry date can be
	 * read: the verifier's words say it instead */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, API, OUTCOME_TLS_FAIL);
	sc.s[API].cert_expiry = 0;
	strcpy(sc.s[API].error, "SSL certificate problem: certificate has expired");
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TLS_ERROR, "certificate of api.openai.com has expired");
}

/* TCP connects, the TLS handshake never gets an answer: blame the handshake
 * (a filter by server name looks like this), not TCP and not a certificate. */
static void tls_stall(struct scene *sc, int i)
{
	set(sc, i, OUTCOME_TIMEOUT);
	sc->s[i].tls_ms = sc->s[i].ttfb_ms = sc->s[i].transfer_ms = -1;
	sc->s[i].http_status = 0;
	sc->s[i].http_version = 0;
	sc->s[i].tls_stalled = true;
}

static void test_tls_stall(void **state)
{
	struct scene sc;

	/* the page is green, the controls answer: filtered on this side */
	scene_init(&sc);
	tls_stall(&sc, WEB);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR,
	       "the TLS handshake with chatgpt.com stalls (TCP connects, no answer)");
	assert_null(strstr(sc.v.summary, "certificate"));

	/* no official word: a filter or the service's edge */
	scene_init(&sc);
	no_official(&sc);
	tls_stall(&sc, WEB);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TLS_ERROR, "a firewall filtering by name, or its edge");

	/* the connect time may be unknown (curl gives none then): still the handshake */
	sc.s[WEB].connect_ms = -1;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TLS_ERROR, "the TLS handshake with chatgpt.com stalls");

	/* the same timeout with no TCP connection is unreachable, as before */
	sc.s[WEB].tls_stalled = false;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_UNREACHABLE, "unreachable");

	/* nothing answers at all: the handshake stall is still named */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, CTL_IP, OUTCOME_TIMEOUT);
	sc.s[CTL_IP].connect_ms = -1;
	tls_stall(&sc, WEB);
	tls_stall(&sc, API);
	run(&sc);
	assert_int_equal(sc.v.cause, VERDICT_CAUSE_TLS_ERROR);
	assert_non_null(strstr(sc.v.summary, "stalls"));
}

static void test_clock_skew(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, API, OUTCOME_TLS_FAIL);
	set(&sc, WEB, OUTCOME_TLS_FAIL);
	/* the control's Date header says our clock is two hours behind */
	sc.s[CTL_NAME].server_date = (time_t)(NOW - 5 + 7200);
	sc.s[CTL_NAME].ttfb_ms = 0;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, "your clock is 2 h behind");
	assert_true(sc.v.have_skew);
	assert_true(sc.v.clock_skew_s > 7190 && sc.v.clock_skew_s < 7210);
	assert_non_null(strstr(sc.v.detail, "your clock is 2 h behind"));

	/* within the limit: an ordinary TLS failure */
	sc.s[CTL_NAME].server_date = (time_t)(NOW - 5 + 60);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR, "TLS failure");

	/* one server with a wrong clock does not accuse ours: the smallest skew counts */
	sc.s[CTL_NAME].server_date = (time_t)(NOW - 5 + 7200);
	sc.s[CTL_IP].server_date = (time_t)(NOW - 5);
	sc.s[CTL_IP].ttfb_ms = 0;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_TLS_ERROR, "TLS failure");
	assert_true(sc.v.clock_skew_s > -1 && sc.v.clock_skew_s < 1);
}

/* A clock years behind: every certificate looks not yet valid. Several
 * unrelated hosts agreeing blame the clock, not an interception. */
static void test_clock_from_certificates(void **state)
{
	struct scene sc;
	double skew;
	int hosts;

	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_TLS_FAIL);
	set(&sc, API, OUTCOME_TLS_FAIL);
	sc.s[WEB].cert_start = (time_t)(NOW + 3 * 365 * 86400.0);
	sc.s[WEB].cert_expiry = (time_t)(NOW + 4 * 365 * 86400.0);
	sc.s[API].cert_start = (time_t)(NOW + 2 * 365 * 86400.0);
	sc.s[API].cert_expiry = (time_t)(NOW + 3 * 365 * 86400.0);
	strcpy(sc.s[WEB].error, "SSL certificate problem: certificate is not yet valid");
	strcpy(sc.s[API].error, "SSL certificate problem: certificate is not yet valid");
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW,
	       "the certificates of 2 sites are all not valid yet");
	assert_non_null(strstr(sc.v.summary, "your clock is at least"));
	assert_non_null(strstr(sc.v.summary, "behind"));
	assert_true(diagnose_cert_clock(&sc.in, &skew, &hosts));
	assert_int_equal(hosts, 2);
	/* the tighter bound: three years and five seconds */
	assert_true(skew > 3 * 365 * 86400.0 && skew < 3 * 365 * 86400.0 + 10);
	assert_true(sc.v.have_skew);

	/* without the dates, the verifier's words are enough */
	sc.s[WEB].cert_start = sc.s[WEB].cert_expiry = 0;
	sc.s[API].cert_start = sc.s[API].cert_expiry = 0;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, "your clock is behind");

	/* one host is not several: that is its certificate (or an interception) */
	set(&sc, API, OUTCOME_OK);
	run(&sc);
	assert_int_not_equal(sc.v.cause, VERDICT_CAUSE_CLOCK_SKEW);
	/* two targets of one host neither */
	sc.t[API].host = "chatgpt.com";
	set(&sc, API, OUTCOME_TLS_FAIL);
	strcpy(sc.s[API].error, "SSL certificate problem: certificate is not yet valid");
	run(&sc);
	assert_int_not_equal(sc.v.cause, VERDICT_CAUSE_CLOCK_SKEW);
	sc.t[API].host = "api.openai.com";

	/* all expired: our clock is ahead */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_TLS_FAIL);
	set(&sc, API, OUTCOME_TLS_FAIL);
	sc.s[WEB].cert_expiry = (time_t)(NOW - 400 * 86400.0);
	sc.s[API].cert_expiry = (time_t)(NOW - 500 * 86400.0);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, "ahead: the certificates of 2 sites are all expired");

	/* a certificate accepted elsewhere clears the clock: those two expired */
	sc.s[CTL_NAME].cert_expiry = (time_t)(NOW + 30 * 86400.0);
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_TLS_ERROR, "expired");
}

static void test_http_5xx(void **state)
{
	struct scene sc;

	scene_init(&sc);
	no_official(&sc);
	set(&sc, API, OUTCOME_HTTP_5XX);
	/* only the API fails, the web front answers: the summary names the components */
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "APIs is failing (HTTP 503); ChatGPT answers");
	assert_int_equal(diagnose_exit_code(sc.v.state), 2);
	assert_string_equal(sc.v.target, "api");

	/* without components there is nothing to name */
	sc.t[API].component = sc.t[WEB].component = NULL;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX,
	       "OpenAI is failing: service unavailable, HTTP 503 from api");
	sc.t[API].component = "APIs";
	sc.t[WEB].component = "ChatGPT";

	/* a name lookup that answers says nothing about a component */
	sc.t[WEB].kind = TARGET_DNS;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "OpenAI is failing");
	sc.t[WEB].kind = TARGET_HTTP;

	/* the status page green: still named, and the lag said */
	sc.in.official.have_status = true;
	sc.in.official.fetch_error = NULL;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_STATUS_LAG,
	       "APIs is failing (HTTP 503); ChatGPT answers; the status page has not caught up");
	no_official(&sc);

	/* every service target down: major */
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	sc.s[WEB].http_status = 502;
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "HTTP 50");
	assert_int_equal(sc.v.n_service_down, 2);

	/* recovering: both still down, api's last probe passed; its last failure
	 * still names the cause (not "answers wrongly") */
	struct sample failed = sc.s[API];

	set_outcome(&sc.s[API], OUTCOME_OK);
	sc.t[API].last_failure = &failed;
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "OpenAI is failing");
	set(&sc, WEB, OUTCOME_OK);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "APIs is failing (not answering reliably)");
}

static void test_timeout_and_bad_response(void **state)
{
	struct scene sc;

	scene_init(&sc);
	no_official(&sc);
	set(&sc, API, OUTCOME_TIMEOUT);
	sc.t[API].timeout_s = 10;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TIMEOUT,
	       "APIs is failing (connects, then no answer within 10 s); ChatGPT answers");
	sc.t[API].component = NULL;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TIMEOUT,
	       "OpenAI does not answer: api connects, then no answer within 10 s");

	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_HTTP_UNEXPECTED);
	sc.s[WEB].http_status = 302;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_BAD_RESPONSE, "ChatGPT is failing (HTTP 302); APIs answers");
}

static void test_status_lag(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, API, OUTCOME_HTTP_5XX);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_STATUS_LAG,
	       "down for us (service unavailable, HTTP 503); the status page has not caught up");
	assert_true(sc.v.ours_failing);
	assert_false(sc.v.official_bad);
}

static void test_rate_limited(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, API, OUTCOME_RATE_LIMITED);
	sc.s[API].retry_after_s = 20;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_RATE_LIMITED,
	       "rate limited by api (HTTP 429), retry after 20 s");
	assert_true(sc.v.retry_after_s == 20);
	assert_int_equal(diagnose_exit_code(sc.v.state), 1);
	assert_false(sc.v.ours_failing);

	sc.s[API].retry_after_s = -1;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_RATE_LIMITED, "rate limited by api (HTTP 429)");
	assert_true(sc.v.retry_after_s < 0);
}

static void test_auth_rejected(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.t[API].key_configured = true;
	set(&sc, API, OUTCOME_AUTH_REJECTED);
	sc.s[API].key_sent = true;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_AUTH_REJECTED,
	       "your API key was rejected (HTTP 401); OpenAI itself is up");

	/* the key withheld (only sent over https): a 401 is about the key, never an
	 * outage or a status page that "has not caught up" */
	sc.s[API].key_sent = false;
	sc.t[API].plain_http = true;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_AUTH_REJECTED,
	       "api refuses the request (HTTP 401): the API key was not sent, it is only sent over https");
	assert_false(sc.v.ours_failing);
	/* its variable unset */
	sc.t[API].plain_http = false;
	sc.t[API].key_configured = false;
	sc.s[API].http_status = 403;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_AUTH_REJECTED,
	       "api refuses the request (HTTP 403): the API key was not sent, its variable is not set");
}

/* A 4xx answer is the service answering: never an outage, never status_lag. */
static void test_4xx_never_outage(void **state)
{
	static const long codes[] = { 400, 401, 403, 404, 405, 410, 451 };
	struct scene sc;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		/* the page green (what status_lag needed), and with no official word */
		for (int official = 0; official < 2; official++) {
			scene_init(&sc);
			if (!official)
				no_official(&sc);
			set(&sc, API, OUTCOME_HTTP_UNEXPECTED);
			sc.s[API].http_status = codes[i];
			set(&sc, WEB, OUTCOME_HTTP_UNEXPECTED);
			sc.s[WEB].http_status = codes[i];
			expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_BAD_RESPONSE, "OpenAI is up, but refuses this request");
			assert_non_null(strstr(sc.v.summary, "HTTP"));
			assert_false(sc.v.ours_failing);
			assert_int_equal(sc.v.n_service_down, 0);
		}
	}

	/* a body mismatch with a 4xx too */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_BODY_MISMATCH);
	sc.s[WEB].http_status = 404;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_BAD_RESPONSE, "chatgpt answers");

	/* a portal's 511 is the network asking for a sign-in */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	sc.s[WEB].http_status = 511;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_BAD_RESPONSE, "captive portal");

	/* a real outage beside a 4xx still is one, and partial */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_HTTP_UNEXPECTED);
	set(&sc, API, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "HTTP 503");
	assert_int_equal(sc.v.n_service_down, 1);
}

static void test_slow(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.t[WEB].state = ASSESS_DEGRADED;
	sc.t[WEB].median_ms = 1800;
	sc.t[WEB].baseline_ms = 300;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_SLOW, "OpenAI is slow: chatgpt takes 1.8 s, usually 300 ms");
}

static void test_flapping(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.t[API].state = ASSESS_FLAPPING;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_FLAPPING, "api keeps going up and down");
}

static void test_official_incident_with_failures(void **state)
{
	struct scene sc;
	static const char *const chatgpt[] = { "ChatGPT" };

	scene_init(&sc);
	incident(&sc, "Elevated error rates for ChatGPT", DIAGNOSE_IMPACT_MAJOR, chatgpt, 1);
	sc.comps[0].status = ASSESS_OFFICIAL_PARTIAL;
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT,
	       "official incident: Elevated error rates for ChatGPT (major)");
	assert_true(sc.v.official_bad);
	assert_true(sc.v.official_since == NOW - 600);
	assert_string_equal(sc.v.official_text, "Elevated error rates for ChatGPT (major)");

	/* the page says major outage: major, though only one of our two targets fails */
	sc.comps[0].status = ASSESS_OFFICIAL_MAJOR;
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT, "Elevated error rates");

	/* a critical incident is a major outage */
	sc.comps[0].status = ASSESS_OFFICIAL_PARTIAL;
	sc.inc[0].impact = DIAGNOSE_IMPACT_CRITICAL;
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT, "(critical)");

	/* no incident listed, but a component is down: the page's own words */
	scene_init(&sc);
	sc.comps[1].status = ASSESS_OFFICIAL_MAJOR;
	sc.in.official.indicator = DIAGNOSE_IMPACT_MAJOR;
	sc.in.official.description = "Partial System Outage";
	set(&sc, API, OUTCOME_TIMEOUT);
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT,
	       "official status: Partial System Outage");
}

static void test_official_incident_while_we_pass(void **state)
{
	struct scene sc;

	scene_init(&sc);
	incident(&sc, "Slow responses on the API", DIAGNOSE_IMPACT_MINOR, NULL, 0);
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_OFFICIAL_INCIDENT,
	       "official incident: Slow responses on the API (minor); our probes pass");

	/* an incident on a component we do not use is not ours */
	scene_init(&sc);
	static const char *const sora[] = { "Sora" };
	incident(&sc, "Sora video generation failing", DIAGNOSE_IMPACT_MAJOR, sora, 1);
	sc.comps[2].status = ASSESS_OFFICIAL_MAJOR;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, "all good");
	assert_false(sc.v.official_bad);
	assert_int_equal(sc.v.official, ASSESS_COMPONENT_OPERATIONAL);
}

static void test_page_without_our_components(void **state)
{
	struct scene sc;
	static const char *const other[] = { "Realtime" };

	/* our targets' components are not on the page: its news and indicator count */
	scene_init(&sc);
	sc.comps[0].status = ASSESS_OFFICIAL_UNKNOWN;
	sc.comps[1].status = ASSESS_OFFICIAL_UNKNOWN;
	sc.in.official.n_components = 2;
	incident(&sc, "Errors in the Realtime API", DIAGNOSE_IMPACT_MAJOR, other, 1);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT,
	       "Errors in the Realtime API (major); our probes pass");

	/* and a green page is green */
	sc.in.official.n_incidents = 0;
	sc.in.official.indicator = DIAGNOSE_IMPACT_NONE;
	set(&sc, API, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_STATUS_LAG, "has not caught up");
}

static void test_maintenance(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.maint[0] = (struct diagnose_maintenance){ "Database upgrade", true, NOW - 600, NOW + 1800, NULL, 0 };
	sc.in.official.n_maintenances = 1;
	expect(&sc, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE,
	       "scheduled maintenance in progress: Database upgrade (ends in 30 min)");
	assert_int_equal(diagnose_exit_code(sc.v.state), 1);

	/* it explains our failures too */
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	expect(&sc, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE, "Database upgrade");

	/* upcoming: all good, with a heads-up */
	scene_init(&sc);
	sc.maint[0] = (struct diagnose_maintenance){ "Network work", false, NOW + 3 * 3600,
						     NOW + 4 * 3600, NULL, 0 };
	sc.in.official.n_maintenances = 1;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_MAINTENANCE,
	       "all good; scheduled maintenance in 3 h: Network work");
	assert_int_equal(diagnose_exit_code(sc.v.state), 0);

	/* too far ahead to mention */
	sc.maint[0].starts = NOW + 9 * 86400;
	sc.maint[0].ends = NOW + 9 * 86400 + 3600;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, "all good");

	/* a component under maintenance says so without a listed window */
	scene_init(&sc);
	sc.comps[1].status = ASSESS_OFFICIAL_MAINTENANCE;
	expect(&sc, VERDICT_MAINTENANCE, VERDICT_CAUSE_MAINTENANCE, "scheduled maintenance in progress");
}

static void test_challenged_never_outage(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CHALLENGED);
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_CHALLENGED,
	       "OpenAI is up: chatgpt is reachable but shows a bot challenge");

	/* every service target challenged: still reachable */
	set(&sc, API, OUTCOME_CHALLENGED);
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_CHALLENGED, "bot challenge");

	/* challenged and slow: degraded, never an outage */
	sc.t[WEB].state = ASSESS_DEGRADED;
	sc.t[WEB].median_ms = 2500;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_SLOW, "slow");
}

static void test_ipv6_broken(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	sc.t[WEB].v4 = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 2 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, false, OUTCOME_CONNECT_FAIL, 2, 0 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV6_BROKEN, "IPv6 path broken, IPv4 fine");

	sc.t[WEB].v4 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 2, 0 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 2 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV4_BROKEN, "IPv4 path broken, IPv6 fine");

	/* both paths fail: no verdict on the address family */
	sc.t[WEB].v6 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 2, 0 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_UNREACHABLE, "unreachable");
}

/* Random loss fails single probes of every kind: a name, a family or a path
 * is blamed only when its evidence repeats, else the link is lossy. */
static void test_one_probe_is_not_enough(void **state)
{
	struct scene sc;

	/* one comparison probe of each family, IPv4's lost */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	sc.t[WEB].v4 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 0, 0 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, true, OUTCOME_OK, 0, 0 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_UNREACHABLE, "unreachable");
	/* run again, IPv4 passed this time: still nothing to blame */
	sc.t[WEB].v4 = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 1 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 2 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_UNREACHABLE, "unreachable");
	/* two of three: blamed */
	sc.t[WEB].v4 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 3, 1 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, true, OUTCOME_OK, 3, 2 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_IPV4_BROKEN, "IPv4 path broken");

	/* the same for direct against the proxy */
	scene_init(&sc);
	sc.in.env.https_proxy = "proxy.corp:8080";
	set(&sc, API, OUTCOME_HTTP_5XX);
	sc.t[API].direct = (struct diagnose_path){ true, true, OUTCOME_OK, 1, 1 };
	sc.t[API].proxy = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 1, 0 };
	run(&sc);
	assert_int_not_equal(sc.v.cause, VERDICT_CAUSE_PROXY_BROKEN);

	/* a name: the retry could not resolve, the probe before it timed out */
	scene_init(&sc);
	no_official(&sc);
	add(&sc, "dns-api", TARGET_DNS, TARGET_ROLE_SERVICE, "api.openai.com", "APIs", OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	sc.t[API].recent[0] = (struct diagnose_recent){ OUTCOME_DNS_FAIL, false };
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	sc.t[API].recent[2] = (struct diagnose_recent){ OUTCOME_OK, true };
	sc.t[API].n_recent = 3;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_LOSSY, "the way to OpenAI is lossy or slow: api fails on and off");
	assert_non_null(strstr(sc.v.summary, "name does not resolve"));
	assert_null(strstr(sc.v.summary, "does not resolve, other names do"));
	/* recovering, one failure left in the window: nothing disagrees */
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_OK, true };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE, "api.openai.com does not resolve");
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	/* the controls falter too: your link */
	sc.t[CTL_NAME].recent[0] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	sc.t[CTL_NAME].recent[1] = (struct diagnose_recent){ OUTCOME_OK, true };
	sc.t[CTL_NAME].n_recent = 2;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_LOSSY, "your connection is lossy or slow");
	sc.t[CTL_NAME].n_recent = 0;
	/* twice the same name failure: the name is blamed */
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_DNS_FAIL, false };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE, "api.openai.com does not resolve, other names do");

	/* twice the same name failure, but a DNS probe of that name resolves it:
	 * the name resolves, the lookups are lost on the way */
	sc.t[DNS_API].n_recent = 1;
	set(&sc, DNS_API, OUTCOME_OK);
	sc.t[DNS_API].recent[0] = (struct diagnose_recent){ OUTCOME_OK, false };
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_LOSSY, "api fails on and off");
	set(&sc, DNS_API, OUTCOME_DNS_FAIL);
	sc.t[DNS_API].recent[0] = (struct diagnose_recent){ OUTCOME_DNS_FAIL, false };
	sc.t[DNS_API].recent[1] = (struct diagnose_recent){ OUTCOME_DNS_FAIL, false };
	sc.t[DNS_API].n_recent = 2;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_SERVICE, "does not resolve");

	/* one target fails in ways that do not repeat: another's two timeouts
	 * are no blocked path either, it is the same lossy link */
	set(&sc, WEB, OUTCOME_TIMEOUT);
	sc.s[WEB].connect_ms = sc.s[WEB].tls_ms = sc.s[WEB].ttfb_ms = -1;
	sc.s[WEB].http_status = 0;
	sc.t[WEB].recent[0] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	sc.t[WEB].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	sc.t[WEB].n_recent = 2;
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_LOSSY, "api fails on and off");
	/* without the lossy one, the two timeouts are a path that does not answer */
	set(&sc, API, OUTCOME_OK);
	set(&sc, DNS_API, OUTCOME_OK);
	sc.t[API].n_recent = sc.t[DNS_API].n_recent = 0;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_UNREACHABLE, "unreachable");

	/* two timeouts of one target are consistent, but a control lost an answer
	 * too: the link, not the service */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, API, OUTCOME_TIMEOUT);
	sc.t[API].recent[0] = (struct diagnose_recent){ OUTCOME_TIMEOUT, true };
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, true };
	sc.t[API].n_recent = 2;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TIMEOUT, "APIs is failing (no answer in time)");
	sc.t[CTL_NAME].recent[0] = (struct diagnose_recent){ OUTCOME_OK, true };
	sc.t[CTL_NAME].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, true };
	sc.t[CTL_NAME].n_recent = 2;
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_LOSSY, "your connection is lossy or slow");
	/* a control refused is no lost answer */
	sc.t[CTL_NAME].recent[1] = (struct diagnose_recent){ OUTCOME_CONNECT_FAIL, false };
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TIMEOUT, "APIs is failing (no answer in time)");

	/* a server that answers with errors between timeouts is no lossy link */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, API, OUTCOME_TIMEOUT);
	sc.t[API].component = NULL;
	sc.t[API].recent[0] = (struct diagnose_recent){ OUTCOME_TIMEOUT, true };
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_HTTP_5XX, true };
	sc.t[API].n_recent = 2;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_TIMEOUT, "no answer");
	assert_string_equal(diagnose_cause_name(VERDICT_CAUSE_LOSSY), "lossy");
}

static void test_proxy_broken(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.in.env.HTTPS_PROXY = "http://alice:s3cret@proxy.corp:3128/";
	set(&sc, WEB, OUTCOME_PROXY_FAIL);
	set(&sc, API, OUTCOME_PROXY_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_PROXY_BROKEN,
	       "the proxy is the problem: chatgpt fails at proxy.corp:3128");
	assert_null(strstr(sc.v.summary, "s3cret"));
	assert_null(strstr(sc.v.summary, "alice"));

	/* the differential probe: direct works, the proxy does not */
	scene_init(&sc);
	sc.in.env.https_proxy = "proxy.corp:8080";
	set(&sc, API, OUTCOME_HTTP_5XX);
	sc.t[API].direct = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 2 };
	sc.t[API].proxy = (struct diagnose_path){ true, false, OUTCOME_HTTP_5XX, 2, 0 };
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_PROXY_BROKEN,
	       "api works directly but fails through proxy.corp:8080");

	/* the proxy answers, and refuses the tunnel (CONNECT answered 403) */
	scene_init(&sc);
	sc.in.env.https_proxy = "http://proxy.corp:3128";
	set(&sc, API, OUTCOME_PROXY_FAIL);
	sc.s[API].proxy_status = 403;
	strcpy(sc.s[API].error, "the proxy refused the tunnel (HTTP 403)");
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_PROXY_BROKEN,
	       "the proxy is the problem: proxy.corp:3128 refuses the way to api (HTTP 403)");
}

static void test_no_data(void **state)
{
	struct scene sc;

	scene_init(&sc);
	for (size_t i = 0; i < sc.n; i++) {
		sc.t[i].state = ASSESS_UNKNOWN;
		sc.t[i].settled = ASSESS_UNKNOWN;
		sc.t[i].last = NULL;
	}
	sc.in.official.have_status = false;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for chatgpt, api");
	assert_int_equal(diagnose_exit_code(sc.v.state), 3);
	assert_non_null(strstr(sc.v.detail, "official: not read yet"));

	/* only a status page to follow: read and all green */
	scene_init(&sc);
	sc.t[WEB].role = sc.t[API].role = TARGET_ROLE_CONTROL;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, "says the official status page");
	sc.in.official.have_status = false;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "no results yet");

	/* nothing at all */
	struct diagnose_input empty = { 0 };
	struct verdict v;
	assert_int_equal(diagnose_verdict(&empty, &v), 0);
	assert_int_equal(v.state, VERDICT_UNKNOWN);
	assert_int_equal(v.cause, VERDICT_CAUSE_NO_DATA);
	assert_int_equal(diagnose_verdict(NULL, &v), -EINVAL);
	assert_int_equal(diagnose_verdict(&empty, NULL), -EINVAL);
}

static void test_confirming(void **state)
{
	struct scene sc;

	/* a first failure of a target that was up: not an outage yet */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	sc.t[WEB].state = ASSESS_CONFIRMING;
	sc.t[WEB].settled = ASSESS_UP;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, "all good");

	/* at start-up, a first failure is not a result yet */
	for (size_t i = 0; i < sc.n; i++)
		sc.t[i].settled = sc.t[i].state = ASSESS_UNKNOWN;
	sc.t[WEB].state = ASSESS_CONFIRMING;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for chatgpt, api");
}

/* Nothing speaks for the service before every one of its targets has a
 * settled result: not a passing control, not a passing service target, not
 * a first failure, not the status page. */
static void test_no_verdict_before_every_service_target(void **state)
{
	struct scene sc;

	/* the controls answer and the page is green, but the service has said nothing */
	scene_init(&sc);
	sc.t[WEB].state = sc.t[WEB].settled = ASSESS_UNKNOWN;
	sc.t[WEB].last = NULL;
	sc.t[API].state = sc.t[API].settled = ASSESS_UNKNOWN;
	sc.t[API].last = NULL;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for chatgpt, api");

	/* one service target up, the other still on its first failure: not operational */
	sc.t[API].state = ASSESS_UP;
	sc.t[API].settled = ASSESS_UP;
	sc.t[API].last = &sc.s[API];
	set_outcome(&sc.s[WEB], OUTCOME_HTTP_5XX);
	sc.t[WEB].last = &sc.s[WEB];
	sc.t[WEB].state = ASSESS_CONFIRMING;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for chatgpt");
	assert_null(strstr(sc.v.summary, "api"));

	/* one confirmed down, one still waiting: not an outage either, yet */
	set(&sc, API, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for chatgpt");

	/* settled: now the verdict speaks */
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_STATUS_LAG, "");

	/* many targets: a few names, then how many more */
	scene_init(&sc);
	static const char *const names[] = { "s1", "s2", "s3", "s4", "s5", "s6", "s7" };
	for (size_t i = 0; i < 7; i++) {
		struct diagnose_target *t = add(&sc, names[i], TARGET_HTTP, TARGET_ROLE_SERVICE, "x.test", NULL,
						OUTCOME_OK);
		t->state = t->settled = ASSESS_UNKNOWN;
		t->last = NULL;
	}
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for s1, s2, s3, s4 and 3 more");
}

/* Components as the views show them agree with the verdict. */
static void test_components_follow_the_verdict(void **state)
{
	struct scene sc;
	struct diagnose_component dc;

	/* the service is down for everyone: the component is in an outage */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "");
	assert_int_equal(diagnose_component(&sc.in, &sc.v, "ChatGPT", &dc), 0);
	assert_int_equal(dc.state, ASSESS_COMPONENT_MAJOR_OUTAGE);
	assert_int_equal(dc.ours, ASSESS_COMPONENT_MAJOR_OUTAGE);
	assert_string_equal(dc.reason, "");

	/* it's just you (DNS): the components are unknown, unreachable from here */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, CTL_NAME, OUTCOME_DNS_FAIL);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, STATUS, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, "DNS");
	for (int k = 0; k < 2; k++) {
		assert_int_equal(diagnose_component(&sc.in, &sc.v, k ? "APIs" : "ChatGPT", &dc), 0);
		assert_int_equal(dc.state, ASSESS_COMPONENT_UNKNOWN);
		assert_int_equal(dc.ours, ASSESS_COMPONENT_UNKNOWN);
		assert_string_equal(dc.reason, DIAGNOSE_REASON_UNREACHABLE);
	}

	/* no network at all: the same */
	scene_init(&sc);
	no_official(&sc);
	for (int i = CTL_IP; i <= STATUS; i++)
		set(&sc, i, OUTCOME_CONNECT_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, "no internet");
	assert_int_equal(diagnose_component(&sc.in, &sc.v, "ChatGPT", &dc), 0);
	assert_int_equal(dc.state, ASSESS_COMPONENT_UNKNOWN);
	assert_string_equal(dc.reason, DIAGNOSE_REASON_UNREACHABLE);

	/* ... but the official page's own word still counts */
	scene_init(&sc);
	set(&sc, CTL_NAME, OUTCOME_DNS_FAIL);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, STATUS, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	sc.comps[0].status = ASSESS_OFFICIAL_DEGRADED; /* as read before DNS failed */
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, "DNS");
	assert_int_equal(diagnose_component(&sc.in, &sc.v, "ChatGPT", &dc), 0);
	assert_int_equal(dc.state, ASSESS_COMPONENT_DEGRADED);
	assert_int_equal(dc.ours, ASSESS_COMPONENT_UNKNOWN);

	/* still checking: a failing component is not an outage yet either */
	scene_init(&sc);
	no_official(&sc);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	sc.t[API].state = sc.t[API].settled = ASSESS_UNKNOWN;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for api");
	assert_int_equal(diagnose_component(&sc.in, &sc.v, "ChatGPT", &dc), 0);
	assert_int_equal(dc.state, ASSESS_COMPONENT_UNKNOWN);
	assert_string_equal(dc.reason, DIAGNOSE_REASON_CHECKING);

	/* a first failure at start is not a result: the component is not up */
	sc.t[API].state = ASSESS_CONFIRMING;
	sc.t[API].settled = ASSESS_UNKNOWN;
	expect(&sc, VERDICT_UNKNOWN, VERDICT_CAUSE_NO_DATA, "waiting for api");
	assert_int_equal(diagnose_component(&sc.in, &sc.v, "APIs", &dc), 0);
	assert_int_equal(dc.state, ASSESS_COMPONENT_UNKNOWN);
	assert_string_equal(dc.reason, DIAGNOSE_REASON_CHECKING);
	/* ... while a blip of a target that was up leaves it up */
	sc.t[API].settled = ASSESS_UP;
	sc.t[WEB].state = sc.t[WEB].settled = ASSESS_UP;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_OK, "");
	assert_int_equal(diagnose_component(&sc.in, &sc.v, "APIs", &dc), 0);
	assert_int_equal(dc.state, ASSESS_COMPONENT_OPERATIONAL);

	assert_int_equal(diagnose_component(NULL, &sc.v, "ChatGPT", &dc), -EINVAL);
	assert_int_equal(diagnose_component(&sc.in, &sc.v, NULL, &dc), -EINVAL);
}

/* Several causes hold at once: the one the header ranks higher wins. */
static void test_precedence(void **state)
{
	struct scene sc;
	static const char *const chatgpt[] = { "ChatGPT" };

	/* no network beats an official incident */
	scene_init(&sc);
	incident(&sc, "Elevated errors", DIAGNOSE_IMPACT_MAJOR, NULL, 0);
	for (int i = CTL_IP; i <= STATUS; i++)
		set(&sc, i, OUTCOME_CONNECT_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_NO_NETWORK, "no internet");

	/* dns_all beats dns_service */
	scene_init(&sc);
	set(&sc, CTL_NAME, OUTCOME_DNS_FAIL);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, STATUS, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_DNS_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_DNS_ALL, "DNS");

	/* the proxy beats the service's own DNS */
	scene_init(&sc);
	sc.in.env.all_proxy = "socks5://proxy:1080";
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_PROXY_FAIL);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_PROXY_BROKEN, "proxy:1080");

	/* clock skew beats an official incident */
	scene_init(&sc);
	incident(&sc, "Elevated errors", DIAGNOSE_IMPACT_MAJOR, NULL, 0);
	set(&sc, API, OUTCOME_TLS_FAIL);
	sc.s[CTL_NAME].server_date = (time_t)(NOW - 5 - 3 * 86400);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_CLOCK_SKEW, "your clock is 3 d ahead");

	/* an official incident with our probes failing beats status lag, 5xx, dns and tls */
	scene_init(&sc);
	incident(&sc, "Elevated errors", DIAGNOSE_IMPACT_MAJOR, chatgpt, 1);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	set(&sc, API, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT, "Elevated errors");

	/* an incident beats maintenance in progress (both listed, as GitHub once had) */
	sc.maint[0] = (struct diagnose_maintenance){ "Codespaces maintenance", true, NOW - 60, NOW + 60, NULL, 0 };
	sc.in.official.n_maintenances = 1;
	expect(&sc, VERDICT_MAJOR_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT, "Elevated errors");
	set(&sc, WEB, OUTCOME_OK);
	set(&sc, API, OUTCOME_OK);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_OFFICIAL_INCIDENT, "our probes pass");

	/* failures beat a rejected key and rate limiting */
	scene_init(&sc);
	no_official(&sc);
	sc.t[API].key_configured = true;
	set(&sc, API, OUTCOME_AUTH_REJECTED);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "HTTP 503");

	/* a rejected key beats rate limiting; rate limiting beats flapping and slowness */
	scene_init(&sc);
	sc.t[API].key_configured = true;
	set(&sc, API, OUTCOME_AUTH_REJECTED);
	set(&sc, WEB, OUTCOME_RATE_LIMITED);
	expect(&sc, VERDICT_LOCAL_PROBLEM, VERDICT_CAUSE_AUTH_REJECTED, "API key");
	set(&sc, API, OUTCOME_OK);
	sc.t[API].state = ASSESS_DEGRADED;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_RATE_LIMITED, "429");
	set(&sc, WEB, OUTCOME_OK);
	sc.t[WEB].state = ASSESS_FLAPPING;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_FLAPPING, "unstable");

	/* slowness beats an upcoming maintenance, which beats a challenge */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CHALLENGED);
	sc.maint[0] = (struct diagnose_maintenance){ "Upgrade", false, NOW + 3600, NOW + 7200, NULL, 0 };
	sc.in.official.n_maintenances = 1;
	expect(&sc, VERDICT_OPERATIONAL, VERDICT_CAUSE_MAINTENANCE, "in 1 h: Upgrade");
	sc.t[API].state = ASSESS_DEGRADED;
	expect(&sc, VERDICT_DEGRADED, VERDICT_CAUSE_SLOW, "slow");
}

static void test_untrusted_text(void **state)
{
	struct scene sc;
	char title[400];

	scene_init(&sc);
	memset(title, 'x', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	static const char evil[] = "\x1b]0;pwned\x07\x1b[31mRed\r\n";
	memcpy(title, evil, sizeof(evil) - 1);
	/* a multi-byte character right where the summary gets cut */
	for (size_t i = 201; i + 2 < sizeof(title); i += 2)
		memcpy(title + i, "\xc3\xa9", 2);
	incident(&sc, title, DIAGNOSE_IMPACT_MINOR, NULL, 0);
	sc.in.official.fetch_error = "timeout\x1b[2J";
	run(&sc);
	assert_null(strchr(sc.v.summary, 0x1b));
	assert_null(strchr(sc.v.summary, '\n'));
	assert_null(strchr(sc.v.summary, '\a'));
	assert_null(strchr(sc.v.detail, 0x1b));
	assert_null(strchr(sc.v.official_text, 0x1b));
	/* never half a character at the end */
	size_t n = strlen(sc.v.summary);
	assert_true(n < VERDICT_SUMMARY_LEN);
	assert_false((unsigned char)sc.v.summary[n - 1] == 0xc3);

	/* nulls everywhere are tolerated */
	scene_init(&sc);
	sc.t[WEB].name = NULL;
	sc.t[WEB].host = NULL;
	sc.t[WEB].component = NULL;
	sc.in.service = NULL;
	sc.in.official.description = NULL;
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	no_official(&sc);
	sc.in.official.fetch_error = NULL;
	expect(&sc, VERDICT_PARTIAL_OUTAGE, VERDICT_CAUSE_HTTP_5XX, "the service is failing");
}

static void test_exit_codes(void **state)
{
	assert_int_equal(diagnose_exit_code(VERDICT_OPERATIONAL), 0);
	assert_int_equal(diagnose_exit_code(VERDICT_DEGRADED), 1);
	assert_int_equal(diagnose_exit_code(VERDICT_MAINTENANCE), 1);
	assert_int_equal(diagnose_exit_code(VERDICT_PARTIAL_OUTAGE), 2);
	assert_int_equal(diagnose_exit_code(VERDICT_MAJOR_OUTAGE), 2);
	assert_int_equal(diagnose_exit_code(VERDICT_LOCAL_PROBLEM), 3);
	assert_int_equal(diagnose_exit_code(VERDICT_UNKNOWN), 3);
	assert_string_equal(diagnose_state_name(VERDICT_LOCAL_PROBLEM), "local_problem");
	assert_string_equal(diagnose_cause_name(VERDICT_CAUSE_STATUS_LAG), "status_lag");
	assert_string_equal(diagnose_cause_name(VERDICT_CAUSE_DNS_ALL), "dns_all");
}

static void test_component_state(void **state)
{
	struct scene sc;

	scene_init(&sc);
	assert_int_equal(diagnose_component_state(&sc.in, "ChatGPT"), ASSESS_COMPONENT_OPERATIONAL);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	assert_int_equal(diagnose_component_state(&sc.in, "ChatGPT"), ASSESS_COMPONENT_MAJOR_OUTAGE);
	assert_int_equal(diagnose_component_state(&sc.in, "chatgpt"), ASSESS_COMPONENT_MAJOR_OUTAGE);
	sc.comps[1].status = ASSESS_OFFICIAL_DEGRADED;
	assert_int_equal(diagnose_component_state(&sc.in, "APIs"), ASSESS_COMPONENT_DEGRADED);
	/* only official word for Sora */
	sc.comps[2].status = ASSESS_OFFICIAL_PARTIAL;
	assert_int_equal(diagnose_component_state(&sc.in, "Sora"), ASSESS_COMPONENT_PARTIAL_OUTAGE);
	assert_int_equal(diagnose_component_state(&sc.in, "Nothing"), ASSESS_COMPONENT_UNKNOWN);
	assert_int_equal(diagnose_component_state(&sc.in, NULL), ASSESS_COMPONENT_UNKNOWN);
}

static void test_official_lag(void **state)
{
	struct diagnose_lag l;
	struct verdict v;
	double lag;
	char buf[128];

	memset(&v, 0, sizeof(v));
	diagnose_lag_init(&l);
	assert_false(diagnose_lag_seconds(&l, &lag));
	assert_int_equal(diagnose_lag_text(&l, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");

	/* our probes confirm the outage first... */
	v.ours_failing = true;
	assert_false(diagnose_lag_update(&l, &v, NOW));
	assert_false(diagnose_lag_update(&l, &v, NOW + 60));
	assert_true(l.ours_t == NOW);
	/* ...the page follows seven minutes later: reported once */
	v.official_bad = true;
	assert_true(diagnose_lag_update(&l, &v, NOW + 420));
	assert_false(diagnose_lag_update(&l, &v, NOW + 480));
	assert_true(diagnose_lag_seconds(&l, &lag));
	assert_true(lag == 420);
	assert_int_equal(diagnose_lag_text(&l, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "the status page lagged our probes by 7 min");

	/* both clear: the episode ends */
	v.ours_failing = false;
	assert_false(diagnose_lag_update(&l, &v, NOW + 900));
	v.official_bad = false;
	diagnose_lag_update(&l, &v, NOW + 960);
	assert_false(diagnose_lag_seconds(&l, &lag));

	/* the page led: its incident started before our probes failed */
	v.official_bad = true;
	v.official_since = NOW + 1000;
	diagnose_lag_update(&l, &v, NOW + 1100);
	v.ours_failing = true;
	assert_true(diagnose_lag_update(&l, &v, NOW + 1120));
	assert_true(diagnose_lag_seconds(&l, &lag));
	assert_true(lag == -120);
	diagnose_lag_text(&l, buf, sizeof(buf));
	assert_string_equal(buf, "the status page led our probes by 2 min");
	assert_int_equal(diagnose_lag_text(&l, NULL, 0), -EINVAL);

	/* durations round to the nearest minute: 1 h 59 min 50 s reads 2 h */
	l.ours_t = NOW;
	l.official_t = NOW + 7190;
	diagnose_lag_text(&l, buf, sizeof(buf));
	assert_string_equal(buf, "the status page lagged our probes by 2 h");
	l.official_t = NOW + 89;
	diagnose_lag_text(&l, buf, sizeof(buf));
	assert_string_equal(buf, "the status page lagged our probes by 1 min");
	l.official_t = NOW + 91;
	diagnose_lag_text(&l, buf, sizeof(buf));
	assert_string_equal(buf, "the status page lagged our probes by 2 min");
	diagnose_lag_init(&l);

	/* an incident open since long before we started watching: no lag, not
	 * "the status page led our probes by 104 d" */
	v.official_bad = true;
	v.ours_failing = false;
	v.official_since = NOW - 104 * 86400.0;
	assert_false(diagnose_lag_update(&l, &v, NOW));
	v.ours_failing = true;
	assert_false(diagnose_lag_update(&l, &v, NOW + 20));
	diagnose_lag_text(&l, buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* ...once it is over, the next episode is measured again */
	v.ours_failing = false;
	v.official_bad = false;
	diagnose_lag_update(&l, &v, NOW + 900);
	v.ours_failing = true;
	diagnose_lag_update(&l, &v, NOW + 1000);
	v.official_bad = true;
	v.official_since = NOW + 1060;
	assert_true(diagnose_lag_update(&l, &v, NOW + 1080));
	diagnose_lag_text(&l, buf, sizeof(buf));
	assert_string_equal(buf, "the status page lagged our probes by 1 min");
	diagnose_lag_init(&l);

	/* fed from real verdicts: a status lag verdict marks our side only */
	struct scene sc;
	scene_init(&sc);
	set(&sc, API, OUTCOME_HTTP_5XX);
	run(&sc);
	diagnose_lag_init(&l);
	diagnose_lag_update(&l, &sc.v, NOW);
	assert_true(l.ours_t == NOW);
	assert_true(l.official_t == 0);
}

static void test_helpers(void **state)
{
	assert_true(diagnose_host_is_ip("1.1.1.1"));
	assert_true(diagnose_host_is_ip("2606:4700:4700::1111"));
	assert_true(diagnose_host_is_ip("[::1]"));
	assert_false(diagnose_host_is_ip("one.one.one.one"));
	assert_false(diagnose_host_is_ip(""));
	assert_false(diagnose_host_is_ip(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_good),
		cmocka_unit_test(test_no_network),
		cmocka_unit_test(test_dns_all),
		cmocka_unit_test(test_dns_service),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_tls_stall),
		cmocka_unit_test(test_clock_skew),
		cmocka_unit_test(test_http_5xx),
		cmocka_unit_test(test_timeout_and_bad_response),
		cmocka_unit_test(test_status_lag),
		cmocka_unit_test(test_rate_limited),
		cmocka_unit_test(test_auth_rejected),
		cmocka_unit_test(test_captive_portal),
		cmocka_unit_test(test_clock_from_certificates),
		cmocka_unit_test(test_one_probe_is_not_enough),
		cmocka_unit_test(test_4xx_never_outage),
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_flapping),
		cmocka_unit_test(test_official_incident_with_failures),
		cmocka_unit_test(test_official_incident_while_we_pass),
		cmocka_unit_test(test_page_without_our_components),
		cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_challenged_never_outage),
		cmocka_unit_test(test_ipv6_broken),
		cmocka_unit_test(test_proxy_broken),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_confirming),
		cmocka_unit_test(test_no_verdict_before_every_service_target),
		cmocka_unit_test(test_components_follow_the_verdict),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_untrusted_text),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_component_state),
		cmocka_unit_test(test_official_lag),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
