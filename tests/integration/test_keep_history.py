#!/usr/bin/env python3
"""History across restarts, as a person leaving isitdown in a pane meets it:
uptime over 1 h, 24 h and 7 days right for a played week (with a downtime)
in --once --json and text; a restarted monitor continuing the file; a
damaged file set aside with a warning; --once and a second monitor writing
nothing; --no-state keeping nothing.  Run:
ISITDOWN=build/isitdown python3 tests/integration/test_keep_history.py [NAME...]"""

import json
import math
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import history_file  # noqa: E402
import lib  # noqa: E402
from lib import check, check_eq, check_in  # noqa: E402


def fx():
    return lib.shared_fixture()


def config(url, interval_s=60):
    return {"service": "Played", "interval_s": interval_s, "timeout_s": 3,
            "targets": [{"name": "web", "kind": "http", "url": url, "component": "API"}]}


def history_path(home):
    return os.path.join(home, ".local", "state", "isitdown", "history", "played.bin")


def play_week(path, key, now):
    """Six days of hourly tallies (10 s probes, two hours all failed four days
    ago) and a last day of probes a minute apart (30 failed three hours ago).
    Returns the (probes, failures) a 24 h and a 7 d window hold: the tally's
    hour that the 24 h window starts in counts in proportion to its part in
    the window, as history_uptime documents."""
    first_sample = math.ceil((now - 86400) / 3600) * 3600 + 30
    h0 = math.floor((now - 7 * 86400) / 3600) + 1
    hours = []
    for hour in range(h0, int(first_sample // 3600)):
        down = hour in (h0 + 72, h0 + 73)
        hours.append((hour, 360, 360 if down else 0))
    samples, t = [], first_sample
    fail_from = now - 3 * 3600
    while t < now - 30:
        ok = not (fail_from <= t < fail_from + 30 * 60)
        samples.append(history_file.sample(t, ok, 42.0, 200 if ok else 0))
        t += 60
    os.makedirs(os.path.dirname(path), exist_ok=True)
    history_file.write(path, [(key, hours, samples)])
    share = (first_sample - 30 - (now - 86400)) / 3600
    day = (len(samples) + share * hours[-1][1], sum(not s["ok"] for s in samples))
    week = (len(samples) + sum(h[1] for h in hours), day[1] + sum(h[2] for h in hours))
    return day, week


def test_played_week_gives_uptime():
    home = tempfile.mkdtemp(prefix="isitdown-hist-")
    try:
        url = fx().http_url("/ok")
        path = history_path(home)
        day, week = play_week(path, history_file.key_http("web", url), time.time())
        before = open(path, "rb").read()
        rc, out, err = lib.run_isitdown(["--once", "--json"], config(url), home=home)
        check_eq(rc, 0, "exit code (%s)" % err)
        doc = lib.parse_json(out)
        up = doc["targets"][0]["uptime"]
        # the --once probe counts too: one more, ok
        check(abs(up["7d"] - (1 - week[1] / (week[0] + 1))) < 1e-6, "7-day uptime %s for %s" % (up, week))
        # a second or two passed: the share of that hour changed by a hair
        check(abs(up["24h"] - (1 - day[1] / (day[0] + 1))) < 1e-4, "24-hour uptime %s for %s" % (up, day))
        check_eq(up["1h"], 1, "the last hour had no failure")
        check(0.98 < up["7d"] < 0.99 and 0.97 < up["24h"] < 0.99, "the downtimes show", up)
        check_eq(doc["components"][0]["uptime"], up, "the component's uptime, its one target's")
        check_eq(open(path, "rb").read(), before, "--once leaves the history file as it was")
        check(not os.path.exists(path + ".lock"), "--once takes no lock")

        rc, out, err = lib.run_isitdown(["--once"], config(url), home=home)
        check_in("UPTIME as measured here", out)
        text = "%.2f %%" % (math.floor(up["24h"] * 10000 + 1e-9) / 100)
        row = [line for line in out.splitlines() if line.startswith("web ") and "%" in line]
        check(row and text in row[0] and "100 %" in row[0], "the web row holds %r and 100 %%" % text, out)
        check_in("COMPONENT", out.split("UPTIME")[1])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_for(home, cfg, seconds, extra=()):
    with lib.isitdown_process(["--lines", "--json"] + list(extra), cfg, home=home) as p:
        out = lib.Lines(p)
        time.sleep(seconds)
        lib.stop_process(p, out)
    return [json.loads(x) for x in out.lines if x.strip().startswith("{")]


def test_restart_continues_the_file():
    home = tempfile.mkdtemp(prefix="isitdown-hist-")
    try:
        url = fx().http_url("/ok")
        cfg = config(url, interval_s=1)
        run_for(home, cfg, 3)
        first = history_file.read(history_path(home))
        key = history_file.key_http("web", url)
        n1 = len(first[key]["samples"])
        check(n1 >= 2, "the first run kept its probes", first)
        time.sleep(1.5)
        events = run_for(home, cfg, 3)
        check(any("history continued: %d samples" % n1 in e.get("text", "") for e in events),
              "the second run says it continued the history", events)
        second = history_file.read(history_path(home))[key]["samples"]
        check(len(second) >= n1 + 2, "both runs' probes are in the file", second)
        check_eq(second[:n1], first[key]["samples"], "the first run's probes, unchanged")
        times = [s["t"] for s in second]
        check_eq(times, sorted(times), "records in time order")
        check(max(b - a for a, b in zip(times, times[1:])) >= 1.5, "the pause between the runs is kept", times)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_damaged_file_is_set_aside():
    home = tempfile.mkdtemp(prefix="isitdown-hist-")
    try:
        url = fx().http_url("/ok")
        path = history_path(home)
        os.makedirs(os.path.dirname(path))
        junk = b"\x00not a history file at all\xff" * 10
        with open(path, "wb") as f:
            f.write(junk)
        events = run_for(home, config(url, interval_s=1), 2.5)
        warn = [e for e in events if "history file" in e.get("text", "")]
        check(warn and warn[0]["severity"] == "warning", "a warning about the history file", events)
        check_in("set aside as %s.damaged" % path, warn[0]["text"])
        check_eq(open(path + ".damaged", "rb").read(), junk, "the damaged file, kept as it was")
        kept = history_file.read(path)
        check(len(kept[history_file.key_http("web", url)]["samples"]) >= 1, "a new history in its place", kept)

        # damage after good records: those are kept
        good = open(path, "rb").read()
        with open(path, "ab") as f:
            f.write(b"Q" * 40)
        events = run_for(home, config(url, interval_s=1), 2.5)
        check(any("is damaged at byte %d" % len(good) in e.get("text", "") for e in events),
              "the damage's place is told", events)
        check(any("history continued" in e.get("text", "") for e in events), "what came before is kept", events)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_second_monitor_only_reads():
    home = tempfile.mkdtemp(prefix="isitdown-hist-")
    try:
        url = fx().http_url("/ok")
        cfg = config(url, interval_s=1)
        with lib.isitdown_process(["--lines", "--json"], cfg, home=home) as first:
            first_out = lib.Lines(first)
            first_out.wait_for(lambda line: "operational" in line, 20, "the first monitor's verdict")
            events = run_for(home, cfg, 2)
            lib.stop_process(first, first_out)
        check(any("another isitdown keeps the history" in e.get("text", "") for e in events),
              "the second monitor says it only reads", events)
        samples = history_file.read(history_path(home))[history_file.key_http("web", url)]["samples"]
        times = [s["t"] for s in samples]
        check_eq(times, sorted(times), "one writer: records in time order")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_no_state_keeps_nothing():
    home = tempfile.mkdtemp(prefix="isitdown-hist-")
    try:
        run_for(home, config(fx().http_url("/ok"), interval_s=1), 2, extra=["--no-state"])
        check(not os.path.exists(os.path.dirname(history_path(home))), "no history directory with --no-state")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    lib.main()
