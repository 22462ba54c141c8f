"""Words stay whole on the screen. With a long service name, a service that
answers 503, a TLS port that never answers and a refused port (causes of
every length), at 120x40 and at 80x24 every checklist step title is shown
whole, and no word of the checklist or the log is cut inside: a text that
does not fit ends with "…" after a whole word. The words are checked against
the texts the monitor itself wrote: the checklist of --once --json against
the same service, and the event log of the running monitor."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, check_restored, run  # noqa: E402

SERVICE = "Loop Enterprise EU tenant (Frankfurt region, production)"
ELLIPSIS = "\u2026"
CHROME = {"INFO", "NOTE", "WARN", "CRIT", "+", "-", "!", "\u2714", "\u2716", "\u2193", "\u2191", "new",
          "pass", "FAIL", "warn", "skip", "pending", "monitor", "probe", "verdict", "official"}


class Tarpit:
    """Accepts TCP connections and never says a word: a TLS handshake there
    stalls until the probe's timeout."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)


def refused_port():
    """Bound, never listening: a connection there is refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    refused_port.held.append(s)
    return s.getsockname()[1]


refused_port.held = []


def norm(word):
    """Digits vary from one round to the next; trailing punctuation is what a
    cut leaves out before the ellipsis."""
    return re.sub(r"\d", "0", word).rstrip(",;:(")


def known(word, vocab):
    """A whole word of the texts; a number is taken as whole (its digits
    change from one round to the next, so it cannot be told apart)."""
    return word in vocab or word in CHROME or re.fullmatch(r"[\d.,:%/+-]+", word) is not None


def vocabulary(texts):
    words = set()
    for t in texts:
        for w in t.split():
            words.add(norm(w))
    return words


def panel_rows(t, name):
    """The content rows of panel `name`: inside its box (wide layout) or under
    its title rule (stacked layout)."""
    lines = t.split("\n")
    for i, line in enumerate(lines):
        m = re.search("[\u250c\u2554][\u2500\u2550]\\[? " + name, line)
        if m:
            x0 = m.start()
            x1 = next(k for k in range(x0 + 1, len(line)) if line[k] in "\u2510\u2557")
            rows = []
            for l in lines[i + 1:]:
                if len(l) <= x0 or l[x0] in "\u2514\u255a":
                    break
                rows.append(l[x0 + 1:x1])
            return rows
        if re.match("^[\u2500\u2550]\\[? " + name, line):
            rows = []
            for l in lines[i + 1:]:
                if re.match("^[\u2500\u2550][\\[ ]", l) or l.startswith(" ? help") or l.startswith(" Esc"):
                    break
                rows.append(l)
            return rows
    return []


def check_words(scr, rows, vocab, what, width):
    """No word cut inside: a word before an ellipsis is a whole word of the
    texts, and so is the last word of a row that runs to the panel's edge."""
    for row in rows:
        tokens = row.split()
        for tok in tokens:
            if tok.endswith(ELLIPSIS):
                word = norm(tok[:-len(ELLIPSIS)])
                check(word == "" or known(word, vocab),
                      "%s: %r is cut inside a word (row %r)" % (what, tok, row), scr)
            check(ELLIPSIS not in tok[:-1], "%s: an ellipsis inside %r (row %r)" % (what, tok, row), scr)
        if tokens and len(row) >= width and row[width - 1] != " ":
            last = tokens[-1]
            check(last.endswith(ELLIPSIS) or known(norm(last), vocab),
                  "%s: the row runs into the edge with %r, not a whole word (row %r)" % (what, last, row), scr)


def once_checklist(scr):
    """The checklist of --once --json against the same service and config."""
    state = os.path.join(scr.dir, "once-state")
    env = dict(os.environ, HOME=scr.dir, XDG_STATE_HOME=os.path.join(scr.dir, "xdg"),
               XDG_CONFIG_HOME=os.path.join(scr.dir, "xdgconfig"), E2E_SECRET="x", LC_ALL="C.UTF-8")
    p = subprocess.run([scr.binary, "--config", os.path.join(scr.dir, "cfg.json"), "--state-dir", state,
                        "--once", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=env, timeout=60)
    doc = json.loads(p.stdout)
    return doc["checklist"], doc


def event_texts(scr):
    texts = []
    with open(os.path.join(scr.dir, "state", "events.jsonl")) as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def settled_down(scr):
    """Every failing target has been called down, in the event log."""
    try:
        texts = " ".join(event_texts(scr))
    except OSError:
        return False
    return all(re.search(name + r": \S+ -> down", texts) for name in ("api", "secure-login", "billing-db"))


def wait_down(scr):
    end = time.time() + 40
    while time.time() < end and not settled_down(scr):
        time.sleep(0.3)
    check(settled_down(scr), "the failing targets were not called down", scr)


def checklist_seen(scr, steps):
    """The checklist's rows from the first step to the last, scrolling with j
    where the panel is shorter than the list."""
    seen = []
    first, last = steps[0]["title"][:8], steps[-1]["title"][:8]
    scr.send("g")
    t = scr.wait(lambda t: any(first in r for r in panel_rows(t, "Checklist")), "the first step after g")
    for _ in range(len(steps) + 1):
        seen += panel_rows(t, "Checklist")
        scr.send("j")
        time.sleep(0.2)
        t = scr.wait(lambda t: True, "a whole frame")  # the same capture twice: no frame half drawn
    # a loaded machine may draw the last moves late: wait for the last step
    t = scr.wait(lambda t: any(last in r for r in panel_rows(t, "Checklist")), "the last step after j")
    return seen + panel_rows(t, "Checklist")


def check_size(scr, steps, cols, rows):
    if cols >= 120:
        # (at 80x24 six targets leave no room for the phase chart)
        check_phase_lines(scr, cols, rows)
    # focus the checklist: in a stacked layout it then has rows to show
    for _ in range(4):
        if "[ Checklist" in scr.text():
            break
        scr.send("Tab")
        time.sleep(0.3)
    t = scr.wait_text("[ Checklist")
    seen = checklist_seen(scr, steps)
    check(seen, "no checklist rows found at %dx%d" % (cols, rows), scr)
    width = max(len(r) for r in seen)
    for st in steps:
        title = st["title"]
        check(any(re.search(r"(^|\s)" + re.escape(title) + r"(\s|$)", r) for r in seen),
              "%dx%d: the step title %r is not shown whole; the checklist rows were:\n%s"
              % (cols, rows, title, "\n".join(seen)), scr)
    vocab = vocabulary([s["title"] for s in steps] + [s["detail"] for s in steps] + event_texts(scr))
    check_words(scr, seen, vocab, "%dx%d checklist" % (cols, rows), width)

    # the log, focused so that it shows more rows
    for _ in range(4):
        if "[ Log" in scr.text():
            break
        scr.send("Tab")
        time.sleep(0.3)
    t = scr.wait_text("[ Log")
    log = [r for r in panel_rows(t, "Log") if r.strip()]
    check(len(log) >= 3, "%dx%d: the log shows fewer than 3 events" % (cols, rows), scr)
    vocab |= vocabulary(event_texts(scr))
    check_words(scr, log, vocab, "%dx%d log" % (cols, rows), max(len(r) for r in log))
    # the cause of a target going down survives a narrow row
    for name, cause in (("api", "503"), ("secure-login", "timed"), ("billing-db", "connect")):
        row = next((r for r in log if re.search(name + r": (\S+ -> )?down", r)), None)
        if row is not None:
            check(re.search(name + r": (\S+ -> )?down \(", row),
                  "%dx%d: the log lost why %s went down: %r" % (cols, rows, name, row), scr)


def check_latency_labels(scr):
    """The sparklines say what time they span; the bar under the phase chart
    says it is the last answer."""
    t = scr.wait(lambda t: re.search(r"scale 0-\S+ .* failed  last \d+ (s|min)", t),
                 "a time span on the sparklines' scale")
    check(re.search("\u2502 last \u2588", t), "the phase bar has no label", scr)


def check_phase_lines(scr, cols, rows):
    """The phase legend and the statistics under the chart lose whole items
    at their end, never half of one ("█ first byte 0.63m", "5 failed of 26, ")."""
    for _ in range(4):
        if "[ Latency" in scr.text():
            break
        scr.send("Tab")
        time.sleep(0.3)
    t = scr.wait(lambda t: "[ Latency" in t and "latency by phase" in t, "the phase chart")
    lat = [r.strip() for r in panel_rows(t, "Latency")]
    legend = next((r for r in lat if r.startswith("\u2588 DNS")), None)
    stats = next((r for r in lat if r.startswith("min ")), None)
    check(legend and stats, "%dx%d: no phase legend or statistics" % (cols, rows), scr)
    value = r"(-|\d+(\.\d+)?(ms|s))"
    check(re.fullmatch(r"(\u2588 (DNS|connect|TLS|first byte|transfer) %s\s*)+" % value, legend),
          "%dx%d: the phase legend has a cut item: %r" % (cols, rows, legend), scr)
    check(re.fullmatch(r"min %s(  p50 %s)?(  p95 %s)?(  p99 %s)?(  \d+ failed( of \d+ in \d+ (s|min|h)( \d+ (s|min))?)?)?"
                       % (value, value, value, value), stats),
          "%dx%d: the statistics have a cut item: %r" % (cols, rows, stats), scr)


def check_server_clock(scr):
    """The web target's detail gives the server's clock offset, never "-0 s"."""
    for _ in range(4):
        if "[ Status" in scr.text():
            break
        scr.send("Tab")
        time.sleep(0.3)
    scr.wait_text("[ Status")
    scr.send("g", "j", "Enter")
    t = scr.wait_text("server clock:")
    check(re.search(r"server clock: [+-]?\d+ s", t), "no server clock offset in the detail", scr)
    check("-0 s" not in t, "the server clock reads -0 s", scr)
    scr.send("Escape")
    scr.wait_gone("server clock:")


def body(scr):
    wait_down(scr)
    steps, doc = once_checklist(scr)
    check(len(steps) >= 8, "--once --json gave %d checklist steps" % len(steps))
    check_latency_labels(scr)
    check_server_clock(scr)
    check_size(scr, steps, 120, 40)
    scr.resize(80, 24)
    scr.wait(lambda t: t.split("\n")[23].startswith(" ?") or t.split("\n")[23].startswith(" Esc"),
             "the 80x24 layout")
    check_size(scr, steps, 80, 24)
    # the verdict bar keeps the verdict's words: no word cut inside, at 80
    # columns and at 60
    for cols, rows in ((80, 24), (60, 20)):
        scr.resize(cols, rows)
        t = scr.wait(lambda t: len(t.split("\n")) >= rows and t.split("\n")[rows - 1].startswith(" ?"),
                     "the %dx%d layout" % (cols, rows))
        bar = t.split("\n")[0]
        vocab = vocabulary([doc["verdict"].get("summary", ""), doc["verdict"].get("detail", "")] +
                           event_texts(scr) + [SERVICE])
        for tok in bar.split():
            if tok.endswith(ELLIPSIS):
                check(known(norm(tok[:-1]), vocab), "%dx%d: verdict bar cut inside a word: %r" % (cols, rows, bar),
                      scr)
    scr.send("q")
    check_restored(scr)


service = Service()
service.state["api"] = 503
tarpit = Tarpit()
run("words", body, cols=120, rows=40, service=service, config_extra={"service": SERVICE},
    targets=[
        {"name": "secure-login", "kind": "http", "component": "Login",
         "url": "https://127.0.0.1:%d/" % tarpit.port},
        {"name": "billing-db", "kind": "tcp", "host": "127.0.0.1", "port": refused_port(),
         "component": "Billing"},
    ])
