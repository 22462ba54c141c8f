/* statuspage_internal.h: what the status-page readers share: limits, the
 * builder that fills a struct statuspage, and the helpers that take text from
 * the page (always cleaned) and grow arrays (aborting when memory runs out).
 * statuspage.c holds the model, its words and the entry points; one file per
 * source reads its format: statuspage_atlassian.c, statuspage_incidentio.c,
 * statuspage_google.c, statuspage_flashduty.c, statuspage_instatus.c and
 * statuspage_datadog.c. */
#ifndef ISITDOWN_STATUSPAGE_INTERNAL_H
#define ISITDOWN_STATUSPAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "statuspage.h"
#include "xalloc.h"

#define SP_TEXT_MAX 512          /* names, ids, words, links */
#define SP_BODY_MAX 16384        /* an update's body */
#define SP_MAX_COMPONENTS 2000
#define SP_MAX_EVENTS 500        /* incidents, maintenances */
#define SP_MAX_UPDATES 500       /* per incident */
#define SP_MAX_AFFECTED 500      /* affected components per incident */

struct sp_builder {
	struct statuspage *sp;
	size_t cap_components, cap_incidents, cap_maintenances;
	size_t widget_budget; /* affected components the widget parse still looks at */
};

/* Memory: out of memory ends the process (xalloc.h), as the page's size is capped. */
void *sp_grow(void *v, size_t n, size_t *cap, size_t size);
/* Text and values from the page: NULL when missing or of another type; text is
 * cleaned (sanitize_dup) and cut to maxlen. */
char *sp_page_text(const char *s, size_t maxlen, unsigned flags);
const cJSON *sp_jget(const cJSON *obj, const char *key);
const char *sp_jstr(const cJSON *obj, const char *key);
const char *sp_jstr_any(const cJSON *obj, const char *const *keys);
const cJSON *sp_jarray(const cJSON *obj, const char *key);
const cJSON *sp_jobject(const cJSON *obj, const char *key);
char *sp_jtext(const cJSON *obj, const char *key);
time_t sp_parse_time(const char *s);
time_t sp_jtime_any(const cJSON *obj, const char *const *keys);
enum sp_indicator sp_impact_from(const char *word);
/* Building the picture (statuspage.c). */
void sp_set_text(char **dst, char *value);
struct sp_component *sp_add_component(struct sp_builder *b);
struct sp_incident *sp_add_event(struct sp_builder *b, bool maintenance);
void sp_incident_add_component(struct sp_incident *in, size_t *cap, const char *name);
struct sp_update *sp_incident_add_update(struct sp_incident *in, size_t *cap);
void sp_fill_update(struct sp_update *u, const char *id, const char *status,
			const char *body, time_t at);
void sp_sort_updates(struct sp_incident *in);
void sp_incident_fill_blanks(struct sp_incident *in);
/* The readers, one per source. */
void sp_parse_statuspage(struct sp_builder *b, const cJSON *root);
void sp_parse_incidentio(struct sp_builder *b, const cJSON *summary);
void sp_parse_widget(struct sp_builder *b, const cJSON *root);
/* Google Cloud's feed is a top-level array; true when its first elements look
 * like Google's incidents. */
bool sp_is_google_feed(const cJSON *root);
void sp_parse_google(struct sp_builder *b, const cJSON *root);
/* Flashduty's {"data": {"page", "active_changes"}}. */
bool sp_is_flashduty(const cJSON *root);
void sp_parse_flashduty(struct sp_builder *b, const cJSON *root);
/* Instatus: a page with a status word of its own, active lists, or components
 * with upper-case status words. */
bool sp_is_instatus(const cJSON *root);
void sp_parse_instatus(struct sp_builder *b, const cJSON *root);
/* Datadog Status Pages: components typed Component / ComponentGroup. */
bool sp_is_datadog(const cJSON *root);
void sp_parse_datadog(struct sp_builder *b, const cJSON *root);

#endif
