/* test_statuspage_google.c: Google Cloud's incidents.json read into a
 * struct statuspage (core/statuspage_google.c).
 *
 * The capture is a real response (tests/data/statuspage/SOURCES.md, section F):
 * 157 incidents, every one ended. The open-incident cases are made in code from
 * that capture, by removing the keys an incident gains when it ends, and from an
 * inline document written for these tests from Google's published schema of the
 * feed; each is labelled where it appears. */
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
#include "statuspage_diff.h"

#define DATA TEST_DATA_DIR "/statuspage/"
#define CAPTURE "google-cloud-incidents-157-all-ended-2022-07-03.json"

static int parse_buf(struct statuspage *sp, const char *body, size_t len, char *err, size_t errlen)
{
	return statuspage_parse(sp, body, len, "application/json", err, errlen);
}

static const struct sp_incident *incident(const struct statuspage *sp, const char *id)
{
	for (size_t i = 0; i < sp->n_incidents; i++)
		if (strcmp(sp->incidents[i].id, id) == 0)
			return &sp->incidents[i];
	fail_msg("no incident \"%s\"", id);
	return NULL;
}

static const struct sp_component *comp(const struct statuspage *sp, const char *name)
{
	const struct sp_component *c = statuspage_find_component(sp, name, NULL);

	if (!c)
		fail_msg("no component \"%s\"", name);
	return c;
}

static void test_capture_all_ended(void **state)
{
	struct statuspage sp;
	enum sp_component_status st;
	char err[256] = "";
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);

	(void)state;
	assert_int_equal(len, 1347448);
	assert_int_equal(parse_buf(&sp, body, len, err, sizeof(err)), SP_OK);
	assert_string_equal(err, "");
	assert_int_equal(sp.source, SP_SOURCE_GOOGLE_CLOUD);
	assert_string_equal(statuspage_source_name(sp.source), "google cloud");
	/* the feed names no page and gives no rollup */
	assert_string_equal(sp.name, "");
	assert_string_equal(sp.url, "");
	assert_false(sp.has_status);
	assert_string_equal(sp.indicator_raw, "");
	assert_string_equal(sp.description, "");
	/* the newest "modified" of all 157: 2022-07-01T19:25:45+00:00 */
	assert_int_equal(sp.updated_at, 1656703545);
	/* every incident has ended: nothing open, nothing affected, all is well */
	assert_true(sp.has_components);
	assert_false(sp.components_complete);
	assert_int_equal(sp.n_components, 0);
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_false(sp.has_maintenances);
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	/* a product the feed does not list is operational */
	assert_int_equal(statuspage_worst_status(&sp, "Vertex Gemini API", &st), 0);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	statuspage_done(&sp);
	free(body);
}

static cJSON *item_by_id(cJSON *arr, const char *id)
{
	cJSON *j;

	cJSON_ArrayForEach(j, arr) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "id");

		if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
			return j;
	}
	fail_msg("no incident %s in the capture", id);
	return NULL;
}

/* Made from the capture, not captured: two incidents as the feed showed them
 * before they ended. Apigee's keeps its latest update (AVAILABLE: the service
 * is back, the incident not yet closed); Composer and Cloud SQL's loses
 * "most_recent_update" too, so its status comes from status_impact. */
static void test_capture_reopened(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	const struct sp_component *c;
	enum sp_component_status st;
	char err[256] = "";
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);
	cJSON *root = cJSON_ParseWithLength(body, len);
	cJSON *apigee, *composer;
	char *text;

	(void)state;
	assert_non_null(root);
	apigee = item_by_id(root, "sPyYB214xAhqnoxNrrnW");
	composer = item_by_id(root, "mDY7jN545et9XUV541MZ");
	cJSON_DeleteItemFromObjectCaseSensitive(apigee, "end");
	cJSON_DeleteItemFromObjectCaseSensitive(composer, "end");
	cJSON_DeleteItemFromObjectCaseSensitive(composer, "most_recent_update");
	text = cJSON_PrintUnformatted(root);
	assert_non_null(text);
	assert_int_equal(parse_buf(&sp, text, strlen(text), err, sizeof(err)), SP_OK);

	assert_int_equal(sp.n_incidents, 2);
	in = incident(&sp, "sPyYB214xAhqnoxNrrnW");
	assert_string_equal(in->name,
			    "Global: Apigee X is experiencing issues with integrated portals and API Monitoring.");
	assert_string_equal(in->status, "AVAILABLE");
	assert_int_equal(in->state, SP_STATE_UNKNOWN);
	assert_false(statuspage_state_is_closed(in->state));
	assert_string_equal(in->impact_raw, "medium");
	assert_int_equal(in->impact, SP_INDICATOR_MAJOR);
	assert_int_equal(in->created_at, 1656540886);  /* created, not begin */
	assert_int_equal(in->updated_at, 1656612800);  /* modified */
	assert_string_equal(in->shortlink, "https://status.cloud.google.com/incidents/sPyYB214xAhqnoxNrrnW");
	assert_int_equal(in->n_components, 1);
	assert_string_equal(in->components[0], "Apigee");
	assert_int_equal(in->n_updates, 4);
	assert_int_equal(in->updates[0].at, 1656612797);
	assert_string_equal(in->updates[0].status, "AVAILABLE");
	assert_string_equal(in->updates[0].id, "");
	assert_int_equal(in->updates[0].state, SP_STATE_UNKNOWN);
	assert_int_equal(in->updates[3].at, 1656540881);
	assert_string_equal(in->updates[3].status, "SERVICE_DISRUPTION");
	assert_string_equal(in->updates[1].body,
			    "The issue with Apigee has been resolved for all affected users as of "
			    "Wednesday, 2022-06-29 16:11 US/Pacific.\n"
			    "We thank you for your patience while we worked on resolving the issue.");
	for (size_t i = 1; i < in->n_updates; i++)
		assert_true(in->updates[i - 1].at >= in->updates[i].at);
	assert_int_equal(in->scheduled_for, 0);

	in = incident(&sp, "mDY7jN545et9XUV541MZ");
	assert_string_equal(in->status, "SERVICE_INFORMATION");
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_int_equal(in->n_components, 2);
	assert_string_equal(in->components[0], "Google Cloud Composer");
	assert_string_equal(in->components[1], "Google Cloud SQL");

	/* the affected products are the components, with the incident's status now */
	assert_int_equal(sp.n_components, 3);
	c = comp(&sp, "Apigee");
	assert_string_equal(c->id, "9Y13BNFy4fJydvjdsN3X");
	assert_int_equal(c->status, SP_COMPONENT_OPERATIONAL);
	assert_string_equal(c->status_raw, "AVAILABLE");
	assert_string_equal(c->group_name, "");
	assert_false(c->is_group);
	c = comp(&sp, "Google Cloud SQL");
	assert_string_equal(c->id, "hV87iK5DcEXKgWU2kDri");
	assert_int_equal(c->status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_string_equal(c->status_raw, "SERVICE_INFORMATION");
	assert_int_equal(comp(&sp, "Google Cloud Composer")->status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	/* no rollup: the worst of components and open incidents (medium = major) */
	assert_false(sp.has_status);
	assert_int_equal(sp.indicator, SP_INDICATOR_MAJOR);
	assert_int_equal(statuspage_worst_status(&sp, "google cloud sql", &st), 1);
	assert_int_equal(st, SP_COMPONENT_DEGRADED_PERFORMANCE);
	statuspage_done(&sp);
	cJSON_free(text);
	cJSON_Delete(root);
	free(body);
}

/* Written for this test from Google's published schema of the feed (the field
 * names and their meaning), not captured: two open incidents on one product, an
 * ended one, a product renamed (current_title), an update with an escape. */
static const char written_feed[] =
	"[{\"id\": \"open1\", \"external_desc\": \"Vertex Gemini API elevated errors\",\n"
	"  \"begin\": \"2026-09-14T17:40:00+00:00\", \"created\": \"2026-09-14T17:45:00+00:00\",\n"
	"  \"modified\": \"2026-09-14T18:02:11+00:00\", \"severity\": \"high\",\n"
	"  \"status_impact\": \"SERVICE_OUTAGE\", \"uri\": \"incidents/open1\",\n"
	"  \"affected_products\": [{\"id\": \"Z0FZJAMvEB4j3NbCJs6B\", \"title\": \"Vertex Gemini API\",\n"
	"                         \"current_title\": \"Gemini on Agent Platform\"}],\n"
	"  \"most_recent_update\": {\"status\": \"SERVICE_OUTAGE\", \"when\": \"2026-09-14T18:02:11+00:00\"},\n"
	"  \"updates\": [{\"status\": \"SERVICE_DISRUPTION\", \"when\": \"2026-09-14T17:45:00+00:00\",\n"
	"                \"text\": \"first\\u001b[2Jword\"},\n"
	"               {\"status\": \"SERVICE_OUTAGE\", \"when\": \"2026-09-14T18:02:11+00:00\",\n"
	"                \"text\": \"second\"}]},\n"
	" {\"id\": \"open2\", \"external_desc\": \"Slow responses\", \"severity\": \"low\",\n"
	"  \"status_impact\": \"SERVICE_INFORMATION\", \"uri\": \"javascript:alert(1)\",\n"
	"  \"affected_products\": [{\"id\": \"Z0FZJAMvEB4j3NbCJs6B\", \"title\": \"Vertex Gemini API\",\n"
	"                         \"current_title\": \"Gemini on Agent Platform\"},\n"
	"                        {\"id\": \"x\", \"title\": \"Cloud Run\"}, {\"id\": \"y\"}, 7],\n"
	"  \"most_recent_update\": {\"status\": \"SERVICE_INFORMATION\"}, \"updates\": null},\n"
	" {\"id\": \"ended\", \"external_desc\": \"Done\", \"end\": \"2026-09-01T00:00:00+00:00\",\n"
	"  \"status_impact\": \"SERVICE_OUTAGE\",\n"
	"  \"affected_products\": [{\"id\": \"z\", \"title\": \"Cloud SQL\"}]}]\n";

static void test_written_open_incidents(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	const struct sp_component *c;
	enum sp_component_status st;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse_buf(&sp, written_feed, strlen(written_feed), err, sizeof(err)), SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_GOOGLE_CLOUD);
	assert_int_equal(sp.n_incidents, 2);
	in = incident(&sp, "open1");
	assert_int_equal(in->impact, SP_INDICATOR_CRITICAL);
	assert_string_equal(in->shortlink, "https://status.cloud.google.com/incidents/open1");
	assert_string_equal(in->components[0], "Gemini on Agent Platform");
	assert_int_equal(in->n_updates, 2);
	assert_string_equal(in->updates[0].body, "second");
	assert_null(strchr(in->updates[1].body, '\x1b'));
	in = incident(&sp, "open2");
	assert_string_equal(in->shortlink, ""); /* not https, not the dashboard's */
	assert_int_equal(in->n_updates, 0);
	assert_int_equal(in->n_components, 2); /* the product without a name is skipped */
	/* one product in two incidents: the worst status of the two */
	assert_int_equal(sp.n_components, 2);
	c = comp(&sp, "Gemini on Agent Platform");
	assert_int_equal(c->status, SP_COMPONENT_MAJOR_OUTAGE);
	assert_string_equal(c->status_raw, "SERVICE_OUTAGE");
	assert_int_equal(c->updated_at, 1789408931); /* 2026-09-14T18:02:11Z */
	assert_int_equal(comp(&sp, "Cloud Run")->status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_null(statuspage_find_component(&sp, "Cloud SQL", NULL));
	assert_int_equal(statuspage_worst_status(&sp, "Cloud SQL", &st), 0);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(sp.indicator, SP_INDICATOR_CRITICAL);
	statuspage_done(&sp);
}

/* From the written feed (two incidents open) to the capture (all ended): the
 * products leave the feed and read as back to operational, the incidents as
 * resolved, as for any page that lists only what is affected. */
static void test_diff_open_to_ended(void **state)
{
	struct statuspage old, now;
	struct statuspage_diff d;
	char err[256] = "";
	size_t len, n_components = 0, n_resolved = 0;
	char *body = testdata_load(DATA, CAPTURE, &len);

	(void)state;
	assert_int_equal(parse_buf(&old, written_feed, strlen(written_feed), err, sizeof(err)), SP_OK);
	assert_int_equal(parse_buf(&now, body, len, err, sizeof(err)), SP_OK);
	statuspage_diff_init(&d);
	assert_int_equal(statuspage_diff_compute(&d, &old, &now), 0);
	for (size_t i = 0; i < d.n_changes; i++) {
		const struct sp_change *c = &d.changes[i];

		if (c->kind == SP_CHANGE_COMPONENT) {
			assert_int_equal(c->new_status, SP_COMPONENT_OPERATIONAL);
			n_components++;
		} else if (c->kind == SP_CHANGE_INCIDENT_RESOLVED) {
			n_resolved++;
		}
	}
	assert_int_equal(n_components, 2);
	assert_int_equal(n_resolved, 2);
	assert_non_null(strstr(d.changes[0].text, "Gemini on Agent Platform now operational (was major outage)"));
	statuspage_diff_done(&d);
	statuspage_done(&old);
	statuspage_done(&now);
	free(body);
}

/* Arrays that are not Google's feed are still refused. */
static void test_other_arrays_refused(void **state)
{
	static const char *const bodies[] = { "[]", "[1, 2]", "[{\"name\": \"x\"}]", "[[{}]]" };
	struct statuspage sp;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(parse_buf(&sp, bodies[i], strlen(bodies[i]), err, sizeof(err)),
				 SP_ERR_SHAPE);
		assert_int_equal(sp.source, SP_SOURCE_NONE);
		assert_string_equal(err, "not a status page: the JSON is not an object");
		statuspage_done(&sp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_all_ended),
		cmocka_unit_test(test_capture_reopened),
		cmocka_unit_test(test_written_open_incidents),
		cmocka_unit_test(test_diff_open_to_ended),
		cmocka_unit_test(test_other_arrays_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
