/* panel.h: what every panel offers the screen, as one table (htop's
 * PanelClass): the screen keeps the panels in an array of these and never
 * asks which one it holds. A panel's own state is passed back to it as the
 * first argument. */
#ifndef ISITDOWN_PANEL_H
#define ISITDOWN_PANEL_H

#include <stdbool.h>
#include <stddef.h>

#include "draw.h"
#include "keys.h"

struct panel_ops {
	const char *name;
	/* The frame's title ("Status (7)") into buf. */
	void (*title)(const void *panel, const struct screen_ctx *c, char *buf, size_t len);
	void (*draw)(void *panel, const struct screen_ctx *c, struct rect r, bool focused);
	/* A navigation key; returns SCREEN_REDRAW / SCREEN_DETAIL bits. tiny: the
	 * screen shows only this panel's rows, one line each. */
	unsigned (*key)(void *panel, const struct monitor *m, bool tiny, enum key_action a);
	/* The detail view of the selection: its lines and its title. */
	void (*detail)(const void *panel, const struct screen_ctx *c, struct screen_lines *out, char *title,
		       size_t tlen);
};

extern const struct panel_ops panel_status_ops, panel_latency_ops, panel_log_ops, panel_checklist_ops;

#endif
