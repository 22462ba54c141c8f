"""Every key of the monitor, as a person would press them: moving in each
panel (arrows and hjkl), Tab / Shift-Tab, Enter and Esc, scrolling back in time and sideways,
the log filter prompt, probe now, pause, themes, help, redraw, the mouse
wheel, and q."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_restored, run  # noqa: E402


def title(t, word):
    """The title line of a panel, e.g. the one holding 'Latency'."""
    return next((l for l in t.split("\n") if re.match(r"^[\u2500\u2550][\[ ]", l) and word in l), "")


def latency_is(scr, name):
    return scr.wait(lambda t: re.search(r"Latency: %s \]?[\u2500\u2550 ]" % re.escape(name), title(t, "Latency")),
                    "the latency panel to follow %s" % name)


def wheel(scr, down, x, y):
    """An X10 mouse wheel event at column x, row y (0-based)."""
    button = 65 if down else 64
    scr.send_text("\x1b[M" + chr(32 + button) + chr(33 + x) + chr(33 + y))


def body(scr):
    scr.wait(lambda t: "operational" in t and "PENDING" not in t and "incident already open" in t,
             "the first round of probes")

    # status panel: j / k / End / Home / PgDn / PgUp; the latency panel follows the selected target
    scr.send("j")
    latency_is(scr, "web")
    scr.send("j", "j")
    latency_is(scr, "api")
    scr.send("k")
    scr.send("Enter")
    scr.wait_text("component API")
    scr.send("Escape")
    scr.wait_gone("component API")
    scr.send("End")
    latency_is(scr, "status-page")
    scr.send("Enter")
    scr.wait_text("status-page: statuspage target")
    scr.send("Escape")
    scr.send("Home")
    scr.send("Down")
    latency_is(scr, "web")
    scr.send("NPage")
    latency_is(scr, "status-page")
    scr.send("PPage", "Home", "Enter")
    scr.wait_text("component Web")
    scr.send("Escape")
    scr.wait_gone("component Web")

    # Tab and Shift-Tab move the focus, shown as [ Title ]
    scr.send("Tab")
    scr.wait(lambda t: "[ Latency" in t and "[ Status" not in t, "focus on the latency panel")
    scr.send("BTab")
    scr.wait(lambda t: "[ Status" in t and "[ Latency" not in t, "focus back on the status panel")
    scr.send("Tab")
    scr.wait_text("[ Latency")

    # latency panel: h scrolls back in time, l forward again
    scr.wait(lambda t: re.search(r"^web .{20,}\d", t, re.M) and sum(
        1 for c in next(l for l in t.split("\n") if l.startswith("web ")) if "\u2581" <= c <= "\u2588") >= 40,
        "forty samples of web", timeout=30)
    # h has nothing to show until there are more samples than cells: press until there are
    end = time.time() + 15
    while "back (l: newer)" not in scr.text() and time.time() < end:
        scr.send("h")
        time.sleep(0.3)
    scr.wait_text("back (l: newer)")
    # the arrow keys do what h / l do
    scr.send("Right", "Right", "Right", "Right")
    scr.wait_gone("back (l: newer)")
    scr.send("End")
    latency_is(scr, "status-page")
    scr.send("k")
    latency_is(scr, "api")
    scr.send("Up")
    latency_is(scr, "web")
    scr.send("Down")
    latency_is(scr, "api")
    scr.send("Home")
    latency_is(scr, "control")
    scr.send("Enter")
    scr.wait_text("control: tcp target, control")
    scr.send("Escape")

    # checklist: move and open a step
    scr.send("Tab")
    scr.wait_text("[ Checklist")
    scr.send("j", "Enter")
    t = scr.wait_text("measurements")
    check("Step 2 of" in t, "j did not move to the second step", scr)
    scr.send("Escape")

    # log: the filter prompt in the footer; Esc cancels, Enter applies
    scr.send("Tab")
    scr.wait_text("[ Log:")
    scr.send("/")
    scr.wait_text("filter:")
    scr.send_text("zzz")
    scr.wait_text("filter: zzz")
    scr.send("Escape")
    t = scr.wait_gone("filter:")
    check('"zzz"' not in t, "Esc applied the filter instead of cancelling it", scr)
    scr.send("/")
    scr.send_text("monitxr")
    scr.send("BSpace", "BSpace")
    scr.send_text("or")
    scr.wait_text("filter: monitor")
    scr.send("Enter")
    t = scr.wait(lambda t: '"monitor"' in title(t, "Log"), "the filter to apply")
    lines = t.split("\n")
    body_rows = lines[lines.index(title(t, "Log")) + 1:scr.rows - 1]
    check(all("monitor" in l for l in body_rows if l.strip()), "a row does not match the filter", scr)
    check(any("monitoring Loop" in l for l in body_rows), "the matching event is not shown", scr)

    # sideways scrolling of long lines
    scr.send("l")
    scr.wait(lambda t: "ng Loop: 4 targets" in t and "monitoring Loop" not in t, "the text to scroll left")
    scr.send("Left")
    scr.wait_text("monitoring Loop")
    scr.send("Escape")
    scr.wait(lambda t: '"monitor"' not in title(t, "Log"), "Esc to clear the filter")

    # r: probe every target now
    scr.send("r")
    scr.wait_text("probing all targets now")
    # and says so in the status line, where the eye is after a key
    scr.wait(lambda t: "probing all 4 targets now" in t.split("\n")[scr.rows - 1], "r's note in the footer")

    # End, like Home, goes back to following the newest event after a move
    # to an older one; Enter opens it
    scr.send("j", "j", "End", "Enter")
    t = scr.wait_text("Event")
    check("probing all targets now" in t and "source:    monitor" in t, "End did not go back to the newest event", scr)
    scr.send("Escape", "Home", "Enter")
    scr.wait_text("severity:")
    scr.send("Escape")

    # p: pause and resume
    # the verdict bar keeps the verdict's words before the clock: at 60
    # columns there is no room for "last probe", so watch it from a wider pane
    scr.resize(90, 22)
    scr.wait(lambda t: "last probe" in t.split("\n")[0], "the clock in a wider verdict bar")
    scr.send("p")
    t = scr.wait(lambda t: "PAUSED" in t.split("\n")[0] and "last probe" in t.split("\n")[0],
                 "PAUSED in the verdict bar")
    scr.wait(lambda t: re.search(r"INFO monitor +paused", t), "the pause in the log")
    stamp = re.search(r"last probe (\S+)", t.split("\n")[0]).group(1)
    time.sleep(2.5)
    check(re.search(r"last probe (\S+)", scr.text().split("\n")[0]).group(1) == stamp,
          "probes went on while paused", scr)
    scr.send("p")
    scr.wait(lambda t: "PAUSED" not in t.split("\n")[0], "PAUSED to go")
    scr.wait(lambda t: re.search(r"INFO monitor +resumed", t), "the resume in the log")
    scr.resize(60, 22)

    # t: the next theme, named in the footer
    scr.send("t")
    t = scr.wait_text("theme: ")
    first = re.search(r"theme: (\S+)", t).group(1)
    scr.send("t")
    scr.wait(lambda t: re.search(r"theme: (\S+)", t) and re.search(r"theme: (\S+)", t).group(1) != first,
             "another theme")

    # ?: help, scrolled with j, closed with ? again; ^L repaints
    scr.send("?")
    t = scr.wait_text("Help")
    check(re.search(r" 1-\d+ of \d+ ", t), "help has no position indicator", scr)
    # what help says of Home and End is what they did in the log above
    check(re.search(r"Home, g +go to the top \(log: follow newest\)", t), "help on Home", scr)
    check(re.search(r"End, G +go to the end \(log: follow newest\)", t), "help on End", scr)
    scr.send("j", "j")
    scr.wait(lambda t: re.search(r" 3-\d+ of \d+ ", t), "help to scroll")
    # the legend's columns line up: the mouse line with the keys, the state
    # descriptions with each other whatever the badge's glyph
    scr.send("PPage", "NPage")
    t = scr.wait(lambda t: "answers normally" in t and "mouse wheel" in t and "repaint the screen" in t,
                 "the mouse line and the target states in the help")
    at = lambda words: next(l.index(words) for l in t.split("\n") if words in l and l.startswith("\u2551"))
    check(at("scroll the panel under") == at("repaint the screen"), "the mouse line is out of line", scr)
    cols = {at(d) for d in ("answers normally", "answers, but", "failed once", "failed twice",
                            "keeps changing state", "no result yet")}
    check(len(cols) == 1, "the target states' descriptions start at columns %s" % sorted(cols), scr)
    scr.send("?")
    scr.wait_gone("of 4")
    scr.send("C-l")
    scr.wait_text("[ Log:")

    # the mouse wheel scrolls the panel under the pointer: the status panel here
    scr.send("Tab")
    scr.wait_text("[ Status")
    wheel(scr, True, 10, 4)
    latency_is(scr, "api")
    # back up over API and web to Web: the latency panel followed the last target passed
    wheel(scr, False, 10, 4)
    latency_is(scr, "web")
    scr.send("Enter")
    scr.wait_text("component Web")
    scr.send("Escape")

    scr.send("q")
    check_restored(scr)


run("keys", body, cols=60, rows=22, interval=0.2)
