"""A real Prometheus server (Debian's prometheus package) on loopback scrapes
two isitdown instances every second, and a query returns the probe results
of both. The README's scrape configuration and alert rule are checked with
promtool, and the rule is unit-tested on series from two vantage points."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import lib
import metrics_util as mu

README = os.path.join(lib.ROOT, "README.md")


def need(tool):
    path = shutil.which(tool)
    if not path:
        raise lib.Skip("%s is not installed (Debian package prometheus; scripts/ensure-deps test)" % tool)
    return path


def readme_yaml(marker):
    """The ```yaml block of the README's Metrics section that holds marker."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        if marker in block:
            return block
    raise AssertionError("no yaml block with %r in README.md" % marker)


def run(argv, timeout=60):
    p = subprocess.run(argv, capture_output=True, timeout=timeout)
    out = (p.stdout + p.stderr).decode("utf-8", "replace")
    if p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s" % (" ".join(argv), p.returncode, out))
    return out


def test_readme_alert_rule():
    promtool = need("promtool")
    tmp = tempfile.mkdtemp(prefix="isitdown-rules-")
    try:
        rules = os.path.join(tmp, "alerts.yml")
        with open(rules, "w") as f:
            f.write(readme_yaml("groups:"))
        run([promtool, "check", "rules", rules])

        def series(name, inst, values, **labels):
            labels.update(instance=inst, job="isitdown")
            body = ",".join('%s="%s"' % kv for kv in sorted(labels.items()))
            return {"series": "%s{%s}" % (name, body), "values": values}

        down = "isitdown_target_state"
        official = "isitdown_component_official_state"
        svc = dict(role="service", state="down")
        inputs = [
            # ChatGPT: down from paris at 1m, from tokyo too at 2m; the page says operational
            series(down, "paris:9464", "0 1 1 1 1 1 1", target="web", component="ChatGPT", **svc),
            series(down, "tokyo:9464", "0 0 1 1 1 1 1", target="web", component="ChatGPT", **svc),
            series(official, "paris:9464", "1+0x6", component="ChatGPT", state="operational"),
            series(official, "tokyo:9464", "1+0x6", component="ChatGPT", state="operational"),
            # API: down from both, but the page already reports it: no page for us
            series(down, "paris:9464", "1+0x6", target="api", component="API", **svc),
            series(down, "tokyo:9464", "1+0x6", target="api", component="API", **svc),
            series(official, "paris:9464", "0+0x6", component="API", state="operational"),
            series(official, "tokyo:9464", "0+0x6", component="API", state="operational"),
            # Login: two targets down, but only from one vantage point
            series(down, "paris:9464", "1+0x6", target="login-a", component="Login", **svc),
            series(down, "paris:9464", "1+0x6", target="login-b", component="Login", **svc),
            series(down, "tokyo:9464", "0+0x6", target="login-a", component="Login", **svc),
            series(official, "paris:9464", "1+0x6", component="Login", state="operational"),
            series(official, "tokyo:9464", "1+0x6", component="Login", state="operational"),
        ]
        name = "DownWhileStatusPageSaysOperational"
        firing = {"exp_labels": {"severity": "page", "component": "ChatGPT"},
                  "exp_annotations": {"summary": "ChatGPT is down from 2 vantage points while its "
                                                 "status page says operational"}}
        spec = {
            "rule_files": [rules],
            "evaluation_interval": "1m",
            "tests": [{
                "interval": "1m",
                "input_series": inputs,
                "alert_rule_test": [
                    {"eval_time": "1m", "alertname": name, "exp_alerts": []},
                    {"eval_time": "3m", "alertname": name, "exp_alerts": []},  # pending (for: 2m)
                    {"eval_time": "5m", "alertname": name, "exp_alerts": [firing]},
                ],
            }],
        }
        tests = os.path.join(tmp, "tests.yml")
        with open(tests, "w") as f:
            json.dump(spec, f)  # JSON is YAML
        run([promtool, "test", "rules", tests])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def query(port, q):
    url = "http://127.0.0.1:%d/api/v1/query?query=%s" % (port, urllib.parse.quote(q))
    with urllib.request.urlopen(url, timeout=5) as r:
        doc = json.loads(r.read())
    lib.check_eq(doc.get("status"), "success", "query status")
    return doc["data"]["result"]


def test_prometheus_scrapes_two_instances():
    prometheus = need("prometheus")
    promtool = need("promtool")
    fx = lib.shared_fixture()
    cfg = {
        "interval_s": 0.5,
        "timeout_s": 3,
        "targets": [
            {"name": "api", "kind": "http", "url": fx.http_url("/ok"), "component": "API"},
            {"name": "web", "kind": "http", "url": fx.http_url("/status/503"), "component": "Web"},
            {"name": "control", "kind": "tcp", "host": "127.0.0.1", "port": fx.http_port, "role": "control"},
        ],
    }
    tmp = tempfile.mkdtemp(prefix="isitdown-prometheus-")
    prom = None
    try:
        with mu.headless(cfg) as a, mu.headless(cfg) as b:
            insts = ["%s:%d" % x.host_port for x in (a, b)]
            # the README's scrape job, pointed at the two instances, every second
            scrape = readme_yaml("scrape_configs:")
            scrape = re.sub(r"scrape_interval: \S+", "scrape_interval: 1s\n    scrape_timeout: 1s", scrape)
            scrape = re.sub(r"targets: \[.*\]", "targets: %s" % json.dumps(insts), scrape)
            conf = os.path.join(tmp, "prometheus.yml")
            with open(conf, "w") as f:
                f.write("global:\n  evaluation_interval: 1s\n" + scrape)
            run([promtool, "check", "config", conf])
            port = lib.free_port()
            log = open(os.path.join(tmp, "prometheus.log"), "w+")
            prom = subprocess.Popen([prometheus, "--config.file=" + conf,
                                     "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                                     "--web.listen-address=127.0.0.1:%d" % port, "--log.level=warn"],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True)

            def both_scraped():
                if prom.poll() is not None:
                    log.seek(0)
                    raise AssertionError("prometheus exited (%d):\n%s" % (prom.returncode, log.read()[-3000:]))
                try:
                    res = query(port, 'probe_success{job="isitdown"}')
                except OSError:
                    return None
                got = {(r["metric"].get("instance"), r["metric"].get("target")): float(r["value"][1])
                       for r in res}
                want = {(i, t) for i in insts for t in ("api", "web", "control")}
                return got if want <= set(got) else None

            got = mu.wait_until(both_scraped, 60, "probe_success of both instances in prometheus", 0.5)
            for inst in insts:
                lib.check_eq(got[(inst, "api")], 1.0, "api from %s" % inst)
                lib.check_eq(got[(inst, "web")], 0.0, "web from %s" % inst)
                lib.check_eq(got[(inst, "control")], 1.0, "control from %s" % inst)
            # the scrapes themselves were healthy, and the labels survived
            up = {r["metric"]["instance"]: r["value"][1] for r in query(port, 'up{job="isitdown"}')}
            lib.check_eq(up, {i: "1" for i in insts}, "up of both instances")
            codes = query(port, 'probe_http_status_code{target="web"}')
            lib.check_eq(sorted(r["value"][1] for r in codes), ["503", "503"], "status codes of web")
            for x in (a, b):
                lib.check_eq(x.stop(), 0, "isitdown exit code")
    finally:
        if prom is not None:
            prom.terminate()
            try:
                prom.wait(15)
            except subprocess.TimeoutExpired:
                prom.kill()
                prom.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    lib.main()
