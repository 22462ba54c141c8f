"""Left in a tmux pane, it tells you: the pane title follows the verdict
("isitdown: Loop operational", "isitdown: Loop MAJOR OUTAGE") and is given
back on exit; the bell rings on the change to the outage and back (read from
tmux pipe-pane); with --notify an OSC 777 notification is written (inside
tmux's passthrough wrapper), without it none; with "bell": false no bell."""

import os
import shutil
import stat
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, check_restored  # noqa: E402

BEFORE = "title-before-isitdown"


def title(scr):
    return scr.tmux("display-message", "-p", "-t", scr.session, "#{pane_title}").strip()


def wait_title(scr, want, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if title(scr) == want:
            return
        time.sleep(0.1)
    raise harness.Failure("pane title %r, expected %r" % (title(scr), want))


def raw(path):
    with open(path, "rb") as f:
        return f.read()


def bells(data):
    # OSC and DCS end with ST (ESC \) here, so every BEL is the bell
    return data.count(b"\a")


def wrapper(dirname):
    """Sets a title of its own first, as a shell prompt would, then runs the
    real binary: what isitdown must give back on exit."""
    path = os.path.join(dirname, "isitdown-wrapped")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nprintf '\\033]2;%s\\033\\\\'\nexec \"%s\" \"$@\"\n"
                % (BEFORE, os.path.abspath(os.environ["ISITDOWN"])))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def outage_and_back(scr, log):
    wait_title(scr, "isitdown: Loop operational")
    scr.service.state["web"] = scr.service.state["api"] = 503
    wait_title(scr, "isitdown: Loop MAJOR OUTAGE")
    scr.service.state["web"] = scr.service.state["api"] = 200
    wait_title(scr, "isitdown: Loop operational")
    time.sleep(0.5)
    return raw(log)


def main():
    started = time.time()
    try:
        # --notify with the bell on (the default), then neither
        for notify, bell in ((True, True), (False, False)):
            scr = None
            probe_dir = None
            try:
                probe_dir = tempfile.mkdtemp(prefix="isitdown-alerts-")
                scr = harness.Screen("alerts", cols=100, rows=30, args=("--notify",) if notify else (),
                                     config_extra=None if bell else {"bell": False},
                                     env={"ISITDOWN": wrapper(probe_dir)})
                log = os.path.join(scr.dir, "pane.raw")
                scr.tmux("pipe-pane", "-t", scr.session, "-o", "cat >> %s" % harness.shell_quote(log))
                data = outage_and_back(scr, log)
                if bell:
                    check(bells(data) >= 2, "the bell rings on the outage and on the recovery (%d BEL)"
                          % bells(data), scr)
                else:
                    check(bells(data) == 0, "\"bell\": false, yet %d BEL" % bells(data), scr)
                if notify:
                    check(b"\x1bPtmux;\x1b\x1b]777;notify;isitdown: Loop MAJOR OUTAGE;" in data,
                          "an OSC 777 notification of the outage inside tmux's passthrough", scr)
                    check(b"777;notify;isitdown: Loop operational;" in data,
                          "a notification of the recovery", scr)
                else:
                    check(b"777;notify" not in data, "a notification without --notify", scr)
                scr.send("q")
                check_restored(scr)
                wait_title(scr, BEFORE, timeout=5)
            finally:
                if scr:
                    scr.close()
                if probe_dir:
                    shutil.rmtree(probe_dir, ignore_errors=True)
    except harness.Failure as e:
        print("FAIL alerts: %s" % e)
        sys.exit(1)
    print("PASS alerts (%.1f s)" % (time.time() - started))
    sys.exit(0)


if __name__ == "__main__":
    main()
