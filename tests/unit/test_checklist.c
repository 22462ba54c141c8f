/* test_checklist.c: the troubleshooting checklist as a person reads it.
 *
 * Each test sets up what the probes measured (OpenAI's targets: two controls,
 * a DNS probe, the ChatGPT web front, the API, the status page) and asserts
 * the result of the steps a person would look at, their one-line detail and
 * whether there is advice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "checklist.h"
#include "scene.h"

#define NOW SCENE_NOW
#define MAX_T 8

struct scene {
	struct diagnose_target t[MAX_T];
	struct sample s[MAX_T];
	size_t n;
	struct diagnose_official_component comps[3];
	struct diagnose_incident inc[1];
	struct diagnose_input in;
	struct checklist cl;
};

enum { CTL_IP, CTL_NAME, DNS, WEB, API, STATUS };

/* What the probes measured, as the checklist's words expect it: answers with a
 * server date and a certificate, curl's errors naming the host. */
static const struct scene_profile PROFILE = {
	.dns_ms = 14, .connect_ms = 21, .tls_ms = 35, .ttfb_ms = 150, .transfer_ms = 4, .total_ms = 210,
	.median_ms = 210, .baseline_ms = 200,
	.dates = true,
	.dns_error = "Could not resolve host: chatgpt.com",
	.connect_error = "Failed to connect to chatgpt.com port 443",
	.tls_error = "SSL certificate problem: certificate is not yet valid",
	.unexpected_status = 302,
};

static struct diagnose_target *add(struct scene *sc, const char *name, enum target_kind kind,
				   enum target_role role, const char *host, enum outcome o)
{
	struct diagnose_target *t = &sc->t[sc->n];

	scene_target(t, &sc->s[sc->n], name, kind, role, host, NULL, o, &PROFILE);
	sc->n++;
	sc->in.n_targets = sc->n;
	return t;
}

static void set(struct scene *sc, int i, enum outcome o)
{
	scene_set(&sc->t[i], &sc->s[i], o, &PROFILE);
}

static void scene_init(struct scene *sc)
{
	struct diagnose_target *t;

	memset(sc, 0, sizeof(*sc));
	sc->in.service = "OpenAI";
	sc->in.targets = sc->t;
	sc->in.now = NOW;
	t = add(sc, "cloudflare-ip", TARGET_TCP, TARGET_ROLE_CONTROL, "1.1.1.1", OUTCOME_OK);
	sc->s[CTL_IP].total_ms = 12;
	sc->s[CTL_IP].server_date = 0;
	sc->s[CTL_IP].http_status = 0;
	t = add(sc, "example", TARGET_HTTP, TARGET_ROLE_CONTROL, "example.com", OUTCOME_OK);
	sc->s[CTL_NAME].total_ms = 40;
	t = add(sc, "api-dns", TARGET_DNS, TARGET_ROLE_SERVICE, "api.openai.com", OUTCOME_OK);
	sc->s[DNS].n_addr_v4 = 2;
	sc->s[DNS].server_date = 0;
	sc->s[DNS].http_status = 0;
	t->median_ms = 0;
	add(sc, "chatgpt", TARGET_HTTP, TARGET_ROLE_SERVICE, "chatgpt.com", OUTCOME_OK);
	t = add(sc, "api", TARGET_HTTP, TARGET_ROLE_SERVICE, "api.openai.com", OUTCOME_OK);
	t->api = true;
	add(sc, "status", TARGET_STATUSPAGE, TARGET_ROLE_SERVICE, "status.openai.com", OUTCOME_OK);

	sc->comps[0] = (struct diagnose_official_component){ "ChatGPT", ASSESS_OFFICIAL_OPERATIONAL };
	sc->in.official.configured = true;
	sc->in.official.have_status = true;
	sc->in.official.indicator = DIAGNOSE_IMPACT_NONE;
	sc->in.official.description = "All Systems Operational";
	sc->in.official.components = sc->comps;
	sc->in.official.n_components = 1;
	sc->in.official.incidents = sc->inc;
}

static const struct checklist_step *build(struct scene *sc, const char *id)
{
	const struct checklist_step *st;

	assert_int_equal(checklist_build(&sc->in, NULL, &sc->cl), 0);
	st = checklist_find(&sc->cl, id);
	if (!st)
		fail_msg("no step %s", id);
	return st;
}

#define expect(sc, id, res, fragment)                                                         \
	do {                                                                                  \
		const struct checklist_step *st_ = build(sc, id);                             \
		if (st_->result != (res) || !strstr(st_->detail, (fragment)))                 \
			fail_msg("%s: got %s \"%s\", want %s \"...%s...\"", id,               \
				 checklist_result_name(st_->result), st_->detail,             \
				 checklist_result_name(res), fragment);                       \
		/* whatever is not a pass or skip tells the person what to do */            \
		if ((res) == CHECKLIST_FAIL && !*st_->advice)                                 \
			fail_msg("%s: a failure with no advice", id);                         \
	} while (0)

static const char *advice(struct scene *sc, const char *id)
{
	return build(sc, id)->advice;
}

static void test_order_and_ids(void **state)
{
	static const char *const ids[] = {
		"internet", "dns", "tcp", "tls", "http", "api", "api_key", "rate_limit",
		"latency", "official", "proxy", "clock",
	};
	struct scene sc;

	scene_init(&sc);
	build(&sc, "internet");
	assert_int_equal(sc.cl.n, sizeof(ids) / sizeof(ids[0]));
	for (size_t i = 0; i < sc.cl.n; i++) {
		assert_string_equal(sc.cl.steps[i].id, ids[i]);
		assert_non_null(sc.cl.steps[i].title);
	}
	assert_null(checklist_find(&sc.cl, "nope"));
	assert_int_equal(checklist_build(NULL, NULL, &sc.cl), -EINVAL);
	assert_int_equal(checklist_build(&sc.in, NULL, NULL), -EINVAL);
	assert_string_equal(checklist_result_name(CHECKLIST_PENDING), "pending");
}

static void test_all_good(void **state)
{
	struct scene sc;

	scene_init(&sc);
	expect(&sc, "internet", CHECKLIST_PASS, "cloudflare-ip answers in 12 ms, example answers in 40 ms");
	expect(&sc, "dns", CHECKLIST_PASS, "api.openai.com -> 2 addresses in 14 ms");
	expect(&sc, "tcp", CHECKLIST_PASS, "chatgpt.com (104.18.32.47) connected in 21 ms");
	expect(&sc, "tls", CHECKLIST_PASS, "chatgpt.com: handshake 35 ms, certificate valid for 62 d");
	expect(&sc, "http", CHECKLIST_PASS, "chatgpt: HTTP 200 in 210 ms (HTTP/2)");
	expect(&sc, "api", CHECKLIST_PASS, "api: HTTP 200");
	expect(&sc, "api_key", CHECKLIST_SKIP, "no API key set");
	expect(&sc, "rate_limit", CHECKLIST_PASS, "no HTTP 429");
	expect(&sc, "latency", CHECKLIST_PASS, "chatgpt 210 ms, api 210 ms");
	expect(&sc, "official", CHECKLIST_PASS, "All Systems Operational");
	expect(&sc, "proxy", CHECKLIST_SKIP, "no proxy");
	expect(&sc, "clock", CHECKLIST_PASS, "within 0 s of");
	for (size_t i = 0; i < sc.cl.n; i++) {
		if (sc.cl.steps[i].result == CHECKLIST_PASS && *sc.cl.steps[i].advice)
			fail_msg("%s passes but gives advice", sc.cl.steps[i].id);
	}
}

static void test_no_network(void **state)
{
	struct scene sc;

	scene_init(&sc);
	for (int i = CTL_IP; i <= STATUS; i++)
		set(&sc, i, i == CTL_IP ? OUTCOME_CONNECT_FAIL : OUTCOME_DNS_FAIL);
	expect(&sc, "internet", CHECKLIST_FAIL, "cloudflare-ip: connection refused or unreachable");
	assert_non_null(strstr(advice(&sc, "internet"), "Wi-Fi"));
	expect(&sc, "dns", CHECKLIST_FAIL, "name does not resolve");
	assert_non_null(strstr(advice(&sc, "dns"), "fix the connection first"));
	expect(&sc, "tcp", CHECKLIST_SKIP, "not reached");
	expect(&sc, "tls", CHECKLIST_SKIP, "not reached");
	expect(&sc, "http", CHECKLIST_SKIP, "not reached");
	expect(&sc, "rate_limit", CHECKLIST_PENDING, "no HTTP answer yet");
}

/* A captive portal (or only DNS let out): the resolver answers, nothing outside
 * does. The verdict and the internet step say the same thing. */
static void test_captive_portal(void **state)
{
	struct scene sc;
	struct verdict v;

	scene_init(&sc);
	set(&sc, CTL_IP, OUTCOME_CONNECT_FAIL);
	set(&sc, CTL_NAME, OUTCOME_TLS_FAIL);
	set(&sc, WEB, OUTCOME_TLS_FAIL);
	set(&sc, API, OUTCOME_TLS_FAIL);
	set(&sc, STATUS, OUTCOME_TLS_FAIL);
	assert_int_equal(diagnose_verdict(&sc.in, &v), 0);
	assert_int_equal(v.state, VERDICT_LOCAL_PROBLEM);
	assert_int_equal(v.cause, VERDICT_CAUSE_NO_NETWORK);
	expect(&sc, "internet", CHECKLIST_FAIL, "example: TLS handshake or certificate failed");
	assert_non_null(strstr(advice(&sc, "internet"), "captive portal"));
	assert_non_null(strstr(v.summary, "captive portal"));
	expect(&sc, "dns", CHECKLIST_PASS, "api.openai.com");
	/* no step blames the service */
	for (size_t i = 0; i < sc.cl.n; i++)
		if (strstr(sc.cl.steps[i].advice, "the service itself is failing"))
			fail_msg("%s blames the service: %s", sc.cl.steps[i].id, sc.cl.steps[i].advice);

	/* the service times out at HTTP while everything else fails: still not the service's fault */
	set(&sc, WEB, OUTCOME_RECV_FAIL);
	sc.s[WEB].http_status = 0;
	expect(&sc, "http", CHECKLIST_FAIL, "chatgpt.com");
	assert_null(strstr(advice(&sc, "http"), "the service itself is failing"));
	assert_non_null(strstr(advice(&sc, "http"), "your side"));
}

static void test_clock_from_certificates(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, CTL_NAME, OUTCOME_TLS_FAIL);
	set(&sc, WEB, OUTCOME_TLS_FAIL);
	set(&sc, API, OUTCOME_TLS_FAIL);
	set(&sc, STATUS, OUTCOME_TLS_FAIL);
	for (int i = CTL_NAME; i <= STATUS; i++) {
		sc.s[i].cert_start = (time_t)(NOW + 3 * 365 * 86400.0);
		sc.s[i].server_date = 0;
		strcpy(sc.s[i].error, "SSL certificate problem: certificate is not yet valid");
	}
	/* a TCP connect and a name lookup see no certificate */
	sc.s[CTL_IP].cert_expiry = sc.s[DNS].cert_expiry = 0;
	/* the clock step is decided, not pending, and agrees with the TLS step */
	expect(&sc, "clock", CHECKLIST_FAIL, "the certificates of 4 sites are all not valid yet");
	assert_non_null(strstr(advice(&sc, "clock"), "NTP"));
	expect(&sc, "tls", CHECKLIST_FAIL, "not yet valid");
	assert_non_null(strstr(advice(&sc, "tls"), "your clock is off by"));
	/* the control that fails at TLS is the clock too, not a filtered network */
	expect(&sc, "internet", CHECKLIST_WARN, "example: TLS handshake or certificate failed");
	assert_non_null(strstr(advice(&sc, "internet"), "your clock"));
}

/* Under random loss one failure of a kind blames no name: the steps say the link is lossy. */
static void test_lossy(void **state)
{
	struct scene sc;
	struct verdict v;

	scene_init(&sc);
	set(&sc, API, OUTCOME_DNS_FAIL);
	sc.t[API].recent[0] = (struct diagnose_recent){ OUTCOME_DNS_FAIL, false };
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	sc.t[API].n_recent = 2;
	assert_int_equal(diagnose_verdict(&sc.in, &v), 0);
	assert_int_equal(v.cause, VERDICT_CAUSE_LOSSY);
	expect(&sc, "dns", CHECKLIST_FAIL, "api.openai.com: name does not resolve");
	assert_non_null(strstr(advice(&sc, "dns"), "lossy or slow link"));
	/* a control that lost an answer says the same */
	set(&sc, CTL_NAME, OUTCOME_TIMEOUT);
	expect(&sc, "internet", CHECKLIST_WARN, "example: no answer in time");
	assert_non_null(strstr(advice(&sc, "internet"), "lossy or slow link"));
	set(&sc, CTL_NAME, OUTCOME_OK);
	assert_null(strstr(advice(&sc, "dns"), "while other names do"));

	set(&sc, API, OUTCOME_TIMEOUT);
	sc.s[API].connect_ms = sc.s[API].tls_ms = sc.s[API].ttfb_ms = -1;
	sc.s[API].http_status = 0;
	sc.s[API].reused = false;
	sc.t[API].recent[0] = (struct diagnose_recent){ OUTCOME_TIMEOUT, false };
	sc.t[API].recent[1] = (struct diagnose_recent){ OUTCOME_DNS_FAIL, false };
	expect(&sc, "tcp", CHECKLIST_FAIL, "api.openai.com");
	assert_non_null(strstr(advice(&sc, "tcp"), "lossy or slow link"));
}

static void test_dns(void **state)
{
	struct scene sc;

	/* only the service's name fails */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_DNS_FAIL);
	expect(&sc, "dns", CHECKLIST_FAIL, "chatgpt.com: name does not resolve (Could not resolve host");
	assert_non_null(strstr(advice(&sc, "dns"), "flush the DNS cache"));
	expect(&sc, "tcp", CHECKLIST_PASS, "api.openai.com");

	/* every name fails, the IP control answers */
	scene_init(&sc);
	for (int i = CTL_NAME; i <= STATUS; i++)
		set(&sc, i, OUTCOME_DNS_FAIL);
	expect(&sc, "internet", CHECKLIST_WARN, "cloudflare-ip answers");
	expect(&sc, "dns", CHECKLIST_FAIL, "name does not resolve");
	assert_non_null(strstr(advice(&sc, "dns"), "resolver does not answer"));

	/* a slow resolver */
	scene_init(&sc);
	sc.s[DNS].dns_ms = 2400;
	expect(&sc, "dns", CHECKLIST_WARN, "in 2.4 s");
	assert_non_null(strstr(advice(&sc, "dns"), "slow"));

	/* IPv4 and IPv6 answers */
	scene_init(&sc);
	sc.s[DNS].n_addr_v6 = 2;
	expect(&sc, "dns", CHECKLIST_PASS, "api.openai.com -> 2 IPv4 + 2 IPv6 addresses in 14 ms");
}

static void test_tcp(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	set(&sc, API, OUTCOME_CONNECT_FAIL);
	expect(&sc, "tcp", CHECKLIST_FAIL, "chatgpt.com: connection refused or unreachable");
	assert_non_null(strstr(advice(&sc, "tcp"), "something blocks chatgpt.com"));
	expect(&sc, "tls", CHECKLIST_SKIP, "not reached");
	expect(&sc, "dns", CHECKLIST_PASS, "api.openai.com");

	/* the service answers, but the IPv6 path is broken */
	scene_init(&sc);
	sc.t[WEB].v4 = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 2 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 2, 0 };
	expect(&sc, "tcp", CHECKLIST_WARN, "chatgpt.com: IPv6 path fails, IPv4 works");
	assert_non_null(strstr(advice(&sc, "tcp"), "IPv6"));
	/* behind a proxy the families were compared directly: said so */
	sc.in.env.https_proxy = "http://proxy.corp:3128";
	expect(&sc, "tcp", CHECKLIST_WARN, "IPv6 path fails, IPv4 works (compared directly, not through the proxy)");
	sc.in.env.https_proxy = NULL;
	/* one lost IPv6 probe is no broken route */
	sc.t[WEB].v6 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 2, 1 };
	expect(&sc, "tcp", CHECKLIST_PASS, "connected");
	sc.t[WEB].v4 = (struct diagnose_path){ true, true, OUTCOME_OK, 0, 0 };
	sc.t[WEB].v6 = (struct diagnose_path){ true, false, OUTCOME_TIMEOUT, 0, 0 };
	expect(&sc, "tcp", CHECKLIST_PASS, "connected");

	/* one failure, not confirmed yet */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	sc.t[WEB].state = ASSESS_CONFIRMING;
	sc.t[WEB].settled = ASSESS_UP;
	expect(&sc, "tcp", CHECKLIST_WARN, "probing again to confirm");
}

static void test_tls(void **state)
{
	struct scene sc;

	/* interception: no clock problem */
	scene_init(&sc);
	set(&sc, API, OUTCOME_TLS_FAIL);
	expect(&sc, "tls", CHECKLIST_FAIL, "api.openai.com: TLS handshake or certificate failed (SSL certificate problem");
	assert_non_null(strstr(advice(&sc, "tls"), "intercept"));
	expect(&sc, "clock", CHECKLIST_PASS, "within");

	/* an expired certificate, known only from the verifier's words */
	strcpy(sc.s[API].error, "SSL certificate problem: certificate has expired");
	expect(&sc, "tls", CHECKLIST_FAIL, "certificate has expired");
	assert_non_null(strstr(advice(&sc, "tls"), "has expired: nothing to fix on your side"));
	strcpy(sc.s[API].error, "SSL certificate problem: certificate is not yet valid");

	/* the clock is two hours behind the servers */
	for (int i = CTL_IP; i <= STATUS; i++) {
		if (sc.s[i].server_date)
			sc.s[i].server_date += 7200;
	}
	expect(&sc, "tls", CHECKLIST_FAIL, "api.openai.com");
	assert_non_null(strstr(advice(&sc, "tls"), "your clock is off by 2 h"));
	expect(&sc, "clock", CHECKLIST_FAIL, "your clock is 2 h behind");
	assert_non_null(strstr(advice(&sc, "clock"), "NTP"));

	/* two minutes off: worth a warning, not a failure */
	for (int i = CTL_IP; i <= STATUS; i++) {
		if (sc.s[i].server_date)
			sc.s[i].server_date -= 7200 + 120;
	}
	expect(&sc, "clock", CHECKLIST_WARN, "your clock is 2 min ahead of");

	/* a certificate about to expire */
	scene_init(&sc);
	sc.s[WEB].cert_expiry = (time_t)(sc.s[WEB].t + 3 * 86400);
	expect(&sc, "tls", CHECKLIST_WARN, "certificate valid for 3 d");

	/* only reused connections: nothing to judge */
	scene_init(&sc);
	for (int i = WEB; i <= API; i++) {
		sc.s[i].reused = true;
		sc.s[i].dns_ms = sc.s[i].connect_ms = sc.s[i].tls_ms = -1;
		sc.s[i].cert_expiry = 0;
	}
	expect(&sc, "tls", CHECKLIST_SKIP, "no TLS handshake seen");
	expect(&sc, "tcp", CHECKLIST_PASS, "connection reused");
}

/* TCP connects, the TLS handshake gets no answer (a filter by server name):
 * the TLS step fails, the TCP step passes with the connect time. */
static void test_tls_stall(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_TIMEOUT);
	sc.s[WEB].tls_ms = sc.s[WEB].ttfb_ms = sc.s[WEB].transfer_ms = -1;
	sc.s[WEB].http_status = 0;
	sc.s[WEB].server_date = 0;
	sc.s[WEB].cert_expiry = 0;
	sc.s[WEB].total_ms = 4000;
	sc.s[WEB].tls_stalled = true;
	/* the API target passes TCP too; keep it out so the step speaks of chatgpt */
	set(&sc, API, OUTCOME_DNS_FAIL);
	expect(&sc, "tcp", CHECKLIST_PASS, "chatgpt.com (104.18.32.47) connected in 21 ms");
	expect(&sc, "tls", CHECKLIST_FAIL, "chatgpt.com: the handshake got no answer in 4.0 s (TCP connected)");
	assert_non_null(strstr(advice(&sc, "tls"), "blocks by name"));
	assert_null(strstr(advice(&sc, "tls"), "certificate"));
	expect(&sc, "http", CHECKLIST_SKIP, "the TLS handshake got no answer");

	/* not confirmed yet: a warning that says so */
	sc.t[WEB].state = ASSESS_CONFIRMING;
	sc.t[WEB].settled = ASSESS_UP;
	expect(&sc, "tls", CHECKLIST_WARN, "the handshake got no answer in 4.0 s (TCP connected); probing again");

	/* the connect time unknown: TCP still passes, without a time */
	sc.t[WEB].state = sc.t[WEB].settled = ASSESS_DOWN;
	sc.s[WEB].connect_ms = -1;
	expect(&sc, "tcp", CHECKLIST_PASS, "chatgpt.com (104.18.32.47) connected");
	expect(&sc, "tls", CHECKLIST_FAIL, "the handshake got no answer");

	/* the same timeout without a TCP connection is TCP's */
	sc.s[WEB].tls_stalled = false;
	expect(&sc, "tcp", CHECKLIST_FAIL, "chatgpt.com: no answer in time");
	expect(&sc, "tls", CHECKLIST_SKIP, "not reached");
}

static void test_http_and_api(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	expect(&sc, "http", CHECKLIST_FAIL, "chatgpt.com: service unavailable, HTTP 503");
	assert_non_null(strstr(advice(&sc, "http"), "nothing to fix on your side"));
	expect(&sc, "api", CHECKLIST_PASS, "api: HTTP 200");
	expect(&sc, "tls", CHECKLIST_PASS, "handshake");

	/* a bot challenge is reachable */
	set(&sc, WEB, OUTCOME_CHALLENGED);
	expect(&sc, "http", CHECKLIST_PASS, "reachable, answers with a bot challenge (HTTP 403)");

	/* a redirect where a page was expected: maybe a captive portal */
	set(&sc, WEB, OUTCOME_HTTP_UNEXPECTED);
	expect(&sc, "http", CHECKLIST_FAIL, "unexpected redirect, HTTP 302");
	assert_non_null(strstr(advice(&sc, "http"), "captive portal"));

	/* 401 without a key is the API answering */
	scene_init(&sc);
	sc.s[API].http_status = 401;
	sc.s[API].http_version = 11;
	expect(&sc, "api", CHECKLIST_PASS, "api: HTTP 401 without a key");
	sc.t[API].api = false;
	expect(&sc, "api", CHECKLIST_SKIP, "no API target");
	sc.s[WEB].http_version = 11;
	expect(&sc, "http", CHECKLIST_PASS, "chatgpt: HTTP 200 in 210 ms (HTTP/1.1)");
}

static void test_api_key(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.t[API].key_configured = true;
	/* configured, but the probe kept it off a plain http URL */
	expect(&sc, "api_key", CHECKLIST_WARN, "api: the key is not sent over plain http");
	assert_non_null(strstr(advice(&sc, "api_key"), "https"));
	sc.s[API].key_sent = true;
	expect(&sc, "api_key", CHECKLIST_PASS, "api: key accepted (HTTP 200)");
	set(&sc, API, OUTCOME_AUTH_REJECTED);
	sc.s[API].key_sent = true;
	expect(&sc, "api_key", CHECKLIST_FAIL, "api: HTTP 401, the key was rejected");
	assert_non_null(strstr(advice(&sc, "api_key"), "revoked"));
	expect(&sc, "api", CHECKLIST_PASS, "HTTP 401");
	set(&sc, API, OUTCOME_CONNECT_FAIL);
	expect(&sc, "api_key", CHECKLIST_SKIP, "not reached");
	sc.t[API].last = NULL;
	expect(&sc, "api_key", CHECKLIST_PENDING, "no result yet");
}

static void test_rate_limit(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, API, OUTCOME_RATE_LIMITED);
	sc.s[API].retry_after_s = 20;
	expect(&sc, "rate_limit", CHECKLIST_WARN, "api: HTTP 429, retry after 20 s");
	assert_non_null(strstr(advice(&sc, "rate_limit"), "wait"));
	sc.t[API].key_configured = true;
	sc.s[API].key_sent = true;
	expect(&sc, "api_key", CHECKLIST_PASS, "key accepted");
}

static void test_latency(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.t[WEB].state = ASSESS_DEGRADED;
	sc.t[WEB].median_ms = 1800;
	sc.t[WEB].baseline_ms = 300;
	expect(&sc, "latency", CHECKLIST_WARN, "chatgpt: 1.8 s, usually 300 ms (limit 900 ms)");

	/* over the target's own threshold, before assess has caught up */
	scene_init(&sc);
	sc.t[API].slow_ms = 150;
	expect(&sc, "latency", CHECKLIST_WARN, "api: 210 ms, usually 200 ms (limit 150 ms)");

	scene_init(&sc);
	for (size_t i = 0; i < sc.n; i++)
		sc.t[i].median_ms = 0;
	expect(&sc, "latency", CHECKLIST_PENDING, "no latency figures yet");
}

static void test_official(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.inc[0] = (struct diagnose_incident){ "Elevated error rates", DIAGNOSE_IMPACT_MAJOR, NOW - 300, NULL, 0 };
	sc.in.official.n_incidents = 1;
	expect(&sc, "official", CHECKLIST_FAIL, "Elevated error rates (major)");
	sc.inc[0].impact = DIAGNOSE_IMPACT_MINOR;
	expect(&sc, "official", CHECKLIST_WARN, "Elevated error rates (minor)");

	/* green while our probes fail: the page lags */
	scene_init(&sc);
	set(&sc, WEB, OUTCOME_HTTP_5XX);
	set(&sc, API, OUTCOME_HTTP_5XX);
	expect(&sc, "official", CHECKLIST_PASS, "All Systems Operational, though our probes fail");
	assert_non_null(strstr(advice(&sc, "official"), "lag"));

	scene_init(&sc);
	sc.in.official.fetch_error = "HTTP 503";
	expect(&sc, "official", CHECKLIST_WARN, "(stale: HTTP 503)");
	sc.in.official.have_status = false;
	expect(&sc, "official", CHECKLIST_WARN, "not read: HTTP 503");
	sc.in.official.fetch_error = NULL;
	expect(&sc, "official", CHECKLIST_PENDING, "not read yet");
	sc.in.official.configured = false;
	expect(&sc, "official", CHECKLIST_SKIP, "no status page configured");
}

static void test_proxy(void **state)
{
	struct scene sc;

	scene_init(&sc);
	sc.in.env.https_proxy = "http://bob:hunter2@proxy.corp:3128";
	expect(&sc, "proxy", CHECKLIST_PASS, "chatgpt answers through proxy.corp:3128");

	set(&sc, WEB, OUTCOME_PROXY_FAIL);
	set(&sc, API, OUTCOME_PROXY_FAIL);
	expect(&sc, "proxy", CHECKLIST_FAIL, "chatgpt fails at the proxy proxy.corp:3128");
	for (size_t i = 0; i < sc.cl.n; i++) {
		assert_null(strstr(sc.cl.steps[i].detail, "hunter2"));
		assert_null(strstr(sc.cl.steps[i].detail, "bob"));
	}

	/* the differential probe: direct works */
	scene_init(&sc);
	sc.in.env.ALL_PROXY = "socks5h://127.0.0.1:9050";
	set(&sc, API, OUTCOME_HTTP_5XX);
	sc.t[API].direct = (struct diagnose_path){ true, true, OUTCOME_OK, 2, 2 };
	sc.t[API].proxy = (struct diagnose_path){ true, false, OUTCOME_HTTP_5XX, 2, 0 };
	expect(&sc, "proxy", CHECKLIST_FAIL, "api works directly but fails through 127.0.0.1:9050");

	/* no_proxy exempts the service */
	scene_init(&sc);
	sc.in.env.HTTPS_PROXY = "http://proxy.corp:3128";
	sc.in.env.no_proxy = "localhost, .openai.com,chatgpt.com";
	expect(&sc, "proxy", CHECKLIST_PASS, "no_proxy exempts");
	sc.in.env.no_proxy = "*";
	expect(&sc, "proxy", CHECKLIST_PASS, "no_proxy exempts");
	sc.in.env.no_proxy = "notopenai.com";
	expect(&sc, "proxy", CHECKLIST_PASS, "answers through proxy.corp:3128");

	/* the proxy refuses the tunnel: its failure, never "the service itself" */
	scene_init(&sc);
	sc.in.env.https_proxy = "http://proxy.corp:3128";
	set(&sc, WEB, OUTCOME_PROXY_FAIL);
	sc.s[WEB].proxy_status = 403;
	strcpy(sc.s[WEB].error, "the proxy refused the tunnel (HTTP 403)");
	expect(&sc, "proxy", CHECKLIST_FAIL, "chatgpt fails at the proxy proxy.corp:3128: it refuses the tunnel (HTTP 403)");
	expect(&sc, "tcp", CHECKLIST_FAIL, "the proxy refused the tunnel (HTTP 403)");
	assert_non_null(strstr(advice(&sc, "tcp"), "the proxy is down or refuses chatgpt.com"));
	for (size_t i = 0; i < sc.cl.n; i++)
		if (strstr(sc.cl.steps[i].advice, "the service itself is failing"))
			fail_msg("%s blames the service: %s", sc.cl.steps[i].id, sc.cl.steps[i].advice);
}

static void test_nothing_yet(void **state)
{
	struct scene sc;

	scene_init(&sc);
	for (size_t i = 0; i < sc.n; i++) {
		sc.t[i].last = NULL;
		sc.t[i].state = sc.t[i].settled = ASSESS_UNKNOWN;
		sc.t[i].median_ms = 0;
	}
	sc.in.official.have_status = false;
	build(&sc, "internet");
	for (size_t i = 0; i < sc.cl.n; i++) {
		const struct checklist_step *st = &sc.cl.steps[i];

		if (strcmp(st->id, "api_key") == 0 || strcmp(st->id, "proxy") == 0)
			assert_int_equal(st->result, CHECKLIST_SKIP);
		else if (st->result != CHECKLIST_PENDING)
			fail_msg("%s: %s, want pending", st->id, checklist_result_name(st->result));
	}

	/* no control targets at all */
	scene_init(&sc);
	sc.t[CTL_IP].role = sc.t[CTL_NAME].role = TARGET_ROLE_SERVICE;
	sc.t[CTL_IP].kind = sc.t[CTL_NAME].kind = TARGET_STATUSPAGE;
	expect(&sc, "internet", CHECKLIST_PASS, "(no control targets)");
	for (size_t i = 0; i < sc.n; i++)
		sc.t[i].state = ASSESS_UNKNOWN;
	expect(&sc, "internet", CHECKLIST_SKIP, "no control targets configured");
	assert_non_null(strstr(advice(&sc, "internet"), "control targets"));
}

static void test_untrusted_text(void **state)
{
	struct scene sc;

	scene_init(&sc);
	set(&sc, WEB, OUTCOME_CONNECT_FAIL);
	strcpy(sc.s[WEB].error, "refused\x1b[2J\r\nby peer");
	sc.in.official.fetch_error = "bad\x1b]0;x\x07";
	build(&sc, "internet");
	for (size_t i = 0; i < sc.cl.n; i++) {
		assert_null(strchr(sc.cl.steps[i].detail, 0x1b));
		assert_null(strchr(sc.cl.steps[i].detail, '\n'));
		assert_null(strchr(sc.cl.steps[i].detail, '\a'));
	}
	expect(&sc, "tcp", CHECKLIST_FAIL, "refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_ids),
		cmocka_unit_test(test_all_good),
		cmocka_unit_test(test_no_network),
		cmocka_unit_test(test_captive_portal),
		cmocka_unit_test(test_lossy),
		cmocka_unit_test(test_clock_from_certificates),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_tls_stall),
		cmocka_unit_test(test_http_and_api),
		cmocka_unit_test(test_api_key),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_official),
		cmocka_unit_test(test_proxy),
		cmocka_unit_test(test_nothing_yet),
		cmocka_unit_test(test_untrusted_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
