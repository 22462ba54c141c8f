/* eventlog.c: the incident log, a ring of events in memory and a JSON Lines file.
 *
 * A struct eventlog owns every event in its ring (each one a single allocation
 * holding the struct and its strings) and the text of lines not yet written. The
 * callers add events from their own callbacks (assessment, status page, network);
 * the log tells its subscribers synchronously and queues one JSON line per event
 * for the writer (eventlog_writer.c). The line format is eventlog_line.c's, the
 * loading at start eventlog_load.c's; their shared insides are in
 * eventlog_internal.h. */
#include "eventlog.h"

#include "sanitize.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "eventlog_internal.h"
#include "paths.h"

static const char *const severity_names[] = { "info", "notice", "warning", "critical" };
static const char *const source_names[] = { "probe", "official", "verdict", "network", "monitor" };
#define N_SEVERITIES (sizeof severity_names / sizeof severity_names[0])
#define N_SOURCES (sizeof source_names / sizeof source_names[0])

const char *eventlog_severity_name(enum event_severity sev)
{
	if ((unsigned)sev < N_SEVERITIES)
		return severity_names[sev];
	return "info";
}

const char *eventlog_source_name(enum event_source src)
{
	if ((unsigned)src < N_SOURCES)
		return source_names[src];
	return "monitor";
}

int eventlog_severity_parse(const char *name, enum event_severity *out)
{
	for (size_t i = 0; name != NULL && i < N_SEVERITIES; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum event_severity)i;
			return 0;
		}
	}
	return UV_EINVAL;
}

int eventlog_source_parse(const char *name, enum event_source *out)
{
	for (size_t i = 0; name != NULL && i < N_SOURCES; i++) {
		if (strcmp(name, source_names[i]) == 0) {
			*out = (enum event_source)i;
			return 0;
		}
	}
	return UV_EINVAL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct event *elog_event_dup(const struct event *src, double t)
{
	const char *component = src->component ? src->component : "";
	const char *target = src->target ? src->target : "";
	const char *text = src->text ? src->text : "";
	size_t lc = strlen(component) + 1, lt = strlen(target) + 1, lx = strlen(text) + 1;
	size_t ld = src->detail ? strlen(src->detail) + 1 : 0;
	size_t ls = src->state ? strlen(src->state) + 1 : 0;
	size_t lu = src->cause ? strlen(src->cause) + 1 : 0;
	size_t lv = src->service ? strlen(src->service) + 1 : 0;

	struct event *e = malloc(sizeof *e + lc + lt + lx + ld + ls + lu + lv);
	if (e == NULL)
		return NULL;
	char *p = (char *)(e + 1);
	*e = *src;
	e->time = t;
	e->component = memcpy(p, component, lc);
	p += lc;
	e->target = memcpy(p, target, lt);
	p += lt;
	e->text = memcpy(p, text, lx);
	p += lx;
	e->detail = src->detail ? memcpy(p, src->detail, ld) : NULL;
	p += ld;
	e->state = src->state ? memcpy(p, src->state, ls) : NULL;
	p += ls;
	e->cause = src->cause ? memcpy(p, src->cause, lu) : NULL;
	p += lu;
	e->service = src->service ? memcpy(p, src->service, lv) : NULL;
	return e;
}

/* The ring takes ownership of e. */
void elog_ring_push(struct eventlog *log, struct event *e)
{
	e->id = ++log->next_id;
	if (log->count == log->cap) {
		free(log->ring[log->head]);
	} else {
		log->count++;
	}
	log->ring[log->head] = e;
	log->head = (log->head + 1) % log->cap;
}

static void notify(struct eventlog *log, const struct event *e)
{
	/* By index, re-reading n_subs: a subscriber may unsubscribe itself. */
	for (size_t i = 0; i < log->n_subs; i++)
		log->subs[i].cb(log, e, log->subs[i].data);
}

static int add_event(struct eventlog *log, const struct event *ev)
{
	double t = ev->time;
	if (!(t > 0 && t < MAX_TIME))
		t = now_s();
	/* Milliseconds, as in the file's "time": the number then survives the JSON
	 * round trip exactly, so a reloaded event is the event that was added. */
	t = (double)llround(t * 1000.0) / 1000.0;

	struct event *e = elog_event_dup(ev, t);
	if (e == NULL)
		return UV_ENOMEM;
	elog_ring_push(log, e);
	int rc = 0;
	if (log->path != NULL && !log->read_only)
		rc = elog_encode_line(e, &log->queue);
	notify(log, e);
	elog_kick(log);
	return rc;
}

void elog_add_own(struct eventlog *log, enum event_severity sev, const char *text)
{
	struct event ev = { .severity = sev, .source = EVENT_SRC_MONITOR, .text = text };
	add_event(log, &ev);
}

void elog_set_warning(struct eventlog *log, const char *msg)
{
	if (msg == NULL && log->warning == NULL)
		return;
	if (msg != NULL && log->warning != NULL && strcmp(msg, log->warning) == 0)
		return;
	free(log->warning);
	log->warning = msg ? strdup(msg) : NULL;
	if (log->warn_cb != NULL)
		log->warn_cb(log, log->warning, log->warn_data);
}

char *eventlog_default_path(void)
{
	char dir[PATH_MAX];
	char *path;

	if (paths_state_dir(NULL, dir, sizeof(dir)) != 0)
		return NULL;
	if (asprintf(&path, "%s/events.jsonl", dir) < 0)
		return NULL;
	return path;
}

struct eventlog *eventlog_new(uv_loop_t *loop, const char *path,
                              const struct eventlog_options *opts)
{
	struct eventlog_options o = { 0 };
	if (opts != NULL)
		o = *opts;

	struct eventlog *log = calloc(1, sizeof *log);
	if (log == NULL)
		return NULL;
	log->loop = loop;
	log->fd = -1;
	log->cap = o.capacity ? o.capacity : DEFAULT_CAPACITY;
	log->max_bytes = o.max_bytes ? o.max_bytes : DEFAULT_MAX_BYTES;
	log->keep = o.keep_files ? o.keep_files : DEFAULT_KEEP;
	log->read_only = o.read_only;
	log->req.data = log;
	log->ring = calloc(log->cap, sizeof *log->ring);
	if (log->ring == NULL)
		goto fail;

	if (loop != NULL && !o.memory_only && !(path != NULL && path[0] == '\0')) {
		log->path = path ? strdup(path) : eventlog_default_path();
		if (log->path == NULL && path != NULL)
			goto fail;
		if (log->path == NULL) {
			log->warning = strdup("cannot write event log: neither XDG_STATE_HOME nor HOME is set");
			if (log->warning == NULL)
				goto fail;
		}
	}
	return log;
fail:
	free(log->ring);
	free(log);
	return NULL;
}

void eventlog_free(struct eventlog *log)
{
	if (log == NULL)
		return;
	if (log->path != NULL && log->loop != NULL) {
		eventlog_flush(log);
		if (log->fd >= 0) {
			uv_fs_t req;
			uv_fs_close(log->loop, &req, log->fd, NULL);
			uv_fs_req_cleanup(&req);
		}
	}
	for (size_t i = 0; i < log->count; i++)
		free((void *)eventlog_at(log, i));
	free(log->ring);
	free(log->subs);
	free(log->warning);
	free(log->path);
	elog_buf_free(&log->queue);
	elog_buf_free(&log->out);
	free(log);
}

const char *eventlog_path(const struct eventlog *log)
{
	return log->path;
}

const char *eventlog_warning(const struct eventlog *log)
{
	return log->warning;
}

size_t eventlog_unsaved(const struct eventlog *log)
{
	return elog_count_lines(&log->queue) + elog_count_lines(&log->out);
}

size_t eventlog_count(const struct eventlog *log)
{
	return log->count;
}

const struct event *eventlog_at(const struct eventlog *log, size_t i)
{
	if (i >= log->count)
		return NULL;
	return log->ring[(log->head + log->cap - 1 - i) % log->cap];
}

int eventlog_add(struct eventlog *log, const struct event *ev)
{
	log->want_retry = true;
	return add_event(log, ev);
}

static int vaddf(struct eventlog *log, const char *service, enum event_severity sev, enum event_source src,
		 const char *component, const char *target, const char *fmt, va_list ap)
{
	char *text;
	int n = vasprintf(&text, fmt, ap);

	if (n < 0)
		return UV_ENOMEM;
	struct event ev = {
		.severity = sev, .source = src,
		.component = component, .target = target, .text = text, .service = service,
	};
	int rc = eventlog_add(log, &ev);
	free(text);
	return rc;
}

int eventlog_addf(struct eventlog *log, enum event_severity sev, enum event_source src,
                  const char *component, const char *target, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = vaddf(log, NULL, sev, src, component, target, fmt, ap);
	va_end(ap);
	return rc;
}

int eventlog_addf_service(struct eventlog *log, const char *service, enum event_severity sev,
			  enum event_source src, const char *component, const char *target, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = vaddf(log, service, sev, src, component, target, fmt, ap);
	va_end(ap);
	return rc;
}

int eventlog_on_event(struct eventlog *log, eventlog_event_cb cb, void *data)
{
	struct subscriber *s = realloc(log->subs, (log->n_subs + 1) * sizeof *s);
	if (s == NULL)
		return UV_ENOMEM;
	log->subs = s;
	log->subs[log->n_subs++] = (struct subscriber){ cb, data };
	return 0;
}

int eventlog_off_event(struct eventlog *log, eventlog_event_cb cb, void *data)
{
	for (size_t i = 0; i < log->n_subs; i++) {
		if (log->subs[i].cb == cb && log->subs[i].data == data) {
			memmove(&log->subs[i], &log->subs[i + 1],
			        (log->n_subs - i - 1) * sizeof *log->subs);
			log->n_subs--;
			return 0;
		}
	}
	return UV_ENOENT;
}

void eventlog_on_warning(struct eventlog *log, eventlog_warning_cb cb, void *data)
{
	log->warn_cb = cb;
	log->warn_data = data;
}

static bool contains_ci(const char *hay, const char *needle, size_t n)
{
	for (; *hay != '\0'; hay++) {
		size_t i = 0;
		while (i < n && hay[i] != '\0' &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

bool eventlog_match(const struct event *ev, const char *needle)
{
	if (needle == NULL || needle[0] == '\0')
		return true;
	size_t n = strlen(needle);
	return contains_ci(ev->text, needle, n) || contains_ci(ev->component, needle, n) ||
	       contains_ci(ev->target, needle, n) ||
	       contains_ci(eventlog_source_name(ev->source), needle, n) ||
	       contains_ci(eventlog_severity_name(ev->severity), needle, n);
}

size_t eventlog_filter(const struct eventlog *log, const char *needle,
                       const struct event **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < log->count; i++) {
		const struct event *e = eventlog_at(log, i);
		if (!eventlog_match(e, needle))
			continue;
		if (n < max)
			out[n] = e;
		n++;
	}
	return n;
}
