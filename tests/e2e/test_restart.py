"""After a restart the screen continues where the last run stopped: the
history file an earlier run left (a day of hourly tallies with a bad hour,
then 200 answers of 123 ms that ended five minutes ago) fills the web
sparkline at once, with a gap before the new answers; p95 is the played
123 ms; the Status panel's UP 24H column and the details view show the
uptime measured (99.9x %), and a target without history shows none."""

import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "integration"))
import harness  # noqa: E402
import history_file  # noqa: E402
from harness import check, run  # noqa: E402

PLAYED = 200


def play(scr):
    now = time.time()
    url = "http://127.0.0.1:%d/web" % scr.service.port
    first = math.floor((now - 86400) / 3600) + 1
    hours = [(h, 3600, 36 if h == first + 5 else 0) for h in range(first, math.floor((now - 600) / 3600))]
    end = now - 300
    samples = [history_file.sample(end - (PLAYED - i), True, 123.0, 200) for i in range(PLAYED)]
    path = os.path.join(scr.dir, "state", "history", "loop.bin")
    os.makedirs(os.path.dirname(path))
    history_file.write(path, [(history_file.key_http("web", url), hours, samples)])


def row(text, name, after=None):
    """The first line starting with name (after the line holding `after`)."""
    lines = text.splitlines()
    if after:
        lines = lines[next(i for i, line in enumerate(lines) if after in line):]
    for line in lines:
        inside = line.strip(" \u2551\u2502")  # the panel's frame
        if inside.startswith(name + " ") or inside == name:
            return inside
    return ""


def body(scr):
    t = scr.wait(lambda t: "operational" in t and "UP 24H" in t, "the first round, with the uptime column")
    web = row(t, "web")
    check(re.search(r"99\.9\d %", web), "web's row shows its measured 24 h uptime: %r" % web, scr)
    check("123" in web, "web's p95 is the played 123 ms: %r" % web, scr)
    check(re.search(r"99\.9\d %", row(t, "Web")), "the Web component shows it too", scr)
    check(not re.search(r"\d %", row(t, "api")), "api has no history, so no uptime: %r" % row(t, "api"), scr)

    # the latency panel: the played answers fill the line, a gap, the new ones
    scr.send("j")
    t = scr.wait(lambda t: "Latency: web" in t, "the latency panel following web")
    line = row(t, "web", after="Latency")
    cells = line.split("web", 1)[1] if "web" in line else ""
    filled = re.findall(r"[\u2581-\u2588]", cells)
    check(len(filled) >= 40, "the played answers fill web's sparkline (%d cells): %r" % (len(filled), line), scr)
    check(re.search(r"[\u2581-\u2588] [\u2581-\u2588]", cells.rstrip()),
          "a gap between the played answers and the new ones: %r" % line, scr)

    scr.send("Enter")
    t = scr.wait_text("web: http target")
    scr.wait(lambda t: re.search(r"uptime as measured: 1h 100 %, 24h 99\.9\d %, 7d -", t),
             "the details' uptime line")


if __name__ == "__main__":
    run("restart", body, cols=200, rows=50, prepare=play)
