"""Faults: every way a service or the network can misbehave, against the
loopback fixture.  Each test checks what --once --json reports (outcome and
error text), then runs the monitor in line mode (--lines --json) with a short
interval and checks that it sees the target go down with the same error, keeps
probing it, and sees it up again once the fixture answers well (a mount over
the faulty path).  A monitor that stops probing during an outage is worse than
none."""

import contextlib
import json
import os
import queue
import re
import subprocess
import threading
import time

import lib

INTERVAL = 0.3
SHORT_TIMEOUT = 0.8


def once(cfg, timeout=40):
    """--once --json; returns (document, the first target's entry)."""
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, timeout=timeout)
    doc = lib.parse_json(out, "stdout of --once --json (stderr: %s)" % err)
    return doc, doc["targets"][0]


def check_cut_at(tg, timeout_s):
    """The transfer ended at the timeout, not later (curl says after how long)."""
    m = re.search(r"after (\d+) milliseconds", tg["error"] or "")
    lib.check(m and timeout_s * 1000 <= int(m.group(1)) < timeout_s * 1000 + 1500,
              "not cut at the %.1f s timeout" % timeout_s, tg)


def check_error(tg, outcome, error_re):
    lib.check(tg["outcome"] == outcome and re.search(error_re, tg["error"] or "", re.I),
              "target %s: expected outcome %s with an error matching %r" % (tg["name"], outcome, error_re),
              json.dumps(tg, indent=1))


class Monitor:
    """isitdown --lines --json in the background; a thread collects its events."""

    def __init__(self, cfg, args=("--lines", "--json", "--no-state")):
        self._ctx = lib.isitdown_process(list(args), cfg)
        self.proc = self._ctx.__enter__()
        self.events = []
        self.raw = []
        self._q = queue.Queue()
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()

    def _read(self):
        for line in self.proc.stdout:
            self._q.put(line.decode("utf-8", "replace"))
        self._q.put(None)

    def _pump(self, wait):
        try:
            line = self._q.get(timeout=wait)
        except queue.Empty:
            return
        while line is not None:
            self.raw.append(line)
            self.events.append(lib.parse_json(line, "a line of --lines --json"))
            try:
                line = self._q.get_nowait()
            except queue.Empty:
                return

    def wait_event(self, pred, what, timeout=20):
        """Waits for an event for which pred(event) holds; returns it."""
        seen = 0
        end = time.monotonic() + timeout
        while True:
            for ev in self.events[seen:]:
                if pred(ev):
                    return ev
            seen = len(self.events)
            lib.check(self.proc.poll() is None, "isitdown exited (%s) while waiting for %s" % (self.proc.poll(), what),
                      "".join(self.raw))
            if time.monotonic() > end:
                raise AssertionError("no event for %s in %d s; events:\n%s" % (what, timeout, "".join(self.raw)))
            self._pump(0.1)

    def wait_state(self, target, to, error_re=None, timeout=20):
        """Waits for "TARGET: X -> TO (error)"; returns the event."""
        def pred(ev):
            # a recovery says how long the outage lasted: "svc: down -> up after 3 s"
            m = re.match(r"%s: \w+ -> %s\b(?: \((.*)\)| after [\w ]+)?$" % (re.escape(target), to), ev["text"])
            return m and (error_re is None or re.search(error_re, m.group(1) or "", re.I))
        return self.wait_event(pred, "%s to go %s (%s)" % (target, to, error_re), timeout)

    def alive(self):
        return self.proc.poll() is None

    def close(self):
        self._ctx.__exit__(None, None, None)
        err = self.proc.stderr.read().decode("utf-8", "replace") if not self.proc.stderr.closed else ""
        return err


def wait_count(fx, path, at_least, timeout=20):
    end = time.monotonic() + timeout
    n = fx.count(path)
    while n < at_least:
        lib.check(time.monotonic() < end, "the fixture saw %d requests to %s, expected %d" % (n, path, at_least))
        time.sleep(0.1)
        n = fx.count(path)
    return n


def http_cfg(url, timeout_s=2.0, **extra):
    t = {"name": "svc", "url": url}
    t.update(extra)
    return {"service": "Faulty", "interval_s": INTERVAL, "timeout_s": timeout_s,
            "targets": [t]}


def sp_cfg(fx, url, **extra):
    """A good service plus a status page target polled as often as a probe."""
    t = {"name": "status", "kind": "statuspage", "url": url, "interval_s": INTERVAL}
    t.update(extra)
    return {"service": "Faulty", "interval_s": INTERVAL, "timeout_s": 2,
            "targets": [t, {"name": "svc", "url": fx.url("/ok")}]}


GOOD_SUMMARY = "statuspage/github-summary-all-operational-2026-08-22.json"


@contextlib.contextmanager
def monitoring(cfg):
    """The monitor in line mode for the length of the with block; it must
    not complain on stderr (warnings aside)."""
    mon = Monitor(cfg)
    try:
        yield mon
    finally:
        err = mon.close()
    bad = [l for l in err.splitlines() if l.strip() and "warning" not in l]
    lib.check(not bad, "isitdown complained on stderr", err)


def fault_then_recover(fx, cfg, path, target, error_re, check_once=None, good_file=None):
    """The monitor sees TARGET go down with error_re, keeps probing PATH, and
    comes back up when the fixture serves a good answer there.  check_once
    (the --once checks) runs while the monitor is already at work, to save
    time."""
    with monitoring(cfg) as mon:
        if check_once:
            check_once()
        mon.wait_state(target, "down", error_re)
        n = fx.count(path)
        wait_count(fx, path, n + 2)
        lib.check(mon.alive(), "isitdown died after the fault")
        if good_file:
            fx.mount(path, file=good_file, ctype="application/json")
        else:
            fx.mount(path, body="ok\n", ctype="text/plain")
        mon.wait_state(target, "up")


# ---------------------------------------------------------------- tests

def test_connection_refused():
    fx = lib.shared_fixture()
    port = lib.closed_port()
    cfg = http_cfg("http://127.0.0.1:%d/ok" % port)
    # keeps probing: the monitor keeps trying, and a good target next to it stays watched
    cfg2 = http_cfg("http://127.0.0.1:%d/ok" % port)
    cfg2["targets"].append({"name": "good", "url": fx.url("/ok")})
    with monitoring(cfg2) as mon:
        doc, tg = once(cfg)
        check_error(tg, "connect_fail", r"couldn't connect|connection refused")
        lib.check_eq(doc["verdict"]["cause"], "unreachable", "verdict cause")
        mon.wait_state("svc", "down", r"couldn't connect")
        n = fx.count("/ok")
        wait_count(fx, "/ok", n + 3)
        lib.check(mon.alive(), "isitdown died")


def test_reset_mid_response():
    fx = lib.shared_fixture()
    cfg = http_cfg(fx.url("/reset-mid"))

    def check_once():
        doc, tg = once(cfg)
        check_error(tg, "recv_fail", r"connection reset by peer")
        lib.check_eq(doc["verdict"]["cause"], "bad_response", "verdict cause")
    fault_then_recover(fx, cfg, "/reset-mid", "svc", r"reset by peer", check_once)


def test_hang_before_headers():
    fx = lib.shared_fixture()
    cfg = http_cfg(fx.url("/hang"), timeout_s=SHORT_TIMEOUT)

    def check_once():
        t0 = time.monotonic()
        doc, tg = once(cfg)
        check_error(tg, "timeout", r"timed out after \d+ milliseconds with 0 bytes")
        check_cut_at(tg, SHORT_TIMEOUT)
        lib.check(time.monotonic() - t0 < 20, "--once took far longer than its timeouts")
    fault_then_recover(fx, cfg, "/hang", "svc", r"timed out", check_once)


def test_hang_mid_body():
    fx = lib.shared_fixture()
    cfg = http_cfg(fx.url("/hang-body"), timeout_s=SHORT_TIMEOUT)

    def check_once():
        doc, tg = once(cfg)
        check_error(tg, "timeout", r"timed out after \d+ milliseconds with 100 out of 1000 bytes")
        lib.check_eq(tg["http_status"], 200, "status line of a body that hangs")
        check_cut_at(tg, SHORT_TIMEOUT)
    fault_then_recover(fx, cfg, "/hang-body", "svc", r"timed out", check_once)


def test_trickle_one_byte_a_second():
    fx = lib.shared_fixture()
    cfg = http_cfg(fx.url("/trickle?bytes=60&interval_ms=1000"), timeout_s=1.2)

    def check_once():
        t0 = time.monotonic()
        doc, tg = once(cfg)
        # a byte or two arrived, then the timeout cut the transfer
        check_error(tg, "timeout", r"timed out after \d+ milliseconds with [0-3] out of 60 bytes")
        check_cut_at(tg, 1.2)
        lib.check(time.monotonic() - t0 < 30, "a trickling answer was not cut at the timeout")
    fault_then_recover(fx, cfg, "/trickle", "svc", r"timed out", check_once)


def vm_hwm_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/%d/status" % pid)


def sanitized(pid):
    with open("/proc/%d/maps" % pid) as f:
        return any("libasan" in line or "libtsan" in line for line in f)


def test_huge_body_is_cut_at_the_cap():
    fx = lib.shared_fixture()
    url = fx.url("/huge?mib=100")
    # the monitor reads it again and again, as a probe and as a status page
    cfg = sp_cfg(fx, url)
    cfg["targets"][1]["url"] = url
    with monitoring(cfg) as mon:
        t0 = time.monotonic()
        # a plain probe: the status line answers it, the rest is not read
        doc, tg = once(http_cfg(url))
        lib.check(tg["ok"] and tg["http_status"] == 200, "a 200 with a huge body is still an answer", tg)
        # a status page must be read whole: past the cap it is an error
        doc, sp = once(sp_cfg(fx, url))
        check_error(sp, "recv_fail", r"body larger than the \d+ byte cap")
        lib.check_in("byte cap", doc["official"]["error"] or "", "official.error")
        lib.check(time.monotonic() - t0 < 20, "100 MiB bodies were read to the end")

        mon.wait_state("status", "down", r"byte cap")
        n = fx.count("/huge")
        wait_count(fx, "/huge", n + 6)
        # its memory stays far below the 100 MiB it was offered
        hwm = vm_hwm_kib(mon.proc.pid)
        if sanitized(mon.proc.pid):
            # AddressSanitizer's shadow memory and quarantine dwarf the body
            print("    peak RSS %d KiB: a sanitizer build, not checked" % hwm)
        else:
            print("    peak RSS %d KiB" % hwm)
            lib.check(hwm < 40 * 1024, "isitdown's peak RSS reached %d KiB reading 100 MiB bodies" % hwm)
        fx.mount("/huge", file=GOOD_SUMMARY, ctype="application/json")
        mon.wait_state("status", "up")


def test_redirect_loop():
    fx = lib.shared_fixture(https=True)
    # a status page (over https: only https redirects are followed) follows a
    # few redirects, then gives up
    cfg = sp_cfg(fx, fx.url("/redirect-loop", "https"))
    cfg["ca_file"] = fx.ca_file

    def check_once():
        doc, sp = once(cfg)
        check_error(sp, "http_unexpected", r"maximum \(\d+\) redirects followed")
        # a plain probe does not follow redirects: the 302 is the answer
        doc, tg = once(http_cfg(fx.url("/redirect?to=/not-followed")))
        lib.check(tg["ok"] and tg["http_status"] == 302, "a probe should stop at the first redirect", tg)
        lib.check_eq(fx.count("/not-followed"), 0, "requests that followed a probe's redirect")
    fault_then_recover(fx, cfg, "/redirect-loop", "status", r"redirects followed", check_once,
                       good_file=GOOD_SUMMARY)


def test_redirect_to_another_scheme():
    fx = lib.shared_fixture(https=True)
    # a status page on https redirected to plain http (a downgrade), and one
    # on http redirected to ftp: neither is followed
    down = fx.url("/redirect?to=" + fx.url("/file/" + GOOD_SUMMARY), "https")
    cfg = sp_cfg(fx, down)
    cfg["ca_file"] = fx.ca_file

    def check_once():
        for url, to in ((down, "http://"), (fx.url("/redirect?to=ftp://127.0.0.1/x.json"), "ftp://")):
            c = sp_cfg(fx, url)
            c["ca_file"] = fx.ca_file
            doc, sp = once(c)
            check_error(sp, "http_unexpected", r"refused a redirect to %s.*only https" % to)
        lib.check_eq(fx.count("/file/" + GOOD_SUMMARY), 0, "requests that followed a downgrade")
    fault_then_recover(fx, cfg, "/redirect", "status", r"refused a redirect", check_once,
                       good_file=GOOD_SUMMARY)


def test_wrong_content_length():
    fx = lib.shared_fixture()
    cfg = http_cfg(fx.url("/bad-length"))

    def check_once():
        doc, tg = once(cfg)
        check_error(tg, "recv_fail", r"transfer closed with 50 bytes remaining")
    fault_then_recover(fx, cfg, "/bad-length", "svc", r"bytes remaining", check_once)


def test_chunked_encoding_error():
    fx = lib.shared_fixture()
    cfg = http_cfg(fx.url("/bad-chunked"))

    def check_once():
        doc, tg = once(cfg)
        check_error(tg, "recv_fail", r"chunked")
    fault_then_recover(fx, cfg, "/bad-chunked", "svc", r"chunked", check_once)


def test_status_page_invalid_json():
    fx = lib.shared_fixture()
    cfg = sp_cfg(fx, fx.url("/json/malformed"))

    def check_once():
        doc, sp = once(cfg)
        check_error(sp, "body_mismatch", r"invalid JSON")
        lib.check_in("invalid JSON", doc["official"]["error"] or "", "official.error")
        # the service itself is fine: a broken status page is no outage
        lib.check_eq(doc["verdict"]["state"], "operational", "verdict")
    fault_then_recover(fx, cfg, "/json/malformed", "status", r"invalid JSON", check_once,
                       good_file=GOOD_SUMMARY)


def test_status_page_nested_100000_deep():
    fx = lib.shared_fixture()
    cfg = sp_cfg(fx, fx.url("/json/deep?depth=100000&kind=object"))

    def check_once():
        for kind in ("array", "object"):
            doc, sp = once(sp_cfg(fx, fx.url("/json/deep?depth=100000&kind=" + kind)))
            check_error(sp, "body_mismatch", r"invalid JSON: nested deeper than \d+ levels")
    fault_then_recover(fx, cfg, "/json/deep", "status", r"nested deeper", check_once,
                       good_file=GOOD_SUMMARY)


def test_status_page_empty_200():
    fx = lib.shared_fixture()
    cfg = sp_cfg(fx, fx.url("/empty"))

    def check_once():
        doc, sp = once(cfg)
        check_error(sp, "body_mismatch", r"empty response body")
    fault_then_recover(fx, cfg, "/empty", "status", r"empty", check_once, good_file=GOOD_SUMMARY)


def test_status_page_html_instead_of_json():
    fx = lib.shared_fixture()
    cfg = sp_cfg(fx, fx.url("/html"))

    def check_once():
        doc, sp = once(cfg)
        check_error(sp, "body_mismatch", r"HTML, not JSON")
    fault_then_recover(fx, cfg, "/html", "status", r"HTML", check_once, good_file=GOOD_SUMMARY)


def tls_case(variant, error_re):
    fx = lib.shared_fixture(https=True)
    url = fx.url("/ok", "https", variant)
    cfg = http_cfg(url)
    cfg["ca_file"] = fx.ca_file
    # the monitor keeps trying it (one handshake per probe) next to a good target
    cfg2 = http_cfg(url)
    cfg2["ca_file"] = fx.ca_file
    cfg2["targets"].append({"name": "good", "url": fx.url("/good", "https", "good")})
    with monitoring(cfg2) as mon:
        doc, tg = once(cfg)
        check_error(tg, "tls_fail", error_re)
        lib.check_eq(doc["verdict"]["cause"], "tls_error", "verdict cause")
        mon.wait_state("svc", "down", error_re)
        n = fx.count("/good")
        wait_count(fx, "/good", n + 3)
        lib.check(mon.alive(), "isitdown died")
        # no request ever went past a bad certificate
        lib.check_eq(fx.count("/ok"), 0, "requests sent past a bad certificate")


def test_certificate_expired():
    tls_case("expired", r"certificate has expired")


def test_certificate_self_signed():
    tls_case("self_signed", r"self-signed certificate")


def test_certificate_for_another_name():
    tls_case("wrong_name", r"no alternative certificate subject name matches|does not match")


def test_dns_failure():
    fx = lib.shared_fixture()
    url = "http://svc.isitdown.test:%d/ok" % fx.http_port
    cfg = http_cfg(url)
    cfg["resolve"] = {"svc.isitdown.test": "fail"}
    cfg2 = json.loads(json.dumps(cfg))
    cfg2["targets"].append({"name": "good", "url": fx.url("/ok")})
    with monitoring(cfg2) as mon:
        doc, tg = once(cfg)
        check_error(tg, "dns_fail", r"could not resolve host: svc\.isitdown\.test")
        lib.check(doc["verdict"]["cause"] in ("dns_service", "dns_all"), "verdict cause", doc["verdict"])
        mon.wait_state("svc", "down", r"could not resolve")
        n = fx.count("/ok")
        wait_count(fx, "/ok", n + 3)
        lib.check(mon.alive(), "isitdown died")


def test_fixture_killed_and_restarted():
    fx = lib.launch_fixture()
    port = fx.http_port
    cfg = http_cfg(fx.url("/ok"), timeout_s=1)
    fx2 = None
    mon = Monitor(cfg)
    try:
        wait_count(fx, "/ok", 2)
        mon.wait_event(lambda ev: ev["source"] == "verdict" and ev["text"].startswith("operational"),
                       "the first verdict")
        fx.proc.kill()          # no goodbye: the server just vanishes
        fx.proc.wait()
        fx.stop()
        mon.wait_state("svc", "down", r"couldn't connect|connection refused|reset|recv failure")
        mon.wait_event(lambda ev: ev["source"] == "verdict" and not ev["text"].startswith("operational"),
                       "a verdict that is not operational")
        fx2 = lib.launch_fixture(http_port=port)
        lib.check_eq(fx2.http_port, port, "the new fixture's port")
        mon.wait_state("svc", "up")
        mon.wait_event(lambda ev: ev["source"] == "verdict" and ev["text"].startswith("operational"),
                       "the verdict to be operational again")
        n = fx2.count("/ok")
        wait_count(fx2, "/ok", n + 2)
    finally:
        mon.close()
        if fx2:
            fx2.stop()


if __name__ == "__main__":
    lib.main()
