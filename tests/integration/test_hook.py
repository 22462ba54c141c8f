#!/usr/bin/env python3
"""The on_change hook, as a person who wires isitdown to notify-send or a
webhook sees it: in line mode and --headless, against the fixture's scripted
outage (answers, 503s, answers again), the command runs once per change of
the verdict's state with the documented ISITDOWN_* environment and never a
secret; a command that fails or hangs is logged, a hung one killed after 10 s;
--once never runs it."""

import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in  # noqa: E402

STEPS = "200*3,503*6,200"
SECRET = "sk-hook-never-seen-0123456789"
ENV_KEYS = ["ISITDOWN_SERVICE", "ISITDOWN_STATE", "ISITDOWN_PREVIOUS_STATE", "ISITDOWN_CAUSE",
            "ISITDOWN_SUMMARY", "ISITDOWN_SINCE"]


def fixture():
    return lib.shared_fixture()


def config(fx, seq, on_change=None):
    cfg = {
        "service": "Loop", "interval_s": 0.25, "timeout_s": 3,
        "targets": [
            {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port, "role": "control"},
            {"name": "web", "kind": "http", "component": "Web",
             "url": fx.url("/seq/%s?steps=%s" % (seq, STEPS)),
             "headers": {"Authorization": "Bearer ${HOOK_TEST_KEY}"}},
        ],
    }
    if on_change:
        cfg["on_change"] = on_change
    return cfg


def seq_name():
    return "hook-%d" % int(time.time() * 1000)


def recorder(outdir):
    """A command that saves its environment, one file per run, in order."""
    return ('n=$(ls "%s" | wc -l); env > "%s/run-$(printf %%03d $n).env"; echo "hook saw $ISITDOWN_STATE"'
            % (outdir, outdir))


def read_runs(outdir):
    runs = []
    for name in sorted(os.listdir(outdir)):
        with open(os.path.join(outdir, name)) as f:
            text = f.read()
        env = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        runs.append((env, text))
    return runs


def state_changes(events):
    """The verdict's state changes in --json events, leaving out starting up
    all good (unknown -> operational), as the hook does."""
    changes, last = [], ""
    for ev in events:
        if ev.get("source") != "verdict" or not ev.get("state") or ev["state"] == last:
            continue
        if last in ("", "unknown") and ev["state"] in ("unknown", "operational"):
            last = ev["state"]
            continue
        changes.append((last, ev["state"]))
        last = ev["state"]
    return changes


def run_outage(args, use_config_key):
    fx = fixture()
    outdir = tempfile.mkdtemp(prefix="isitdown-hook-")
    try:
        cmd = recorder(outdir)
        cfg = config(fx, seq_name(), cmd if use_config_key else None)
        extra = [] if use_config_key else ["--on-change", cmd]
        with lib.isitdown_process(args + ["--json", "--no-state"] + extra, cfg,
                                  env={"HOOK_TEST_KEY": SECRET}) as p:
            out = lib.Lines(p)
            events = []

            def back_up(line):
                ev = json.loads(line)
                events.append(ev)
                return "hook saw operational" in ev.get("text", "")
            out.wait_for(back_up, 40, "saying the hook ran for the recovery")
            lib.stop_process(p, out)
        events = [json.loads(x) for x in out.lines if x.strip()]
        runs = read_runs(outdir)
        changes = state_changes(events)
        check(len(changes) >= 2, "an outage and a recovery in the verdict events", changes)
        check_eq(len(runs), len(changes), "hook runs, one per change of state %s" % changes)
        for (env, text), (prev, state) in zip(runs, changes):
            for k in ENV_KEYS:
                check(k in env, "%s in the hook's environment" % k, text)
            check_eq(env["ISITDOWN_SERVICE"], "Loop", "ISITDOWN_SERVICE")
            check_eq((env["ISITDOWN_PREVIOUS_STATE"], env["ISITDOWN_STATE"]), (prev, state), "the change")
            check(env["ISITDOWN_CAUSE"], "a cause", text)
            check(env["ISITDOWN_SUMMARY"], "a summary", text)
            check(time.strptime(env["ISITDOWN_SINCE"], "%Y-%m-%dT%H:%M:%SZ"), "ISO 8601 time", text)
            check(SECRET not in text and "HOOK_TEST_KEY" not in text, "no secret in the hook's environment",
                  text)
        check(runs[0][0]["ISITDOWN_STATE"] != "operational", "the first run is the outage", runs[0][1])
        check_eq(runs[-1][0]["ISITDOWN_STATE"], "operational", "the last run is the recovery")
        check(any("on_change hook done in" in ev.get("text", "") for ev in events), "the run is logged",
              out.text())
        check(SECRET not in out.text(), "no secret in the output", out.text())
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def test_line_mode_runs_the_hook_once_per_change():
    run_outage(["--lines"], use_config_key=True)


def test_headless_runs_the_option_hook():
    run_outage(["--headless"], use_config_key=False)


def wait_event(cfg, args, what, needle, timeout):
    with lib.isitdown_process(args + ["--lines", "--json", "--no-state"], cfg) as p:
        out = lib.Lines(p)
        line = out.wait_for(lambda x: needle in x, timeout, what)
        lib.stop_process(p, out)
    return json.loads(line)


def down_config(fx, cmd):
    return {"service": "Loop", "interval_s": 0.25, "timeout_s": 3, "on_change": cmd,
            "targets": [{"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port,
                         "role": "control"},
                        {"name": "web", "kind": "http", "url": fx.url("/status/503")}]}


def test_a_failing_hook_is_logged():
    fx = fixture()
    ev = wait_event(down_config(fx, "echo about to fail >&2; exit 7"), [], "saying the hook failed",
                    "on_change hook failed: exit status 7", 30)
    check_eq(ev["severity"], "warning", "severity of a failed hook")


def test_a_slow_hook_is_killed_and_logged():
    fx = fixture()
    started = time.monotonic()
    ev = wait_event(down_config(fx, "sleep 60"), [], "saying the hook was killed",
                    "on_change hook killed: still running after 10 s", 40)
    took = time.monotonic() - started
    check(took < 30, "killed after about 10 s, not %.0f s" % took)
    check_eq(ev["severity"], "warning", "severity of a killed hook")


def test_once_never_runs_the_hook():
    fx = fixture()
    outdir = tempfile.mkdtemp(prefix="isitdown-hook-")
    try:
        rc, out, err = lib.run_isitdown(["--once", "--json"], down_config(fx, recorder(outdir)), timeout=60)
        check_eq(rc, 2, "exit status")
        check_eq(os.listdir(outdir), [], "files written by a hook")
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


if __name__ == "__main__":
    lib.main()
