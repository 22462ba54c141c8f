"""Helpers shared by the metrics, headless and prometheus integration tests:
start isitdown headless with its metrics endpoint on a free port, scrape it,
and read the exposition text as Prometheus does."""

import contextlib
import http.client
import re
import shutil
import subprocess
import threading
import time
import urllib.parse

import lib

SERVING = re.compile(r"serving metrics at (http://\S+)")


class Output:
    """Collects a process's stdout (or stderr) lines in a thread, so the pipe
    never fills and a test can wait for a line."""

    def __init__(self, stream):
        self.lines = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self.lines.append(None)  # end of file
            self._cond.notify_all()

    def text(self):
        with self._cond:
            return "\n".join(l for l in self.lines if l is not None)

    def wait_for(self, pattern, timeout=20):
        """The first match of the regex in a line; fails after timeout."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for l in self.lines:
                    if l is None:
                        continue
                    m = rx.search(l)
                    if m:
                        return m
                if None in self.lines:
                    raise AssertionError("output ended without %r:\n%s" % (pattern, self.text()))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no %r after %s s:\n%s" % (pattern, timeout, self.text()))
                self._cond.wait(left)

    def join(self, timeout=5):
        self._thread.join(timeout)


class Headless:
    def __init__(self, proc):
        self.proc = proc
        self.out = Output(proc.stdout)
        self.err = Output(proc.stderr)
        self.url = None

    @property
    def host_port(self):
        u = urllib.parse.urlsplit(self.url)
        return u.hostname, u.port

    def stop(self, sig=None, timeout=15):
        """Signals the process (SIGTERM by default) and returns its exit code."""
        import signal as _signal
        self.proc.send_signal(sig or _signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("isitdown did not stop within %s s after the signal" % timeout)
        self.out.join()
        self.err.join()
        return rc


@contextlib.contextmanager
def headless(config, extra_args=(), env=None, metrics="127.0.0.1:0", wait_url=True):
    """isitdown --headless [--metrics ADDR] with the config; yields a Headless
    whose url is the metrics URL the process printed."""
    args = ["--headless", "--no-state"] + list(extra_args)
    if metrics:
        args += ["--metrics", metrics]
    with lib.isitdown_process(args, config, env=env) as proc:
        h = Headless(proc)
        if metrics and wait_url:
            h.url = h.out.wait_for(SERVING.pattern).group(1)
        yield h


def request(host, port, method="GET", path="/metrics", timeout=10, headers=None):
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8")
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def scrape(h, timeout=10):
    host, port = h.host_port
    status, headers, body = request(host, port, timeout=timeout)
    lib.check_eq(status, 200, "status of GET /metrics")
    lib.check_eq(headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8", "content type")
    return body


_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')


def _unescape(v):
    return re.sub(r'\\([\\"n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def parse(text):
    """[(name, {label: value}, float)] of the series, with the label values
    unescaped; fails on a line the 0.0.4 text format does not allow."""
    series = []
    for line in text.split("\n"):
        if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        if not m:
            raise AssertionError("not an exposition line: %r" % line)
        labels = {}
        rest = m.group(3) or ""
        pos = 0
        while pos < len(rest):
            lm = _LABEL.match(rest, pos)
            if not lm:
                raise AssertionError("bad labels at %d in %r" % (pos, line))
            labels[lm.group(1)] = _unescape(lm.group(2))
            pos = lm.end()
            if pos < len(rest):
                if rest[pos] != ",":
                    raise AssertionError("bad labels in %r" % line)
                pos += 1
        series.append((m.group(1), labels, float(m.group(4))))
    return series


def value(series, name, **labels):
    """The value of the one series with this name and these labels (others
    may differ), or None."""
    found = [v for n, l, v in series if n == name and all(l.get(k) == w for k, w in labels.items())]
    if len(found) > 1:
        raise AssertionError("%d series %s %r" % (len(found), name, labels))
    return found[0] if found else None


def total(series, name, **labels):
    return sum(v for n, l, v in series if n == name and all(l.get(k) == w for k, w in labels.items()))


def promtool():
    return shutil.which("promtool")


def promtool_check(text):
    """promtool check metrics, when promtool is there (scripts/ensure-deps test
    installs it); returns False when it is absent."""
    tool = promtool()
    if not tool:
        return False
    p = subprocess.run([tool, "check", "metrics"], input=text.encode(), capture_output=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("promtool check metrics failed (%d):\n%s%s" %
                             (p.returncode, p.stdout.decode(), p.stderr.decode()))
    return True


def wait_until(cond, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        r = cond()
        if r:
            return r
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %s s waiting for %s" % (timeout, what))
        time.sleep(interval)
