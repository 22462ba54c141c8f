"""Diagnosis on loopback: each situation of issue 3 played by the fixture, and
`isitdown --once --json` must name the right verdict and cause, and the
checklist must mark the step that failed with a reason a person can act on.

Every scene has two control targets (an IP literal and a name, both on the
fixture) and one or more service targets under names pinned with the config's
"resolve" (svc.test, control.test -> 127.0.0.1; "fail" plays a DNS failure).
"""

import copy
import json
import os
import re
import time

import lib
from lib import Lines, stop_process as stop  # noqa: E402

SP = "statuspage/"
GH_OK = SP + "github-summary-all-operational-2026-08-22.json"
GH_MAJOR = SP + "github-summary-major-outage-critical-incident-35-updates-2026-08-17.json"
GH_MAINT = SP + "github-summary-maintenance-in-progress-plus-incident-2025-05-30.json"


def fixture():
    return lib.shared_fixture(https=True)


def controls(fx, port=None, date_offset_s=None):
    """An IP-literal control and a by-name control; port: where they point
    (a closed port plays "no network")."""
    p = port or fx.http_port
    q = "?date_offset_s=%d" % date_offset_s if date_offset_s else ""
    return [
        {"name": "ctl-ip", "kind": "tcp", "host": "127.0.0.1", "port": p, "role": "control"},
        {"name": "ctl-name", "kind": "http", "url": "http://control.test:%d/ok%s" % (p, q),
         "role": "control"},
    ]


def config(fx, services, ctl=None, resolve=None, **top):
    cfg = {
        "service": "Svc",
        "timeout_s": 5,
        "ca_file": fx.ca_file,
        "resolve": {"control.test": "127.0.0.1", "svc.test": "127.0.0.1"},
        "targets": (controls(fx) if ctl is None else ctl) + services,
    }
    cfg["resolve"].update(resolve or {})
    cfg.update(top)
    return cfg


def svc_url(fx, path):
    return "http://svc.test:%d%s" % (fx.http_port, path)


def diagnose(cfg, env=None, expect_rc=None):
    """Runs --once --json; returns the document (and checks the exit code
    follows the verdict)."""
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, env=env, timeout=60)
    doc = lib.parse_json(out, "stdout (stderr: %s)" % err.strip())
    v = doc["verdict"]
    lib.check_eq(rc, v["exit_code"], "exit code vs verdict.exit_code (%s)" % v)
    if expect_rc is not None:
        lib.check_eq(rc, expect_rc, "exit code (%s)" % v)
    return doc


def verdict(doc, state, cause, summary=None):
    v = doc["verdict"]
    lib.check((v["state"], v["cause"]) == (state, cause),
              "verdict: expected %s / %s, got %s / %s" % (state, cause, v["state"], v["cause"]),
              json.dumps(v, indent=1), checklist_text(doc))
    if summary:
        lib.check_in(summary, v["summary"], "verdict.summary")


def checklist_text(doc):
    return "\n".join("[%s] %s: %s || %s" % (s["result"], s["id"], s["detail"], s["advice"])
                     for s in doc["checklist"])


def step(doc, sid, result, detail=(), advice=()):
    """The checklist step sid has this result, its detail names every string
    of detail and its advice every string of advice."""
    found = [s for s in doc["checklist"] if s["id"] == sid]
    lib.check(len(found) == 1, "checklist step %r missing" % sid, checklist_text(doc))
    s = found[0]
    lib.check(s["result"] == result, "step %s: expected %s, got %s" % (sid, result, s["result"]),
              checklist_text(doc))
    for d in ([detail] if isinstance(detail, str) else detail):
        lib.check_in(d, s["detail"], "step %s detail" % sid)
    for a in ([advice] if isinstance(advice, str) else advice):
        lib.check_in(a, s["advice"], "step %s advice" % sid)
    if result in ("fail", "warn"):
        lib.check(s["detail"].strip() and s["advice"].strip(),
                  "a %s step needs a detail and advice" % result, checklist_text(doc))
    return s


def no_step(doc, result, *except_ids):
    """No step other than except_ids has this result."""
    bad = [s["id"] for s in doc["checklist"] if s["result"] == result and s["id"] not in except_ids]
    lib.check(not bad, "steps %s are %s" % (bad, result), checklist_text(doc))


def target(doc, name):
    for t in doc["targets"]:
        if t["name"] == name:
            return t
    raise AssertionError("no target %r in %s" % (name, [t["name"] for t in doc["targets"]]))


# ---------------------------------------------------------------- all good

def test_everything_up():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok")},
                               {"name": "api", "url": fx.https_url("/ok", host="localhost")}]),
                   expect_rc=0)
    verdict(doc, "operational", "ok", "all good")
    step(doc, "internet", "pass", ["ctl-ip answers", "ctl-name answers"])
    step(doc, "dns", "pass", "resolved")
    step(doc, "tcp", "pass", "connected")
    step(doc, "tls", "pass", ["localhost", "certificate valid for"])
    step(doc, "http", "pass", "HTTP 200")
    step(doc, "clock", "pass", "within")
    no_step(doc, "fail")
    no_step(doc, "warn")


# ---------------------------------------------------------------- the service fails

def test_service_down_closed_port_while_controls_answer():
    fx = fixture()
    port = lib.closed_port()
    doc = diagnose(config(fx, [{"name": "web", "url": "http://svc.test:%d/ok" % port}]), expect_rc=2)
    verdict(doc, "major_outage", "unreachable", "while other sites work")
    step(doc, "internet", "pass")
    # the name resolved; the refused connection is no "reused connection"
    step(doc, "dns", "pass", "svc.test resolved")
    step(doc, "tcp", "fail", ["svc.test", "connection refused"],
         ["other sites answer", "firewall"])
    step(doc, "tls", "skip", "not reached")
    step(doc, "http", "skip", "not reached")
    lib.check_eq(target(doc, "web")["outcome"], "connect_fail", "web outcome")
    lib.check_eq(target(doc, "web")["timings_ms"]["connect"], None, "connect time of a refused connection")


def test_service_5xx_while_controls_answer():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/status/503")}]), expect_rc=2)
    verdict(doc, "major_outage", "http_5xx", "HTTP 503")
    step(doc, "internet", "pass")
    step(doc, "tcp", "pass")
    step(doc, "http", "fail", "HTTP 503", "the service itself is failing")


def test_one_of_two_service_targets_5xx_is_partial():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok")},
                               {"name": "api", "url": svc_url(fx, "/status/502")}]),
                   expect_rc=2)
    verdict(doc, "partial_outage", "http_5xx", "HTTP 502 from api")


def test_service_timeout():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/hang"), "timeout_s": 1}]),
                   expect_rc=2)
    verdict(doc, "major_outage", "timeout", "connects, then no answer within 1 s")
    step(doc, "tcp", "pass")
    step(doc, "http", "fail", "no answer in time", "the service itself is failing")


# ---------------------------------------------------------------- it's you

def test_local_network_down():
    fx = fixture()
    port = lib.closed_port()
    doc = diagnose(config(fx, [{"name": "web", "url": "http://svc.test:%d/ok" % port}],
                          ctl=controls(fx, port)), expect_rc=3)
    verdict(doc, "local_problem", "no_network", "no internet connection")
    step(doc, "internet", "fail", ["ctl-ip: connection refused", "ctl-name: connection refused"],
         ["cable or Wi-Fi", "router"])
    step(doc, "tcp", "fail", "connection refused", "your own connection")


def test_captive_portal_only_the_resolver_answers():
    # every control fails, only name lookups answer (the local resolver, or a
    # portal's): that proves nothing about the way out, so the verdict is local
    fx = fixture()
    port = lib.closed_port()
    doc = diagnose(config(fx, [{"name": "dns-svc", "kind": "dns", "host": "svc.test"},
                               {"name": "web", "url": "http://svc.test:%d/ok" % port}],
                          ctl=controls(fx, port)), expect_rc=3)
    verdict(doc, "local_problem", "no_network", "a captive portal or a firewall")
    step(doc, "internet", "fail", "ctl-name: connection refused", "captive portal")
    step(doc, "dns", "pass", "svc.test")
    step(doc, "tcp", "fail", "connection refused", "your own connection")


def test_dns_failing_for_every_name():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok")}],
                          resolve={"control.test": "fail", "svc.test": "fail"}), expect_rc=3)
    verdict(doc, "local_problem", "dns_all", "DNS is failing")
    step(doc, "dns", "fail", ["svc.test", "name does not resolve"], ["DNS resolver", "another DNS server"])
    step(doc, "internet", "warn", ["ctl-ip answers", "ctl-name: name does not resolve"])
    step(doc, "tcp", "skip", "not reached")


def test_dns_failing_for_the_service_only():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok")}],
                          resolve={"svc.test": "fail"}), expect_rc=3)
    verdict(doc, "local_problem", "dns_service", "svc.test does not resolve, other names do")
    step(doc, "internet", "pass")
    step(doc, "dns", "fail", "svc.test: name does not resolve",
         ["does not resolve while other names do", "/etc/hosts"])


# ---------------------------------------------------------------- TLS

def test_tls_certificate_problems():
    fx = fixture()
    cases = [
        ("self_signed", "self-signed"),
        ("wrong_name", "localhost"),        # the name the certificate does not carry
        ("untrusted_ca", "local issuer"),   # an intercepting proxy's CA
    ]
    for variant, why in cases:
        doc = diagnose(config(fx, [{"name": "api", "url": fx.https_url("/ok", variant, host="localhost")}]),
                       expect_rc=3)
        verdict(doc, "local_problem", "tls_error", "certificate problem or interception")
        step(doc, "tcp", "pass")
        step(doc, "tls", "fail", ["localhost", "TLS handshake or certificate failed", why],
             ["intercept", "CA certificates"])
        step(doc, "http", "skip", "not reached")
        step(doc, "clock", "pass")


def test_tls_expired_certificate_is_the_service():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "api", "url": fx.https_url("/ok", "expired", host="localhost")}]),
                   expect_rc=2)
    verdict(doc, "major_outage", "tls_error", "the certificate of localhost expired")
    step(doc, "tls", "fail", "certificate has expired", "nothing to fix on your side")


def test_tls_failure_with_our_clock_behind_is_clock_skew():
    fx = fixture()
    # the control's Date header says our clock is two hours behind, and the
    # certificate looks not yet valid
    doc = diagnose(config(fx, [{"name": "api", "url": fx.https_url("/ok", "not_yet_valid", host="localhost")}],
                          ctl=controls(fx, date_offset_s=7200)), expect_rc=3)
    verdict(doc, "local_problem", "clock_skew", "your clock is 2 h behind")
    lib.check(abs(doc["verdict"]["clock_skew_s"] - 7200) < 30, "clock_skew_s about 7200",
              doc["verdict"])
    step(doc, "clock", "fail", "your clock is 2 h behind", "NTP")
    step(doc, "tls", "fail", "not yet valid", "your clock is off by 2 h")


def test_clock_years_behind_every_certificate_not_yet_valid():
    # no server date to go by (TCP and TLS only); the certificates of two
    # different hosts are both valid only from 2099: the clock, not interception
    fx = fixture()
    nyv = fx.tls_ports["not_yet_valid"]
    ctl = [{"name": "ctl-ip", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port, "role": "control"},
           {"name": "ctl-tls", "url": "https://127.0.0.1:%d/ok" % nyv, "role": "control"}]
    doc = diagnose(config(fx, [{"name": "web", "url": "https://localhost:%d/ok" % nyv}], ctl=ctl),
                   expect_rc=3)
    verdict(doc, "local_problem", "clock_skew", "your clock is at least")
    lib.check_in("behind: the certificates of 2 sites are all not valid yet", doc["verdict"]["summary"],
                 "verdict.summary")
    step(doc, "clock", "fail", "the certificates of 2 sites are all not valid yet", "NTP")
    step(doc, "tls", "fail", "not yet valid", "your clock is off by")
    # one host alone is its certificate's problem (or an interception)
    doc = diagnose(config(fx, [{"name": "web", "url": "https://localhost:%d/ok" % nyv}], ctl=ctl[:1]),
                   expect_rc=3)
    verdict(doc, "local_problem", "tls_error", "certificate problem or interception")


# ---------------------------------------------------------------- it answers, but...

def test_rate_limited_with_retry_after():
    fx = fixture()
    fx.mount("/limited", body="slow down\n", status=429, headers={"Retry-After": "30"})
    doc = diagnose(config(fx, [{"name": "api", "url": svc_url(fx, "/limited")}]), expect_rc=1)
    verdict(doc, "degraded", "rate_limited", "retry after 30 s")
    lib.check_eq(target(doc, "api")["retry_after_s"], 30, "retry_after_s")
    step(doc, "rate_limit", "warn", "api: HTTP 429, retry after 30 s", ["wait for the retry time", "quota"])
    no_step(doc, "fail")


def api_target(fx, **kw):
    t = {"name": "api", "url": fx.https_url("/v1/models", host="localhost"), "component": "API",
         "headers": {"Authorization": "Bearer ${TEST_API_KEY}"},
         "expect_status": [200, 401], "expect_status_with_key": [200]}
    t.update(kw)
    return t


def test_api_key_rejected_over_https():
    fx = fixture()
    key = "sk-test-wrong-0123456789abcdef"
    rc, out, err = lib.run_isitdown(["--once", "--json"], config(fx, [api_target(fx)]),
                                    env={"TEST_API_KEY": key}, timeout=60)
    lib.check_not_in(key, out + err, "output")
    doc = lib.parse_json(out)
    lib.check_eq(rc, 3, "exit code")
    verdict(doc, "local_problem", "auth_rejected", "your API key was rejected (HTTP 401)")
    step(doc, "api_key", "fail", "HTTP 401, the key was rejected", "check it, or create a new one")
    step(doc, "api", "pass", "HTTP 401")
    # the key went to the server, over TLS
    last = fx.last_request("/v1/models")
    lib.check_eq(last["scheme"], "https", "scheme of the keyed request")
    lib.check_eq(last["headers"].get("authorization"), "Bearer " + key, "key sent to its host")


def test_api_without_key_401_is_up_and_good_key_passes():
    fx = fixture()
    doc = diagnose(config(fx, [api_target(fx)]), env={"TEST_API_KEY": None}, expect_rc=0)
    verdict(doc, "operational", "ok")
    step(doc, "api", "pass", "HTTP 401 without a key")
    step(doc, "api_key", "skip", "no API key set")
    doc = diagnose(config(fx, [api_target(fx)]), env={"TEST_API_KEY": "sk-test-good-key"}, expect_rc=0)
    verdict(doc, "operational", "ok")
    step(doc, "api_key", "pass", "key accepted (HTTP 200)")


def test_api_key_over_plain_http_is_not_sent_and_not_judged():
    fx = fixture()
    doc = diagnose(config(fx, [api_target(fx, url=svc_url(fx, "/v1/models"))]),
                   env={"TEST_API_KEY": "sk-test-good-key"}, expect_rc=0)
    verdict(doc, "operational", "ok")
    step(doc, "api_key", "warn", "the key is not sent over plain http", "https")
    lib.check_not_in("sk-test-good-key", json.dumps(doc), "the --json document")


def test_api_key_withheld_401_is_auth_not_outage():
    # the key is only sent over https: over plain http the API answers 401, which
    # says nothing about an outage, even with a green status page beside it
    fx = fixture()
    key = "sk-test-good-key"
    for extra in ([], [statuspage(fx, "/file/" + GH_OK)]):
        cfg = config(fx, [api_target(fx, url=svc_url(fx, "/v1/models"), expect_status=[200])] + extra)
        doc = diagnose(cfg, env={"TEST_API_KEY": key}, expect_rc=3)
        verdict(doc, "local_problem", "auth_rejected",
                "api refuses the request (HTTP 401): the API key was not sent, it is only sent over https")
        lib.check_eq(target(doc, "api")["outcome"], "auth_rejected", "api outcome")
        step(doc, "api_key", "warn", "the key is not sent over plain http", "https")
        lib.check_not_in(key, json.dumps(doc), "the --json document")
    lib.check("authorization" not in fx.last_request("/v1/models")["headers"], "no key over plain http")
    # no key variable set at all: the 401 says the key is missing
    doc = diagnose(config(fx, [api_target(fx, expect_status=[200])]), env={"TEST_API_KEY": None},
                   expect_rc=3)
    verdict(doc, "local_problem", "auth_rejected", "the API key was not sent, its variable is not set")


def test_only_one_component_failing_is_named():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "component": "ChatGPT"},
                               {"name": "api", "url": svc_url(fx, "/status/503"), "component": "API"}]),
                   expect_rc=2)
    verdict(doc, "partial_outage", "http_5xx", "API is failing (HTTP 503); ChatGPT answers")
    step(doc, "http", "fail", "HTTP 503")


def test_slow_service_is_degraded():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/delay/600"), "slow_ms": 150}]),
                   expect_rc=1)
    verdict(doc, "degraded", "slow", "Svc is slow: web takes")
    lib.check_eq(target(doc, "web")["state"], "degraded", "web state")
    step(doc, "latency", "warn", ["web:", "limit 150 ms"], "under load")
    step(doc, "http", "pass")
    no_step(doc, "fail")


def test_html_instead_of_json_is_a_bad_response():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "api", "url": svc_url(fx, "/html"), "body_contains": "\"object\""}]),
                   expect_rc=2)
    verdict(doc, "major_outage", "bad_response", "answers wrongly")
    lib.check_eq(target(doc, "api")["outcome"], "body_mismatch", "outcome")
    step(doc, "http", "fail", "answer not as expected, HTTP 200", "captive portal")


def test_unexpected_4xx_is_no_outage():
    # a 4xx is the service answering: our request is refused, the service is up
    fx = fixture()
    for status_page in (False, True):
        extra = [statuspage(fx, "/file/" + GH_OK)] if status_page else []
        doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/status/404")}] + extra), expect_rc=3)
        verdict(doc, "local_problem", "bad_response", "web answers not found, HTTP 404: Svc is up")
        step(doc, "http", "fail", "HTTP 404", "the endpoint changed")


def test_redirect_not_followed_is_a_bad_response():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/redirect?to=/ok"),
                                "expect_status": [200]}]), expect_rc=2)
    verdict(doc, "major_outage", "bad_response", "HTTP 302")


def test_bot_challenge_is_reachable_not_down():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/challenge")}]), expect_rc=0)
    verdict(doc, "operational", "challenged", "bot challenge")
    step(doc, "http", "pass", "bot challenge (HTTP 403)")


# ---------------------------------------------------------------- paths

def test_ipv6_broken_ipv4_fine():
    fx = fixture()    # listens on 127.0.0.1 only: ::1 refuses
    doc = diagnose(config(fx, [{"name": "web", "url": "http://localhost:%d/ok" % fx.http_port,
                                "differential": True, "ip_family": "v6"}]), expect_rc=3)
    verdict(doc, "local_problem", "ipv6_broken", "IPv6 path broken, IPv4 fine")
    paths = target(doc, "web")["paths"]
    lib.check_eq(paths["ipv4"], {"ok": True, "outcome": "ok"}, "ipv4 path")
    lib.check_eq(paths["ipv6"]["ok"], False, "ipv6 path ok")
    step(doc, "tcp", "fail", "localhost", "IPv6 route is broken")

    # the same over auto: up over IPv4, and the checklist still warns
    doc = diagnose(config(fx, [{"name": "web", "url": "http://localhost:%d/ok" % fx.http_port,
                                "differential": True}]), expect_rc=0)
    verdict(doc, "operational", "ok")
    step(doc, "tcp", "warn", "IPv6 path fails, IPv4 works", "IPv6 route is broken")


def test_ip_literal_target_compares_no_address_families():
    # an IPv4 literal has no IPv6 path: nothing to compare, nothing to blame
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": "http://127.0.0.1:%d/ok" % fx.http_port,
                                "differential": True}]), expect_rc=0)
    verdict(doc, "operational", "ok")
    paths = target(doc, "web")["paths"]
    lib.check_eq(paths["ipv4"], {"ok": True, "outcome": "ok"}, "ipv4 path")
    lib.check("ipv6" not in paths or paths["ipv6"] is None, "ipv6 path probed for an IPv4 literal: %r" % paths)
    step(doc, "tcp", "pass")


def test_both_families_fine_when_ipv6_answers():
    with lib.start_fixture(ipv6=True) as fx6:
        if not fx6.ipv6:
            raise lib.Skip("no IPv6 loopback here")
        cfg = {"service": "Svc", "timeout_s": 5, "resolve": {"control.test": "127.0.0.1"},
               "targets": controls(fx6) + [{"name": "web", "url": "http://localhost:%d/ok" % fx6.http_port,
                                            "differential": True}]}
        doc = diagnose(cfg, expect_rc=0)
        verdict(doc, "operational", "ok")
        paths = target(doc, "web")["paths"]
        lib.check_eq(paths["ipv4"], {"ok": True, "outcome": "ok"}, "ipv4 path")
        lib.check_eq(paths["ipv6"], {"ok": True, "outcome": "ok"}, "ipv6 path")
        step(doc, "tcp", "pass")


def test_address_families_compared_direct_behind_a_working_proxy():
    # through a proxy, curl would force the family on the connection to the
    # proxy (here an IPv4 address): the IPv6 probe would always fail
    with lib.start_fixture(ipv6=True) as fx6:
        if not fx6.ipv6:
            raise lib.Skip("no IPv6 loopback here")
        proxy = "http://127.0.0.1:%d" % fx6.http_port
        cfg = {"service": "Svc", "timeout_s": 5, "resolve": {"control.test": "127.0.0.1"},
               "targets": controls(fx6) + [{"name": "web", "url": "http://localhost:%d/json/ok" % fx6.http_port,
                                            "differential": True}]}
        doc = diagnose(cfg, env={"http_proxy": proxy}, expect_rc=0)
        verdict(doc, "operational", "ok")
        paths = target(doc, "web")["paths"]
        for k in ("ipv4", "ipv6", "direct", "proxy"):
            lib.check_eq(paths[k], {"ok": True, "outcome": "ok"}, "%s path" % k)
        step(doc, "tcp", "pass")
        step(doc, "proxy", "pass", "web answers through 127.0.0.1:%d" % fx6.http_port)
        hist = fx6.requests("/json/ok")["history"]
        # the target's probe and the proxy path through the proxy; the two
        # families and the direct path not
        lib.check_eq(sorted(r["via_proxy"] for r in hist), [False, False, False, True, True],
                     "requests through the proxy")


def test_silent_service_answered_within_timeout_and_interval():
    # the comparison probes start beside the confirming retry, not after it:
    # about 2 timeouts + the retry delay, not 3 timeouts
    fx = fixture()
    timeout = 5
    cfg = config(fx, [{"name": "web", "url": svc_url(fx, "/hang"), "timeout_s": timeout, "differential": True}])
    t0 = time.monotonic()
    doc = diagnose(cfg, expect_rc=2)
    took = time.monotonic() - t0
    verdict(doc, "major_outage", "timeout", "no answer within 5 s")
    # svc.test is pinned to 127.0.0.1 only: the IPv6 comparison has no address to try
    lib.check_eq(fx.count("/hang"), 3, "requests: the probe, its retry and the IPv4 comparison")
    lib.check(took < 2 * timeout + 1 + 3, "--once took %.1f s, more than 2 timeouts + 1 s + 3 s of slack" % took)


def test_http_proxy_is_the_one_for_plain_http():
    fx = fixture()
    port = lib.closed_port()
    proxy = "http://127.0.0.1:%d" % port
    # only http_proxy: curl takes it for an http:// URL, so the diagnosis must too
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "differential": True}]),
                   env={"http_proxy": proxy}, expect_rc=3)
    verdict(doc, "local_problem", "proxy_broken", "works directly but fails through 127.0.0.1:%d" % port)
    step(doc, "proxy", "fail", "web works directly but fails through", "unset http_proxy")
    # only https_proxy: an http:// URL goes direct, nothing to blame on it
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "differential": True}]),
                   env={"https_proxy": proxy}, expect_rc=0)
    verdict(doc, "operational", "ok")
    step(doc, "proxy", "skip", "no proxy in the environment")
    lib.check_eq(target(doc, "web")["paths"]["proxy"], None, "proxy path of a direct target")


def test_proxy_broken_direct_fine():
    fx = fixture()
    port = lib.closed_port()
    proxy = "http://127.0.0.1:%d" % port
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "differential": True}]),
                   env={"https_proxy": proxy, "http_proxy": proxy}, expect_rc=3)
    verdict(doc, "local_problem", "proxy_broken", "works directly but fails through 127.0.0.1:%d" % port)
    paths = target(doc, "web")["paths"]
    lib.check_eq(paths["direct"], {"ok": True, "outcome": "ok"}, "direct path")
    lib.check_eq(paths["proxy"]["ok"], False, "proxy path ok")
    step(doc, "proxy", "fail", "web works directly but fails through 127.0.0.1:%d" % port,
         ["the proxy is down", "unset http_proxy"])


def test_proxy_refuses_the_service():
    # the fixture's proxy tunnels only to loopback addresses: CONNECT svc.test
    # is answered 403, which is the proxy's doing, not the service's
    fx = fixture()
    proxy = "http://127.0.0.1:%d" % fx.http_port
    doc = diagnose(config(fx, [{"name": "api", "url": fx.https_url("/ok", host="svc.test")}]),
                   env={"https_proxy": proxy}, expect_rc=3)
    verdict(doc, "local_problem", "proxy_broken",
            "the proxy is the problem: 127.0.0.1:%d refuses the way to api (HTTP 403)" % fx.http_port)
    lib.check_eq(target(doc, "api")["outcome"], "proxy_fail", "api outcome")
    step(doc, "proxy", "fail", "api fails at the proxy 127.0.0.1:%d: it refuses the tunnel (HTTP 403)" % fx.http_port,
         "refuses this site")
    step(doc, "tcp", "fail", "the proxy refused the tunnel (HTTP 403)", "the proxy is down or refuses")
    lib.check(all("the service itself is failing" not in s["advice"] for s in doc["checklist"]),
              "a step blames the service", checklist_text(doc))


# ---------------------------------------------------------------- official status

def statuspage(fx, path):
    return {"name": "status", "kind": "statuspage", "url": fx.http_url(path)}


def test_official_outage_while_our_probes_pass():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "component": "Copilot"},
                               statuspage(fx, "/file/" + GH_MAJOR)]), expect_rc=2)
    verdict(doc, "major_outage", "official_incident",
            "official incident: Incident with GitHub.com (critical); our probes pass")
    step(doc, "official", "fail", "Incident with GitHub.com (critical)", "follow the incident's updates")
    step(doc, "http", "pass")
    comps = {c["name"]: c for c in doc["components"]}
    lib.check_eq(comps.get("Copilot", {}).get("official"), "major_outage", "Copilot official status")


def test_our_probes_fail_while_official_page_is_green():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/status/503"), "component": "Copilot"},
                               statuspage(fx, "/file/" + GH_OK)]), expect_rc=2)
    verdict(doc, "major_outage", "status_lag", "the status page has not caught up")
    step(doc, "official", "pass", "All Systems Operational, though our probes fail", "lag")
    step(doc, "http", "fail", "HTTP 503")


def test_official_and_probes_agree_on_outage():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/status/503"), "component": "Copilot"},
                               statuspage(fx, "/file/" + GH_MAJOR)]), expect_rc=2)
    verdict(doc, "major_outage", "official_incident", "Incident with GitHub.com (critical)")
    step(doc, "official", "fail", "Incident with GitHub.com")
    step(doc, "http", "fail", "HTTP 503")


def test_maintenance_in_progress():
    fx = fixture()
    with open(os.path.join(lib.DATA_DIR, GH_MAINT)) as f:
        page = json.load(f)
    # the capture also has an open incident; without it only the maintenance speaks
    page = copy.deepcopy(page)
    page["incidents"] = []
    fx.mount("/maint/api/v2/summary.json", json_body=page)
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "component": "Codespaces"},
                               statuspage(fx, "/maint/api/v2/summary.json")]), expect_rc=1)
    verdict(doc, "maintenance", "maintenance", "scheduled maintenance in progress: Codespaces Scheduled Maintenance")
    step(doc, "official", "warn", "Codespaces Scheduled Maintenance", "planned work")


def test_official_incident_and_maintenance_together():
    fx = fixture()
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "component": "Codespaces"},
                               statuspage(fx, "/file/" + GH_MAINT)]), expect_rc=2)
    # an incident that names no component concerns the whole service
    verdict(doc, "partial_outage", "official_incident", "Disruption with some GitHub services (major)")
    step(doc, "official", "fail", "Disruption with some GitHub services")


def test_upcoming_maintenance_while_all_works():
    fx = fixture()
    with open(os.path.join(lib.DATA_DIR, GH_MAINT)) as f:
        page = json.load(f)
    # the captured maintenance, as it was announced: scheduled, starting in 2 h
    start = time.time() + 7200
    m = page["scheduled_maintenances"][0]
    m["status"] = "scheduled"
    m["scheduled_for"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start))
    m["scheduled_until"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 3600))
    page["incidents"] = []
    page["status"] = {"indicator": "none", "description": "All Systems Operational"}
    for c in page["components"]:
        c["status"] = "operational"
    fx.mount("/soon/api/v2/summary.json", json_body=page)
    doc = diagnose(config(fx, [{"name": "web", "url": svc_url(fx, "/ok"), "component": "Codespaces"},
                               statuspage(fx, "/soon/api/v2/summary.json")]), expect_rc=0)
    verdict(doc, "operational", "maintenance", "all good; scheduled maintenance in 2 h: Codespaces Scheduled Maintenance")


def test_status_page_lag_is_measured():
    """Our probes fail first; the page reports the incident 3 s later."""
    fx = fixture()
    path = "/lag/api/v2/summary.json"
    fx.mount(path, file=GH_OK)
    cfg = config(fx, [{"name": "web", "url": svc_url(fx, "/status/503"), "component": "Copilot"},
                      dict(statuspage(fx, path), interval_s=0.3)], interval_s=0.3)
    with lib.isitdown_process(["--lines", "--no-state"], cfg) as p:
        out = Lines(p)
        out.wait_for(lambda l: "status page has not caught up" in l, 30, "with the status_lag verdict")
        time.sleep(3)
        with open(os.path.join(lib.DATA_DIR, GH_MAJOR)) as f:
            page = json.load(f)
        page["incidents"][0]["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        fx.mount(path, json_body=page)
        out.wait_for(lambda l: "official incident: Incident with GitHub.com" in l, 30, "with the official verdict")
        line = out.wait_for(lambda l: "the status page lagged our probes by" in l, 30, "about the lag")
        stop(p, out)
    lag = int(re.search(r"lagged our probes by (\d+) s", line).group(1))
    lib.check(2 <= lag <= 60, "lag of about 3 s (the page has whole seconds): %d" % lag, line)


if __name__ == "__main__":
    lib.main()
