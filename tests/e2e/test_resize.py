"""Resizing: every layout in turn (wide, narrow, tiny, the bare verdict line),
sizes down to 1x1, a burst of rapid resizes, and back: the monitor keeps
running, draws each size whole, and the screen is not garbled afterwards."""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_restored, run  # noqa: E402


def full_screen(t, cols, rows):
    lines = t.split("\n")
    return (len(lines) >= rows and lines[0].startswith(" UP ") and "Status" in lines[1]
            and "Latency" in t and "Checklist" in t and "Log:" in t and lines[rows - 1].startswith(" ? help"))


def body(scr):
    scr.wait(lambda t: full_screen(t, 80, 24) and "operational" in t, "the first frame at 80x24")

    # wide: two columns of boxes
    scr.resize(130, 40)
    t = scr.wait(lambda t: "Checklist" in t.split("\n")[1] and "Status" in t.split("\n")[1],
                 "two columns at 130x40")
    check("\u2514" in t or "\u255a" in t, "no box corners in the wide layout", scr)

    # narrow, as in a tmux side pane: stacked under title rules
    scr.resize(60, 20)
    t = scr.wait(lambda t: full_screen(t, 60, 20), "the stacked layout at 60x20")
    check(all(len(l) <= 60 for l in t.split("\n")), "a line is wider than 60 columns", scr)

    # tiny: the verdict and one line per component, and the footer
    scr.resize(30, 10)
    t = scr.wait(lambda t: t.split("\n")[1].startswith("Web") and "UP" in t.split("\n")[1]
                 and t.split("\n")[2].startswith("API"), "one line per component at 30x10")
    check(t.split("\n")[9].startswith(" ? help"), "footer missing at 30x10", scr)
    check("Checklist" not in t, "panels drawn in the tiny layout", scr)
    # keys still work in a tiny window
    scr.send("Enter")
    scr.wait_text("component Web")
    scr.send("Escape")
    scr.wait_gone("component Web")

    scr.resize(20, 5)
    t = scr.wait(lambda t: t.split("\n")[0].startswith(" UP ") and t.split("\n")[1].startswith("Web")
                 and t.split("\n")[4].startswith(" ? help"), "the tiny layout at 20x5")
    check(all(len(l) <= 20 for l in t.split("\n")), "a line is wider than 20 columns", scr)
    scr.send("?")
    time.sleep(0.3)
    scr.send("Escape")

    # below 20x5: the verdict line alone
    scr.resize(19, 4)
    t = scr.wait(lambda t: t.split("\n")[0].startswith(" UP ") and not t.split("\n")[1].strip(),
                 "the verdict line alone at 19x4")
    for cols, rows in ((10, 3), (5, 2), (2, 1), (1, 1)):
        scr.resize(cols, rows)
        time.sleep(0.3)
        check(not scr.exited(), "isitdown exited at %dx%d" % (cols, rows), scr)

    # a burst of resizes, faster than frames are drawn
    rnd = random.Random(4)
    for _ in range(40):
        scr.resize(rnd.randint(1, 150), rnd.randint(1, 50))
    for cols, rows in ((20, 5), (30, 10), (1, 1), (200, 60), (40, 14), (20, 5)):
        scr.resize(cols, rows)
    time.sleep(0.5)
    check(not scr.exited(), "isitdown exited during the resize burst", scr)

    # back to 80x24: the screen is whole again
    scr.resize(80, 24)
    t = scr.wait(lambda t: full_screen(t, 80, 24), "a whole screen back at 80x24")
    lines = t.split("\n")
    check(lines[1].startswith("\u2550[ Status ]") or lines[1].startswith("\u2500 Status"),
          "status title rule: %r" % lines[1], scr)
    check(all(len(l) <= 80 for l in lines), "a line is wider than 80 columns", scr)
    # and it keeps updating
    before = [l for l in lines if l.startswith(" UP ")][0]
    scr.wait(lambda t: t.split("\n")[0] != before, "the verdict bar to show a newer probe time")

    scr.send("q")
    check_restored(scr)


run("resize", body, cols=80, rows=24)
