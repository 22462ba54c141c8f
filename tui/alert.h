/* alert.h: what the terminal itself is told when the verdict changes.
 *
 * The window (and tmux pane) title follows the verdict ("isitdown: OpenAI
 * MAJOR OUTAGE"), saved on the terminal's title stack first and restored from
 * it on exit; the bell rings on a change to or from an outage or a local
 * problem; with notify on, a desktop notification goes through the terminal
 * (OSC 777, which tmux passes on inside its passthrough wrapper when it runs
 * inside tmux). These functions only build the bytes and make the decisions:
 * the screen writes them to its terminal, between frames. Every text put in
 * a sequence is cleaned first, so a service name cannot end the sequence or
 * start another one. */
#ifndef ISITDOWN_ALERT_H
#define ISITDOWN_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diagnose.h"

/* Save and restore the title (xterm's title stack, which tmux keeps too). */
#define ALERT_TITLE_PUSH "\033[22;2t"
#define ALERT_TITLE_POP "\033[23;2t"

/* "operational", "MAJOR OUTAGE", "LOCAL PROBLEM", "checking": calm states in
 * lower case, alarming ones in capitals, so a row of pane titles reads at a glance. */
const char *alert_state_words(enum verdict_state s);

/* "isitdown: OpenAI MAJOR OUTAGE" into buf (cleaned, cut on a character). */
void alert_title(char *buf, size_t len, const char *service, enum verdict_state s);

/* The sequence that sets the window title to `title`: OSC 2 ... ST. */
void alert_title_sequence(char *buf, size_t len, const char *title);

/* Whether a change from `prev` to `next` rings the bell: one side is an outage
 * (partial or major) or a local problem, and the state really changed. The first
 * verdict (prev unknown) rings only when it is one of those. */
bool alert_rings_bell(enum verdict_state prev, enum verdict_state next);

/* A desktop notification: OSC 777;notify;TITLE;BODY ST (';' in the texts
 * become ','), wrapped for tmux (DCS tmux; ... ST with every ESC doubled) when
 * in_tmux. tmux passes it on only with `allow-passthrough on`. */
void alert_notify_sequence(char *buf, size_t len, const char *title, const char *body, bool in_tmux);

/* The terminal side, for the full screen: title, bell and notification
 * written to `out` (the screen's terminal) between frames. */
struct alert_term {
	FILE *out;
	bool bell, notify, in_tmux;
	bool started;
	bool have_state;
	enum verdict_state state; /* the state last told */
	char service[128];
	char title[256];          /* the title last set */
	bool renamed;             /* service changed since the title was set */
};

/* Saves the terminal's title (restored by alert_term_stop). */
void alert_term_start(struct alert_term *a, FILE *out, const char *service, bool bell, bool notify,
		      bool in_tmux);
/* Tells the terminal about v when its state differs from the last one told:
 * the title always, the bell and the notification as the options and
 * alert_rings_bell say. Cheap when nothing changed: call it after each frame. */
void alert_term_update(struct alert_term *a, const struct verdict *v);
/* Several services: the title names the one the verdict comes from; a new
 * name retitles at the next update, without a bell or a notification. */
void alert_term_set_service(struct alert_term *a, const char *service);
/* Gives the terminal its own title back. */
void alert_term_stop(struct alert_term *a);

#endif
