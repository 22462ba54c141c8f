/* diagnose_facts.h: facts about one target or sample, read the same way by the
 * verdict (diagnose*.c) and the checklist (checklist*.c): a name for a person,
 * whether it connected, how it failed in words, whether one path works where
 * another fails, and network text made safe for a terminal. */
#ifndef ISITDOWN_DIAGNOSE_FACTS_H
#define ISITDOWN_DIAGNOSE_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose.h"

/* Network text (titles, descriptions, errors) without escape sequences or
 * control bytes, so nothing in it can drive a terminal or break a log line. */
void dx_clean(char *dst, size_t len, const char *src);
bool dx_nonempty(const char *s);
/* The target's name, else its host, else "a target"; its host, else its name. */
const char *dx_name_of(const struct diagnose_target *t);
const char *dx_host_of(const struct diagnose_target *t);
bool dx_is_service(const struct diagnose_target *t);
bool dx_is_control(const struct diagnose_target *t);
bool dx_by_name(const struct diagnose_target *t);
/* The sample got as far as a connection (or reused one). */
bool dx_connected(const struct sample *s);
/* The sample that says how a target failed: the last one, or while it
 * recovers (its last probe passed) the last failed one. */
const struct sample *dx_failed_sample(const struct diagnose_target *t);
/* A proxy URL as host:port, without its credentials ("the proxy" for NULL). */
void dx_proxy_display(char *buf, size_t len, const char *url);
/* "service unavailable, HTTP 503" or "no answer in time". */
void dx_failure_words(char *buf, size_t len, const struct diagnose_target *t);
/* good works where bad fails, each tried. */
bool dx_path_split(const struct diagnose_path *good, const struct diagnose_path *bad);

#endif
