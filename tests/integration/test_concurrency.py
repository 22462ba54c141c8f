#!/usr/bin/env python3
"""200 targets probed at once: --once takes about one round of the slowest
target, not the sum of them, reports every target, and sends exactly one
request per target (plus one confirmation for each failure).  Run:
ISITDOWN=build/isitdown python3 tests/integration/test_concurrency.py [NAME...]"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq  # noqa: E402

N = 200
DELAY_MS = 200
INTERVAL_S = 5
TIMEOUT_S = 8


def plan(f, n_failing=0):
    """Targets on their own /seq/ paths, so the fixture counts each one:
    every other one answers after DELAY_MS, the last n_failing with 503."""
    targets, expect = [], {}
    for i in range(N):
        if i >= N - n_failing:
            name, steps = "fail%03d" % i, "503"
        elif i % 2:
            name, steps = "slow%03d" % i, "delay:%d" % DELAY_MS
        else:
            name, steps = "fast%03d" % i, "200"
        targets.append({"name": name, "url": f.url("/seq/%s?steps=%s" % (name, steps)),
                        "component": "C%d" % (i % 4)})
        expect[name] = steps
    return targets, expect


def run(f, targets):
    cfg = {"service": "Many", "interval_s": INTERVAL_S, "timeout_s": TIMEOUT_S, "targets": targets}
    t0 = time.monotonic()
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, timeout=60)
    wall = time.monotonic() - t0
    return rc, lib.parse_json(out, "stdout of --once --json"), err, wall


def test_200_targets_at_once():
    f = lib.shared_fixture()
    targets, expect = plan(f)
    rc, doc, err, wall = run(f, targets)
    # One after another would take N / 2 * DELAY_MS = 20 s.
    check(wall < INTERVAL_S, "--once with %d targets took %.1f s, more than one interval" % (N, wall))
    check_eq(rc, 0, "exit status (%s)" % err[-500:])
    check_eq(doc["verdict"]["state"], "operational", "verdict")
    got = {t["name"]: t for t in doc["targets"]}
    check_eq(len(doc["targets"]), N, "targets reported")
    check_eq(set(got), set(expect), "target names")
    for name, t in got.items():
        check(t["ok"] and t["state"] == "up", "%s not up" % name, t)
        check_eq(t["probes"], 1, "%s probes" % name)
        if name.startswith("slow"):
            check(t["timings_ms"]["ttfb"] >= DELAY_MS, "%s answered before its delay" % name, t)
    paths = f.requests()
    for name in expect:
        check_eq(paths.get("/seq/" + name, {}).get("count"), 1, "requests to %s" % name)
    check_eq(len(paths), N, "paths requested")
    stats = f.stats()
    # The N / 2 delayed answers overlap when the probes run concurrently.
    check(stats["requests_in_flight_peak"] >= N // 4,
          "at most %d requests were in flight at once" % stats["requests_in_flight_peak"], stats)
    check_eq(stats["internal_errors"], 0, "fixture errors")


def test_failures_are_retried_and_nothing_else():
    f = lib.shared_fixture()
    targets, expect = plan(f, n_failing=10)
    rc, doc, err, wall = run(f, targets)
    # The first round, a retry a second later, nothing more.
    check(wall < INTERVAL_S, "--once took %.1f s" % wall)
    check_eq(len(doc["targets"]), N, "targets reported")
    paths = f.requests()
    for name, steps in expect.items():
        want = 2 if steps == "503" else 1
        check_eq(paths.get("/seq/" + name, {}).get("count"), want, "requests to %s" % name)
    for t in doc["targets"]:
        if t["name"].startswith("fail"):
            check(t["state"] == "down" and t["http_status"] == 503 and t["probes"] == 2, "failing target", t)
        else:
            check(t["state"] == "up" and t["probes"] == 1, "healthy target", t)
    check_eq(rc, 2, "exit status with a failing share of the service")


def test_low_descriptor_limit_is_raised_not_blamed_on_the_service():
    # A shell with "ulimit -Sn 64" (the hard limit higher): 200 fresh
    # connections at once must not turn into "connection refused" outages.
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 512:
        raise lib.Skip("hard descriptor limit %d is too low to test this" % hard)
    f = lib.shared_fixture()
    targets, expect = plan(f)
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
    try:
        rc, doc, err, wall = run(f, targets)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    down = [t["name"] + ": " + str(t["error"]) for t in doc["targets"] if not t["ok"]]
    check(not down, "%d targets failed under a soft limit of 64 descriptors" % len(down), "\n".join(down[:5]))
    check_eq(rc, 0, "exit status (%s)" % err[-500:])


if __name__ == "__main__":
    lib.main()
