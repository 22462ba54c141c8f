"""A scripted outage: the API answers 200, then 503, then 200 again. The
status panel, the sparkline, the verdict bar and the log must all tell the
story, in that order, and the monitor must recover by itself."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_restored, run  # noqa: E402

FAIL_GLYPH = "\u2716"


def row(text, prefix):
    return next((l for l in text.split("\n") if l.startswith(prefix)), "")


def body(scr):
    # all well first
    scr.wait(lambda t: t.startswith(" UP ") and "HTTP 200" in row(t, "  api "), "the API to answer")

    # the API starts failing with 503
    scr.service.state["api"] = 503
    t = scr.wait(lambda t: "DOWN" in row(t, "  api "), "the api target to go down", timeout=20)
    api = row(t, "  api ")
    check("\u2716 DOWN" in api and "fail" in api, "api row while down: %r" % api, scr)
    check("503" in api or "unavailable" in api, "api row lacks the error: %r" % api, scr)
    check("\u2716" in row(t, "API ") and "operational" in row(t, "API "),
          "component API: ours down beside the official operational: %r" % row(t, "API "), scr)
    check("\u2714 UP" in row(t, "  web "), "web should stay up: %r" % row(t, "  web "), scr)

    # the verdict bar says outage in words
    t = scr.wait(lambda t: "OUTAGE" in t.split("\n")[0], "the verdict bar to report an outage")
    check(re.match(r" (PARTIAL|MAJOR) OUTAGE ", t.split("\n")[0]), "verdict bar: %r" % t.split("\n")[0], scr)

    # the sparkline draws failures with their own glyph, apart from answers
    spark = row(t, "api ")
    check(FAIL_GLYPH in spark and re.search("[\u2581-\u2588]", spark),
          "the api sparkline should show answers then failures: %r" % spark, scr)
    check(spark.rstrip().endswith("fail"), "the sparkline's last value should say fail: %r" % spark, scr)

    # the log says what happened (focus the log so it has rows to spare)
    scr.send("BTab")
    scr.wait_text("[ Log:")
    scr.wait(lambda t: re.search(r"CRIT probe +api: \w+ -> down", t), "the log to record api going down")
    scr.wait(lambda t: re.search(r"CRIT verdict +(partial|major)_outage", t), "the verdict change in the log")

    # the checklist shows the failing step
    scr.send("BTab")
    t = scr.wait_text("[ Checklist")
    check(re.search(r"\u2716 FAIL", t), "no failed step in the checklist", scr)

    # recovery
    scr.service.state["api"] = 200
    t = scr.wait(lambda t: "\u2714 UP" in row(t, "  api "), "the api target to come back", timeout=20)
    scr.wait(lambda t: t.startswith(" UP "), "the verdict bar to say UP again", timeout=20)
    scr.send("Tab")
    scr.wait_text("[ Log:")
    scr.wait(lambda t: re.search(r"INFO probe +api: down -> up", t), "the log to record the recovery")
    # the failures stay visible in the history
    scr.send("Tab")
    scr.send("Tab")
    t = scr.wait_text("[ Latency")
    check(FAIL_GLYPH in row(t, "api "), "the past failures left the sparkline: %r" % row(t, "api "), scr)

    scr.send("q")
    check_restored(scr)


run("outage", body, cols=80, rows=24)
