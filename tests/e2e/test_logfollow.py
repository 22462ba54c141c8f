"""The log follows the newest event: while nobody moves in it, each new
event appears on its first row. Once the user has moved to an older event,
newer ones arrive out of view and a "↑ N new" marker counts them; Home, End
and G go back to following. The selected event stays in sight, drawn in
reverse, when the log is not focused. At 80x24, where the log has a few rows
only."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_restored, run  # noqa: E402

NEW = re.compile(r"\u2191 (\d+) new")


def log_rows(t):
    lines = t.split("\n")
    start = next(i for i, l in enumerate(lines) if re.match(r"^[\u2500\u2550]\[? Log", l))
    rows = []
    for l in lines[start + 1:]:
        if re.match(r"^[\u2500\u2550][\[ ]", l) or l.startswith(" ? help") or l.startswith(" "):
            break
        rows.append(l)
    return rows


def first_row(t):
    rows = log_rows(t)
    return rows[0] if rows else ""


def events(t):
    m = re.search(r"Log: (\d+) events?", t)
    return int(m.group(1)) if m else 0


def scrolled(t, page):
    """The log's first row is not its newest event: fewer rows are left
    below than when the newest is on top."""
    m = re.search(r"\+(\d+) \u2193", "\n".join(log_rows(t)))
    below = int(m.group(1)) if m else 0
    return below < events(t) - page


def add_event(scr, key):
    """Presses key (p or r: each logs an event) and waits for the event."""
    before = events(scr.text())
    scr.send(key)
    return scr.wait(lambda t: events(t) > before, "a new event after %r" % key)


def body(scr):
    scr.wait(lambda t: t.startswith(" UP "), "the first verdict")
    for _ in range(4):
        if "[ Log" in scr.text():
            break
        scr.send("Tab")
        time.sleep(0.3)
    t = scr.wait_text("[ Log")
    page = len(log_rows(t))
    check(page >= 3, "the focused log shows %d rows at 80x24" % page, scr)
    # more events than the log shows
    while events(scr.text()) < page + 6:
        add_event(scr, "r")

    # following: each new event lands on the first row
    add_event(scr, "p")
    scr.wait(lambda t: re.search(r"\bpaused\b", first_row(t)), "the newest event (paused) on the first row")
    add_event(scr, "p")
    t = scr.wait(lambda t: re.search(r"\bresumed\b", first_row(t)), "the newest event (resumed) on the first row")
    check(not NEW.search(t), "a new-events marker while following", scr)

    # moved down past the page: new events arrive above, out of view, counted
    for _ in range(page + 2):
        scr.send("j")
    t = scr.wait(lambda t: scrolled(t, page), "the log to scroll down with the selection")
    add_event(scr, "p")
    t = scr.wait(lambda t: NEW.search(t), "the '\u2191 N new' marker")
    check(NEW.search(t).group(1) == "1", "one event arrived, the marker says %r" % NEW.search(t).group(0), scr)
    check(scrolled(t, page), "the view jumped to the new event though the user had scrolled", scr)
    add_event(scr, "p")
    t = scr.wait(lambda t: NEW.search(t) and NEW.search(t).group(1) == "2", "the marker to count 2 new")
    # the marker does not hide the end of a word on its row
    row = first_row(t)
    check(re.search(r"(\w|\)|\u2026) +\u2191 2 new", row), "the marker sits on a cut word: %r" % row, scr)

    # not focused: the selection stays in sight, drawn in reverse
    scr.send("Tab")
    scr.wait(lambda t: "[ Log" not in t, "the focus to leave the log")
    time.sleep(0.5)
    colour = scr.tmux("capture-pane", "-p", "-e", "-t", scr.session)
    plain = scr.text().split("\n")
    lines = colour.split("\n")
    start = next(i for i, l in enumerate(plain) if re.match(r"^[\u2500\u2550]\[? Log", l))
    reverse = re.compile(r"\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m")
    check(any(reverse.search(l) for l in lines[start + 1:scr.rows - 1]),
          "no row of the unfocused log is shown selected", scr)
    check(NEW.search(scr.text()), "the marker went when the focus left", scr)
    for _ in range(4):
        if "[ Log" in scr.text():
            break
        scr.send("Tab")
        time.sleep(0.3)
    scr.wait_text("[ Log")

    # G goes back to following: the newest on the first row, no marker
    scr.send("G")
    t = scr.wait(lambda t: not NEW.search(t), "the marker to go with G")
    # the newest: the second of the two pauses and resumes made while scrolled
    check(not scrolled(t, page) and re.search(r"\bresumed\b", first_row(t)),
          "G did not show the newest event: %r" % first_row(t), scr)
    add_event(scr, "p")
    scr.wait(lambda t: re.search(r"\bpaused\b", first_row(t)), "the log to follow again after G")

    # Home and End do the same
    for key in ("Home", "End"):
        for _ in range(page + 2):
            scr.send("j")
        scr.wait(lambda t: scrolled(t, page), "the log to scroll down before %s" % key)
        add_event(scr, "p")
        scr.wait(lambda t: NEW.search(t), "the marker before %s" % key)
        scr.send(key)
        t = scr.wait(lambda t: not NEW.search(t), "the marker to go with %s" % key)
        check(not scrolled(t, page), "%s did not show the newest event on the first row" % key, scr)

    scr.send("q")
    check_restored(scr)


run("logfollow", body, cols=80, rows=24)
