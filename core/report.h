/* report.h: an incident report of the monitor's current state, in Markdown
 * or JSON.
 *
 * What a person attaches to a ticket or pastes into a chat: the verdict and
 * its reasoning, the checklist, each target's phase timings, the official
 * status with its incidents and their updates, and the event log of the last
 * hour. Header values are never printed and credentials in URLs are masked. */
#ifndef ISITDOWN_REPORT_H
#define ISITDOWN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "monitor.h"

/* How far back the report's statistics and event log reach. */
#define REPORT_WINDOW_S 3600.0

/* Writes the report to out. Returns 0, or -EIO when writing failed. */
int report_write_markdown(const struct monitor *m, FILE *out);

/* The same as JSON: the --json snapshot (README) with, added, "report"
 * {written_at, window_s, configuration, probes_total, paused}, in "verdict"
 * the headline, the counts behind it and the official text, in each target
 * its masked "url" (or "host", "port") and "phases_ms" {dns, connect, tls,
 * ttfb, transfer, total: {last, p50, p95}}; "events" holds the last hour only,
 * oldest first. Returns 0, -ENOMEM, or -EIO when writing failed. */
int report_write_json(const struct monitor *m, FILE *out);

/* True when path names a JSON report (ends in ".json", any case). */
bool report_path_is_json(const char *path);

/* Whether a report could be written at path, checked before a long run
 * rather than found out at its end: 0, or a negative errno (-ENOENT when the
 * directory does not exist, -EISDIR, -EACCES...). Creates nothing. */
int report_check_path(const char *path);

/* Writes the report to path: JSON when report_path_is_json(), else Markdown.
 * Returns 0 or a negative errno. */
int report_write_file(const struct monitor *m, const char *path);
/* Several services' reports in one file: Markdown one after the other (a
 * rule between), JSON as {"services": [...]}. */
int report_write_services_file(const struct monitor *const *ms, size_t n, const char *path);

#endif
