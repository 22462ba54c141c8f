"""Secrets: an API key from the environment, and Authorization / Cookie
headers written in the config, never appear in anything isitdown prints or
writes (--once, --once --json, --print-config, --lines, --lines --json, the
event log, a report, stderr), are never sent over plain HTTP nor after a
redirect, and a config file that holds a literal secret and is readable by
others gets a warning.

isitdown has no debug or verbose switch (no CURLOPT_VERBOSE, no debug
environment variable), so there is no curl trace to check; stderr is checked
everywhere instead."""

import glob
import json
import os
import re
import shutil
import tempfile
import time

import lib

# Known fake secrets: each must never show up in any output.
KEY_BAD = "sk-test-SECRET-1234567890abcdefXYZ"       # the fixture rejects it (401)
KEY_GOOD = "sk-test-good-SECRET-0987654321fedcbaQRS"  # the fixture accepts it (200)
COOKIE = "COOKIE-SECRET-5e8c1d"
LITERAL = "LITERAL-SECRET-77aa31"
URLPASS = "URLPASS-SECRET-4410bb"
SECRETS = (KEY_BAD, KEY_GOOD, COOKIE, LITERAL, URLPASS)
# Telltale pieces: a key cut in half must not leak either.
PIECES = ("SECRET-1234567890", "SECRET-0987654321", "5e8c1d", "77aa31", "4410bb")


def check_clean(text, what):
    for s in SECRETS + PIECES:
        lib.check_not_in(s, text, what)


def config(fx, key_var="OPENAI_API_KEY"):
    """Targets that carry secrets every way the config allows."""
    https = lambda path: fx.url(path, "https")
    other_host = fx.url("/echo-other", "https", host="localhost")
    return {
        "service": "Secretive", "interval_s": 0.3, "timeout_s": 3, "ca_file": fx.ca_file,
        "targets": [
            # the API key from the environment, over https: sent, to its host only
            {"name": "api", "url": https("/v1/models"),
             "headers": {"Authorization": "Bearer ${%s}" % key_var},
             "expect_status": [200, 401], "expect_status_with_key": [200]},
            # the same key, a literal cookie and a literal token over plain http:
            # never sent
            {"name": "plain", "url": fx.url("/plain"),
             "headers": {"Authorization": "Bearer ${%s}" % key_var,
                         "Cookie": "session=" + COOKIE,
                         "X-Api-Key": LITERAL}},
            # a server that echoes our request back: the key is in its answer,
            # and a status page reader must not quote it in an error
            {"name": "echo-status", "kind": "statuspage", "url": https("/echo"), "interval_s": 0.3,
             "headers": {"Authorization": "Bearer ${%s}" % key_var, "Cookie": "session=" + COOKIE}},
            # secrets and a redirect to another host: not followed
            {"name": "redir", "url": https("/redirect?to=" + other_host),
             "headers": {"Authorization": "Bearer ${%s}" % key_var, "Cookie": "session=" + COOKIE}},
            {"name": "redir-status", "kind": "statuspage", "interval_s": 0.3,
             "url": https("/redirect?to=" + other_host + "2"),
             "headers": {"X-Api-Key": LITERAL}},
            # a password in the URL
            {"name": "userinfo", "url": fx.url("/ok", "https").replace("://", "://user:%s@" % URLPASS)},
        ]}


def run(fx, args, key=KEY_BAD, cfg="default", **kw):
    """Runs isitdown with the key set (the secrets config unless cfg says
    otherwise; None: the args name a config) and checks both outputs."""
    if cfg == "default":
        cfg = config(fx)
    rc, out, err = lib.run_isitdown(args, cfg, env={"OPENAI_API_KEY": key}, **kw)
    check_clean(out, "stdout of isitdown %s" % " ".join(args))
    check_clean(err, "stderr of isitdown %s" % " ".join(args))
    return rc, out, err


def mount_paths(fx):
    for path in ("/plain", "/echo-other", "/echo-other2"):
        fx.mount(path, body="ok\n", ctype="text/plain")


def check_requests(fx):
    """What reached the fixture: the key only over https to its own host."""
    reqs = fx.requests()
    for path, entry in reqs.items():
        for r in fx.requests(path)["history"]:
            sent = json.dumps(r["headers"])
            if r["scheme"] != "https" or path.startswith("/echo-other"):
                for h in ("authorization", "cookie", "x-api-key"):
                    lib.check(h not in r["headers"],
                              "%s sent to %s over %s" % (h, path, r["scheme"]), sent)
                check_clean(sent, "headers sent to %s" % path)
    lib.check(fx.count("/plain") > 0, "the plain http target was never probed")
    lib.check_eq(fx.count("/echo-other") + fx.count("/echo-other2"), 0,
                 "requests that followed a redirect to another host")
    api = fx.requests("/v1/models")["history"]
    lib.check(api and all(r["headers"].get("authorization", "").startswith("Bearer sk-test-") for r in api),
              "the key was not sent to its own host", api)


def test_once_text_and_json():
    fx = lib.shared_fixture(https=True)
    mount_paths(fx)
    rc, out, err = run(fx, ["--once"])
    lib.check("api" in out and "plain" in out, "--once printed no table", out)
    rc, out, err = run(fx, ["--once", "--json"])
    doc = lib.parse_json(out, "--once --json")
    api = next(t for t in doc["targets"] if t["name"] == "api")
    lib.check_eq(api["outcome"], "auth_rejected", "api outcome with a bad key")
    echo = next(t for t in doc["targets"] if t["name"] == "echo-status")
    lib.check(not echo["ok"], "an echo is no status page", echo)
    # and with the good key
    rc, out, err = run(fx, ["--once", "--json"], key=KEY_GOOD)
    doc = lib.parse_json(out, "--once --json")
    api = next(t for t in doc["targets"] if t["name"] == "api")
    lib.check(api["ok"] and api["http_status"] == 200, "api with the good key", api)
    check_requests(fx)


def test_print_config():
    fx = lib.shared_fixture(https=True)
    mount_paths(fx)
    rc, out, err = run(fx, ["--print-config"])
    lib.check_eq(rc, 0, "exit status of --print-config")
    doc = lib.parse_json(out, "--print-config")
    text = json.dumps(doc)
    # the reference is shown, not its value; literals are masked
    lib.check_in("${OPENAI_API_KEY}", text, "--print-config")
    lib.check_in("****", text, "--print-config")


def test_lines_and_event_log():
    fx = lib.shared_fixture(https=True)
    mount_paths(fx)
    state = tempfile.mkdtemp(prefix="isitdown-secrets-state-")
    try:
        for args in (["--lines"], ["--lines", "--json"], ["--headless"]):
            with lib.isitdown_process(args + ["--state-dir", state], config(fx),
                                      env={"OPENAI_API_KEY": KEY_BAD}) as p:
                # let every target fail or answer a few times
                end = time.monotonic() + 20
                plain, echo = fx.count("/plain") + 4, fx.count("/echo") + 5
                while fx.count("/plain") < plain or fx.count("/echo") < echo:
                    lib.check(time.monotonic() < end and p.poll() is None, "the monitor did not probe")
                    time.sleep(0.1)
                p.terminate()
                out, err = p.communicate(timeout=10)
            out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
            lib.check("echo-status: " in out and "down" in out, "%s printed no events" % args, out)
            check_clean(out, "stdout of %s" % args)
            check_clean(err, "stderr of %s" % args)
        logs = glob.glob(os.path.join(state, "**", "*"), recursive=True)
        files = [f for f in logs if os.path.isfile(f)]
        lib.check(files, "nothing written in --state-dir")
        for f in files:
            # the log tells when and what failed: for our eyes only
            lib.check(os.stat(f).st_mode & 0o077 == 0, "%s is readable by others: mode %o"
                      % (f, os.stat(f).st_mode & 0o777))
            with open(f, "rb") as fh:
                data = fh.read().decode("utf-8", "replace")
            lib.check(not f.endswith(".jsonl") or "echo-status" in data, "the event log lacks the events", f)
            check_clean(data, "the file %s" % f)
        check_requests(fx)
    finally:
        shutil.rmtree(state, ignore_errors=True)


def test_report_file():
    fx = lib.shared_fixture(https=True)
    mount_paths(fx)
    d = tempfile.mkdtemp(prefix="isitdown-secrets-report-")
    try:
        for name in ("report.md", "report.json"):
            path = os.path.join(d, name)
            rc, out, err = run(fx, ["--once", "--report", path])
            if not os.path.exists(path):
                raise lib.Skip("--report FILE writes nothing in this build yet: "
                               "reports are not checked for secrets")
            with open(path) as f:
                check_clean(f.read(), "the report " + name)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_error_messages():
    fx = lib.shared_fixture(https=True)
    mount_paths(fx)
    # a config mistake next to secrets: the message names the key, not the value
    cfg = config(fx)
    cfg["targets"][1]["urll"] = "x"
    rc, out, err = run(fx, ["--once"], cfg=cfg)
    lib.check(rc == 3 and "urll" in err, "a bad config is refused with a message", err)
    # a header value with a line break in the variable is not sent, nor printed
    rc, out, err = run(fx, ["--once", "--json"], key=KEY_BAD + "\r\nX-Injected: 1")
    for path in ("/v1/models",):
        for r in fx.requests(path)["history"]:
            lib.check("x-injected" not in r["headers"], "a header was injected", r["headers"])


def write_config(path, cfg, mode):
    with open(path, "w") as f:
        json.dump(cfg, f)
    os.chmod(path, mode)


def test_config_permissions_warning():
    fx = lib.shared_fixture(https=True)
    mount_paths(fx)
    d = tempfile.mkdtemp(prefix="isitdown-secrets-perm-")
    try:
        path = os.path.join(d, "cfg.json")
        literal = {"service": "S", "targets": [
            {"name": "api", "url": fx.url("/v1/models", "https"),
             "headers": {"Authorization": "Bearer " + LITERAL}}]}
        for mode, warned in ((0o644, True), (0o640, True), (0o600, False)):
            write_config(path, literal, mode)
            rc, out, err = run(fx, ["--print-config", "--config", path], cfg=None)
            has = re.search(r"warning: .*cfg\.json.*(readable|chmod)", err)
            lib.check(bool(has) == warned, "mode %o: warning expected: %s" % (mode, warned), err)
        # a reference to the environment is no literal secret: no warning at 644
        ref = {"service": "S", "targets": [
            {"name": "api", "url": fx.url("/v1/models", "https"),
             "headers": {"Authorization": "Bearer ${OPENAI_API_KEY}"}}]}
        write_config(path, ref, 0o644)
        rc, out, err = run(fx, ["--print-config", "--config", path], cfg=None)
        lib.check("warning" not in err, "a ${VAR} reference should not warn", err)
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    lib.main()
