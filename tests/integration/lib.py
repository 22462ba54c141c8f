"""Helpers for isitdown's integration tests: the loopback fixture, running the
binary, and a tiny test runner.

A test file looks like this:

    import lib

    def test_api_down():
        with lib.start_fixture() as fx:
            rc, out, err = lib.run_isitdown(["--once", "--json"], {...config...})
            ...

    if __name__ == "__main__":
        lib.main()

lib.main() runs every test_* function of the file in definition order, prints
PASS / FAIL / SKIP per test and a closing "N passed, N failed, N skipped", and
exits 1 when anything failed (77, meson's "skipped", when everything was
skipped).  Arguments on the command line select tests by substring.

The binary is $ISITDOWN (meson sets it).  Nothing here knows what the binary
prints: tests parse its output themselves (parse_json helps).
"""

import atexit
import contextlib
import http.client
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE_PY = os.path.join(ROOT, "tests", "fixture", "fixture.py")
DATA_DIR = os.path.join(ROOT, "tests", "data")

# The option that hands the binary a config file; a test can also put
# "{config}" among the arguments to place the path itself.
CONFIG_FLAG = "--config"

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy")

_running = []      # fixtures to stop at exit
_held = []         # sockets kept open by closed_port()
_shared = {}       # shared_fixture() instances by options


class Skip(Exception):
    """Raise in a test to report it as skipped (with the reason)."""


class TestTimeout(AssertionError):
    pass


class IsitdownTimeout(AssertionError):
    """The binary did not finish in time; the message carries what it printed."""

    def __init__(self, msg, stdout, stderr):
        super().__init__(msg)
        self.stdout = stdout
        self.stderr = stderr


# ---------------------------------------------------------------- fixture

class Fixture:
    """A running fixture process.  info is the ready line it printed."""

    host = "127.0.0.1"

    def __init__(self, proc, info):
        self.proc = proc
        self.info = info
        self.http_port = info["http_port"]
        self.https_port = info.get("https_port")
        self.tarpit_port = info.get("tarpit_port")
        self.tls_ports = info.get("tls_ports") or {}
        self.ca_file = info.get("ca_file")
        self.other_ca_file = info.get("other_ca_file")
        self.ipv6 = bool(info.get("ipv6"))

    # URLs --------------------------------------------------------------

    def url(self, path="/", scheme="http", variant="good", host=None):
        """A URL on the fixture.  scheme "https" picks the TLS port of the
        certificate variant (good, expired, not_yet_valid, self_signed,
        wrong_name, untrusted_ca); host may be "localhost" or "::1"."""
        if not path.startswith("/"):
            path = "/" + path
        if scheme == "https":
            if variant not in self.tls_ports:
                raise ValueError("no TLS port for %r (start the fixture with https=True)" % variant)
            port = self.tls_ports[variant]
        elif scheme == "http":
            port = self.http_port
        else:
            raise ValueError("scheme must be http or https")
        h = host or self.host
        if ":" in h and not h.startswith("["):
            h = "[" + h + "]"
        return "%s://%s:%d%s" % (scheme, h, port, path)

    def http_url(self, path="/", host=None):
        return self.url(path, "http", host=host)

    def https_url(self, path="/", variant="good", host=None):
        return self.url(path, "https", variant, host)

    def tarpit_url(self, path="/", scheme="https"):
        """A port that accepts connections and never says anything."""
        return "%s://%s:%d%s" % (scheme, self.host, self.tarpit_port, path)

    # control API -------------------------------------------------------

    def control(self, method, path, body=None, timeout=10):
        """Calls /_control/<path>; returns the parsed JSON answer.  Raises
        RuntimeError on a non-200 answer."""
        if not path.startswith("/"):
            path = "/_control/" + path
        conn = http.client.HTTPConnection(self.host, self.http_port, timeout=timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            hdrs = {"Content-Type": "application/json"} if data is not None else {}
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        if resp.status != 200:
            raise RuntimeError("fixture control %s %s: %d %s" % (method, path, resp.status, text.strip()))
        return json.loads(text)

    def reset(self):
        """Forgets request counts, sequences and mounts."""
        self.control("POST", "reset")

    def requests(self, path=None):
        """All paths with their counts and last request, or one path's entry:
        {"count", "last": {method, headers (lower-case names), scheme, ...},
        "history": [...]}."""
        if path is None:
            return self.control("GET", "requests")["paths"]
        return self.control("GET", "requests?path=" + urllib.parse.quote(path, safe=""))

    def count(self, path):
        return self.requests(path)["count"]

    def last_request(self, path):
        return self.requests(path)["last"]

    def last_headers(self, path):
        """The headers of the last request to path, names lower-case ({} if none)."""
        last = self.last_request(path)
        return last["headers"] if last else {}

    def stats(self):
        return self.control("GET", "stats")

    def set_seq(self, name, steps):
        """Replaces sequence NAME (steps: list or "200,503,hang") and rewinds it."""
        return self.control("POST", "seq/" + urllib.parse.quote(name, safe=""), {"steps": steps})

    def rewind_seq(self, name):
        return self.control("POST", "seq/%s/rewind" % urllib.parse.quote(name, safe=""))

    def mount(self, path, file=None, body=None, json_body=None, status=200, ctype=None,
              headers=None, validators="both"):
        """Serves path from a data file (relative to tests/data, or absolute), a
        text body or a JSON value, with ETag / Last-Modified.  Mounting again
        swaps the content; Last-Modified then moves forward."""
        spec = {"path": path, "status": status, "validators": validators}
        if file is not None:
            spec["file"] = file
        elif json_body is not None:
            spec["json"] = json_body
        elif body is not None:
            spec["body"] = body
        else:
            raise ValueError("mount needs file, body or json_body")
        if ctype:
            spec["ctype"] = ctype
        if headers:
            spec["headers"] = headers
        return self.control("POST", "mount", spec)

    def unmount(self, path):
        return self.control("POST", "unmount", {"path": path})

    # lifetime ----------------------------------------------------------

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # the fixture exits on stdin EOF
            except OSError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        if self in _running:
            _running.remove(self)


def _fixture_args(https, ipv6, cert_dir, http_port=None):
    args = [sys.executable, FIXTURE_PY]
    if http_port:
        args += ["--http-port", str(http_port)]
    if https:
        args.append("--https")
    if cert_dir:
        args += ["--cert-dir", cert_dir]
    if ipv6:
        args.append("--ipv6")
    if os.environ.get("ISITDOWN_FIXTURE_VERBOSE"):
        args.append("--verbose")
    return args


def launch_fixture(https=False, ipv6=False, cert_dir=None, timeout=30, http_port=None):
    """Starts a fixture and returns it once ready; the caller stops it (it is
    also stopped at exit).  http_port binds that HTTP port instead of a free
    one.  Prefer start_fixture()."""
    proc = subprocess.Popen(_fixture_args(https, ipv6, cert_dir, http_port), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=None)
    line = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                proc.kill()
                proc.wait()
                raise RuntimeError("fixture not ready after %d s" % timeout)
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                rc = proc.wait()
                raise RuntimeError("fixture exited (%d) before it was ready" % rc)
            line += chunk
    try:
        info = json.loads(line)
    except ValueError:
        proc.kill()
        proc.wait()
        raise RuntimeError("fixture printed %r instead of its ready line" % line[:200])
    fx = Fixture(proc, info)
    _running.append(fx)
    return fx


@contextlib.contextmanager
def start_fixture(https=False, ipv6=False, cert_dir=None, http_port=None):
    """with start_fixture(https=True) as fx: ... fx.url("/status/503") ..."""
    fx = launch_fixture(https, ipv6, cert_dir, http_port=http_port)
    try:
        yield fx
    finally:
        fx.stop()


def shared_fixture(https=False, ipv6=False, reset=True):
    """One fixture per test process (per options), started on first use and
    stopped at exit; reset (counts, sequences, mounts) each time unless told."""
    key = (bool(https), bool(ipv6))
    fx = _shared.get(key)
    if fx is None or fx.proc.poll() is not None:
        fx = launch_fixture(https, ipv6)
        _shared[key] = fx
    elif reset:
        fx.reset()
    return fx


@atexit.register
def _stop_all():
    for fx in list(_running):
        fx.stop()
    for s in _held:
        s.close()


# ---------------------------------------------------------------- ports

def free_port(host="127.0.0.1"):
    """A TCP port nothing was bound to a moment ago (another process may take it)."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def closed_port(host="127.0.0.1"):
    """A port where a connection is refused, reliably: it stays bound (but not
    listening) until the test process exits, so nobody else can listen there."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.bind((host, 0))
    _held.append(s)
    return s.getsockname()[1]


# ---------------------------------------------------------------- the binary

def isitdown_path():
    path = os.environ.get("ISITDOWN")
    if not path:
        raise RuntimeError("ISITDOWN is not set: run through meson test, or "
                           "ISITDOWN=build/isitdown python3 %s" % sys.argv[0])
    if not os.access(path, os.X_OK):
        raise RuntimeError("ISITDOWN=%s is not an executable" % path)
    return path


def _prepare(args, config, env, home, tmp):
    """Writes the config, builds argv and an isolated environment."""
    args = [str(a) for a in args]
    if config is not None:
        cfg_path = os.path.join(tmp, "config.json")
        with open(cfg_path, "w") as f:
            if isinstance(config, (str, bytes)):
                f.write(config if isinstance(config, str) else config.decode())
            else:
                json.dump(config, f, indent=2)
        if any("{config}" in a for a in args):
            args = [a.replace("{config}", cfg_path) for a in args]
        else:
            args = [CONFIG_FLAG, cfg_path] + args
    e = dict(os.environ)
    # A proxy from the developer's shell would swallow loopback probes.
    for k in list(e):
        if k.lower() in PROXY_VARS:
            del e[k]
    # The binary's files (event log, state) go to a throwaway home.
    h = home or os.path.join(tmp, "home")
    os.makedirs(h, exist_ok=True)
    e["HOME"] = h
    e["XDG_CONFIG_HOME"] = os.path.join(h, ".config")
    e["XDG_STATE_HOME"] = os.path.join(h, ".local", "state")
    e["XDG_DATA_HOME"] = os.path.join(h, ".local", "share")
    e["XDG_CACHE_HOME"] = os.path.join(h, ".cache")
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = str(v)
    return [isitdown_path()] + args, e


def run_isitdown(args, config=None, env=None, timeout=30, input=None, home=None, cwd=None):
    """Runs the binary to completion; returns (rc, stdout, stderr) as text.

    config: a dict / list (written as JSON) or a str (written as is, for broken
    configs) put in a temp file and passed as CONFIG_FLAG PATH (or wherever
    "{config}" appears in args).  env: variables to set on top of an isolated
    environment (HOME and XDG dirs in a temp dir, proxy variables removed);
    a None value removes a variable.  home: a directory to use as HOME, to
    share state between runs.  Raises IsitdownTimeout after timeout seconds."""
    tmp = tempfile.mkdtemp(prefix="isitdown-run-")
    try:
        argv, e = _prepare(args, config, env, home, tmp)
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=cwd,
                                start_new_session=True)
        try:
            out, err = proc.communicate(input.encode() if isinstance(input, str) else input, timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, err = proc.communicate()
            out = out.decode("utf-8", "replace")
            err = err.decode("utf-8", "replace")
            raise IsitdownTimeout("isitdown %s did not finish in %s s\n--- stdout:\n%s\n--- stderr:\n%s"
                                  % (" ".join(argv[1:]), timeout, out[-3000:], err[-3000:]), out, err)
        return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


@contextlib.contextmanager
def isitdown_process(args, config=None, env=None, home=None, cwd=None, stop_timeout=10):
    """Starts the binary in the background (stdin, stdout, stderr are pipes)
    and yields the Popen; on leaving, SIGTERM, then SIGKILL after stop_timeout."""
    tmp = tempfile.mkdtemp(prefix="isitdown-run-")
    proc = None
    try:
        argv, e = _prepare(args, config, env, home, tmp)
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=e, cwd=cwd, start_new_session=True)
        yield proc
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(stop_timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                proc.wait()
        if proc is not None:
            for f in (proc.stdin, proc.stdout, proc.stderr):
                try:
                    f.close()
                except OSError:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- checks

# ---------------------------------------------------------------- output of a running binary

class Lines:
    """The lines a running isitdown prints, read with a deadline."""

    def __init__(self, proc):
        self.proc = proc
        self.fd = proc.stdout.fileno()
        self.buf = b""
        self.lines = []

    def wait_for(self, pred, timeout, what):
        deadline = time.monotonic() + timeout
        seen = 0
        with selectors.DefaultSelector() as sel:
            sel.register(self.fd, selectors.EVENT_READ)
            while True:
                for line in self.lines[seen:]:
                    if pred(line):
                        return line
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no line %s within %d s; got:\n%s" % (what, timeout, "\n".join(self.lines)))
                if not sel.select(left):
                    continue
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    raise AssertionError("isitdown exited (%s) before a line %s; got:\n%s\nstderr: %s"
                                         % (self.proc.wait(), what, "\n".join(self.lines),
                                            self.proc.stderr.read().decode("utf-8", "replace")))
                self.buf += chunk
                *done, self.buf = self.buf.split(b"\n")
                self.lines += [d.decode("utf-8", "replace") for d in done]

    def text(self):
        return "\n".join(self.lines)


def stop_process(proc, lines=None):
    """SIGTERM, and the exit status of a clean stop."""
    proc.send_signal(signal.SIGTERM)
    rest = proc.stdout.read()
    rc = proc.wait(20)
    if lines is not None:
        lines.lines += rest.decode("utf-8", "replace").split("\n")
    check_eq(rc, 0, "exit status after SIGTERM")


def parse_json(text, what="output"):
    """json.loads with a failure message that shows what was there instead."""
    try:
        return json.loads(text)
    except ValueError as e:
        snippet = text if len(text) < 1500 else text[:1500] + "..."
        raise AssertionError("%s is not JSON (%s):\n%s" % (what, e, snippet)) from None


def check(cond, msg, *context):
    """assert with context that is printed only on failure."""
    if not cond:
        extra = "".join("\n--- %s" % (c,) for c in context)
        raise AssertionError(msg + extra)


def check_eq(actual, expected, what="value"):
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def check_in(needle, haystack, what="text"):
    if needle not in haystack:
        h = haystack if len(haystack) < 2000 else haystack[:2000] + "..."
        raise AssertionError("%s: %r not found in:\n%s" % (what, needle, h))


def check_not_in(needle, haystack, what="text"):
    if needle in haystack:
        raise AssertionError("%s: %r must not appear, but it does" % (what, needle))


# ---------------------------------------------------------------- runner

_limit = [0]


def _on_alarm(signum, frame):
    raise TestTimeout("test took longer than its time limit (%d s)" % _limit[0])


def main(timeout=None):
    """Runs the test_* functions of __main__ (see the module doc)."""
    mod = sys.modules["__main__"]
    tests = [(n, f) for n, f in list(vars(mod).items()) if n.startswith("test_") and callable(f)]
    wanted = sys.argv[1:]
    if wanted:
        tests = [(n, f) for n, f in tests if any(w in n for w in wanted)]
    limit = int(timeout or os.environ.get("ISITDOWN_TEST_TIMEOUT", "120"))
    _limit[0] = limit
    signal.signal(signal.SIGALRM, _on_alarm)
    passed = failed = skipped = 0
    for name, fn in tests:
        t0 = time.monotonic()
        signal.alarm(limit)
        try:
            fn()
            result = "PASS"
        except Skip as e:
            result = "SKIP (%s)" % e
        except KeyboardInterrupt:
            raise
        except BaseException:
            result = "FAIL"
            detail = traceback.format_exc()
        finally:
            signal.alarm(0)
        dt = time.monotonic() - t0
        print("%s %s (%.2f s)" % (result.split(" ")[0], name, dt) +
              (" " + result[5:] if result.startswith("SKIP") else ""), flush=True)
        if result == "FAIL":
            failed += 1
            sys.stdout.write("".join("    " + line + "\n" for line in detail.rstrip().split("\n")))
            sys.stdout.flush()
        elif result == "PASS":
            passed += 1
        else:
            skipped += 1
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped), flush=True)
    _stop_all()
    if failed or not tests:
        sys.exit(1)
    sys.exit(77 if skipped and not passed else 0)
