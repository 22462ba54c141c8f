#!/usr/bin/env python3
"""Line mode, as journalctl, tee and grep see it: when stdout is not a
terminal (or with --lines, also on a terminal) every event is one line (time,
severity, component, text) and nothing else is printed; --lines --json prints
JSON Lines with the fields of the event log.  Checked against the fixture's
scripted outage (a service that answers, fails with 503s, then answers again)
and against the event log file written in the same run."""

import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq  # noqa: E402

PAGE = "statuspage/github-summary-minor-degraded-performance-2026-08-13.json"
STEPS = "200*2,503*4,200"
EVENT_KEYS = ["time", "ts", "severity", "source", "component", "target", "text", "detail"]
DOWN = "web: confirming -> down (HTTP 503 server error)"
UP = "web: down -> up"


def config(fx, seq):
    return {
        "service": "Loop", "interval_s": 0.25, "timeout_s": 3,
        "targets": [
            {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port, "role": "control"},
            {"name": "web", "kind": "http", "component": "Web",
             "url": fx.url("/seq/%s?steps=%s" % (seq, STEPS))},
            {"name": "status", "kind": "statuspage", "url": fx.url("/file/" + PAGE)},
        ],
    }


def seq_name():
    return "lines-%d" % int(time.time() * 1000)


def recovered(text):
    i = text.find(DOWN)
    return i >= 0 and text.find(UP, i) > i


def wait_for(read, what, timeout=60):
    """Calls read() (returns all output so far) until recovered() holds."""
    end = time.monotonic() + timeout
    text = read()
    while not recovered(text):
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for %s; output was:\n%s" % (what, text[-3000:]))
        time.sleep(0.1)
        text = read()
    return text


class Reader:
    """Collects a pipe's bytes in a thread."""

    def __init__(self, stream):
        self.data = b""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            with self.lock:
                self.data += chunk

    def text(self):
        with self.lock:
            return self.data.decode("utf-8", "replace")


def read_log(state_dir):
    with open(os.path.join(state_dir, "events.jsonl")) as f:
        return [json.loads(l) for l in f if l.strip()]


def plain_line(ev):
    """What line mode prints for an event of the log, for both ways its time may
    round (the file keeps milliseconds, the line whole seconds)."""
    out = []
    for t in (ev["ts"], ev["ts"] - 0.001):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(int(t)))
        out.append("%s %-8s %-10s %s" % (when, ev["severity"], ev["component"] or "-", ev["text"]))
    return out


def run_piped(args, state_dir):
    """Runs isitdown with stdout a pipe through the outage, stops it with
    SIGTERM; returns (stdout, stderr, exit status)."""
    fx = lib.shared_fixture()
    with lib.isitdown_process(args + ["--state-dir", state_dir], config(fx, seq_name())) as p:
        out = Reader(p.stdout)
        wait_for(out.text, "the outage and the recovery")
        p.send_signal(signal.SIGTERM)
        rc = p.wait(20)
        out.thread.join(5)
        err = p.stderr.read().decode("utf-8", "replace")
    return out.text(), err, rc


def check_outage_events(events):
    """The web target's down and recovery, in order, with its component."""
    texts = [e["text"] for e in events]
    # the recovery says how long the outage lasted
    ups = [i for i, t in enumerate(texts) if re.fullmatch(re.escape(UP) + r" after \d+ s", t)]
    check(DOWN in texts and ups and texts.index(DOWN) < ups[0],
          "down and up of web not there in order", texts)
    down, up = events[texts.index(DOWN)], events[ups[0]]
    check_eq((down["severity"], down["source"], down["component"], down["target"]),
             ("critical", "probe", "Web", "web"), "the down event")
    check_eq((up["source"], up["component"], up["target"]), ("probe", "Web", "web"), "the up event")
    check_eq(texts[0], "monitoring Loop: 3 targets", "the first event")


def test_stdout_not_a_terminal():
    tmp = tempfile.mkdtemp(prefix="isitdown-lines-")
    try:
        out, err, rc = run_piped([], tmp)
        check_eq(rc, 0, "exit status after SIGTERM")
        lines = out.split("\n")
        check_eq(lines[-1], "", "the output does not end with a newline")
        lines = lines[:-1]
        log = read_log(tmp)
        check_outage_events(log)
        # one line per event of the log, in order, and nothing else
        check_eq(len(lines), len(log), "lines printed vs events logged")
        for line, ev in zip(lines, log):
            check(line in plain_line(ev), "line %r is not the event %r" % (line, ev))
        check("\x1b" not in out, "escape codes in line mode", out)
        i_down = next(i for i, l in enumerate(lines) if l.endswith(" " + DOWN))
        check(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d critical +Web +web: confirming -> down", lines[i_down]),
              "the down line: %r" % lines[i_down])
        # the event's detail (an update's body) stays out of the one-line form
        inc = next(e for e in log if e["detail"])
        check(inc["detail"][:40] not in out, "a detail was printed in line mode", out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def own_terminal():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_lines_flag_on_a_terminal():
    """--lines wins over a terminal: no screen, no escape codes, just lines."""
    fx = lib.shared_fixture()
    tmp = tempfile.mkdtemp(prefix="isitdown-lines-")
    master, slave = pty.openpty()
    proc = None
    buf = b""
    try:
        argv, env = lib._prepare(["--lines", "--state-dir", tmp], config(fx, seq_name()), None, None, tmp)
        env["TERM"] = "xterm-256color"
        # the pty becomes the controlling terminal, as in a person's shell
        proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env,
                                preexec_fn=own_terminal)
        os.close(slave)
        slave = None

        def read():
            nonlocal buf
            while select.select([master], [], [], 0)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
            return buf.decode("utf-8", "replace")

        wait_for(read, "the outage and the recovery on a terminal")
        proc.send_signal(signal.SIGTERM)
        check_eq(proc.wait(20), 0, "exit status after SIGTERM")
        text = read()
        check("\x1b" not in text, "escape codes on the terminal in --lines mode: %r" % text[:300])
        lines = [l for l in text.replace("\r\n", "\n").split("\n") if l]
        log = read_log(tmp)
        check_eq(len(lines), len(log), "lines printed vs events logged")
        for line, ev in zip(lines, log):
            check(line in plain_line(ev), "line %r is not the event %r" % (line, ev))
    finally:
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc and proc.stderr:
            proc.stderr.close()
        if slave is not None:
            os.close(slave)
        os.close(master)
        shutil.rmtree(tmp, ignore_errors=True)


def test_lines_json():
    tmp = tempfile.mkdtemp(prefix="isitdown-lines-")
    try:
        out, err, rc = run_piped(["--lines", "--json"], tmp)
        check_eq(rc, 0, "exit status after SIGTERM")
        events = []
        for line in out.split("\n")[:-1]:
            events.append(lib.parse_json(line, "a JSON line"))
        log = read_log(tmp)
        check_outage_events(events)
        check_eq(len(events), len(log), "JSON lines vs events logged")
        for got, want in zip(events, log):
            # a verdict event adds the verdict's state and cause
            keys = EVENT_KEYS + (["state", "cause"] if got["source"] == "verdict" else [])
            check_eq(list(got), keys, "the fields of a JSON line")
            check_eq(list(want), keys, "the fields of the event log")
            if got["source"] == "verdict":
                check_eq((got["state"], got["cause"]), (want["state"], want["cause"]), "state and cause")
                check(got["text"].startswith(got["state"] + ": "), "a verdict's text begins with its state", got)
            for k in ("time", "severity", "source", "component", "target", "text", "detail"):
                check_eq(got[k], want[k], k)
            check(abs(got["ts"] - want["ts"]) < 0.002, "ts %r vs %r" % (got["ts"], want["ts"]))
            check(got["time"].endswith("Z"), "time not in UTC: %r" % got["time"])
        check(any(e["detail"] and e["source"] == "official" for e in events),
              "the official update's body is not in the JSON lines", events)
        check(all(a["ts"] <= b["ts"] for a, b in zip(events, events[1:])), "JSON lines not in time order")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_long_names_whole():
    """Line mode has no width: a long service name, target name and component
    are printed whole, in the verdict line too, in text and in JSON."""
    fx = lib.shared_fixture()
    service = ("ChatGPT Enterprise EU tenant (Frankfurt region, production, shared cluster B) "
               "behind the corporate gateway of the finance department")
    target = "web-front-door-for-the-finance-department-in-frankfurt-with-a-long-name"
    component = "Claude API (api.anthropic.com, the long component name)"
    cfg = {"service": service, "interval_s": 0.5, "timeout_s": 3,
           "targets": [{"name": target, "component": component, "url": fx.url("/status/503")},
                       {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port,
                        "role": "control"}]}
    for args in (["--lines"], ["--lines", "--json"]):
        with lib.isitdown_process(args + ["--no-state"], cfg) as p:
            out = lib.Lines(p)
            verdict = out.wait_for(lambda l: "outage" in l and "503" in l, 60, "with the outage verdict")
            down = out.wait_for(lambda l: "confirming -> down" in l, 60, "with the target down")
            lib.stop_process(p, out)
        text = out.text()
        check(service in verdict and target in verdict, "%s: names cut in the verdict line" % args, verdict)
        check(component in down and target in down, "%s: names cut in the down line" % args, down)
        check("\u2026" not in text and "\\u2026" not in text, "%s: an ellipsis in line mode" % args, text)


if __name__ == "__main__":
    lib.main()
