"""Signals: SIGINT, SIGTERM and SIGHUP stop the monitor promptly with status 0,
the event log flushed (every event it printed is in the file) and, for the
full-screen monitor, the terminal restored; a reader that closes the pipe of
`isitdown --lines | head -1` ends it cleanly instead of killing it with
SIGPIPE or leaving the pipeline hanging; a storm of SIGWINCH is harmless.

The line-mode tests run the binary on pipes; the full-screen ones run it in a
private tmux server (tests/e2e/harness.py) and look at what is left on the
terminal after it exits.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import lib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

from test_state import (Monitor, check_file_events, falling_targets, is_fall_event,  # noqa: E402
                        run_monitor, state_dir)  # noqa: E402


def hanging_config(fx, tag):
    """A steady target, targets that go down one after another (events keep
    coming) and one that hangs, so that a probe is in flight when the signal
    arrives."""
    return {"service": "Signals", "interval_s": 0.3, "timeout_s": 20, "targets": [
        {"name": "steady", "kind": "http", "url": fx.http_url("/seq/%s-steady?steps=200" % tag)},
        {"name": "hang", "kind": "http", "url": fx.http_url("/hang"), "interval_s": 1},
    ] + falling_targets(fx, tag)}


def stop_with(sig):
    fx = lib.shared_fixture()
    d = state_dir("sig")
    try:
        tag = "sig%d" % sig
        with run_monitor(fx, d, tag, config=hanging_config(fx, tag)) as m:
            m.keeps_probing()
            m.wait(is_fall_event,
                   "a state change")
            lib.check(fx.count("/hang") >= 1, "the hanging probe never started")
            t0 = time.monotonic()
            m.proc.send_signal(sig)
            try:
                rc = m.proc.wait(10)
            except subprocess.TimeoutExpired:
                raise AssertionError("still running 10 s after %s\n%s"
                                     % (signal.Signals(sig).name, m.output()))
            took = time.monotonic() - t0
            time.sleep(0.2)  # the readers take the last lines
            print("%s: exit status %d after %.2f s" % (signal.Signals(sig).name, rc, took))
            lib.check(rc == 0, "exit status %d after %s, expected 0" % (rc, signal.Signals(sig).name),
                      m.output())
            lib.check(took < 5, "took %.1f s to stop" % took)
            lib.check(not m.stderr, "it complained on the way out", m.output())
            check_file_events(os.path.join(d, "events.jsonl"), "", m.events,
                              "after %s" % signal.Signals(sig).name)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_sigint_stops_and_flushes():
    stop_with(signal.SIGINT)


def test_sigterm_stops_and_flushes():
    stop_with(signal.SIGTERM)


def test_sighup_stops_and_flushes():
    stop_with(signal.SIGHUP)


def test_reader_gone_is_a_clean_stop():
    """`isitdown --lines | head -1`: the next event after head has gone ends
    the monitor with status 0 (not death by SIGPIPE, not running forever),
    and that event is still in the log file."""
    fx = lib.shared_fixture()
    d = state_dir("pipe")
    try:
        with run_monitor(fx, d, "pipe", read_stdout=False) as m:
            first = m.proc.stdout.readline()
            lib.check(first, "no first line", m.output())
            m.proc.stdout.close()
            try:
                rc = m.proc.wait(20)
            except subprocess.TimeoutExpired:
                raise AssertionError("still running 20 s after its reader went away\n" + m.output())
            lib.check(rc != -signal.SIGPIPE, "killed by SIGPIPE")
            lib.check(rc == 0, "exit status %d after the reader went away, expected 0" % rc, m.output())
            time.sleep(0.2)
            lib.check(not m.stderr, "it complained on the way out", m.output())
        with open(os.path.join(d, "events.jsonl")) as f:
            lines = [l for l in f if l.strip()]
        lib.check(len(lines) >= 2, "the event that found the pipe closed is not in the log: %r" % lines)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_shell_pipeline_to_head_ends():
    """The same through a shell, as a person types it."""
    fx = lib.shared_fixture()
    d = state_dir("head")
    try:
        m = Monitor(fx, d, "head", argv_only=True)
        argv, env = m.argv, m.env
        cmd = " ".join(shell_quote(a) for a in argv) + " | head -1; echo \"status ${PIPESTATUS[0]}\""
        try:
            p = subprocess.run(["bash", "-c", cmd], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=30, start_new_session=True)
        except subprocess.TimeoutExpired:
            raise AssertionError("`isitdown --lines | head -1` did not end within 30 s")
        finally:
            m.close()
        out = p.stdout.decode()
        lib.check_in("status 0", out, "the pipeline's output")
        lib.check_in("monitoring State", out.split("\n")[0], "the first line")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def test_sigwinch_storm_in_line_mode():
    fx = lib.shared_fixture()
    d = state_dir("winch")
    try:
        with run_monitor(fx, d, "winch") as m:
            m.wait_text("monitoring State")
            for _ in range(500):
                os.kill(m.proc.pid, signal.SIGWINCH)
            m.keeps_probing()
            n = len(m.events)
            m.wait(lambda e: m.events.index(e) >= n and is_fall_event(e),
                   "an event after the storm")
            m.stop()
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- full screen

def screen_child_pid(scr):
    """The isitdown process in the pane (a child of the runner's shell)."""
    end = time.monotonic() + 10
    while time.monotonic() < end:
        pane = scr.tmux("display-message", "-p", "-t", scr.session, "#{pane_pid}").strip()
        try:
            with open("/proc/%s/task/%s/children" % (pane, pane)) as f:
                kids = f.read().split()
        except OSError:
            kids = []
        for k in kids:
            try:
                with open("/proc/%s/comm" % k) as f:
                    if f.read().strip() == "isitdown":
                        return int(k)
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError("cannot find the isitdown process in the pane")


def on_screen(sig, storm=0):
    try:
        import harness
    except ImportError as e:
        raise lib.Skip("no e2e harness: %s" % e)
    if not shutil.which("tmux"):
        raise lib.Skip("tmux is not installed")
    scr = None
    try:
        scr = harness.Screen("signals")
        scr.wait(lambda t: "last probe" in t and "PENDING" not in t, "the first round of probes", 20)
        pid = screen_child_pid(scr)
        if storm:
            for i in range(storm):
                os.kill(pid, signal.SIGWINCH)
                if i % 100 == 50:
                    scr.resize(70 + i % 30, 20 + i % 10)
            scr.resize(80, 24)
            # Still drawing, still probing: the probe count of the service goes on.
            hits = dict(scr.service.hits)
            end = time.monotonic() + 10
            while scr.service.hits.get("/web", 0) < hits.get("/web", 0) + 3:
                lib.check(time.monotonic() < end, "probing stopped after the SIGWINCH storm")
                lib.check(not scr.exited(), "isitdown exited during the SIGWINCH storm: " + scr.text())
                time.sleep(0.1)
            scr.wait(lambda t: "last probe" in t and "Checklist" in t, "the screen after the storm")
        os.kill(pid, sig)
        harness.check_restored(scr)
        # The log was flushed: whole lines, the monitor's start among them.
        with open(os.path.join(scr.dir, "state", "events.jsonl")) as f:
            data = f.read()
        lib.check(data.endswith("\n"), "the event log ends with a torn line", data[-300:])
        texts = [lib.parse_json(l, "a line of the event log")["text"] for l in data.splitlines() if l.strip()]
        lib.check(any(t.startswith("monitoring Loop") for t in texts) and len(texts) >= 2,
                  "the event log lacks the run's events: %r" % texts)
    except harness.Failure as e:
        raise AssertionError(str(e))
    finally:
        if scr:
            scr.close()


def test_screen_sigwinch_storm_then_sigterm_restores_terminal():
    on_screen(signal.SIGTERM, storm=500)


def test_screen_sigint_restores_terminal():
    on_screen(signal.SIGINT)


def test_screen_sighup_restores_terminal():
    on_screen(signal.SIGHUP)


def test_screen_terminal_gone_ends_the_monitor():
    """The terminal goes away (tmux killed: SIGHUP and a hung-up tty): the
    monitor ends within seconds instead of spinning on a dead terminal."""
    try:
        import harness
    except ImportError as e:
        raise lib.Skip("no e2e harness: %s" % e)
    if not shutil.which("tmux"):
        raise lib.Skip("tmux is not installed")
    scr = None
    try:
        scr = harness.Screen("hangup")
        scr.wait(lambda t: "last probe" in t and "PENDING" not in t, "the first round of probes", 20)
        pid = screen_child_pid(scr)
        scr.tmux("kill-server", check=False)
        end = time.monotonic() + 10
        while True:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().split(") ", 1)[1].startswith("Z"):
                        break  # a zombie: it has exited, its parent not yet reaped it
            except OSError:
                break  # gone
            lib.check(time.monotonic() < end, "isitdown still running 10 s after its terminal went away")
            time.sleep(0.1)
    except harness.Failure as e:
        raise AssertionError(str(e))
    finally:
        if scr:
            scr.close()


if __name__ == "__main__":
    lib.main()
