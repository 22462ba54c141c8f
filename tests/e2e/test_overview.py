"""Several services on one screen: the overview under the verdict bar (a row
each at 120x40, one line of badges at 60x20), an outage of one service
naming the other of its group as the one to use (overview, verdict bar), and moving between services with ] [ and the number keys, the
panels then showing that service's targets."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, run  # noqa: E402


def services_config(scr):
    port = scr.service.port
    cfg = {
        "interval_s": 1, "timeout_s": 2,
        "controls": [{"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": port}],
        "services": [
            {"service": "Alpha", "group": "Chat", "targets": [
                {"name": "alpha-web", "kind": "http", "component": "Web",
                 "url": "http://127.0.0.1:%d/web" % port}]},
            {"service": "Beta", "group": "Chat", "targets": [
                {"name": "beta-api", "kind": "http", "component": "API",
                 "url": "http://127.0.0.1:%d/api" % port}]},
            {"service": "Gamma", "targets": [
                {"name": "gamma-tcp", "kind": "tcp", "host": "127.0.0.1", "port": port}]},
        ],
    }
    with open(os.path.join(scr.dir, "cfg.json"), "w") as f:
        json.dump(cfg, f)


def status_panel(t):
    """The Status panel's lines (the log names every service's targets)."""
    lines = t.splitlines()
    start = next((i for i, line in enumerate(lines) if "Status" in line), 0)
    end = next((i for i, line in enumerate(lines) if "Latency" in line and i > start), len(lines))
    return "\n".join(lines[start:end])


def wide(scr):
    t = scr.wait(lambda t: "1 Alpha" in t and "2 Beta" in t and "3 Gamma" in t and "CHECKING" not in t,
                 "a row per service in the overview")
    check("[/] service" in t, "the footer names the service keys", scr)
    check("alpha-web" in status_panel(t) and "beta-api" not in status_panel(t), "the panels show the first service",
          scr)

    scr.service.state["api"] = 503
    t = scr.wait(lambda t: "use Alpha" in t and "Alpha answers normally" in t,
                 "Beta's outage names Alpha, in the overview and the verdict bar", timeout=20)
    first = t.splitlines()[0]
    check("Beta" in first, "the verdict bar says whose outage it is: %r" % first, scr)

    scr.send("]")
    t = scr.wait(lambda t: "showing Beta (2 of 3)" in t and "beta-api" in status_panel(t), "] shows Beta")
    check("alpha-web" not in status_panel(t), "Beta's panels only", scr)
    scr.send("3")
    scr.wait(lambda t: "showing Gamma (3 of 3)" in t and "gamma-tcp" in status_panel(t), "3 shows Gamma")
    scr.send("[")
    scr.wait(lambda t: "showing Beta (2 of 3)" in t, "[ goes back to Beta")
    scr.send("?")
    scr.wait(lambda t: "several services: back, next" in t, "the help lists the service keys")
    scr.send("Escape")
    scr.send("q")
    check(scr.exit_code() == 0, "q quits with 0", scr)


def small(scr):
    t = scr.wait(lambda t: "1 \u2714 Alpha" in t and "3 \u2714 Gamma" in t, "one line of badges at 60x20")
    lines = t.splitlines()
    check(any(line.startswith("1 \u2714 Alpha  2 ") for line in lines[1:3]), "the badges under the verdict", scr)
    scr.send("2")
    scr.wait(lambda t: "showing Beta (2 of 3)" in t and "beta-api" in t, "2 shows Beta at 60x20")
    scr.send("q")
    check(scr.exit_code() == 0, "q quits with 0", scr)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which == "small":
        run("overview-small", small, cols=60, rows=20, prepare=services_config)
    else:
        # both sizes from one meson test: the small one in a second process
        import subprocess
        rc = subprocess.call([sys.executable, __file__, "small"])
        if rc != 0:
            sys.exit(rc)
        run("overview", wide, cols=120, rows=40, prepare=services_config)
