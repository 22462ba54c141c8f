/* test_statuspage.c: every captured status page parses into what it says;
 * HTML, empty, broken, hostile and odd JSON never crash and say what is wrong.
 *
 * The captures are real responses (tests/data/statuspage/SOURCES.md). The inline
 * JSON documents are written for these tests from the documented shapes (the
 * incident.io ones from the research notes, with OpenAI's real component ids and
 * names); they are labelled as such where they appear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdata.h"
#include <cjson/cJSON.h>

#include "statuspage.h"

#define DATA TEST_DATA_DIR "/statuspage/"

static char *load(const char *name, size_t *len)
{
	return testdata_load(DATA, name, len);
}

static void parse_file(struct statuspage *sp, const char *name)
{
	char err[256] = "";
	size_t len;
	char *body = load(name, &len);
	int rc = statuspage_parse(sp, body, len, "application/json; charset=utf-8", err, sizeof(err));

	free(body);
	if (rc != SP_OK)
		fail_msg("%s: %d %s", name, rc, err);
	assert_string_equal(err, "");
}

static int parse_text(struct statuspage *sp, const char *json, const char *ctype, char *err,
		      size_t errlen)
{
	return statuspage_parse(sp, json, strlen(json), ctype, err, errlen);
}

static size_t count_status(const struct statuspage *sp, enum sp_component_status s)
{
	size_t n = 0;

	for (size_t i = 0; i < sp->n_components; i++)
		n += sp->components[i].status == s;
	return n;
}

static const struct sp_component *comp(const struct statuspage *sp, const char *name)
{
	const struct sp_component *c = statuspage_find_component(sp, name, NULL);

	if (!c)
		fail_msg("no component \"%s\"", name);
	return c;
}

static void assert_updates_newest_first(const struct sp_incident *in)
{
	for (size_t i = 1; i < in->n_updates; i++)
		assert_true(in->updates[i - 1].at >= in->updates[i].at);
}

/* ---- the captures ---- */

static void test_github_all_operational(void **state)
{
	struct statuspage sp;

	(void)state;
	parse_file(&sp, "github-summary-all-operational-2026-08-22.json");
	assert_int_equal(sp.source, SP_SOURCE_STATUSPAGE);
	assert_string_equal(sp.name, "GitHub");
	assert_string_equal(sp.url, "https://www.githubstatus.com");
	assert_int_equal(sp.updated_at, 1787436957);
	assert_true(sp.has_status);
	assert_string_equal(sp.indicator_raw, "none");
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_string_equal(sp.description, "All Systems Operational");
	assert_int_equal(sp.n_components, 12);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 12);
	assert_string_equal(sp.components[0].name, "Git Operations");
	assert_string_equal(sp.components[0].id, "8l4ygp009s5s");
	assert_string_equal(sp.components[0].group_name, "");
	assert_false(sp.components[0].is_group);
	assert_int_equal(sp.components[0].updated_at, 1786991027);
	/* the pseudo-component is a component like any other */
	assert_string_equal(comp(&sp, "Visit www.githubstatus.com for more information")->status_raw,
			    "operational");
	assert_string_equal(sp.components[11].name, "Copilot AI Model Providers");
	assert_true(sp.has_components && sp.components_complete);
	assert_true(sp.has_incidents);
	assert_true(sp.has_maintenances);
	assert_int_equal(sp.n_incidents, 0);
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
}

static void test_github_minor_degraded(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	enum sp_component_status st;

	(void)state;
	parse_file(&sp, "github-summary-minor-degraded-performance-2026-08-13.json");
	assert_string_equal(sp.indicator_raw, "minor");
	assert_int_equal(sp.indicator, SP_INDICATOR_MINOR);
	assert_string_equal(sp.description, "Partially Degraded Service");
	assert_int_equal(sp.updated_at, 1786635547);
	assert_int_equal(sp.n_components, 12);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 11);
	assert_int_equal(comp(&sp, "Copilot AI Model Providers")->status,
			 SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_string_equal(comp(&sp, "Copilot AI Model Providers")->status_raw, "degraded_performance");
	/* "Copilot" is its own component: the providers are not in a group of it */
	assert_int_equal(statuspage_worst_status(&sp, "Copilot", &st), 1);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);

	assert_int_equal(sp.n_incidents, 1);
	assert_int_equal(sp.n_maintenances, 0);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "24t8gsgqx2qb");
	assert_string_equal(in->name, "Errors with the Fable 5 Model in Copilot");
	assert_string_equal(in->status, "investigating");
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_string_equal(in->impact_raw, "minor");
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_int_equal(in->created_at, 1786632205);
	assert_int_equal(in->updated_at, 1786634619);
	assert_string_equal(in->shortlink, "https://stspg.io/8htrnxk0q09v");
	assert_int_equal(in->n_components, 1);
	assert_string_equal(in->components[0], "Copilot AI Model Providers");
	assert_int_equal(in->n_updates, 3);
	assert_string_equal(in->updates[0].id, "mnpr6hw95wf1");
	assert_int_equal(in->updates[0].at, 1786634619);
	assert_int_equal(in->updates[0].state, SP_STATE_INVESTIGATING);
	assert_non_null(strstr(in->updates[0].body, "We are seeing modest recovery"));
	assert_string_equal(in->updates[2].id, "b2whhtnz65dz");
	assert_int_equal(in->updates[2].at, 1786632205);
	assert_updates_newest_first(in);
	assert_int_equal(in->scheduled_for, 0);
	statuspage_done(&sp);
}

static void test_github_major_outage_35_updates(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;

	(void)state;
	parse_file(&sp, "github-summary-major-outage-critical-incident-35-updates-2026-08-17.json");
	assert_int_equal(sp.indicator, SP_INDICATOR_MAJOR);
	assert_string_equal(sp.description, "Partial System Outage");
	assert_int_equal(sp.n_components, 12);
	assert_int_equal(comp(&sp, "Copilot")->status, SP_COMPONENT_MAJOR_OUTAGE);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 11);
	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "zkxwbgr0cnmx");
	assert_string_equal(in->name, "Incident with GitHub.com");
	assert_int_equal(in->impact, SP_INDICATOR_CRITICAL);
	assert_string_equal(in->impact_raw, "critical");
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_int_equal(in->created_at, 1786974003);
	assert_int_equal(in->updated_at, 1786999528);
	assert_string_equal(in->shortlink, "https://stspg.io/y1fl26l6wpzr");
	assert_int_equal(in->n_components, 8);
	assert_string_equal(in->components[0], "Git Operations");
	assert_string_equal(in->components[7], "Copilot");
	assert_int_equal(in->n_updates, 35);
	assert_string_equal(in->updates[0].id, "35jkt3szsgj5");
	assert_string_equal(in->updates[34].id, "t45j0mf5qf81");
	assert_int_equal(in->updates[34].at, 1786974003);
	assert_updates_newest_first(in);
	for (size_t i = 0; i < in->n_updates; i++) {
		assert_string_equal(in->updates[i].status, "investigating");
		assert_true(strlen(in->updates[i].body) > 0);
	}
	statuspage_done(&sp);
}

static void test_github_maintenance_plus_incident(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in, *m;

	(void)state;
	parse_file(&sp, "github-summary-maintenance-in-progress-plus-incident-2025-05-30.json");
	assert_string_equal(sp.indicator_raw, "maintenance");
	assert_int_equal(sp.indicator, SP_INDICATOR_MAINTENANCE);
	assert_string_equal(sp.description, "Service Under Maintenance");
	assert_int_equal(sp.n_components, 11);
	assert_int_equal(comp(&sp, "Codespaces")->status, SP_COMPONENT_UNDER_MAINTENANCE);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 10);

	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "p1rf575rlqml");
	assert_string_equal(in->name, "Disruption with some GitHub services");
	assert_int_equal(in->impact, SP_INDICATOR_MAJOR);
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_int_equal(in->n_updates, 3);
	assert_int_equal(in->n_components, 0);
	assert_int_equal(in->created_at, 1748604016);

	assert_int_equal(sp.n_maintenances, 1);
	m = &sp.maintenances[0];
	assert_string_equal(m->id, "nwjwwhj118sf");
	assert_string_equal(m->name, "Codespaces Scheduled Maintenance");
	assert_string_equal(m->status, "in_progress");
	assert_int_equal(m->state, SP_STATE_IN_PROGRESS);
	assert_string_equal(m->impact_raw, "maintenance");
	assert_int_equal(m->impact, SP_INDICATOR_MAINTENANCE);
	assert_int_equal(m->scheduled_for, 1748554200);   /* 2025-05-29T21:30:00Z */
	assert_int_equal(m->scheduled_until, 1748665800); /* 2025-05-31T04:30:00Z */
	assert_string_equal(m->shortlink, "https://stspg.io/p98lyhp53nzj");
	assert_int_equal(m->n_components, 1);
	assert_string_equal(m->components[0], "Codespaces");
	assert_int_equal(m->n_updates, 2);
	assert_int_equal(m->updates[0].state, SP_STATE_IN_PROGRESS);
	assert_int_equal(m->updates[1].state, SP_STATE_SCHEDULED);
	assert_int_equal(m->updates[0].at, 1748554221);
	statuspage_done(&sp);
}

static void test_openai_incidentio_v2_summary(void **state)
{
	struct statuspage sp;
	enum sp_component_status st;
	int logins = 0;

	(void)state;
	parse_file(&sp, "openai-incidentio-v2-summary-operational-no-incidents-key-2026-09-24.json");
	assert_int_equal(sp.source, SP_SOURCE_STATUSPAGE);
	assert_string_equal(sp.name, "OpenAI");
	assert_string_equal(sp.url, "https://status.openai.com/");
	assert_int_equal(sp.updated_at, 1790293167); /* whole seconds, no fraction */
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_string_equal(sp.description, "All Systems Operational");
	assert_int_equal(sp.n_components, 25);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 25);
	assert_string_equal(sp.components[0].name, "Ads Manager");
	assert_string_equal(sp.components[0].id, "01KTQBYVARFJ5KMCSECM06VKCF");
	for (size_t i = 0; i < sp.n_components; i++) {
		assert_string_equal(sp.components[i].group_name, "");
		assert_string_equal(sp.components[i].group_id, "");
		logins += strcmp(sp.components[i].name, "Login") == 0;
	}
	assert_int_equal(logins, 2);
	/* no "incidents" key in a summary means none; no maintenance key means unknown */
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_false(sp.has_maintenances);
	/* this endpoint has no groups: "ChatGPT" is not a component here */
	assert_int_equal(statuspage_worst_status(&sp, "ChatGPT", &st), 0);
	assert_int_equal(st, SP_COMPONENT_UNKNOWN);
	assert_int_equal(statuspage_worst_status(&sp, "Login", &st), 2);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(statuspage_worst_status(&sp, "codex api", &st), 1);
	statuspage_done(&sp);
}

static void test_claude_minor_partial_outage(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;

	(void)state;
	parse_file(&sp, "claude-summary-minor-partial-outage-4-components-2026-09-22.json");
	assert_string_equal(sp.name, "Claude");
	assert_string_equal(sp.url, "https://status.claude.com");
	assert_int_equal(sp.indicator, SP_INDICATOR_MINOR);
	assert_string_equal(sp.description, "Minor Service Outage");
	assert_int_equal(sp.n_components, 6);
	assert_int_equal(count_status(&sp, SP_COMPONENT_PARTIAL_OUTAGE), 4);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 2);
	assert_int_equal(comp(&sp, "Claude API (api.anthropic.com)")->status, SP_COMPONENT_PARTIAL_OUTAGE);
	assert_int_equal(comp(&sp, "Claude for Government")->status, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "7g1qpkyz5gxh");
	assert_string_equal(in->name, "Elevated errors for multiple models");
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_int_equal(in->impact, SP_INDICATOR_MAJOR);
	assert_string_equal(in->shortlink, "https://stspg.io/90s4l9yywzbk");
	assert_int_equal(in->created_at, 1790038646);
	assert_int_equal(in->n_updates, 1);
	assert_string_equal(in->updates[0].body,
			    "We are investigating elevated errors on requests to Claude Mythos 5.1, "
			    "Claude Fable 5.1, and Claude Opus 5. We will provide an update as soon as possible.");
	assert_int_equal(in->n_components, 4);
	assert_string_equal(in->components[0], "claude.ai");
	assert_string_equal(in->components[1], "Claude API (api.anthropic.com)");
	assert_string_equal(in->components[2], "Claude Code");
	assert_string_equal(in->components[3], "Claude Cowork");
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
}

static void test_perplexity_incidentio_v2_summary(void **state)
{
	struct statuspage sp;
	const struct sp_component *c;
	enum sp_component_status st;

	(void)state;
	parse_file(&sp, "perplexity-incidentio-v2-summary-operational-4-components-2026-09-28.json");
	assert_int_equal(sp.source, SP_SOURCE_STATUSPAGE);
	assert_string_equal(sp.name, "Perplexity");
	assert_string_equal(sp.url, "https://status.perplexity.com/");
	assert_int_equal(sp.updated_at, 1789724242);
	assert_true(sp.has_status);
	assert_string_equal(sp.indicator_raw, "none");
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_string_equal(sp.description, "All Systems Operational");
	assert_int_equal(sp.n_components, 4);
	assert_true(sp.components_complete);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 4);
	c = &sp.components[0];
	assert_string_equal(c->id, "01M2R6E5FPASTEW3A3V8TSYHJ0");
	assert_string_equal(c->name, "API");
	assert_string_equal(c->status_raw, "operational");
	assert_string_equal(c->group_name, "");
	assert_string_equal(c->group_id, "");
	assert_false(c->is_group);
	assert_int_equal(c->updated_at, 1789666515);
	assert_string_equal(sp.components[1].name, "Website");
	assert_string_equal(sp.components[2].name, "App");
	assert_string_equal(sp.components[3].name, "Computer");
	/* like OpenAI's: no incidents key means none, no maintenances key means unknown */
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_false(sp.has_maintenances);
	assert_int_equal(statuspage_worst_status(&sp, "API", &st), 1);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	statuspage_done(&sp);
}

static void test_cursor_all_operational(void **state)
{
	struct statuspage sp;
	const struct sp_component *c;

	(void)state;
	parse_file(&sp, "cursor-summary-all-operational-8-components-2026-09-28.json");
	assert_int_equal(sp.source, SP_SOURCE_STATUSPAGE);
	assert_string_equal(sp.name, "Cursor");
	assert_string_equal(sp.url, "https://status.cursor.com");
	assert_int_equal(sp.updated_at, 1790633636); /* .733 dropped */
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_string_equal(sp.description, "All Systems Operational");
	assert_int_equal(sp.n_components, 8);
	assert_int_equal(count_status(&sp, SP_COMPONENT_OPERATIONAL), 8);
	assert_string_equal(sp.components[0].name, "Automations");
	assert_string_equal(sp.components[4].name, "cursor.com");
	c = comp(&sp, "Grok Bot");
	assert_string_equal(c->id, "sm5wkcnqkvr9");
	assert_int_equal(c->updated_at, 1790627779);
	assert_string_equal(c->group_id, ""); /* null */
	assert_false(c->is_group);
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_true(sp.has_maintenances);
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
}

static void test_discord_summary_dangling_group(void **state)
{
	struct statuspage sp;

	(void)state;
	parse_file(&sp, "discord-summary-trimmed-grouped-child-component-2022.json");
	assert_string_equal(sp.name, "Discord");
	assert_int_equal(sp.updated_at, 1644961057); /* -08:00 offset */
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_int_equal(sp.n_components, 1);
	assert_string_equal(sp.components[0].name, "South Korea");
	assert_int_equal(sp.components[0].status, SP_COMPONENT_OPERATIONAL);
	/* its group ("Voice") was trimmed from the list: no name, id kept */
	assert_string_equal(sp.components[0].group_name, "");
	assert_string_equal(sp.components[0].group_id, "jk03xttfcz9b");
	assert_int_equal(sp.components[0].updated_at, 1598804184);
	assert_int_equal(sp.n_incidents, 0);
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
}

static void test_discord_incidents_json(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;

	(void)state;
	parse_file(&sp, "discord-incidents-resolved-4-updates-tz-offset-2022-02-15.json");
	assert_string_equal(sp.name, "Discord");
	/* incidents.json carries no rollup and no components */
	assert_false(sp.has_status);
	assert_false(sp.has_components);
	assert_string_equal(sp.indicator_raw, "");
	assert_int_equal(sp.indicator, SP_INDICATOR_UNKNOWN);
	assert_true(sp.has_incidents);
	assert_false(sp.has_maintenances);
	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->name, "Messaging issues");
	assert_string_equal(in->status, "resolved");
	assert_int_equal(in->state, SP_STATE_RESOLVED);
	assert_true(statuspage_state_is_closed(in->state));
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_int_equal(in->created_at, 1644959657); /* 13:14:17.744-08:00 */
	assert_int_equal(in->updated_at, 1644961057);
	assert_int_equal(in->n_updates, 4);
	assert_int_equal(in->updates[0].state, SP_STATE_RESOLVED);
	assert_string_equal(in->updates[0].body, "This incident has been resolved.");
	assert_int_equal(in->updates[1].state, SP_STATE_MONITORING);
	assert_int_equal(in->updates[3].state, SP_STATE_INVESTIGATING);
	assert_int_equal(in->updates[3].at, 1644959657);
	assert_updates_newest_first(in);
	assert_int_equal(in->n_components, 1);
	assert_string_equal(in->components[0], "API");
	statuspage_done(&sp);
}

static void test_discord_maintenance_unicode_crlf(void **state)
{
	struct statuspage sp;
	const struct sp_incident *m;

	(void)state;
	parse_file(&sp, "discord-scheduled-maintenances-completed-unicode-crlf-2015.json");
	assert_false(sp.has_incidents);
	assert_true(sp.has_maintenances);
	assert_int_equal(sp.n_incidents, 0);
	assert_int_equal(sp.n_maintenances, 1);
	m = &sp.maintenances[0];
	/* non-ASCII text survives byte for byte */
	assert_string_equal(m->name, "(\xef\xbe\x89\xe2\x97\x95\xe3\x83\xae\xe2\x97\x95)\xef\xbe\x89"
				     "*:\xef\xbd\xa5\xef\xbe\x9f\xe2\x9c\xa7 Server Juice");
	assert_string_equal(m->status, "completed");
	assert_int_equal(m->state, SP_STATE_COMPLETED);
	/* a maintenance with impact "major" happens */
	assert_int_equal(m->impact, SP_INDICATOR_MAJOR);
	assert_string_equal(m->shortlink, "http://stspg.io/1UdW");
	assert_int_equal(m->scheduled_for, 1442908800);   /* 01:00-07:00 */
	assert_int_equal(m->scheduled_until, 1442910600);
	assert_int_equal(m->n_components, 0);
	assert_int_equal(m->n_updates, 4);
	assert_int_equal(m->updates[0].state, SP_STATE_COMPLETED);
	assert_int_equal(m->updates[1].state, SP_STATE_VERIFYING);
	assert_int_equal(m->updates[2].state, SP_STATE_IN_PROGRESS);
	assert_int_equal(m->updates[3].state, SP_STATE_SCHEDULED);
	/* "\r\n" in bodies: the line break stays, the carriage return goes */
	assert_null(strchr(m->updates[0].body, '\r'));
	assert_non_null(strchr(m->updates[0].body, '\n'));
	assert_non_null(strstr(m->updates[0].body, "Everything seems to be working!"));
	assert_non_null(strstr(m->updates[0].body, "Sorry for the brief interruption."));
	assert_non_null(strstr(m->updates[3].body, "\xe3\x80\x9c(\xef\xbf\xa3\xe2\x96\xbd\xef\xbf\xa3\xe3\x80\x9c)"));
	statuspage_done(&sp);
}

static void test_openai_401_body_is_not_a_status_page(void **state)
{
	struct statuspage sp;
	char err[256];
	size_t len;
	char *body = load("openai-api-401-no-api-key-body-2023.json", &len);

	(void)state;
	assert_int_equal(statuspage_parse(&sp, body, len, "application/json", err, sizeof(err)),
			 SP_ERR_SHAPE);
	assert_string_equal(err, "not a status page: the server answered with an error object");
	assert_int_equal(sp.n_components, 0);
	assert_int_equal(sp.source, SP_SOURCE_NONE);
	statuspage_done(&sp);
	free(body);
}

/* ---- answers that are not status JSON ---- */

static void expect_error(const char *body, size_t len, const char *ctype, int code, const char *msg)
{
	struct statuspage sp;
	char err[256] = "x";
	int rc = statuspage_parse(&sp, body, len, ctype, err, sizeof(err));

	if (rc != code)
		fail_msg("expected %d, got %d (%s)", code, rc, err);
	if (msg && strcmp(err, msg) != 0)
		fail_msg("expected \"%s\", got \"%s\"", msg, err);
	assert_int_equal(sp.n_components + sp.n_incidents + sp.n_maintenances, 0);
	assert_int_equal(sp.indicator, SP_INDICATOR_UNKNOWN);
	statuspage_done(&sp);
}

static void test_html_is_an_error(void **state)
{
	static const char *const html_msg = "status page answered with HTML, not JSON (moved?)";
	const char *page = "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>";
	const char *json = "{\"status\":{\"indicator\":\"none\"}}";

	(void)state;
	expect_error(page, strlen(page), "text/html; charset=UTF-8", SP_ERR_HTML, html_msg);
	expect_error(page, strlen(page), "application/json", SP_ERR_HTML, html_msg);
	expect_error(page, strlen(page), NULL, SP_ERR_HTML, html_msg);
	expect_error("\r\n  <html>", 10, NULL, SP_ERR_HTML, html_msg);
	expect_error("\xef\xbb\xbf<html>", 9, NULL, SP_ERR_HTML, html_msg);
	/* the server's own word is enough, whatever the body looks like */
	expect_error(json, strlen(json), "Text/HTML", SP_ERR_HTML, html_msg);
}

static void test_empty_is_an_error(void **state)
{
	(void)state;
	expect_error("", 0, "application/json", SP_ERR_EMPTY, "empty response body");
	expect_error(NULL, 0, NULL, SP_ERR_EMPTY, "empty response body");
	expect_error(NULL, 10, NULL, SP_ERR_EMPTY, "empty response body");
	expect_error(" \n\t\r\n", 5, NULL, SP_ERR_EMPTY, "empty response body");
	expect_error("{}", 0, NULL, SP_ERR_EMPTY, "empty response body");
}

static void test_invalid_json_is_an_error(void **state)
{
	size_t len;
	char *body = load("github-summary-all-operational-2026-08-22.json", &len);

	(void)state;
	/* a transfer cut halfway */
	expect_error(body, len / 2, "application/json", SP_ERR_JSON, NULL);
	expect_error(body, 1, "application/json", SP_ERR_JSON, NULL);
	free(body);
	expect_error("{", 1, NULL, SP_ERR_JSON, NULL);
	expect_error("{\"page\":}", 9, NULL, SP_ERR_JSON, "invalid JSON near byte 8");
	expect_error("nul", 3, NULL, SP_ERR_JSON, NULL);
	expect_error("{\"a\":\"\\u12\"}", 12, NULL, SP_ERR_JSON, NULL);
	expect_error("\xff\xfe{", 3, NULL, SP_ERR_JSON, NULL);
	/* JSON, but not an object */
	expect_error("[]", 2, NULL, SP_ERR_SHAPE, "not a status page: the JSON is not an object");
	expect_error("\"up\"", 4, NULL, SP_ERR_SHAPE, NULL);
	expect_error("null", 4, NULL, SP_ERR_SHAPE, NULL);
	expect_error("42", 2, NULL, SP_ERR_SHAPE, NULL);
	expect_error("{\"hello\":\"world\"}", 17, NULL, SP_ERR_SHAPE,
		     "not a status page: no page, status, components or incidents in the JSON");
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(ul * times + tl + 1);

	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	memcpy(s + ul * times, tail, tl + 1);
	return s;
}

static void test_deep_nesting(void **state)
{
	char *s;
	cJSON *j;

	(void)state;
	/* cJSON 1.7.15 stops at CJSON_NESTING_LIMIT (1000) levels by itself */
	assert_int_equal(CJSON_NESTING_LIMIT, 1000);
	s = repeat("[", 1001, "");
	j = cJSON_Parse(s);
	assert_null(j);
	free(s);
	{
		/* 1000 levels, closed: cJSON takes them */
		char *closed = malloc(2 * 1000 + 1);

		assert_non_null(closed);
		memset(closed, '[', 1000);
		memset(closed + 1000, ']', 1000);
		closed[2000] = '\0';
		j = cJSON_Parse(closed);
		assert_non_null(j);
		cJSON_Delete(j);
		free(closed);
	}

	s = repeat("[", 100000, "");
	expect_error(s, strlen(s), "application/json", SP_ERR_JSON,
		     "invalid JSON: nested deeper than 1000 levels");
	free(s);
	s = repeat("{\"a\":", 100000, "1");
	expect_error(s, strlen(s), NULL, SP_ERR_JSON, "invalid JSON: nested deeper than 1000 levels");
	free(s);
	/* brackets inside strings are text, not nesting */
	s = repeat("[", 5000, "");
	{
		char *doc = malloc(strlen(s) + 64);
		struct statuspage sp;
		char err[128];

		if (!doc)
			abort();
		sprintf(doc, "{\"page\":{\"name\":\"%s\"}}", s);
		assert_int_equal(statuspage_parse(&sp, doc, strlen(doc), NULL, err, sizeof(err)), SP_OK);
		/* names are capped; what is kept is the text, brackets and all */
		assert_true(strlen(sp.name) > 100 && strlen(sp.name) <= 512);
		assert_null(strchr(sp.name, ']'));
		assert_int_equal(sp.name[0], '[');
		statuspage_done(&sp);
		free(doc);
	}
	free(s);
}

/* ---- tolerance ---- */

static void test_tolerates_missing_null_and_wrong_types(void **state)
{
	/* written for this test: every key null, absent or of the wrong type */
	const char *json =
		"{\"page\":{\"name\":null,\"url\":5,\"updated_at\":\"yesterday\"},"
		"\"status\":{\"indicator\":7,\"description\":[\"x\"]},"
		"\"components\":[null,1,\"x\",{\"name\":null},"
		"{\"name\":\"X\",\"status\":null,\"group_id\":{}},"
		"{\"name\":\"Y\",\"status\":\"sparkly\",\"group\":\"yes\"},"
		"{\"id\":\"g\",\"name\":\"G\",\"group\":true,\"components\":[1,null,\"nope\"]}],"
		"\"incidents\":[null,{},{\"name\":\"Only a name\",\"impact\":\"galactic\","
		"\"incident_updates\":[null,{\"body\":null},"
		"{\"status\":\"investigating\",\"body\":\"hi\",\"display_at\":\"bad\"}],"
		"\"components\":[null,{\"name\":5},\"Raw name\"]}],"
		"\"scheduled_maintenances\":{\"not\":\"an array\"}}";
	struct statuspage sp;
	char err[128];
	enum sp_component_status st;

	(void)state;
	assert_int_equal(parse_text(&sp, json, "application/json", err, sizeof(err)), SP_OK);
	assert_string_equal(sp.name, "");
	assert_string_equal(sp.url, "");
	assert_int_equal(sp.updated_at, 0);
	assert_true(sp.has_status);
	assert_string_equal(sp.indicator_raw, "");
	assert_int_equal(sp.indicator, SP_INDICATOR_UNKNOWN);
	assert_string_equal(sp.description, "");
	assert_int_equal(sp.n_components, 3);
	assert_string_equal(sp.components[0].name, "X");
	assert_int_equal(sp.components[0].status, SP_COMPONENT_UNKNOWN);
	assert_string_equal(sp.components[0].status_raw, "");
	assert_string_equal(sp.components[0].group_id, "");
	assert_string_equal(sp.components[1].name, "Y");
	assert_int_equal(sp.components[1].status, SP_COMPONENT_UNKNOWN);
	assert_string_equal(sp.components[1].status_raw, "sparkly");
	assert_false(sp.components[1].is_group);
	assert_true(sp.components[2].is_group);
	/* an unknown word ranks above operational: something is off */
	assert_int_equal(statuspage_worst_status(&sp, "Y", &st), 1);
	assert_int_equal(st, SP_COMPONENT_UNKNOWN);
	assert_int_equal(sp.n_incidents, 1);
	assert_string_equal(sp.incidents[0].name, "Only a name");
	assert_string_equal(sp.incidents[0].id, "");
	assert_string_equal(sp.incidents[0].status, "");
	assert_int_equal(sp.incidents[0].state, SP_STATE_UNKNOWN);
	assert_string_equal(sp.incidents[0].impact_raw, "galactic");
	assert_int_equal(sp.incidents[0].impact, SP_INDICATOR_UNKNOWN);
	assert_int_equal(sp.incidents[0].created_at, 0);
	assert_int_equal(sp.incidents[0].n_updates, 2);
	assert_string_equal(sp.incidents[0].updates[0].body, "");
	assert_string_equal(sp.incidents[0].updates[1].body, "hi");
	assert_int_equal(sp.incidents[0].updates[1].at, 0);
	assert_int_equal(sp.incidents[0].n_components, 1);
	assert_string_equal(sp.incidents[0].components[0], "Raw name");
	assert_false(sp.has_maintenances);
	statuspage_done(&sp);
}

static void test_status_json_rollup_only(void **state)
{
	/* the shape of /api/v2/status.json, written for this test */
	const char *json = "{\"page\":{\"id\":\"kctbh9vrtdwd\",\"name\":\"GitHub\","
			   "\"url\":\"https://www.githubstatus.com\",\"updated_at\":\"2026-08-22T22:15:57.599Z\"},"
			   "\"status\":{\"indicator\":\"critical\",\"description\":\"Major System Outage\"}}";
	struct statuspage sp;
	char err[128];

	(void)state;
	assert_int_equal(parse_text(&sp, json, NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.indicator, SP_INDICATOR_CRITICAL);
	assert_string_equal(sp.description, "Major System Outage");
	assert_false(sp.has_components);
	assert_false(sp.has_incidents);
	assert_false(sp.has_maintenances);
	statuspage_done(&sp);
}

static void assert_clean(const char *s, bool newlines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' && newlines)
			continue;
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control byte 0x%02x in \"%s\"", *p, s);
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("C1 control in \"%s\"", s);
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			fail_msg("bidi override in \"%s\"", s);
	}
}

static void test_page_text_is_sanitized(void **state)
{
	/* written for this test: escapes a hostile page could send */
	const char *json =
		"{\"page\":{\"name\":\"Evil\\u001b]0;pwned\\u0007 Page\"},"
		"\"status\":{\"indicator\":\"minor\",\"description\":\"Down\\u001b[2J\\u001b[H\"},"
		"\"components\":[{\"name\":\"API\\u202e\",\"status\":\"operational\\u001b[5m\"}],"
		"\"incidents\":[{\"id\":\"i\",\"name\":\"Line1\\nLine2\\u001b[31m red\",\"status\":\"investigating\","
		"\"impact\":\"minor\",\"incident_updates\":[{\"status\":\"investigating\","
		"\"body\":\"para 1\\r\\n\\r\\npara 2\\u0007\\u009b31m\",\"display_at\":\"2026-01-01T00:00:00Z\"}]}]}";
	struct statuspage sp;
	char err[128];
	const struct sp_incident *in;

	(void)state;
	assert_int_equal(parse_text(&sp, json, "application/json", err, sizeof(err)), SP_OK);
	assert_clean(sp.name, false);
	assert_non_null(strstr(sp.name, "Evil"));
	assert_non_null(strstr(sp.name, "Page"));
	assert_null(strstr(sp.name, "pwned"));
	assert_clean(sp.description, false);
	assert_string_equal(sp.description, "Down");
	assert_int_equal(sp.n_components, 1);
	assert_clean(sp.components[0].name, false);
	assert_non_null(strstr(sp.components[0].name, "API"));
	assert_clean(sp.components[0].status_raw, false);
	in = &sp.incidents[0];
	assert_clean(in->name, false);
	assert_non_null(strstr(in->name, "Line1"));
	assert_non_null(strstr(in->name, "Line2"));
	assert_non_null(strstr(in->name, "red"));
	assert_clean(in->updates[0].body, true);
	assert_non_null(strstr(in->updates[0].body, "para 1"));
	assert_non_null(strstr(in->updates[0].body, "para 2"));
	assert_non_null(strchr(in->updates[0].body, '\n'));
	statuspage_done(&sp);
}

/* ---- groups and names ---- */

/* written for this test, in the Statuspage shape: group rows and children
 * linked both ways (group_id on the child, the child's id in the group) */
static const char grouped_page[] =
	"{\"page\":{\"id\":\"p\",\"name\":\"Example\",\"url\":\"https://status.example.com\","
	"\"updated_at\":\"2026-01-01T00:00:00Z\"},"
	"\"status\":{\"indicator\":\"major\",\"description\":\"Partial System Outage\"},"
	"\"components\":["
	"{\"id\":\"g1\",\"name\":\"APIs\",\"status\":\"degraded_performance\",\"group_id\":null,\"group\":true,\"components\":[\"c1\",\"c2\"]},"
	"{\"id\":\"c1\",\"name\":\"Chat\",\"status\":\"degraded_performance\",\"group_id\":\"g1\",\"group\":false},"
	"{\"id\":\"c2\",\"name\":\"Embeddings\",\"status\":\"operational\",\"group\":false},"
	"{\"id\":\"g2\",\"name\":\"ChatGPT\",\"status\":\"operational\",\"group\":true,\"components\":[\"c3\"]},"
	"{\"id\":\"c3\",\"name\":\"Login\",\"status\":\"operational\",\"group_id\":\"g2\",\"group\":false},"
	"{\"id\":\"c4\",\"name\":\"Login\",\"status\":\"major_outage\",\"group_id\":null,\"group\":false}"
	"],\"incidents\":[],\"scheduled_maintenances\":[]}";

static void test_groups_and_worst_status(void **state)
{
	struct statuspage sp;
	char err[128];
	enum sp_component_status st;

	(void)state;
	assert_int_equal(parse_text(&sp, grouped_page, NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.n_components, 6);
	assert_true(sp.components[0].is_group);
	assert_string_equal(sp.components[0].group_name, "");
	assert_string_equal(sp.components[1].group_name, "APIs");
	/* linked only from the group's list */
	assert_string_equal(sp.components[2].group_name, "APIs");
	assert_string_equal(sp.components[2].group_id, "g1");
	assert_string_equal(sp.components[4].group_name, "ChatGPT");
	assert_string_equal(sp.components[5].group_name, "");

	/* "API" stands for the group "APIs": its row and both children */
	assert_int_equal(statuspage_worst_status(&sp, "API", &st), 3);
	assert_int_equal(st, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_int_equal(statuspage_worst_status(&sp, "chatgpt", &st), 2);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(statuspage_worst_status(&sp, "Login", &st), 2);
	assert_int_equal(st, SP_COMPONENT_MAJOR_OUTAGE);
	assert_int_equal(statuspage_worst_status(&sp, "ChatGPT/Login", &st), 1);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(statuspage_worst_status(&sp, "APIs / Chat", &st), 1);
	assert_int_equal(st, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_int_equal(statuspage_worst_status(&sp, "Nope", &st), 0);
	assert_int_equal(st, SP_COMPONENT_UNKNOWN);
	assert_int_equal(statuspage_worst_status(&sp, "", &st), 0);
	assert_int_equal(statuspage_worst_status(&sp, "s", &st), 0);

	assert_string_equal(statuspage_find_component(&sp, "Login", "ChatGPT")->id, "c3");
	assert_string_equal(statuspage_find_component(&sp, "login", "")->id, "c4");
	assert_string_equal(statuspage_find_component(&sp, "Login", NULL)->id, "c3");
	assert_null(statuspage_find_component(&sp, "Login", "APIs"));
	assert_null(statuspage_find_component(&sp, "Logins", NULL));
	assert_null(statuspage_find_component(&sp, NULL, NULL));
	statuspage_done(&sp);
}

/* ---- incident.io ---- */

/* written for this test from the documented shape of
 * GET https://status.openai.com/proxy/status.openai.com, with OpenAI's real
 * component and group ids and names */
static const char incidentio_proxy[] =
	"{\"summary\":{\"id\":\"01JMDK9XYNY6RXSED6SDWW50WY\",\"name\":\"OpenAI\","
	"\"public_url\":\"https://status.openai.com\","
	"\"components\":["
	"{\"id\":\"01JP8CD9JR3HR6Y7G4Q75N4DVW\",\"name\":\"Responses\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01JMXBRMFE6N2NNT7DG6XZQ6PW\",\"name\":\"Chat Completions\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01JSM5RTJWHRWDTS6Q604VEW3B\",\"name\":\"Login\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01JMXBNJXGV1T5GT2M9XA83XNG\",\"name\":\"Conversations\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01JMXBNJXG1S2D9V65P1ZZTD94\",\"name\":\"Login\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01KMP3KP5MGE23B80K1EK4S8PV\",\"name\":\"Codex API\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01KKAD7C71MCCH3FTREMJH4AAS\",\"name\":\"FedRAMP\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"01KVR95C58GGWHV7RYBT32NP11\",\"name\":\"Ads API\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"},"
	"{\"id\":\"hidden-1\",\"name\":\"Internal\",\"status_page_id\":\"01JMDK9XYNY6RXSED6SDWW50WY\"}],"
	"\"affected_components\":["
	"{\"component_id\":\"01JMXBNJXGV1T5GT2M9XA83XNG\",\"status\":\"full_outage\"},"
	"{\"component_id\":\"01JMXBNJXG1S2D9V65P1ZZTD94\",\"status\":\"degraded_performance\"},"
	"{\"component_id\":\"hidden-1\",\"status\":\"full_outage\"}],"
	"\"ongoing_incidents\":[{\"id\":\"01M0JXWD740S0Y50DWJZS7SH75\",\"name\":\"Elevated errors on ChatGPT\","
	"\"status\":\"identified\",\"published_at\":\"2026-08-21T19:48:34.66Z\","
	"\"affected_components\":[{\"component_id\":\"01JMXBNJXGV1T5GT2M9XA83XNG\",\"status\":\"full_outage\"},"
	"{\"component_id\":\"01JMXBNJXG1S2D9V65P1ZZTD94\",\"status\":\"degraded_performance\"}],"
	"\"component_impacts\":[],"
	"\"updates\":[{\"id\":\"u1\",\"to_status\":\"investigating\",\"message_string\":\"We are investigating.\","
	"\"published_at\":\"2026-08-21T19:48:34.66Z\"},"
	"{\"id\":\"u2\",\"to_status\":\"identified\",\"message_string\":\"We found the cause.\\n\\nA fix is rolling out.\","
	"\"published_at\":\"2026-08-21T20:10:00Z\"}]}],"
	"\"scheduled_maintenances\":[{\"id\":\"m1\",\"name\":\"Codex API database upgrade\","
	"\"status\":\"maintenance_scheduled\",\"starts_at\":\"2026-09-01T09:00:00Z\",\"ends_at\":\"2026-09-01T10:00:00Z\","
	"\"affected_components\":[{\"component_id\":\"01KMP3KP5MGE23B80K1EK4S8PV\"}]}],"
	"\"structure\":{\"items\":["
	"{\"group\":{\"id\":\"01K5H8S53SY1KMS4GQMNMQM1K5\",\"name\":\"APIs\",\"components\":["
	"{\"component_id\":\"01JP8CD9JR3HR6Y7G4Q75N4DVW\",\"name\":\"Responses\"},"
	"{\"component_id\":\"01JMXBRMFE6N2NNT7DG6XZQ6PW\",\"name\":\"Chat Completions\"},"
	"{\"component_id\":\"01JSM5RTJWHRWDTS6Q604VEW3B\",\"name\":\"Login\"}]}},"
	"{\"group\":{\"id\":\"01K5H8S53SY1KMS4GQMNMZXTR1\",\"name\":\"ChatGPT\",\"components\":["
	"{\"component_id\":\"01JMXBNJXGV1T5GT2M9XA83XNG\",\"name\":\"Conversations\"},"
	"{\"component_id\":\"01JMXBNJXG1S2D9V65P1ZZTD94\",\"name\":\"Login\"},"
	"{\"component_id\":\"hidden-1\",\"name\":\"Internal\",\"hidden\":true}]}},"
	"{\"group\":{\"id\":\"01KMKF9EBTCD8BN9PG8DJZXRSQ\",\"name\":\"Codex\",\"components\":["
	"{\"component_id\":\"01KMP3KP5MGE23B80K1EK4S8PV\"}]}},"
	"{\"component\":{\"component_id\":\"01KKAD7C71MCCH3FTREMJH4AAS\",\"name\":\"FedRAMP\"}}]}}}";

static void test_incidentio_proxy(void **state)
{
	struct statuspage sp;
	char err[128];
	enum sp_component_status st;
	const struct sp_incident *in, *m;

	(void)state;
	assert_int_equal(parse_text(&sp, incidentio_proxy, "application/json", err, sizeof(err)), SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_INCIDENTIO);
	assert_string_equal(sp.name, "OpenAI");
	assert_string_equal(sp.url, "https://status.openai.com");
	/* structure order, hidden one left out, "Ads API" placed nowhere comes last */
	assert_int_equal(sp.n_components, 8);
	assert_string_equal(sp.components[0].name, "Responses");
	assert_string_equal(sp.components[0].group_name, "APIs");
	assert_string_equal(sp.components[0].group_id, "01K5H8S53SY1KMS4GQMNMQM1K5");
	assert_int_equal(sp.components[0].status, SP_COMPONENT_OPERATIONAL);
	assert_string_equal(sp.components[3].name, "Conversations");
	assert_string_equal(sp.components[3].group_name, "ChatGPT");
	assert_int_equal(sp.components[3].status, SP_COMPONENT_MAJOR_OUTAGE);
	assert_string_equal(sp.components[3].status_raw, "full_outage");
	assert_string_equal(sp.components[4].name, "Login");
	assert_int_equal(sp.components[4].status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	/* a structure entry without a name takes it from the component list */
	assert_string_equal(sp.components[5].name, "Codex API");
	assert_string_equal(sp.components[5].group_name, "Codex");
	assert_string_equal(sp.components[6].name, "FedRAMP");
	assert_string_equal(sp.components[6].group_name, "");
	assert_string_equal(sp.components[7].name, "Ads API");
	assert_null(statuspage_find_component(&sp, "Internal", NULL));
	assert_true(sp.components_complete);

	assert_int_equal(statuspage_worst_status(&sp, "ChatGPT", &st), 2);
	assert_int_equal(st, SP_COMPONENT_MAJOR_OUTAGE);
	assert_int_equal(statuspage_worst_status(&sp, "API", &st), 3);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(statuspage_worst_status(&sp, "Login", &st), 2);
	assert_int_equal(st, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_int_equal(statuspage_worst_status(&sp, "APIs/Login", &st), 1);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(statuspage_worst_status(&sp, "Codex", &st), 1);

	/* no rollup in this JSON: worked out, critical from the incident's full outage */
	assert_false(sp.has_status);
	assert_string_equal(sp.indicator_raw, "");
	assert_int_equal(sp.indicator, SP_INDICATOR_CRITICAL);

	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "01M0JXWD740S0Y50DWJZS7SH75");
	assert_string_equal(in->name, "Elevated errors on ChatGPT");
	assert_int_equal(in->state, SP_STATE_IDENTIFIED);
	assert_string_equal(in->impact_raw, "full_outage");
	assert_int_equal(in->impact, SP_INDICATOR_CRITICAL);
	assert_int_equal(in->created_at, 1787341714);
	assert_int_equal(in->updated_at, 1787343000);
	assert_int_equal(in->n_components, 2);
	assert_string_equal(in->components[0], "Conversations");
	assert_string_equal(in->components[1], "Login");
	assert_int_equal(in->n_updates, 2);
	assert_string_equal(in->updates[0].id, "u2");
	assert_string_equal(in->updates[0].status, "identified");
	assert_string_equal(in->updates[0].body, "We found the cause.\n\nA fix is rolling out.");
	assert_string_equal(in->updates[1].body, "We are investigating.");

	assert_true(sp.has_maintenances);
	assert_int_equal(sp.n_maintenances, 1);
	m = &sp.maintenances[0];
	assert_string_equal(m->name, "Codex API database upgrade");
	assert_string_equal(m->status, "maintenance_scheduled");
	assert_int_equal(m->state, SP_STATE_SCHEDULED);
	assert_int_equal(m->impact, SP_INDICATOR_MAINTENANCE);
	assert_int_equal(m->scheduled_for, 1788253200);
	assert_int_equal(m->scheduled_until, 1788256800);
	assert_int_equal(m->n_components, 1);
	assert_string_equal(m->components[0], "Codex API");
	statuspage_done(&sp);
}

static void test_incidentio_proxy_minimal(void **state)
{
	/* the smallest forms seen in other clients' tests: no structure, or nothing
	 * but structure; an unknown word stays unknown */
	const char *flat = "{\"summary\":{\"components\":[{\"id\":\"cmp-1\",\"name\":\"Codex\",\"status_page_id\":\"p\"}],"
			   "\"affected_components\":[{\"component_id\":\"cmp-1\",\"status\":\"custom_status\"}]}}";
	const char *tree = "{\"summary\":{\"structure\":{\"items\":[{\"group\":{\"name\":\"Codex\",\"components\":"
			   "[{\"component_id\":\"codex-cli\",\"name\":\"CLI\"},{\"name\":null},{}]}}]}}}";
	struct statuspage sp;
	char err[128];
	enum sp_component_status st;

	(void)state;
	assert_int_equal(parse_text(&sp, flat, NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.n_components, 1);
	assert_int_equal(sp.components[0].status, SP_COMPONENT_UNKNOWN);
	assert_string_equal(sp.components[0].status_raw, "custom_status");
	assert_false(sp.has_incidents);
	statuspage_done(&sp);

	assert_int_equal(parse_text(&sp, tree, NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.n_components, 1);
	assert_string_equal(sp.components[0].name, "CLI");
	assert_string_equal(sp.components[0].group_name, "Codex");
	assert_int_equal(statuspage_worst_status(&sp, "Codex", &st), 1);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	statuspage_done(&sp);
}

/* written for this test from incident.io's documented widget API
 * (GET /api/v1/summary) */
static const char incidentio_widget[] =
	"{\"page_title\":\"Example Status\",\"page_url\":\"https://status.example.com\","
	"\"ongoing_incidents\":[{\"id\":\"01KINC\",\"name\":\"Increased API latency\",\"status\":\"investigating\","
	"\"url\":\"https://status.example.com/incidents/01KINC\",\"last_update_at\":\"2026-09-23T08:30:00Z\","
	"\"last_update_message\":\"We are looking into slower responses.\","
	"\"current_worst_impact\":\"degraded_performance\",\"affected_components\":["
	"{\"id\":\"c1\",\"name\":\"API\",\"group_name\":\"Platform\",\"current_status\":\"degraded_performance\"},"
	"{\"id\":\"c2\",\"name\":\"Dashboard\",\"current_status\":\"partial_outage\"}]}],"
	"\"in_progress_maintenances\":[{\"id\":\"01KMNT\",\"name\":\"Database maintenance\","
	"\"status\":\"maintenance_in_progress\",\"url\":\"https://status.example.com/incidents/01KMNT\","
	"\"last_update_at\":\"2026-09-23T09:00:00Z\",\"last_update_message\":\"Maintenance has begun.\","
	"\"started_at\":\"2026-09-23T09:00:00Z\",\"scheduled_end_at\":\"2026-09-23T11:00:00Z\","
	"\"affected_components\":[{\"id\":\"c3\",\"name\":\"Exports\",\"group_name\":\"Platform\"}]}],"
	"\"scheduled_maintenances\":[{\"id\":\"01KSCH\",\"name\":\"Network upgrade\",\"status\":\"maintenance_scheduled\","
	"\"url\":\"https://status.example.com/incidents/01KSCH\",\"last_update_at\":\"2026-09-20T10:00:00Z\","
	"\"last_update_message\":\"Scheduled.\",\"starts_at\":\"2026-10-01T22:00:00Z\",\"ends_at\":\"2026-10-02T02:00:00Z\","
	"\"affected_components\":[{\"id\":\"c4\",\"name\":\"Edge\",\"group_name\":\"Network\"}]}]}";

static void test_incidentio_widget(void **state)
{
	struct statuspage sp;
	char err[128];
	enum sp_component_status st;
	const struct sp_incident *in;

	(void)state;
	assert_int_equal(parse_text(&sp, incidentio_widget, "application/json", err, sizeof(err)), SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_INCIDENTIO_WIDGET);
	assert_string_equal(sp.name, "Example Status");
	assert_string_equal(sp.url, "https://status.example.com");
	/* only what incidents and running maintenances touch */
	assert_false(sp.components_complete);
	assert_int_equal(sp.n_components, 3);
	assert_string_equal(statuspage_find_component(&sp, "API", "Platform")->status_raw,
			    "degraded_performance");
	assert_int_equal(comp(&sp, "Dashboard")->status, SP_COMPONENT_PARTIAL_OUTAGE);
	assert_int_equal(comp(&sp, "Exports")->status, SP_COMPONENT_UNDER_MAINTENANCE);
	assert_null(statuspage_find_component(&sp, "Edge", NULL));
	assert_int_equal(statuspage_worst_status(&sp, "Platform", &st), 2);
	assert_int_equal(st, SP_COMPONENT_DEGRADED_PERFORMANCE);
	/* not listed here means not affected */
	assert_int_equal(statuspage_worst_status(&sp, "Edge", &st), 0);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(sp.indicator, SP_INDICATOR_MINOR);

	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->name, "Increased API latency");
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_string_equal(in->impact_raw, "degraded_performance");
	assert_string_equal(in->shortlink, "https://status.example.com/incidents/01KINC");
	assert_int_equal(in->updated_at, 1790152200);
	assert_int_equal(in->n_updates, 1);
	assert_string_equal(in->updates[0].body, "We are looking into slower responses.");
	assert_int_equal(in->updates[0].state, SP_STATE_INVESTIGATING);
	assert_int_equal(in->n_components, 2);

	assert_int_equal(sp.n_maintenances, 2);
	assert_int_equal(sp.maintenances[0].state, SP_STATE_IN_PROGRESS);
	assert_int_equal(sp.maintenances[0].scheduled_for, 1790154000);
	assert_int_equal(sp.maintenances[0].scheduled_until, 1790161200);
	assert_int_equal(sp.maintenances[1].state, SP_STATE_SCHEDULED);
	assert_string_equal(sp.maintenances[1].name, "Network upgrade");
	assert_int_equal(sp.maintenances[1].scheduled_for, 1790892000);
	assert_int_equal(sp.maintenances[1].scheduled_until, 1790906400);
	statuspage_done(&sp);
}

/* ---- components.json ---- */

static void test_merge_components(void **state)
{
	/* written for this test in the components.json shape, with names
	 * OpenAI's summary.json is known to leave out */
	const char *more =
		"{\"page\":{\"id\":\"01JMDK9XYNY6RXSED6SDWW50WY\",\"name\":\"OpenAI\"},\"components\":["
		"{\"id\":\"01JMXBRMFE6N2NNT7DG6XZQ6PW\",\"name\":\"Chat Completions\",\"status\":\"operational\"},"
		"{\"id\":\"01JMXBRMFEV0AJ0VVS68N9CD6R\",\"name\":\"Embeddings\",\"status\":\"degraded_performance\"},"
		"{\"id\":\"some-other-id\",\"name\":\"Images\",\"status\":\"major_outage\"},"
		"{\"id\":\"01JMXBRMFEVZ7E0X9GD9FWR9WX\",\"name\":\"Moderations\",\"status\":\"partial_outage\"}]}";
	const char *status_only = "{\"page\":{\"name\":\"OpenAI\"},\"status\":{\"indicator\":\"none\"}}";
	struct statuspage sp;
	char err[128];

	(void)state;
	parse_file(&sp, "openai-incidentio-v2-summary-operational-no-incidents-key-2026-09-24.json");
	assert_int_equal(statuspage_merge_components(&sp, more, strlen(more), "application/json",
						     err, sizeof(err)), SP_OK);
	assert_int_equal(sp.n_components, 27);
	assert_string_equal(sp.components[25].name, "Chat Completions");
	assert_string_equal(sp.components[26].name, "Moderations");
	assert_int_equal(sp.components[26].status, SP_COMPONENT_PARTIAL_OUTAGE);
	/* known by name: the summary's word stands, whatever the id says */
	assert_int_equal(comp(&sp, "Embeddings")->status, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(comp(&sp, "Images")->status, SP_COMPONENT_OPERATIONAL);
	/* the page's own rollup is not touched */
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);

	assert_int_equal(statuspage_merge_components(&sp, "<html>", 6, "text/html", err, sizeof(err)),
			 SP_ERR_HTML);
	assert_int_equal(statuspage_merge_components(&sp, status_only, strlen(status_only), NULL,
						     err, sizeof(err)), SP_ERR_SHAPE);
	assert_string_equal(err, "not a component list: no components in the JSON");
	assert_int_equal(statuspage_merge_components(&sp, "", 0, NULL, err, sizeof(err)), SP_ERR_EMPTY);
	assert_int_equal(sp.n_components, 27);
	/* merging the same list twice adds nothing */
	assert_int_equal(statuspage_merge_components(&sp, more, strlen(more), NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.n_components, 27);
	statuspage_done(&sp);
}

static void test_merge_into_page_without_components(void **state)
{
	const char *status_only = "{\"page\":{\"name\":\"Example\"},\"status\":{\"indicator\":\"minor\"}}";
	const char *list = "{\"components\":[{\"id\":\"a\",\"name\":\"A\",\"status\":\"major_outage\"}]}";
	struct statuspage sp;
	char err[128];

	(void)state;
	assert_int_equal(parse_text(&sp, status_only, NULL, err, sizeof(err)), SP_OK);
	assert_false(sp.has_components);
	assert_int_equal(statuspage_merge_components(&sp, list, strlen(list), NULL, err, sizeof(err)), SP_OK);
	assert_true(sp.has_components);
	assert_int_equal(sp.n_components, 1);
	assert_int_equal(sp.indicator, SP_INDICATOR_MINOR);
	statuspage_done(&sp);
}

/* ---- words and lifecycle ---- */

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(statuspage_component_status_name(SP_COMPONENT_DEGRADED_PERFORMANCE),
			    "degraded_performance");
	assert_string_equal(statuspage_component_status_name(SP_COMPONENT_UNDER_MAINTENANCE),
			    "under_maintenance");
	assert_string_equal(statuspage_component_status_name((enum sp_component_status)99), "unknown");
	assert_string_equal(statuspage_component_status_label(SP_COMPONENT_MAJOR_OUTAGE), "major outage");
	assert_string_equal(statuspage_indicator_name(SP_INDICATOR_MAINTENANCE), "maintenance");
	assert_string_equal(statuspage_indicator_name((enum sp_indicator)-1), "unknown");
	assert_string_equal(statuspage_state_name(SP_STATE_IN_PROGRESS), "in_progress");
	assert_string_equal(statuspage_source_name(SP_SOURCE_INCIDENTIO), "incident.io");
	assert_int_equal(statuspage_component_status_from("full_outage"), SP_COMPONENT_MAJOR_OUTAGE);
	assert_int_equal(statuspage_component_status_from("partial_outage"), SP_COMPONENT_PARTIAL_OUTAGE);
	assert_int_equal(statuspage_component_status_from("Operational"), SP_COMPONENT_UNKNOWN);
	assert_int_equal(statuspage_component_status_from(""), SP_COMPONENT_UNKNOWN);
	assert_int_equal(statuspage_component_status_from(NULL), SP_COMPONENT_UNKNOWN);
	assert_int_equal(statuspage_indicator_from("critical"), SP_INDICATOR_CRITICAL);
	assert_int_equal(statuspage_indicator_from("unknown"), SP_INDICATOR_UNKNOWN);
	assert_int_equal(statuspage_indicator_from(NULL), SP_INDICATOR_UNKNOWN);
	assert_int_equal(statuspage_state_from("maintenance_in_progress"), SP_STATE_IN_PROGRESS);
	assert_int_equal(statuspage_state_from("maintenance_complete"), SP_STATE_COMPLETED);
	assert_int_equal(statuspage_state_from("postmortem"), SP_STATE_POSTMORTEM);
	assert_true(statuspage_state_is_closed(SP_STATE_POSTMORTEM));
	assert_false(statuspage_state_is_closed(SP_STATE_MONITORING));
	assert_true(statuspage_component_status_rank(SP_COMPONENT_MAJOR_OUTAGE) >
		    statuspage_component_status_rank(SP_COMPONENT_PARTIAL_OUTAGE));
	assert_true(statuspage_component_status_rank(SP_COMPONENT_UNDER_MAINTENANCE) >
		    statuspage_component_status_rank(SP_COMPONENT_UNKNOWN));
	assert_true(statuspage_component_status_rank(SP_COMPONENT_UNKNOWN) >
		    statuspage_component_status_rank(SP_COMPONENT_OPERATIONAL));
}

static void test_init_done_reuse(void **state)
{
	struct statuspage sp;
	char err[64];

	(void)state;
	statuspage_init(&sp);
	assert_string_equal(sp.name, "");
	assert_int_equal(sp.indicator, SP_INDICATOR_UNKNOWN);
	statuspage_done(&sp);
	statuspage_done(&sp); /* twice is harmless */
	statuspage_done(NULL);
	/* a small error buffer gets a cut, terminated message */
	assert_int_equal(statuspage_parse(&sp, "<p>", 3, NULL, err, 8), SP_ERR_HTML);
	assert_string_equal(err, "status ");
	statuspage_done(&sp);
	assert_int_equal(statuspage_parse(&sp, "<p>", 3, NULL, NULL, 0), SP_ERR_HTML);
	statuspage_done(&sp);
	/* one struct, many polls */
	for (int i = 0; i < 3; i++) {
		parse_file(&sp, "github-summary-maintenance-in-progress-plus-incident-2025-05-30.json");
		assert_int_equal(sp.n_maintenances, 1);
		statuspage_done(&sp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_all_operational),
		cmocka_unit_test(test_github_minor_degraded),
		cmocka_unit_test(test_github_major_outage_35_updates),
		cmocka_unit_test(test_github_maintenance_plus_incident),
		cmocka_unit_test(test_openai_incidentio_v2_summary),
		cmocka_unit_test(test_claude_minor_partial_outage),
		cmocka_unit_test(test_perplexity_incidentio_v2_summary),
		cmocka_unit_test(test_cursor_all_operational),
		cmocka_unit_test(test_discord_summary_dangling_group),
		cmocka_unit_test(test_discord_incidents_json),
		cmocka_unit_test(test_discord_maintenance_unicode_crlf),
		cmocka_unit_test(test_openai_401_body_is_not_a_status_page),
		cmocka_unit_test(test_html_is_an_error),
		cmocka_unit_test(test_empty_is_an_error),
		cmocka_unit_test(test_invalid_json_is_an_error),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_tolerates_missing_null_and_wrong_types),
		cmocka_unit_test(test_status_json_rollup_only),
		cmocka_unit_test(test_page_text_is_sanitized),
		cmocka_unit_test(test_groups_and_worst_status),
		cmocka_unit_test(test_incidentio_proxy),
		cmocka_unit_test(test_incidentio_proxy_minimal),
		cmocka_unit_test(test_incidentio_widget),
		cmocka_unit_test(test_merge_components),
		cmocka_unit_test(test_merge_into_page_without_components),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_init_done_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
