"""It's just you: with DNS failing (the config pins every name to "fail"),
the verdict bar says IT'S JUST YOU once, and the rest of the screen tells the
same story: no component row reads DOWN or an outage (they are unknown,
"unreachable from here"), no target row reads DOWN, and the Status panel's
title does not call the targets down. --once --json gives the components the
same state, with the reason. While the first results are awaited the bar says
CHECKING with what it waits for."""

import json
import os
import re
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, check_restored, run  # noqa: E402


def targets(port):
    return {
        "resolve": {"web.isitdown.test": "fail", "api.isitdown.test": "fail",
                    "ctl.isitdown.test": "fail", "status.isitdown.test": "fail"},
        "targets": [
            {"name": "control-ip", "kind": "tcp", "host": "127.0.0.1", "port": port, "role": "control"},
            {"name": "control-name", "kind": "http", "role": "control",
             "url": "http://ctl.isitdown.test:%d/web" % port},
            {"name": "web", "kind": "http", "component": "Web",
             "url": "http://web.isitdown.test:%d/web" % port},
            {"name": "api", "kind": "http", "component": "API",
             "url": "http://api.isitdown.test:%d/api" % port},
            {"name": "status-page", "kind": "statuspage",
             "url": "http://status.isitdown.test:%d/summary.json" % port},
        ],
    }


def row(text, prefix):
    """The status panel's row that starts with prefix, inside the panel's frame."""
    for line in text.split("\n"):
        inner = re.split("[\u2551\u2502|]", line.lstrip("\u2551\u2502|"), maxsplit=1)[0]
        if inner.startswith(prefix):
            return inner
    return ""


def body(scr):
    bar = lambda t: t.split("\n")[0]  # noqa: E731
    t = scr.wait(lambda t: bar(t).startswith(" IT'S JUST YOU"), "the verdict to say it's just you", timeout=20)
    # the status panel rows are drawn from the same model as the bar
    t = scr.wait(lambda t: "UNREACH" in row(t, "Web "), "the Web component row", timeout=5)
    head = bar(t)
    check("DNS" in head, "the bar names the cause: %r" % head, scr)
    check(len(re.findall(r"DNS is failing", head)) == 1, "the bar says a phrase twice: %r" % head, scr)
    for comp in ("Web ", "API "):
        r = row(t, comp)
        check(r, "no %s row" % comp.strip(), scr)
        check("? UNREACH" in r, "component row %r" % r, scr)
        check(not re.search(r"DOWN|PARTIAL|OUTAGE|\u2716", r), "component row reads as an outage: %r" % r, scr)
    for tg in ("  web ", "  api "):
        r = row(t, tg)
        check(r and "DOWN" not in r and "UNREACH" in r, "target row %r" % r, scr)
    title = next((l for l in t.split("\n") if "Status" in l and ("[" in l or "\u2550" in l or "\u2500" in l)), "")
    check("down" not in title.lower(), "the Status title calls targets down: %r" % title, scr)
    check("unreachable from here" in title, "the Status title: %r" % title, scr)

    # the details of a component say the same as its row
    scr.send("Enter")
    t = scr.wait_text("component Web", timeout=5)
    check(re.search(r"state: \? UNREACH \(unreachable from here\)", t), "component details", scr)
    check("DOWN" not in t.split("component Web", 1)[1].split("targets", 1)[0], "details read DOWN", scr)
    scr.send("Escape")
    scr.send("q")
    check_restored(scr)

    # --once --json: the same component states
    cfg = os.path.join(scr.dir, "cfg.json")
    p = subprocess.run([os.environ["ISITDOWN"], "--once", "--json", "--no-state", "--config", cfg],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60,
                       env=dict(os.environ, HOME=scr.dir, XDG_STATE_HOME=os.path.join(scr.dir, "x")))
    doc = json.loads(p.stdout)
    check(doc["verdict"]["state"] == "local_problem", "--once verdict %r" % doc["verdict"])
    comps = {c["name"]: c for c in doc["components"]}
    for name in ("Web", "API"):
        check(comps[name]["state"] == "unknown" and comps[name].get("reason") == "unreachable from here",
              "--once component %r" % comps[name])


def checking():
    """Services that accept and never answer keep the verdict checking: the
    bar says so, with what it waits for, and never "UP"."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    extra = {"timeout_s": 8, "targets": [
        {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": port, "role": "control"},
        {"name": "web", "kind": "http", "component": "Web", "url": "http://127.0.0.1:%d/web" % port},
        {"name": "api", "kind": "http", "component": "API", "url": "http://127.0.0.1:%d/api" % port},
    ]}
    scr = harness.Screen("checking", cols=120, rows=40, config_extra=extra)
    try:
        t = scr.wait(lambda t: t.startswith(" CHECKING: waiting for "), "the bar to say CHECKING", timeout=10)
        head = t.split("\n")[0]
        check("web" in head and "api" in head, "the bar names what it waits for: %r" % head, scr)
        check("all good" not in t, "all good before the results", scr)
        check("Status: checking" in t, "the Status title says checking", scr)
        for comp in ("Web ", "API "):
            r = row(t, comp)
            check(r and "UP" not in r and "? CHECKING" in r, "component row %r" % r, scr)
        scr.send("q")
        check_restored(scr)
    finally:
        scr.close()
        silent.close()


def body_all(scr):
    checking()
    body(scr)


svc = harness.Service()
run("local", body_all, cols=120, rows=40, service=svc, config_extra=targets(svc.port))
