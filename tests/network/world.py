"""The network world: a private network namespace with real DNS, TLS, proxy and
packet faults, for proving isitdown's diagnosis against real components.

One World is one network namespace (`ip netns add`, a unique name) with only
loopback addresses: 127.0.0.0/8 and ::1 on `lo`, one 127.x address per fake
host, no route out.  Inside it, as a scenario asks:

  dnsmasq    the resolver, at 127.0.0.53 (through /etc/netns/NAME/resolv.conf,
             which `ip netns exec` mounts over /etc/resolv.conf)
  nginx      the fake hosts over TLS (certificates from pki.py), answering
             200/204/401/403/429/503, slowly (echo_sleep), or with the real
             captured status pages of tests/data/statuspage/
  tinyproxy  a real forward proxy
  nftables   faults: drop, reject with a TCP reset, random loss, NAT
  tc tbf     a slow link
and isitdown itself runs inside with `ip netns exec` (under faketime when the
scenario moves the clock).

Everything a World creates is registered with the Suite, which removes it on
exit, on an exception and on SIGINT / SIGTERM / SIGHUP: processes (by pid),
namespaces, /etc/netns/NAME.
"""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from pki import Pki

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
STATUSPAGES = os.path.join(ROOT, "tests", "data", "statuspage")
ECHO_MODULE = "/usr/lib/nginx/modules/ngx_http_echo_module.so"

RESOLVER = "127.0.0.53"
UPSTREAM_RESOLVER = "127.0.0.54"   # the "internet's" DNS behind dnsmasq, where a scenario needs one
PROXY = "127.4.0.1"
PROXY_PORT = 8888
PORTAL = "127.3.0.1"
CONTROL_IP = "127.2.0.2"           # stands for 1.1.1.1: a control reached without DNS

# Every fake host's IPv4 address.  Over IPv6 every name is ::1 (the only IPv6
# loopback address), told apart by the name the client sends.
HOSTS = {
    "chatgpt.com": "127.1.0.1",
    "api.openai.com": "127.1.0.2",
    "status.openai.com": "127.1.0.3",
    "claude.ai": "127.1.1.1",
    "api.anthropic.com": "127.1.1.2",
    "status.claude.com": "127.1.1.3",
    "github.com": "127.1.2.1",
    "api.github.com": "127.1.2.2",
    "www.githubstatus.com": "127.1.2.3",
    "www.google.com": "127.2.0.1",
    "portal.hotel-wifi.test": PORTAL,
}

# the programs the world is made of, and the Debian package of each
TOOLS = {"ip": "iproute2", "dnsmasq": "dnsmasq-base", "nginx": "nginx-light", "tinyproxy": "tinyproxy",
         "nft": "nftables", "tc": "iproute2", "faketime": "faketime", "openssl": "openssl"}

PORT_READY_S = 15


class WorldError(RuntimeError):
    pass


def missing_tools():
    """Package names of whatever the world needs and this machine lacks."""
    need = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if not os.path.exists(ECHO_MODULE):
        need.append("libnginx-mod-http-echo")
    return need


# ------------------------------------------------------------------ cleanup

class Suite:
    """What every World of this run shares: a temporary directory, the PKI,
    and the list of things to remove at the end, however the run ends."""

    def __init__(self, keep=False):
        self.lock = threading.RLock()
        self.procs = []        # Popen objects still to stop
        self.namespaces = []   # names still to delete
        self.created_netns_dir = not os.path.isdir("/etc/netns")
        self.tmp = tempfile.mkdtemp(prefix="isitdown-network-")
        self.keep = keep
        self.closed = False
        self.counter = 0
        atexit.register(self.close)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.pki = Pki(os.path.join(self.tmp, "pki"))

    def _on_signal(self, signum, frame):
        sys.stderr.write("network: stopped by signal %d, removing the world\n" % signum)
        self.close()
        os._exit(128 + signum)

    @property
    def prefix(self):
        return "isitdown-%d-" % os.getpid()

    def unique(self, tag):
        with self.lock:
            self.counter += 1
            return "%s%d-%s" % (self.prefix, self.counter, tag[:20])

    def add_namespace(self, name):
        with self.lock:
            if self.closed:
                raise WorldError("the run is stopping")
            self.namespaces.append(name)

    def track(self, proc):
        """Registers a process we started; one started while the run stops
        is stopped at once."""
        with self.lock:
            closed = self.closed
            if not closed:
                self.procs.append(proc)
        if closed:
            proc.kill()
            proc.wait()
            raise WorldError("the run is stopping")
        return proc

    def stop(self, proc, grace=3.0):
        """Stops one of our processes (by its pid) and forgets it."""
        if proc.poll() is None:
            try:
                proc.terminate()
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            except ProcessLookupError:
                pass
        with self.lock:
            if proc in self.procs:
                self.procs.remove(proc)

    def remove_namespace(self, name):
        """Deletes a namespace of ours, and first whatever still runs in it
        (every process there is one this run started)."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = subprocess.run(["ip", "netns", "pids", name], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True).stdout.split()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(int(pid), sig)
                except (ProcessLookupError, ValueError):
                    pass
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline and subprocess.run(
                    ["ip", "netns", "pids", name], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    text=True).stdout.split():
                time.sleep(0.05)
        subprocess.run(["ip", "netns", "del", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(os.path.join("/etc/netns", name), ignore_errors=True)
        with self.lock:
            if name in self.namespaces:
                self.namespaces.remove(name)

    def close(self):
        """Stops every process and removes every namespace of this run.  Worker
        threads may still be starting things: from now on they cannot, and
        a last sweep by name catches what was half made."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for _ in range(3):
            with self.lock:
                procs = list(self.procs)
                names = list(self.namespaces)
            if not procs and not names:
                break
            for p in procs:
                self.stop(p, grace=1.0)
            for n in names:
                self.remove_namespace(n)
        listed = subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True).stdout.split("\n")
        for line in listed:
            name = line.split(" ")[0]
            if name.startswith(self.prefix):
                self.remove_namespace(name)
        if os.path.isdir("/etc/netns"):
            for name in os.listdir("/etc/netns"):
                if name.startswith(self.prefix):
                    shutil.rmtree(os.path.join("/etc/netns", name), ignore_errors=True)
        if self.created_netns_dir:
            try:
                os.rmdir("/etc/netns")
            except OSError:
                pass  # another run's namespace still uses it
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


# ------------------------------------------------------------------ nginx

def _nginx_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Route:
    """One answer of a fake host: status, body (text or a file), headers, and a
    delay before the answer (echo_sleep)."""

    def __init__(self, status=200, body=None, file=None, ctype="text/html", headers=None, sleep=0,
                 key_ok=None):
        self.status = status
        self.body = body
        self.file = file
        self.ctype = ctype
        self.headers = headers or {}
        self.sleep = sleep
        self.key_ok = key_ok   # a bearer token answered 200 {"object": "list"} instead


def statuspage(name):
    """A route serving a captured status page of tests/data/statuspage/."""
    path = os.path.join(STATUSPAGES, name)
    if not os.path.exists(path):
        raise WorldError("no captured status page %s" % name)
    return Route(file=path, ctype="application/json")


# ------------------------------------------------------------------ the world

class World:
    """One network namespace and what runs in it.  tag names it (with the pid
    and a counter: unique); ipv6: every name also resolves to ::1 and nginx
    listens there too.  close() ends its processes and removes it."""

    def __init__(self, suite, tag, ipv6=False):
        self.suite = suite
        self.name = suite.unique(tag)
        self.dir = os.path.join(suite.tmp, self.name)
        os.makedirs(self.dir)
        self.ipv6 = ipv6
        self.sites = {}      # (host, port) -> (certificate variant or None for http, {path: Route})
        self.nginx = None
        self.servers = []
        self.server_logs = []
        self.got = ""        # what a scenario without runs reports
        self.runs = []       # what the scenario's isitdown runs gave (scenarios.Run)
        suite.add_namespace(self.name)
        self._ip("netns", "add", self.name)
        addrs = sorted(set(HOSTS.values()) | {RESOLVER, UPSTREAM_RESOLVER, PROXY, CONTROL_IP})
        self._ip("-n", self.name, "-batch", "-", input="link set lo up\n" +
                 "".join("addr add %s/32 dev lo\n" % a for a in addrs))
        etc = os.path.join("/etc/netns", self.name)
        os.makedirs(etc, exist_ok=True)
        with open(os.path.join(etc, "resolv.conf"), "w") as f:
            # glibc's two attempts, with a shorter timeout: a resolver that
            # drops queries costs 4 s, not 10
            f.write("nameserver %s\noptions timeout:2 attempts:2\n" % RESOLVER)

    # helpers ----------------------------------------------------------

    def _ip(self, *args, input=None):
        proc = subprocess.run(["ip"] + list(args), input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
        if proc.returncode != 0:
            raise WorldError("ip %s: %s" % (" ".join(args), proc.stderr.strip()))

    def sh(self, *argv, input=None, check=True):
        """Runs a command inside the namespace; returns its stdout."""
        proc = subprocess.run(["ip", "netns", "exec", self.name] + list(argv), input=input,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and proc.returncode != 0:
            raise WorldError("%s: %s" % (" ".join(argv), proc.stderr.strip()[-500:]))
        return proc.stdout

    def spawn(self, argv, log):
        out = open(os.path.join(self.dir, log), "w")
        try:
            proc = subprocess.Popen(["ip", "netns", "exec", self.name] + list(argv), stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            out.close()
        self.servers.append(self.suite.track(proc))
        self.server_logs.append((proc, log))
        return proc

    def path(self, name):
        return os.path.join(self.dir, name)

    def log(self, name):
        try:
            with open(self.path(name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_ready(self, tcp=(), names=(), timeout=PORT_READY_S):
        """Waits until every (address, port) accepts a connection and every
        name resolves, from inside the namespace."""
        spec = json.dumps({"tcp": list(tcp), "names": list(names), "timeout": timeout})
        proc = subprocess.run(["ip", "netns", "exec", self.name, sys.executable,
                               os.path.join(HERE, "wait_ready.py"), spec],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            dead = ["%s exited: %s" % (p.args[3], self.log(log).strip()[-300:])
                    for p, log in self.server_logs if p.poll() is not None]
            raise WorldError("servers not ready: %s%s" % (proc.stderr.strip(), "; " + "; ".join(dead) if dead else ""))

    # DNS ----------------------------------------------------------------

    def start_dns(self, names=None, nxdomain=(), servfail=(), everything_to=None, aaaa=None, no_aaaa=()):
        """dnsmasq as the namespace's resolver.  names: {name: IPv4} (default
        HOSTS); nxdomain: names answered NXDOMAIN; servfail: names answered
        SERVFAIL (their zone's DNSSEC validation fails, the commonest real
        cause); everything_to: every name resolves to this address (a captive
        portal); aaaa: also ::1 for every name (default: the world's ipv6)
        but those of no_aaaa (names without IPv6, as github.com)."""
        names = dict(HOSTS if names is None else names)
        aaaa = self.ipv6 if aaaa is None else aaaa
        argv = ["dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                "--listen-address=" + RESOLVER, "--bind-interfaces", "--user=root",
                "--pid-file=" + self.path("dnsmasq.pid"), "--log-queries"]
        if everything_to:
            argv.append("--address=/#/" + everything_to)
        for n, a in sorted(names.items()):
            if n in servfail or n in nxdomain:
                continue
            argv.append("--address=/%s/%s" % (n, a))
            if aaaa and n not in no_aaaa:
                argv.append("--address=/%s/::1" % n)
        for n in nxdomain:
            argv.append("--address=/%s/" % n)
        if servfail:
            # the upstream answers without signatures: bogus, SERVFAIL
            argv += ["--server=" + UPSTREAM_RESOLVER, "--dnssec", "--dnssec-check-unsigned",
                     "--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"]
            up = ["dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                  "--listen-address=" + UPSTREAM_RESOLVER, "--bind-interfaces", "--user=root",
                  "--pid-file=" + self.path("upstream.pid"), "--local=/#/"]
            up += ["--address=/%s/%s" % (n, names[n]) for n in servfail if n in names]
            self.spawn(up, "upstream-dns.log")
        self.spawn(argv, "dnsmasq.log")
        probe = sorted(n for n in names if n not in servfail and n not in nxdomain)[:1]
        self.wait_ready(tcp=[(RESOLVER, 53)], names=probe)

    # TLS sites ----------------------------------------------------------

    def site(self, host, routes, variant="valid"):
        """Declares what host answers over TLS on port 443 (start_nginx serves
        it): routes {path: Route} (exact paths; "/" also matches the rest),
        with a certificate of this variant (pki.VARIANTS)."""
        self.sites[(host, 443)] = (variant, routes)

    def plain_http(self, host, routes):
        """Declares what host answers over plain http on port 80."""
        self.sites[(host, 80)] = (None, routes)

    def _server_block(self, host, variant, routes, listen):
        lines = ["  server {"]
        lines += ["    listen %s;" % x for x in listen]
        lines.append("    server_name %s;" % host)
        if variant:
            chain, key = self.suite.pki.leaf(host, variant)
            lines += ["    ssl_certificate %s;" % chain, "    ssl_certificate_key %s;" % key]
        for path, r in sorted(routes.items()):
            lines.append("    location %s {" % (path if path == "/" else "= " + path))
            lines.append("      default_type %s;" % r.ctype)
            for k, v in sorted(r.headers.items()):
                lines.append("      add_header %s %s always;" % (k, _nginx_quote(str(v))))
            if r.key_ok:
                lines.append("      if ($http_authorization = %s) { return 200 '{\"object\": \"list\", \"data\": []}'; }"
                             % _nginx_quote("Bearer " + r.key_ok))
            if r.sleep:
                lines.append("      echo_sleep %g;" % r.sleep)
                lines.append("      echo_status %d;" % r.status)
                lines.append("      echo %s;" % _nginx_quote(r.body or ""))
            elif r.file and r.status == 200:
                lines.append("      alias %s;" % r.file)
            elif r.file:
                lines.append("      error_page %d /_body%s;" % (r.status, r.file))
                lines.append("      return %d;" % r.status)
            elif r.body is not None:
                lines.append("      return %d %s;" % (r.status, _nginx_quote(r.body)))
            else:
                lines.append("      return %d;" % r.status)
            lines.append("    }")
        lines.append("    location ^~ /_body/ { internal; alias /; default_type application/json; }")
        lines.append("  }")
        return lines

    def start_nginx(self):
        """nginx for every declared site, over IPv4 (the host's address) and,
        in an IPv6 world, ::1; waits until every address accepts."""
        d = self.path("nginx")
        os.makedirs(d, exist_ok=True)
        conf = ["load_module %s;" % ECHO_MODULE, "daemon off;", "master_process off;", "worker_processes 1;",
                "pid %s/nginx.pid;" % d, "error_log %s/error.log warn;" % d,
                "events { worker_connections 1024; }", "http {",
                "  access_log %s/access.log;" % d,
                "  client_body_temp_path %s/body;" % d, "  proxy_temp_path %s/proxy;" % d,
                "  server_tokens off;", "  ssl_protocols TLSv1.2 TLSv1.3;",
                "  keepalive_timeout 30s;"]
        ready = []
        for (host, port), (variant, routes) in sorted(self.sites.items()):
            addr = host if host[0].isdigit() else HOSTS[host]
            ssl = " ssl" if variant else ""
            listen = ["%s:%d%s" % (addr, port, ssl)]
            if self.ipv6 and not host[0].isdigit():
                listen.append("[::1]:%d%s" % (port, ssl))
                ready.append(("::1", port))
            conf += self._server_block(host, variant, routes, listen)
            ready.append((addr, port))
        conf.append("}")
        path = os.path.join(d, "nginx.conf")
        with open(path, "w") as f:
            f.write("\n".join(conf) + "\n")
        self.nginx = self.spawn(["nginx", "-c", path, "-p", d], "nginx.out")
        self.wait_ready(tcp=ready)

    def nginx_access(self):
        return self.log("nginx/access.log")

    # proxy --------------------------------------------------------------

    def start_proxy(self, deny=()):
        """tinyproxy at PROXY:PROXY_PORT; deny: domains it refuses (CONNECT
        answered 403 Filtered)."""
        conf = ["Port %d" % PROXY_PORT, "Listen %s" % PROXY, "Timeout 30", "MaxClients 100",
                "Allow 127.0.0.0/8", "ConnectPort 443", "LogLevel Info",
                'PidFile "%s"' % self.path("tinyproxy.pid")]
        if deny:
            fpath = self.path("tinyproxy.filter")
            with open(fpath, "w") as f:
                f.write("\n".join(deny) + "\n")
            conf += ['Filter "%s"' % fpath, "FilterURLs Off", "FilterDefaultDeny No"]
        path = self.path("tinyproxy.conf")
        with open(path, "w") as f:
            f.write("\n".join(conf) + "\n")
        self.spawn(["tinyproxy", "-d", "-c", path], "tinyproxy.log")
        self.wait_ready(tcp=[(PROXY, PROXY_PORT)])

    # faults ---------------------------------------------------------------

    def nft(self, rules):
        """Loads an nftables ruleset (text for `nft -f`) into the namespace."""
        self.sh("nft", "-f", "-", input=rules)

    def drop_to(self, addrs, reset=False, ports=(443,)):
        """Every TCP packet to these IPv4 addresses dropped (a black hole), or
        answered with a TCP reset."""
        verdict = "reject with tcp reset" if reset else "drop"
        self.nft("table inet fault {\n chain out {\n  type filter hook output priority 0;\n"
                 "  ip daddr { %s } tcp dport { %s } %s\n }\n}\n"
                 % (", ".join(addrs), ", ".join(str(p) for p in ports), verdict))

    def loss(self, percent, addrs=None):
        """Random loss of percent % of the packets (to addrs only, if given),
        both directions on lo: every packet crosses output once."""
        match = "ip daddr { %s } " % ", ".join(addrs) if addrs else ""
        self.nft("table inet fault {\n chain out {\n  type filter hook output priority 0;\n"
                 "  %snumgen random mod 100 < %d drop\n }\n}\n" % (match, percent))

    def slow_link(self, rate="96kbit", burst="4kb", latency="4s"):
        """A token bucket on lo: every byte in the namespace crosses it.  The
        link gets an Ethernet MTU: a packet larger than the bucket would
        never pass."""
        self.sh("ip", "link", "set", "lo", "mtu", "1500")
        self.sh("tc", "qdisc", "add", "dev", "lo", "root", "tbf", "rate", rate, "burst", burst, "latency", latency)

    def clear_faults(self, table="inet fault"):
        self.sh("nft", "delete", "table", *table.split())

    def link_down(self):
        self.sh("ip", "link", "set", "lo", "down")

    # the program ----------------------------------------------------------

    def _isitdown_argv(self, config, args, env, faketime):
        binary = os.environ.get("ISITDOWN")
        if not binary or not os.access(binary, os.X_OK):
            raise WorldError("ISITDOWN is not set to the isitdown binary")
        cfg = self.path("config.json")
        with open(cfg, "w") as f:
            json.dump(config, f, indent=1)
        home = self.path("home")
        os.makedirs(home, exist_ok=True)
        e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8",
             "XDG_STATE_HOME": os.path.join(home, "state"), "XDG_CONFIG_HOME": os.path.join(home, "config")}
        for k, v in (env or {}).items():
            e[k] = v
        argv = ["ip", "netns", "exec", self.name]
        if faketime:
            # a wrong wall clock leaves the monotonic one alone, as on a real machine
            e["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
            argv += ["faketime", "-f", faketime]
        argv += [binary, "--config", cfg, "--no-state"] + list(args)
        return argv, e

    def run_isitdown(self, config, args=("--once", "--json"), env=None, faketime=None, timeout=90):
        """Runs isitdown inside the namespace with config (a dict); returns
        (exit status, stdout, stderr)."""
        argv, e = self._isitdown_argv(config, args, env, faketime)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=e, start_new_session=True)
        self.suite.track(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise WorldError("isitdown did not finish in %d s: %s" % (timeout, err.decode(errors="replace")[-500:]))
        finally:
            self.suite.stop(proc)
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def start_isitdown(self, config, args=("--lines", "--json"), env=None):
        """Starts isitdown in the background; returns a Watch that reads its
        lines as they come."""
        argv, e = self._isitdown_argv(config, args, env, None)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=open(self.path("isitdown.err"), "w"), env=e, start_new_session=True)
        self.suite.track(proc)
        self.servers.append(proc)
        return Watch(proc)

    def close(self):
        for p in self.servers:
            self.suite.stop(p)
        self.servers = []
        self.suite.remove_namespace(self.name)


class Watch:
    """A running isitdown --lines --json: its lines, read by a thread as they
    come, and wait_for(predicate) to await one."""

    def __init__(self, proc):
        self.proc = proc
        self.lines = []
        self.cond = threading.Condition()
        self.eof = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            try:
                item = json.loads(line)
            except ValueError:
                item = {"text": line, "unparsed": True}
            with self.cond:
                self.lines.append((time.monotonic(), item))
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def wait_for(self, pred, timeout, after=0.0):
        """The first (time, event) after monotonic time `after` for which
        pred(event) holds, or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, ev in self.lines:
                    if t >= after and pred(ev):
                        return t, ev
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.cond.wait(left)

    def stop(self, timeout=10):
        """SIGTERM, as a service manager would; returns the exit status."""
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.thread.join(5)
        return rc
