"""Small windows: in a tmux pane of 60x20, as beside an editor, a scripted
outage (the API answers, then 503s, then answers again) shows in the verdict,
each component's state, the latency sparklines, the checklist and the log,
what does not fit reached with Tab (at 40x14 too, the focused panel showing
what is down).  80x24 and the tiny sizes 30x8 (where the
rows under the components show the newest events) and 20x5 draw whole (no line wider than the pane, nothing left over from the size
before: a full repaint with ^L changes nothing), and rapid resizes across
sizes leave the monitor running and drawing."""

import os
import random
import re
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_restored, run  # noqa: E402

FAIL = "\u2716"
OK = "\u2714"
BLOCKS = re.compile("[\u2581-\u2588]")


def width(line):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in line)


def rows_of(t):
    return t.rstrip("\n").split("\n") if t.strip() else []


def row(t, prefix):
    return next((l for l in t.split("\n") if l.startswith(prefix)), "")


def title(t, word):
    return next((l for l in t.split("\n") if re.match(r"^[\u2500\u2550][\[ ]", l) and word in l), "")


def selected_line(scr):
    """The text of the first row drawn with the selection's background (the
    default theme's selection has a background colour; nothing else in the
    tiny view has one)."""
    for line in scr.tmux("capture-pane", "-p", "-e", "-t", scr.session).split("\n")[1:]:
        if re.search(r"\x1b\[[0-9;]*48;5;", line):
            return re.sub(r"\x1b\[[0-9;]*m", "", line)
    return ""


def drawn_for(scr, t):
    """The program has drawn for the pane's size, not tmux's cut of the frame
    before: title rules span the width and the footer is on the last row.
    (Wait for it before resizing again: tmux 3.3 can leave the pty at the
    middle size of a quick shrink-and-grow, seen with strace.)"""
    lines = t.split("\n")
    rules = [l for l in lines if re.match(r"^[\u2500\u2550][\[ ]", l)]
    return (len(lines) >= scr.rows and lines[scr.rows - 1].startswith(" ? help")
            and rules and all(width(l) == scr.cols for l in rules))


def check_fits(scr, t):
    lines = t.split("\n")
    check(len(rows_of(t)) <= scr.rows, "%d rows drawn in a pane of %d" % (len(rows_of(t)), scr.rows), scr)
    wide = [l for l in lines if width(l) > scr.cols]
    check(not wide, "lines wider than %d columns: %r" % (scr.cols, wide), scr)
    check("\ufffd" not in t, "a broken character on the screen", scr)


def settled(scr):
    """The screen once it stops changing (probing is paused)."""
    last = scr.text()
    end = time.time() + 10
    while time.time() < end:
        time.sleep(0.4)
        now = scr.text()
        if now == last:
            return now
        last = now
    check(False, "the screen keeps changing while paused", scr)


def check_clean(scr):
    """What is on the pane is what a full repaint draws: no cell left over
    from an earlier size or frame."""
    before = settled(scr)
    check_fits(scr, before)
    scr.send("C-l")
    time.sleep(0.5)
    after = settled(scr)
    check(before == after, "a repaint changed the screen at %dx%d; before:\n%s\nafter:" % (
        scr.cols, scr.rows, before), scr)
    return after


def body(scr):
    # -- 60x20: the whole story of an outage -----------------------------
    t = scr.wait(lambda t: t.startswith(" UP ") and OK + " UP" in row(t, "  api "),
                 "the first round of probes at 60x20", timeout=20)
    check_fits(scr, t)
    for word in ("Status", "Latency", "Checklist", "Log:"):
        check(title(t, word), "no %s panel at 60x20" % word, scr)
    check(re.match(r" \? help ", rows_of(t)[-1]), "no footer at 60x20: %r" % rows_of(t)[-1], scr)

    scr.service.state["api"] = 503
    t = scr.wait(lambda t: "DOWN" in row(t, "  api ") and "OUTAGE" in t.split("\n")[0],
                 "the outage at 60x20", timeout=20)
    check_fits(scr, t)
    check(re.match(r" (PARTIAL|MAJOR) OUTAGE ", t.split("\n")[0]), "verdict bar: %r" % t.split("\n")[0], scr)
    check(FAIL + " DOWN" in row(t, "API ") and "operational" in row(t, "API "),
          "component API: ours down beside the official word: %r" % row(t, "API "), scr)
    check(FAIL + " DOWN" in row(t, "  api "), "api row: %r" % row(t, "  api "), scr)
    check(OK + " UP" in row(t, "Web ") and OK + " UP" in row(t, "  web "), "Web should be up", scr)
    check(OK + " UP" in row(t, "control "), "control should be up", scr)
    check(BLOCKS.search(row(t, "web ")) or BLOCKS.search(row(t, "control ")),
          "no sparkline in the latency panel at 60x20", scr)

    # the smallest stacked layout still shows the focused status panel's down row
    scr.resize(40, 14)
    t = scr.wait(lambda t: drawn_for(scr, t) and FAIL + " DOWN" in row(t, "  api "), "api down at 40x14")
    check_fits(scr, t)
    scr.resize(60, 20)
    scr.wait(lambda t: drawn_for(scr, t), "the 60x20 layout again")

    # Tab reaches what did not fit: the api sparkline with its failures
    scr.send("Tab")
    t = scr.wait(lambda t: "[ Latency" in t and FAIL in row(t, "api "), "the api sparkline with failures")
    check_fits(scr, t)
    check(BLOCKS.search(row(t, "api ")) and row(t, "api ").rstrip().endswith("fail"),
          "api sparkline: answers then failures, last value fail: %r" % row(t, "api "), scr)
    # the checklist with the failing step
    scr.send("Tab")
    t = scr.wait(lambda t: "[ Checklist: 1 failed" in t, "the checklist, its title counting the failure")
    check_fits(scr, t)
    check(re.search(OK + " pass +Internet connection", t), "the internet step should pass", scr)
    # moving down brings the failed step into view
    for _ in range(12):
        if re.search(FAIL + " FAIL +API", scr.text()):
            break
        scr.send("j")
        time.sleep(0.15)
    t = scr.wait(lambda t: re.search(FAIL + " FAIL +API", t), "the failed API step")
    check_fits(scr, t)
    scr.send("Enter")
    t = scr.wait_text("measurements")
    check_fits(scr, t)
    scr.send("Escape")
    scr.wait_gone("measurements")
    # the log with the down event
    scr.send("Tab")
    # (a narrow row keeps the new state and its cause: "api: down (HTTP 503 ...)")
    t = scr.wait(lambda t: "[ Log:" in t and re.search(r"CRIT probe +api: (\w+ -> )?down \(", t),
                 "the down event in the log")
    check_fits(scr, t)
    check(re.search(r"CRIT verdict +(partial|major)_outage", t), "the verdict change is not in the log", scr)

    # recovery, seen in the log panel that still has the focus
    scr.service.state["api"] = 200
    t = scr.wait(lambda t: re.search(r"INFO probe +api: down -> up", t) and t.startswith(" UP "),
                 "the recovery at 60x20", timeout=20)
    scr.send("Tab")
    t = scr.wait(lambda t: "[ Status" in t and OK + " UP" in row(t, "  api "), "api up in the status panel")
    check_fits(scr, t)

    # from here on nothing changes unless we resize: pause probing
    scr.send("p")
    scr.wait(lambda t: "PAUSED" in t.split("\n")[0], "PAUSED")
    check_clean(scr)

    # -- 80x24 ----------------------------------------------------------------
    scr.resize(80, 24)
    t = scr.wait(lambda t: drawn_for(scr, t) and "RESULT" in t, "the 80x24 layout")
    t = check_clean(scr)
    for word in ("Status", "Latency", "Checklist", "Log:"):
        check(title(t, word), "no %s panel at 80x24" % word, scr)
    check(FAIL in row(t, "api "), "the past failures are not in the api sparkline at 80x24", scr)

    # -- tiny: the verdict and one line per component ------------------------------
    for cols, rows in ((30, 8), (20, 5)):
        scr.resize(cols, rows)
        t = scr.wait(lambda t: row(t, "Web") and row(t, "API") and "Status" not in t,
                     "the tiny layout at %dx%d" % (cols, rows))
        t = check_clean(scr)
        lines = t.split("\n")
        check(lines[0].startswith(" UP "), "verdict at %dx%d: %r" % (cols, rows, lines[0]), scr)
        check("UP" in row(t, "Web") and "UP" in row(t, "API"), "components at %dx%d" % (cols, rows), scr)
        check(lines[rows - 1].startswith(" ? help"), "footer at %dx%d: %r" % (cols, rows, lines[rows - 1]), scr)
        check("PAUSED" in lines[0] or cols < 30, "PAUSED lost at %dx%d: %r" % (cols, rows, lines[0]), scr)
        if (cols, rows) == (30, 8):
            # the line Enter opens is shown selected, and j moves among the lines shown
            check(selected_line(scr).startswith("Web"), "Web is not shown selected at 30x8", scr)
            scr.send("j")
            scr.wait(lambda t: selected_line(scr).startswith("API"), "j to select the API line")
            scr.send("Enter")
            scr.wait(lambda t: "component API" in t, "Enter to open the API line shown selected")
            scr.send("Escape")
            scr.send("k")
            scr.wait(lambda t: "component API" not in t and selected_line(scr).startswith("Web"),
                     "k back to Web")
            t = check_clean(scr)
            lines = t.split("\n")
        if rows >= 8:
            # the rows the components leave free show the newest events
            check(re.match(r"\d\d:\d\d INFO +api: down -> up", lines[4]) or
                  re.match(r"\d\d:\d\d (INFO|NOTE|WARN|CRIT) ", lines[4]),
                  "no event under the components at %dx%d: %r" % (cols, rows, lines[4]), scr)

    # -- rapid resizes across every layout -------------------------------------
    rnd = random.Random(20)
    sizes = [(60, 20), (20, 5), (80, 24), (30, 8), (1, 1), (130, 40), (19, 4), (45, 13)]
    for _ in range(3):
        for cols, rows in sizes + [(rnd.randint(1, 140), rnd.randint(1, 45)) for _ in range(10)]:
            scr.resize(cols, rows)
    for cols, rows in ((30, 8), (60, 20)):
        scr.resize(cols, rows)
        time.sleep(0.2)
        check(not scr.exited(), "isitdown exited during rapid resizes", scr)

    # back at 60x20: whole, clean, and still working
    t = scr.wait(lambda t: drawn_for(scr, t) and title(t, "Status") and title(t, "Log:"),
                 "a whole screen back at 60x20")
    check_clean(scr)
    scr.send("p")
    scr.wait(lambda t: "PAUSED" not in t.split("\n")[0], "probing to resume")
    stamp = re.search(r"last probe (\S+)", scr.text().split("\n")[0])
    scr.wait(lambda t: re.search(r"last probe (\S+)", t.split("\n")[0]) and (
        not stamp or re.search(r"last probe (\S+)", t.split("\n")[0]).group(1) != stamp.group(1)),
        "probes to go on after the resizes", timeout=15)

    scr.send("q")
    check_restored(scr)


run("small", body, cols=60, rows=20, interval=0.3)
