#!/usr/bin/env python3
"""The evidence report (--report FILE), as the person who attaches it to a
ticket reads it: written against the fixture's scripted outage (a service that
answers, then 503s, then answers again, and a status page with an incident and
its updates), in Markdown and in JSON, with the verdict and its reasoning, the
checklist, per-target phase timings, the official status with the incident's
updates, the last hour of events, and no secret.  A path that cannot be
written is refused before any probe, with the reason."""

import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in, check_not_in  # noqa: E402

PAGE = "statuspage/github-summary-minor-degraded-performance-2026-08-13.json"
URL_SECRET = "pw-in-url-93f1"
HEADER_SECRET = "sk-report-header-5c2e"
DELAY_MS = 120
# two answers, four 503s (down after two of them), then answers for good
STEPS = "delay:%d:200*2,503*4,delay:%d:200" % (DELAY_MS, DELAY_MS)


def page():
    with open(os.path.join(lib.DATA_DIR, PAGE)) as f:
        return json.load(f)


def config(fx, seq):
    port = fx.http_port
    return {
        "service": "Loop", "interval_s": 0.25, "timeout_s": 3,
        "targets": [
            {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": port, "role": "control"},
            {"name": "web", "kind": "http", "component": "Web",
             "url": "http://robot:%s@127.0.0.1:%d/seq/%s?steps=%s" % (URL_SECRET, port, seq, STEPS),
             "headers": {"Authorization": "Bearer ${REPORT_SECRET}"}},
            {"name": "status", "kind": "statuspage", "url": fx.url("/file/" + PAGE)},
        ],
    }


class Lines:
    """Reads a process's stdout in a thread, so a test can wait for a line."""

    def __init__(self, stream):
        self.lines = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for raw in stream:
            with self.cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cond.notify_all()

    def wait(self, pred, what, timeout=30):
        end = time.monotonic() + timeout
        with self.cond:
            while not pred(self.lines):
                left = end - time.monotonic()
                if left <= 0:
                    raise AssertionError("timed out waiting for %s; stdout was:\n%s"
                                         % (what, "\n".join(self.lines[-40:])))
                self.cond.wait(left)
            return list(self.lines)


def recovered(lines):
    """A web down line, and a later web up line."""
    down = next((i for i, l in enumerate(lines) if re.search(r"web: \S+ -> down", l)), None)
    return down is not None and any(re.search(r"web: down -> up", l) for l in lines[down:])


def run_outage(mode_args, report):
    """Runs isitdown through the scripted outage until it has recovered, stops
    it with SIGTERM and returns (stdout lines, stderr, fixture's request count
    of the sequence, exit status)."""
    fx = lib.shared_fixture()
    seq = "report-%d" % int(time.time() * 1000)
    env = {"REPORT_SECRET": HEADER_SECRET}
    with lib.isitdown_process(mode_args + ["--no-state", "--report", report], config(fx, seq), env=env) as p:
        out = Lines(p.stdout)
        lines = out.wait(recovered, "the outage and the recovery", timeout=60)
        p.send_signal(signal.SIGTERM)
        rc = p.wait(20)
        err = p.stderr.read().decode("utf-8", "replace")
        out.thread.join(5)
    return lines, err, fx.count("/seq/" + seq), rc


def section(text, title):
    """The body of '## title' up to the next '## '."""
    m = re.search(r"^## %s\n(.*?)(?=^## |\Z)" % re.escape(title), text, re.M | re.S)
    check(m, "no section %r in the report" % title, text)
    return m.group(1)


def check_no_secret(text):
    check_not_in(URL_SECRET, text, "report")
    check_not_in(HEADER_SECRET, text, "report")
    check_not_in("Authorization", text, "report")


def test_markdown_after_outage():
    tmp = tempfile.mkdtemp(prefix="isitdown-report-")
    try:
        path = os.path.join(tmp, "evidence.md")
        lines, err, requests, rc = run_outage(["--lines"], path)
        check_eq(rc, 0, "exit status after SIGTERM")
        check_in("report written to %s" % path, err, "stderr")
        with open(path) as f:
            text = f.read()
        check_no_secret(text)
        check(text.startswith("# isitdown report: Loop\n"), "the report has no title", text[:300])
        check(re.search(r"^- measured by: isitdown \d+\.\d+\.\d+ with libcurl \d+\.\d+", text, re.M),
              "the versions a support ticket asks for", text[:600])

        # a paragraph for the provider's support before the details, and the outage with its times
        summary = section(text, "Summary")
        check(re.search(r"^At .* \(\d{4}-\d\d-\d\dT[\d:]+Z\), measured from this machine: ", summary, re.M),
              "the summary says when and from where", summary)
        check_in("The last outage began at ", summary, "summary")
        outages = section(text, "Outages")
        rows = re.findall(r"^\| (\S+Z) \| (\S+Z) \| ([^|]+) \| `(partial_outage|major_outage)` \|$", outages, re.M)
        check(len(rows) == 1, "one outage, ended, in the table", outages)
        start, end = (time.mktime(time.strptime(x, "%Y-%m-%dT%H:%M:%SZ")) for x in rows[0][:2])
        check(0 <= end - start < 60, "the outage ends after it starts, within the run", rows)
        check_not_in("\\_", summary + outages, "prose escapes")

        # the verdict with its reasoning: the page's incident, our probes passing again
        v = section(text, "Verdict")
        check_in("**DEGRADED**: official incident: Errors with the Fable 5 Model in Copilot (minor)", v, "verdict")
        check_in("- cause: official_incident", v, "verdict")
        check_in("- service targets down: 0 of 1 with a result (1 configured)", v, "verdict")
        check_in("- control targets down: 0 of 1 with a result (1 configured)", v, "verdict")
        check_in("- official: Errors with the Fable 5 Model in Copilot (minor)", v, "verdict")

        # the checklist, step by step with results
        cl = section(text, "Checklist")
        check_in("| 1 | Internet connection | pass |", cl, "checklist")
        # web carries a key header, so the checklist counts it as the API
        check_in("| API | pass | web: HTTP 200 in ", cl, "checklist")
        check_in("| Official status page | warn | Errors with the Fable 5 Model in Copilot (minor) |", cl,
                 "checklist")

        # the web target: the four 503s counted, the last answer, phase timings
        tg = section(text, "Targets")
        check_in("| Web | operational | - |", tg, "component table")
        web = re.search(r"^### web\n(.*?)(?=^### |\Z)", tg, re.M | re.S).group(1)
        check_in("- URL: http://robot:\\*\\*\\*\\*@127.0.0.1:", web, "web target")
        m = re.search(r"- state: up since .*; (\d+) probes, (\d+) failed", web)
        check(m, "no state line for web", web)
        probes, failed = int(m.group(1)), int(m.group(2))
        check_eq(failed, 4, "failed probes of web (the four 503s)")
        # SIGTERM may have cut one request short
        check(requests - 1 <= probes <= requests, "web: %d probes in the report, the fixture answered %d"
              % (probes, requests), web)
        check_in("HTTP 200, ok", web, "web's last result")
        rows = dict(re.findall(r"^\| (DNS|connect|TLS|first byte|transfer|total) \| (.*) \|$", web, re.M))
        check_eq(sorted(rows), sorted(["DNS", "connect", "TLS", "first byte", "transfer", "total"]), "phases")
        check_eq(rows["TLS"], "- | - | -", "TLS over plain HTTP")

        def ms(cell):
            n, unit = cell.split()
            return float(n) * (1000 if unit == "s" else 1)

        last, p50, p95 = (ms(c) for c in rows["first byte"].split(" | "))
        # every answer waited DELAY_MS before its status line; 503s are not in p50/p95
        check(last >= DELAY_MS and p50 >= DELAY_MS and p95 >= p50, "first byte: %s" % rows["first byte"], web)
        check(ms(rows["connect"].split(" | ")[1]) < DELAY_MS, "connect p50 includes the delay", web)

        # the official status with the incident and all three updates
        of = section(text, "Official status")
        check_in("- status: Partially Degraded Service (indicator minor)", of, "official")
        check_in("- Copilot AI Model Providers: degraded performance", of, "official")
        inc = page()["incidents"][0]
        check_in("### " + inc["name"], of, "official")
        check_in("- status: investigating, impact: minor", of, "official")
        for u in inc["incident_updates"]:
            check_in("  > " + u["body"][:60], of, "incident update")

        # the event log: start, down, recovery, oldest first, with the component
        ev = section(text, "Event log, last hour")
        i_start = ev.find("**info** monitor: monitoring Loop: 3 targets")
        i_down = ev.find("**critical** probe [Web]: web: confirming -\\> down (HTTP 503 server error)")
        i_up = ev.find("probe [Web]: web: down -\\> up")
        check(0 <= i_start < i_down < i_up, "start, down and up are not all there in order", ev)
        check_in("official [Copilot AI Model Providers]: incident already open: " + inc["name"], ev, "events")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_json_after_outage():
    tmp = tempfile.mkdtemp(prefix="isitdown-report-")
    try:
        path = os.path.join(tmp, "evidence.json")
        lines, err, requests, rc = run_outage(["--headless"], path)
        check_eq(rc, 0, "exit status after SIGTERM")
        check_in("report written to %s" % path, err, "stderr")
        with open(path) as f:
            text = f.read()
        check_no_secret(text)
        doc = lib.parse_json(text, path)

        v = doc["verdict"]
        check_eq(v["state"], "degraded", "verdict.state")
        check_eq(v["cause"], "official_incident", "verdict.cause")
        check_eq(v["headline"], "DEGRADED", "verdict.headline")
        check_in("our probes pass", v["summary"], "verdict.summary")
        check_eq((v["service_down"], v["service_known"], v["control_down"], v["control_known"]),
                 (0, 1, 0, 1), "verdict counts")
        check_eq(v["official"], "Errors with the Fable 5 Model in Copilot (minor)", "verdict.official")

        steps = {s["title"]: s for s in doc["checklist"]}
        check_eq(steps["Internet connection"]["result"], "pass", "checklist: internet")
        check_eq(steps["API"]["result"], "pass", "checklist: api")
        check(steps["API"]["detail"].startswith("web: HTTP 200 in "), "checklist: api: %r" % steps["API"])
        check_eq(steps["Official status page"]["result"], "warn", "checklist: official")
        check(all(s["result"] in ("pass", "warn", "fail", "skip", "pending") for s in doc["checklist"]),
              "a checklist result is not a known word", doc["checklist"])

        web = next(t for t in doc["targets"] if t["name"] == "web")
        check_eq(web["state"], "up", "web.state")
        check_eq(web["failures"], 4, "web.failures (the four 503s)")
        check(requests - 1 <= web["probes"] <= requests, "web.probes %d, fixture answered %d"
              % (web["probes"], requests))
        check(web["url"].startswith("http://robot:****@127.0.0.1:"), "web.url not masked: %s" % web["url"])
        ph = web["phases_ms"]
        check_eq(sorted(ph), sorted(["dns", "connect", "tls", "ttfb", "transfer", "total"]), "phases")
        check_eq(ph["tls"], {"last": None, "p50": None, "p95": None}, "tls over plain HTTP")
        check_eq(ph["total"]["last"], web["timings_ms"]["total"], "total.last vs timings_ms.total")
        check(ph["ttfb"]["last"] >= DELAY_MS and ph["ttfb"]["p50"] >= DELAY_MS, "ttfb: %r" % ph["ttfb"])
        check(ph["ttfb"]["p50"] <= ph["ttfb"]["p95"] <= ph["total"]["p95"] + 0.001, "p50 <= p95: %r" % ph)
        check(ph["connect"]["p50"] < DELAY_MS, "connect p50 includes the delay: %r" % ph["connect"])
        control = next(t for t in doc["targets"] if t["name"] == "control")
        check_eq((control["host"], control["port"]), ("127.0.0.1", lib.shared_fixture(reset=False).http_port),
                 "control host and port")

        off = doc["official"]
        check_eq(off["indicator"], "minor", "official.indicator")
        check_eq(off["description"], "Partially Degraded Service", "official.description")
        inc = page()["incidents"][0]
        check_eq(len(off["incidents"]), 1, "official incidents")
        got = off["incidents"][0]
        check_eq(got["name"], inc["name"], "incident name")
        check_eq([u["body"] for u in got["updates"]], [u["body"] for u in inc["incident_updates"]],
                 "incident updates")

        ev = doc["events"]
        texts = [(e["severity"], e["component"], e["text"]) for e in ev]
        down = next((i for i, e in enumerate(texts) if e[2] == "web: confirming -> down (HTTP 503 server error)"),
                    None)
        up = next((i for i, e in enumerate(texts) if re.fullmatch(r"web: down -> up after \d+ s", e[2])), None)
        check(down is not None and up is not None and down < up, "down then up not in the events", texts)
        check_eq(texts[down][:2], ("critical", "Web"), "the down event")
        check_eq(texts[up][1], "Web", "the up event's component")
        check(all(e["ts"] <= f["ts"] for e, f in zip(ev, ev[1:])), "events not oldest first", texts)
        check_eq(doc["report"]["window_s"], 3600, "report.window_s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_once_report():
    fx = lib.shared_fixture()
    tmp = tempfile.mkdtemp(prefix="isitdown-report-")
    try:
        path = os.path.join(tmp, "once.md")
        cfg = {"service": "Loop", "targets": [
            {"name": "web", "kind": "http", "component": "Web", "url": fx.url("/status/503")}]}
        rc, out, err = lib.run_isitdown(["--once", "--report", path], cfg, timeout=60)
        # the exit status is the verdict's, the report does not change it
        check_eq(rc, 2, "exit status of --once with the service failing")
        check_in("report written to %s" % path, err, "stderr")
        with open(path) as f:
            text = f.read()
        check_in("**MAJOR OUTAGE**", section(text, "Verdict"), "verdict")
        check_in("HTTP 503", section(text, "Targets"), "web's last result")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_request_identifiers_and_phases_by_kind():
    """What the service named the request goes into the report (never a cookie
    or another header), with the address that answered and the HTTP version;
    a DNS target's table has only the phases a lookup has."""
    fx = lib.shared_fixture()
    fx.mount("/rid", body="ok", headers={"X-Request-Id": "req-7f3a", "CF-Ray": "8f1c2d-AMS",
                                        "Set-Cookie": "session=cookie-secret-1"})
    tmp = tempfile.mkdtemp(prefix="isitdown-report-")
    try:
        path = os.path.join(tmp, "once.md")
        cfg = {"service": "Loop", "targets": [
            {"name": "web", "kind": "http", "component": "Web", "url": fx.url("/rid")},
            {"name": "lookup", "kind": "dns", "host": "localhost"}]}
        rc, out, err = lib.run_isitdown(["--once", "--report", path], cfg, timeout=60)
        check_eq(rc, 0, "exit status")
        with open(path) as f:
            text = f.read()
        web = re.search(r"^### web\n(.*?)(?=^### |\Z)", text, re.M | re.S).group(1)
        check_in("- request identifiers: x-request-id: req-7f3a, cf-ray: 8f1c2d-AMS", web, "web")
        check(re.search(r"^- answered by: 127\.0\.0\.1, HTTP/1\.[01]$", web, re.M), "address and version", web)
        check_not_in("cookie-secret-1", text, "report")
        # the JSON form says the same
        jpath = os.path.join(tmp, "once.json")
        rc, out, err = lib.run_isitdown(["--once", "--report", jpath], cfg, timeout=60)
        with open(jpath) as f:
            doc = json.load(f)
        web_t = [t for t in doc["targets"] if t["name"] == "web"][0]
        check_eq(web_t.get("request_ids"), "x-request-id: req-7f3a, cf-ray: 8f1c2d-AMS", "JSON request_ids")
        lookup = re.search(r"^### lookup\n(.*?)(?=^### |^## |\Z)", text, re.M | re.S).group(1)
        rows = re.findall(r"^\| (DNS|connect|TLS|first byte|transfer|total) \|", lookup, re.M)
        check_eq(rows, ["DNS", "total"], "a lookup's phases")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_unwritable_path():
    fx = lib.shared_fixture()
    tmp = tempfile.mkdtemp(prefix="isitdown-report-")
    try:
        cfg = {"service": "Loop", "targets": [
            {"name": "web", "kind": "http", "component": "Web", "url": fx.url("/ok")}]}
        missing = os.path.join(tmp, "no-such-dir", "r.md")
        for path, reason in ((missing, "No such file or directory"), (tmp, "Is a directory")):
            started = time.monotonic()
            rc, out, err = lib.run_isitdown(["--once", "--report", path], cfg, timeout=30)
            check_eq(rc, 3, "exit status with an unwritable report")
            check_eq(err.strip(), "isitdown: cannot write the report %s: %s" % (path, reason), "stderr")
            check_eq(out, "", "stdout")
            check(time.monotonic() - started < 10, "refusing took long")
        # refused before probing anything, and nothing created
        check_eq(fx.count("/ok"), 0, "requests before the refusal")
        check(not os.path.exists(os.path.dirname(missing)), "a directory was created")
        # the same for a long-running mode: refused at once, not after the run
        rc, out, err = lib.run_isitdown(["--lines", "--report", missing], cfg, timeout=30)
        check_eq(rc, 3, "exit status of --lines with an unwritable report")
        check_in("cannot write the report", err, "stderr")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    lib.main()
