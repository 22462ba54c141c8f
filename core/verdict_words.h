/* verdict_words.h: the verdict in a person's words (not the names scripts
 * read, which are diagnose_state_name and diagnose_cause_name). */
#ifndef ISITDOWN_VERDICT_WORDS_H
#define ISITDOWN_VERDICT_WORDS_H

#include <stddef.h>

#include "diagnose.h"

/* The verdict in one or two words for people: "UP", "DEGRADED",
 * "PARTIAL OUTAGE", "MAJOR OUTAGE", "MAINTENANCE", "IT'S JUST YOU", "UNKNOWN". */
const char *verdict_word(enum verdict_state s);

/* The verdict's headline: the word, and for a local problem what it is, e.g.
 * "IT'S JUST YOU: no internet". Writes at most len - 1 bytes into buf. */
void verdict_headline(const struct verdict *v, char *buf, size_t len);

/* The summary without a leading "it's just you: " that the headline already
 * says; points into v. */
const char *verdict_summary(const struct verdict *v);
/* The headline for a place that shows the summary right after it (the verdict
 * bar, the report's verdict line): without the cause words when the summary
 * begins with them ("IT'S JUST YOU" before "DNS is failing, no name
 * resolves", never the phrase twice), and "CHECKING" while the verdict waits
 * for the first results. */
void verdict_lead(const struct verdict *v, char *buf, size_t len);

#endif
