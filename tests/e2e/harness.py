"""Shared pieces of the end-to-end tests: a loopback service whose answers a
test switches, a config pointing at it, and the real binary in a private tmux
server, read back with capture-pane as a person would see it.

Nothing here talks to the network beyond 127.0.0.1, and every test gets its
own temporary directory (config, --state-dir, exported reports) and its own
tmux socket, so tests never touch the user's files or tmux sessions.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "sekrit-e2e-value-7f3a"
UPDATE_BODY = "We are investigating slow invoice downloads for some customers."
INCIDENT_NAME = "Slow invoice downloads"


def summary_json(state):
    """A Statuspage v2 summary: our components Web and API, and an open
    incident on a component we do not monitor (so the verdict stays up while
    the log still gets the incident and its update)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    comp = lambda cid, name, status: {
        "id": cid, "name": name, "status": status, "created_at": now,
        "updated_at": now, "position": 1, "description": None,
        "showcase": True, "group_id": None, "page_id": "e2e", "group": False,
        "only_show_if_degraded": False,
    }
    return {
        "page": {"id": "e2e", "name": "Loop", "url": "http://127.0.0.1",
                 "time_zone": "Etc/UTC", "updated_at": now},
        "status": {"indicator": "minor", "description": "Minor Service Outage"},
        "components": [
            comp("c1", "Web", state.get("official_web", "operational")),
            comp("c2", "API", state.get("official_api", "operational")),
            comp("c3", "Billing", "degraded_performance"),
        ],
        "incidents": [{
            "id": "inc1", "name": INCIDENT_NAME, "status": "investigating",
            "created_at": now, "updated_at": now, "monitoring_at": None,
            "resolved_at": None, "impact": "minor", "shortlink": "",
            "started_at": now, "page_id": "e2e",
            "components": [comp("c3", "Billing", "degraded_performance")],
            "incident_updates": [{
                "id": "upd1", "status": "investigating", "body": UPDATE_BODY,
                "incident_id": "inc1", "created_at": now, "updated_at": now,
                "display_at": now,
                "affected_components": [{"code": "c3", "name": "Billing",
                                         "old_status": "operational",
                                         "new_status": "degraded_performance"}],
            }],
        }],
        "scheduled_maintenances": [],
    }


class Service:
    """A loopback HTTP service: /web and /api answer with the status the test
    sets (state["web"], state["api"]), /summary.json is a status page."""

    def __init__(self):
        self.state = {"web": 200, "api": 200}
        self.hits = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, body_wanted):
                path = self.path.split("?")[0]
                outer.hits[path] = outer.hits.get(path, 0) + 1
                if path == "/summary.json":
                    code, ctype = 200, "application/json"
                    body = json.dumps(summary_json(outer.state)).encode()
                elif path in ("/web", "/api"):
                    code = outer.state[path[1:]]
                    ctype = "text/plain"
                    body = b"ok\n" if code < 400 else b"unavailable\n"
                else:
                    code, ctype, body = 404, "text/plain", b"not found\n"
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body_wanted:
                    self.wfile.write(body)

            def do_GET(self):
                self.answer(True)

            def do_HEAD(self):
                self.answer(False)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def write_config(path, port, interval=1.0, extra=None, targets=None):
    """extra: more top-level keys ("theme", ...); targets: more targets after
    the usual four."""
    cfg = {
        "service": "Loop",
        "interval_s": interval,
        "timeout_s": 2,
        "targets": [
            {"name": "control", "kind": "tcp", "host": "127.0.0.1",
             "port": port, "role": "control"},
            {"name": "web", "kind": "http", "component": "Web",
             "url": "http://127.0.0.1:%d/web" % port},
            {"name": "api", "kind": "http", "component": "API",
             "url": "http://127.0.0.1:%d/api" % port,
             "headers": {"Authorization": "Bearer ${E2E_SECRET}"}},
            {"name": "status-page", "kind": "statuspage",
             "url": "http://127.0.0.1:%d/summary.json" % port},
        ],
    }
    cfg["targets"] += targets or []
    cfg.update(extra or {})
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2)


RUNNER = """\
cd "$E2E_DIR" || exit 1
"$ISITDOWN" --config "$E2E_DIR/cfg.json" --state-dir "$E2E_DIR/state" "$@"
rc=$?
# stty first: a test reads it as soon as exit_code appears
stty -a > "$E2E_DIR/stty" 2>&1
echo "$rc" > "$E2E_DIR/exit_code.tmp" && mv "$E2E_DIR/exit_code.tmp" "$E2E_DIR/exit_code"
echo "ISITDOWN-EXITED"
exec sleep 300
"""


class Failure(Exception):
    pass


class Screen:
    """The binary in a tmux pane of its own tmux server."""

    def __init__(self, name, cols=80, rows=24, env=None, args=(), service=None, interval=1.0,
                 config_extra=None, targets=None, prepare=None):
        """prepare(screen): called before the binary starts, with dir and
        service set (to leave files an earlier run would have left)."""
        self.binary = os.environ.get("ISITDOWN")
        if not self.binary or not os.access(self.binary, os.X_OK):
            raise Failure("set ISITDOWN to the isitdown binary")
        if not shutil.which("tmux"):
            raise Failure("tmux is not installed")
        self.dir = tempfile.mkdtemp(prefix="isitdown-e2e-")
        self.service = service or Service()
        write_config(os.path.join(self.dir, "cfg.json"), self.service.port, interval, config_extra,
                     targets)
        with open(os.path.join(self.dir, "run.sh"), "w") as f:
            f.write(RUNNER)
        if prepare:
            prepare(self)
        self.socket = "isitdown-%s-%d" % (name, os.getpid())
        self.session = "t"
        self.cols, self.rows = cols, rows
        full_env = {
            "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "E2E_SECRET": SECRET,
            "E2E_DIR": self.dir, "ISITDOWN": os.path.abspath(self.binary),
            "HOME": self.dir, "XDG_STATE_HOME": os.path.join(self.dir, "xdg"),
            "XDG_CONFIG_HOME": os.path.join(self.dir, "xdgconfig"),
        }
        full_env.update(env or {})
        cmd = ["env"] + ["%s=%s" % kv for kv in full_env.items()]
        cmd += ["sh", os.path.join(self.dir, "run.sh")] + list(args)
        self.tmux("new-session", "-d", "-s", self.session, "-x", str(cols), "-y", str(rows),
                  " ".join(shell_quote(c) for c in cmd))
        self.tmux("set-option", "-t", self.session, "remain-on-exit", "on")

    def tmux(self, *args, check=True):
        p = subprocess.run(["tmux", "-f", "/dev/null", "-L", self.socket] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and p.returncode != 0:
            raise Failure("tmux %s: %s" % (" ".join(args), p.stderr.strip()))
        return p.stdout

    def text(self):
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def send(self, *keys):
        self.tmux("send-keys", "-t", self.session, *keys)

    def send_text(self, text):
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def resize(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.tmux("resize-window", "-t", self.session, "-x", str(cols), "-y", str(rows))

    def wait(self, pred, what, timeout=10.0):
        """Waits until pred(screen text) holds; fails with the screen shown."""
        end = time.time() + timeout
        last = ""
        while time.time() < end:
            last = self.text()
            if pred(last):
                # a capture can land between two writes of one frame: hand
                # back only a screen that stayed the same for a moment
                time.sleep(0.05)
                again = self.text()
                if again == last:
                    return last
                continue
            time.sleep(0.1)
        raise Failure("timed out waiting for %s; the screen was:\n%s" % (what, last))

    def wait_text(self, needle, timeout=10.0):
        return self.wait(lambda t: needle in t, repr(needle), timeout)

    def wait_gone(self, needle, timeout=10.0):
        return self.wait(lambda t: needle not in t, "%r to go" % needle, timeout)

    def exited(self):
        return os.path.exists(os.path.join(self.dir, "exit_code"))

    def exit_code(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            path = os.path.join(self.dir, "exit_code")
            if os.path.exists(path):
                with open(path) as f:
                    data = f.read().strip()
                if data:
                    return int(data)
            time.sleep(0.1)
        raise Failure("isitdown did not exit; the screen was:\n" + self.text())

    def stty(self):
        with open(os.path.join(self.dir, "stty")) as f:
            return f.read().split()

    def close(self):
        sock = self.tmux("display-message", "-p", "#{socket_path}", check=False).strip()
        self.tmux("kill-server", check=False)
        if sock.endswith(self.socket) and os.path.exists(sock):
            os.unlink(sock)
        self.service.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def shell_quote(s):
    if s and all(c.isalnum() or c in "-_./=:,+@%" for c in s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def check(cond, msg, screen=None):
    if not cond:
        raise Failure(msg + ("\nthe screen was:\n" + screen.text() if screen else ""))


def check_restored(scr):
    """After isitdown has exited: exit status 0 and a terminal in cooked mode."""
    code = scr.exit_code()
    check(code == 0, "exit status %d, expected 0" % code, scr)
    flags = scr.stty()
    check("icanon" in flags and "echo" in flags,
          "terminal not restored: stty says %s" % " ".join(
              f for f in flags if f.lstrip("-") in ("icanon", "echo", "isig")))
    text = scr.wait_text("ISITDOWN-EXITED")
    # the full screen is gone: the shell's screen is back
    check("Checklist" not in text and "? help" not in text,
          "the monitor's screen is still shown after exit", scr)
    # nothing complained on the way out (main checks that every handle was closed)
    check("isitdown:" not in text, "isitdown complained on exit", scr)


def run(name, body, **kw):
    """Runs body(screen) and exits 0, or prints the failure and exits 1."""
    started = time.time()
    scr = None
    try:
        scr = Screen(name, **kw)
        body(scr)
    except Failure as e:
        print("FAIL %s: %s" % (name, e))
        sys.exit(1)
    finally:
        if scr:
            scr.close()
    print("PASS %s (%.1f s)" % (name, time.time() - started))
    sys.exit(0)
