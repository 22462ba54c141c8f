/* test_statuspage_diff.c: the log lines two polls of a status page produce.
 *
 * Pairs of real captures (tests/data/statuspage/) for what a person saw happen
 * on GitHub's page, and small documents written for these tests, in the
 * Statuspage and incident.io widget shapes, for each kind of change. */
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
#include "statuspage_diff.h"

#define DATA TEST_DATA_DIR "/statuspage/"

#define GH_OK "github-summary-all-operational-2026-08-22.json"
#define GH_MINOR "github-summary-minor-degraded-performance-2026-08-13.json"
#define GH_MAJOR "github-summary-major-outage-critical-incident-35-updates-2026-08-17.json"
#define GH_MAINT "github-summary-maintenance-in-progress-plus-incident-2025-05-30.json"
#define OPENAI "openai-incidentio-v2-summary-operational-no-incidents-key-2026-09-24.json"

static void parse_file(struct statuspage *sp, const char *name)
{
	char err[256];
	size_t n;
	char *buf = testdata_load(DATA, name, &n);

	if (statuspage_parse(sp, buf, n, "application/json", err, sizeof(err)) != SP_OK)
		fail_msg("%s: %s", name, err);
	free(buf);
}

static void parse_text(struct statuspage *sp, const char *json)
{
	char err[256];

	if (statuspage_parse(sp, json, strlen(json), "application/json", err, sizeof(err)) != SP_OK)
		fail_msg("%s", err);
}

/* Diffs two captures (old may be NULL) into d. */
static int diff_files(struct statuspage_diff *d, const char *old_name, const char *new_name)
{
	struct statuspage old, new;
	int n;

	if (old_name)
		parse_file(&old, old_name);
	parse_file(&new, new_name);
	statuspage_diff_init(d);
	assert_int_equal(statuspage_diff_compute(d, old_name ? &old : NULL, &new), 0);
	n = (int)d->n_changes;
	if (old_name)
		statuspage_done(&old);
	statuspage_done(&new);
	return n;
}

static int diff_texts(struct statuspage_diff *d, const char *old_json, const char *new_json)
{
	struct statuspage old, new;
	int n;

	if (old_json)
		parse_text(&old, old_json);
	parse_text(&new, new_json);
	statuspage_diff_init(d);
	assert_int_equal(statuspage_diff_compute(d, old_json ? &old : NULL, &new), 0);
	n = (int)d->n_changes;
	if (old_json)
		statuspage_done(&old);
	statuspage_done(&new);
	return n;
}

static void assert_one_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control byte 0x%02x in \"%s\"", *p, s);
}

static void assert_change(const struct sp_change *c, enum sp_change_kind kind,
			  enum sp_severity sev, const char *text)
{
	if (c->kind != kind)
		fail_msg("kind %s, expected %s (\"%s\")", statuspage_diff_kind_name(c->kind),
			 statuspage_diff_kind_name(kind), c->text);
	if (c->severity != sev)
		fail_msg("severity %s, expected %s (\"%s\")", statuspage_diff_severity_name(c->severity),
			 statuspage_diff_severity_name(sev), c->text);
	assert_string_equal(c->text, text);
	assert_one_line(c->text);
	assert_non_null(c->component);
	assert_non_null(c->group);
	assert_non_null(c->incident_id);
}

/* ---- pairs of real captures ---- */

static void test_first_poll_all_operational_is_quiet(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_files(&d, NULL, GH_OK), 0);
	statuspage_diff_done(&d);
}

/* The first look reports what is already going on, not 11 operational components. */
static void test_first_poll_reports_what_is_open(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_files(&d, NULL, GH_MAINT), 2);
	assert_change(&d.changes[0], SP_CHANGE_INCIDENT_KNOWN, SP_SEVERITY_WARNING,
		      "incident already open: Disruption with some GitHub services (impact major, investigating)");
	assert_string_equal(d.changes[0].incident_id, "p1rf575rlqml");
	assert_string_equal(d.changes[0].component, "");
	assert_int_equal(d.changes[0].at, 1748604016);
	assert_change(&d.changes[1], SP_CHANGE_MAINTENANCE_KNOWN, SP_SEVERITY_INFO,
		      "maintenance in progress: Codespaces Scheduled Maintenance "
		      "(2025-05-29T21:30:00Z to 2025-05-31T04:30:00Z)");
	assert_string_equal(d.changes[1].component, "Codespaces");
	assert_string_equal(d.changes[1].incident_id, "nwjwwhj118sf");
	statuspage_diff_done(&d);
}

static void test_operational_to_minor(void **state)
{
	struct statuspage_diff d;
	const struct sp_change *c;

	(void)state;
	assert_int_equal(diff_files(&d, GH_OK, GH_MINOR), 2);
	c = &d.changes[0];
	assert_change(c, SP_CHANGE_COMPONENT, SP_SEVERITY_WARNING,
		      "component: Copilot AI Model Providers now degraded performance (was operational)");
	assert_string_equal(c->component, "Copilot AI Model Providers");
	assert_string_equal(c->group, "");
	assert_int_equal(c->old_status, SP_COMPONENT_OPERATIONAL);
	assert_int_equal(c->new_status, SP_COMPONENT_DEGRADED_PERFORMANCE);
	assert_true(c->at > 0);
	c = &d.changes[1];
	assert_change(c, SP_CHANGE_INCIDENT_NEW, SP_SEVERITY_WARNING,
		      "incident: Errors with the Fable 5 Model in Copilot (impact minor)");
	assert_string_equal(c->component, "Copilot AI Model Providers");
	assert_string_equal(c->incident_id, "24t8gsgqx2qb");
	assert_int_equal(c->at, 1786632205);
	statuspage_diff_done(&d);
}

static void test_maintenance_and_incident_to_operational(void **state)
{
	struct statuspage_diff d;

	(void)state;
	/* "Copilot AI Model Providers" is new in the later poll: not an event */
	assert_int_equal(diff_files(&d, GH_MAINT, GH_OK), 3);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_INFO,
		      "component: Codespaces now operational (was under maintenance)");
	assert_int_equal(d.changes[0].old_status, SP_COMPONENT_UNDER_MAINTENANCE);
	assert_change(&d.changes[1], SP_CHANGE_INCIDENT_RESOLVED, SP_SEVERITY_INFO,
		      "incident resolved: Disruption with some GitHub services (no longer listed)");
	assert_string_equal(d.changes[1].incident_id, "p1rf575rlqml");
	assert_int_equal(d.changes[1].at, 1787436957);
	assert_change(&d.changes[2], SP_CHANGE_MAINTENANCE_COMPLETED, SP_SEVERITY_INFO,
		      "maintenance completed: Codespaces Scheduled Maintenance");
	assert_string_equal(d.changes[2].component, "Codespaces");
	statuspage_diff_done(&d);
}

static void test_minor_to_major(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_files(&d, GH_MINOR, GH_MAJOR), 4);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_CRITICAL,
		      "component: Copilot now major outage (was operational)");
	assert_int_equal(d.changes[0].new_status, SP_COMPONENT_MAJOR_OUTAGE);
	assert_change(&d.changes[1], SP_CHANGE_COMPONENT, SP_SEVERITY_INFO,
		      "component: Copilot AI Model Providers now operational (was degraded performance)");
	assert_change(&d.changes[2], SP_CHANGE_INCIDENT_NEW, SP_SEVERITY_CRITICAL,
		      "incident: Incident with GitHub.com (impact critical)");
	assert_string_equal(d.changes[2].component,
			    "Git Operations, Webhooks, API Requests, Issues, Pull Requests, Actions, Pages, Copilot");
	assert_change(&d.changes[3], SP_CHANGE_INCIDENT_RESOLVED, SP_SEVERITY_INFO,
		      "incident resolved: Errors with the Fable 5 Model in Copilot (no longer listed)");
	statuspage_diff_done(&d);
}

static void test_same_poll_twice_is_quiet(void **state)
{
	static const char *const files[] = { GH_OK, GH_MINOR, GH_MAJOR, GH_MAINT, OPENAI };
	struct statuspage_diff d;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(diff_files(&d, files[i], files[i]), 0);
		statuspage_diff_done(&d);
	}
}

/* OpenAI's summary has no maintenances key and no groups: comparing it with
 * GitHub's page must not invent maintenance or incident events either way. */
static void test_parts_a_poll_did_not_cover_are_not_compared(void **state)
{
	/* components.json shape, written for this test */
	const char *components_only =
		"{\"page\":{\"name\":\"GitHub\"},\"components\":["
		"{\"id\":\"pjmpxvq2cmr2\",\"name\":\"Copilot\",\"status\":\"partial_outage\"},"
		"{\"id\":\"cnnb39dkkk82\",\"name\":\"Copilot AI Model Providers\",\"status\":\"degraded_performance\"}]}";
	struct statuspage old, new;
	struct statuspage_diff d;

	(void)state;
	parse_file(&old, GH_MINOR);
	parse_text(&new, components_only);
	statuspage_diff_init(&d);
	/* the incident is not "resolved": components.json says nothing of incidents */
	assert_int_equal(statuspage_diff_compute(&d, &old, &new), 0);
	assert_int_equal(d.n_changes, 1);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_WARNING,
		      "component: Copilot now partial outage (was operational)");
	statuspage_diff_done(&d);
	statuspage_done(&new);

	parse_file(&new, OPENAI);
	statuspage_diff_init(&d);
	/* no shared components, incidents resolved, maintenances not compared */
	assert_int_equal(statuspage_diff_compute(&d, &old, &new), 0);
	assert_int_equal(d.n_changes, 1);
	assert_int_equal(d.changes[0].kind, SP_CHANGE_INCIDENT_RESOLVED);
	statuspage_diff_done(&d);
	statuspage_done(&new);
	statuspage_done(&old);
}

/* Two components named "Login": each keeps its own history. */
static void test_same_name_components_matched_by_id(void **state)
{
	struct statuspage old, new;
	struct statuspage_diff d;
	struct sp_component tmp;
	size_t a = 0, b = 0;

	(void)state;
	parse_file(&old, OPENAI);
	parse_file(&new, OPENAI);
	for (size_t i = 0; i < old.n_components; i++) {
		if (strcmp(old.components[i].name, "Login") != 0)
			continue;
		if (!a)
			a = i;
		else
			b = i;
	}
	assert_true(a && b);
	assert_string_equal(old.components[a].id, "01JSM5RTJWHRWDTS6Q604VEW3B");
	/* the API login is degraded in both polls; the page lists the two the other way round */
	old.components[a].status = SP_COMPONENT_DEGRADED_PERFORMANCE;
	new.components[a].status = SP_COMPONENT_DEGRADED_PERFORMANCE;
	tmp = new.components[a];
	new.components[a] = new.components[b];
	new.components[b] = tmp;
	statuspage_diff_init(&d);
	assert_int_equal(statuspage_diff_compute(&d, &old, &new), 0);
	assert_int_equal(d.n_changes, 0);
	/* and the ChatGPT one goes down */
	new.components[a].status = SP_COMPONENT_MAJOR_OUTAGE;
	assert_string_equal(new.components[a].id, "01JMXBNJXG1S2D9V65P1ZZTD94");
	assert_int_equal(statuspage_diff_compute(&d, &old, &new), 0);
	assert_int_equal(d.n_changes, 1);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_CRITICAL,
		      "component: Login now major outage (was operational)");
	statuspage_diff_done(&d);
	statuspage_done(&old);
	statuspage_done(&new);
}

/* ---- each kind of change, from documents written for these tests ---- */

static const char poll_a[] =
	"{\"page\":{\"name\":\"Example\",\"updated_at\":\"2026-01-01T00:00:00Z\"},"
	"\"status\":{\"indicator\":\"minor\",\"description\":\"Minor Service Outage\"},"
	"\"components\":[{\"id\":\"c1\",\"name\":\"API\",\"status\":\"degraded_performance\","
	"\"group_id\":\"g\",\"updated_at\":\"2026-01-01T00:00:00Z\"},"
	"{\"id\":\"g\",\"name\":\"APIs\",\"status\":\"degraded_performance\",\"group\":true,\"components\":[\"c1\"]}],"
	"\"incidents\":[{\"id\":\"i1\",\"name\":\"Elevated errors on ChatGPT\",\"status\":\"investigating\","
	"\"impact\":\"major\",\"created_at\":\"2026-01-01T00:00:00Z\",\"components\":[{\"name\":\"API\"}],"
	"\"incident_updates\":[{\"id\":\"u1\",\"status\":\"investigating\",\"body\":\"We are investigating.\","
	"\"display_at\":\"2026-01-01T00:00:00Z\"}]}],"
	"\"scheduled_maintenances\":[{\"id\":\"m1\",\"name\":\"DB upgrade\",\"status\":\"scheduled\","
	"\"impact\":\"maintenance\",\"scheduled_for\":\"2026-01-02T00:00:00Z\","
	"\"scheduled_until\":\"2026-01-02T02:00:00Z\",\"incident_updates\":[]}]}";

static const char poll_b[] =
	"{\"page\":{\"name\":\"Example\",\"updated_at\":\"2026-01-02T00:30:00Z\"},"
	"\"status\":{\"indicator\":\"maintenance\",\"description\":\"Service Under Maintenance\"},"
	"\"components\":[{\"id\":\"c1\",\"name\":\"API\",\"status\":\"degraded_performance\",\"group_id\":\"g\"},"
	"{\"id\":\"g\",\"name\":\"APIs\",\"status\":\"degraded_performance\",\"group\":true,\"components\":[\"c1\"]}],"
	"\"incidents\":[{\"id\":\"i1\",\"name\":\"Elevated errors on ChatGPT\",\"status\":\"identified\","
	"\"impact\":\"major\",\"created_at\":\"2026-01-01T00:00:00Z\",\"components\":[{\"name\":\"API\"}],"
	"\"incident_updates\":["
	"{\"id\":\"u3\",\"status\":\"identified\",\"body\":\"Still rolling out.\",\"display_at\":\"2026-01-01T02:00:00Z\"},"
	"{\"id\":\"u2\",\"status\":\"identified\",\"body\":\"Found it.\\r\\n\\r\\nA fix is   rolling out.\","
	"\"display_at\":\"2026-01-01T01:00:00Z\"},"
	"{\"id\":\"u1\",\"status\":\"investigating\",\"body\":\"We are investigating.\","
	"\"display_at\":\"2026-01-01T00:00:00Z\"}]}],"
	"\"scheduled_maintenances\":[{\"id\":\"m1\",\"name\":\"DB upgrade\",\"status\":\"in_progress\","
	"\"impact\":\"maintenance\",\"scheduled_for\":\"2026-01-02T00:00:00Z\","
	"\"scheduled_until\":\"2026-01-02T02:00:00Z\",\"incident_updates\":[{\"id\":\"mu1\","
	"\"status\":\"in_progress\",\"body\":\"Started.\",\"display_at\":\"2026-01-02T00:00:05Z\"}]}]}";

static const char poll_c[] =
	"{\"page\":{\"name\":\"Example\",\"updated_at\":\"2026-01-02T03:00:00Z\"},"
	"\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
	"\"components\":[{\"id\":\"c1\",\"name\":\"API\",\"status\":\"operational\",\"group_id\":\"g\"},"
	"{\"id\":\"g\",\"name\":\"APIs\",\"status\":\"operational\",\"group\":true,\"components\":[\"c1\"]}],"
	"\"incidents\":[{\"id\":\"i1\",\"name\":\"Elevated errors on ChatGPT\",\"status\":\"resolved\","
	"\"impact\":\"major\",\"created_at\":\"2026-01-01T00:00:00Z\",\"components\":[{\"name\":\"API\"}],"
	"\"incident_updates\":["
	"{\"id\":\"u4\",\"status\":\"resolved\",\"body\":\"This incident has been resolved.\",\"display_at\":\"2026-01-02T02:30:00Z\"},"
	"{\"id\":\"u3\",\"status\":\"identified\",\"body\":\"Still rolling out.\",\"display_at\":\"2026-01-01T02:00:00Z\"},"
	"{\"id\":\"u2\",\"status\":\"identified\",\"body\":\"Found it.\",\"display_at\":\"2026-01-01T01:00:00Z\"},"
	"{\"id\":\"u1\",\"status\":\"investigating\",\"body\":\"We are investigating.\","
	"\"display_at\":\"2026-01-01T00:00:00Z\"}]}],"
	"\"scheduled_maintenances\":[{\"id\":\"m1\",\"name\":\"DB upgrade\",\"status\":\"completed\","
	"\"impact\":\"maintenance\",\"scheduled_for\":\"2026-01-02T00:00:00Z\","
	"\"scheduled_until\":\"2026-01-02T02:00:00Z\",\"incident_updates\":[{\"id\":\"mu2\","
	"\"status\":\"completed\",\"body\":\"Done.\",\"display_at\":\"2026-01-02T01:50:00Z\"}]}]}";

static const char poll_quiet[] =
	"{\"page\":{\"name\":\"Example\",\"updated_at\":\"2025-12-31T00:00:00Z\"},"
	"\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
	"\"components\":[{\"id\":\"c1\",\"name\":\"API\",\"status\":\"operational\",\"group_id\":\"g\"},"
	"{\"id\":\"g\",\"name\":\"APIs\",\"status\":\"operational\",\"group\":true,\"components\":[\"c1\"]}],"
	"\"incidents\":[],\"scheduled_maintenances\":[]}";

static void test_first_poll_scheduled_maintenance(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_texts(&d, NULL, poll_a), 2);
	assert_change(&d.changes[0], SP_CHANGE_INCIDENT_KNOWN, SP_SEVERITY_WARNING,
		      "incident already open: Elevated errors on ChatGPT (impact major, investigating)");
	assert_change(&d.changes[1], SP_CHANGE_MAINTENANCE_KNOWN, SP_SEVERITY_INFO,
		      "maintenance scheduled: DB upgrade (2026-01-02T00:00:00Z to 2026-01-02T02:00:00Z)");
	statuspage_diff_done(&d);
}

static void test_new_incident_and_scheduled_maintenance(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_texts(&d, poll_quiet, poll_a), 3);
	/* the group row's own status is not reported twice */
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_WARNING,
		      "component: APIs / API now degraded performance (was operational)");
	assert_string_equal(d.changes[0].component, "API");
	assert_string_equal(d.changes[0].group, "APIs");
	assert_int_equal(d.changes[0].at, 1767225600);
	assert_change(&d.changes[1], SP_CHANGE_INCIDENT_NEW, SP_SEVERITY_WARNING,
		      "incident: Elevated errors on ChatGPT (impact major)");
	assert_string_equal(d.changes[1].component, "API");
	assert_string_equal(d.changes[1].incident_id, "i1");
	assert_change(&d.changes[2], SP_CHANGE_MAINTENANCE_SCHEDULED, SP_SEVERITY_INFO,
		      "maintenance scheduled: DB upgrade (2026-01-02T00:00:00Z to 2026-01-02T02:00:00Z)");
	assert_string_equal(d.changes[2].incident_id, "m1");
	statuspage_diff_done(&d);
}

static void test_new_updates_and_maintenance_started(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_texts(&d, poll_a, poll_b), 3);
	/* oldest first, bodies on one line */
	assert_change(&d.changes[0], SP_CHANGE_INCIDENT_UPDATE, SP_SEVERITY_INFO,
		      "update: Elevated errors on ChatGPT (identified): Found it. A fix is rolling out.");
	assert_int_equal(d.changes[0].at, 1767229200);
	assert_change(&d.changes[1], SP_CHANGE_INCIDENT_UPDATE, SP_SEVERITY_INFO,
		      "update: Elevated errors on ChatGPT (identified): Still rolling out.");
	assert_change(&d.changes[2], SP_CHANGE_MAINTENANCE_STARTED, SP_SEVERITY_INFO,
		      "maintenance started: DB upgrade (2026-01-02T00:00:00Z to 2026-01-02T02:00:00Z)");
	assert_int_equal(d.changes[2].at, 1767312005);
	statuspage_diff_done(&d);
}

static void test_resolved_and_maintenance_completed(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_texts(&d, poll_b, poll_c), 4);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_INFO,
		      "component: APIs / API now operational (was degraded performance)");
	assert_change(&d.changes[1], SP_CHANGE_INCIDENT_UPDATE, SP_SEVERITY_INFO,
		      "update: Elevated errors on ChatGPT (resolved): This incident has been resolved.");
	assert_change(&d.changes[2], SP_CHANGE_INCIDENT_RESOLVED, SP_SEVERITY_INFO,
		      "incident resolved: Elevated errors on ChatGPT");
	assert_int_equal(d.changes[2].at, 1767321000);
	assert_change(&d.changes[3], SP_CHANGE_MAINTENANCE_COMPLETED, SP_SEVERITY_INFO,
		      "maintenance completed: DB upgrade");
	statuspage_diff_done(&d);
}

static void test_skipped_polls(void **state)
{
	struct statuspage_diff d;

	(void)state;
	/* straight from scheduled to completed, from open to resolved */
	assert_int_equal(diff_texts(&d, poll_a, poll_c), 6);
	assert_int_equal(d.changes[0].kind, SP_CHANGE_COMPONENT);
	assert_int_equal(d.changes[1].kind, SP_CHANGE_INCIDENT_UPDATE);
	assert_int_equal(d.changes[2].kind, SP_CHANGE_INCIDENT_UPDATE);
	assert_int_equal(d.changes[3].kind, SP_CHANGE_INCIDENT_UPDATE);
	assert_int_equal(d.changes[4].kind, SP_CHANGE_INCIDENT_RESOLVED);
	assert_change(&d.changes[5], SP_CHANGE_MAINTENANCE_COMPLETED, SP_SEVERITY_INFO,
		      "maintenance completed: DB upgrade");
	statuspage_diff_done(&d);
	/* a scheduled maintenance taken off the page */
	assert_int_equal(diff_texts(&d, poll_a, poll_quiet), 3);
	assert_change(&d.changes[2], SP_CHANGE_MAINTENANCE_COMPLETED, SP_SEVERITY_INFO,
		      "maintenance no longer listed: DB upgrade");
	statuspage_diff_done(&d);
	/* a closed incident seen for the first time is history, not news */
	assert_int_equal(diff_texts(&d, poll_quiet, poll_c), 0);
	statuspage_diff_done(&d);
	/* a resolved incident that opens again is news */
	assert_int_equal(diff_texts(&d, poll_c, poll_a), 2);
	assert_int_equal(d.changes[0].kind, SP_CHANGE_COMPONENT);
	assert_int_equal(d.changes[1].kind, SP_CHANGE_INCIDENT_NEW);
	statuspage_diff_done(&d);
}

/* widget documents, written for this test */
static const char widget_busy[] =
	"{\"page_title\":\"Example Status\",\"page_url\":\"https://status.example.com\","
	"\"ongoing_incidents\":[{\"id\":\"01KINC\",\"name\":\"Increased API latency\",\"status\":\"investigating\","
	"\"last_update_at\":\"2026-09-23T08:30:00Z\",\"last_update_message\":\"Looking into it.\","
	"\"current_worst_impact\":\"partial_outage\",\"affected_components\":["
	"{\"id\":\"c1\",\"name\":\"API\",\"group_name\":\"Platform\",\"current_status\":\"partial_outage\"}]}],"
	"\"in_progress_maintenances\":[{\"id\":\"01KMNT\",\"name\":\"Database maintenance\","
	"\"status\":\"maintenance_in_progress\",\"started_at\":\"2026-09-23T09:00:00Z\","
	"\"scheduled_end_at\":\"2026-09-23T11:00:00Z\","
	"\"affected_components\":[{\"id\":\"c3\",\"name\":\"Exports\",\"group_name\":\"Platform\"}]}],"
	"\"scheduled_maintenances\":[]}";

static const char widget_quiet[] =
	"{\"page_title\":\"Example Status\",\"page_url\":\"https://status.example.com\","
	"\"ongoing_incidents\":[],\"in_progress_maintenances\":[],\"scheduled_maintenances\":[]}";

/* The widget names only troubled components: gone from it means fine again. */
static void test_widget_components_come_and_go(void **state)
{
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_texts(&d, widget_quiet, widget_busy), 4);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_WARNING,
		      "component: Platform / API now partial outage (was operational)");
	assert_change(&d.changes[1], SP_CHANGE_COMPONENT, SP_SEVERITY_INFO,
		      "component: Platform / Exports now under maintenance (was operational)");
	assert_change(&d.changes[2], SP_CHANGE_INCIDENT_NEW, SP_SEVERITY_WARNING,
		      "incident: Increased API latency (impact major)");
	assert_change(&d.changes[3], SP_CHANGE_MAINTENANCE_STARTED, SP_SEVERITY_INFO,
		      "maintenance started: Database maintenance (2026-09-23T09:00:00Z to 2026-09-23T11:00:00Z)");
	statuspage_diff_done(&d);

	assert_int_equal(diff_texts(&d, widget_busy, widget_quiet), 4);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_INFO,
		      "component: Platform / API now operational (was partial outage)");
	assert_change(&d.changes[1], SP_CHANGE_COMPONENT, SP_SEVERITY_INFO,
		      "component: Platform / Exports now operational (was under maintenance)");
	assert_change(&d.changes[2], SP_CHANGE_INCIDENT_RESOLVED, SP_SEVERITY_INFO,
		      "incident resolved: Increased API latency (no longer listed)");
	assert_change(&d.changes[3], SP_CHANGE_MAINTENANCE_COMPLETED, SP_SEVERITY_INFO,
		      "maintenance completed: Database maintenance");
	statuspage_diff_done(&d);
}

static void test_unknown_words_shown_as_given(void **state)
{
	const char *a = "{\"components\":[{\"id\":\"x\",\"name\":\"X\",\"status\":\"sparkly\"}]}";
	const char *b = "{\"components\":[{\"id\":\"x\",\"name\":\"X\",\"status\":\"shiny\"}]}";
	const char *c = "{\"components\":[{\"id\":\"x\",\"name\":\"X\",\"status\":\"shiny\"}],"
			"\"incidents\":[{\"id\":\"i\",\"name\":\"Odd\",\"impact\":\"galactic\",\"status\":\"pondering\"}]}";
	const char *e = "{\"components\":[{\"id\":\"x\",\"name\":\"X\",\"status\":\"shiny\"}],\"incidents\":[]}";
	struct statuspage_diff d;

	(void)state;
	assert_int_equal(diff_texts(&d, a, b), 1);
	assert_change(&d.changes[0], SP_CHANGE_COMPONENT, SP_SEVERITY_WARNING,
		      "component: X now shiny (was sparkly)");
	statuspage_diff_done(&d);
	assert_int_equal(diff_texts(&d, e, c), 1);
	assert_change(&d.changes[0], SP_CHANGE_INCIDENT_NEW, SP_SEVERITY_WARNING,
		      "incident: Odd (impact galactic)");
	statuspage_diff_done(&d);
}

static void test_texts_are_one_safe_line(void **state)
{
	char *body = malloc(5000);
	char *old_json, *new_json;
	struct statuspage_diff d;
	const char *head = "{\"incidents\":[{\"id\":\"i\",\"name\":\"Bad\\u001b[31m\\nname\",\"impact\":\"minor\","
			   "\"status\":\"investigating\",\"incident_updates\":[";
	const char *upd = "{\"id\":\"u%d\",\"status\":\"investigating\",\"body\":\"%s\","
			  "\"display_at\":\"2026-01-01T0%d:00:00Z\"}";

	(void)state;
	assert_non_null(body);
	/* a long body with line breaks and escapes */
	strcpy(body, "line\\r\\nbreak\\u001b]8;;http://x\\u0007link");
	for (int i = 0; i < 300; i++)
		strcat(body, " word");
	old_json = malloc(8000);
	new_json = malloc(8000);
	assert_non_null(old_json);
	assert_non_null(new_json);
	strcpy(old_json, head);
	sprintf(old_json + strlen(old_json), upd, 1, "first", 1);
	strcat(old_json, "]}]}");
	strcpy(new_json, head);
	sprintf(new_json + strlen(new_json), upd, 2, body, 2);
	strcat(new_json, ",");
	sprintf(new_json + strlen(new_json), upd, 1, "first", 1);
	strcat(new_json, "]}]}");

	assert_int_equal(diff_texts(&d, old_json, new_json), 1);
	assert_int_equal(d.changes[0].kind, SP_CHANGE_INCIDENT_UPDATE);
	assert_one_line(d.changes[0].text);
	assert_non_null(strstr(d.changes[0].text, "update: Bad"));
	assert_non_null(strstr(d.changes[0].text, "line break"));
	assert_null(strstr(d.changes[0].text, "http://x"));
	assert_true(strlen(d.changes[0].text) <= 1024);
	/* the quoted body is cut, and says so */
	assert_string_equal(d.changes[0].text + strlen(d.changes[0].text) - 3, "...");
	statuspage_diff_done(&d);
	assert_int_equal(diff_texts(&d, NULL, new_json), 1);
	assert_one_line(d.changes[0].text);
	statuspage_diff_done(&d);
	free(body);
	free(old_json);
	free(new_json);
}

static void test_appends_and_names(void **state)
{
	struct statuspage a, c;
	struct statuspage_diff d;

	(void)state;
	parse_text(&a, poll_a);
	parse_text(&c, poll_c);
	statuspage_diff_init(&d);
	assert_int_equal(statuspage_diff_compute(&d, NULL, NULL), 0);
	assert_int_equal(d.n_changes, 0);
	assert_int_equal(statuspage_diff_compute(NULL, &a, &c), -1);
	assert_int_equal(statuspage_diff_compute(&d, &a, &c), 0);
	assert_int_equal(d.n_changes, 6);
	/* appended, not replaced */
	assert_int_equal(statuspage_diff_compute(&d, &c, &a), 0);
	assert_int_equal(d.n_changes, 8);
	assert_int_equal(d.changes[7].kind, SP_CHANGE_INCIDENT_NEW);
	statuspage_diff_done(&d);
	assert_int_equal(d.n_changes, 0);
	statuspage_diff_done(&d);
	statuspage_done(&a);
	statuspage_done(&c);

	assert_string_equal(statuspage_diff_kind_name(SP_CHANGE_MAINTENANCE_STARTED), "maintenance_started");
	assert_string_equal(statuspage_diff_kind_name(SP_CHANGE_INCIDENT_KNOWN), "incident_known");
	assert_string_equal(statuspage_diff_severity_name(SP_SEVERITY_CRITICAL), "critical");
	assert_string_equal(statuspage_diff_severity_name(SP_SEVERITY_WARNING), "warning");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_poll_all_operational_is_quiet),
		cmocka_unit_test(test_first_poll_reports_what_is_open),
		cmocka_unit_test(test_operational_to_minor),
		cmocka_unit_test(test_maintenance_and_incident_to_operational),
		cmocka_unit_test(test_minor_to_major),
		cmocka_unit_test(test_same_poll_twice_is_quiet),
		cmocka_unit_test(test_parts_a_poll_did_not_cover_are_not_compared),
		cmocka_unit_test(test_same_name_components_matched_by_id),
		cmocka_unit_test(test_first_poll_scheduled_maintenance),
		cmocka_unit_test(test_new_incident_and_scheduled_maintenance),
		cmocka_unit_test(test_new_updates_and_maintenance_started),
		cmocka_unit_test(test_resolved_and_maintenance_completed),
		cmocka_unit_test(test_skipped_polls),
		cmocka_unit_test(test_widget_components_come_and_go),
		cmocka_unit_test(test_unknown_words_shown_as_given),
		cmocka_unit_test(test_texts_are_one_safe_line),
		cmocka_unit_test(test_appends_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
