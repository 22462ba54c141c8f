/* eventlog.h: the incident log, every state change, official update and network
 * change the monitor observed, kept in memory and appended to a JSON Lines file.
 *
 * The log owns its events and every string in them. In memory it keeps the newest
 * `capacity` events (index 0 is the newest). On disk it appends one JSON object per
 * line to $XDG_STATE_HOME/isitdown/events.jsonl (or ~/.local/state/isitdown/), rotated
 * by size, written with libuv's asynchronous file operations so that a slow or broken
 * disk never stalls the loop. A file that cannot be written is not fatal: the log
 * raises one warning, keeps the lines that were not saved (up to a bound), and writes
 * them when a later attempt (on the next event, or at flush) succeeds.
 *
 * The file format, one line per event:
 *   {"time":"2026-09-22T10:11:12.345Z","ts":1790071872.345,"severity":"warning",
 *    "source":"probe","component":"API","target":"api","text":"...","detail":null}
 * A verdict event adds the verdict's words for scripts, "state":"major_outage" and
 * "cause":"http_5xx" (keys only ever added; other events carry neither).
 */
#ifndef ISITDOWN_EVENTLOG_H
#define ISITDOWN_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

enum event_severity {
	EVENT_INFO,
	EVENT_NOTICE,
	EVENT_WARNING,
	EVENT_CRITICAL,
};

enum event_source {
	EVENT_SRC_PROBE,     /* our own measurements */
	EVENT_SRC_OFFICIAL,  /* the service's status page */
	EVENT_SRC_VERDICT,   /* the overall verdict changed */
	EVENT_SRC_NETWORK,   /* the local network changed */
	EVENT_SRC_MONITOR,   /* isitdown itself (start, config, this log) */
};

struct event {
	uint64_t id;           /* 1, 2, 3, ... in order of arrival (loaded events first) */
	double time;           /* seconds since the epoch, UTC */
	enum event_severity severity;
	enum event_source source;
	const char *component; /* "" when none, never NULL */
	const char *target;    /* "" when none, never NULL */
	const char *text;      /* never NULL */
	const char *detail;    /* NULL when none (e.g. an official update's body) */
	const char *state;     /* a verdict's state name ("major_outage"); NULL when none */
	const char *cause;     /* a verdict's cause name ("http_5xx"); NULL when none */
	const char *service;   /* the service it concerns when a run watches several; NULL when one */
};

/* All fields are optional: a NULL options pointer or a zero field means the default. */
struct eventlog_options {
	size_t capacity;    /* events kept in memory; default 5000 */
	uint64_t max_bytes; /* rotate when the file would grow past this; default 1 MiB,
	                     * UINT64_MAX never rotates */
	unsigned keep_files; /* rotated files kept (events.jsonl.1 .. .N); default 3 */
	bool memory_only;   /* no file at all */
	bool read_only;     /* eventlog_load reads the file, nothing is ever written to it
	                     * (--once: show the history, leave it as it was) */
};

struct eventlog;

/* Called for every event added with eventlog_add / eventlog_addf (not for loaded
 * ones), including the log's own events about its file. The event stays valid until
 * it is pushed out of the ring. */
typedef void (*eventlog_event_cb)(struct eventlog *log, const struct event *ev, void *data);
/* Called when writing starts failing (warning is the message, as eventlog_warning
 * returns it), when the reason changes, and with NULL when writing works again. */
typedef void (*eventlog_warning_cb)(struct eventlog *log, const char *warning, void *data);

/* Creates a log writing on `loop`. `path` NULL means the default file (see
 * eventlog_default_path); a path of "", a loop of NULL or options->memory_only keep
 * events in memory only; options->read_only keeps new events in memory only but
 * eventlog_load still reads the file. Missing directories are created (mode 0700, the file 0600). Nothing is opened until the first event is written. Returns NULL only
 * when out of memory. */
struct eventlog *eventlog_new(uv_loop_t *loop, const char *path,
                              const struct eventlog_options *opts);

/* Writes what is still pending (see eventlog_flush, errors are ignored), closes the
 * file and frees everything. Like eventlog_flush, call it outside the loop's
 * callbacks. Afterwards the log leaves nothing on the loop: uv_loop_close succeeds. */
void eventlog_free(struct eventlog *log);

/* The default file: $XDG_STATE_HOME/isitdown/events.jsonl when XDG_STATE_HOME is an
 * absolute path, else $HOME/.local/state/isitdown/events.jsonl. Malloc'd; NULL when
 * neither variable is usable. */
char *eventlog_default_path(void);

/* The file written to, or NULL when the log is memory only. */
const char *eventlog_path(const struct eventlog *log);

struct eventlog_load_stats {
	size_t loaded;   /* events read from the files */
	size_t skipped;  /* damaged lines: torn, not JSON, or not an event */
};

/* Refills the ring from the file, and from events.jsonl.1 when the file alone holds
 * fewer than `capacity` events. Synchronous: call it before the loop runs. Blank
 * lines are ignored; damaged lines are skipped and counted, and a notice "skipped N
 * damaged lines in FILE" is added to the log. Loaded events count as older than any
 * already in the ring and are not passed to eventlog_on_event callbacks.
 * Returns 0 (also when there is no file yet) or a negative UV_E* code when a file
 * exists but cannot be read; a warning event says so. stats may be NULL. */
int eventlog_load(struct eventlog *log, struct eventlog_load_stats *stats);

/* Adds a copy of *ev (id is ignored and assigned; time <= 0 or not finite means now;
 * NULL component / target / text read as ""), tells the subscribers, and queues the
 * line for writing. Returns 0, or UV_ENOMEM. */
int eventlog_add(struct eventlog *log, const struct event *ev);
/* The same with the time now, no detail, and the text formatted printf-style. */
int eventlog_addf(struct eventlog *log, enum event_severity sev, enum event_source src,
                  const char *component, const char *target, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The same for one of several services (service NULL: as eventlog_addf). */
int eventlog_addf_service(struct eventlog *log, const char *service, enum event_severity sev,
			  enum event_source src, const char *component, const char *target, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Events in memory, and the i-th newest (0 = newest; NULL when i >= count). A pointer
 * stays valid until the event is pushed out of the ring by later additions. */
size_t eventlog_count(const struct eventlog *log);
const struct event *eventlog_at(const struct eventlog *log, size_t i);

/* True when `needle` occurs, ignoring ASCII case, in the event's text, component,
 * target, source name or severity name. NULL or "" matches every event. */
bool eventlog_match(const struct event *ev, const char *needle);
/* Stores up to `max` matching events in out, newest first; returns how many matched
 * in all (which may exceed max). */
size_t eventlog_filter(const struct eventlog *log, const char *needle,
                       const struct event **out, size_t max);

/* Subscribes cb to every new event; several subscribers may be registered.
 * eventlog_off_event removes the one registered with the same cb and data.
 * Both return 0, or UV_ENOMEM / UV_ENOENT. */
int eventlog_on_event(struct eventlog *log, eventlog_event_cb cb, void *data);
int eventlog_off_event(struct eventlog *log, eventlog_event_cb cb, void *data);
/* One warning callback (a later call replaces it; NULL removes it). */
void eventlog_on_warning(struct eventlog *log, eventlog_warning_cb cb, void *data);

/* Why the file is not being written, e.g. "cannot write event log
 * /x/events.jsonl: no space left on device", or NULL when all is well. */
const char *eventlog_warning(const struct eventlog *log);

/* Events added but not yet in the file (queued, in flight, or waiting for the file
 * to become writable again). */
size_t eventlog_unsaved(const struct eventlog *log);

/* Runs pending writes to completion by running the loop (UV_RUN_ONCE) until the
 * writer is idle. For shutdown: call it after uv_run has returned, never from inside
 * a callback of the same loop. Returns 0 when everything is in the file, else the
 * negative UV_E* code of the failure (the events stay in memory). */
int eventlog_flush(struct eventlog *log);

/* One event as the file stores it ({"time", "ts", "severity", "source",
 * "component", "target", "text", "detail"}, and "state", "cause" when the event
 * carries them); the --json outputs reuse it so
 * that every JSON view of an event is the same. NULL when out of memory. */
struct cJSON *eventlog_event_json(const struct event *e);

const char *eventlog_severity_name(enum event_severity sev);  /* "info", ... */
const char *eventlog_source_name(enum event_source src);      /* "probe", ... */
/* Parse the names above; 0, or UV_EINVAL for an unknown name. */
int eventlog_severity_parse(const char *name, enum event_severity *out);
int eventlog_source_parse(const char *name, enum event_source *out);

#endif
