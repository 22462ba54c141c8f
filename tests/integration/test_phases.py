#!/usr/bin/env python3
"""Which phase stalled: a server that accepts TCP and never answers the TLS
hello (what a firewall filtering by server name looks like) fails the TLS step
and passes the TCP step, with the connect time measured; a port where nothing
listens, or where nothing accepts (the SYN is dropped), is TCP's failure; a
server that completes the handshake and then says nothing is the HTTP step's.
Run: ISITDOWN=build/isitdown python3 tests/integration/test_phases.py [NAME...]"""

import contextlib
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in, check_not_in  # noqa: E402

TIMEOUT_S = 1.5


def fx():
    return lib.shared_fixture(https=True)


def config(f, url):
    return {"service": "Loopback", "interval_s": 5, "timeout_s": TIMEOUT_S, "ca_file": f.ca_file,
            "targets": [{"name": "web", "url": url},
                        {"name": "ctl", "role": "control", "url": f.http_url("/ok")}]}


def once_json(cfg):
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, timeout=60)
    doc = lib.parse_json(out, "stdout of --once --json (stderr: %s)" % err)
    return rc, doc


def steps(doc):
    return {s["id"]: s for s in doc["checklist"]}


def web(doc):
    return {t["name"]: t for t in doc["targets"]}["web"]


@contextlib.contextmanager
def syn_blackhole():
    """A port whose accept queue is full and never drained: the kernel drops
    new SYNs, so a connect neither completes nor is refused."""
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    fillers = []
    try:
        lst.bind(("127.0.0.1", 0))
        lst.listen(0)
        port = lst.getsockname()[1]
        for _ in range(3):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(c)
        # wait until the queue holds a connection the listener never accepts
        deadline = time.monotonic() + 10
        while True:
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.settimeout(0.3)
            try:
                probe.connect(("127.0.0.1", port))
                fillers.append(probe)  # it got in: the queue was not full yet
            except (socket.timeout, OSError):
                probe.close()
                break
            check(time.monotonic() < deadline, "could not fill the accept queue")
        yield port
    finally:
        for c in fillers:
            c.close()
        lst.close()


def test_tls_stall_is_the_handshake_not_tcp():
    f = fx()
    for host in ("127.0.0.1", "localhost"):
        url = "https://%s:%d/" % (host, f.tarpit_port)
        rc, doc = once_json(config(f, url))
        x = web(doc)
        st = steps(doc)
        ctx = (host, doc["verdict"], x, st["tcp"], st["tls"])
        check_eq(x["outcome"], "timeout", "%s: outcome" % host)
        check_in("timed out", x["error"], "%s: error" % host)
        check_in("TLS handshake", x["error"], "%s: error names the phase" % host)
        tm = x["timings_ms"]
        check(tm["connect"] is not None and 0 <= tm["connect"] < 1000,
              "%s: the connect time is known" % host, *ctx)
        check(tm["tls"] is None and tm["ttfb"] is None, "%s: no handshake, no first byte" % host, *ctx)
        check(TIMEOUT_S * 1000 - 50 <= tm["total"] <= TIMEOUT_S * 1000 + 1500,
              "%s: cut at the timeout" % host, *ctx)
        check_eq(st["tcp"]["result"], "pass", "%s: TCP step" % host)
        check_in("connected in", st["tcp"]["detail"], "%s: TCP detail" % host)
        check_eq(st["tls"]["result"], "fail", "%s: TLS step" % host)
        check_in("the handshake got no answer", st["tls"]["detail"], "%s: TLS detail" % host)
        check_in("blocks by name", st["tls"]["advice"], "%s: TLS advice" % host)
        check_not_in("certificate", st["tls"]["advice"], "%s: TLS advice" % host)
        check_eq(st["http"]["result"], "skip", "%s: HTTP step" % host)
        check_eq(doc["verdict"]["cause"], "tls_error", "%s: verdict cause" % host)
        check_in("TLS handshake", doc["verdict"]["summary"], "%s: verdict summary" % host)
        check_in("stalls", doc["verdict"]["summary"], "%s: verdict summary" % host)
        check_eq(rc, 2, "%s: exit status (an outage: no status page to say otherwise)" % host)


def test_tls_stall_in_text_output():
    f = fx()
    rc, out, err = lib.run_isitdown(["--once"], config(f, f.tarpit_url("/")), timeout=60)
    tls = [ln for ln in out.splitlines() if "Secure connection (TLS)" in ln]
    tcp = [ln for ln in out.splitlines() if "Connection (TCP)" in ln]
    check(tls and "fail" in tls[0] and "the handshake got no answer" in tls[0], "TLS line", out)
    check(tcp and "pass" in tcp[0], "TCP line", out)
    row = [ln for ln in out.splitlines() if ln.startswith("web ")]
    check(row, "a row for web", out)
    # the CONNECT column holds a number, not "-"
    header = next(ln for ln in out.splitlines() if ln.startswith("TARGET"))
    cols = dict(zip(header.split(), row[0].split()))
    check(cols["CONNECT"].replace(".", "", 1).isdigit(), "a connect time in the row", header, row[0])
    check_eq(cols["TLS"], "-", "no handshake time")


def test_nothing_listens_is_tcp():
    f = fx()
    port = lib.free_port()
    rc, doc = once_json(config(f, "https://127.0.0.1:%d/" % port))
    x = web(doc)
    st = steps(doc)
    check_eq(x["outcome"], "connect_fail", "outcome")
    check(x["timings_ms"]["connect"] is None, "no connect time", x)
    check_eq(st["tcp"]["result"], "fail", "TCP step")
    check_eq(st["tls"]["result"], "skip", "TLS step")
    check_in("not reached", st["tls"]["detail"], "TLS detail")
    check_eq(doc["verdict"]["cause"], "unreachable", "verdict cause")


def test_nothing_accepts_is_tcp():
    f = fx()
    with syn_blackhole() as port:
        rc, doc = once_json(config(f, "https://127.0.0.1:%d/" % port))
    x = web(doc)
    st = steps(doc)
    ctx = (x, st["tcp"], st["tls"])
    check_eq(x["outcome"], "timeout", "outcome")
    check_not_in("TLS handshake", x["error"], "error")
    check(x["timings_ms"]["connect"] is None, "no connect time", *ctx)
    check_eq(st["tcp"]["result"], "fail", "TCP step")
    check_in("no answer in time", st["tcp"]["detail"], "TCP detail")
    check_eq(st["tls"]["result"], "skip", "TLS step")
    check_eq(doc["verdict"]["cause"], "unreachable", "verdict cause")


def test_stall_after_the_handshake_is_http():
    f = fx()
    rc, doc = once_json(config(f, f.https_url("/hang")))
    x = web(doc)
    st = steps(doc)
    ctx = (x, st["tls"], st["http"])
    check_eq(x["outcome"], "timeout", "outcome")
    check(x["timings_ms"]["tls"] is not None, "the handshake was timed", *ctx)
    check_eq(st["tcp"]["result"], "pass", "TCP step")
    check_eq(st["tls"]["result"], "pass", "TLS step")
    check_eq(st["http"]["result"], "fail", "HTTP step")
    check_eq(doc["verdict"]["cause"], "timeout", "verdict cause")


if __name__ == "__main__":
    lib.main()
