"""The scenarios of the network world: each builds a World, breaks it the way a
user's network breaks, runs isitdown inside it and says what a person would
accept as the verdict.

A scenario is a function decorated with @scenario; it gets a fresh World and
returns nothing, raising Failed (through expect()) when isitdown got it wrong.
`issue` names the defect of issue 13 the scenario proves fixed (those fail
until the fix is in).
"""

import json
import time

import world as W

SCENARIOS = []

OPENAI_KEY = "sk-world-FAKE0123456789abcdefghijkl"

# causes that blame one name, one address family, the proxy, a certificate
# or the user's key: a lossy or slow link proves none of them
SPECIFIC_BLAME = {"dns_service", "ipv4_broken", "ipv6_broken", "proxy_broken", "tls_error", "clock_skew",
                  "auth_rejected"}
OUTAGE = {"partial_outage", "major_outage"}


class Failed(AssertionError):
    pass


def scenario(name, ipv6=False, issue=None, slow=False, random=False):
    """Registers a scenario.  ipv6: names also resolve to ::1 and nginx
    listens there; issue: the defect of issue 13 it proves fixed; slow: it
    waits for timeouts (run first, so the suite ends sooner); random: its
    faults are random (packet loss), so it gets a second try, and a first
    failure is still printed (the diagnosis blamed a name or a family on
    chance: a known weakness, not the test's)."""
    def register(fn):
        SCENARIOS.append({"name": name, "fn": fn, "ipv6": ipv6, "issue": issue, "slow": slow, "random": random,
                          "doc": (fn.__doc__ or "").strip().split("\n")[0]})
        return fn
    return register


# ------------------------------------------------------------------ the sites

WEB_PAGE = "<!doctype html><html><head><title>ChatGPT</title></head><body>ChatGPT</body></html>"
API_401 = W.STATUSPAGES + "/openai-api-401-no-api-key-body-2023.json"
OPENAI_PAGE = "openai-incidentio-v2-summary-operational-no-incidents-key-2026-09-24.json"


def controls(w, variant="valid"):
    """The two controls of every preset: a TCP connect to an IP literal and a
    well-known name over HTTPS (generate_204)."""
    w.site(W.CONTROL_IP, {"/": W.Route(body="ok")}, variant)
    w.site("www.google.com", {"/generate_204": W.Route(status=204)}, variant)


def openai_sites(w, web=None, api=None, page=None, variants=None):
    """chatgpt.com, api.openai.com (401 without a key, as the real one: the
    captured body; 200 with OPENAI_KEY) and status.openai.com (the captured
    incident.io page), each replaceable."""
    v = variants or {}
    controls(w, v.get("controls", "valid"))
    w.site("chatgpt.com", {"/": web or W.Route(body=WEB_PAGE)}, v.get("chatgpt.com", "valid"))
    w.site("api.openai.com", {"/v1/models": api or W.Route(status=401, file=API_401, ctype="application/json",
                                                           key_ok=OPENAI_KEY)},
           v.get("api.openai.com", "valid"))
    w.site("status.openai.com", {"/api/v2/summary.json": page or W.statuspage(OPENAI_PAGE)},
           v.get("status.openai.com", "valid"))


def control_targets():
    return [
        {"name": "control-ip", "kind": "tcp", "host": W.CONTROL_IP, "port": 443, "role": "control"},
        {"name": "control-name", "kind": "http", "method": "HEAD", "url": "https://www.google.com/generate_204",
         "expect_status": [204, 200], "role": "control"},
    ]


def openai_config(w, timeout_s=3, api_url="https://api.openai.com/v1/models", extra=None):
    """The openai preset (core/presets.c) with the controls inside the world."""
    cfg = {"service": "OpenAI", "interval_s": 10, "timeout_s": timeout_s, "ca_file": w.suite.pki.ca_file,
           "targets": control_targets() + [
               {"name": "dns-chatgpt", "kind": "dns", "host": "chatgpt.com", "component": "ChatGPT"},
               {"name": "dns-api", "kind": "dns", "host": "api.openai.com", "component": "API"},
               {"name": "chatgpt-web", "kind": "http", "url": "https://chatgpt.com/", "component": "ChatGPT",
                "expect_status": [200, 403]},
               {"name": "api", "kind": "http", "url": api_url, "component": "API",
                "headers": {"Authorization": "Bearer ${OPENAI_API_KEY}"},
                "expect_status": [200, 401], "expect_status_with_key": [200], "differential": True},
               {"name": "status-page", "kind": "statuspage",
                "url": "https://status.openai.com/api/v2/summary.json"},
           ]}
    cfg.update(extra or {})
    return cfg


def standard_openai(w, **kw):
    """DNS, every site as the real ones, nginx: the world where all is well."""
    w.start_dns()
    openai_sites(w, **kw)
    w.start_nginx()


# ------------------------------------------------------------------ checking

class Run:
    """One isitdown run: exit status, the --once --json document, stderr."""

    def __init__(self, rc, out, err):
        self.rc = rc
        self.err = err
        self.out = out
        try:
            self.doc = json.loads(out)
        except ValueError:
            raise Failed("stdout is not JSON (exit %d): %r; stderr: %s" % (rc, out[:300], err[-300:]))
        self.verdict = self.doc["verdict"]
        self.state = self.verdict["state"]
        self.cause = self.verdict["cause"]
        self.summary = self.verdict["summary"]
        self.steps = {s["id"]: s for s in self.doc["checklist"]}
        self.targets = {t["name"]: t for t in self.doc["targets"]}

    def got(self):
        return "%s/%s (exit %d): %s" % (self.state, self.cause, self.rc, self.summary)

    def step_text(self, sid):
        s = self.steps.get(sid) or {}
        return "%s %s %s" % (s.get("result"), s.get("detail"), s.get("advice"))


def once(w, cfg, env=None, faketime=None, timeout=90):
    rc, out, err = w.run_isitdown(cfg, env=env, faketime=faketime, timeout=timeout)
    r = Run(rc, out, err)
    w.runs.append(r)
    return r


def check(cond, msg, run=None):
    if not cond:
        raise Failed(msg + ("; got " + run.got() if run else ""))


def expect(run, state=None, cause=None, step=None, not_cause=None, exit_code=None):
    """state, cause: a value or a set of values a person would accept; step:
    (id, result or set of results) of the checklist step that should show
    it; not_cause: causes that would be wrong.  The exit status must always
    be the one the verdict promises."""
    def one_of(v):
        return {v} if isinstance(v, str) else set(v)

    check(run.rc == run.verdict["exit_code"], "exit status %d differs from the verdict's %d"
          % (run.rc, run.verdict["exit_code"]), run)
    if state is not None:
        check(run.state in one_of(state), "state should be %s" % "/".join(sorted(one_of(state))), run)
    if cause is not None:
        check(run.cause in one_of(cause), "cause should be %s" % "/".join(sorted(one_of(cause))), run)
    if not_cause is not None:
        check(run.cause not in not_cause, "cause must not be %s" % run.cause, run)
    if exit_code is not None:
        check(run.rc in ({exit_code} if isinstance(exit_code, int) else set(exit_code)),
              "exit status should be %s" % (exit_code,), run)
    if step is not None:
        sid, results = step
        check(sid in run.steps, "no checklist step %s" % sid, run)
        check(run.steps[sid]["result"] in one_of(results), "checklist step %s should be %s, is %s"
              % (sid, "/".join(sorted(one_of(results))), run.step_text(sid)), run)


def mentions(text, *words):
    t = (text or "").lower()
    return all(x.lower() in t for x in words)


# ------------------------------------------------------------------ scenarios

@scenario("all_good")
def all_good(w):
    """every host answers as the real ones do: operational, exit 0"""
    standard_openai(w)
    r = once(w, openai_config(w))
    expect(r, state="operational", cause="ok", exit_code=0, step=("internet", "pass"))
    for sid in ("dns", "tls", "http", "api", "official"):
        expect(r, step=(sid, "pass"))
    check(r.targets["api"]["http_status"] == 401, "the API answered 401 without a key", r)


@scenario("no_network", slow=True)
def no_network(w):
    """lo down: nothing at all answers, the resolver neither: no_network"""
    standard_openai(w)
    w.link_down()
    r = once(w, openai_config(w))
    expect(r, state="local_problem", cause="no_network", exit_code=3, step=("internet", "fail"))


@scenario("resolver_down")
def resolver_down(w):
    """no resolver listens (queries refused at once) while the network works: dns_all"""
    openai_sites(w)
    w.start_nginx()
    r = once(w, openai_config(w))
    expect(r, state="local_problem", cause="dns_all", exit_code=3, step=("dns", "fail"))
    check(r.targets["control-ip"]["ok"], "the IP control answers without DNS", r)


@scenario("resolver_drops_queries", slow=True)
def resolver_drops_queries(w):
    """the resolver's packets are dropped (queries time out): dns_all"""
    standard_openai(w)
    w.nft("table inet fault {\n chain out {\n  type filter hook output priority 0;\n"
          "  ip daddr %s meta l4proto { udp, tcp } th dport 53 drop\n }\n}\n" % W.RESOLVER)
    r = once(w, openai_config(w))
    expect(r, state="local_problem", cause="dns_all", exit_code=3, step=("dns", "fail"))


SERVICE_NAMES = ("chatgpt.com", "api.openai.com", "status.openai.com")


@scenario("service_nxdomain")
def service_nxdomain(w):
    """the resolver answers NXDOMAIN for the service's names only: dns_service"""
    w.start_dns(nxdomain=SERVICE_NAMES)
    openai_sites(w)
    w.start_nginx()
    r = once(w, openai_config(w))
    expect(r, cause="dns_service", state={"local_problem"} | OUTAGE, step=("dns", "fail"))
    check(mentions(r.summary, "resolve"), "the summary says which name does not resolve", r)


@scenario("service_servfail")
def service_servfail(w):
    """the service's zone fails DNSSEC validation (SERVFAIL), other names resolve: dns_service"""
    w.start_dns(servfail=SERVICE_NAMES)
    openai_sites(w)
    w.start_nginx()
    r = once(w, openai_config(w))
    expect(r, cause="dns_service", state={"local_problem"} | OUTAGE, step=("dns", "fail"))


@scenario("service_blackholed", slow=True)
def service_blackholed(w):
    """every packet to the service's addresses (status page too) is dropped, controls answer: unreachable"""
    standard_openai(w)
    w.drop_to([W.HOSTS[n] for n in SERVICE_NAMES])
    r = once(w, openai_config(w))
    expect(r, state=OUTAGE, cause="unreachable", exit_code=2, step=("tcp", "fail"))
    check(mentions(r.summary, "other sites work"), "the summary says other sites work", r)


@scenario("service_blocked_page_green", slow=True)
def service_blocked_page_green(w):
    """chatgpt.com and the API are dropped, their status page says all is well: blocked on our side"""
    standard_openai(w)
    w.drop_to([W.HOSTS["chatgpt.com"], W.HOSTS["api.openai.com"]])
    r = once(w, openai_config(w))
    expect(r, state="local_problem", cause="unreachable", exit_code=3, step=("tcp", "fail"))


@scenario("service_resets")
def service_resets(w):
    """connections to the service are reset (a firewall's reject), controls answer: unreachable"""
    standard_openai(w)
    w.drop_to([W.HOSTS["chatgpt.com"], W.HOSTS["api.openai.com"]], reset=True)
    r = once(w, openai_config(w))
    expect(r, cause="unreachable", state={"local_problem"} | OUTAGE, step=("tcp", "fail"))
    check(r.targets["api"]["outcome"] == "connect_fail", "a reset is a refused connection", r)


def lossy_verdict(r):
    """What a person accepts on a lossy link: anything but a specific culprit
    (DNS failing everywhere is the link too, so dns_all is accepted)."""
    expect(r, not_cause=SPECIFIC_BLAME)
    for sid in ("tcp", "dns"):
        check(not mentions(r.steps.get(sid, {}).get("advice"), "IPv6 route"),
              "random loss is not a broken IPv6 route: " + r.step_text(sid), r)


@scenario("loss_everywhere", ipv6=True, slow=True, random=True,
          issue="one probe is not enough to blame a name or a family")
def loss_everywhere(w):
    """30 % of all packets lost (DNS, controls, service): no specific name, family or path is blamed"""
    standard_openai(w)
    w.loss(30)
    lossy_verdict(once(w, openai_config(w, timeout_s=6)))


@scenario("loss_service", ipv6=True, slow=True, random=True)
def loss_service(w):
    """30 % of the packets to the service lost: no name or family is blamed"""
    standard_openai(w)
    w.loss(30, [W.HOSTS[n] for n in SERVICE_NAMES])
    lossy_verdict(once(w, openai_config(w, timeout_s=6)))


@scenario("interception")
def interception(w):
    """every TLS answer is signed by an untrusted inspection CA: tls_error, local"""
    w.start_dns()
    openai_sites(w, variants={n: "inspection" for n in SERVICE_NAMES + ("controls",)})
    w.start_nginx()
    r = once(w, openai_config(w))
    expect(r, state="local_problem", cause="tls_error", exit_code=3, step=("tls", "fail"))
    check(mentions(r.step_text("tls"), "proxy") or mentions(r.summary, "interception"),
          "the words name interception or a proxy: " + r.step_text("tls"), r)


@scenario("expired_certificate")
def expired_certificate(w):
    """api.openai.com's certificate expired 2 days ago, the rest is valid: their outage"""
    standard_openai(w, variants={"api.openai.com": "expired"})
    r = once(w, openai_config(w))
    expect(r, state=OUTAGE, cause="tls_error", exit_code=2, step=("tls", "fail"))
    check(mentions(r.summary, "expired"), "the summary says the certificate expired", r)


@scenario("certificate_expiring_soon")
def certificate_expiring_soon(w):
    """chatgpt.com's certificate expires in 20 hours: all works, the TLS step warns (theirs to renew)"""
    standard_openai(w, variants={"chatgpt.com": "expiring_soon"})
    r = once(w, openai_config(w))
    expect(r, state="operational", cause="ok", exit_code=0, step=("tls", "warn"))
    check(mentions(r.step_text("tls"), "expires"), "the TLS step says it expires: " + r.step_text("tls"), r)


@scenario("clock_days_ahead")
def clock_days_ahead(w):
    """our clock 3 days ahead, certificates still valid: the service works, the clock step says ahead"""
    standard_openai(w)
    r = once(w, openai_config(w), faketime="+3d")
    expect(r, state="operational", exit_code=0, step=("clock", {"warn", "fail"}))
    check(mentions(r.step_text("clock"), "ahead"), "the clock step says ahead: " + r.step_text("clock"), r)
    skew = r.verdict["clock_skew_s"]
    check(skew is not None and -3.2 * 86400 < skew < -2.8 * 86400, "clock_skew_s about -3 days: %r" % skew, r)


@scenario("clock_ahead_cert_expiring")
def clock_ahead_cert_expiring(w):
    """clock 3 days ahead and chatgpt.com's certificate expires tomorrow: clock_skew, not their outage"""
    standard_openai(w, variants={"chatgpt.com": "expiring_soon"})
    r = once(w, openai_config(w), faketime="+3d")
    expect(r, state="local_problem", cause="clock_skew", exit_code=3, step=("clock", "fail"))


@scenario("clock_years_behind", issue="clock years behind blames interception")
def clock_years_behind(w):
    """our clock 3 years behind: every certificate is not yet valid: clock_skew, not interception"""
    standard_openai(w)
    r = once(w, openai_config(w), faketime="-3y")
    expect(r, state="local_problem", cause="clock_skew", exit_code=3, step=("clock", "fail"))


@scenario("ipv6_syn_dropped", ipv6=True)
def ipv6_syn_dropped(w):
    """IPv6 connections dropped, IPv4 fine: the service works over IPv4 and the IPv6 path is named"""
    standard_openai(w)
    w.nft("table inet fault {\n chain out {\n  type filter hook output priority 0;\n"
          "  meta nfproto ipv6 tcp flags syn drop\n }\n}\n")
    r = once(w, openai_config(w))
    expect(r, state={"operational", "local_problem"}, cause={"ok", "ipv6_broken"})
    paths = r.targets["api"]["paths"]
    check(paths["ipv4"]["ok"] and not paths["ipv6"]["ok"], "the API answers over IPv4, not IPv6: %s" % paths, r)
    check(mentions(r.step_text("tcp"), "ipv6"), "the tcp step names IPv6: " + r.step_text("tcp"), r)


@scenario("ipv6_large_packets_dropped", ipv6=True, slow=True)
def ipv6_large_packets_dropped(w):
    """IPv6 packets over 1280 bytes dropped (a path-MTU black hole): handshakes stall over IPv6: ipv6_broken"""
    standard_openai(w)
    w.nft("table inet fault {\n chain out {\n  type filter hook output priority 0;\n"
          "  meta nfproto ipv6 meta length > 1280 drop\n }\n}\n")
    r = once(w, openai_config(w))
    expect(r, state="local_problem", cause="ipv6_broken", exit_code=3)
    check(mentions(r.summary, "ipv4"), "the summary says IPv4 works", r)


PROXY_URL = "http://%s:%d" % (W.PROXY, W.PROXY_PORT)
PROXY_ENV = {"https_proxy": PROXY_URL, "http_proxy": PROXY_URL}


@scenario("proxy_dead")
def proxy_dead(w):
    """https_proxy points at a proxy that is not running: proxy_broken"""
    standard_openai(w)
    r = once(w, openai_config(w), env=PROXY_ENV)
    expect(r, state="local_problem", cause="proxy_broken", exit_code=3, step=("proxy", "fail"))


@scenario("proxy_working", ipv6=True, issue="address-family comparisons go through the proxy")
def proxy_working(w):
    """a working proxy in the environment, IPv6 fine too: all good, no IPv6 route blamed"""
    standard_openai(w)
    w.start_proxy()
    r = once(w, openai_config(w), env=PROXY_ENV)
    expect(r, state="operational", cause="ok", exit_code=0, step=("proxy", "pass"))
    check("CONNECT" in w.log("tinyproxy.log") or "Established" in w.log("tinyproxy.log"),
          "the probes went through the proxy", r)
    for sid in ("tcp", "dns"):
        # the DNS step may count IPv6 addresses; no step may blame the family
        for blame in ("IPv6 path", "IPv6 route", "IPv6 does not"):
            check(not mentions(r.step_text(sid), blame), "nothing is wrong with IPv6: " + r.step_text(sid), r)


@scenario("proxy_refuses_service", issue="a proxy's refusal is a receive failure")
def proxy_refuses_service(w):
    """the proxy answers CONNECT to the service with 403 (filtered), other sites pass: proxy_broken"""
    standard_openai(w)
    w.start_proxy(deny=["openai.com", "chatgpt.com"])
    r = once(w, openai_config(w), env=PROXY_ENV)
    expect(r, state="local_problem", cause="proxy_broken", exit_code=3, step=("proxy", "fail"))
    check(r.targets["chatgpt-web"]["outcome"] == "proxy_fail", "a CONNECT refused is a proxy failure, not %s"
          % r.targets["chatgpt-web"]["outcome"], r)
    check(not mentions(r.summary + r.step_text("http") + r.step_text("api"), "nothing to fix on your side"),
          "a proxy's refusal is ours to fix: " + r.step_text("http"), r)


@scenario("captive_portal_dns", slow=True, issue="captive portal: every control down, the verdict is local")
def captive_portal_dns(w):
    """a captive portal: every name resolves to the portal, which resets HTTPS; nothing else is reachable"""
    w.start_dns(everything_to=W.PORTAL, names={"portal.hotel-wifi.test": W.PORTAL})
    openai_sites(w)
    w.plain_http("portal.hotel-wifi.test", {"/": W.Route(status=302, headers={
        "Location": "http://portal.hotel-wifi.test/login"}), "/login": W.Route(
        body="<html>Welcome to Hotel WiFi: log in</html>")})
    w.start_nginx()
    # the hotel's firewall: only the portal answers, and not on 443
    w.nft("table inet portal {\n chain out {\n  type filter hook output priority 0;\n"
          "  ip daddr %s tcp dport 443 reject with tcp reset\n"
          "  ip daddr != { %s, %s } tcp dport 443 drop\n }\n}\n" % (W.PORTAL, W.PORTAL, W.RESOLVER))
    r = once(w, openai_config(w))
    expect(r, state="local_problem", exit_code=3, step=("internet", "fail"),
           not_cause={"unreachable", "status_lag", "http_5xx", "timeout", "dns_service"})


@scenario("captive_portal_nat")
def captive_portal_nat(w):
    """a captive portal that NATs all HTTPS to itself and shows its own certificate: local, not their outage"""
    w.start_dns()
    openai_sites(w)
    # the portal's own site, with a valid certificate for its own name only
    w.site("portal.hotel-wifi.test", {"/": W.Route(body="<html>Welcome to Hotel WiFi: log in</html>")})
    w.start_nginx()
    w.nft("table ip portal {\n chain out {\n  type nat hook output priority -100;\n"
          "  ip daddr != %s tcp dport 443 dnat to %s\n }\n}\n" % (W.PORTAL, W.PORTAL))
    r = once(w, openai_config(w))
    expect(r, state="local_problem", exit_code=3, not_cause={"unreachable", "status_lag"})


SLOW_RATE = "64kbit"


@scenario("slow_link", slow=True)
def slow_link(w):
    """a 64 kbit/s link (tc tbf): every answer is slow: degraded / slow"""
    standard_openai(w)
    w.slow_link(SLOW_RATE)
    cfg = openai_config(w, timeout_s=15)
    for t in cfg["targets"]:
        if t["kind"] == "http" and t.get("role") != "control":
            t["slow_ms"] = 800
    r = once(w, cfg)
    expect(r, state="degraded", cause="slow", exit_code=1, step=("latency", {"warn", "fail"}))


@scenario("slow_answer_timeout", slow=True)
def slow_answer_timeout(w):
    """chatgpt.com accepts and then answers after 10 s (timeout 3 s): timeout"""
    standard_openai(w, web=W.Route(body=WEB_PAGE, sleep=10))
    r = once(w, openai_config(w))
    expect(r, state=OUTAGE, cause={"timeout", "status_lag"}, exit_code=2, step=("http", "fail"))
    check(r.targets["chatgpt-web"]["outcome"] == "timeout", "chatgpt-web timed out", r)


@scenario("api_503_page_green", issue="which component: the API fails, ChatGPT answers")
def api_503_page_green(w):
    """only the API answers 503, chatgpt.com works, the page is green: the summary names the API"""
    standard_openai(w, api=W.Route(status=503))
    r = once(w, openai_config(w))
    expect(r, state="partial_outage", cause={"status_lag", "http_5xx"}, exit_code=2, step=("api", "fail"))
    check(mentions(r.summary, "API", "503"), "the summary names the API and its 503", r)
    check(mentions(r.summary, "ChatGPT answers") or mentions(r.summary, "ChatGPT works"),
          "the summary says ChatGPT answers", r)


@scenario("all_503_page_green")
def all_503_page_green(w):
    """chatgpt.com and the API answer 503 while their page says all is well: status_lag"""
    standard_openai(w, web=W.Route(status=503), api=W.Route(status=503))
    r = once(w, openai_config(w))
    expect(r, state=OUTAGE, cause="status_lag", exit_code=2, step=("http", "fail"))


@scenario("rate_limited")
def rate_limited(w):
    """the API answers 429 with Retry-After: 30: rate_limited, degraded"""
    standard_openai(w, api=W.Route(status=429, headers={"Retry-After": "30"}, ctype="application/json",
                                   body='{"error": {"message": "Rate limit reached"}}'))
    r = once(w, openai_config(w))
    expect(r, state="degraded", cause="rate_limited", exit_code=1, step=("rate_limit", {"warn", "fail"}))
    check(r.targets["api"]["retry_after_s"] == 30, "Retry-After read", r)


@scenario("key_rejected")
def key_rejected(w):
    """OPENAI_API_KEY set but the API answers 401: auth_rejected, local"""
    standard_openai(w)
    r = once(w, openai_config(w), env={"OPENAI_API_KEY": "sk-world-WRONG-FAKE0000000000000000"})
    expect(r, state="local_problem", cause="auth_rejected", exit_code=3, step=("api_key", "fail"))
    check("sk-world-WRONG" not in r.out + r.err, "the key never appears in the output", r)


@scenario("key_accepted")
def key_accepted(w):
    """OPENAI_API_KEY set and accepted: 200, operational, the key step passes"""
    standard_openai(w)
    r = once(w, openai_config(w), env={"OPENAI_API_KEY": OPENAI_KEY})
    expect(r, state="operational", cause="ok", exit_code=0, step=("api_key", "pass"))
    check(r.targets["api"]["http_status"] == 200, "the key was sent and accepted", r)


@scenario("key_forbidden_403", issue="a 4xx answer is never evidence of an outage")
def key_forbidden_403(w):
    """OPENAI_API_KEY set and the API answers 403: the key, not an outage"""
    standard_openai(w, api=W.Route(status=403, ctype="application/json",
                                   body='{"error": {"message": "forbidden"}}'))
    r = once(w, openai_config(w), env={"OPENAI_API_KEY": OPENAI_KEY})
    expect(r, state="local_problem", cause="auth_rejected", exit_code=3)


@scenario("key_withheld_401", issue="a 4xx answer is never evidence of an outage")
def key_withheld_401(w):
    """the API URL is plain http, so the key is withheld and the API answers 401, an answer
    the target accepts without a key: the service is up, the checklist warns about the key"""
    w.start_dns()
    openai_sites(w)
    w.plain_http("api.openai.com", {"/v1/models": W.Route(status=401, file=API_401, ctype="application/json")})
    w.start_nginx()
    r = once(w, openai_config(w, api_url="http://api.openai.com/v1/models"), env={"OPENAI_API_KEY": OPENAI_KEY})
    expect(r, state="operational", step=("api_key", "warn"), not_cause={"status_lag"})
    check(OPENAI_KEY not in w.nginx_access() and OPENAI_KEY not in r.out, "the key did not travel over http", r)


@scenario("key_withheld_strict", issue="a 4xx answer is never evidence of an outage")
def key_withheld_strict(w):
    """the same with a config that expects only 200: a 401 is still the key, never status_lag or an outage"""
    w.start_dns()
    openai_sites(w)
    w.plain_http("api.openai.com", {"/v1/models": W.Route(status=401, file=API_401, ctype="application/json")})
    w.start_nginx()
    cfg = openai_config(w, api_url="http://api.openai.com/v1/models")
    api = [t for t in cfg["targets"] if t["name"] == "api"][0]
    api["expect_status"] = [200]
    r = once(w, cfg, env={"OPENAI_API_KEY": OPENAI_KEY})
    expect(r, cause="auth_rejected", state="local_problem", not_cause={"status_lag"})


ANTHROPIC_PAGE = "claude-summary-minor-partial-outage-4-components-2026-09-22.json"


def anthropic_world(w, api=None):
    w.start_dns()
    controls(w)
    w.site("claude.ai", {"/": W.Route(body="<html><title>Claude</title></html>")})
    w.site("api.anthropic.com", {"/v1/models": api or W.Route(status=401, ctype="application/json",
                                                              body='{"type":"error","error":{"type":'
                                                                   '"authentication_error"}}')})
    w.site("status.claude.com", {"/api/v2/summary.json": W.statuspage(ANTHROPIC_PAGE)})
    w.start_nginx()
    return {"service": "Anthropic", "timeout_s": 3, "ca_file": w.suite.pki.ca_file,
            "targets": control_targets() + [
                {"name": "dns-claude", "kind": "dns", "host": "claude.ai", "component": "claude.ai"},
                {"name": "claude-web", "kind": "http", "url": "https://claude.ai/", "component": "claude.ai",
                 "expect_status": [200, 403]},
                {"name": "api", "kind": "http", "url": "https://api.anthropic.com/v1/models",
                 "component": "Claude API (api.anthropic.com)",
                 "headers": {"x-api-key": "${ANTHROPIC_API_KEY}", "anthropic-version": "2023-06-01"},
                 "expect_status": [200, 401], "expect_status_with_key": [200], "differential": True},
                {"name": "status-page", "kind": "statuspage",
                 "url": "https://status.claude.com/api/v2/summary.json"}]}


@scenario("official_incident_probes_pass")
def official_incident_probes_pass(w):
    """status.claude.com reports a major incident (captured) while our probes pass: official_incident"""
    r = once(w, anthropic_world(w))
    expect(r, state={"degraded", "partial_outage"}, cause="official_incident", step=("official", {"warn", "fail"}))
    check(mentions(r.summary, "Elevated errors for multiple models"), "the incident's title", r)
    check(mentions(r.summary, "our probes pass"), "the summary says our probes pass", r)


@scenario("official_incident_failing")
def official_incident_failing(w):
    """the same incident while the API answers 503: official_incident, an outage"""
    r = once(w, anthropic_world(w, api=W.Route(status=503)))
    expect(r, state=OUTAGE, cause="official_incident", exit_code=2)


GITHUB_MAINT = "github-summary-maintenance-in-progress-plus-incident-2025-05-30.json"


@scenario("maintenance")
def maintenance(w):
    """githubstatus.com (captured) has Codespaces under maintenance, in progress, and an incident"""
    w.start_dns()
    controls(w)
    w.site("github.com", {"/": W.Route(body="<html>GitHub</html>"),
                          "/codespaces": W.Route(body="<html>Codespaces</html>")})
    w.site("www.githubstatus.com", {"/api/v2/summary.json": W.statuspage(GITHUB_MAINT)})
    w.start_nginx()
    cfg = {"service": "GitHub", "timeout_s": 3, "ca_file": w.suite.pki.ca_file, "targets": control_targets() + [
        {"name": "github-web", "kind": "http", "method": "HEAD", "url": "https://github.com/",
         "component": "Git Operations", "expect_status": [200]},
        {"name": "codespaces", "kind": "http", "url": "https://github.com/codespaces", "component": "Codespaces"},
        {"name": "status-page", "kind": "statuspage", "url": "https://www.githubstatus.com/api/v2/summary.json"}]}
    r = once(w, cfg)
    # the page also carries an unresolved incident (impact major, no
    # component): either is what the page says
    expect(r, cause={"maintenance", "official_incident"}, state={"maintenance", "degraded", "partial_outage"})
    maint = r.doc["official"]["maintenances"]
    check(any(m["name"] == "Codespaces Scheduled Maintenance" and m["status"] == "in_progress" for m in maint),
          "the maintenance in progress is reported: %s" % maint, r)
    comp = {c["name"]: c for c in r.doc["components"]}
    check(comp.get("Codespaces", {}).get("state") == "maintenance", "Codespaces is under maintenance: %s"
          % comp.get("Codespaces"), r)


@scenario("statuspage_down", slow=True)
def statuspage_down(w):
    """status.openai.com is blackholed while the service works: operational, the official step says unread"""
    standard_openai(w)
    w.drop_to([W.HOSTS["status.openai.com"]])
    r = once(w, openai_config(w))
    expect(r, state="operational", cause="ok", exit_code=0, step=("official", {"warn", "fail", "skip"}))


@scenario("statuspage_503")
def statuspage_503(w):
    """status.openai.com answers 503 while the service works: operational, the page's failure is shown"""
    standard_openai(w, page=W.Route(status=503))
    r = once(w, openai_config(w))
    expect(r, state="operational", cause="ok", exit_code=0, step=("official", {"warn", "fail", "skip"}))
    check(r.doc["official"]["error"], "official.error says why the page was not read", r)


GITHUB_PAGE = "github-summary-all-operational-2026-08-22.json"


@scenario("github_no_ipv6", ipv6=True)
def github_no_ipv6(w):
    """IPv6 works, but github.com and api.github.com have no AAAA record (as the real ones): no IPv6 blame"""
    w.start_dns(no_aaaa=("github.com", "api.github.com"))
    controls(w)
    w.site("github.com", {"/": W.Route(body="<html>GitHub</html>")})
    w.site("api.github.com", {"/rate_limit": W.Route(ctype="application/json",
                                                     body='{"resources": {}, "rate": {"limit": 60}}')})
    w.site("www.githubstatus.com", {"/api/v2/summary.json": W.statuspage(GITHUB_PAGE)})
    w.start_nginx()
    # the github preset (core/presets.c), controls inside the world
    cfg = {"service": "GitHub", "timeout_s": 3, "ca_file": w.suite.pki.ca_file, "targets": control_targets() + [
        {"name": "dns-github", "kind": "dns", "host": "github.com", "component": "github.com"},
        {"name": "dns-api", "kind": "dns", "host": "api.github.com", "component": "API Requests"},
        {"name": "github-web", "kind": "http", "method": "HEAD", "url": "https://github.com/",
         "component": "github.com", "expect_status": [200]},
        {"name": "api", "kind": "http", "url": "https://api.github.com/rate_limit", "component": "API Requests",
         "headers": {"Accept": "application/vnd.github+json"}, "expect_status": [200], "differential": True},
        {"name": "status-page", "kind": "statuspage", "url": "https://www.githubstatus.com/api/v2/summary.json"}]}
    r = once(w, cfg)
    expect(r, state="operational", cause="ok", exit_code=0)
    check(r.targets["dns-github"]["addresses_v6"] == 0, "github.com has no IPv6 address: %s"
          % r.targets["dns-github"]["addresses_v6"], r)
    for sid in ("tcp", "dns"):
        check(not mentions(r.step_text(sid), "IPv6 route"), "a name without AAAA records is not a broken IPv6 "
              "route: " + r.step_text(sid), r)


def verdict_event(*states):
    return lambda ev: ev.get("source") == "verdict" and ev.get("text", "").split(":")[0] in states


@scenario("outage_while_watching")
def outage_while_watching(w):
    """--lines --json: chatgpt.com and the API start refusing connections, then come back: each is said in time"""
    standard_openai(w)
    cfg = openai_config(w, timeout_s=2, extra={"interval_s": 1})
    watch = w.start_isitdown(cfg)
    try:
        first = watch.wait_for(verdict_event("operational"), 30)
        check(first is not None, "no operational verdict at start: %s" % [e for _, e in watch.lines][-5:])
        w.drop_to([W.HOSTS["chatgpt.com"], W.HOSTS["api.openai.com"]], reset=True)
        t_fault = time.monotonic()
        down = watch.wait_for(verdict_event("local_problem", "partial_outage", "major_outage"), 30, after=t_fault)
        check(down is not None, "no outage verdict after the fault: %s" % [e for _, e in watch.lines][-5:])
        check(mentions(down[1]["text"], "unreachable"), "the outage is said as unreachable: %s" % down[1]["text"])
        # a failure is confirmed by a quick re-probe, not by several intervals
        check(down[0] - t_fault < 10, "the outage took %.1f s to be said" % (down[0] - t_fault))
        w.clear_faults()
        t_fixed = time.monotonic()
        up = watch.wait_for(verdict_event("operational"), 30, after=t_fixed)
        check(up is not None, "no operational verdict after recovery: %s" % [e for _, e in watch.lines][-5:])
        w.got = "operational, then after %.1f s %s, then %.1f s after the fix operational" % (
            down[0] - t_fault, down[1]["text"], up[0] - t_fixed)
    finally:
        rc = watch.stop()
    check(rc == 0, "SIGTERM ends --lines with status 0, not %d" % rc)
