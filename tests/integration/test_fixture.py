#!/usr/bin/env python3
"""Self-test of the loopback fixture and of lib.py: every route, the control
API, the TLS variants and the load the integration tests put on it.  Needs no
isitdown binary.  Run: python3 tests/integration/test_fixture.py [NAME...]"""

import asyncio
import email.utils
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import stat
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in, check_not_in  # noqa: E402

OPENAI_401 = os.path.join(lib.DATA_DIR, "statuspage", "openai-api-401-no-api-key-body-2023.json")
GITHUB_OK = "statuspage/github-summary-all-operational-2026-08-22.json"
GITHUB_MINOR = "statuspage/github-summary-minor-degraded-performance-2026-08-13.json"


def fx():
    return lib.shared_fixture(https=True, ipv6=True)


def get(f, path, method="GET", headers=None, scheme="http", variant="good", timeout=10, body=None):
    """One request on a fresh connection; returns (status, headers dict lower-case, body)."""
    if scheme == "https":
        ctx = ssl.create_default_context(cafile=f.ca_file)
        c = http.client.HTTPSConnection(f.host, f.tls_ports[variant], timeout=timeout, context=ctx)
    else:
        c = http.client.HTTPConnection(f.host, f.http_port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        c.close()


def raw(f, request, port=None, timeout=5):
    """A raw socket with the request sent; the caller reads."""
    s = socket.create_connection((f.host, port or f.http_port), timeout=timeout)
    s.sendall(request.encode() if isinstance(request, str) else request)
    return s


def recv_all(s, limit=None):
    """Reads until EOF; returns (data, exception or None)."""
    buf = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return buf, None
            buf += d
            if limit and len(buf) >= limit:
                return buf, None
    except (OSError, socket.timeout) as e:
        return buf, e


def req_line(path, extra=""):
    return "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n" % (path, extra)


# ------------------------------------------------------------------ basics

def test_ready_line():
    f = fx()
    for key in ("http_port", "https_port", "tarpit_port", "ca_file", "tls_ports", "certs", "data_dir"):
        check(key in f.info, "ready line lacks " + key, f.info)
    check_eq(sorted(f.tls_ports), sorted(["good", "expired", "not_yet_valid", "self_signed",
                                          "wrong_name", "untrusted_ca"]), "TLS variants")
    check_eq(f.https_port, f.tls_ports["good"], "https_port is the good variant")
    check(os.path.isfile(f.ca_file), "ca_file exists")
    ports = [f.http_port, f.tarpit_port] + list(f.tls_ports.values())
    check_eq(len(set(ports)), len(ports), "every server has its own port")


def test_ok_keepalive_head_and_404():
    f = fx()
    c = http.client.HTTPConnection(f.host, f.http_port, timeout=5)
    for _ in range(3):  # one connection, several requests
        c.request("GET", "/ok")
        r = c.getresponse()
        check_eq((r.status, r.read()), (200, b"ok\n"), "/ok")
    c.request("HEAD", "/status/200?body=hello")
    r = c.getresponse()
    check_eq(r.getheader("Content-Length"), "5", "HEAD Content-Length")
    check_eq(r.read(), b"", "HEAD has no body")
    c.close()
    check_eq(get(f, "/no/such/route")[0], 404, "unknown route")
    st, h, body = get(f, "/")
    check_in("/status/CODE", body.decode(), "index lists routes")


def test_status_codes_and_headers():
    f = fx()
    st, h, body = get(f, "/status/503?body=busy&ctype=application/json"
                         "&header=Retry-After:30&header=cf-mitigated:%20challenge")
    check_eq(st, 503, "status")
    check_eq(body, b"busy", "body")
    check_eq(h["content-type"], "application/json", "ctype")
    check_eq(h["retry-after"], "30", "Retry-After")
    check_eq(h["cf-mitigated"], "challenge", "cf-mitigated")
    check("date" in h and "x-fixture-elapsed-ms" in h, "Date and elapsed headers", h)
    st, h, body = get(f, "/status/429")
    check_eq((st, body), (429, b"429 Too Many Requests\n"), "default body")
    st, h, body = get(f, "/status/204")
    check_eq((st, body), (204, b""), "204")
    check("content-length" not in h, "204 without Content-Length", h)
    check_eq(get(f, "/status/999")[0], 999, "any 3-digit code")
    check_eq(get(f, "/status/abc")[0], 400, "bad code")
    check_eq(get(f, "/status/200?body_b64=AAEC")[2], b"\x00\x01\x02", "binary body")


def test_date_offset():
    f = fx()
    st, h, _ = get(f, "/ok?date_offset_s=-7200")
    skew = email.utils.parsedate_to_datetime(h["date"]).timestamp() - time.time()
    check(-7210 < skew < -7190, "Date skewed by -2 h, got %.0f s" % skew)


def test_delay_measured_by_the_server():
    f = fx()
    t0 = time.monotonic()
    st, h, body = get(f, "/delay/150")
    dt = (time.monotonic() - t0) * 1000
    server_ms = float(h["x-fixture-elapsed-ms"])
    check_eq(st, 200, "status")
    check(150 <= server_ms < 1000, "server elapsed %.1f ms" % server_ms)
    check(dt >= server_ms, "client time %.1f >= server time %.1f" % (dt, server_ms))
    check_eq(get(f, "/delay-headers/10?status=503")[0], 503, "delay with status")
    # /delay-body: the head comes at once, the body later.
    c = http.client.HTTPConnection(f.host, f.http_port, timeout=5)
    t0 = time.monotonic()
    c.request("GET", "/delay-body/300")
    r = c.getresponse()
    t_head = time.monotonic() - t0
    body = json.loads(r.read())
    t_body = time.monotonic() - t0
    c.close()
    check(t_head < 0.2, "head after %.3f s" % t_head)
    check(t_body >= 0.3, "body after %.3f s" % t_body)
    check(body["body_after_ms"] >= 300, "server-side body delay", body)


# ------------------------------------------------------------------ faults

def test_hang_really_hangs():
    f = fx()
    before = f.stats()["connections_open"]
    s = raw(f, req_line("/hang"), timeout=0.5)
    t0 = time.monotonic()
    data, err = recv_all(s)
    check(isinstance(err, socket.timeout), "hang ends in a client timeout, got %r" % (err,))
    check_eq(data, b"", "nothing sent")
    check(time.monotonic() - t0 >= 0.45, "waited the whole timeout")
    check_eq(get(f, "/ok")[0], 200, "the fixture still serves others")
    s.close()
    deadline = time.monotonic() + 2
    while f.stats()["connections_open"] > before and time.monotonic() < deadline:
        time.sleep(0.02)
    check(f.stats()["connections_open"] <= before, "hung connection released when the client left")
    s = raw(f, req_line("/hang?ms=200"), timeout=3)
    t0 = time.monotonic()
    data, err = recv_all(s)
    s.close()
    check(err is None and data == b"" and time.monotonic() - t0 >= 0.19, "/hang?ms closes silently")


def test_hang_body():
    f = fx()
    s = raw(f, req_line("/hang-body?length=1000&sent=100"), timeout=0.5)
    data, err = recv_all(s)
    s.close()
    check(isinstance(err, socket.timeout), "hang-body ends in a timeout, got %r" % (err,))
    head, _, body = data.partition(b"\r\n\r\n")
    check_in(b"Content-Length: 1000", head, "claimed length")
    check_eq(len(body), 100, "partial body")


def test_trickle():
    f = fx()
    s = raw(f, req_line("/trickle?bytes=4&interval_ms=150", "Connection: close\r\n"))
    t0 = time.monotonic()
    data, err = recv_all(s)
    s.close()
    dt = time.monotonic() - t0
    check(err is None, "clean end")
    check(data.endswith(b"\r\n\r\n...."), "four body bytes", data)
    check(0.45 <= dt < 2, "three intervals, took %.2f s" % dt)


def test_reset_before_response():
    f = fx()
    s = raw(f, req_line("/reset"))
    data, err = recv_all(s)
    s.close()
    check(isinstance(err, ConnectionResetError), "RST, got %r" % (err,))
    check_eq(data, b"", "no bytes")


def test_reset_mid_response():
    f = fx()
    s = raw(f, req_line("/reset-mid?length=1000&sent=100"))
    data, err = recv_all(s)
    s.close()
    check(isinstance(err, ConnectionResetError), "RST, got %r" % (err,))
    head, _, body = data.partition(b"\r\n\r\n")
    check(head.startswith(b"HTTP/1.1 200"), "head arrived first", data[:200])
    check_eq(len(body), 100, "partial body before the RST")


def test_close_and_garbage():
    f = fx()
    s = raw(f, req_line("/close"))
    data, err = recv_all(s)
    s.close()
    check(err is None and data == b"", "clean close without a byte", data, err)
    s = raw(f, req_line("/garbage"))
    data, err = recv_all(s)
    s.close()
    check(data.startswith(b"SSH-2.0"), "not HTTP", data)


def vm_rss_kib(pid, field="VmRSS"):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def test_huge_streams_in_constant_memory():
    f = fx()
    rss0 = vm_rss_kib(f.proc.pid)
    s = raw(f, req_line("/huge?mib=100", "Connection: close\r\n"), timeout=30)
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(4096)
    head, _, rest = head.partition(b"\r\n\r\n")
    check_in(b"Content-Length: 104857600", head, "length")
    n = len(rest)
    while True:
        d = s.recv(1 << 20)
        if not d:
            break
        n += len(d)
    s.close()
    check_eq(n, 100 * 1024 * 1024, "bytes received")
    rss1 = vm_rss_kib(f.proc.pid)
    check(rss1 - rss0 < 20 * 1024, "fixture memory grew by %d KiB" % (rss1 - rss0))
    st, h, body = get(f, "/huge?bytes=70000&chunked=1")
    check_eq((h.get("transfer-encoding"), len(body)), ("chunked", 70000), "chunked variant")
    # A client leaving in the middle costs nothing.
    s = raw(f, req_line("/huge?mib=500"))
    s.recv(65536)
    s.close()
    check_eq(get(f, "/ok")[0], 200, "alive after an abandoned download")


def test_json_bodies():
    f = fx()
    st, h, body = get(f, "/json/malformed")
    check_eq(st, 200, "status")
    try:
        json.loads(body)
        check(False, "malformed JSON parsed")
    except ValueError:
        pass
    st, h, body = get(f, "/json/deep?depth=100000")
    check_eq(len(body), 200000, "deep array length")
    check(body.startswith(b"[[[") and body.endswith(b"]]]"), "nested arrays")
    st, h, body = get(f, "/json/deep?depth=3&kind=object")
    check_eq(body, b'{"a":{"a":{"a":null}}}', "deep object")
    check_eq(json.loads(get(f, "/json/ok")[2]), {"ok": True}, "json ok")


def test_empty_html_challenge():
    f = fx()
    st, h, body = get(f, "/empty")
    check_eq((st, body, h["content-length"]), (200, b"", "0"), "/empty")
    st, h, body = get(f, "/html")
    check_eq(st, 200, "/html status")
    check(h["content-type"].startswith("text/html") and b"<html" in body, "/html is HTML")
    check_eq(get(f, "/html?status=502")[0], 502, "/html?status")
    st, h, body = get(f, "/challenge")
    check_eq(st, 403, "challenge status")
    check_eq(h["cf-mitigated"], "challenge", "cf-mitigated")
    check_in(b"<title>Just a moment...</title>", body, "challenge page")


def test_bad_length_and_bad_chunked():
    f = fx()
    try:
        get(f, "/bad-length")
        check(False, "short body accepted")
    except http.client.IncompleteRead as e:
        check_eq((len(e.partial), e.expected), (50, 50), "50 of 100 bytes")
    s = raw(f, req_line("/bad-length?claimed=10&actual=3"))
    data, err = recv_all(s)
    s.close()
    check(err is None and data.endswith(b"\r\n\r\nyyy"), "FIN after 3 bytes", data)
    try:
        get(f, "/bad-chunked")
        check(False, "bad chunked accepted")
    except (http.client.IncompleteRead, ValueError):
        pass


def test_redirects():
    f = fx()
    target = f.url("/ok", "https")
    st, h, body = get(f, "/redirect?to=" + target)
    check_eq((st, h["location"]), (302, target), "redirect")
    check_eq(get(f, "/redirect?to=/ok&code=301")[0], 301, "code")
    check_eq(get(f, "/redirect")[0], 400, "to missing")
    st, h, body = get(f, "/redirect-loop")
    check_eq((st, h["location"]), (302, "/redirect-loop"), "loop")


# ------------------------------------------------------------------ files, sequences, control

def test_file_etag_and_304():
    f = fx()
    path = "/file/" + GITHUB_OK
    st, h, body = get(f, path)
    with open(os.path.join(lib.DATA_DIR, GITHUB_OK), "rb") as fh:
        check_eq(body, fh.read(), "file content")
    check_eq(st, 200, "status")
    check(h["content-type"].startswith("application/json"), "json type")
    etag, lm = h["etag"], h["last-modified"]
    check_eq(get(f, path, headers={"If-None-Match": etag})[0], 304, "If-None-Match")
    check_eq(get(f, path, headers={"If-None-Match": '"x", W/' + etag})[0], 304, "weak tag in a list")
    check_eq(get(f, path, headers={"If-None-Match": '"other"'})[0], 200, "other tag")
    check_eq(get(f, path, headers={"If-Modified-Since": lm})[0], 304, "If-Modified-Since")
    old = email.utils.formatdate(email.utils.parsedate_to_datetime(lm).timestamp() - 10, usegmt=True)
    check_eq(get(f, path, headers={"If-Modified-Since": old})[0], 200, "older If-Modified-Since")
    st, h, body = get(f, path, headers={"If-None-Match": etag})
    check_eq((body, h["etag"]), (b"", etag), "304 has no body, keeps the tag")
    st, h, _ = get(f, path + "?validators=none")
    check("etag" not in h and "last-modified" not in h, "validators=none", h)
    check_eq(get(f, "/file/../fixture/fixture.py")[0], 404, "no escape from the data dir")
    check_eq(get(f, "/file/statuspage/nope.json")[0], 404, "missing file")


def test_mount_swap_plays_a_changing_status_page():
    f = fx()
    p = "/sp/api/v2/summary.json"
    f.mount(p, file=GITHUB_OK)
    st, h1, b1 = get(f, p)
    check_eq(json.loads(b1)["status"]["indicator"], "none", "first page")
    f.mount(p, file=GITHUB_MINOR)
    st, h2, b2 = get(f, p, headers={"If-None-Match": h1["etag"]})
    check_eq(st, 200, "changed content is not 304")
    check_eq(json.loads(b2)["status"]["indicator"], "minor", "second page")
    lm1 = email.utils.parsedate_to_datetime(h1["last-modified"])
    lm2 = email.utils.parsedate_to_datetime(h2["last-modified"])
    check(lm2 > lm1, "Last-Modified moves forward on a swap, even within a second")
    check_eq(get(f, p, headers={"If-Modified-Since": h1["last-modified"]})[0], 200, "IMS of old page")
    check_eq(get(f, p, headers={"If-Modified-Since": h2["last-modified"]})[0], 304, "IMS of new page")
    f.mount(p, json_body={"status": {"indicator": "major"}}, status=503, headers={"Retry-After": "5"})
    st, h, b = get(f, p)
    check_eq((st, json.loads(b), h["retry-after"]), (503, {"status": {"indicator": "major"}}, "5"), "json mount")
    f.mount("/file/" + GITHUB_OK, body="swapped", ctype="text/plain")
    check_eq(get(f, "/file/" + GITHUB_OK)[2], b"swapped", "a mount overrides /file/")
    f.unmount(p)
    check_eq(get(f, p)[0], 404, "unmounted")
    check_eq(f.requests(p)["count"], 6, "mount requests counted")


def test_sequence_advances_and_repeats_last():
    f = fx()
    url = "/seq/api?steps=200,200,503*2,delay:100:201"
    codes = [get(f, url)[0] for _ in range(7)]
    check_eq(codes, [200, 200, 503, 503, 201, 201, 201], "scripted statuses")
    st, h, _ = get(f, "/seq/api")
    check_eq(h["x-fixture-step"], "5", "last step repeats")
    check(float(h["x-fixture-elapsed-ms"]) >= 100, "delay step")
    f.set_seq("api", "503,200")
    check_eq([get(f, "/seq/api")[0] for _ in range(3)], [503, 200, 200], "replaced via control")
    f.rewind_seq("api")
    check_eq(get(f, "/seq/api")[0], 503, "rewound")
    check_eq(f.control("GET", "seq/api")["position"], 1, "position")
    check_eq(get(f, "/seq/unknown")[0], 404, "no steps, no sequence")
    check_eq(get(f, "/seq/bad?steps=200,frobnicate")[0], 400, "bad step")


def test_sequence_fault_steps():
    f = fx()
    f.set_seq("faults", ["reset", "hang", "close", "200"])
    s = raw(f, req_line("/seq/faults"))
    data, err = recv_all(s)
    s.close()
    check(isinstance(err, ConnectionResetError), "reset step, got %r" % (err,))
    s = raw(f, req_line("/seq/faults"), timeout=0.3)
    data, err = recv_all(s)
    s.close()
    check(isinstance(err, socket.timeout), "hang step, got %r" % (err,))
    s = raw(f, req_line("/seq/faults"))
    data, err = recv_all(s)
    s.close()
    check(err is None and data == b"", "close step")
    check_eq(get(f, "/seq/faults")[0], 200, "then 200")
    # A status page changing between polls, with conditional requests.
    f.set_seq("page", ["file:" + GITHUB_OK, "file:" + GITHUB_OK, "file:" + GITHUB_MINOR])
    st, h, b = get(f, "/seq/page")
    check_eq(get(f, "/seq/page", headers={"If-None-Match": h["etag"]})[0], 304, "same page: 304")
    st, h2, b2 = get(f, "/seq/page", headers={"If-None-Match": h["etag"]})
    check_eq((st, json.loads(b2)["status"]["indicator"]), (200, "minor"), "new page")


def test_request_log_shows_headers_sent():
    f = fx()
    get(f, "/status/200", headers={"Authorization": "Bearer sk-secret", "If-None-Match": '"abc"'})
    get(f, "/status/200", headers={"X-Only": "second"})
    e = f.requests("/status/200")
    check_eq(e["count"], 2, "count")
    check("authorization" not in e["last"]["headers"], "last request had no Authorization")
    check_eq(e["last"]["headers"]["x-only"], "second", "last headers")
    check_eq(e["history"][0]["headers"]["authorization"], "Bearer sk-secret", "history")
    check_eq(e["history"][0]["headers"]["if-none-match"], '"abc"', "If-None-Match seen")
    check_eq(e["last"]["scheme"], "http", "scheme")
    get(f, "/status/200", scheme="https")
    check_eq(f.last_request("/status/200")["scheme"], "https", "https scheme")
    check_eq(f.last_request("/status/200")["port"], f.https_port, "arrival port")
    check_eq(f.count("/never"), 0, "unknown path")
    check_eq(f.last_headers("/never"), {}, "no headers")
    get(f, "/echo", method="POST", body=b'{"x":1}')
    check_eq(f.last_request("/echo")["body"], '{"x":1}', "body recorded")
    check_in("/status/200", f.requests(), "all paths")
    check("/_control/requests" not in f.requests(), "control calls are not logged")
    f.reset()
    check_eq(f.count("/status/200"), 0, "reset")


def test_control_errors():
    f = fx()
    for method, path, body in (("POST", "seq/x", {"steps": "nope"}), ("POST", "mount", {"path": "x"}),
                               ("POST", "mount", {"path": "/x", "file": "../../etc/passwd"}),
                               ("GET", "frobnicate", None)):
        try:
            f.control(method, path, body)
            check(False, "%s %s accepted" % (method, path))
        except RuntimeError as e:
            check("40" in str(e), "4xx answer", e)


def test_openai_models():
    f = fx()
    st, h, body = get(f, "/api/v1/models")
    with open(OPENAI_401, "rb") as fh:
        check_eq((st, body), (401, fh.read()), "401 is the captured body")
    check(h["content-type"].startswith("application/json"), "json")
    st, h, body = get(f, "/v1/models", headers={"Authorization": "Bearer sk-test-good-123"})
    check_eq(st, 200, "good key")
    check_eq(json.loads(body)["object"], "list", "model list")
    key = "sk-proj-wrongwrongwrong1234"
    st, h, body = get(f, "/api/v1/models", headers={"Authorization": "Bearer " + key})
    err = json.loads(body)["error"]
    check_eq((st, err["code"], err["type"]), (401, "invalid_api_key", "invalid_request_error"), "bad key")
    check_not_in(key, body.decode(), "401 body")


# ------------------------------------------------------------------ TLS

def tls_error(f, variant, host="127.0.0.1"):
    ctx = ssl.create_default_context(cafile=f.ca_file)
    try:
        with socket.create_connection((f.host, f.tls_ports[variant]), timeout=5) as s:
            with ctx.wrap_socket(s, server_hostname=host) as t:
                return None, t.getpeercert()
    except ssl.SSLCertVerificationError as e:
        return e, None


def test_tls_variants_fail_the_right_way():
    f = fx()
    err, cert = tls_error(f, "good")
    check(err is None, "good verifies: %s" % err)
    check_eq(dict(x[0] for x in cert["issuer"])["commonName"], "isitdown test CA", "issuer")
    for host in ("localhost", "::1"):
        err, cert = tls_error(f, "good", host)
        check(err is None, "good verifies for %s: %s" % (host, err))
    # X509_V_ERR_*: 10 expired, 9 not yet valid, 18 self-signed, 20 unknown
    # issuer, 62 hostname mismatch, 64 IP address mismatch.
    expected = {("expired", "127.0.0.1"): 10, ("not_yet_valid", "127.0.0.1"): 9,
                ("self_signed", "127.0.0.1"): 18, ("wrong_name", "127.0.0.1"): 64,
                ("wrong_name", "localhost"): 62, ("untrusted_ca", "localhost"): 20}
    for (variant, host), code in expected.items():
        err, _ = tls_error(f, variant, host)
        check(err is not None, "%s must fail verification" % variant)
        check_eq(err.verify_code, code, "%s verify code (%s)" % (variant, err.verify_message))
    # The untrusted one is from the "interception" CA, and verifies against it.
    ctx = ssl.create_default_context(cafile=f.other_ca_file)
    with socket.create_connection((f.host, f.tls_ports["untrusted_ca"]), timeout=5) as s:
        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
            issuer = dict(x[0] for x in t.getpeercert()["issuer"])
    check_eq(issuer["commonName"], "Corporate Inspection CA", "interception issuer")
    st, h, body = get(f, "/status/201", scheme="https")
    check_eq(st, 201, "routes over TLS")


def tls_raw_read(f, path):
    """Handshake, send the request, then read the raw TCP stream (below TLS:
    Python's ssl module reports an RST as a plain EOF)."""
    ctx = ssl.create_default_context(cafile=f.ca_file)
    s = socket.create_connection((f.host, f.https_port), timeout=5)
    t = ctx.wrap_socket(s, server_hostname="127.0.0.1")
    t.sendall(req_line(path).encode())
    t.settimeout(None)
    n = 0
    try:
        while True:
            d = os.read(t.fileno(), 65536)
            if not d:
                return n, None
            n += len(d)
    except OSError as e:
        return n, e
    finally:
        t.close()


def test_tls_faults():
    f = fx()
    n, err = tls_raw_read(f, "/reset")
    check(isinstance(err, ConnectionResetError), "RST over TLS, got %r" % (err,))
    n_mid, err = tls_raw_read(f, "/reset-mid?sent=100")
    check(isinstance(err, ConnectionResetError), "RST mid-response over TLS, got %r" % (err,))
    check(n_mid >= n + 100 + 150, "head and partial body before the RST (%d vs %d bytes)" % (n_mid, n))
    ctx = ssl.create_default_context(cafile=f.ca_file)
    with socket.create_connection((f.host, f.https_port), timeout=5) as s:
        with ctx.wrap_socket(s, server_hostname="127.0.0.1", suppress_ragged_eofs=False) as t:
            t.sendall(req_line("/close").encode())
            check_eq(t.recv(100), b"", "/close over TLS: close_notify, no bytes")
    # The tarpit accepts and never answers a ClientHello.
    s = socket.create_connection((f.host, f.tarpit_port), timeout=0.4)
    try:
        ctx.wrap_socket(s, server_hostname="127.0.0.1")
        check(False, "tarpit completed a handshake")
    except socket.timeout:
        pass
    finally:
        s.close()
    # A plain-HTTP client on the TLS port: the fixture shrugs it off.
    s = raw(f, req_line("/ok"), port=f.https_port)
    recv_all(s)
    s.close()
    check_eq(get(f, "/ok", scheme="https")[0], 200, "still serving TLS")


def test_ipv6():
    f = fx()
    if not f.ipv6:
        raise lib.Skip("no ::1 on this machine")
    check_eq(f.url("/ok", host="::1"), "http://[::1]:%d/ok" % f.http_port, "url with ::1")
    with socket.create_connection(("::1", f.http_port), timeout=5) as s:
        s.sendall(req_line("/ok", "Connection: close\r\n").encode())
        data, err = recv_all(s)
    check(data.startswith(b"HTTP/1.1 200") and data.endswith(b"ok\n"), "served on ::1", data)


# ------------------------------------------------------------------ proxy

def test_forward_proxy():
    f = fx()
    s = raw(f, "GET http://api.openai.test/v1/models HTTP/1.1\r\nHost: api.openai.test\r\n"
               "Connection: close\r\n\r\n")
    data, err = recv_all(s)
    s.close()
    check(data.startswith(b"HTTP/1.1 401"), "absolute-form served locally", data[:100])
    last = f.last_request("/v1/models")
    check_eq((last["via_proxy"], last["proxy_host"]), (True, "api.openai.test"), "proxied request logged")
    c = http.client.HTTPSConnection(f.host, f.http_port, timeout=5,
                                    context=ssl.create_default_context(cafile=f.ca_file))
    c.set_tunnel("127.0.0.1", f.https_port)
    c.request("GET", "/ok")
    r = c.getresponse()
    check_eq((r.status, r.read()), (200, b"ok\n"), "CONNECT tunnel to the TLS port")
    c.close()
    check_eq(f.count("CONNECT 127.0.0.1:%d" % f.https_port), 1, "CONNECT logged")
    s = raw(f, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    data, err = recv_all(s)
    s.close()
    check(data.startswith(b"HTTP/1.1 403"), "no tunnel off loopback", data[:100])


# ------------------------------------------------------------------ load and lifetime

async def one_client(f, path, scheme, ctx):
    port = f.https_port if scheme == "https" else f.http_port
    r, w = await asyncio.open_connection(f.host, port, ssl=ctx if scheme == "https" else None,
                                         server_hostname="127.0.0.1" if scheme == "https" else None)
    w.write(req_line(path, "Connection: close\r\n").encode())
    data = await r.read()
    w.close()
    return data


async def rude_client(f, path, port=None):
    """Connects, asks, and leaves with an RST before the answer is complete."""
    r, w = await asyncio.open_connection(f.host, port or f.http_port)
    w.write(req_line(path).encode() if path else b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
    await asyncio.sleep(0.05)
    sock = w.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    w.transport.abort()


async def load(f):
    ctx = ssl.create_default_context(cafile=f.ca_file)
    tasks = []
    for i in range(500):
        scheme = "https" if i % 5 == 0 else "http"
        tasks.append(one_client(f, "/delay/1000?i=%d" % i, scheme, ctx))
    rude = [rude_client(f, p) for p in ("/hang", "/huge?mib=50", "/trickle?bytes=100&interval_ms=10",
                                        "/delay-body/200", "/hang-body") * 20]
    rude += [rude_client(f, None, f.https_port) for _ in range(20)]  # half a ClientHello
    results = await asyncio.gather(*tasks, *rude, return_exceptions=True)
    return results[:500], results[500:]


def test_500_concurrent_clients_and_rude_ones():
    f = fx()
    f.reset()
    t0 = time.monotonic()
    ok, rude = asyncio.run(load(f))
    dt = time.monotonic() - t0
    bad = [r for r in ok if isinstance(r, BaseException) or not r.startswith(b"HTTP/1.1 200")]
    check(not bad, "%d of 500 failed, first: %r" % (len(bad), bad[:1]))
    check(dt < 8, "500 one-second delays served in parallel, took %.1f s" % dt)
    check(f.stats()["requests_in_flight_peak"] >= 400, "in flight together", f.stats())
    check(all(r is None for r in rude), "rude clients connected and left", [r for r in rude if r])
    check(f.proc.poll() is None, "fixture alive after rude clients")
    check_eq(get(f, "/ok")[0], 200, "and still serving")


def test_stops_on_stdin_eof_and_sigterm():
    f = lib.launch_fixture()
    pid = f.proc.pid
    t0 = time.monotonic()
    s = raw(f, req_line("/hang"))  # an open connection must not hold the exit
    f.stop()
    check(time.monotonic() - t0 < 3, "stopped promptly")
    check_eq(f.proc.returncode, 0, "clean exit on stdin EOF")
    s.close()
    check(not os.path.exists("/proc/%d" % pid), "process gone")
    f = lib.launch_fixture()
    f.proc.send_signal(signal.SIGTERM)
    check_eq(f.proc.wait(5), 0, "clean exit on SIGTERM")
    f.stop()


def test_ports_helpers():
    p = lib.closed_port()
    try:
        socket.create_connection(("127.0.0.1", p), timeout=2).close()
        check(False, "closed port accepted a connection")
    except ConnectionRefusedError:
        pass
    p = lib.free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", p))


def test_run_isitdown_writes_config_and_isolates_env():
    d = tempfile.mkdtemp()
    stub = os.path.join(d, "isitdown")
    with open(stub, "w") as fh:
        fh.write('#!/bin/sh\nprintf "%s\\n" "$@"\ncat "$2"\necho\necho "HOME=$HOME"\n'
                 'echo "proxy=${http_proxy:-none}"\necho "KEY=$OPENAI_API_KEY"\n'
                 'echo err >&2\nexit 3\n')
    os.chmod(stub, stat.S_IRWXU)
    saved = os.environ.get("ISITDOWN")
    os.environ["ISITDOWN"] = stub
    os.environ["http_proxy"] = "http://192.0.2.1:3128"
    try:
        rc, out, err = lib.run_isitdown(["--once", "--json"], {"targets": []},
                                        env={"OPENAI_API_KEY": "sk-x"})
        lines = out.split("\n")
        check_eq((rc, err), (3, "err\n"), "exit status and stderr")
        check_eq(lines[0], lib.CONFIG_FLAG, "config flag first")
        check_eq(lines[2:4], ["--once", "--json"], "then the arguments")
        check_eq(lib.parse_json(out[out.index("{"):out.index("}") + 1]), {"targets": []}, "config")
        check_in("HOME=" + tempfile.gettempdir(), out, "isolated HOME")
        check_in("proxy=none", out, "proxy variables removed")
        check_in("KEY=sk-x", out, "env passed")
        rc, out, err = lib.run_isitdown(["-c", "{config}"], "{broken")
        check_in("{broken", out, "raw config text, {config} placed")
        check_eq(out.split("\n")[0], "-c", "no extra flag")
        with open(stub, "w") as fh:
            fh.write("#!/bin/sh\nsleep 30\n")
        t0 = time.monotonic()
        try:
            lib.run_isitdown([], timeout=0.5)
            check(False, "timeout not raised")
        except lib.IsitdownTimeout:
            check(time.monotonic() - t0 < 5, "killed on timeout")
        try:
            lib.parse_json("not json", "stdout")
            check(False, "parse_json accepted garbage")
        except AssertionError as e:
            check_in("stdout is not JSON", str(e), "message")
    finally:
        del os.environ["http_proxy"]
        if saved is None:
            del os.environ["ISITDOWN"]
        else:
            os.environ["ISITDOWN"] = saved
        shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------ model streams

LLM_PATHS = {"openai-chat": "/v1/chat/completions", "openai-responses": "/v1/responses",
             "anthropic-messages": "/v1/messages"}
GOOD_KEY = "sk-test-good-fixture"


def llm_headers(api, key=GOOD_KEY):
    hs = {"Content-Type": "application/json"}
    if api == "anthropic-messages":
        hs["anthropic-version"] = "2023-06-01"
        if key:
            hs["x-api-key"] = key
    elif key:
        hs["Authorization"] = "Bearer " + key
    return hs


def llm_stream(f, api, query="", model="gpt-4o-mini", key=GOOD_KEY, scheme="http", max_tokens=64,
               include_usage=True, timeout=10):
    """POSTs a streaming request and reads the events as they come.  Returns
    (status, headers, events, body) where events are (seconds since the request
    was sent, type, parsed data or the raw text)."""
    if scheme == "https":
        ctx = ssl.create_default_context(cafile=f.ca_file)
        c = http.client.HTTPSConnection(f.host, f.https_port, timeout=timeout, context=ctx)
    else:
        c = http.client.HTTPConnection(f.host, f.http_port, timeout=timeout)
    body = {"model": model, "stream": True, "max_tokens": max_tokens,
            "messages": [{"role": "user", "content": "Say ok."}]}
    if api == "openai-responses":
        del body["max_tokens"], body["messages"]
        body.update(max_output_tokens=max_tokens, input="Say ok.")
    if include_usage and api == "openai-chat":
        body["stream_options"] = {"include_usage": True}
    try:
        t0 = time.monotonic()
        c.request("POST", LLM_PATHS[api] + query, body=json.dumps(body), headers=llm_headers(api, key))
        r = c.getresponse()
        hs = {k.lower(): v for k, v in r.getheaders()}
        if r.status != 200:
            return r.status, hs, [], r.read()
        events, etype, data = [], None, []
        while True:
            line = r.readline()
            if not line:
                break
            line = line.decode().rstrip("\r\n")
            if line == "":
                if data:
                    text = "\n".join(data)
                    try:
                        parsed = json.loads(text)
                    except ValueError:
                        parsed = text
                    events.append((time.monotonic() - t0, etype or "message", parsed))
                etype, data = None, []
            elif line.startswith("event:"):
                etype = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        return r.status, hs, events, b""
    finally:
        c.close()


def text_events(api, events):
    out = []
    for t, etype, d in events:
        if api == "openai-chat" and isinstance(d, dict) and d.get("choices") and \
                d["choices"][0]["delta"].get("content"):
            out.append((t, d["choices"][0]["delta"]["content"]))
        elif api == "openai-responses" and etype == "response.output_text.delta":
            out.append((t, d["delta"]))
        elif api == "anthropic-messages" and etype == "content_block_delta":
            out.append((t, d["delta"]["text"]))
    return out


def test_llm_streams_in_three_shapes_with_delay_and_rate():
    f = fx()
    for api in LLM_PATHS:
        for scheme in ("http", "https"):
            st, hs, events, _ = llm_stream(f, api, "?delay_ms=200&rate=20&tokens=6", scheme=scheme)
            check_eq(st, 200, api + " status")
            check_in("text/event-stream", hs.get("content-type", ""), api + " content type")
            texts = text_events(api, events)
            check_eq(len(texts), 6, api + " text events")
            check(0.19 <= texts[0][0] <= 0.35, "%s first token at %.3f s, delay 200 ms" % (api, texts[0][0]))
            rate = (len(texts) - 1) / (texts[-1][0] - texts[0][0])
            check(17 <= rate <= 23, "%s rate %.1f/s, asked 20" % (api, rate))
            check(events[0][0] < 0.15, "%s: something comes before the delay" % api, events[0])
            last = events[-1]
            if api == "openai-chat":
                check_eq(last[2], "[DONE]", "chat ends with [DONE]")
                check_eq(events[-2][2]["usage"]["completion_tokens"], 6, "chat usage")
                check_eq(events[-3][2]["choices"][0]["finish_reason"], "stop", "chat finish")
            elif api == "openai-responses":
                check_eq(last[1], "response.completed", "responses end")
                check_eq(last[2]["response"]["usage"]["output_tokens"], 6, "responses usage")
            else:
                check_eq(last[1], "message_stop", "messages end")
                md = [e for e in events if e[1] == "message_delta"][0][2]
                check_eq(md["usage"]["output_tokens"], 6, "messages usage")
                check_eq(md["delta"]["stop_reason"], "end_turn", "messages stop reason")
                check_eq(events[0][1], "message_start", "messages start")


def test_llm_head_delay():
    f = fx()
    st, _, events, _ = llm_stream(f, "anthropic-messages", "?head_delay_ms=200&rate=0&tokens=2")
    check(0.19 <= events[0][0] <= 0.35, "nothing before the head delay: %.3f s" % events[0][0])
    check(text_events("anthropic-messages", events)[0][0] - events[0][0] < 0.05, "the first token right after")


def test_llm_max_tokens_usage_and_served_model():
    f = fx()
    st, _, events, _ = llm_stream(f, "openai-chat", "?rate=0&tokens=50&served_model=gpt-4o-mini-2024-07-18",
                                  max_tokens=3, include_usage=False)
    check_eq(len(text_events("openai-chat", events)), 3, "capped by max_tokens")
    check_eq(events[-2][2]["choices"][0]["finish_reason"], "length", "finish at max_tokens")
    check(all("usage" not in e[2] for e in events if isinstance(e[2], dict)), "no usage unless asked")
    check_eq(events[0][2]["model"], "gpt-4o-mini-2024-07-18", "served model")
    st, _, events, _ = llm_stream(f, "openai-responses", "?rate=0&tokens=50", max_tokens=2)
    check_eq(events[-1][1], "response.incomplete", "responses at max tokens")
    check_eq(events[-1][2]["response"]["incomplete_details"]["reason"], "max_output_tokens", "reason")
    st, _, events, _ = llm_stream(f, "anthropic-messages", "?rate=0&tokens=50", max_tokens=2)
    md = [e for e in events if e[1] == "message_delta"][0][2]
    check_eq(md["delta"]["stop_reason"], "max_tokens", "anthropic at max tokens")


def test_llm_error_mid_stream_and_stall():
    f = fx()
    for api in LLM_PATHS:
        st, _, events, _ = llm_stream(f, api, "?rate=0&tokens=5&error_after=2")
        check_eq(len(text_events(api, events)), 2, api + " tokens before the error")
        last = events[-1][2]
        check("error" in json.dumps(last), api + " ends with an error event", events[-1])
        if api != "openai-chat":
            check_eq(events[-1][1], "error", api + " error event type")
    for api in LLM_PATHS:
        try:
            llm_stream(f, api, "?rate=0&tokens=5&stall_after=2", timeout=0.5)
            check(False, api + " stall did not stall")
        except (socket.timeout, TimeoutError):
            pass


def test_llm_refusals_in_each_api_shape():
    f = fx()
    for api in LLM_PATHS:
        st, hs, _, body = llm_stream(f, api, model="unknown-model")
        check_eq(st, 404, api + " unknown model")
        doc = json.loads(body)
        if api == "anthropic-messages":
            check_eq(doc["error"]["type"], "not_found_error", "anthropic 404 shape")
        else:
            check_eq(doc["error"]["code"], "model_not_found", "openai 404 shape")
        st, hs, _, body = llm_stream(f, api, "?status=429&retry_after=7")
        check_eq(st, 429, api + " 429")
        check_eq(hs.get("retry-after"), "7", api + " retry-after")
        st, _, _, body = llm_stream(f, api, "?status=500")
        check_eq(st, 500, api + " 500")
        check("error" in json.loads(body), api + " 500 body", body)
        st, _, _, body = llm_stream(f, api, key=None)
        check_eq(st, 401, api + " without a key")
        st, _, _, body = llm_stream(f, api, key="sk-wrong-1234567890")
        check_eq(st, 401, api + " wrong key")
        check_not_in("sk-wrong-1234567890", body.decode(), "key echoed")
    st, _, _ = get(f, "/v1/messages", method="POST", body=json.dumps({"model": "m", "stream": True}),
                      headers={"x-api-key": GOOD_KEY})
    check_eq(st, 400, "anthropic without anthropic-version")
    check_eq(get(f, "/v1/chat/completions")[0], 405, "GET on a model route")


def test_llm_padding_makes_a_large_stream():
    f = fx()
    st, _, events, _ = llm_stream(f, "openai-chat", "?rate=0&tokens=200&pad=10000", max_tokens=1000)
    check_eq(len(text_events("openai-chat", events)), 200, "padded events")
    check(len(events[1][2]["x_pad"]) == 10000, "pad size")


def test_zz_no_internal_errors():
    """Runs last: nothing in this whole file tripped the fixture's own code."""
    check_eq(fx().stats()["internal_errors"], 0, "fixture internal errors")


if __name__ == "__main__":
    lib.main()
