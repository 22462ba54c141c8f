/* eventlog_line.c: one event as one JSON line and back: the file's format
 * (time as ISO 8601 UTC with milliseconds, the event's fields, a verdict's state
 * and cause), and eventlog_event_json for the other JSON outputs. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "sanitize.h"

#include "eventlog_internal.h"

static void format_iso(double t, char *out, size_t len)
{
	long long ms = llround(t * 1000.0);
	long long secs = ms / 1000;
	int frac = (int)(ms % 1000);
	if (frac < 0) {
		frac += 1000;
		secs--;
	}
	time_t tt = (time_t)secs;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(out, len, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

/* "2026-09-22T10:11:12.345Z" (fraction optional) to seconds; <= 0 when malformed. */
static double parse_iso(const char *s)
{
	struct tm tm = { 0 };
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n == 0)
		return -1;
	const char *p = s + n;
	double frac = 0, scale = 0.1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	return (double)t + frac;
}

struct cJSON *eventlog_event_json(const struct event *e)
{
	char iso[ISO_LEN];
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	format_iso(e->time, iso, sizeof iso);
	if (cJSON_AddStringToObject(o, "time", iso) == NULL ||
	    cJSON_AddNumberToObject(o, "ts", e->time) == NULL ||
	    cJSON_AddStringToObject(o, "severity", eventlog_severity_name(e->severity)) == NULL ||
	    cJSON_AddStringToObject(o, "source", eventlog_source_name(e->source)) == NULL ||
	    cJSON_AddStringToObject(o, "component", e->component) == NULL ||
	    cJSON_AddStringToObject(o, "target", e->target) == NULL ||
	    cJSON_AddStringToObject(o, "text", e->text) == NULL ||
	    (e->detail ? cJSON_AddStringToObject(o, "detail", e->detail)
	               : cJSON_AddNullToObject(o, "detail")) == NULL ||
	    (e->state && cJSON_AddStringToObject(o, "state", e->state) == NULL) ||
	    (e->cause && cJSON_AddStringToObject(o, "cause", e->cause) == NULL) ||
	    (e->service && cJSON_AddStringToObject(o, "service", e->service) == NULL)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int elog_encode_line(const struct event *e, struct buf *b)
{
	int rc = UV_ENOMEM;
	char *s = NULL;
	cJSON *o = eventlog_event_json(e);

	if (o == NULL)
		return UV_ENOMEM;
	s = cJSON_PrintUnformatted(o);
	if (s == NULL)
		goto out;
	rc = elog_buf_append(b, s, strlen(s));
	if (rc == 0)
		rc = elog_buf_append(b, "\n", 1);
out:
	free(s);
	cJSON_Delete(o);
	return rc;
}

/* A string member that may be absent or null (def) but not of another type. */
static bool opt_string(const cJSON *o, const char *key, const char *def, const char **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	if (it == NULL || cJSON_IsNull(it)) {
		*out = def;
		return true;
	}
	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return false;
	*out = it->valuestring;
	return true;
}

/* One line of the file to a new event, or NULL when it is not one. */
struct event *elog_event_from_line(const char *line, size_t len)
{
	const char *end = NULL;
	cJSON *o = cJSON_ParseWithLengthOpts(line, len, &end, false);
	struct event ev = { 0 }, *e = NULL;
	if (o == NULL)
		return NULL;
	for (; end != NULL && end < line + len; end++) {
		if (!isspace((unsigned char)*end))
			goto out;
	}
	if (!cJSON_IsObject(o))
		goto out;

	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(o, "ts");
	const cJSON *iso = cJSON_GetObjectItemCaseSensitive(o, "time");
	double t = -1;
	if (cJSON_IsNumber(ts))
		t = ts->valuedouble;
	else if (cJSON_IsString(iso) && iso->valuestring != NULL)
		t = parse_iso(iso->valuestring);
	if (!(t > 0 && t < MAX_TIME))
		goto out;

	const cJSON *sev = cJSON_GetObjectItemCaseSensitive(o, "severity");
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
	if (!cJSON_IsString(sev) || eventlog_severity_parse(sev->valuestring, &ev.severity) < 0)
		goto out;
	if (!cJSON_IsString(src) || eventlog_source_parse(src->valuestring, &ev.source) < 0)
		goto out;
	if (!cJSON_IsString(text) || text->valuestring == NULL)
		goto out;
	ev.text = text->valuestring;
	if (!opt_string(o, "component", "", &ev.component) ||
	    !opt_string(o, "target", "", &ev.target) ||
	    !opt_string(o, "detail", NULL, &ev.detail) ||
	    !opt_string(o, "state", NULL, &ev.state) ||
	    !opt_string(o, "cause", NULL, &ev.cause) ||
	    !opt_string(o, "service", NULL, &ev.service))
		goto out;
	/* The file is ours, but anything may have written to it since: what it
	 * holds goes to a terminal, so it is cleaned like network text. */
	char *clean[7] = {
		sanitize_dup(ev.component, 0, 0), sanitize_dup(ev.target, 0, 0),
		sanitize_dup(ev.text, 0, 0), ev.detail ? sanitize_dup(ev.detail, 0, SANITIZE_KEEP_NEWLINES) : NULL,
		ev.state ? sanitize_dup(ev.state, 0, 0) : NULL, ev.cause ? sanitize_dup(ev.cause, 0, 0) : NULL,
		ev.service ? sanitize_dup(ev.service, 0, 0) : NULL,
	};
	if (clean[0] && clean[1] && clean[2] && (clean[3] || !ev.detail) && (clean[4] || !ev.state) &&
	    (clean[5] || !ev.cause) && (clean[6] || !ev.service)) {
		ev.component = clean[0];
		ev.target = clean[1];
		ev.text = clean[2];
		ev.detail = clean[3];
		ev.state = clean[4];
		ev.cause = clean[5];
		ev.service = clean[6];
		e = elog_event_dup(&ev, t);
	}
	for (size_t i = 0; i < 7; i++)
		free(clean[i]);
out:
	cJSON_Delete(o);
	return e;
}
