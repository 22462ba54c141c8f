"""The monitor as a person sees it at 80x24: the verdict bar, every panel's
content, the checklist detail, an official update's body in the log, the
help screen, an exported report, and a terminal restored on quit."""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import INCIDENT_NAME, SECRET, UPDATE_BODY, check, check_restored, run  # noqa: E402

SPARK = re.compile("[\u2581-\u2588]")


def body(scr):
    lines = scr.wait(lambda t: "last probe" in t and t.count("HTTP 200") >= 2 and "operational" in t
                     and "PENDING" not in t and "Minor Service Outage" in t,
                     "the first round of probes").split("\n")

    # verdict bar: the state in words, the summary, the time of the last round
    check(lines[0].startswith(" UP "), "verdict bar does not start with UP: %r" % lines[0], scr)
    check("all good" in lines[0] and re.search(r"last probe \d\d:\d\d:\d\d", lines[0]),
          "verdict bar lacks summary or time: %r" % lines[0], scr)

    text = "\n".join(lines)
    # status panel: components with targets under them, our state beside the official one
    check("[ Status ]" in text, "status panel missing or not focused", scr)
    check(re.search(r"NAME +STATE +LAST +P95 +LOSS +OFFICIAL", text), "status header missing", scr)
    web = next((l for l in lines if l.startswith("Web ")), "")
    check("\u2714 UP" in web and "operational" in web, "component row Web: %r" % web, scr)
    row = next((l for l in lines if l.startswith("  web ")), "")
    check("\u2714 UP" in row and re.search(r"\d+(\.\d+)?ms", row) and "0%" in row and "HTTP 200" in row,
          "target row web: %r" % row, scr)
    check(any(l.startswith("control ") and "(control)" in l for l in lines), "control row missing", scr)

    # latency panel: a sparkline per target and a scale
    check("Latency" in text and "scale 0-" in text, "latency panel missing", scr)
    scr.wait(lambda t: any(l.startswith("web ") and len(SPARK.findall(l)) >= 2 for l in t.split("\n")),
             "a sparkline for web")

    # checklist panel and log panel
    check(re.search(r"\u2714 pass +Internet connection +control answers", text), "checklist missing", scr)
    check("Log:" in text, "log panel missing", scr)

    # the detail chart appears when the latency panel has the focus in a taller window
    scr.resize(100, 40)
    scr.send("Tab")
    scr.wait_text("[ Latency: control ]")
    scr.wait(lambda t: "latency by phase" in t and "connect" in t and re.search(r"p50 \S+ +p95 \S+ +p99", t),
             "the phase chart and its statistics")
    scr.send("Escape")
    scr.resize(80, 24)

    # checklist detail: the advice and the measurements behind a step
    scr.send("Tab")
    scr.wait_text("[ Checklist")
    scr.send("Enter")
    # one condition, waited for: a capture can land between two writes of a frame
    scr.wait(lambda t: "measurements" in t and "Internet connection" in t and "advice" in t
             and re.search(r"control \(tcp\): \u2714 UP", t),
             "checklist detail with the step, advice and the control's measurement")
    scr.send("Escape")
    scr.wait_gone("measurements")

    # the official incident arrives in the log; its update's body shows in the detail view
    scr.send("Tab")
    scr.wait_text("[ Log:")
    scr.send("/")
    scr.wait_text("filter:")
    scr.send_text("invoice")
    scr.send("Enter")
    scr.wait(lambda t: INCIDENT_NAME in t and "official" in t, "the official incident in the log")
    scr.send("Enter")
    t = scr.wait_text("update")
    check(UPDATE_BODY[:40] in t.replace("\n", " ") or "investigating slow invoice" in t,
          "the update's body is not in the detail view", scr)
    scr.send("Escape")
    scr.send("Escape")
    scr.wait(lambda t: "[ Log:" in t and '"invoice"' not in t, "the filter to be cleared")

    # help lists every key
    scr.send("?")
    t = scr.wait_text("Help")
    for words in ("probe every target now", "pause or resume probing", "filter the log by text",
                  "write an incident report", "focus the next panel"):
        check(words in t, "help lacks %r" % words, scr)
    scr.send("Escape")
    scr.wait_gone("probe every target now")

    # export: the report is written in the current directory and the footer says where
    scr.send("e")
    t = scr.wait_text("report written to")
    footer = [l for l in t.split("\n") if "report written to" in l][0]
    path = footer.split("report written to", 1)[1].strip()
    check(path.startswith(scr.dir) and path.endswith(".md"), "report path %r" % path, scr)
    files = glob.glob(os.path.join(scr.dir, "isitdown-report-*.md"))
    check(files, "no report file in %s" % scr.dir)
    with open(files[0]) as f:
        report = f.read()
    for part in ("# isitdown report: Loop", "## Verdict", "**UP**", "## Checklist", "| phase | last |",
                 "## Official status", INCIDENT_NAME, "## Event log, last hour"):
        check(part in report, "report lacks %r" % part)
    check(SECRET not in report, "the report shows a secret header value")
    check(SECRET not in scr.text(), "the screen shows a secret header value")

    # quit: exit status 0, terminal restored
    scr.send("q")
    check_restored(scr)


run("monitor", body, cols=80, rows=24)
