"""The state directory in trouble: unwritable, full, a log file deleted while
the monitor runs, a log file damaged before it starts.

Each test runs `isitdown --lines --json --state-dir DIR` against the loopback
fixture with a steady target (its request count shows that probing goes on)
and targets that fail one after another (events, so the log keeps writing), and
checks what a person would notice: a clear warning among the events, a
monitor that keeps probing and stops cleanly on SIGTERM, and no line that was
already in the file lost or changed.

Tests may run as root, for whom chmod does not stop a write: those use a path
under a regular file, a read-only bind mount or a small tmpfs when the machine
allows mounting, and RLIMIT_FSIZE, which binds root too.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import lib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "e2e"))

EARLIER = 20  # events in a log written "before" the run


def earlier_lines(tag, n=EARLIER):
    """n valid event lines, as an earlier run would have written them."""
    out = []
    for i in range(n):
        ts = 1767225600 + 60 * i
        out.append(json.dumps({
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)), "ts": ts,
            "severity": "notice", "source": "probe", "component": "", "target": "old",
            "text": "%s earlier event %d" % (tag, i), "detail": None,
        }, separators=(",", ":")) + "\n")
    return "".join(out)


def falling_targets(fx, tag, n=40):
    """Targets that go down one after another, about one a second, and stay
    down: a steady stream of events for the log to write (a target that went
    up and down instead would soon be judged flapping and fall silent)."""
    return [{"name": "fall-%d" % i, "kind": "http", "interval_s": 1,
             "url": fx.http_url("/seq/%s-fall-%d?steps=200*%d,503" % (tag, i, i + 2))}
            for i in range(n)]


def is_fall_event(e):
    """A state change of one of falling_targets."""
    return e.get("source") == "probe" and e.get("target", "").startswith("fall-")


class Monitor:
    """isitdown --lines --json in the background; its events read as they come."""

    def __init__(self, fx, state_dir, tag, preexec_fn=None, config=None, read_stdout=True,
                 argv_only=False):
        """config: the default has a target "steady" at /seq/TAG-steady and a
        stream of falling_targets; another config must keep the steady path. read_stdout
        False leaves proc.stdout to the caller; argv_only only prepares
        self.argv and self.env, for the caller to run."""
        self.fx = fx
        self.steady = "/seq/%s-steady" % tag
        cfg = config or {"service": "State", "interval_s": 0.3, "timeout_s": 2, "targets": [
            {"name": "steady", "kind": "http", "url": fx.http_url(self.steady + "?steps=200")},
        ] + falling_targets(fx, tag)}
        self.tmp = tempfile.mkdtemp(prefix="isitdown-state-run-")
        self.argv, self.env = lib._prepare(["--lines", "--json", "--state-dir", state_dir], cfg,
                                           None, None, self.tmp)
        self.events = []
        self.other = []
        self.stderr = []
        self.proc = None
        if argv_only:
            return
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=self.env, start_new_session=True,
                                     preexec_fn=preexec_fn)
        if read_stdout:
            threading.Thread(target=self._read, args=(self.proc.stdout, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, False), daemon=True).start()

    def _read(self, f, is_out):
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not is_out:
                self.stderr.append(line)
                continue
            try:
                self.events.append(json.loads(line))
            except ValueError:
                self.other.append(line)

    def output(self):
        return "\n".join(["stdout:"] + [json.dumps(e) for e in self.events] + self.other +
                         ["stderr:"] + self.stderr)

    def wait(self, pred, what, timeout=20):
        """The first event for which pred holds; fails if none comes or the
        process ends."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for e in list(self.events):
                if pred(e):
                    return e
            self.check_memory()
            if self.proc.poll() is not None:
                time.sleep(0.2)  # let the readers catch up
                for e in list(self.events):
                    if pred(e):
                        return e
                raise AssertionError("isitdown exited (%s) before %s\n%s"
                                     % (self.proc.returncode, what, self.output()))
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %s\n%s" % (what, self.output()))

    def check_memory(self, limit_kib=512 * 1024):
        """Kills a monitor that runs away with memory (a log loader reading an
        endless device once did) before it hurts the machine."""
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                rss = [int(l.split()[1]) for l in f if l.startswith("VmRSS:")]
        except OSError:
            return
        if rss and rss[0] > limit_kib:
            os.killpg(self.proc.pid, 9)
            raise AssertionError("isitdown used %d KiB of memory; killed\n%s" % (rss[0], self.output()))

    def wait_text(self, needle, severity=None, timeout=20):
        return self.wait(lambda e: needle in e.get("text", "") and
                         (severity is None or e.get("severity") == severity),
                         "an event with %r" % needle, timeout)

    def keeps_probing(self, rounds=5, timeout=20):
        """The steady target's request count goes on rising."""
        start = self.fx.count(self.steady)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError("isitdown exited (%s) while it should be probing\n%s"
                                     % (self.proc.returncode, self.output()))
            self.check_memory()
            if self.fx.count(self.steady) >= start + rounds:
                return
            time.sleep(0.1)
        raise AssertionError("probing stopped: %d requests in %d s\n%s"
                             % (self.fx.count(self.steady) - start, timeout, self.output()))

    def stop(self):
        """SIGTERM; the monitor must stop promptly with status 0."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            rc = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
            raise AssertionError("isitdown did not stop within 10 s of SIGTERM\n" + self.output())
        time.sleep(0.1)
        lib.check(rc == 0, "exit status %s after SIGTERM, expected 0" % rc, self.output())

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


class run_monitor:
    def __init__(self, *args, **kw):
        self.m = Monitor(*args, **kw)

    def __enter__(self):
        return self.m

    def __exit__(self, *exc):
        self.m.close()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_file_events(path, prefix, events, what):
    """The file starts with prefix unchanged, and holds each of events."""
    data = read(path)
    if isinstance(prefix, str):
        prefix = prefix.encode()
    lib.check(data.startswith(prefix), "%s: the earlier lines were changed or lost" % what,
              data[:len(prefix) + 200].decode("utf-8", "replace"))
    texts = set()
    for line in data[len(prefix):].decode("utf-8", "replace").splitlines():
        if line.strip():
            ev = lib.parse_json(line, "a line of " + path)
            texts.add((ev.get("text"), round(ev.get("ts"), 3)))
    missing = [e["text"] for e in events if (e["text"], round(e["ts"], 3)) not in texts]
    lib.check(not missing, "%s: %d events printed but not in the file: %s" % (what, len(missing), missing[:5]),
              data.decode("utf-8", "replace")[-3000:])


def state_dir(name):
    d = tempfile.mkdtemp(prefix="isitdown-state-%s-" % name)
    return d


def writes_despite_mode(d):
    """True when chmod 500 does not stop this process from creating files (root)."""
    probe = os.path.join(d, ".probe")
    try:
        with open(probe, "w"):
            pass
    except OSError:
        return False
    os.unlink(probe)
    return True


def try_mount(args):
    try:
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0


def umount(path):
    try:
        subprocess.run(["umount", "-l", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        pass


# ---------------------------------------------------------------- unwritable

def test_state_dir_too_long():
    """A --state-dir too long for a file name under it is refused with a clear
    message and exit 3, rather than cut short and used (which wrote the log
    somewhere the user never named)."""
    fx = lib.shared_fixture()
    d = state_dir("long")
    try:
        long_dir = os.path.join(d, *(["nested-directory"] * 300))  # about 5100 bytes
        rc, out, err = lib.run_isitdown(["--once", "--json", "--state-dir", long_dir],
                                        {"targets": [{"name": "web", "kind": "http", "url": fx.http_url("/ok")}]})
        lib.check_eq(rc, 3, "exit status for a --state-dir too long (stderr: %r)" % err)
        lib.check_eq(out, "", "stdout")
        lib.check_eq(err.splitlines(), ["isitdown: --state-dir is too long (%d bytes, at most %d)"
                                        % (len(long_dir), os.pathconf("/", "PC_PATH_MAX") - 64)],
                     "stderr")
        lib.check_eq(os.listdir(d), [], "nothing created under a shortened path")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_parent_is_a_file():
    """--state-dir under a regular file: mkdir and open fail for root too."""
    fx = lib.shared_fixture()
    d = state_dir("file")
    try:
        blocker = os.path.join(d, "not-a-dir")
        with open(blocker, "w") as f:
            f.write("a file, not a directory\n")
        path = os.path.join(blocker, "state", "events.jsonl")
        with run_monitor(fx, os.path.join(blocker, "state"), "pf") as m:
            w = m.wait_text("cannot write event log", "warning")
            lib.check_in(path, w["text"], "the warning names the file")
            lib.check_in("not a directory", w["text"], "the warning says why")
            m.keeps_probing()
            m.wait(is_fall_event,
                   "state changes, still reported")
            m.stop()
            warnings = [e for e in m.events if "cannot write event log" in e["text"]]
            lib.check(len(warnings) == 1, "the write warning is said once, not per event: %d times"
                      % len(warnings), m.output())
        lib.check_eq(read(blocker), b"a file, not a directory\n", "the file in the way")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_unwritable_dir_keeps_earlier_lines():
    """A state directory and log file that cannot be written (chmod, or a
    read-only bind mount for root): the earlier lines stay as they were."""
    fx = lib.shared_fixture()
    d = state_dir("ro")
    sd = os.path.join(d, "state")
    os.mkdir(sd, 0o700)
    prefix = earlier_lines("ro")
    log = os.path.join(sd, "events.jsonl")
    with open(log, "w") as f:
        f.write(prefix)
    mounted = False
    try:
        os.chmod(log, 0o400)
        os.chmod(sd, 0o500)
        if writes_despite_mode(sd) or os.access(log, os.W_OK):
            os.chmod(sd, 0o700)
            os.chmod(log, 0o600)
            mounted = (try_mount(["mount", "--bind", sd, sd]) and
                       try_mount(["mount", "-o", "remount,bind,ro", sd, sd]))
            if not mounted:
                umount(sd)
                raise lib.Skip("running as root and cannot make a read-only bind mount")
        with run_monitor(fx, sd, "ro") as m:
            w = m.wait_text("cannot write event log", "warning")
            lib.check(("permission denied" in w["text"]) or ("read-only file system" in w["text"]),
                      "the warning does not say why: %r" % w["text"])
            lib.check_in(log, w["text"], "the warning names the file")
            m.keeps_probing()
            m.stop()
        lib.check_eq(read(log).decode(), prefix, "the log file")
    finally:
        if mounted:
            umount(sd)
        os.chmod(sd, 0o700)
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- disk full

def test_dev_full():
    """events.jsonl a symlink to /dev/full: every write fails with ENOSPC, and
    loading it must not read /dev/full's endless zeros."""
    if not os.path.exists("/dev/full"):
        raise lib.Skip("no /dev/full")
    fx = lib.shared_fixture()
    d = state_dir("devfull")
    try:
        os.symlink("/dev/full", os.path.join(d, "events.jsonl"))
        with run_monitor(fx, d, "df") as m:
            w = m.wait_text("cannot write event log", "warning", timeout=15)
            lib.check_in("no space left on device", w["text"], "the warning says why")
            m.keeps_probing()
            with open("/proc/%d/status" % m.proc.pid) as f:
                rss = [int(l.split()[1]) for l in f if l.startswith("VmRSS:")][0]
            lib.check(rss < 200 * 1024, "RSS %d KiB: the monitor is eating memory" % rss)
            m.stop()
        lib.check(os.path.islink(os.path.join(d, "events.jsonl")), "the symlink was replaced")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_log_is_a_full_fifo():
    """events.jsonl a FIFO whose buffer is full (nobody reads it): a write
    must fail with a warning, not block the writer for good, so that SIGTERM
    still stops the monitor (its last flush would wait for ever)."""
    fx = lib.shared_fixture()
    d = state_dir("fifo")
    fd = -1
    try:
        fifo = os.path.join(d, "events.jsonl")
        os.mkfifo(fifo, 0o600)
        # Held open for reading and writing, so the pipe exists and stays full.
        fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        try:
            while os.write(fd, b"x" * 4096) > 0:
                pass
        except BlockingIOError:
            pass
        with run_monitor(fx, d, "fifo") as m:
            m.wait_text("cannot write event log", "warning")
            m.keeps_probing()
            m.stop()
    finally:
        if fd >= 0:
            os.close(fd)
        shutil.rmtree(d, ignore_errors=True)


def test_disk_full_tmpfs():
    """A real full file system (a 256 KiB tmpfs, when mounting is allowed):
    a warning, probing goes on, and once space is freed every event printed
    meanwhile reaches the file after the earlier lines."""
    fx = lib.shared_fixture()
    d = state_dir("tmpfs")
    mnt = os.path.join(d, "mnt")
    os.mkdir(mnt)
    if not try_mount(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mnt]):
        shutil.rmtree(d, ignore_errors=True)
        raise lib.Skip("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)")
    try:
        sd = os.path.join(mnt, "state")
        os.mkdir(sd)
        log = os.path.join(sd, "events.jsonl")
        # Padded with blank lines (the loader ignores them) to whole pages, so
        # the file's last page has no room left either.
        prefix = earlier_lines("full")
        prefix += "\n" * (-len(prefix) % 4096)
        with open(log, "w") as f:
            f.write(prefix)
        filler = os.path.join(mnt, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 4096) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        with run_monitor(fx, sd, "tf") as m:
            w = m.wait_text("cannot write event log", "warning")
            lib.check_in("no space left on device", w["text"], "the warning says why")
            m.keeps_probing()
            m.wait(is_fall_event,
                   "a state change while the disk is full")
            os.unlink(filler)
            m.wait_text("is writable again", "notice")
            m.keeps_probing(rounds=3)
            m.stop()
            check_file_events(log, prefix, m.events, "after the disk was full")
    finally:
        umount(mnt)
        shutil.rmtree(d, ignore_errors=True)


def test_file_size_limit():
    """RLIMIT_FSIZE a little above the log's size (binds root too): EFBIG is
    a warning, not death by SIGXFSZ, and the earlier lines are intact."""
    fx = lib.shared_fixture()
    d = state_dir("fsize")
    try:
        log = os.path.join(d, "events.jsonl")
        prefix = earlier_lines("fsize")
        with open(log, "w") as f:
            f.write(prefix)
        limit = len(prefix) + 300

        def limit_fsize():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        with run_monitor(fx, d, "fs", preexec_fn=limit_fsize) as m:
            w = m.wait_text("cannot write event log", "warning")
            lib.check_in("file too large", w["text"], "the warning says why")
            m.keeps_probing()
            m.wait(is_fall_event,
                   "a state change past the limit")
            m.stop()
        data = read(log)
        lib.check(data.startswith(prefix.encode()), "the earlier lines were changed",
                  data[:len(prefix) + 300])
        lib.check(len(data) <= limit, "the file grew past the limit: %d bytes" % len(data))
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- deleted

def test_log_deleted_while_running():
    fx = lib.shared_fixture()
    d = state_dir("deleted")
    try:
        log = os.path.join(d, "events.jsonl")
        with run_monitor(fx, d, "del") as m:
            m.wait_text("monitoring State")
            end = time.monotonic() + 10
            while not (os.path.exists(log) and os.path.getsize(log) > 0) and time.monotonic() < end:
                time.sleep(0.05)
            lib.check(os.path.exists(log), "no event log written", m.output())
            os.unlink(log)
            m.wait_text("was deleted or moved while running", "notice")
            m.keeps_probing()
            n = len(m.events)
            m.wait(lambda e: m.events.index(e) >= n and is_fall_event(e),
                   "an event after the notice")
            # The whole directory this time.
            shutil.rmtree(d)
            gone = time.time()
            n = len(m.events)
            m.wait(lambda e: m.events.index(e) >= n and "was deleted or moved" in e["text"],
                   "a second notice after the directory went")
            m.keeps_probing()
            m.stop()
            text = read(log).decode()
            lib.check_in("was deleted or moved while running", text, "the recreated log")
            # Events added once the directory had gone: a line in flight at
            # that moment went to the old file, with it.
            after = [e for e in m.events if e["ts"] > gone + 0.002]
            lib.check(after, "no event after the directory went", m.output())
            check_file_events(log, "", after, "the recreated log")
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- damaged

DAMAGED = [
    "this is not json\n",
    "\x00\x01\x02\x1b[31mbinary junk\xff\n",
    '{"foo": 1}\n',
    "[1, 2, 3]\n",
    '{"time":"2026-01-01T00:00:00Z","ts":1767225600,"severity":"nonsense","source":"probe","text":"x"}\n',
]
TORN = '{"time":"2026-01-01T01:00:00Z","ts":1767229200,"severity":"info","sou'


def damaged_log(tag):
    good = earlier_lines(tag)
    lines = good.splitlines(True)
    return "".join(lines[:10]) + DAMAGED[0] + DAMAGED[1] + "".join(lines[10:15]) + \
        "".join(DAMAGED[2:]) + "".join(lines[15:]) + "\n" + TORN


def test_damaged_log_before_start():
    """Garbage lines and a torn last line: a notice with the count, the valid
    lines untouched, and new lines that start on a line of their own (a second
    run finds the same damage, no more)."""
    fx = lib.shared_fixture()
    d = state_dir("damaged")
    try:
        log = os.path.join(d, "events.jsonl")
        before = damaged_log("dmg")
        with open(log, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(before)
        raw_before = read(log)
        n_damaged = len(DAMAGED) + 1
        for run in (1, 2):
            with run_monitor(fx, d, "dmg%d" % run) as m:
                notice = m.wait_text("damaged line")
                lib.check_in("skipped %d damaged lines in %s" % (n_damaged, log), notice["text"],
                             "run %d: the notice" % run)
                m.keeps_probing()
                m.wait(is_fall_event, "an event of run %d" % run)
                m.stop()
            data = read(log)
            lib.check(data.startswith(raw_before), "run %d: the earlier content was changed" % run)
            # The torn line is closed with a newline, and everything after it
            # is whole events.
            rest = data[len(raw_before):].decode()
            lib.check(rest.startswith("\n"), "run %d: the torn line was not ended first: %r" % (run, rest[:80]))
            for line in rest.splitlines():
                if line.strip():
                    ev = lib.parse_json(line, "a line written in run %d" % run)
                    lib.check("text" in ev and "ts" in ev, "not an event: %r" % line)
            if run == 1:
                check_file_events(log, raw_before, m.events, "run 1")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_damaged_log_events_are_loaded_on_screen():
    """The valid lines around the damage are loaded: the full-screen monitor's
    log panel shows them."""
    try:
        import harness
    except ImportError as e:
        raise lib.Skip("no e2e harness: %s" % e)
    if not shutil.which("tmux"):
        raise lib.Skip("tmux is not installed")
    d = state_dir("screen")
    scr = None
    try:
        with open(os.path.join(d, "events.jsonl"), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(damaged_log("scr"))
        # The runner passes --state-dir first; ours, later, wins.
        try:
            scr = harness.Screen("state", cols=120, rows=50, args=["--state-dir", d])
            scr.wait_text("scr earlier event 19", timeout=20)
            scr.wait_text("damaged lines", timeout=10)
        except harness.Failure as e:
            raise AssertionError(str(e))
    finally:
        if scr:
            scr.close()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    lib.main()
