"""The Prometheus endpoint of a headless isitdown probing the fixture: what a
scrape holds (checked by promtool), hostile target names escaped, no secret,
and bad clients (garbage, huge headers, slowloris, half-closed connections,
disconnects mid-answer, 50 at once) that never stop the probes."""

import os
import re
import socket
import threading
import time

import lib
import metrics_util as mu

SECRET = "sk-test-metrics-secret-0123456789"
HOSTILE = 'we"ird \\ name\u00e9 \u2603 \U0001F600 x",y="z'


def config(fx, extra_targets=(), interval=0.5):
    return {
        "interval_s": interval,
        "timeout_s": 3,
        "targets": [
            {"name": "api", "kind": "http", "url": fx.http_url("/ok"), "component": "API",
             "headers": {"Authorization": "Bearer ${METRICS_TEST_KEY}"}},
            {"name": HOSTILE, "kind": "http", "url": fx.http_url("/status/503"),
             "component": 'Chat "GPT" \\o/'},
            {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port,
             "role": "control"},
        ] + list(extra_targets),
    }


ENV = {"METRICS_TEST_KEY": SECRET}


def probes(h):
    return mu.total(mu.parse(mu.scrape(h)), "isitdown_probes_total")


def test_scrape_checked_by_promtool():
    fx = lib.shared_fixture()
    with mu.headless(config(fx), env=ENV) as h:
        def ready():
            s = mu.parse(mu.scrape(h))
            return all((mu.value(s, "isitdown_probes_total", target=t) or 0) >= 2
                       for t in ("api", HOSTILE, "control")) and s
        mu.wait_until(ready, 30, "two probes of every target")
        text = mu.scrape(h)
        s = mu.parse(text)
        if not mu.promtool_check(text):
            print("    (promtool not installed: format checked by the test's own parser only)")

        # HELP and TYPE for every family
        names = {n for n, _, _ in s}
        for n in names:
            lib.check_in("# HELP %s " % n, text)
            lib.check_in("# TYPE %s " % n, text)
        for fam in ("probe_success", "probe_duration_seconds", "probe_http_duration_seconds",
                    "probe_http_status_code", "isitdown_target_state", "isitdown_component_state",
                    "isitdown_verdict", "isitdown_probes_total", "isitdown_probe_failures_total",
                    "isitdown_build_info"):
            lib.check(fam in names, "no series of %s" % fam, text)

        lib.check_eq(mu.value(s, "probe_success", target="api", component="API", role="service"), 1.0,
                     "probe_success of api")
        lib.check_eq(mu.value(s, "probe_http_status_code", target="api"), 200.0, "status of api")
        lib.check_eq(mu.value(s, "probe_success", target="control", role="control"), 1.0, "control")
        # the hostile name comes back exactly as configured once unescaped
        lib.check_eq(mu.value(s, "probe_success", target=HOSTILE, component='Chat "GPT" \\o/'), 0.0,
                     "probe_success of the hostile target")
        lib.check_eq(mu.value(s, "probe_http_status_code", target=HOSTILE), 503.0, "status of 503 target")
        lib.check(mu.value(s, "isitdown_probe_failures_total", target=HOSTILE, reason="http_5xx") >= 2,
                  "http_5xx failures counted", text)
        lib.check_eq(mu.value(s, "isitdown_probe_failures_total", target="api", reason="http_5xx"), 0.0,
                     "no failure of api")
        lib.check_eq(mu.value(s, "isitdown_target_state", target=HOSTILE, state="down"), 1.0, "down")
        lib.check_eq(mu.total(s, "isitdown_target_state", target=HOSTILE), 1.0, "one-hot")
        for phase in ("resolve", "connect", "tls", "processing", "transfer"):
            v = mu.value(s, "probe_http_duration_seconds", target="api", phase=phase)
            lib.check(v is not None and 0 <= v < 5, "phase %s of api: %r" % (phase, v))
        lib.check(mu.value(s, "probe_http_duration_seconds", target="api", phase="connect") > 0,
                  "connect took some time", text)
        lib.check(mu.value(s, "isitdown_component_state", component="API", state="operational") == 1, "API up")
        verdict = [l for n, l, v in s if n == "isitdown_verdict"]
        lib.check_eq(len(verdict), 1, "verdict series")
        lib.check_eq(verdict[0]["state"] in ("partial_outage", "major_outage"), True, "verdict %r" % verdict)
        lib.check_eq(mu.value(s, "isitdown_build_info"), 1.0, "build_info")
        # no secret, no URL
        lib.check_not_in(SECRET, text)
        lib.check_not_in("Bearer", text)
        lib.check_not_in("http://", text)
        rc = h.stop()
        lib.check_eq(rc, 0, "exit code after SIGTERM")
        lib.check_not_in(SECRET, h.out.text())


def raw(h, data, shut=False, timeout=10, read=True):
    """Sends bytes on a fresh connection; returns what came back until close."""
    host, port = h.host_port
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        if not read:
            return b""
        got = b""
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            got += b
        return got


def complete(resp):
    """True when the body is as long as Content-Length says."""
    head, _, body = resp.partition(b"\r\n\r\n")
    for l in head.split(b"\r\n"):
        if l.lower().startswith(b"content-length:"):
            return len(body) == int(l.split(b":", 1)[1])
    return False


def status_of(resp):
    line = resp.split(b"\r\n", 1)[0]
    return int(line.split()[1]) if line.startswith(b"HTTP/1.1 ") else None


def test_bad_requests_never_stop_the_probes():
    fx = lib.shared_fixture()
    # enough targets that an answer takes several socket buffers (for the
    # disconnects mid-answer); they are probed once an hour
    bulk = [{"name": "bulk-%03d" % i, "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port,
             "interval_s": 3600} for i in range(300)]
    with mu.headless(config(fx, bulk), env=ENV) as h:
        host, port = h.host_port
        mu.wait_until(lambda: probes(h) >= 300, 30, "the first round of probes")
        before = probes(h)
        big = len(mu.scrape(h))
        lib.check(big > 300000, "answer of %d bytes is large enough" % big)

        st, hd, body = mu.request(host, port, path="/nope")
        lib.check_eq(st, 404, "status of /nope")
        st, hd, body = mu.request(host, port, path="/")
        lib.check_eq(st, 404, "status of /")
        st, hd, body = mu.request(host, port, method="POST")
        lib.check_eq(st, 405, "status of POST")
        lib.check_eq(hd.get("allow"), "GET, HEAD", "Allow header")
        st, hd, body = mu.request(host, port, method="HEAD")
        lib.check_eq((st, body), (200, ""), "HEAD")

        lib.check_eq(status_of(raw(h, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")), 400, "TLS hello")
        lib.check_eq(status_of(raw(h, b"SSH-2.0-OpenSSH_9.2p1\r\n")), 400, "SSH banner")
        lib.check_eq(status_of(raw(h, b"GET /metrics HTTP/1.1\r\n\r\n")), 400, "no Host")
        huge = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"A" * 100000 + b"\r\n\r\n"
        try:
            got = raw(h, huge)
        except (BrokenPipeError, ConnectionResetError):
            got = b""  # refused before we finished sending: also fine
        lib.check(got == b"" or status_of(got) == 431, "huge headers refused: %r" % got[:100])
        many = b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(200)) + b"\r\n"
        lib.check_eq(status_of(raw(h, many)), 431, "too many headers")

        # half-closed: the request, then our FIN; the whole answer still comes
        got = raw(h, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", shut=True)
        lib.check_eq(status_of(got), 200, "half-closed client")
        lib.check(complete(got), "the half-closed client got the whole answer")
        # half a request, then FIN: dropped, nothing sent
        lib.check_eq(raw(h, b"GET /metr", shut=True), b"", "half a request")

        # disconnects mid-answer: after a few bytes, with a FIN and with a reset
        for rst in (False, True, False, True):
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(100)
            if rst:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
        # and one that sends its request and leaves at once
        raw(h, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", read=False)

        # slowloris: a byte every 0.5 s; dropped at the deadline (5 s) with no answer
        t0 = time.monotonic()
        s = socket.create_connection((host, port), timeout=15)
        s.settimeout(0.5)
        got = None
        for b in b"GET /metrics HTTP/1.1\r\nHost: slow\r\nX-Slow: " + b"a" * 100:
            try:
                s.send(bytes([b]))
                got = s.recv(100)
                break  # the server closed (b"") or answered
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                got = b""
                break
        dt = time.monotonic() - t0
        s.close()
        lib.check_eq(got, b"", "slowloris gets no answer")
        lib.check(4 <= dt <= 12, "slowloris dropped after %.1f s" % dt)

        # 50 clients at once, all served in full
        results = [None] * 50
        socks = [socket.create_connection((host, port), timeout=20) for _ in range(50)]
        for s in socks:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")

        def reader(i, s):
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            results[i] = data
            s.close()

        threads = [threading.Thread(target=reader, args=(i, s)) for i, s in enumerate(socks)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for i, r in enumerate(results):
            lib.check(r is not None and status_of(r) == 200, "client %d of 50: %r" % (i, (r or b"")[:80]))
            lib.check(complete(r), "client %d of 50 got the whole answer" % i)

        # after all that, the probes still run
        mu.wait_until(lambda: probes(h) >= before + 6, 20, "probes continuing after the abuse")
        lib.check_eq(h.proc.poll(), None, "isitdown still running")
        rc = h.stop()
        lib.check_eq(rc, 0, "exit code after SIGTERM")
        lib.check_not_in("internal error", h.err.text())


def test_config_key_and_ipv6():
    fx = lib.shared_fixture()
    port = lib.free_port()
    cfg = config(fx)
    cfg["metrics"] = "127.0.0.1:%d" % port
    with mu.headless(cfg, env=ENV, metrics=None) as h:
        h.url = h.out.wait_for(mu.SERVING.pattern).group(1)
        lib.check_eq(h.url, "http://127.0.0.1:%d/metrics" % port, "URL from the config key")
        mu.scrape(h)
        lib.check_eq(h.stop(), 0, "exit code")
    # port 0 in the config takes a free port, as --metrics 0 does (README "Metrics")
    cfg["metrics"] = "127.0.0.1:0"
    with mu.headless(cfg, env=ENV, metrics=None) as h:
        h.url = h.out.wait_for(mu.SERVING.pattern).group(1)
        lib.check(re.match(r"http://127\.0\.0\.1:[1-9][0-9]*/metrics$", h.url),
                  "a free port from the config's port 0: %s" % h.url)
        mu.scrape(h)
        lib.check_eq(h.stop(), 0, "exit code")
    # a port alone is loopback
    with mu.headless(config(fx), env=ENV, metrics="0") as h:
        lib.check(h.url.startswith("http://127.0.0.1:"), "loopback URL %s" % h.url)
        mu.scrape(h)
        lib.check_eq(h.stop(), 0, "exit code")
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError:
        raise lib.Skip("no IPv6 loopback")
    with mu.headless(config(fx), env=ENV, metrics="[::1]:0") as h:
        lib.check(h.url.startswith("http://[::1]:"), "IPv6 URL %s" % h.url)
        mu.scrape(h)
        lib.check_eq(h.stop(), 0, "exit code")


def test_bad_address_or_port_in_use():
    fx = lib.shared_fixture()
    rc, out, err = lib.run_isitdown(["--headless", "--no-state", "--metrics", "localhost:9464"], config(fx),
                                    timeout=20)
    lib.check_eq(rc, 3, "exit code for a name")
    lib.check_in("is not ADDR:PORT", err)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        rc, out, err = lib.run_isitdown(["--headless", "--no-state", "--metrics", "127.0.0.1:%d" % port],
                                        config(fx), timeout=20)
    lib.check_eq(rc, 3, "exit code for a port in use")
    lib.check_in("cannot listen on 127.0.0.1:%d: address already in use" % port, err)
    lib.check_not_in("internal error", err)


if __name__ == "__main__":
    lib.main()
