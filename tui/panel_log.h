/* panel_log.h: the incident log panel: every event, newest first, filtered by
 * text; Enter shows an event with its detail (an official update's body). */
#ifndef ISITDOWN_PANEL_LOG_H
#define ISITDOWN_PANEL_LOG_H

#include <stdint.h>

#include "keys.h"
#include "draw.h"

#define PANEL_LOG_FILTER_MAX 128

struct panel_log {
	uint64_t sel_id;  /* the selected event; 0 follows the newest */
	uint64_t seen_id; /* the newest event when the user stopped following:
			   * newer ones out of view are counted in a marker */
	int top;          /* first row shown */
	int page;         /* rows shown at the last draw */
	int hscroll;      /* columns of text scrolled off on the left */
	char filter[PANEL_LOG_FILTER_MAX]; /* "" shows everything */
	/* the rows of the last draw, newest first */
	const struct event **rows;
	size_t n_rows, cap;
	size_t n_total;
};

void panel_log_init(struct panel_log *p);
void panel_log_done(struct panel_log *p);
void panel_log_draw(struct panel_log *p, const struct screen_ctx *c, struct rect r, bool focused);
void panel_log_title(const struct panel_log *p, const struct screen_ctx *c, char *buf, size_t len);
unsigned panel_log_key(struct panel_log *p, const struct monitor *m, enum key_action a);
/* Shows only the events that contain text ("" or NULL: all). */
void panel_log_set_filter(struct panel_log *p, const char *text);
void panel_log_detail(const struct panel_log *p, const struct screen_ctx *c, struct screen_lines *out,
		      char *title, size_t tlen);

#endif
