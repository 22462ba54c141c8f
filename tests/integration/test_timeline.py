#!/usr/bin/env python3
"""The verdict over time: timelines played on loopback by a service whose
answers change on a schedule, checked against the rules README.md writes
down in "How the verdict changes over time".

Each test runs `isitdown --lines --json` with a 1 s interval against one
service target (a fixture sequence switched live through /_control/seq) and a
control that always answers, and reads the verdict events (source "verdict",
with "state" and "cause" fields) and the target events as they come:

- before the service target has a settled result the verdict is
  unknown/no_data, never operational, even though the control answers;
- a failure that persists is called an outage within 3 intervals of its
  start, whatever happened before it (blips, flapping);
- a recovery is called operational within 3 intervals of the service
  answering again, and the target's recovery event says how long it lasted;
- flapping ends as soon as the target holds a state for the confirming count;
- a slow period reads degraded (slow), then operational again.

The margins allow for a loaded machine: MARGIN seconds on top of each bound."""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq  # noqa: E402

INTERVAL = 1.0
TIMEOUT = 1.0
MARGIN = 2.0
OUTAGES = ("partial_outage", "major_outage")


def config(fx, name, **extra):
    web = {"name": "web", "url": fx.url("/seq/" + name), "component": "Web"}
    web.update(extra)
    return {
        "service": "Loop", "interval_s": INTERVAL, "timeout_s": TIMEOUT,
        "targets": [
            {"name": "control", "url": fx.url("/ok"), "role": "control"},
            web,
        ],
    }


class Timeline:
    """isitdown --lines --json in the background; events parsed as they come."""

    def __init__(self, fx, name, steps, **extra):
        fx.set_seq(name, steps)
        self.fx = fx
        self.name = name
        self._ctx = lib.isitdown_process(["--lines", "--json", "--no-state"], config(fx, name, **extra))
        self.proc = self._ctx.__enter__()
        self.out = lib.Lines(self.proc)
        self.start = time.time()

    def close(self):
        self._ctx.__exit__(None, None, None)

    def events(self):
        return [json.loads(l) for l in self.out.lines if l.strip()]

    def verdicts(self, since=0):
        return [e for e in self.events() if e["source"] == "verdict" and e["ts"] >= since]

    def wait(self, pred, timeout, what):
        line = self.out.wait_for(lambda l: l.strip() and pred(json.loads(l)), timeout, what)
        return json.loads(line)

    def wait_verdict(self, pred, timeout, what, since=0):
        return self.wait(lambda e: e["source"] == "verdict" and e["ts"] >= since and pred(e), timeout, what)

    def switch(self, steps):
        """The service answers differently from now on; returns the time."""
        self.fx.set_seq(self.name, steps)
        return time.time()

    def settle(self, seconds):
        """Lets the timeline run: reads what comes for that long."""
        end = time.time() + seconds
        try:
            self.out.wait_for(lambda l: False, seconds, "")
        except AssertionError:
            pass
        check(time.time() >= end - 0.1, "isitdown stopped early", self.out.text())
        check(self.proc.poll() is None, "isitdown exited", self.out.text())


def check_verdict_fields(e):
    check(isinstance(e.get("state"), str) and isinstance(e.get("cause"), str),
          "a verdict event carries state and cause fields", e)
    check(e["text"].startswith(e["state"] + ": "), "the text begins with the state", e)


def within(e, t0, bound, what):
    took = e["ts"] - t0
    check(took <= bound + MARGIN, "%s after %.1f s, the rule says within %.1f s" % (what, took, bound), e)


def outage_seconds(text):
    """"web: down -> up after 1 min 5 s" -> 65."""
    m = re.search(r"after (?:(\d+) min ?)?(?:(\d+) s)?$", text)
    check(m and (m.group(1) or m.group(2)), "a recovery event says how long the outage lasted", text)
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


def test_start_during_an_outage():
    fx = lib.shared_fixture()
    tl = Timeline(fx, "start-down", "503")
    try:
        first = tl.wait_verdict(lambda e: True, 10, "a first verdict")
        check_verdict_fields(first)
        check_eq((first["state"], first["cause"]), ("unknown", "no_data"), "the first verdict")
        check_in_text("waiting for web", first)
        down = tl.wait_verdict(lambda e: e["state"] != "unknown", 15, "a verdict after checking")
        check_verdict_fields(down)
        check(down["state"] in OUTAGES and down["cause"] == "http_5xx",
              "the first settled verdict is an outage", down)
        # the first probe and its quick retry: within 3 intervals of the start
        within(down, tl.start, 3 * INTERVAL, "the outage called")
        check(not any(e["state"] == "operational" for e in tl.verdicts()),
              "never operational while the service answers 503", tl.out.text())
        tl.wait(lambda e: re.match(r"web: \w+ -> down \(HTTP 503", e["text"]), 5, "the target event")

        back = tl.switch("200")
        up = tl.wait_verdict(lambda e: e["state"] == "operational", 15, "the recovery", since=back)
        check_verdict_fields(up)
        check_eq(up["cause"], "ok", "cause of the recovery")
        within(up, back, 3 * INTERVAL, "the recovery called")
        rec = tl.wait(lambda e: e["text"].startswith("web: down -> up after"), 5, "the recovery event")
        lasted = outage_seconds(rec["text"])
        check(abs(lasted - (back - tl.start)) <= 2 * INTERVAL + MARGIN,
              "the outage lasted about %.0f s, the event says %d s" % (back - tl.start, lasted), rec)
    finally:
        tl.close()


def test_start_with_many_targets_some_failing():
    """Twenty service targets, eight of them answering 503 from the start: the
    verdict checks, then says partial outage; never operational on the way."""
    fx = lib.shared_fixture()
    targets = [{"name": "control", "url": fx.url("/ok"), "role": "control"}]
    for i in range(20):
        targets.append({"name": "svc%02d" % i, "url": fx.url("/status/503" if i % 5 < 2 else "/ok")})
    cfg = {"service": "Many", "interval_s": INTERVAL, "timeout_s": TIMEOUT, "targets": targets}
    with lib.isitdown_process(["--lines", "--json", "--no-state"], cfg) as proc:
        out = lib.Lines(proc)
        start = time.time()
        first = json.loads(out.wait_for(lambda l: '"verdict"' in l, 10, "a first verdict"))
        check_eq((first["state"], first["cause"]), ("unknown", "no_data"), "the first verdict")
        check(re.search(r"waiting for svc\d\d, svc\d\d, svc\d\d, svc\d\d and \d+ more$", first["text"]),
              "the first verdict names what it waits for", first)
        line = out.wait_for(lambda l: '"verdict"' in l and '"unknown"' not in l, 15, "the verdict")
        v = json.loads(line)
        check_eq((v["state"], v["cause"]), ("partial_outage", "http_5xx"), "the verdict after checking")
        within(v, start, 3 * INTERVAL + 1, "the outage called")  # the first round is spread over 1 s
        check(not any('"operational' in l for l in out.lines), "never operational", out.text())


def check_in_text(needle, e):
    check(needle in e["text"], "%r in the event text" % needle, e)


def test_blips_then_a_sustained_outage_then_recovery():
    fx = lib.shared_fixture()
    tl = Timeline(fx, "blips", "200")
    try:
        tl.wait_verdict(lambda e: e["state"] == "operational", 10, "operational at first")
        # two single failed answers, each followed by good ones
        for i in range(2):
            tl.switch("503,200")
            tl.wait(lambda e: e["text"].startswith("web: confirming -> up"), 10, "blip %d to end" % (i + 1))
            tl.settle(3 * INTERVAL)
        for e in tl.verdicts():
            check_verdict_fields(e)
        check_eq([e["state"] for e in tl.verdicts()], ["unknown", "operational"],
                 "blips change no verdict (%s)" % tl.out.text())

        start = tl.switch("503")
        down = tl.wait_verdict(lambda e: e["state"] != "operational", 15, "the outage", since=start)
        check(down["state"] in OUTAGES and down["cause"] == "http_5xx",
              "the sustained outage is an outage, not degraded or flapping", down)
        within(down, start, 3 * INTERVAL, "the outage called")
        tl.settle(5 * INTERVAL)
        during = tl.verdicts(since=down["ts"] + 0.001)
        check_eq(during, [], "the verdict holds during the outage")
        check(not any("flapping" in e["text"] for e in tl.events()), "nothing called flapping", tl.out.text())

        back = tl.switch("200")
        up = tl.wait_verdict(lambda e: e["state"] == "operational", 15, "the recovery", since=back)
        within(up, back, 3 * INTERVAL, "the recovery called")
        rec = tl.wait(lambda e: e["text"].startswith("web: down -> up after"), 5, "the recovery event")
        lasted = outage_seconds(rec["text"])
        check(abs(lasted - (back - start)) <= 2 * INTERVAL + MARGIN,
              "the outage lasted about %.0f s, the event says %d s" % (back - start, lasted), rec)
        states = [(e["state"], e["cause"]) for e in tl.verdicts()]
        check_eq(states, [("unknown", "no_data"), ("operational", "ok"), (down["state"], "http_5xx"),
                          ("operational", "ok")], "the verdicts of the whole timeline")
    finally:
        tl.close()


def test_flapping_ends_when_the_target_holds():
    fx = lib.shared_fixture()
    tl = Timeline(fx, "flap", "200")
    try:
        tl.wait_verdict(lambda e: e["state"] == "operational", 10, "operational at first")
        # fail, pass, fail, pass...: never two alike in a row
        tl.switch("503,200,503,200,503,200,503,200")
        flap = tl.wait_verdict(lambda e: e["cause"] == "flapping", 20, "the verdict to say flapping")
        check_eq(flap["state"], "degraded", "state of a flapping service")
        tl.wait(lambda e: e["text"] == "web: confirming -> flapping" or e["text"].endswith("-> flapping"),
                5, "the target event")
        # then it holds: two passes in a row end flapping at once
        up = tl.wait_verdict(lambda e: e["state"] == "operational", 20, "flapping to end", since=flap["ts"])
        check(tl.fx.control("GET", "/_control/seq/flap")["position"] >= 8, "the sequence was played", up)
        # and a sustained outage right after is an outage, not flapping
        start = tl.switch("503")
        down = tl.wait_verdict(lambda e: e["ts"] >= start and e["state"] != "operational", 15,
                               "the outage after flapping")
        check(down["state"] in OUTAGES, "an outage, whatever happened before", down)
        within(down, start, 3 * INTERVAL, "the outage called")
    finally:
        tl.close()


def test_hang_then_recovery():
    fx = lib.shared_fixture()
    tl = Timeline(fx, "hang", "200")
    try:
        tl.wait_verdict(lambda e: e["state"] == "operational", 10, "operational at first")
        start = tl.switch("hang")
        down = tl.wait_verdict(lambda e: e["state"] != "operational", 20, "the hang to be called", since=start)
        check(down["state"] in OUTAGES and down["cause"] == "timeout", "a hang is an outage (timeout)", down)
        # each of the two probes that confirm it waits for its timeout
        within(down, start, 3 * INTERVAL + 2 * TIMEOUT, "the hang called")
        back = tl.switch("200")
        up = tl.wait_verdict(lambda e: e["state"] == "operational", 20, "the recovery", since=back)
        # a probe may still be hanging when the service comes back
        within(up, back, 3 * INTERVAL + TIMEOUT, "the recovery called")
        rec = tl.wait(lambda e: e["text"].startswith("web: down -> up after"), 5, "the recovery event")
        outage_seconds(rec["text"])
    finally:
        tl.close()


def test_slow_period():
    fx = lib.shared_fixture()
    tl = Timeline(fx, "slow", "200", slow_ms=300)
    try:
        tl.wait_verdict(lambda e: e["state"] == "operational", 10, "operational at first")
        tl.settle(5 * INTERVAL)  # five quick answers in the history
        start = tl.switch("delay:800")
        slow = tl.wait_verdict(lambda e: e["state"] != "operational", 20, "the slow period", since=start)
        check_eq((slow["state"], slow["cause"]), ("degraded", "slow"), "a slow service")
        check(re.search(r"web takes [0-9.]+ ms", slow["text"]), "the summary says how slow", slow)
        # slow is judged on the median of the last five answers: three slow ones
        within(slow, start, 3 * (INTERVAL + 0.8) + INTERVAL, "the slow period called")
        check(slow["ts"] - start >= 2 * INTERVAL, "one slow answer is not a slow period", slow)
        tl.wait(lambda e: e["text"] == "web: up -> degraded", 5, "the target event")
        back = tl.switch("200")
        up = tl.wait_verdict(lambda e: e["state"] == "operational", 20, "the end of the slow period", since=back)
        within(up, back, 3 * INTERVAL + 0.8 + INTERVAL, "the end of the slow period called")
        tl.wait(lambda e: e["text"] == "web: degraded -> up", 5, "the target event")
        check(not any(e["state"] in OUTAGES for e in tl.verdicts()), "slow is never an outage", tl.out.text())
    finally:
        tl.close()


if __name__ == "__main__":
    lib.main()
