/* test_statuspage_datadog.c: a Datadog Status Pages config.json (OpenRouter's
 * page) read into a struct statuspage (core/statuspage_datadog.c).
 *
 * The capture is a real response (tests/data/statuspage/SOURCES.md, section K):
 * 7 components in a group and beside it, 4 incidents all resolved, maintenances
 * null. The open cases are made in code from the capture, by turning one of its
 * incidents back into what it was before it was resolved, and labelled so. */
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
#define CAPTURE "openrouter-datadog-config-7-components-4-resolved-incidents-2026-09-11.json"

static const struct sp_component *comp(const struct statuspage *sp, const char *name)
{
	const struct sp_component *c = statuspage_find_component(sp, name, NULL);

	if (!c)
		fail_msg("no component \"%s\"", name);
	return c;
}

static void parse_ok(struct statuspage *sp, const char *body, size_t len)
{
	char err[256] = "";

	if (statuspage_parse(sp, body, len, "application/json", err, sizeof(err)) != SP_OK)
		fail_msg("parse: %s", err);
}

static void test_capture_all_resolved(void **state)
{
	struct statuspage sp;
	const struct sp_component *c;
	enum sp_component_status st;
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);

	(void)state;
	parse_ok(&sp, body, len);
	assert_int_equal(sp.source, SP_SOURCE_DATADOG);
	assert_string_equal(statuspage_source_name(sp.source), "datadog");
	assert_string_equal(sp.name, "OpenRouter");
	assert_string_equal(sp.url, "https://openrouter.statuspage.datadoghq.com");
	assert_false(sp.has_status);
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_true(sp.has_components);
	assert_true(sp.components_complete);
	/* the group's own row, its 6 components, and one beside it */
	assert_int_equal(sp.n_components, 8);
	c = &sp.components[0];
	assert_string_equal(c->name, "API - Gateway");
	assert_string_equal(c->id, "62d944d3-1acb-471b-81a0-099b3da0164f");
	assert_true(c->is_group);
	assert_int_equal(c->status, SP_COMPONENT_OPERATIONAL);
	assert_string_equal(c->group_name, "");
	c = &sp.components[1];
	assert_string_equal(c->name, "Chat (/api/v1/chat/completions)");
	assert_string_equal(c->id, "9fb5ccff-e128-455a-be20-59572f8d363a");
	assert_false(c->is_group);
	assert_string_equal(c->status_raw, "operational");
	assert_string_equal(c->group_name, "API - Gateway");
	assert_string_equal(c->group_id, "62d944d3-1acb-471b-81a0-099b3da0164f");
	assert_string_equal(sp.components[6].name, "Embeddings (/api/v1/embeddings)");
	c = &sp.components[7];
	assert_string_equal(c->name, "Web & Application Services");
	assert_string_equal(c->group_name, "");
	assert_false(c->is_group);
	/* the group name finds it and its children */
	assert_int_equal(statuspage_worst_status(&sp, "API - Gateway", &st), 7);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	/* the history is all resolved: nothing open */
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_true(sp.has_maintenances); /* "maintenances": null */
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
	free(body);
}

static cJSON *incident_by_id(cJSON *root, const char *id)
{
	cJSON *j;

	cJSON_ArrayForEach(j, cJSON_GetObjectItemCaseSensitive(root, "incidents")) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "id");

		if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
			return j;
	}
	fail_msg("no incident %s", id);
	return NULL;
}

/* Made from the capture, not captured: "Degraded video generation API" as it
 * stood before its last update (resolved flag off, its status the first
 * update's, the resolution update and date removed, the component degraded as
 * that update said); the group and component statuses follow. */
static void test_capture_reopened(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);
	cJSON *root = cJSON_ParseWithLength(body, len);
	cJSON *video, *x, *comps, *group;
	char *text;

	(void)state;
	assert_non_null(root);
	video = incident_by_id(root, "2a3d415a-1eed-417f-b269-6e308a7f7990");
	cJSON_ReplaceItemInObjectCaseSensitive(video, "resolved", cJSON_CreateFalse());
	cJSON_ReplaceItemInObjectCaseSensitive(video, "currentStatus", cJSON_CreateString("investigating"));
	cJSON_DeleteItemFromObjectCaseSensitive(video, "resolvedDate");
	cJSON_DeleteItemFromArray(cJSON_GetObjectItemCaseSensitive(video, "timeline"), 0);
	x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(video, "componentsAffected"), 0);
	cJSON_ReplaceItemInObjectCaseSensitive(x, "status", cJSON_CreateString("degraded"));
	comps = cJSON_GetObjectItemCaseSensitive(root, "components");
	group = cJSON_GetArrayItem(comps, 0);
	x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(group, "components"), 1);
	cJSON_ReplaceItemInObjectCaseSensitive(x, "status", cJSON_CreateString("degraded"));
	text = cJSON_PrintUnformatted(root);
	assert_non_null(text);
	parse_ok(&sp, text, strlen(text));

	assert_int_equal(comp(&sp, "Video (/api/v1/videos)")->status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_string_equal(comp(&sp, "Video (/api/v1/videos)")->status_raw, "degraded");
	assert_int_equal(comp(&sp, "API - Gateway")->status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_int_equal(comp(&sp, "Chat (/api/v1/chat/completions)")->status, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "2a3d415a-1eed-417f-b269-6e308a7f7990");
	assert_string_equal(in->name, "Degraded video generation API");
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_string_equal(in->impact_raw, "degraded_performance");
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_int_equal(in->created_at, 1788546420);  /* publishedDate */
	assert_int_equal(in->updated_at, 1789094041);  /* lastModifiedAt, fraction dropped */
	assert_string_equal(in->shortlink, "");
	assert_int_equal(in->n_components, 1);
	assert_string_equal(in->components[0], "Video (/api/v1/videos)");
	assert_int_equal(in->n_updates, 1);
	assert_string_equal(in->updates[0].id, "0e1f8339-4c5d-40d6-9d65-af81d15d7f74");
	assert_int_equal(in->updates[0].state, SP_STATE_INVESTIGATING);
	assert_int_equal(in->updates[0].at, 1788546420); /* startedAt */
	assert_string_equal(in->updates[0].body, "We are investigating degraded availability for our "
			    "video generation and batch jobs APIs.");
	assert_int_equal(sp.indicator, SP_INDICATOR_MINOR);
	statuspage_done(&sp);
	cJSON_free(text);
	cJSON_Delete(root);
	free(body);
}

/* The full capture's resolved incident, read as a whole: its two updates, newest
 * first, when it is forced open by its resolved flag alone. */
static void test_capture_updates_order(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);
	cJSON *root = cJSON_ParseWithLength(body, len);
	cJSON *web;
	char *text;

	(void)state;
	web = incident_by_id(root, "7aed8b9f-0e35-479d-bf9a-42f033c08b66");
	cJSON_ReplaceItemInObjectCaseSensitive(web, "resolved", cJSON_CreateFalse());
	cJSON_ReplaceItemInObjectCaseSensitive(web, "currentStatus", cJSON_CreateString("monitoring"));
	text = cJSON_PrintUnformatted(root);
	parse_ok(&sp, text, strlen(text));
	assert_int_equal(sp.n_incidents, 1);
	in = &sp.incidents[0];
	assert_int_equal(in->state, SP_STATE_MONITORING);
	/* componentsAffected says operational: an open incident is still at least minor */
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_int_equal(in->n_updates, 2);
	assert_int_equal(in->updates[0].at, 1787956380);
	assert_int_equal(in->updates[0].state, SP_STATE_RESOLVED);
	assert_int_equal(in->updates[1].at, 1787900700);
	assert_string_equal(in->updates[1].body,
			    "We are investigating an issue that is causing certain parts of the web "
			    "application to be unavailable. We will update when we have more "
			    "information. Inference is unaffected.");
	statuspage_done(&sp);
	cJSON_free(text);
	cJSON_Delete(root);
	free(body);
}

/* Statuspage's components.json has no "type": it stays Statuspage's. */
static void test_statuspage_not_taken(void **state)
{
	static const char body[] = "{\"components\": [{\"name\": \"a\", \"status\": \"operational\"}]}";
	static const char bare[] = "{\"pageUrl\": \"https://x\", \"domainPrefix\": \"x\", \"incidents\": [], "
				   "\"maintenances\": [{\"id\": \"m\", \"title\": \"M\", \"currentStatus\": "
				   "\"in_progress\", \"startDate\": \"2026-09-01T00:00:00Z\"}]}";
	struct statuspage sp;
	char err[256];

	(void)state;
	assert_int_equal(statuspage_parse(&sp, body, strlen(body), NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_STATUSPAGE);
	statuspage_done(&sp);
	/* written for this test: a page without components, one maintenance running */
	assert_int_equal(statuspage_parse(&sp, bare, strlen(bare), NULL, err, sizeof(err)), SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_DATADOG);
	assert_false(sp.has_components);
	assert_int_equal(sp.n_maintenances, 1);
	assert_int_equal(sp.maintenances[0].state, SP_STATE_IN_PROGRESS);
	assert_int_equal(sp.maintenances[0].impact, SP_INDICATOR_MAINTENANCE);
	assert_int_equal(sp.maintenances[0].scheduled_for, 1788220800);
	statuspage_done(&sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_all_resolved),
		cmocka_unit_test(test_capture_reopened),
		cmocka_unit_test(test_capture_updates_order),
		cmocka_unit_test(test_statuspage_not_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
