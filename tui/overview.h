/* overview.h: the services at a glance, when several are watched (see
 * overview.c). */
#ifndef ISITDOWN_OVERVIEW_H
#define ISITDOWN_OVERVIEW_H

#include <stddef.h>

#include "draw.h"
#include "fleet.h"
#include "layout.h"

/* Draws the services in r: a row each, or one line of badges when r is one
 * row high; service `selected` highlighted. */
void overview_draw(const struct screen_ctx *c, const struct fleet *f, size_t selected, struct rect r);
/* The theme role a verdict's state is drawn in (the verdict bar's too). */
enum theme_role overview_verdict_role(enum verdict_state st);

#endif
