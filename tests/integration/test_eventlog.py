"""The event log on disk: `isitdown --lines --state-dir DIR` writes every event
of a scripted outage to DIR/events.jsonl as JSON Lines, the history survives a
restart (a later run loads it: `--once --json` shows it in "events"), a torn
last line from a crash is skipped and never fatal, and text from the network
is stored without control characters or escape sequences.
"""

import atexit
import json
import os
import re
import shutil
import tempfile
import time

import lib

KEYS = {"time", "ts", "severity", "source", "component", "target", "text", "detail"}
# a verdict event adds the verdict's state and cause for scripts
VERDICT_KEYS = KEYS | {"state", "cause"}


def keys_of(ev):
    return VERDICT_KEYS if ev.get("source") == "verdict" else KEYS
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


Lines = lib.Lines
stop = lib.stop_process


def read_log(path):
    """Every line of the file parsed; fails on a line that is not an event."""
    with open(path, "rb") as f:
        raw = f.read()
    lib.check(raw.endswith(b"\n"), "the log ends with a newline", raw[-200:])
    events = []
    for i, line in enumerate(raw.decode("utf-8").split("\n")[:-1]):
        ev = lib.parse_json(line, "%s line %d" % (path, i + 1))
        lib.check(set(ev) == keys_of(ev), "line %d keys: %s" % (i + 1, sorted(ev)), line)
        lib.check(ISO.match(ev["time"]), "line %d time %r" % (i + 1, ev["time"]))
        lib.check(ev["severity"] in ("info", "notice", "warning", "critical"), "severity", line)
        lib.check(ev["source"] in ("probe", "official", "verdict", "network", "monitor"), "source", line)
        events.append(ev)
    return events


def find(events, pred, what):
    for ev in events:
        if pred(ev):
            return ev
    raise AssertionError("no event %s in:\n%s" % (what, "\n".join(json.dumps(e) for e in events)))


def service_config(fx, path, **top):
    cfg = {"service": "Svc", "interval_s": 0.3, "timeout_s": 5,
           "targets": [{"name": "web", "url": fx.http_url(path), "component": "API"}]}
    cfg.update(top)
    return cfg


def tmpdir():
    d = tempfile.mkdtemp(prefix="isitdown-state-")
    atexit.register(shutil.rmtree, d, True)
    return d


_outage = {}


def outage_log():
    """Plays up, 503, 503, up once per test process; returns (dir, lines printed)."""
    if _outage:
        return _outage["dir"], _outage["lines"]
    fx = lib.shared_fixture()
    fx.set_seq("outage", "200,503,503,200")
    d = tmpdir()
    with lib.isitdown_process(["--lines", "--state-dir", d], service_config(fx, "/seq/outage")) as p:
        out = Lines(p)
        out.wait_for(lambda l: "web: confirming -> down" in l, 40, "saying web is down")
        out.wait_for(lambda l: "web: down -> up" in l, 40, "saying web is up again")
        stop(p, out)
    _outage.update(dir=d, lines=out.lines)
    return d, out.lines


def test_outage_is_written_as_json_lines():
    d, printed = outage_log()
    events = read_log(os.path.join(d, "events.jsonl"))
    down = find(events, lambda e: e["text"].startswith("web: confirming -> down"), "web down")
    lib.check_eq((down["severity"], down["source"], down["component"], down["target"]),
                 ("critical", "probe", "API", "web"), "severity, source, component, target of the down event")
    lib.check_in("HTTP 503", down["text"], "down event text")
    up = find(events, lambda e: re.fullmatch(r"web: down -> up after \d+ s", e["text"]), "web up")
    lib.check_eq((up["severity"], up["source"], up["component"]), ("info", "probe", "API"), "up event")
    outage = find(events, lambda e: e["source"] == "verdict" and e["text"].startswith("major_outage:"),
                  "verdict major_outage")
    lib.check_eq(outage["severity"], "critical", "outage verdict severity")
    lib.check_eq((outage["state"], outage["cause"]), ("major_outage", "http_5xx"), "outage verdict fields")
    lib.check_in("HTTP 503", outage["text"], "outage verdict text")
    find(events, lambda e: e["source"] == "verdict" and e["text"].startswith("operational:")
         and e["ts"] > outage["ts"], "verdict operational after the outage")
    # in order of time, the ISO time and ts agree
    ts = [e["ts"] for e in events]
    lib.check(ts == sorted(ts), "events in time order", ts)
    for e in events:
        lib.check_eq(e["time"][:19], time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(e["ts"]))),
                     "time vs ts")
    lib.check(down["ts"] < up["ts"], "down before up")
    # every event in the file was also a line on stdout, and the other way round
    lib.check_eq(len([line for line in printed if line.strip()]), len(events), "lines printed vs lines stored")
    for e in events:
        lib.check(any(e["text"] in line for line in printed), "event %r printed" % e["text"])


def test_history_survives_a_restart():
    d, _ = outage_log()
    path = os.path.join(d, "events.jsonl")
    old = read_log(path)
    with open(path, "rb") as f:
        before = f.read()
    fx = lib.shared_fixture()

    # --once shows the history it loaded, oldest first, then its own events
    rc, out, err = lib.run_isitdown(["--once", "--json", "--state-dir", d], service_config(fx, "/ok"))
    lib.check_eq(rc, 0, "exit code (stderr: %s)" % err)
    doc = lib.parse_json(out)
    texts = [e["text"] for e in doc["events"]]
    lib.check_eq(texts[:len(old)], [e["text"] for e in old], "loaded events first, in order")
    lib.check_eq([e["ts"] for e in doc["events"][:len(old)]], [e["ts"] for e in old], "loaded events keep their time")
    lib.check(any(t.startswith("monitoring Svc") for t in texts[len(old):]), "this run's events follow", texts)
    lib.check_eq(doc["events"][len(old)]["text"] if len(texts) > len(old) else None,
                 "monitoring Svc: 1 targets", "the first new event")
    with open(path, "rb") as f:
        lib.check(f.read() == before, "--once leaves the log file as it was")

    # a second monitor run appends to the same file
    with lib.isitdown_process(["--lines", "--state-dir", d], service_config(fx, "/ok")) as p:
        out = Lines(p)
        out.wait_for(lambda l: "monitoring Svc" in l, 20, "saying it started")
        out.wait_for(lambda l: "operational:" in l, 20, "with the verdict")
        stop(p, out)
    with open(path, "rb") as f:
        after = f.read()
    lib.check(after.startswith(before) and len(after) > len(before), "the old lines are kept, new ones appended")
    events = read_log(path)
    lib.check(len(events) > len(old), "new events stored")
    lib.check_eq(sum(1 for e in events if e["text"].startswith("web: down -> up")), 1,
                 "the old events are not written twice")


def test_torn_last_line_is_skipped_and_recovered():
    d, _ = outage_log()
    t = tmpdir()
    path = os.path.join(t, "events.jsonl")
    shutil.copy(os.path.join(d, "events.jsonl"), path)
    good = read_log(path)
    torn = b'{"time":"2026-11-25T10:00:00.000Z","ts":1795600000.0,"severity":"warn'
    with open(path, "ab") as f:
        f.write(torn)
    fx = lib.shared_fixture()

    rc, out, err = lib.run_isitdown(["--once", "--json", "--state-dir", t], service_config(fx, "/ok"))
    lib.check_eq(rc, 0, "exit code with a torn log (stderr: %s)" % err)
    doc = lib.parse_json(out)
    texts = [e["text"] for e in doc["events"]]
    lib.check_eq(texts[:len(good)], [e["text"] for e in good], "the good lines are loaded")
    notice = find(doc["events"], lambda e: e["text"].startswith("skipped 1 damaged line in"), "skipped notice")
    lib.check_in(path, notice["text"], "the notice names the file")
    lib.check_eq(notice["severity"], "notice", "notice severity")

    # the monitor appends after the torn line, on a line of its own
    with lib.isitdown_process(["--lines", "--state-dir", t], service_config(fx, "/ok")) as p:
        out = Lines(p)
        out.wait_for(lambda l: "skipped 1 damaged line" in l, 20, "about the damaged line")
        out.wait_for(lambda l: "operational:" in l, 20, "with the verdict")
        stop(p, out)
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.split(b"\n")
    lib.check(torn in lines, "the torn line stays alone on its line", raw[-600:])
    after = lines[lines.index(torn) + 1:]
    lib.check(after[-1] == b"" and len(after) > 1, "new events after the torn line")
    for line in after[:-1]:
        ev = lib.parse_json(line.decode(), "a line written after the torn one")
        lib.check_eq(set(ev), keys_of(ev), "keys")

    # and the next start still loads everything but that one line
    rc, out, err = lib.run_isitdown(["--once", "--json", "--state-dir", t], service_config(fx, "/ok"))
    lib.check_eq(rc, 0, "exit code")
    doc = lib.parse_json(out)
    skipped = [e for e in doc["events"] if e["text"].startswith("skipped 1 damaged line")]
    # the notice of the monitor run was stored, and this load adds its own
    lib.check_eq(len(skipped), 2, "skipped notices (stored one + this load's)")


def test_once_shows_the_newest_200_events_of_a_long_history():
    fx = lib.shared_fixture()
    d = tmpdir()
    t0 = time.time() - 3600
    with open(os.path.join(d, "events.jsonl"), "w") as f:
        for i in range(1000):
            ts = round(t0 + i, 3)
            f.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(int(ts))), "ts": ts,
                                "severity": "info", "source": "probe", "component": "API", "target": "web",
                                "text": "old %d" % i, "detail": None}) + "\n")
    rc, out, err = lib.run_isitdown(["--once", "--json", "--state-dir", d], service_config(fx, "/ok"))
    lib.check_eq(rc, 0, "exit code (stderr: %s)" % err)
    texts = [e["text"] for e in lib.parse_json(out)["events"]]
    lib.check_eq(len(texts), 200, "events in the snapshot")
    own = [t for t in texts if not t.startswith("old ")]
    lib.check(own and texts[-len(own):] == own, "this run's events come last", texts[-5:])
    lib.check_eq(texts[:200 - len(own)], ["old %d" % i for i in range(800 + len(own), 1000)],
                 "the newest of the history, oldest first")


ESC_NAME = "\x1b[2J\x1b[31mDatabase\x1b[0m outage\x07 \x1b]0;pwned\x07now\x9b1m"
ESC_BODY = "We are investigating.\r\n\x1b[1mStill\x1b[0m looking\x08.\x00"


def test_network_text_is_stored_sanitized():
    fx = lib.shared_fixture()
    page = {
        "page": {"id": "p1", "name": "Svc", "url": "https://status.svc.test", "updated_at": "2026-11-25T10:00:00Z"},
        "status": {"indicator": "major", "description": "Partial \x1b[5mSystem\x1b[0m Outage"},
        "components": [{"id": "c1", "name": "API\x1b[8m", "status": "major_outage", "group_id": None}],
        "incidents": [{
            "id": "i1", "name": ESC_NAME, "status": "investigating", "impact": "major",
            "created_at": "2026-11-25T09:00:00Z", "updated_at": "2026-11-25T09:30:00Z",
            "shortlink": "https://stspg.io/x", "components": [{"id": "c1", "name": "API"}],
            "incident_updates": [{"id": "u1", "status": "investigating", "body": ESC_BODY,
                                  "created_at": "2026-11-25T09:30:00Z"}],
        }],
        "scheduled_maintenances": [],
    }
    fx.mount("/esc/api/v2/summary.json", json_body=page)
    d = tmpdir()
    cfg = {"service": "Svc", "targets": [{"name": "status", "kind": "statuspage", "interval_s": 0.5,
                                          "url": fx.http_url("/esc/api/v2/summary.json")}]}
    with lib.isitdown_process(["--lines", "--state-dir", d], cfg) as p:
        out = Lines(p)
        out.wait_for(lambda l: "Database" in l, 20, "about the incident")
        stop(p, out)
    lib.check("\x1b" not in out.text() and "\x07" not in out.text(), "no escape on stdout", repr(out.text()))
    path = os.path.join(d, "events.jsonl")
    with open(path, "rb") as f:
        raw = f.read()
    for bad in (b"\x1b", b"\\u001b", b"\\u001B", b"\x07", b"\\u0007", b"\\u0000", b"\\u0008",
                b"\\r", b"\xc2\x9b", b"\\u009b", b"[31m", b"]0;"):
        lib.check(bad not in raw, "%r must not be stored" % bad, raw.decode("utf-8", "replace"))
    events = read_log(path)
    inc = find(events, lambda e: "Database" in e["text"], "the incident")
    lib.check_eq(inc["source"], "official", "source")
    lib.check(re.search(r"Database\W+outage", inc["text"]), "words kept", inc["text"])
    lib.check_in("Still", inc["detail"] or "", "update body kept as detail")
    lib.check_in("looking", inc["detail"] or "", "update body kept as detail")
    for e in events:
        for k in ("text", "detail", "component", "target"):
            v = e[k] or ""
            if k == "detail":
                v = v.replace("\n", " ")    # an update body keeps its line breaks
            lib.check(all(ord(c) >= 0x20 and not 0x7f <= ord(c) <= 0x9f for c in v),
                      "control character in %s: %r" % (k, v))


def test_default_location_under_xdg_state_home():
    fx = lib.shared_fixture()
    home = tmpdir()
    with lib.isitdown_process(["--lines"], service_config(fx, "/ok"), home=home) as p:
        out = Lines(p)
        out.wait_for(lambda l: "operational:" in l, 20, "with the verdict")
        stop(p, out)
    path = os.path.join(home, ".local", "state", "isitdown", "events.jsonl")
    lib.check(os.path.exists(path), "log at $XDG_STATE_HOME/isitdown/events.jsonl")
    lib.check_eq(os.stat(path).st_mode & 0o777, 0o600, "log file mode")
    events = read_log(path)
    find(events, lambda e: e["text"] == "monitoring Svc: 1 targets", "the start event")
    # --no-state: nothing written
    home2 = tmpdir()
    with lib.isitdown_process(["--lines", "--no-state"], service_config(fx, "/ok"), home=home2) as p:
        out = Lines(p)
        out.wait_for(lambda l: "operational:" in l, 20, "with the verdict")
        stop(p, out)
    lib.check(not os.path.exists(os.path.join(home2, ".local", "state", "isitdown", "events.jsonl")),
              "--no-state writes no log")


if __name__ == "__main__":
    lib.main()
