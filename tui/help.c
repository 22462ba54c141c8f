/* help.c: the help screen's text.
 *
 * The key list comes from keys_help_line, the same table the dispatcher and
 * the footer read, so the help cannot drift from what the keys do. The
 * legend is written with the same badges and glyphs the panels draw. */
#include "help.h"

#include "badges.h"
#include "keys.h"

void help_lines(const struct screen_ctx *c, struct screen_lines *out, const char *export_dir)
{
	static const enum assess_state states[] = {ASSESS_UP, ASSESS_DEGRADED, ASSESS_CONFIRMING, ASSESS_DOWN,
						   ASSESS_FLAPPING, ASSESS_UNKNOWN};
	static const char *const state_help[] = {
		"answers normally", "answers, but slower than its limit", "failed once, probing again to confirm",
		"failed twice or more in a row", "keeps changing state", "no result yet",
	};
	static const enum checklist_result results[] = {CHECKLIST_PASS, CHECKLIST_WARN, CHECKLIST_FAIL,
							CHECKLIST_SKIP, CHECKLIST_PENDING};
	char line[160];
	enum theme_role role;
	int badge_w = 0;

	screen_lines_add(out, ROLE_TITLE, 0, "keys");
	for (size_t i = 0; keys_help_line(i, line, sizeof(line)) == 0; i++)
		screen_lines_add(out, ROLE_NORMAL, 2, "%s", line);
	screen_lines_add(out, ROLE_DIM, 2, "%-*s %s", KEYS_HELP_KEY_W, "mouse wheel",
			 "scroll the panel under the pointer; a click focuses it");
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");

	screen_lines_add(out, ROLE_TITLE, 0, "target states");
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		int w = screen_width(c, badge_target(c, states[i], &role));

		badge_w = w > badge_w ? w : badge_w;
	}
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		const char *b = badge_target(c, states[i], &role);
		/* padded by columns: a badge's glyph takes one column and three bytes */
		int pad = badge_w - screen_width(c, b);

		screen_lines_add(out, role, 2, "%s%*s %s", b, pad > 0 ? pad : 0, "", state_help[i]);
	}
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_TITLE, 0, "checklist marks");
	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		screen_lines_add(out, ROLE_NORMAL, 2, "%s", badge_checklist_mark(c, results[i], &role));
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_TITLE, 0, "latency");
	screen_lines_add(out, ROLE_NORMAL, 2, "one cell per probe, the newest on the right; %s is a failed probe",
			 screen_glyph(c, "\u2716", "x"));
	screen_lines_add(out, ROLE_NORMAL, 2, "the status panel's P95 and LOSS cover the last 15 minutes");
	if (!c->colour)
		screen_lines_add(out, ROLE_NORMAL, 2,
				 "phase bar letters: D DNS, C connect, T TLS, F first byte, X transfer");
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_TITLE, 0, "files");
	screen_lines_add(out, ROLE_NORMAL, 2, "e writes isitdown-report-DATE-TIME.md to %s", export_dir);
	screen_lines_add(out, ROLE_NORMAL, 2, "(or to the state directory when that is not writable)");
}
