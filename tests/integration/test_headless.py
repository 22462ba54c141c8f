"""--headless: a daemon-friendly process with no terminal (a new session,
stdin from /dev/null, stdout and stderr pipes) that logs events to stdout,
serves --metrics, and stops cleanly on SIGTERM, SIGINT and SIGHUP."""

import re
import signal
import socket
import subprocess
import time

import lib
import metrics_util as mu


def config(fx, path="/seq/headless", interval=0.3):
    return {
        "interval_s": interval,
        "timeout_s": 3,
        "targets": [
            {"name": "api", "kind": "http", "url": fx.http_url(path), "component": "API"},
            {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port, "role": "control"},
        ],
    }


def test_logs_events_and_serves_metrics():
    fx = lib.shared_fixture()
    # up, then down for a while, then up again: the log tells the story
    fx.set_seq("headless", "200*3,503*6,200")
    with mu.headless(config(fx)) as h:
        h.out.wait_for(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d info +- +serving metrics at http://127\.0\.0\.1:\d+/metrics$")
        h.out.wait_for(r"monitoring API: 2 targets")
        h.out.wait_for(r"^\S+ \S+ critical +API +api: \S+ -> down \(.*503", timeout=30)
        mid = mu.parse(mu.scrape(h))
        lib.check_eq(mu.value(mid, "probe_success", target="api"), 0.0, "probe_success while down")
        h.out.wait_for(r"api: down -> up", timeout=30)
        after = mu.parse(mu.scrape(h))
        lib.check_eq(mu.value(after, "probe_success", target="api"), 1.0, "probe_success once up")
        lib.check(mu.value(after, "isitdown_probe_failures_total", target="api", reason="http_5xx") >= 2,
                  "failures counted")
        rc = h.stop(signal.SIGTERM)
        lib.check_eq(rc, 0, "exit code after SIGTERM")
        err = h.err.text()
        lib.check_not_in("internal error", err)
        lib.check_eq(err.strip(), "", "stderr")
        # nothing but event lines on stdout: no screen, no escape sequence
        out = h.out.text()
        lib.check_not_in("\x1b", out)
        for line in out.split("\n"):
            lib.check(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ ", line), "an event line: %r" % line)


def test_stops_on_each_signal():
    fx = lib.shared_fixture()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        with mu.headless(config(fx, "/ok")) as h:
            # a scrape in flight, a client half-way through its request
            host, port = h.host_port
            idle = socket.create_connection((host, port), timeout=5)
            idle.sendall(b"GET /met")
            mu.scrape(h)
            t0 = time.monotonic()
            rc = h.stop(sig)
            lib.check_eq(rc, 0, "exit code after %s" % sig.name)
            lib.check(time.monotonic() - t0 < 5, "stopped quickly after %s" % sig.name)
            lib.check_not_in("internal error", h.err.text())
            # the endpoint is gone with the process
            lib.check_eq(idle.recv(10), b"", "idle client closed")
            idle.close()


def test_json_lines_and_no_metrics():
    fx = lib.shared_fixture()
    with mu.headless(config(fx, "/ok"), extra_args=["--json"], metrics=None) as h:
        h.out.wait_for(r'"text": ?"monitoring API: 2 targets"')
        # the verdict, with its state and cause as fields
        h.out.wait_for(r'"source": ?"verdict".*"text": ?"operational: ')
        time.sleep(0.5)
        lib.check_eq(h.stop(), 0, "exit code")
    lines = [l for l in h.out.text().split("\n") if l]
    lib.check(len(lines) >= 1, "some events")
    for l in lines:
        ev = lib.parse_json(l, "a JSON line")
        for k in ("time", "severity", "text"):
            lib.check(k in ev, "event without %s: %s" % (k, l))
    lib.check(not any("serving metrics" in l for l in lines), "no metrics without --metrics")
    verdicts = [lib.parse_json(l) for l in lines if '"verdict"' in l]
    lib.check_eq([(v["state"], v["cause"]) for v in verdicts], [("unknown", "no_data"), ("operational", "ok")],
                 "verdict events: checking first, then the verdict")


def test_no_terminal_needed():
    """stdin closed, no controlling terminal, TERM unset: it runs anyway."""
    fx = lib.shared_fixture()
    tmp_env = {"TERM": None}
    argv_cfg = config(fx, "/ok")
    with lib.isitdown_process(["--headless", "--no-state", "--metrics", "127.0.0.1:0"], argv_cfg,
                              env=tmp_env) as proc:
        proc.stdin.close()
        h = mu.Headless(proc)
        h.url = h.out.wait_for(mu.SERVING.pattern).group(1)
        s = mu.wait_until(lambda: mu.value(mu.parse(mu.scrape(h)), "probe_success", target="api") == 1.0,
                          20, "api probed")
        lib.check(s, "api up")
        lib.check_eq(h.stop(), 0, "exit code")


if __name__ == "__main__":
    lib.main()
