/* report.h: an incident report of the monitor's current state, in Markdown.
 *
 * What a person attaches to a ticket or pastes into a chat: the verdict and
 * its reasoning, the checklist, each target's phase timings, the official
 * status with its incidents and their updates, and the event log of the last
 * hour. Header values are never printed and credentials in URLs are masked. */
#ifndef ISITDOWN_REPORT_H
#define ISITDOWN_REPORT_H

#include <stdio.h>

#include "monitor.h"

/* How far back the report's statistics and event log reach. */
#define REPORT_WINDOW_S 3600.0

/* Writes the report to out. Returns 0, or -EIO when writing failed. */
int report_write_markdown(const struct monitor *m, FILE *out);

/* The verdict in one or two words for people: "UP", "DEGRADED",
 * "PARTIAL OUTAGE", "MAJOR OUTAGE", "MAINTENANCE", "IT'S JUST YOU", "UNKNOWN". */
const char *report_verdict_word(enum verdict_state s);

/* The verdict's headline: the word, and for a local problem what it is, e.g.
 * "IT'S JUST YOU: no internet". Writes at most len - 1 bytes into buf. */
void report_verdict_headline(const struct verdict *v, char *buf, size_t len);

/* The summary without a leading "it's just you: " that the headline already
 * says; points into v. */
const char *report_verdict_summary(const struct verdict *v);

#endif
