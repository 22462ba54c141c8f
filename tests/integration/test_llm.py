"""Model probes (kind llm) against the fixture's streaming model APIs, over
HTTPS with the test CA: time to first token and tokens per second as the
fixture paced them, each outcome, a target without its key skipped (never
probed, never down), the key in no output, and a stream larger than the cap
stopped cleanly."""

import os
import shutil
import tempfile
import time

import lib
import metrics_util as mu

KEY = "sk-test-good-LLMSECRET-5f3a9c77d1"
PIECES = (KEY, "LLMSECRET", "5f3a9c77d1")
PATHS = {"openai-chat": "/v1/chat/completions", "openai-responses": "/v1/responses",
         "anthropic-messages": "/v1/messages"}
ENV = {"ISITDOWN_LLM_TEST_KEY": KEY}


def fx():
    return lib.shared_fixture(https=True)


def target(f, name, api="openai-chat", query="", model="gpt-4o-mini", **extra):
    t = {"name": name, "kind": "llm", "api": api, "url": f.url(PATHS[api] + query, "https"),
         "model": model, "component": "API",
         "headers": ({"x-api-key": "${ISITDOWN_LLM_TEST_KEY}"} if api == "anthropic-messages" else
                     {"Authorization": "Bearer ${ISITDOWN_LLM_TEST_KEY}"})}
    t.update(extra)
    return t


def once_json(f, targets, env=ENV, timeout=60):
    cfg = {"service": "Models", "ca_file": f.ca_file, "targets": targets}
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, env=env, timeout=timeout)
    doc = lib.parse_json(out, "stdout")
    return rc, doc, {t["name"]: t for t in doc["targets"]}, out + err


def check_clean(text, what):
    for p in PIECES:
        lib.check_not_in(p, text, what)


def test_first_token_and_rate_in_each_api():
    f = fx()
    for api in PATHS:
        # 8 tokens (max_tokens' default) at 20 per second, the first after 300 ms
        rc, doc, ts, text = once_json(f, [target(f, "m", api, "?delay_ms=300&rate=20&tokens=50")])
        t = ts["m"]
        lib.check_eq(t["outcome"], "ok", api + " outcome")
        tm = t["timings_ms"]
        first = tm["first_token"]
        # the fixture waits after sending the head: the first token comes that
        # long after the head did
        head = sum(tm[k] or 0 for k in ("dns", "connect", "tls", "ttfb"))
        lib.check(300 <= first and abs(first - head - 300) <= 20,
                  "%s: first token at %.1f ms, head at %.1f ms, fixture delay 300 ms" % (api, first, head), tm)
        llm = t["llm"]
        lib.check_eq(llm["tokens_out"], 8, api + " tokens out")
        lib.check(18 <= llm["tokens_per_s"] <= 22, "%s: %.1f tokens/s, fixture 20/s" % (api, llm["tokens_per_s"]))
        lib.check_eq(llm["model"], "gpt-4o-mini", api + " model")
        lib.check_in(llm["finish_reason"], ("length", "max_output_tokens", "max_tokens"), api + " finish at max_tokens")
        lib.check(tm["total"] >= first + 300, api + ": the total covers the whole answer", tm)
        req = f.last_request(PATHS[api])
        lib.check_eq(req["method"], "POST", "method")
        lib.check_in('"stream":true', req["body"].replace(" ", ""), "a streaming request")
        if api == "anthropic-messages":
            lib.check_in("anthropic-version", req["headers"], "anthropic-version sent")
        check_clean(text, api + " output")


def test_served_model_and_usage_counted_by_the_api():
    f = fx()
    rc, doc, ts, _ = once_json(f, [target(f, "m", "openai-chat", "?rate=0&tokens=3&served_model=gpt-4o-mini-2024-07-18",
                                          max_tokens=3)])
    lib.check_eq(ts["m"]["llm"]["model"], "gpt-4o-mini-2024-07-18", "the model the API says answered")
    lib.check_eq(ts["m"]["llm"]["tokens_out"], 3, "tokens")


def test_outcomes():
    f = fx()
    targets = [
        target(f, "nf-chat", "openai-chat", model="unknown-model"),
        target(f, "nf-resp", "openai-responses", model="missing-model"),
        target(f, "nf-anth", "anthropic-messages", model="unknown-model"),
        target(f, "limited", "openai-chat", "?status=429&retry_after=30"),
        target(f, "broken", "anthropic-messages", "?status=500"),
        target(f, "mid-error", "openai-responses", "?rate=0&tokens=5&error_after=2"),
        target(f, "mid-error-chat", "openai-chat", "?rate=0&tokens=5&error_after=1"),
        target(f, "stalled", "anthropic-messages", "?rate=0&tokens=5&stall_after=2", stall_s=1),
        target(f, "slow", "openai-chat", "?delay_ms=400", slow_ms=150),
    ]
    t0 = time.monotonic()
    rc, doc, ts, text = once_json(f, targets)
    want = {"nf-chat": "model_not_found", "nf-resp": "model_not_found", "nf-anth": "model_not_found",
            "limited": "rate_limited", "broken": "http_5xx", "mid-error": "model_error",
            "mid-error-chat": "model_error", "stalled": "stream_stalled", "slow": "slow"}
    for name, outcome in want.items():
        lib.check_eq(ts[name]["outcome"], outcome, name)
    lib.check_in("unknown-model", ts["nf-chat"]["error"], "the model named")
    lib.check_in("does not exist", ts["nf-chat"]["error"], "the API's message")
    lib.check_in("retry after 30", ts["limited"]["error"], "retry-after")
    lib.check_in("The server had an error", ts["mid-error"]["error"], "the stream's error message")
    lib.check_in("stalled", ts["stalled"]["error"], "stalled")
    lib.check_eq(ts["stalled"]["llm"]["tokens_out"], 2, "tokens before the stall")
    lib.check(ts["slow"]["ok"], "a slow answer is an answer")
    lib.check_eq(ts["slow"]["state"], "degraded", "a slow first token: degraded, not down")
    # the stall ends the probe after stall_s, not at the timeout (30 s)
    lib.check(time.monotonic() - t0 < 15, "stall_s ended the stalled stream")
    for name in ("nf-chat", "nf-resp", "nf-anth"):
        lib.check(ts[name]["state"] != "down", name + ": an unknown model is no outage")
    check_clean(text, "outcomes output")
    lib.check_eq(f.stats()["internal_errors"], 0, "fixture errors")


def test_unknown_model_is_not_an_outage():
    f = fx()
    rc, doc, ts, _ = once_json(f, [target(f, "nf", "openai-chat", model="unknown-model"),
                                   {"name": "api", "url": f.url("/ok", "https"), "component": "API"}])
    lib.check_eq(ts["nf"]["outcome"], "model_not_found", "outcome")
    lib.check_not_in(doc["verdict"]["state"], ("partial_outage", "major_outage"), "verdict")
    lib.check_eq(rc, 3, "exit code: the config's to fix, as a bad configuration")


def test_model_fails_while_the_api_answers():
    f = fx()
    rc, doc, ts, text = once_json(f, [{"name": "models", "url": f.url("/ok", "https"), "component": "API"},
                                      target(f, "gpt-4o-mini", "openai-chat", "?rate=0&error_after=1")])
    v = doc["verdict"]
    lib.check_eq(v["state"], "partial_outage", "verdict")
    lib.check_in("the API answers, but gpt-4o-mini fails: error in the stream: The server had an error",
                 v["summary"], "summary")
    lib.check_eq(rc, 2, "exit code")


def test_auth_rejected_with_a_wrong_key():
    f = fx()
    wrong = "sk-test-WRONG-LLMSECRET-5f3a9c77d1"
    rc, doc, ts, text = once_json(f, [target(f, "m", "anthropic-messages"), target(f, "o", "openai-chat")],
                                  env={"ISITDOWN_LLM_TEST_KEY": wrong})
    lib.check_eq(ts["m"]["outcome"], "auth_rejected", "outcome")
    lib.check_eq(ts["o"]["outcome"], "auth_rejected", "outcome")
    check_clean(text, "output")
    # OpenAI quotes the key it refused, masked: its last four characters stay
    # out of our output too
    lib.check_not_in("77d1", ts["o"]["error"], "the API's words about the key")


def test_no_key_is_skipped_not_down():
    f = fx()
    f.reset()
    targets = [target(f, "m", "openai-chat"),
               target(f, "plain", "anthropic-messages"),
               {"name": "api", "url": f.url("/ok", "https"), "component": "API"}]
    targets[1]["url"] = f.url(PATHS["anthropic-messages"])  # plain http: the key never goes there
    cfg = {"service": "Models", "ca_file": f.ca_file, "targets": targets}
    rc, out, err = lib.run_isitdown(["--once", "--json"], cfg, env={"ISITDOWN_LLM_TEST_KEY": None}, timeout=60)
    doc = lib.parse_json(out, "stdout")
    ts = {t["name"]: t for t in doc["targets"]}
    lib.check_eq(ts["m"]["state"], "skipped", "state")
    lib.check_eq(ts["m"]["skipped"], "needs ISITDOWN_LLM_TEST_KEY", "why")
    lib.check_eq(ts["m"]["outcome"], "none", "no probe")
    lib.check_eq(ts["m"]["probes"], 0, "no probe")
    lib.check_eq(doc["verdict"]["state"], "operational", "verdict")
    lib.check_eq(rc, 0, "exit code")
    # with the key set, the plain http one is still skipped: the key goes over https only
    rc, out, err = lib.run_isitdown(["--once"], cfg, env=ENV, timeout=60)
    lib.check_in("skipped: needs https", out, "text output")
    lib.check_eq(f.count(PATHS["openai-chat"]), 1, "probed once with its key")
    lib.check_eq(f.count(PATHS["anthropic-messages"]), 0, "never probed")
    check_clean(out + err, "text output")


def test_key_never_in_any_output():
    f = fx()
    cfg = {"service": "Models", "ca_file": f.ca_file,
           "targets": [target(f, "m", "openai-chat", "?rate=0"),
                       target(f, "e", "openai-chat", "?rate=0&error_after=1")]}
    d = tempfile.mkdtemp(prefix="isitdown-llm-")
    try:
        report = os.path.join(d, "report.md")
        for args in (["--once"], ["--once", "--json"], ["--print-config"], ["--once", "--report", report]):
            rc, out, err = lib.run_isitdown(args, cfg, env=ENV, timeout=60)
            check_clean(out + err, " ".join(args))
        with open(report) as fp:
            text = fp.read()
        check_clean(text, "report")
        lib.check_in("- model answer: first token ", text, "the report tells the model's answer")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    hs = f.last_headers(PATHS["openai-chat"])
    lib.check_eq(hs.get("authorization"), "Bearer " + KEY, "the key went to the API, over https")
    lib.check_eq(f.last_request(PATHS["openai-chat"])["scheme"], "https", "scheme")


def test_metrics():
    f = fx()
    cfg = {"service": "Models", "ca_file": f.ca_file,
           "targets": [target(f, "m", "openai-chat", "?delay_ms=100&rate=50&tokens=8")]}
    with mu.headless(cfg, env=ENV) as h:
        def ready():
            s = mu.parse(mu.scrape(h))
            return (mu.value(s, "isitdown_llm_tokens_per_second", target="m") is not None) and s
        s = mu.wait_until(ready, 30, "a model probe's metrics")
        text = mu.scrape(h)
        mu.promtool_check(text)
        first = mu.value(s, "isitdown_llm_first_token_seconds", target="m")
        lib.check(0.1 <= first < 0.3, "first token %.3f s" % first)
        rate = mu.value(s, "isitdown_llm_tokens_per_second", target="m")
        lib.check(45 <= rate <= 55, "rate %.1f/s" % rate)
        check_clean(text, "metrics")


def test_body_larger_than_the_cap_stops_cleanly():
    f = fx()
    t0 = time.monotonic()
    rc, doc, ts, text = once_json(f, [target(f, "big", "openai-chat", "?rate=0&tokens=100000&pad=2000",
                                             max_tokens=4096, body_cap=65536)])
    t = ts["big"]
    lib.check_eq(t["outcome"], "recv_fail", "outcome")
    lib.check_in("65536 byte cap", t["error"], "error")
    lib.check(time.monotonic() - t0 < 20, "stopped at the cap, not at the end of 200 MB")
    lib.check_eq(f.stats()["internal_errors"], 0, "fixture errors")


if __name__ == "__main__":
    lib.main()
