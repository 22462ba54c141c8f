/* badges.c: the words and glyphs a state is shown with, wherever it is shown:
 * the panels' rows, the details and the help's legend. One place, so the
 * legend always shows what the rows do. */
#include "badges.h"

const char *badge_target(const struct screen_ctx *c, enum assess_state s, enum theme_role *role)
{
	switch (s) {
	case ASSESS_UP:
		*role = ROLE_STATE_OPERATIONAL;
		return c->utf8 ? "\u2714 UP" : "+ UP";
	case ASSESS_CONFIRMING:
		*role = ROLE_STATE_DEGRADED;
		return "? CHECKING";
	case ASSESS_DEGRADED:
		*role = ROLE_STATE_DEGRADED;
		return c->utf8 ? "\u25b2 SLOW" : "! SLOW";
	case ASSESS_DOWN:
		*role = ROLE_STATE_MAJOR;
		return c->utf8 ? "\u2716 DOWN" : "x DOWN";
	case ASSESS_FLAPPING:
		*role = ROLE_STATE_PARTIAL;
		return "~ FLAPPING";
	case ASSESS_UNKNOWN:
		break;
	}
	*role = ROLE_STATE_UNKNOWN;
	return c->utf8 ? "\u2026 PENDING" : ". PENDING";
}

const char *badge_component(const struct screen_ctx *c, enum assess_component s,
					 enum theme_role *role)
{
	switch (s) {
	case ASSESS_COMPONENT_OPERATIONAL:
		*role = ROLE_STATE_OPERATIONAL;
		return c->utf8 ? "\u2714 UP" : "+ UP";
	case ASSESS_COMPONENT_DEGRADED:
		*role = ROLE_STATE_DEGRADED;
		return c->utf8 ? "\u25b2 DEGRADED" : "! DEGRADED";
	case ASSESS_COMPONENT_PARTIAL_OUTAGE:
		*role = ROLE_STATE_PARTIAL;
		return c->utf8 ? "\u2716 PARTIAL" : "x PARTIAL";
	case ASSESS_COMPONENT_MAJOR_OUTAGE:
		*role = ROLE_STATE_MAJOR;
		return c->utf8 ? "\u2716 DOWN" : "x DOWN";
	case ASSESS_COMPONENT_MAINTENANCE:
		*role = ROLE_STATE_MAINTENANCE;
		return "# MAINT";
	case ASSESS_COMPONENT_UNKNOWN:
		break;
	}
	*role = ROLE_STATE_UNKNOWN;
	return "? UNKNOWN";
}

const char *badge_official_word(enum assess_official o, bool known)
{
	if (!known)
		return "-";
	switch (o) {
	case ASSESS_OFFICIAL_OPERATIONAL: return "operational";
	case ASSESS_OFFICIAL_DEGRADED: return "degraded";
	case ASSESS_OFFICIAL_PARTIAL: return "partial";
	case ASSESS_OFFICIAL_MAJOR: return "major";
	case ASSESS_OFFICIAL_MAINTENANCE: return "maintenance";
	case ASSESS_OFFICIAL_UNKNOWN: break;
	}
	return "-";
}

const char *badge_checklist_mark(const struct screen_ctx *c, enum checklist_result r, enum theme_role *role)
{
	switch (r) {
	case CHECKLIST_PASS:
		*role = ROLE_STATE_OPERATIONAL;
		return c->utf8 ? "\u2714 pass" : "+ pass";
	case CHECKLIST_WARN:
		*role = ROLE_STATE_DEGRADED;
		return "! warn";
	case CHECKLIST_FAIL:
		*role = ROLE_STATE_MAJOR;
		return c->utf8 ? "\u2716 FAIL" : "x FAIL";
	case CHECKLIST_SKIP:
		*role = ROLE_DIM;
		return "- skip";
	case CHECKLIST_PENDING:
		break;
	}
	*role = ROLE_STATE_UNKNOWN;
	return c->utf8 ? "\u2026 pending" : ". pending";
}
