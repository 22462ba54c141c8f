#!/usr/bin/env python3
"""Several services in one run (--once, text and --json): one that answers
503 and one that works, in one group, give the first an outage whose
fallback is the second; shared controls are probed once whatever the number
of services; failing controls are one local verdict for all, with no
fallback; --preset lists and repeated --preset name several services; the
modes that take one service say so.  Run:
ISITDOWN=build/isitdown python3 tests/integration/test_services.py [NAME...]"""

import json
import os
import shutil
import sys
import tempfile
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in  # noqa: E402


def fx():
    return lib.shared_fixture(reset=False)


def service(name, group, path):
    return {"service": name, "group": group,
            "targets": [{"name": "api", "kind": "http", "url": fx().http_url(path), "component": "API"}]}


def config(controls_path, services):
    return {"interval_s": 5, "timeout_s": 2,
            "controls": [{"name": "ctl", "kind": "http", "url": fx().http_url(controls_path)}],
            "services": services}


def once_json(cfg):
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, timeout=60)
    return rc, lib.parse_json(out, "--once --json (%s)" % err)


def test_outage_names_the_fallback():
    tag = uuid.uuid4().hex[:8]
    cfg = config("/ok?ctl=" + tag, [
        service("Broken", "AI assistants", "/status/503?b=" + tag),
        service("Works", "AI assistants", "/ok?w=" + tag),
        service("Elsewhere", "Code", "/ok?e=" + tag),
    ])
    rc, doc = once_json(cfg)
    names = [s["service"] for s in doc["services"]]
    check_eq(names, ["Broken", "Works", "Elsewhere"], "one entry per service, in config order")
    broken, works = doc["services"][0], doc["services"][1]
    check(broken["verdict"]["state"] in ("partial_outage", "major_outage"), "Broken is in an outage",
          broken["verdict"])
    check_eq(broken["verdict"]["fallback"], "Works", "the first operational service of its group")
    check(broken["verdict"]["summary"].endswith("; Works answers normally"), "the summary says so",
          broken["verdict"])
    advice = [st["advice"] for st in broken["checklist"] if st["result"] == "fail"]
    check(advice and advice[0].endswith("Works answers normally: use it meanwhile"),
          "the first failing step's advice names the fallback", broken["checklist"])
    check_eq(works["verdict"]["state"], "operational", "Works")
    check_eq(works["verdict"]["fallback"], None, "no fallback when it works")
    check_eq(broken["group"], "AI assistants", "the group")
    for key in ("components", "official", "targets", "checklist"):
        check(key in broken, "%s in each service" % key, broken.keys())
    check_eq(doc["verdict"]["state"], broken["verdict"]["state"], "the overall verdict is the worst")
    check_eq(doc["verdict"]["service"], "Broken", "and says whose")
    check_eq(rc, 2, "the exit code of the worst (Nagios critical)")

    rc, out, err = lib.run_isitdown(["--once"], cfg, timeout=60)
    check_eq(rc, 2, "text: the same exit code")
    first = out.splitlines()[0]
    check(first.startswith("CRITICAL - ") and "Broken" in first and "Works answers normally" in first,
          "the status line names the service and its fallback", out)
    check("Broken/api_total=" in first and "Works/api_total=" in first, "perfdata per service", first)
    for name in ("Broken", "Works", "Elsewhere"):
        check_in("\n== %s: " % name, out)


def test_shared_controls_probed_once():
    # the fixture counts by path: the control has one to itself
    path = "/status/200"
    fx().reset()
    services = [service("S%d" % i, None, "/ok") for i in range(5)]
    for s in services:
        del s["group"]
    rc, doc = once_json(config(path, services))
    check_eq(rc, 0, "all good")
    check_eq(fx().count(path), 1, "the shared control was probed once for five services")
    check_eq(fx().count("/ok"), 5, "each service's own target once")
    for s in doc["services"]:
        ctl = [t for t in s["targets"] if t["name"] == "ctl"]
        check(ctl and ctl[0]["ok"], "each service knows the control answered", s["targets"])
    check_eq(doc["verdict"]["summary"], "all good: 5 services answer normally", "the overall summary")


def test_local_problem_is_one_verdict_without_fallback():
    port = lib.closed_port()
    cfg = {"interval_s": 5, "timeout_s": 2,
           "controls": [{"name": "ctl", "kind": "tcp", "host": "127.0.0.1", "port": port}],
           "services": [
               {"service": "A", "group": "G", "targets": [
                   {"name": "api", "kind": "tcp", "host": "127.0.0.1", "port": port}]},
               {"service": "B", "group": "G", "targets": [
                   {"name": "api", "kind": "tcp", "host": "127.0.0.1", "port": port}]}]}
    rc, doc = once_json(cfg)
    check_eq(doc["verdict"]["state"], "local_problem", "one local verdict for all")
    check_eq(doc["verdict"]["service"], None, "naming no service")
    for s in doc["services"]:
        check_eq(s["verdict"]["state"], "local_problem", "%s judged the same" % s["service"])
        check_eq(s["verdict"]["fallback"], None, "no fallback advice under a local problem")
    check_eq(rc, 3, "the local problem's exit code")


def test_preset_lists_and_one_service_modes():
    rc, out, err = lib.run_isitdown(["--preset", "openai,github", "--print-config"])
    check_eq(rc, 0, "--print-config of two presets (%s)" % err)
    doc = lib.parse_json(out)
    check_eq([s["service"] for s in doc["services"]], ["OpenAI", "GitHub"], "two services")
    rc, out2, err = lib.run_isitdown(["--preset", "openai", "--preset", "github", "--print-config"])
    check_eq(out2, out, "--preset repeated is the same as a list")
    rc, out, err = lib.run_isitdown(["--preset", "openai,nope", "--once"])
    check_eq(rc, 3, "an unknown preset in the list")
    check_in('unknown preset "nope"', err)
    rc, out, err = lib.run_isitdown(["--list-presets"])
    check_in("all-ai", out)


def test_report_has_a_part_per_service():
    tag = uuid.uuid4().hex[:8]
    cfg = config("/ok?ctl=" + tag, [service("Broken", "G", "/status/503?b=" + tag),
                                    service("Works", "G", "/ok?w=" + tag)])
    tmp = tempfile.mkdtemp(prefix="isitdown-report-")
    try:
        md, js = os.path.join(tmp, "r.md"), os.path.join(tmp, "r.json")
        rc, out, err = lib.run_isitdown(["--once", "--report", md], cfg, timeout=60)
        check_eq(rc, 2, "the worst's exit code (%s)" % err)
        text = open(md).read()
        check("Broken" in text and "Works" in text and "\n---\n" in text, "both services' reports", text[:2000])
        check_in("Works answers normally", text)
        rc, out, err = lib.run_isitdown(["--once", "--report", js], cfg, timeout=60)
        doc = json.load(open(js))
        check_eq([s["service"] for s in doc["services"]], ["Broken", "Works"], "a report per service")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_lines_and_metrics_name_the_service():
    tag = uuid.uuid4().hex[:8]
    cfg = config("/ok?ctl=" + tag, [service("Broken", "G", "/status/503?b=" + tag),
                                    service("Works", "G", "/ok?w=" + tag)])
    cfg["interval_s"] = 1
    port = lib.free_port()
    with lib.isitdown_process(["--lines", "--json", "--no-state", "--metrics", "127.0.0.1:%d" % port], cfg) as p:
        out = lib.Lines(p)
        out.wait_for(lambda line: "; Works answers normally" in line, 30, "the fallback in a verdict event")
        metrics = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read().decode()
        lib.stop_process(p, out)
    events = [json.loads(x) for x in out.lines if x.strip().startswith("{")]
    verdicts = [e for e in events if e["source"] == "verdict"]
    check({e.get("service") for e in verdicts} == {"Broken", "Works"}, "each verdict event names its service",
          verdicts)
    last = [e for e in verdicts if e["service"] == "Broken"][-1]
    check(last["state"] in ("partial_outage", "major_outage") and last["text"].endswith("; Works answers normally"),
          "Broken's last verdict names its fallback", last)
    check_in('isitdown_verdict{service="Broken",state="', metrics)
    check_in('probe_success{service="Works",target="api"', metrics)


if __name__ == "__main__":
    lib.main()
