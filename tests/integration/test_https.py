#!/usr/bin/env python3
"""HTTPS probes against the fixture's certificate variants: a good certificate
is up with a TLS timing and its expiry; each broken one fails with an error
that names the problem; a secret header goes only to its https host, never
over plain http, never across a redirect; the OpenAI-like models route is up
with and without a key.  Run:
ISITDOWN=build/isitdown python3 tests/integration/test_https.py [NAME...]"""

import calendar
import os
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in, check_not_in  # noqa: E402

GOOD_KEY = "sk-test-good-FAKE0123456789abcdefghij"
BAD_KEY = "sk-test-wrong-FAKE9876543210zyxwvu"


def fx():
    return lib.shared_fixture(https=True)


def once(targets, env=None, timeout_s=4, extra=None, ca=True):
    f = lib.shared_fixture(https=True, reset=False)  # the caller's mounts stay
    cfg = {"service": "Loopback", "interval_s": 5, "timeout_s": timeout_s, "targets": targets}
    if ca:
        cfg["ca_file"] = f.ca_file
    cfg.update(extra or {})
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, env=env, timeout=60)
    doc = lib.parse_json(out, "stdout of --once --json")
    return rc, doc, out, err


def by_name(doc):
    return {t["name"]: t for t in doc["targets"]}


def cert_not_after(path):
    """The certificate's notAfter as the ISO time --json uses."""
    na = ssl._ssl._test_decode_cert(path)["notAfter"]  # "Feb 27 21:12:05 2029 GMT"
    t = calendar.timegm(time.strptime(na, "%b %d %H:%M:%S %Y %Z"))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def test_good_certificate():
    f = fx()
    rc, doc, out, err = once([{"name": "good", "url": f.https_url("/ok")},
                              {"name": "good-by-name", "url": f.https_url("/ok", host="localhost")}])
    check_eq(rc, 0, "exit status (%s)" % err)
    for name, x in by_name(doc).items():
        check(x["ok"] and x["state"] == "up", "%s should be up" % name, x)
        tm = x["timings_ms"]
        check(tm["tls"] is not None and tm["tls"] > 0, "%s: TLS handshake timed" % name, tm)
        check(tm["connect"] is not None and tm["ttfb"] is not None, "%s: phases" % name, tm)
        check(tm["total"] >= tm["tls"] + tm["ttfb"], "%s: total covers TLS and first byte" % name, tm)
        check_eq(x["http_status"], 200, "%s status" % name)
        check_eq(x["cert_expiry"], cert_not_after(f.info["certs"]["good"]["cert"]), "%s cert_expiry" % name)
    check_eq(f.last_request("/ok")["scheme"], "https", "the request came over TLS")
    check_eq(f.count("/ok"), 2, "one request per target")


def test_certificate_problems_are_named():
    f = fx()
    variants = {
        "expired": ("expired",),
        "not_yet_valid": ("not yet valid",),
        "self_signed": ("self-signed", "self signed"),
        "wrong_name": ("subject name", "does not match", "hostname mismatch"),
        "untrusted_ca": ("local issuer", "unable to get"),
    }
    rc, doc, out, err = once([{"name": v, "url": f.https_url("/ok", variant=v)} for v in variants]
                             + [{"name": "wrong_name-by-name",
                                 "url": f.https_url("/ok", variant="wrong_name", host="localhost")}])
    t = by_name(doc)
    for v, words in list(variants.items()) + [("wrong_name-by-name", variants["wrong_name"])]:
        x = t[v]
        check(not x["ok"] and x["state"] == "down", "%s must fail" % v, x)
        check_eq(x["outcome"], "tls_fail", "%s outcome" % v)
        check(x["error"] and any(w in x["error"].lower() for w in words),
              "%s: the error does not name the certificate problem (%s)" % (v, " / ".join(words)), x)
        check_eq(x["http_status"], None, "%s: no HTTP answer" % v)
    check_in("localhost", t["wrong_name-by-name"]["error"], "the name that did not match")
    check_eq(f.count("/ok"), 0, "no request crossed a broken certificate")
    check_eq(doc["verdict"]["cause"], "tls_error", "verdict cause")
    check_eq(rc, doc["verdict"]["exit_code"], "exit status")
    check(rc in (2, 3), "exit status %d: a certificate problem is an outage or a local problem" % rc)


def test_expired_certificate_is_their_outage():
    """The dates of a refused certificate are still read (with a handshake that
    sends nothing), so an expired one is the service's outage, not ours."""
    f = fx()
    rc, doc, out, err = once([
        {"name": "control-ip", "kind": "tcp", "host": "127.0.0.1", "port": f.http_port, "role": "control"},
        {"name": "control-name", "url": f.http_url("/ok", host="localhost"), "role": "control"},
        {"name": "api", "url": f.https_url("/v1/models", variant="expired"), "component": "API",
         "headers": {"Authorization": "Bearer ${OPENAI_API_KEY}"}},
        {"name": "future", "url": f.https_url("/ok", variant="not_yet_valid")}],
        env={"OPENAI_API_KEY": GOOD_KEY})
    t = by_name(doc)
    check_eq(t["api"]["cert_expiry"], cert_not_after(f.info["certs"]["expired"]["cert"]), "expired cert_expiry")
    check_eq(t["future"]["cert_expiry"], cert_not_after(f.info["certs"]["not_yet_valid"]["cert"]),
             "not yet valid cert_expiry")
    v = doc["verdict"]
    check_eq((v["cause"], v["target"]), ("tls_error", "api"), "verdict cause and target")
    check_in("certificate", v["summary"], "summary")
    check_in("expired", v["summary"], "summary")
    check(v["state"] in ("partial_outage", "major_outage"), "an expired certificate is an outage", v)
    check_eq(rc, 2, "exit status")
    check_eq(f.count("/v1/models"), 0, "no request went to the expired host")
    check_not_in(GOOD_KEY, out + err, "output")


def test_system_store_does_not_trust_the_test_ca():
    f = fx()
    rc, doc, out, err = once([{"name": "good", "url": f.https_url("/ok")}], ca=False)
    x = by_name(doc)["good"]
    check(not x["ok"] and x["outcome"] == "tls_fail", "the test CA is not trusted without ca_file", x)
    check_eq(f.count("/ok"), 0, "no request went out")


def test_tls_handshake_that_hangs_is_cut():
    f = fx()
    rc, doc, out, err = once([{"name": "tarpit", "url": f.tarpit_url("/")}], timeout_s=1.5)
    x = by_name(doc)["tarpit"]
    check_eq(x["outcome"], "timeout", "outcome")
    check_in("timed out", x["error"].lower(), "error")
    check(1450 <= x["timings_ms"]["total"] <= 2100, "cut at the 1.5 s timeout", x)


def test_secret_header_goes_only_to_its_https_host():
    f = fx()
    auth = {"Authorization": "Bearer ${OPENAI_API_KEY}"}
    landing = f.https_url("/echo")
    rc, doc, out, err = once([
        {"name": "tls", "url": f.https_url("/echo?who=tls"), "headers": auth},
        {"name": "plain", "url": f.http_url("/status/200"), "headers": auth},
        {"name": "hop", "url": f.https_url("/redirect?to=" + landing), "headers": auth},
        {"name": "page", "kind": "statuspage", "url": f.https_url("/redirect?code=301&to=" + landing),
         "headers": auth},
    ], env={"OPENAI_API_KEY": GOOD_KEY})
    hdrs = f.last_headers("/echo")
    check_eq(hdrs.get("authorization"), "Bearer " + GOOD_KEY, "the key reached its https host")
    check_eq(f.last_request("/echo")["query"], "who=tls", "only the direct request reached /echo")
    check_eq(f.count("/echo"), 1, "requests to /echo: a redirect was followed with the key")
    check_not_in("authorization", f.last_headers("/status/200"), "headers sent over plain http")
    check_eq(f.last_request("/status/200")["scheme"], "http", "plain request")
    check_in("authorization", f.last_headers("/redirect"), "the redirecting https host itself gets the key")
    for text, what in ((out, "--json"), (err, "stderr")):
        check_not_in(GOOD_KEY, text, what)
        check_not_in(GOOD_KEY[12:], text, what)
    t = by_name(doc)
    check(t["tls"]["ok"], "tls target up", t["tls"])
    check_eq(t["hop"]["http_status"], 302, "the redirect is the answer, not followed")


def test_status_page_without_secret_follows_redirects():
    """The other side of the rule above: a status page that moved is followed
    when no secret is at stake, so the redirect test is not vacuous."""
    f = fx()
    f.mount("/moved/summary.json", file="statuspage/github-summary-all-operational-2026-08-22.json")
    rc, doc, out, err = once([{"name": "page", "kind": "statuspage",
                               "url": f.https_url("/redirect?code=301&to=" + f.https_url("/moved/summary.json")),
                               "headers": {"X-Client": "isitdown-test"}}])
    check_eq(f.count("/moved/summary.json"), 1, "the moved page was fetched")
    check_eq(f.last_headers("/moved/summary.json").get("x-client"), "isitdown-test", "plain header followed")
    x = by_name(doc)["page"]
    check(x["ok"], "status page read after the redirect", x)


def test_openai_like_models_route():
    f = fx()
    api = {"name": "api", "url": f.https_url("/api/v1/models"), "component": "API",
           "headers": {"Authorization": "Bearer ${OPENAI_API_KEY}"},
           "expect_status": [200, 401], "expect_status_with_key": [200]}

    rc, doc, out, err = once([api], env={"OPENAI_API_KEY": None})
    x = by_name(doc)["api"]
    check(x["ok"] and x["state"] == "up", "401 without a key proves the API is up", x)
    check_eq(x["http_status"], 401, "status without a key")
    check_not_in("authorization", f.last_headers("/api/v1/models"), "headers without a key")
    check_eq(rc, 0, "exit status without a key")

    rc, doc, out, err = once([api], env={"OPENAI_API_KEY": GOOD_KEY})
    x = by_name(doc)["api"]
    check(x["ok"] and x["state"] == "up", "200 with the key", x)
    check_eq(x["http_status"], 200, "status with the key")
    check_eq(f.last_headers("/api/v1/models").get("authorization"), "Bearer " + GOOD_KEY, "key sent")
    check_eq(rc, 0, "exit status with a key")

    f.reset()
    rc, doc, out, err = once([api], env={"OPENAI_API_KEY": BAD_KEY})
    x = by_name(doc)["api"]
    check(not x["ok"] and x["outcome"] == "auth_rejected", "a rejected key is the key's fault", x)
    check_in("key", x["error"], "error")
    check_eq(doc["verdict"]["cause"], "auth_rejected", "verdict cause")
    check_eq(f.count("/api/v1/models"), 2, "a failure is confirmed once")
    check_not_in(BAD_KEY, out + err, "output")
    check_not_in(BAD_KEY[14:], out + err, "output")


if __name__ == "__main__":
    lib.main()
