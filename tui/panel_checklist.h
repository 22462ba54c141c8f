/* panel_checklist.h: the troubleshooting checklist panel: the diagnosis steps
 * with their marks and one-line results; Enter shows the advice and the
 * measurements behind a step. */
#ifndef ISITDOWN_PANEL_CHECKLIST_H
#define ISITDOWN_PANEL_CHECKLIST_H

#include "keys.h"
#include "draw.h"

struct panel_checklist {
	int sel, top; /* selected step, first step shown */
	int page;     /* rows shown at the last draw */
};

void panel_checklist_draw(struct panel_checklist *p, const struct screen_ctx *c, struct rect r, bool focused);
void panel_checklist_title(const struct panel_checklist *p, const struct screen_ctx *c, char *buf, size_t len);
unsigned panel_checklist_key(struct panel_checklist *p, const struct monitor *m, enum key_action a);
void panel_checklist_detail(const struct panel_checklist *p, const struct screen_ctx *c, struct screen_lines *out,
			    char *title, size_t tlen);

#endif
