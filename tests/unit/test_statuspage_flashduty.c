/* test_statuspage_flashduty.c: Flashduty's summary/active (DeepSeek's status
 * page) read into a struct statuspage (core/statuspage_flashduty.c).
 *
 * The capture is a real response (tests/data/statuspage/SOURCES.md, section I)
 * with no active change. No capture with one was found: the active changes below
 * are written for these tests, in the field names other public readers of this
 * page report from real responses (change_id, type, title, status,
 * start_at_seconds, affected_components[].status), and put into the captured
 * page in place of its empty list; they are labelled where they appear. */
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
#define CAPTURE "deepseek-flashduty-summary-active-8-components-no-active-changes-2026.json"

#define PRO_API "DeepSeek V4 Pro API\xe6\x9c\x8d\xe5\x8a\xa1(API Service)"       /* ...API服务(API Service) */
#define FLASH_API "DeepSeek V4 Flash API\xe6\x9c\x8d\xe5\x8a\xa1(API Service)"
#define CHAT_SECTION "\xe5\xaf\xb9\xe8\xaf\x9d\xe6\x9c\x8d\xe5\x8a\xa1(Chat Service)" /* 对话服务 */
#define SEARCH "\xe6\x90\x9c\xe7\xb4\xa2\xe6\x9c\x8d\xe5\x8a\xa1(Search Service)"    /* 搜索服务 */

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
	assert_string_equal(err, "");
}

static void test_capture_no_active_change(void **state)
{
	struct statuspage sp;
	const struct sp_component *c;
	enum sp_component_status st;
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);

	(void)state;
	parse_ok(&sp, body, len);
	assert_int_equal(sp.source, SP_SOURCE_FLASHDUTY);
	assert_string_equal(statuspage_source_name(sp.source), "flashduty");
	assert_string_equal(sp.name, "DeepSeek");
	assert_string_equal(sp.url, "https://status.deepseek.com/"); /* from custom_domain */
	assert_int_equal(sp.updated_at, 0);
	/* no rollup on this page: worked out from the components and changes */
	assert_false(sp.has_status);
	assert_string_equal(sp.indicator_raw, "");
	assert_int_equal(sp.indicator, SP_INDICATOR_NONE);
	assert_true(sp.has_components);
	assert_true(sp.components_complete);
	assert_int_equal(sp.n_components, 8);
	for (size_t i = 0; i < sp.n_components; i++) {
		assert_int_equal(sp.components[i].status, SP_COMPONENT_OPERATIONAL);
		assert_false(sp.components[i].is_group);
	}
	c = &sp.components[0];
	assert_string_equal(c->id, "01KY4MVS8BM3F9JSYWACGQVG7A");
	assert_string_equal(c->name, PRO_API);
	assert_string_equal(c->group_name, "");
	assert_string_equal(c->group_id, "");
	c = &sp.components[2];
	assert_string_equal(c->name, "\xe5\xbf\xab\xe9\x80\x9f\xe6\xa8\xa1\xe5\xbc\x8f(Instant Mode)"); /* 快速模式 */
	assert_string_equal(c->group_id, "01KY4ND2MQAQKEAGJKTNGREKBR");
	assert_string_equal(c->group_name, CHAT_SECTION);
	assert_string_equal(sp.components[7].name,
			    "DeepSeek-V4-Flash-Vision-Exp API\xe6\x9c\x8d\xe5\x8a\xa1(API Service)");
	assert_string_equal(sp.components[7].group_name, "");
	/* the section's name finds its five components */
	assert_int_equal(statuspage_worst_status(&sp, "Chat Service", &st), 0);
	assert_int_equal(statuspage_worst_status(&sp, CHAT_SECTION, &st), 5);
	assert_int_equal(st, SP_COMPONENT_OPERATIONAL);
	assert_true(sp.has_incidents);
	assert_int_equal(sp.n_incidents, 0);
	assert_true(sp.has_maintenances);
	assert_int_equal(sp.n_maintenances, 0);
	statuspage_done(&sp);
	free(body);
}

/* Written for this test, not captured (see the top of the file). */
static const char written_changes[] =
	"\"active_changes\":["
	"{\"change_id\":7020391134287,\"page_id\":6410630422455,\"type\":\"incident\","
	"\"title\":\"API partial outage\\u001b[31m\",\"status\":\"investigating\","
	"\"start_at_seconds\":1790148933,\"affected_components\":["
	"{\"component_id\":\"01KY4MVS8BM3F9JSYWACGQVG7A\",\"status\":\"partial_outage\"},"
	"{\"component_id\":\"01KY4MVS8BSBSVW6053QJ37RJE\",\"status\":\"degraded\"},"
	"{\"component_id\":\"nosuch\",\"status\":\"full_outage\"}]},"
	"{\"change_id\":\"m1\",\"type\":\"maintenance\",\"title\":\"Search upgrade\","
	"\"status\":\"in_progress\",\"start_at_seconds\":1790150000,\"end_at_seconds\":1790153600,"
	"\"affected_components\":[{\"component_id\":\"01KY4ND2PN6EFSJ4RDYDJYPMNK\","
	"\"status\":\"under_maintenance\"}]},"
	"{\"type\":\"incident\",\"title\":\"Something\",\"status\":\"monitoring\","
	"\"affected_components\":[]}]";

static char *capture_with_changes(void)
{
	size_t len;
	char *body = testdata_load(DATA, CAPTURE, &len);
	static const char empty[] = "\"active_changes\":[]";
	char *at, *out;
	size_t head;

	at = memmem(body, len, empty, sizeof(empty) - 1);
	assert_non_null(at);
	head = (size_t)(at - body);
	out = malloc(len + sizeof(written_changes));
	assert_non_null(out);
	memcpy(out, body, head);
	memcpy(out + head, written_changes, sizeof(written_changes) - 1);
	memcpy(out + head + sizeof(written_changes) - 1, at + sizeof(empty) - 1,
	       len - head - (sizeof(empty) - 1));
	out[len - (sizeof(empty) - 1) + sizeof(written_changes) - 1] = '\0';
	free(body);
	return out;
}

static void test_written_active_changes(void **state)
{
	struct statuspage sp;
	const struct sp_incident *in;
	char *body = capture_with_changes();

	(void)state;
	parse_ok(&sp, body, strlen(body));
	assert_int_equal(sp.n_components, 8);
	assert_int_equal(comp(&sp, PRO_API)->status, SP_COMPONENT_PARTIAL_OUTAGE);
	assert_string_equal(comp(&sp, PRO_API)->status_raw, "partial_outage");
	assert_int_equal(comp(&sp, FLASH_API)->status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_string_equal(comp(&sp, FLASH_API)->status_raw, "degraded");
	assert_int_equal(comp(&sp, SEARCH)->status, SP_COMPONENT_UNDER_MAINTENANCE);

	assert_int_equal(sp.n_incidents, 2);
	in = &sp.incidents[0];
	assert_string_equal(in->id, "7020391134287"); /* a number in the JSON */
	assert_null(strchr(in->name, '\x1b'));
	assert_int_equal(in->state, SP_STATE_INVESTIGATING);
	assert_string_equal(in->status, "investigating");
	assert_int_equal(in->created_at, 1790148933);
	assert_int_equal(in->updated_at, 1790148933);
	/* the worst it names, the unknown component included, as the impact */
	assert_string_equal(in->impact_raw, "major_outage");
	assert_int_equal(in->impact, SP_INDICATOR_CRITICAL);
	assert_int_equal(in->n_components, 2);
	assert_string_equal(in->components[0], PRO_API);
	assert_string_equal(in->components[1], FLASH_API);
	assert_int_equal(in->n_updates, 0);
	in = &sp.incidents[1];
	assert_string_equal(in->id, "");
	assert_int_equal(in->state, SP_STATE_MONITORING);
	assert_int_equal(in->impact, SP_INDICATOR_MINOR); /* open, harm not named */
	assert_int_equal(in->n_components, 0);

	assert_int_equal(sp.n_maintenances, 1);
	in = &sp.maintenances[0];
	assert_string_equal(in->id, "m1");
	assert_int_equal(in->state, SP_STATE_IN_PROGRESS);
	assert_int_equal(in->impact, SP_INDICATOR_MAINTENANCE);
	assert_int_equal(in->scheduled_for, 1790150000);
	assert_int_equal(in->scheduled_until, 1790153600);
	assert_string_equal(in->components[0], SEARCH);

	assert_int_equal(sp.indicator, SP_INDICATOR_CRITICAL);
	statuspage_done(&sp);
	free(body);
}

/* Other objects with "data" stay what they were. */
static void test_other_data_objects(void **state)
{
	static const char *const bodies[] = {
		"{\"data\": {}}", "{\"data\": {\"page\": {}}}", "{\"data\": []}",
		"{\"data\": {\"page\": {\"components\": {}}}}",
	};
	static const char no_changes[] =
		"{\"data\": {\"page\": {\"custom_domain\": \"a b\", \"components\": [{\"name\": \"x\"}]}}}";
	struct statuspage sp;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(statuspage_parse(&sp, bodies[i], strlen(bodies[i]), NULL, err,
						  sizeof(err)), SP_ERR_SHAPE);
		assert_int_equal(sp.source, SP_SOURCE_NONE);
		statuspage_done(&sp);
	}
	/* a page with components and no list of changes: nothing said about them */
	assert_int_equal(statuspage_parse(&sp, no_changes, strlen(no_changes), NULL, err, sizeof(err)),
			 SP_OK);
	assert_int_equal(sp.source, SP_SOURCE_FLASHDUTY);
	assert_string_equal(sp.url, ""); /* not a host name */
	assert_false(sp.has_incidents);
	assert_int_equal(sp.n_components, 1);
	statuspage_done(&sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_no_active_change),
		cmocka_unit_test(test_written_active_changes),
		cmocka_unit_test(test_other_data_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
