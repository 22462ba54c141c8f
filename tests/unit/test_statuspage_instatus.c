/* test_statuspage_instatus.c: Instatus's summary.json and v2/components.json
 * read into a struct statuspage (core/statuspage_instatus.c).
 *
 * The two captures are real responses of Perplexity's page from when it ran on
 * Instatus (tests/data/statuspage/SOURCES.md, section J): nothing active. The
 * active incident and maintenance below are written for these tests from the
 * shape Instatus's public API documentation shows, and labelled so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdata.h"

#include "statuspage.h"

#define DATA TEST_DATA_DIR "/statuspage/"
#define SUMMARY "perplexity-instatus-summary-up-no-active-events-2026.json"
#define COMPONENTS "perplexity-instatus-v2-components-3-operational-2026.json"

static void parse_file(struct statuspage *sp, const char *name)
{
	char err[256] = "";
	size_t len;
	char *body = testdata_load(DATA, name, &len);

	if (statuspage_parse(sp, body, len, "application/json", err, sizeof(err)) != SP_OK)
		fail_msg("%s: %s", name, err);
	free(body);
}

static void test_capture_summary_up(void **state)
{
	struct statuspage sp;

	(void)state;
	parse_file(&sp, SUMMARY);
	assert_int_equal(sp.source, SP_SOURCE_INSTATUS);
	assert_string_equal(statuspage_source_name(sp.source), "instatus");
	assert_string_equal(sp.name, "Perplexity");
	assert_string_equal(sp.url, "https://status.perplexity.com");
	assert_int_equal(sp.updated_at, 0);
	assert_true(sp.has_status);
	assert_string_equal(sp.indicator_raw, "UP");
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_string_equal(sp.description, "");
	/* the summary names no components */
	assert_false(sp.has_components);
	assert_int_equal(sp.n_components, 0);
	/* no lists at all: nothing active */
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_true(sp.has_maintenances);
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
}

static void test_capture_components(void **state)
{
	struct statuspage sp;
	const struct sp_component *c;

	(void)state;
	parse_file(&sp, COMPONENTS);
	assert_int_equal(sp.source, SP_SOURCE_INSTATUS);
	assert_string_equal(sp.name, "");
	assert_false(sp.has_status);
	assert_true(sp.has_components);
	assert_true(sp.components_complete);
	assert_int_equal(sp.n_components, 3);
	c = &sp.components[1];
	assert_string_equal(c->id, "clyiakn7i60113hvojwho6za6j");
	assert_string_equal(c->name, "API");
	assert_string_equal(c->status_raw, "OPERATIONAL");
	assert_int_equal(c->status, SP_COMPONENT_OPERATIONAL);
	assert_string_equal(c->group_name, ""); /* null */
	assert_string_equal(c->group_id, "");
	assert_string_equal(sp.components[0].name, "Website");
	assert_string_equal(sp.components[2].name, "Computer");
	assert_false(sp.has_incidents);
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE); /* worked out */
	statuspage_done(&sp);
}

/* What a statuspage target with components_url does. */
static void test_capture_summary_plus_components(void **state)
{
	struct statuspage sp;
	enum sp_component_status st;
	char err[256] = "";
	size_t len;
	char *body;

	(void)state;
	parse_file(&sp, SUMMARY);
	body = testdata_load(DATA, COMPONENTS, &len);
	assert_int_equal(statuspage_merge_components(&sp, body, len, NULL, err, sizeof(err)), SP_OK);
	free(body);
	assert_int_equal(sp.n_components, 3);
	assert_true(sp.has_components);
	assert_int_equal(statuspage_worst_status(&sp, "API", &st), 1);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_string_equal(sp.indicator_raw, "UP");
	statuspage_done(&sp);
}

/* Written for this test from the documented shape, not captured. */
static const char written_summary[] =
	"{\"page\": {\"name\": \"Example\", \"url\": \"https://status.example.com\", \"status\": \"HASISSUES\"},\n"
	" \"activeIncidents\": [{\"id\": \"i1\", \"name\": \"We're facing an issue with our API\",\n"
	"   \"started\": \"2022-06-11T18:55:50Z\", \"status\": \"INVESTIGATING\", \"impact\": \"PARTIALOUTAGE\",\n"
	"   \"url\": \"https://status.example.com/incident/i1\", \"updatedAt\": \"2022-06-11T19:00:00Z\"},\n"
	"  {\"id\": \"i2\", \"name\": \"Slow \\u001b[2Jpages\", \"status\": \"MONITORING\",\n"
	"   \"impact\": \"DEGRADEDPERFORMANCE\"}],\n"
	" \"activeMaintenances\": [{\"id\": \"m1\", \"name\": \"Database maintenance\",\n"
	"   \"start\": \"2022-06-11T18:55:54Z\", \"status\": \"NOTSTARTEDYET\", \"duration\": \"60\",\n"
	"   \"url\": \"https://status.example.com/maintenance/m1\", \"updatedAt\": \"2022-06-11T18:56:00Z\"},\n"
	"  {\"id\": \"m2\", \"name\": \"Now\", \"status\": \"INPROGRESS\", \"duration\": 30,\n"
	"   \"start\": \"2022-06-12T00:00:00Z\"}]}\n";

static void test_written_active_events(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	char err[256] = "";

	(void)state;
	assert_int_equal(statuspage_parse(&sp, written_summary, strlen(written_summary), NULL, err,
					  sizeof(err)), SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_INSTATUS);
	assert_string_equal(sp.indicator_raw, "HASISSUES");
	assert_int_equal(sp.indicator, SP_INDICATOR_MAJOR); /* the worst incident's */
	assert_int_equal(sp.n_incidents, 2);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "i1");
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_string_equal(in->status, "INVESTIGATING");
	assert_string_equal(in->impact_raw, "PARTIALOUTAGE");
	assert_int_equal(in->impact, SP_INDICATOR_MAJOR);
	assert_int_equal(in->created_at, 1654973750);
	assert_int_equal(in->updated_at, 1654974000);
	assert_string_equal(in->shortlink, "https://status.example.com/incident/i1");
	in = &sp.incidents[1];
	assert_int_equal(in->state, SP_STATE_MONITORING);
	assert_int_equal(in->impact, SP_INDICATOR_MINOR);
	assert_null(strchr(in->name, '\x1b'));
	assert_int_equal(in->created_at, 0);
	assert_int_equal(sp.n_maintenances, 2);
	in = &sp.maintenances[0];
	assert_int_equal(in->state, SP_STATE_SCHEDULED);
	assert_int_equal(in->impact, SP_INDICATOR_MAINTENANCE);
	assert_int_equal(in->scheduled_for, 1654973754);
	assert_int_equal(in->scheduled_until, 1654973754 + 3600);
	in = &sp.maintenances[1];
	assert_int_equal(in->state, SP_STATE_IN_PROGRESS);
	assert_int_equal(in->scheduled_until - in->scheduled_for, 1800);
	statuspage_done(&sp);
}

/* Statuspage's own documents stay Statuspage's. */
static void test_statuspage_not_taken(void **state)
{
	static const char *const bodies[] = {
		"{\"page\": {\"name\": \"x\"}, \"status\": {\"indicator\": \"none\"}}",
		"{\"components\": [{\"name\": \"a\", \"status\": \"operational\"}]}",
		"{\"page\": {\"name\": \"x\", \"status\": \"UP\"}, \"status\": {\"indicator\": \"none\"}}",
	};
	struct statuspage sp;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(statuspage_parse(&sp, bodies[i], strlen(bodies[i]), NULL, err,
						  sizeof(err)), SP_OK);
		assert_int_equal(sp.source, SP_SOURCE_STATUSPAGE);
		statuspage_done(&sp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_summary_up),
		cmocka_unit_test(test_capture_components),
		cmocka_unit_test(test_capture_summary_plus_components),
		cmocka_unit_test(test_written_active_events),
		cmocka_unit_test(test_statuspage_not_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
