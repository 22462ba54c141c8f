#!/usr/bin/env python3
"""A config with a mistake is refused with one precise line on stderr
(FILE:LINE:COL: what is wrong) and exit status 3, never a crash and never a
silent default; --print-config masks secrets; --list-presets.  Run:
ISITDOWN=build/isitdown python3 tests/integration/test_config_errors.py [NAME...]"""

import os
import re
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in, check_not_in  # noqa: E402

FAKE_KEY = "sk-test-good-0123456789abcdefFAKE"
ERR_RE = re.compile(r"^isitdown: (.+?):(\d+):(\d+): (.+)$")


def line_col(text, off):
    """1-based line and column of a character offset, columns in characters."""
    before = text[:off]
    return before.count("\n") + 1, off - (before.rfind("\n") + 1) + 1


def at(text, needle, nth=0):
    """Line and column of the nth occurrence of needle in text."""
    off = -1
    for _ in range(nth + 1):
        off = text.index(needle, off + 1)
    return line_col(text, off)


def refused(text, args=("--once", "--json"), env=None):
    """Runs the binary on a broken config; checks it is refused properly and
    returns (path, line, col, message)."""
    rc, out, err = lib.run_isitdown(list(args), text, env=env, timeout=30)
    check(rc >= 0, "killed by signal %d (a crash)" % -rc if rc < 0 else "", err)
    check_eq(rc, 3, "exit status for a bad config (stderr: %r)" % err)
    check_eq(out, "", "stdout for a bad config")
    lines = err.splitlines()
    check_eq(len(lines), 1, "lines on stderr (%r)" % err)
    m = ERR_RE.match(lines[0])
    check(m, "message does not start with isitdown: FILE:LINE:COL:", err)
    check(m.group(1).endswith("config.json"), "message names the file", err)
    check(m.group(4) == m.group(4).rstrip(".") and not m.group(4)[0].isupper(),
          "message style: lowercase, no full stop", err)
    return m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)


def expect(text, needle, message, nth=0, args=("--once", "--json")):
    """The config is refused at the position of needle with message."""
    _, line, col, msg = refused(text, args)
    check_eq(msg, message, "message")
    check_eq((line, col), at(text, needle, nth), "position of %r in %r" % (msg, text))


# Columns and lines are asserted against the text itself, so the configs are
# written out over several lines, as people write them.
def cfg(*target_lines, top=""):
    body = ",\n".join("    {" + t + "}" for t in target_lines)
    return '{\n  "service": "Example",%s\n  "targets": [\n%s\n  ]\n}\n' % (top, body)


OK_T = '"name": "web", "url": "https://example.test/"'


def test_unknown_keys():
    t = cfg(OK_T, '"name": "api", "urll": "https://api.example.test/"')
    expect(t, '"urll"', 'unknown key "urll" in target "api"')
    t = cfg(OK_T, top='\n  "intervall_s": 10,')
    expect(t, '"intervall_s"', 'unknown key "intervall_s"')


def test_wrong_types():
    t = cfg(OK_T, top='\n  "interval_s": "10",')
    expect(t, '"10"', "interval_s must be a number")
    t = cfg('"name": "api", "url": "https://a.test/", "expect_status": [200, "401"]')
    expect(t, '"401"', 'expect_status in target "api" must hold status codes from 100 to 599')
    t = cfg('"name": "api", "url": "https://a.test/", "reuse_connection": "yes"')
    expect(t, '"yes"', 'reuse_connection in target "api" must be true or false')
    t = cfg('"name": "api", "url": "https://a.test/", "headers": ["Authorization: x"]')
    expect(t, '["Authorization', 'headers in target "api" must be an object')
    t = cfg('"name": 7, "url": "https://a.test/"')
    expect(t, "7,", "name in targets[0] must be a string")
    t = cfg('"name": "api", "url": "https://a.test/", "timeout_s": -1')
    expect(t, "-1", 'timeout_s in target "api" must be more than 0 and at most 86400 seconds')
    t = '{"targets": {"name": "web"}}'
    expect(t, "{\"name", "targets must be an array")
    expect("[1, 2]", "[", "the top level must be an object")


def test_missing_keys():
    t = cfg(OK_T, '"name": "api", "component": "API"')
    expect(t, '{"name": "api"', 'missing key "url" in target "api"')
    t = cfg('"name": "resolver", "kind": "dns"')
    expect(t, '{"name": "resolver"', 'missing key "host" in target "resolver"')
    t = cfg('"name": "edge", "kind": "tcp", "host": "127.0.0.1"')
    expect(t, '{"name": "edge"', 'missing key "port" in target "edge"')
    t = cfg('"url": "https://a.test/"')
    expect(t, '{"url"', 'missing key "name" in targets[0]')
    expect('{"service": "x"}', "{", 'missing key "targets"')


def test_bad_urls():
    t = cfg('"name": "api", "url": "ftp://a.test/models"')
    expect(t, '"ftp:', 'url in target "api" must start with http://, https:// or file://')
    t = cfg('"name": "api", "url": "api.openai.com/v1/models"')
    expect(t, '"api.openai', 'url in target "api" must start with http://, https:// or file://')
    t = cfg('"name": "api", "url": "https:///v1/models"')
    expect(t, '"https:', 'url in target "api" has no host')
    t = cfg('"name": "api", "url": "https://a.test/v1 models"')
    expect(t, '"https:', 'url in target "api" contains a space')
    # Caught by libcurl's parser at load time, not on every probe.
    t = cfg('"name": "api", "url": "https://a.test:99999/"')
    expect(t, '"https:', 'url in target "api" is not valid: port number was not a decimal number '
                         'between 0 and 65535')
    t = cfg('"name": "api", "url": "http://[::1/"')
    expect(t, '"http:', 'url in target "api" is not valid: bad IPv6 address')


def test_bad_enums_and_ports():
    t = cfg('"name": "api", "kind": "ping", "host": "a.test"')
    expect(t, '"ping"', 'kind in target "api" must be "http", "dns", "tcp", "statuspage" or "llm"')
    t = cfg('"name": "api", "url": "https://a.test/", "ip_family": "ipv4"')
    expect(t, '"ipv4"', 'ip_family in target "api" must be "auto", "v4" or "v6"')
    t = cfg('"name": "api", "url": "https://a.test/", "role": "primary"')
    expect(t, '"primary"', 'role in target "api" must be "service" or "control"')
    t = cfg('"name": "api", "url": "https://a.test/", "method": "DELETE"')
    expect(t, '"DELETE"', 'method in target "api" must be GET, HEAD, POST or PUT')
    for port in ("70000", "0", "\"443\"", "443.5", "-1"):
        t = cfg('"name": "edge", "kind": "tcp", "host": "127.0.0.1", "port": %s' % port)
        expect(t, port + "}", 'port in target "edge" must be an integer from 1 to 65535')
    t = cfg('"name": "edge", "kind": "dns", "host": "a.test", "port": 53')
    expect(t, '"port"', 'key "port" does not apply to kind dns in target "edge"')


def test_duplicates():
    t = cfg(OK_T, '"name": "api", "url": "https://a.test/"', '"name": "web", "url": "https://b.test/"')
    _, line, col, msg = refused(t)
    check_eq((line, col), at(t, '"web"', 1), "position of the second name")
    check_eq(msg, 'duplicate target name "web" (first at %d:%d)' % at(t, '"web"'), "message")
    t = cfg('"name": "api", "url": "https://a.test/", "url": "https://b.test/"')
    _, line, col, msg = refused(t)
    check_eq((line, col), at(t, '"url"', 1), "position of the second key")
    check_eq(msg, 'duplicate key "url" in target "api" (first at %d:%d)' % at(t, '"url"'), "message")


def test_empty_targets():
    t = cfg(OK_T).replace("    {" + OK_T + "}", "")
    expect(t, "[", "targets must not be empty")


def test_invalid_json():
    good = cfg(OK_T, '"name": "api", "url": "https://a.test/", "expect_status": [200, 401]')
    for cut in (len(good) // 3, len(good) // 2, len(good) - 3):
        _, line, col, msg = refused(good[:cut])
        check(msg.startswith("syntax error: unexpected end of file") or msg == "syntax error: unterminated string",
              "a truncated file names the cause: %r" % msg, good[:cut])
    t = good[:-3]
    _, line, col, msg = refused(t)
    check_eq(msg, "syntax error: unexpected end of file, expected ',' or '}'", "message")
    check_eq((line, col), line_col(t, len(t)), "end of the file")
    t = cfg(OK_T + ",")
    expect(t, ",}", "syntax error: trailing comma before '}'")
    t = cfg(OK_T).replace('"web"', "'web'")
    expect(t, "'web'", "syntax error: strings need double quotes, not single")
    t = "// my config\n" + cfg(OK_T)
    expect(t, "//", "syntax error: comments are not allowed in json")
    t = cfg(OK_T) + "}\n"
    _, line, col, msg = refused(t)
    check_eq(msg, "syntax error: expected the end of the file after the top-level value, found '}'", "message")
    check_eq((line, col), line_col(t, len(t) - 2), "position of the extra brace")
    _, line, col, msg = refused("")
    check_eq((line, col, msg), (1, 1, "file is empty"), "empty file")


def test_hostile_files_never_crash():
    cases = [
        b"\x00\x01\x02binary",
        b"\xff\xfe{\"targets\": []}",
        b"[" * 100000,
        b"{\"targets\": [" + b"{" * 5000,
        b"{\"service\": \"" + b"\xc3\x28" + b"\"}",
        b"{\"interval_s\": 1" + b"0" * 400 + b", \"targets\": []}",
        b"{\"targets\": [{\"name\": \"\\u0000\", \"url\": \"https://a.test/\"}]}",
        b"{\"targets\": [{\"name\": \"a\\u001b[2J\", \"url\": \"https://a.test/\", \"port\": 1}]}",
    ]
    for raw in cases:
        rc, out, err = lib.run_isitdown(["--once", "--json"], raw.decode("latin-1"), timeout=30)
        check(rc == 3, "exit %d for %r (stderr %r)" % (rc, raw[:40], err[:300]))
        check_eq(len(err.splitlines()), 1, "one line on stderr for %r: %r" % (raw[:40], err[:300]))
        check_not_in("\x1b", err, "escape sequence echoed")


def test_unreadable_and_missing_files():
    d = tempfile.mkdtemp(prefix="isitdown-cfg-")
    try:
        missing = os.path.join(d, "nope.json")
        rc, out, err = lib.run_isitdown(["--once", "--config", missing])
        check_eq((rc, out), (3, ""), "missing file")
        check_eq(err.strip(), "isitdown: %s: cannot open: No such file or directory" % missing, "message")

        rc, out, err = lib.run_isitdown(["--once", "--config", d])
        check_eq((rc, out), (3, ""), "a directory")
        check_eq(err.strip(), "isitdown: %s: cannot read: Is a directory" % d, "message")

        if os.geteuid() != 0:  # root reads anything
            locked = os.path.join(d, "locked.json")
            with open(locked, "w") as f:
                f.write(cfg(OK_T))
            os.chmod(locked, 0)
            rc, out, err = lib.run_isitdown(["--once", "--config", locked])
            check_eq((rc, out), (3, ""), "unreadable file")
            check_eq(err.strip(), "isitdown: %s: cannot open: Permission denied" % locked, "message")

        ca = cfg(OK_T, top='\n  "ca_file": "no-such-ca.pem",')
        rc, out, err = lib.run_isitdown(["--once", "--config", "{config}"], ca)
        check_eq(rc, 3, "missing ca_file")
        check_in('cannot read ca_file "', err, "message")
        check_in('no-such-ca.pem": No such file or directory', err, "message")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_unknown_preset_and_options():
    rc, out, err = lib.run_isitdown(["--once", "--preset", "nosuch"])
    check_eq((rc, out), (3, ""), "unknown preset")
    check_eq(err.strip(), 'isitdown: unknown preset "nosuch" (try openai, anthropic, github, gemini, mistral, '
             'groq, deepseek, cohere or perplexity)', "message")
    rc, out, err = lib.run_isitdown(["--once", "--frobnicate"])
    check_eq((rc, out), (3, ""), "unknown option")
    check_in("--frobnicate", err, "message")
    rc, out, err = lib.run_isitdown(["--once", "--preset", "github"], cfg(OK_T))
    check_eq(rc, 3, "--config with --preset")
    check_in("exclude each other", err, "message")


def test_list_presets():
    rc, out, err = lib.run_isitdown(["--list-presets"])
    check_eq((rc, err), (0, ""), "--list-presets")
    names = [ln.split()[0] for ln in out.splitlines() if ln.strip()]
    for p in ("openai", "anthropic", "github", "gemini", "mistral", "groq", "deepseek", "cohere",
              "perplexity"):
        check_in(p, names, "presets listed")
        rc, out2, err2 = lib.run_isitdown(["--print-config", "--preset", p])
        check_eq(rc, 0, "--print-config --preset %s (%s)" % (p, err2))
        lib.parse_json(out2, "--print-config --preset %s" % p)


def test_print_config_masks_secrets():
    secret_cfg = {"service": "API", "targets": [
        {"name": "api", "url": "https://api.example.test/v1/models",
         "headers": {"Authorization": "Bearer ${OPENAI_API_KEY}", "X-Api-Key": "literal-" + FAKE_KEY}}]}
    env = {"OPENAI_API_KEY": FAKE_KEY}
    rc, out, err = lib.run_isitdown(["--print-config"], secret_cfg, env=env)
    check_eq(rc, 0, "--print-config (%s)" % err)
    doc = lib.parse_json(out, "--print-config")
    hdrs = doc["targets"][0]["headers"]
    check_eq(hdrs["Authorization"], "Bearer ${OPENAI_API_KEY}", "the template, not the key")
    check_not_in(FAKE_KEY, out, "--print-config stdout")
    check_not_in(FAKE_KEY, err, "--print-config stderr")
    check_not_in(FAKE_KEY[8:], out, "any part of the key")
    # The built-in default takes the key from the environment too.
    rc, out, err = lib.run_isitdown(["--print-config"], env=env)
    check_eq(rc, 0, "--print-config of the default")
    check_in("${OPENAI_API_KEY}", out, "default preset's header template")
    check_not_in(FAKE_KEY, out + err, "--print-config of the default")
    # What --print-config prints loads again as a config.
    rc, out2, err2 = lib.run_isitdown(["--print-config"], out, env=env)
    check_eq((rc, err2), (0, ""), "round trip of --print-config")
    check_eq(lib.parse_json(out2, "round trip"), lib.parse_json(out, "first print"), "round trip")


def test_errors_before_any_probe():
    """A bad config is refused before a single request goes out."""
    f = lib.shared_fixture()
    t = cfg('"name": "web", "url": "%s"' % f.url("/ok"), '"name": "api", "url": "%s", "interval_s": 0'
            % f.url("/ok"))
    expect(t, "0}", 'interval_s in target "api" must be from 0.1 to 86400 seconds')
    check_eq(f.requests(), {}, "requests made with a refused config")
    for mode in (["--print-config"], ["--lines"], []):
        _, _, _, msg = refused(t, args=mode)
        check_in("interval_s", msg, "message in mode %s" % mode)
    check_eq(f.requests(), {}, "requests made with a refused config")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    lib.main()
