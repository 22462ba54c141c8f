/* panel_status.h: the component status panel: one row per component and per
 * target, our state beside the official one, latency, loss and the last error. */
#ifndef ISITDOWN_PANEL_STATUS_H
#define ISITDOWN_PANEL_STATUS_H

#include "keys.h"
#include "draw.h"

/* The window over which p95 and loss are shown. */
#define PANEL_STATUS_WINDOW_S 900.0

struct panel_status {
	int sel, top; /* selected row, first row shown */
	int page;     /* rows shown at the last draw */
};

/* Rows the panel would like: components and targets. */
int panel_status_rows(const struct monitor *m);
void panel_status_draw(struct panel_status *p, const struct screen_ctx *c, struct rect r, bool focused);
/* Tiny windows: one line per component (per target when there are none),
 * the one holding the selection shown selected; the keys move among those
 * lines and Enter opens the one shown. */
void panel_status_draw_tiny(struct panel_status *p, const struct screen_ctx *c, struct rect r);
unsigned panel_status_key_tiny(struct panel_status *p, const struct monitor *m, enum key_action a);
void panel_status_title(const struct panel_status *p, const struct screen_ctx *c, char *buf, size_t len);
/* Navigation keys; returns SCREEN_* bits. */
unsigned panel_status_key(struct panel_status *p, const struct monitor *m, enum key_action a);
/* The target of the selected row, or -1 when it is a component. */
int panel_status_selected_target(const struct panel_status *p, const struct monitor *m);
void panel_status_detail(const struct panel_status *p, const struct screen_ctx *c, struct screen_lines *out,
			 char *title, size_t tlen);

/* Shared with the other panels. */
/* Everything known about target i, as lines (no header values). */
void panel_status_describe_target(const struct screen_ctx *c, size_t i, struct screen_lines *out);

#endif
