/* badges.h: the badges of states ("✔ UP", "✖ DOWN", "? UNKNOWN"), the
 * checklist's marks and the official page's words, with the theme role each
 * is drawn in; "..." and ASCII forms when the locale is not UTF-8. */
#ifndef ISITDOWN_BADGES_H
#define ISITDOWN_BADGES_H

#include <stdbool.h>

#include "assess.h"
#include "checklist.h"
#include "draw.h"

/* A target's state. */
const char *badge_target(const struct screen_ctx *c, enum assess_state s, enum theme_role *role);
/* A component's state. */
const char *badge_component(const struct screen_ctx *c, enum assess_component s, enum theme_role *role);
/* The official page's word for a component ("-" when not known). */
const char *badge_official_word(enum assess_official o, bool known);
/* A checklist step's result ("✔ pass", "! warn", "✖ FAIL", ...). */
const char *badge_checklist_mark(const struct screen_ctx *c, enum checklist_result r, enum theme_role *role);

#endif
