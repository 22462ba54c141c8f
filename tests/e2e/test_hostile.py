"""A hostile status page: incident titles, update bodies and component names
that try to drive the terminal (CSI cursor moves and screen clears, OSC window
titles and hyperlinks, DCS and tmux passthrough, 8-bit C1 controls, bidi
overrides, invalid UTF-8, overlong strings).  The full-screen monitor runs in
tmux; nothing of that may reach the terminal: the pane shows only what
ncurses draws (SGR attributes at most), the pane title is isitdown's own
(service and state), the alternate screen stays as it was, and the text shows
up inert.  The event log and
line mode get the same scrutiny: no control character at all."""

import base64
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
import lib  # noqa: E402
from harness import Failure, Screen, check, check_restored  # noqa: E402

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"

# Each attack sits between two visible markers: the markers must show up,
# joined, with nothing of the attack in between.
ATTACKS = {
    "clear": ESC + "[2J" + ESC + "[H" + ESC + "[10;10H" + ESC + "[5A" + ESC + "[3C",
    "altscreen": ESC + "[?1049l" + ESC + "[?25l" + ESC + "c" + ESC + "[r",
    "title": ESC + "]0;PWNED-TITLE" + BEL + ESC + "]2;PWNED-TITLE2" + ST,
    "link": ESC + "]8;;http://evil.example/" + ST + "CLICKME" + ESC + "]8;;" + ST,
    "dcs": ESC + "P1$qm" + ST + ESC + "Ptmux;" + ESC + ESC + "]2;PWNED-PASS" + BEL + ST,
    "c1": "\u009b2J\u009d0;PWNED-C1" + BEL + "\u0090qx" + "\u009c",
    "bidi": "\u202e\u2066\u200f",
    "ctl": "\b\b\b\r\x0b\x0c\x7f" + BEL,
}
# visible text of the link attack that may stay (it is the link's text)
INERT_OK = {"link": "CLICKME"}
INVALID_UTF8 = b"\xff\xfe\xc0\xaf\xed\xa0\x80\x80"
FORBIDDEN_TEXT = ("PWNED", "evil.example", "1049", "[2J", "]0;", "tmux;")


def hostile(tag, kind):
    return "%s%s%s" % (tag + "-A", ATTACKS[kind], tag + "-Z")


def summary_bytes():
    """A Statuspage v2 summary whose strings carry the attacks.  JSON escapes
    carry the control characters; invalid UTF-8 goes in as raw bytes."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())

    def comp(cid, name, status):
        return {"id": cid, "name": name, "status": status, "created_at": now, "updated_at": now,
                "position": 1, "description": None, "showcase": True, "group_id": None,
                "page_id": "h", "group": False, "only_show_if_degraded": False}

    body = (hostile("BODY1", "clear") + " " + hostile("BODY2", "link") + " " +
            hostile("BODY3", "dcs") + " " + hostile("BODY4", "c1") + " " + "@@BADUTF8@@" +
            " overlong " + "x" * 100000)
    incident = {
        "id": "inc1", "name": hostile("INC", "title") + hostile("INB", "altscreen") + hostile("IND", "bidi"),
        "status": "investigating", "created_at": now, "updated_at": now, "monitoring_at": None,
        "resolved_at": None, "impact": "major", "shortlink": "http://x.example/" + ESC + "]0;PWNED" + BEL,
        "started_at": now, "page_id": "h",
        "components": [comp("c3", hostile("CMP", "clear"), "major_outage")],
        "incident_updates": [{
            "id": "upd1", "status": "investigating", "body": body, "incident_id": "inc1",
            "created_at": now, "updated_at": now, "display_at": now,
            "affected_components": [{"code": "c3", "name": hostile("AFF", "title"),
                                     "old_status": "operational", "new_status": "major_outage"}],
        }],
    }
    doc = {
        "page": {"id": "h", "name": hostile("PAGE", "title"), "url": "http://127.0.0.1",
                 "time_zone": "Etc/UTC", "updated_at": now},
        "status": {"indicator": "major", "description": hostile("DESC", "ctl") + hostile("DESB", "c1")},
        "components": [comp("c1", "Web", "operational"), comp("c2", "API", "operational"),
                       comp("c3", hostile("CMP", "clear"), "major_outage"),
                       comp("c4", hostile("CMQ", "title") + "y" * 5000, "degraded_performance")],
        "incidents": [incident],
        "scheduled_maintenances": [],
    }
    raw = json.dumps(doc).encode()
    return raw.replace(b"@@BADUTF8@@", INVALID_UTF8)


class FixtureService:
    """The loopback fixture in the harness's Service role: /web and /api answer
    200, /summary.json is the hostile page."""

    def __init__(self):
        self.fx = lib.launch_fixture()
        self.port = self.fx.http_port
        self.state = {}
        self.fx.mount("/web", body="ok\n", ctype="text/plain")
        self.fx.mount("/api", body="ok\n", ctype="text/plain")
        self.fx.control("POST", "mount", {"path": "/summary.json", "ctype": "application/json",
                                          "body_b64": base64.b64encode(summary_bytes()).decode()})

    def close(self):
        self.fx.stop()


SGR = re.compile(r"\x1b\[[0-9;:]*m")
BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_inert(text, what):
    """No escape but SGR, no control, no bidi, no attack text."""
    rest = SGR.sub("", text)
    m = re.search("\x1b.{0,12}", rest)
    check(not m, "%s: an escape sequence other than SGR reached it: %r" % (what, m and m.group(0)))
    m = CONTROL.search(rest.replace("\n", ""))
    check(not m, "%s: control character %r" % (what, m and m.group(0)))
    m = BIDI.search(rest)
    check(not m, "%s: bidi control U+%04X" % (what, m and ord(m.group(0)) or 0))
    for bad in FORBIDDEN_TEXT:
        check(bad not in rest, "%s: %r of an escape sequence shows as text" % (what, bad))


def check_markers(text, tags, what):
    """Each attack between TAG-A and TAG-Z left nothing between them."""
    for tag in tags:
        m = re.search(re.escape(tag) + "-A(.{0,40}?)" + re.escape(tag) + "-Z", text, re.S)
        check(m, "%s: %s-A...%s-Z not shown together" % (what, tag, tag))
        # line breaks become spaces; a long line may wrap inside the frame
        left = re.sub(r"[\s\u2502\u2551]", "", m.group(1)).replace("CLICKME", "")
        check(left == "", "%s: %r left between %s-A and %s-Z" % (what, left, tag, tag))


def pane(scr, fmt):
    return scr.tmux("display-message", "-p", "-t", scr.session, fmt).strip()


def capture(scr):
    """The pane as tmux holds it, with attributes (-e): what reached the terminal."""
    return scr.tmux("capture-pane", "-p", "-e", "-t", scr.session)


def screen_test():
    svc = FixtureService()
    scr = Screen("hostile", cols=120, rows=40, service=svc, interval=1.0)
    try:
        scr.wait(lambda t: "INC-A" in t and "DESC-A" in t and "PENDING" not in t,
                 "the hostile incident and status on screen", timeout=30)
        frames = [capture(scr)]
        # the log: its second row is the incident; Enter shows it whole, with the update
        scr.send("BTab")
        scr.wait_text("[ Log:")
        detail = None
        for row in range(4):
            # newest first: find the incident's row, whatever else was logged
            scr.send("Home")
            for _ in range(row):
                scr.send("j")
            time.sleep(0.2)
            scr.send("Enter")
            t = scr.wait_text("[ Event ]")
            if "source:    official" in t:
                detail = scr.wait(lambda t: "BODY1-A" in t and re.search(r"1-\d+ of \d+", t),
                                  "the incident's detail, with its scroll position")
                break
            scr.send("Escape")
            scr.wait_gone("[ Event ]")
        check(detail, "no official event in the log", scr)
        frames.append(capture(scr))
        check_markers(detail, ["INC", "INB", "IND", "CMP", "BODY1", "BODY2", "BODY3", "BODY4"],
                      "the incident detail")
        check("\ufffd" in detail, "invalid UTF-8 should show as U+FFFD", scr)
        # the overlong body was cut, the detail still scrolls to its end
        m = re.search(r"1-\d+ of (\d+)", detail)
        check(m and int(m.group(1)) < 400, "a 100 kB body was not cut: %s lines" % (m and m.group(1)), scr)
        scr.send("End")
        time.sleep(0.3)
        frames.append(capture(scr))
        scr.send("Escape")
        scr.wait_gone("[ Event ]")
        frames.append(capture(scr))
        for i, f in enumerate(frames):
            check_inert(f, "screen %d" % i)
        title = pane(scr, "#{pane_title}")
        # the only title is isitdown's own, naming the service and the state
        check(re.fullmatch(r"isitdown: Loop (operational|degraded|PARTIAL OUTAGE|MAJOR OUTAGE|maintenance|"
                           r"LOCAL PROBLEM|checking)", title),
              "the pane title is not isitdown's own: %r" % title)
        check(pane(scr, "#{alternate_on}") == "1", "the monitor was thrown out of the alternate screen")
        # the layout is where ncurses put it: the verdict bar on top, the footer at the bottom
        t = scr.text().split("\n")
        check(t[0].startswith(" UP "), "the verdict bar moved: %r" % t[0], scr)
        check(t[-2].startswith(" ? help") or t[-1].startswith(" ? help"), "the footer moved", scr)
        # quit: the terminal is restored, the state directory's log is inert
        scr.send("q")
        check_restored(scr)
        log = os.path.join(scr.dir, "state", "events.jsonl")
        check(os.path.exists(log), "no event log in --state-dir")
        with open(log, "rb") as f:
            check_log(f.read(), "the event log")
    finally:
        scr.close()


def check_log(data, what):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Failure("%s is not valid UTF-8: %s" % (what, e))
    check("INC-A" in text or "DESC-A" in text, "%s lacks the hostile page" % what)
    for n, line in enumerate(text.splitlines(), 1):
        check_inert(line, "%s line %d" % (what, n))
        if line.startswith("{"):
            doc = json.loads(line)
            for s in strings(doc):
                check_inert(s, "%s line %d (decoded)" % (what, n))
                check(len(s.encode()) < 20000, "%s line %d: a string of %d bytes was not cut"
                      % (what, n, len(s.encode())))


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def lines_test():
    svc = FixtureService()
    try:
        cfg = {"service": "Loop", "interval_s": 1, "timeout_s": 2, "targets": [
            {"name": "web", "url": "http://127.0.0.1:%d/web" % svc.port},
            {"name": "status-page", "kind": "statuspage", "url": "http://127.0.0.1:%d/summary.json" % svc.port}]}
        for args in (["--lines"], ["--lines", "--json"]):
            with lib.isitdown_process(args + ["--no-state"], cfg) as p:
                end = time.time() + 20
                sp, web = svc.fx.count("/summary.json") + 1, svc.fx.count("/web") + 3
                while svc.fx.count("/summary.json") < sp or svc.fx.count("/web") < web:
                    check(time.time() < end and p.poll() is None, "%s did not probe" % args)
                    time.sleep(0.1)
                time.sleep(0.5)
                p.terminate()
                out, err = p.communicate(timeout=10)
            check_log(out, "stdout of %s" % " ".join(args))
            check_inert(err.decode("utf-8", "replace"), "stderr of %s" % " ".join(args))
        # --once: the table, and the JSON document with the official incidents in full
        for args in (["--once"], ["--once", "--json"]):
            rc, out, err = lib.run_isitdown(args, cfg, timeout=60)
            check_inert(err, "stderr of %s" % " ".join(args))
            if "--json" in args:
                doc = json.loads(out)
                incs = doc["official"]["incidents"]
                check(incs and "INC-A" in incs[0]["name"], "--once --json lacks the incident")
                check_markers(incs[0]["name"], ["INC", "INB", "IND"], "--once --json incident name")
                check_markers(incs[0]["updates"][0]["body"], ["BODY1", "BODY2", "BODY3", "BODY4"],
                              "--once --json update body")
                check_log(out.replace("\n", " ").encode(), "stdout of --once --json")
            else:
                # the performance data after the status line's '|' holds the
                # targets' names and numbers ("0.001049s" may hold "1049")
                first, _, rest = out.partition("\n")
                status, _, perf = first.partition(" | ")
                check(not re.search(r"[\x00-\x1f\x7f]", perf), "control character in the performance data")
                check_inert(status + "\n" + rest, "stdout of --once")
    finally:
        svc.close()


def main():
    started = time.time()
    for name, fn in (("hostile-screen", screen_test), ("hostile-lines", lines_test)):
        try:
            fn()
        except Failure as e:
            print("FAIL %s: %s" % (name, e))
            sys.exit(1)
        print("PASS %s (%.1f s)" % (name, time.time() - started))
    sys.exit(0)


if __name__ == "__main__":
    main()
