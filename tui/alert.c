/* alert.c: the title, bell and notification bytes for a verdict change.
 * Pure functions over caller-owned buffers; see alert.h. */
#include "alert.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"

const char *alert_state_words(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OPERATIONAL: return "operational";
	case VERDICT_DEGRADED: return "degraded";
	case VERDICT_PARTIAL_OUTAGE: return "PARTIAL OUTAGE";
	case VERDICT_MAJOR_OUTAGE: return "MAJOR OUTAGE";
	case VERDICT_MAINTENANCE: return "maintenance";
	case VERDICT_LOCAL_PROBLEM: return "LOCAL PROBLEM";
	case VERDICT_UNKNOWN: break;
	}
	return "checking";
}

/* Cleaned text with the separators of OSC 777 replaced. */
static void clean_field(char *dst, size_t len, const char *s)
{
	sanitize_into(dst, len, s ? s : "", SANITIZE_NUL_TERMINATED, 0);
	for (char *p = dst; *p; p++)
		if (*p == ';')
			*p = ',';
}

void alert_title(char *buf, size_t len, const char *service, enum verdict_state s)
{
	char raw[512];

	snprintf(raw, sizeof(raw), "isitdown: %s %s", service && *service ? service : "service",
		 alert_state_words(s));
	sanitize_into(buf, len, raw, SANITIZE_NUL_TERMINATED, 0);
}

void alert_title_sequence(char *buf, size_t len, const char *title)
{
	char clean[512];

	sanitize_into(clean, sizeof(clean), title ? title : "", SANITIZE_NUL_TERMINATED, 0);
	snprintf(buf, len, "\033]2;%s\033\\", clean);
}

static bool alarming(enum verdict_state s)
{
	return s == VERDICT_PARTIAL_OUTAGE || s == VERDICT_MAJOR_OUTAGE || s == VERDICT_LOCAL_PROBLEM;
}

bool alert_rings_bell(enum verdict_state prev, enum verdict_state next)
{
	if (prev == next)
		return false;
	return alarming(next) || alarming(prev);
}

void alert_notify_sequence(char *buf, size_t len, const char *title, const char *body, bool in_tmux)
{
	char t[256], b[512], seq[800];
	size_t o = 0;

	clean_field(t, sizeof(t), title);
	clean_field(b, sizeof(b), body);
	snprintf(seq, sizeof(seq), "\033]777;notify;%s;%s\033\\", t, b);
	if (!in_tmux) {
		snprintf(buf, len, "%s", seq);
		return;
	}
	if (len == 0)
		return;
	/* tmux hands on what is inside DCS tmux; ... ST, once each ESC is doubled */
	static const char open[] = "\033Ptmux;", close[] = "\033\\";
	size_t need = sizeof(open) - 1 + sizeof(close) - 1 + 1;

	for (const char *p = seq; *p; p++)
		need += *p == '\033' ? 2 : 1;
	if (need > len) {
		buf[0] = '\0';
		return;
	}
	memcpy(buf, open, sizeof(open) - 1);
	o = sizeof(open) - 1;
	for (const char *p = seq; *p; p++) {
		if (*p == '\033')
			buf[o++] = '\033';
		buf[o++] = *p;
	}
	memcpy(buf + o, close, sizeof(close));
}

void alert_term_start(struct alert_term *a, FILE *out, const char *service, bool bell, bool notify,
		      bool in_tmux)
{
	memset(a, 0, sizeof(*a));
	a->out = out;
	a->bell = bell;
	a->notify = notify;
	a->in_tmux = in_tmux;
	snprintf(a->service, sizeof(a->service), "%s", service ? service : "");
	fputs(ALERT_TITLE_PUSH, out);
	fflush(out);
	a->started = true;
}

void alert_term_update(struct alert_term *a, const struct verdict *v)
{
	char seq[1200];

	if (!a->started || (a->have_state && a->state == v->state && !a->renamed))
		return;
	alert_title(a->title, sizeof(a->title), a->service, v->state);
	alert_title_sequence(seq, sizeof(seq), a->title);
	fputs(seq, a->out);
	if (a->have_state && a->state == v->state) {
		/* only the name changed: no news to ring for */
		a->renamed = false;
		fflush(a->out);
		return;
	}
	a->renamed = false;
	if (a->have_state || v->state != VERDICT_UNKNOWN) {
		enum verdict_state prev = a->have_state ? a->state : VERDICT_UNKNOWN;

		if (a->bell && alert_rings_bell(prev, v->state))
			fputc('\a', a->out);
		/* starting up all good is not news */
		if (a->notify && !(prev == VERDICT_UNKNOWN && v->state == VERDICT_OPERATIONAL) &&
		    v->state != VERDICT_UNKNOWN) {
			alert_notify_sequence(seq, sizeof(seq), a->title, v->summary, a->in_tmux);
			fputs(seq, a->out);
		}
	}
	fflush(a->out);
	a->have_state = true;
	a->state = v->state;
}

void alert_term_set_service(struct alert_term *a, const char *service)
{
	if (strcmp(a->service, service ? service : "") == 0)
		return;
	snprintf(a->service, sizeof(a->service), "%s", service ? service : "");
	a->renamed = true;
}

void alert_term_stop(struct alert_term *a)
{
	if (!a->started)
		return;
	fputs(ALERT_TITLE_POP, a->out);
	fflush(a->out);
	a->started = false;
}
