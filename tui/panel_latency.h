/* panel_latency.h: the latency panel: a sparkline per target that scrolls
 * left as samples arrive, and for the selected target a larger chart split
 * into its phases with min / p50 / p95 / p99 over the visible window. */
#ifndef ISITDOWN_PANEL_LATENCY_H
#define ISITDOWN_PANEL_LATENCY_H

#include "keys.h"
#include "draw.h"

struct panel_latency {
	int sel, top; /* selected target, first target shown */
	int page;     /* targets shown at the last draw */
	int back;     /* samples scrolled back from the newest; 0 follows the newest */
	int span;     /* samples visible at the last draw */
};

void panel_latency_draw(struct panel_latency *p, const struct screen_ctx *c, struct rect r, bool focused);
void panel_latency_title(const struct panel_latency *p, const struct screen_ctx *c, char *buf, size_t len);
unsigned panel_latency_key(struct panel_latency *p, const struct monitor *m, enum key_action a);
void panel_latency_select(struct panel_latency *p, int target);
void panel_latency_detail(const struct panel_latency *p, const struct screen_ctx *c, struct screen_lines *out,
			  char *title, size_t tlen);

#endif
