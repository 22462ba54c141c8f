"""Official status pages on loopback: a statuspage target pointed at each
captured payload of tests/data/statuspage/ (see SOURCES.md there); the --json
output must show exactly what the capture says. Also incident.io's own JSON,
pages that are not status pages (HTML, broken JSON, an API error), polite
polling with ETag / 304, and changes between two polls becoming events.
"""

import copy
import datetime
import http.client
import json
import os
import time

import lib
from lib import Lines, stop_process as stop  # noqa: E402

SP_DIR = os.path.join(lib.DATA_DIR, "statuspage")
GH_OK = "github-summary-all-operational-2026-08-22.json"
GH_MINOR = "github-summary-minor-degraded-performance-2026-08-13.json"
GH_MAJOR = "github-summary-major-outage-critical-incident-35-updates-2026-08-17.json"
GH_MAINT = "github-summary-maintenance-in-progress-plus-incident-2025-05-30.json"
CLAUDE = "claude-summary-minor-partial-outage-4-components-2026-09-22.json"
OPENAI = "openai-incidentio-v2-summary-operational-no-incidents-key-2026-09-24.json"
DISCORD_SUMMARY = "discord-summary-trimmed-grouped-child-component-2022.json"
DISCORD_INCIDENTS = "discord-incidents-resolved-4-updates-tz-offset-2022-02-15.json"
DISCORD_MAINT = "discord-scheduled-maintenances-completed-unicode-crlf-2015.json"
API_401 = "openai-api-401-no-api-key-body-2023.json"
PERPLEXITY = "perplexity-incidentio-v2-summary-operational-4-components-2026-09-28.json"
CURSOR = "cursor-summary-all-operational-8-components-2026-09-28.json"
GOOGLE = "google-cloud-incidents-157-all-ended-2022-07-03.json"
DEEPSEEK = "deepseek-flashduty-summary-active-8-components-no-active-changes-2026.json"
INSTATUS_SUMMARY = "perplexity-instatus-summary-up-no-active-events-2026.json"
INSTATUS_COMPONENTS = "perplexity-instatus-v2-components-3-operational-2026.json"
OPENROUTER = "openrouter-datadog-config-7-components-4-resolved-incidents-2026-09-11.json"



def without_uptime(components):
    """The components as before uptime was added; a one-shot run covers no
    window, so each one's uptime is all null."""
    for c in components:
        lib.check_eq(c.get("uptime"), {"1h": None, "24h": None, "7d": None}, "uptime of %s" % c.get("name"))
    return [{k: v for k, v in c.items() if k != "uptime"} for c in components]

def capture(name):
    with open(os.path.join(SP_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def read_page(fx, path, service=None, **status_keys):
    """--once --json with one statuspage target at path (and an optional
    service target that answers; other keys of the statuspage target as
    keywords); returns the document."""
    targets = [dict({"name": "status", "kind": "statuspage", "url": fx.http_url(path)}, **status_keys)]
    if service:
        targets.insert(0, {"name": "web", "url": fx.http_url("/ok"), "component": service})
    rc, out, err = lib.run_isitdown(["--once", "--json"], {"service": "Svc", "targets": targets}, timeout=30)
    doc = lib.parse_json(out, "stdout (stderr: %s)" % err.strip())
    lib.check_eq(rc, doc["verdict"]["exit_code"], "exit code")
    return doc


def read_capture(fx, name, service=None, **status_keys):
    doc = read_page(fx, "/file/statuspage/" + name, service, **status_keys)
    lib.check_eq(doc["official"]["error"], None, "official.error for %s" % name)
    return doc["official"]


def iso(t):
    """A capture's timestamp as the output writes it (UTC, whole seconds)."""
    d = datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
    return d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def comp_status(official):
    return {c["name"]: c["status"] for c in official["components"]}


def check_incident(got, want, maintenance=False):
    """An incident of the output against the capture's object."""
    lib.check_eq(got["id"], want["id"], "incident id")
    lib.check_eq(got["name"], want["name"], "incident name")
    lib.check_eq(got["status"], want["status"], "status of %s" % want["name"])
    lib.check_eq(got["impact"], want["impact"], "impact of %s" % want["name"])
    lib.check_eq(got["created_at"], iso(want["created_at"]), "created_at of %s" % want["name"])
    lib.check_eq(got["shortlink"], want["shortlink"], "shortlink of %s" % want["name"])
    lib.check_eq(got["components"], [c["name"] for c in want["components"]], "components of %s" % want["name"])
    if maintenance:
        lib.check_eq(got["scheduled_for"], iso(want["scheduled_for"]), "scheduled_for")
        lib.check_eq(got["scheduled_until"], iso(want["scheduled_until"]), "scheduled_until")
    ups = want["incident_updates"]
    lib.check_eq(len(got["updates"]), len(ups), "updates of %s" % want["name"])
    # newest first, as the page lists them
    for g, w in zip(got["updates"], ups):
        lib.check_eq(g["status"], w["status"], "update status")
        lib.check_eq(g["body"], w["body"], "update body")
        lib.check_eq(g["at"], iso(w["display_at"] or w["created_at"]), "update time")


# ---------------------------------------------------------------- captures

def test_github_all_operational():
    fx = lib.shared_fixture()
    o = read_capture(fx, GH_OK)
    cap = capture(GH_OK)
    lib.check_eq((o["indicator"], o["description"]), ("none", "All Systems Operational"), "status")
    lib.check_eq(o["page"], "GitHub", "page name")
    lib.check_eq(o["updated_at"], iso(cap["page"]["updated_at"]), "updated_at")
    lib.check_eq(o["incidents"], [], "incidents")
    lib.check_eq(o["maintenances"], [], "maintenances")
    want = {c["name"]: c["status"] for c in cap["components"] if not c.get("group")}
    lib.check_eq(comp_status(o), want, "components")
    lib.check_eq(len(o["components"]), 12, "component count")
    lib.check_in("Visit www.githubstatus.com for more information", comp_status(o), "components")
    # a config that only follows the page: its all-clear is the verdict
    doc = read_page(fx, "/file/statuspage/" + GH_OK)
    lib.check_eq((doc["verdict"]["state"], doc["verdict"]["cause"], doc["verdict"]["exit_code"]),
                 ("operational", "ok", 0), "verdict from the page alone")
    lib.check_in("official status page", doc["verdict"]["summary"], "summary")


def test_github_minor_degraded_performance():
    fx = lib.shared_fixture()
    o = read_capture(fx, GH_MINOR)
    cap = capture(GH_MINOR)
    lib.check_eq((o["indicator"], o["description"]), ("minor", "Partially Degraded Service"), "status")
    st = comp_status(o)
    lib.check_eq(st["Copilot AI Model Providers"], "degraded_performance", "Copilot AI Model Providers")
    lib.check_eq([n for n, s in st.items() if s != "operational"], ["Copilot AI Model Providers"], "not operational")
    lib.check_eq(len(o["incidents"]), 1, "open incidents")
    inc = o["incidents"][0]
    lib.check_eq((inc["name"], inc["status"], inc["impact"]),
                 ("Errors with the Fable 5 Model in Copilot", "investigating", "minor"), "incident")
    lib.check_eq(inc["shortlink"], "https://stspg.io/8htrnxk0q09v", "shortlink")
    check_incident(inc, cap["incidents"][0])
    lib.check(inc["updates"][0]["body"].startswith("We are seeing modest recovery"), "newest update first",
              inc["updates"][0])


def test_github_major_outage_35_updates():
    fx = lib.shared_fixture()
    o = read_capture(fx, GH_MAJOR)
    cap = capture(GH_MAJOR)
    lib.check_eq((o["indicator"], o["description"]), ("major", "Partial System Outage"), "status")
    lib.check_eq(comp_status(o)["Copilot"], "major_outage", "Copilot")
    inc = o["incidents"][0]
    lib.check_eq((inc["name"], inc["impact"]), ("Incident with GitHub.com", "critical"), "incident")
    lib.check_eq(len(inc["updates"]), 35, "updates")
    lib.check_eq(inc["components"], ["Git Operations", "Webhooks", "API Requests", "Issues", "Pull Requests",
                                     "Actions", "Pages", "Copilot"], "affected components")
    check_incident(inc, cap["incidents"][0])


def test_github_maintenance_in_progress_and_incident():
    fx = lib.shared_fixture()
    o = read_capture(fx, GH_MAINT)
    cap = capture(GH_MAINT)
    lib.check_eq((o["indicator"], o["description"]), ("maintenance", "Service Under Maintenance"), "status")
    lib.check_eq(comp_status(o)["Codespaces"], "under_maintenance", "Codespaces")
    lib.check_eq([i["name"] for i in o["incidents"]], ["Disruption with some GitHub services"], "incidents")
    inc = o["incidents"][0]
    lib.check_eq((inc["impact"], inc["components"]), ("major", []), "an incident naming no component")
    check_incident(inc, cap["incidents"][0])
    lib.check_eq(len(o["maintenances"]), 1, "maintenances")
    m = o["maintenances"][0]
    lib.check_eq((m["name"], m["status"], m["impact"]),
                 ("Codespaces Scheduled Maintenance", "in_progress", "maintenance"), "maintenance")
    lib.check_eq((m["scheduled_for"], m["scheduled_until"]), ("2025-05-29T21:30:00Z", "2025-05-31T04:30:00Z"),
                 "window")
    check_incident(m, cap["scheduled_maintenances"][0], maintenance=True)


def test_claude_partial_outage_4_components():
    fx = lib.shared_fixture()
    o = read_capture(fx, CLAUDE)
    cap = capture(CLAUDE)
    lib.check_eq((o["indicator"], o["description"]), ("minor", "Minor Service Outage"), "status")
    lib.check_eq(o["page"], "Claude", "page")
    partial = sorted(n for n, s in comp_status(o).items() if s == "partial_outage")
    lib.check_eq(partial, sorted(["claude.ai", "Claude API (api.anthropic.com)", "Claude Code", "Claude Cowork"]),
                 "partial_outage components")
    inc = o["incidents"][0]
    lib.check_eq((inc["name"], inc["status"], inc["impact"]),
                 ("Elevated errors for multiple models", "investigating", "major"), "incident")
    check_incident(inc, cap["incidents"][0])


def test_openai_incidentio_compatible_summary():
    fx = lib.shared_fixture()
    o = read_capture(fx, OPENAI)
    cap = capture(OPENAI)
    # no "incidents" and no "scheduled_maintenances" key at all: none open
    lib.check("incidents" not in cap and "scheduled_maintenances" not in cap, "the capture has no incidents key")
    lib.check_eq((o["indicator"], o["description"]), ("none", "All Systems Operational"), "status")
    lib.check_eq(o["page"], "OpenAI", "page")
    lib.check_eq((o["incidents"], o["maintenances"]), ([], []), "incidents, maintenances")
    lib.check_eq(len(o["components"]), 25, "components")
    names = [c["name"] for c in o["components"]]
    lib.check_eq(sorted(names), sorted(c["name"] for c in cap["components"]), "component names")
    lib.check_eq(names.count("Login"), 2, "the two components named Login")
    lib.check(all(c["status"] == "operational" for c in o["components"]), "all operational", o["components"])


def test_discord_trimmed_summary_dangling_group():
    fx = lib.shared_fixture()
    o = read_capture(fx, DISCORD_SUMMARY)
    lib.check_eq((o["indicator"], o["description"]), ("none", "All Systems Operational"), "status")
    lib.check_eq(o["page"], "Discord", "page")
    lib.check_eq(o["components"], [{"name": "South Korea", "group": None, "status": "operational"}], "components")


def test_discord_resolved_incident_and_completed_maintenance_are_not_open():
    fx = lib.shared_fixture()
    o = read_capture(fx, DISCORD_INCIDENTS)
    lib.check_eq(capture(DISCORD_INCIDENTS)["incidents"][0]["status"], "resolved", "capture")
    lib.check_eq(o["incidents"], [], "a resolved incident is not listed")
    lib.check_eq(o["page"], "Discord", "page")
    o = read_capture(fx, DISCORD_MAINT)
    lib.check_eq(capture(DISCORD_MAINT)["scheduled_maintenances"][0]["status"], "completed", "capture")
    lib.check_eq(o["maintenances"], [], "a completed maintenance is not listed")


def test_perplexity_and_cursor_summaries():
    fx = lib.shared_fixture()
    o = read_capture(fx, PERPLEXITY)
    lib.check_eq((o["page"], o["indicator"], o["description"]), ("Perplexity", "none", "All Systems Operational"),
                 "perplexity status")
    lib.check_eq([c["name"] for c in o["components"]], ["API", "Website", "App", "Computer"], "perplexity components")
    lib.check_eq((o["incidents"], o["maintenances"]), ([], []), "perplexity: nothing open")
    o = read_capture(fx, CURSOR)
    lib.check_eq((o["page"], o["indicator"]), ("Cursor", "none"), "cursor status")
    lib.check_eq(len(o["components"]), 8, "cursor components")
    lib.check(all(c["status"] == "operational" for c in o["components"]), "cursor all operational", o["components"])


def test_google_cloud_feed_needs_its_body_cap():
    fx = lib.shared_fixture()
    # 1.3 MB: past the default 1 MiB cap, the read fails and says so ...
    doc = read_page(fx, "/file/statuspage/" + GOOGLE)
    lib.check(doc["official"]["error"], "an error past the body cap", doc["official"])
    # ... and with the cap the gemini preset sets, every incident there has ended
    o = read_capture(fx, GOOGLE, body_cap=16777216)
    lib.check_eq((o["page"], o["indicator"], o["description"]), (None, "none", None), "google: no name, no rollup")
    lib.check_eq((o["components"], o["incidents"], o["maintenances"]), ([], [], []), "nothing open, nothing affected")
    lib.check_eq(o["updated_at"], "2022-07-01T19:25:45Z", "the newest modified")


def test_deepseek_flashduty_page():
    fx = lib.shared_fixture()
    o = read_capture(fx, DEEPSEEK, service="API")
    lib.check_eq((o["page"], o["indicator"]), ("DeepSeek", "none"), "deepseek status")
    lib.check_eq(len(o["components"]), 8, "components")
    chat = [c["name"] for c in o["components"] if c["group"] == "\u5bf9\u8bdd\u670d\u52a1(Chat Service)"]
    lib.check_eq(len(chat), 5, "the Chat Service section's components")
    lib.check(all(c["status"] == "operational" for c in o["components"]), "all operational", o["components"])
    lib.check_eq((o["incidents"], o["maintenances"]), ([], []), "no active change")


def test_instatus_summary_and_components():
    fx = lib.shared_fixture()
    o = read_capture(fx, INSTATUS_SUMMARY,
                     components_url=fx.http_url("/file/statuspage/" + INSTATUS_COMPONENTS))
    lib.check_eq((o["page"], o["indicator"], o["description"]), ("Perplexity", "UP", ""),
                 "instatus status, in its own word")
    # the page's own words, as for every format
    lib.check_eq([(c["name"], c["status"]) for c in o["components"]],
                 [("Website", "OPERATIONAL"), ("API", "OPERATIONAL"), ("Computer", "OPERATIONAL")], "components")
    lib.check_eq((o["incidents"], o["maintenances"]), ([], []), "nothing active")


def test_openrouter_datadog_page():
    fx = lib.shared_fixture()
    o = read_capture(fx, OPENROUTER)
    lib.check_eq((o["page"], o["indicator"]), ("OpenRouter", "none"), "openrouter status")
    groups = {c["name"]: c["group"] for c in o["components"]}
    lib.check_eq(groups["Chat (/api/v1/chat/completions)"], "API - Gateway", "a component in its group")
    lib.check_eq(groups["Web & Application Services"], None, "a component beside it")
    lib.check_eq(o["incidents"], [], "four resolved incidents are not open")
    lib.check_eq(o["maintenances"], [], "maintenances: null")


def test_status_shows_in_verdict_and_components():
    fx = lib.shared_fixture()
    doc = read_page(fx, "/file/statuspage/" + GH_MAJOR, service="Copilot")
    v = doc["verdict"]
    lib.check_eq((v["state"], v["cause"]), ("major_outage", "official_incident"), "verdict")
    lib.check_in("Incident with GitHub.com (critical)", v["summary"], "summary")
    lib.check_eq(without_uptime(doc["components"]),
                 [{"name": "Copilot", "state": "major_outage", "official": "major_outage"}], "components")
    step = [s for s in doc["checklist"] if s["id"] == "official"][0]
    lib.check_eq(step["result"], "fail", "official step")


# ---------------------------------------------------------------- incident.io's own JSON

def incidentio_page():
    """incident.io's own status page JSON, in the shape its public pages serve
    ({"summary": {...}}, documented in ../shared/research/statuspage.md)."""
    return {"summary": {
        "id": "01JMT7N8XH0000000000000000", "name": "OpenAI", "public_url": "https://status.openai.com",
        "components": [
            {"id": "01C1", "name": "Conversations", "status_page_id": "01P"},
            {"id": "01C2", "name": "Responses", "status_page_id": "01P"},
            {"id": "01C3", "name": "Login", "status_page_id": "01P"},
        ],
        "structure": {"items": [
            {"group": {"id": "01G1", "name": "ChatGPT", "hidden": False,
                       "components": [{"component_id": "01C1", "name": "Conversations", "hidden": False},
                                      {"component_id": "01C3", "name": "Login", "hidden": False}]}},
            {"group": {"id": "01G2", "name": "APIs", "hidden": False,
                       "components": [{"component_id": "01C2", "name": "Responses", "hidden": False}]}},
        ]},
        "affected_components": [{"component_id": "01C1", "status": "full_outage"},
                                {"component_id": "01C2", "status": "degraded_performance"}],
        "ongoing_incidents": [{
            "id": "01INC1", "name": "Elevated errors in ChatGPT", "status": "identified",
            "published_at": "2026-09-24T10:00:00Z", "current_worst_impact": "full_outage",
            "url": "https://status.openai.com/incidents/01INC1",
            "affected_components": [{"component_id": "01C1", "status": "full_outage"}],
            "updates": [
                {"id": "01U2", "to_status": "identified", "published_at": "2026-09-24T10:20:00Z",
                 "message_string": "We found the cause and are rolling out a fix."},
                {"id": "01U1", "to_status": "investigating", "published_at": "2026-09-24T10:00:00Z",
                 "message_string": "We are investigating elevated errors."},
            ],
        }],
        "scheduled_maintenances": [],
    }}


def test_incidentio_native_json():
    fx = lib.shared_fixture()
    fx.mount("/io/proxy/status.openai.com", json_body=incidentio_page())
    doc = read_page(fx, "/io/proxy/status.openai.com", service="Conversations")
    o = doc["official"]
    lib.check_eq(o["error"], None, "error")
    lib.check_eq(o["page"], "OpenAI", "page")
    comps = {(c["group"], c["name"]): c["status"] for c in o["components"]}
    lib.check_eq(comps, {("ChatGPT", "Conversations"): "full_outage", ("ChatGPT", "Login"): "operational",
                         ("APIs", "Responses"): "degraded_performance"}, "components, keyed by group and name")
    lib.check_eq(len(o["incidents"]), 1, "incidents")
    inc = o["incidents"][0]
    lib.check_eq((inc["name"], inc["status"], inc["impact"]),
                 ("Elevated errors in ChatGPT", "identified", "full_outage"), "incident")
    lib.check_eq(inc["components"], ["Conversations"], "incident components")
    lib.check_eq([(u["status"], u["body"]) for u in inc["updates"]],
                 [("identified", "We found the cause and are rolling out a fix."),
                  ("investigating", "We are investigating elevated errors.")], "updates, newest first")
    # full_outage is incident.io's word for a major outage
    lib.check_eq(without_uptime(doc["components"]),
                 [{"name": "Conversations", "state": "major_outage", "official": "major_outage"}], "our component")
    lib.check_eq((doc["verdict"]["state"], doc["verdict"]["cause"]), ("major_outage", "official_incident"),
                 "verdict")


# ---------------------------------------------------------------- not a status page

def check_not_read(doc, why):
    o = doc["official"]
    lib.check_in(why, o["error"] or "", "official.error")
    lib.check_eq((o["indicator"], o["description"], o["incidents"], o["components"]), (None, None, [], []),
                 "no status from a page that was not read")
    step = [s for s in doc["checklist"] if s["id"] == "official"][0]
    lib.check_eq(step["result"], "warn", "official step")
    lib.check_in(why, step["detail"], "official step detail")
    lib.check_in("browser", step["advice"], "official step advice")


def test_html_200_is_an_error_not_a_status():
    fx = lib.shared_fixture()
    doc = read_page(fx, "/html", service="API")
    check_not_read(doc, "HTML, not JSON")
    # our own probes still decide: the service answers
    lib.check_eq(doc["verdict"]["state"], "operational", "verdict state")


def test_malformed_json_is_an_error():
    fx = lib.shared_fixture()
    check_not_read(read_page(fx, "/json/malformed", service="API"), "invalid JSON")


def test_api_error_object_is_not_a_status_page():
    fx = lib.shared_fixture()
    check_not_read(read_page(fx, "/file/statuspage/" + API_401, service="API"), "not a status page")


# ---------------------------------------------------------------- polling

def poll_config(fx, path, service=None):
    targets = [{"name": "status", "kind": "statuspage", "interval_s": 0.3, "url": fx.http_url(path)}]
    if service:
        targets.insert(0, {"name": "web", "url": fx.http_url("/ok"), "component": service, "interval_s": 0.3})
    return {"service": "Svc", "targets": targets}


def current_etag(fx, path):
    conn = http.client.HTTPConnection(fx.host, fx.http_port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.getheader("ETag")
    finally:
        conn.close()


def wait(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("not within %d s: %s" % (timeout, what))
        time.sleep(0.1)


def test_etag_polling_gets_304_and_keeps_the_page():
    fx = lib.shared_fixture()
    path = "/etag/api/v2/summary.json"
    fx.mount(path, file="statuspage/" + GH_MAJOR)
    etag = current_etag(fx, path)
    lib.check(etag, "the fixture sends an ETag")
    fx.reset()
    fx.mount(path, file="statuspage/" + GH_MAJOR)
    with lib.isitdown_process(["--lines", "--no-state"], poll_config(fx, path, "Copilot")) as p:
        out = Lines(p)
        out.wait_for(lambda l: "incident already open: Incident with GitHub.com" in l, 20, "about the open incident")
        out.wait_for(lambda l: "major_outage: official incident: Incident with GitHub.com" in l, 20,
                     "with the verdict")

        def revalidated():
            hist = fx.requests(path)["history"]
            return sum(1 for h in hist if h["headers"].get("if-none-match") == etag) >= 3
        wait(revalidated, 20, "three polls with If-None-Match: %s" % etag)
        hist = fx.requests(path)["history"]
        lib.check(hist[0]["headers"].get("if-none-match") is None, "the first poll has no validator", hist[0])
        lib.check(all(h["headers"].get("if-none-match") == etag for h in hist[1:]),
                  "every later poll revalidates", [h["headers"].get("if-none-match") for h in hist])
        # the fixture answers 304 to a matching If-None-Match: nothing changed,
        # so no event about the page, and the process is alive
        lib.check(p.poll() is None, "still running")
        # a new version is fetched in full and its changes noticed
        fx.mount(path, file="statuspage/" + GH_OK)
        out.wait_for(lambda l: "incident resolved: Incident with GitHub.com" in l, 20, "about the resolution")
        new_etag = current_etag(fx, path)
        lib.check(new_etag != etag, "the content changed the ETag")
        out.wait_for(lambda l: "operational: all good" in l, 20, "with the verdict back to operational")
        wait(lambda: fx.last_headers(path).get("if-none-match") == new_etag, 20, "revalidating the new ETag")
        stop(p, out)
    # the 304s brought no news: the incident and the verdict were told once
    for text in ("incident already open: Incident with GitHub.com", "major_outage: official incident"):
        told = sum(1 for l in out.lines if text in l)
        lib.check(told == 1, "%r told once, not %d times" % (text, told), out.text())


def test_changes_between_polls_become_events():
    fx = lib.shared_fixture()
    path = "/changes/api/v2/summary.json"
    major = capture(GH_MAJOR)
    # the same incident one update earlier: the newest update is "new" later
    earlier = copy.deepcopy(major)
    earlier["incidents"][0]["incident_updates"] = major["incidents"][0]["incident_updates"][1:]
    fx.mount(path, file="statuspage/" + GH_OK)
    with lib.isitdown_process(["--lines", "--no-state"], poll_config(fx, path)) as p:
        out = Lines(p)
        out.wait_for(lambda l: "monitoring Svc" in l, 20, "saying it started")
        wait(lambda: fx.count(path) >= 1, 20, "the first poll")

        fx.mount(path, json_body=earlier)
        line = out.wait_for(lambda l: "component: Copilot now major outage (was operational)" in l, 20,
                            "about Copilot's status")
        lib.check_in("critical", line, "severity")
        line = out.wait_for(lambda l: "incident: Incident with GitHub.com (impact critical)" in l, 20,
                            "about the new incident")
        lib.check_in("critical", line, "severity")

        fx.mount(path, file="statuspage/" + GH_MAJOR)
        newest = major["incidents"][0]["incident_updates"][0]["body"]
        out.wait_for(lambda l: "update: Incident with GitHub.com" in l and newest[:60] in l, 20,
                     "about the new update")

        fx.mount(path, file="statuspage/" + GH_OK)
        out.wait_for(lambda l: "component: Copilot now operational (was major outage)" in l, 20,
                     "about Copilot's recovery")
        out.wait_for(lambda l: "incident resolved: Incident with GitHub.com" in l, 20, "about the resolution")

        fx.mount(path, file="statuspage/" + GH_MAINT)
        out.wait_for(lambda l: "maintenance started: Codespaces Scheduled Maintenance" in l, 20,
                     "about the maintenance")
        out.wait_for(lambda l: "component: Codespaces now under maintenance" in l, 20, "about Codespaces")
        fx.mount(path, file="statuspage/" + GH_OK)
        out.wait_for(lambda l: "maintenance completed: Codespaces Scheduled Maintenance" in l, 20,
                     "about the end of the maintenance")
        stop(p, out)
    lib.check_eq(sum(1 for l in out.lines if "incident: Incident with GitHub.com (impact critical)" in l), 1,
                 "the new incident told once")


def test_errors_back_off_and_recover():
    fx = lib.shared_fixture()
    path = "/flaky/api/v2/summary.json"
    fx.mount(path, body="upstream down\n", status=503, ctype="text/plain")
    with lib.isitdown_process(["--lines", "--no-state"], poll_config(fx, path)) as p:
        out = Lines(p)
        out.wait_for(lambda l: "cannot read the status page" in l, 20, "about the failed read")
        t0 = time.monotonic()
        n0 = fx.count(path)
        time.sleep(3)
        polls = fx.count(path) - n0
        # 0.3 s interval: 10 polls in 3 s without backing off
        lib.check(polls <= 5, "backs off after 5xx: %d polls in %.1f s" % (polls, time.monotonic() - t0))
        told = sum(1 for l in out.lines if "cannot read the status page" in l)
        lib.check(told == 1, "the failure told once, not %d times" % told, out.text())
        fx.mount(path, file="statuspage/" + GH_MINOR)
        out.wait_for(lambda l: "Errors with the Fable 5 Model in Copilot" in l, 30, "about the page once readable")
        stop(p, out)


if __name__ == "__main__":
    lib.main()
