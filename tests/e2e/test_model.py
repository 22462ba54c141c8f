"""A model probe on screen at 160x40, against the loopback fixture's streaming
model API over HTTPS: its row says the tokens and their rate, its latency row
draws the time to first token as its series (its last value the first token,
not the whole answer), the phase chart is titled by it with the last answer's
rate, the details view gives model, finish reason and timings, and a model
target without its key reads SKIPPED with the variable it needs."""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import lib  # noqa: E402
from harness import check, check_restored, run  # noqa: E402

KEY = "sk-test-good-E2E-9c1d77"
FX = lib.shared_fixture(https=True)
SPARK = re.compile("[\u2581-\u2588]")


def llm_targets():
    return [
        {"name": "gpt-4o-mini", "kind": "llm", "api": "openai-chat", "component": "API",
         "url": FX.url("/v1/chat/completions?delay_ms=150&rate=40&tokens=8", "https"),
         "model": "gpt-4o-mini", "interval_s": 60,
         "headers": {"Authorization": "Bearer ${E2E_LLM_KEY}"}},
        {"name": "claude", "kind": "llm", "api": "anthropic-messages", "component": "API",
         "url": FX.url("/v1/messages", "https"), "model": "claude-haiku-4-5",
         "headers": {"x-api-key": "${E2E_NO_SUCH_KEY}"}},
    ]


def row(text, prefix):
    for line in text.split("\n"):
        inner = re.split("[\u2551\u2502|]", line.lstrip("\u2551\u2502|"), maxsplit=1)[0]
        if inner.startswith(prefix):
            return inner
    return ""


def body(scr):
    t = scr.wait(lambda t: "tokens at" in row(t, "  gpt-4o-mini") and "SKIPPED" in row(t, "  claude"),
                 "the model's answer and the skipped target", timeout=20)
    r = row(t, "  gpt-4o-mini")
    check("\u2714 UP" in r and re.search(r"8 tokens at (39|40|41)/s", r), "model row: %r" % r, scr)
    first = re.search(r"UP +(\d+)ms", r)
    check(first and 150 <= int(first.group(1)) < 300, "the last latency is the first token: %r" % r, scr)
    c = row(t, "  claude")
    check("- SKIPPED" in c and "needs" in c, "skipped row: %r" % c, scr)

    # the latency panel: the first token as the series, and as the last value
    t = scr.wait(lambda t: any(l.startswith("\u2502gpt-4o-mini ") or l.startswith("gpt-4o-mini ")
                               for l in t.split("\n")), "the model's latency row")
    lat = next(l for l in t.split("\n") if re.match(r"[\u2502\u2551]?gpt-4o-mini ", l))
    check(SPARK.search(lat) and re.search(r"[12]\d\dms", lat), "latency row: %r" % lat, scr)
    scr.send("Tab")
    scr.wait_text("[ Latency:")
    for _ in range(8):
        if "[ Latency: gpt-4o-mini ]" in scr.text():
            break
        scr.send("j")
        time.sleep(0.2)
    t = scr.wait(lambda t: "gpt-4o-mini: time to first token by phase; last answer 8 tokens at" in t,
                 "the phase chart titled by the first token and the rate")
    legend = next((line for line in t.splitlines() if " DNS " in line and " connect " in line), "")
    check(re.search(r" head [\d.]+ms +\S+ first token [12]\d\dms", legend) and "transfer" not in legend,
          "the legend's phases are the head and the wait for the first token: %r" % legend, scr)
    scr.send("Enter")
    t = scr.wait(lambda t: "answered by gpt-4o-mini, finish reason length" in t, "the details view")
    check(re.search(r"first token +[12]\d\dms", t), "details lack the first token", scr)
    check("8 tokens, " in t and "per second after the first" in t, "details lack the rate", scr)
    check(KEY not in t, "the key on screen", scr)
    scr.send("Escape")
    scr.send("q")
    check_restored(scr)


run("model", body, cols=160, rows=40, targets=llm_targets(), config_extra={"ca_file": FX.ca_file},
    env={"E2E_LLM_KEY": KEY})
