/* eventlog.c: the incident log, a ring of events in memory and a JSON Lines file.
 *
 * A struct eventlog owns every event in its ring (each one a single allocation
 * holding the struct and its strings) and the text of lines not yet written. The
 * callers add events from their own callbacks (assessment, status page, network);
 * the log tells its subscribers synchronously and queues one JSON line per event.
 *
 * The writer is a small state machine driven by one uv_fs_t and on_fs: at most one
 * file operation is in flight, so lines added meanwhile pile up in `queue` and go
 * out together as one write. Before each write the path is stat'ed: a file deleted
 * or replaced under us is reopened, and a file that would grow past max_bytes is
 * rotated (events.jsonl -> .1 -> .2 ...) first. Files are only ever opened with
 * O_APPEND and never truncated. A failed operation puts the lines back, closes the
 * file and raises one warning; the next event (or eventlog_flush) tries again, so a
 * full or read-only disk costs one failed attempt per event, not a busy loop. */
#include "eventlog.h"

#include "sanitize.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define DEFAULT_CAPACITY 5000
#define DEFAULT_MAX_BYTES (1024 * 1024)
#define DEFAULT_KEEP 3
/* Lines kept for a file that cannot be written; beyond this the oldest are dropped
 * (they are still in the ring while it holds them). */
#define UNSAVED_CAP (1024 * 1024)
/* 24 are used; the rest quiets -Wformat-truncation about out-of-range tm fields. */
#define ISO_LEN 96
/* 10000-01-01: beyond it a time is garbage, and would not fit the ISO format. */
#define MAX_TIME 253402300800.0

struct buf {
	char *p;
	size_t len, cap;
};

struct subscriber {
	eventlog_event_cb cb;
	void *data;
};

enum step {
	STEP_IDLE,
	STEP_MKDIR,
	STEP_OPEN,
	STEP_FSTAT,
	STEP_LASTBYTE,
	STEP_STAT,
	STEP_CLOSE,
	STEP_RENAME_OLD,
	STEP_RENAME_MAIN,
	STEP_WRITE,
};

enum then { THEN_NOTHING, THEN_OPEN, THEN_ROTATE };

struct eventlog {
	uv_loop_t *loop;
	char *path;       /* NULL: memory only */
	char *warning;
	eventlog_warning_cb warn_cb;
	void *warn_data;
	struct subscriber *subs;
	size_t n_subs;

	struct event **ring;
	size_t cap, head, count;
	uint64_t next_id;

	uint64_t max_bytes;
	unsigned keep;
	bool read_only;   /* path is only read (eventlog_load), never written */

	uv_fs_t req;
	enum step step;
	enum then then;   /* what follows STEP_CLOSE */
	uv_file fd;       /* -1 when closed */
	uint64_t dev, ino;
	uint64_t size;    /* of the open file, as last seen plus what we wrote */
	bool mkdir_tried; /* the directories were created for this open attempt */
	size_t mkdir_pos;
	unsigned rename_i;
	uint64_t no_rotate_below;
	char lastbyte;
	/* The file does not end with a newline that we did not put there (a crash
	 * tore the last line): start the next write with one, so that line stays
	 * the only damaged one. */
	bool need_nl;
	/* A partial write left one of our lines half written: the rest continues it
	 * and rotation waits until it is complete. */
	bool mid_line;
	bool out_nl;      /* the write in flight starts with need_nl's newline */
	bool failing;     /* the last attempt failed: retry only when asked */
	bool want_retry;  /* an event arrived (or flush asked) since the failure */
	int last_err;
	size_t lost;      /* lines dropped while the file could not be written */
	struct buf queue; /* lines waiting */
	struct buf out;   /* lines in the write in flight; untouched until it ends */
};

static void on_fs(uv_fs_t *req);
static void kick(struct eventlog *log);

/* ---- names ---- */

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

/* ---- small helpers ---- */

static int buf_append(struct buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (np == NULL)
			return UV_ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static size_t count_lines(const struct buf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += b->p[i] == '\n';
	return n;
}

/* Puts the unwritten tail of `out` back in front of the queue, keeping order. */
static void requeue(struct eventlog *log, size_t written)
{
	struct buf *o = &log->out;

	if (written < o->len) {
		memmove(o->p, o->p + written, o->len - written);
		o->len -= written;
		if (log->queue.len > 0 && buf_append(o, log->queue.p, log->queue.len) < 0) {
			/* Out of memory: keep the older lines, lose the newer. */
			log->lost += count_lines(&log->queue);
		}
		buf_free(&log->queue);
		log->queue = *o;
	} else {
		buf_free(o);
	}
	o->p = NULL;
	o->len = o->cap = 0;
}

/* The file that holds the start of a half-written line is gone: its rest would
 * only make a damaged first line in the new file, so it goes too. */
static void drop_torn_tail(struct eventlog *log)
{
	struct buf *q = &log->queue;

	if (!log->mid_line)
		return;
	log->mid_line = false;
	const char *nl = memchr(q->p, '\n', q->len);
	size_t cut = nl ? (size_t)(nl - q->p) + 1 : q->len;
	memmove(q->p, q->p + cut, q->len - cut);
	q->len -= cut;
	q->p[q->len] = '\0';
	log->lost++;
}

/* Drops whole lines from the front of the queue while it is over UNSAVED_CAP. */
static void trim_queue(struct eventlog *log)
{
	struct buf *q = &log->queue;
	size_t cut = 0;

	while (q->len - cut > UNSAVED_CAP) {
		const char *nl = memchr(q->p + cut, '\n', q->len - cut);
		if (nl == NULL)
			break;
		cut = (size_t)(nl - q->p) + 1;
		log->lost++;
	}
	if (cut == 0)
		return;
	/* The dropped front may have been the rest of a half-written line: the next
	 * line must then start on a line of its own. */
	if (log->mid_line) {
		log->mid_line = false;
		log->need_nl = true;
	}
	memmove(q->p, q->p + cut, q->len - cut);
	q->len -= cut;
	q->p[q->len] = '\0';
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

/* Only a regular file holds events: a device (a log pointed at /dev/null or
 * /dev/full) or a FIFO reads as empty, since reading one would never end or would
 * block. O_NONBLOCK keeps the open itself from waiting for a FIFO's writer. */
static int read_whole_file(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return uv_translate_sys_error(errno);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return uv_translate_sys_error(err);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return UV_EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*data = NULL;
		*len = 0;
		return 0;
	}
	FILE *f = fdopen(fd, "rb");
	if (f == NULL) {
		int err = errno;
		close(fd);
		return uv_translate_sys_error(err);
	}
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		rc = buf_append(&b, chunk, n);
		if (rc < 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = uv_translate_sys_error(errno ? errno : EIO);
	fclose(f);
	if (rc < 0) {
		buf_free(&b);
		return rc;
	}
	*data = b.p;
	*len = b.len;
	return 0;
}

/* ---- events ---- */

static struct event *event_dup(const struct event *src, double t)
{
	const char *component = src->component ? src->component : "";
	const char *target = src->target ? src->target : "";
	const char *text = src->text ? src->text : "";
	size_t lc = strlen(component) + 1, lt = strlen(target) + 1, lx = strlen(text) + 1;
	size_t ld = src->detail ? strlen(src->detail) + 1 : 0;
	size_t ls = src->state ? strlen(src->state) + 1 : 0;
	size_t lu = src->cause ? strlen(src->cause) + 1 : 0;

	struct event *e = malloc(sizeof *e + lc + lt + lx + ld + ls + lu);
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
	return e;
}

/* The ring takes ownership of e. */
static void ring_push(struct eventlog *log, struct event *e)
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
	    (e->cause && cJSON_AddStringToObject(o, "cause", e->cause) == NULL)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int encode_line(const struct event *e, struct buf *b)
{
	int rc = UV_ENOMEM;
	char *s = NULL;
	cJSON *o = eventlog_event_json(e);

	if (o == NULL)
		return UV_ENOMEM;
	s = cJSON_PrintUnformatted(o);
	if (s == NULL)
		goto out;
	rc = buf_append(b, s, strlen(s));
	if (rc == 0)
		rc = buf_append(b, "\n", 1);
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
static struct event *event_from_line(const char *line, size_t len)
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
	    !opt_string(o, "cause", NULL, &ev.cause))
		goto out;
	/* The file is ours, but anything may have written to it since: what it
	 * holds goes to a terminal, so it is cleaned like network text. */
	char *clean[6] = {
		sanitize_dup(ev.component, 0, 0), sanitize_dup(ev.target, 0, 0),
		sanitize_dup(ev.text, 0, 0), ev.detail ? sanitize_dup(ev.detail, 0, SANITIZE_KEEP_NEWLINES) : NULL,
		ev.state ? sanitize_dup(ev.state, 0, 0) : NULL, ev.cause ? sanitize_dup(ev.cause, 0, 0) : NULL,
	};
	if (clean[0] && clean[1] && clean[2] && (clean[3] || !ev.detail) && (clean[4] || !ev.state) &&
	    (clean[5] || !ev.cause)) {
		ev.component = clean[0];
		ev.target = clean[1];
		ev.text = clean[2];
		ev.detail = clean[3];
		ev.state = clean[4];
		ev.cause = clean[5];
		e = event_dup(&ev, t);
	}
	for (size_t i = 0; i < 6; i++)
		free(clean[i]);
out:
	cJSON_Delete(o);
	return e;
}

/* ---- warnings and the log's own events ---- */

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

	struct event *e = event_dup(ev, t);
	if (e == NULL)
		return UV_ENOMEM;
	ring_push(log, e);
	int rc = 0;
	if (log->path != NULL && !log->read_only)
		rc = encode_line(e, &log->queue);
	notify(log, e);
	kick(log);
	return rc;
}

static void add_own(struct eventlog *log, enum event_severity sev, const char *text)
{
	struct event ev = { .severity = sev, .source = EVENT_SRC_MONITOR, .text = text };
	add_event(log, &ev);
}

static void set_warning(struct eventlog *log, const char *msg)
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

/* ---- the writer ---- */

static void start_open(struct eventlog *log);
static void start_close(struct eventlog *log, enum then then);

/* An operation failed: keep the lines for a later attempt, close the file, and
 * say so once. */
static void fail(struct eventlog *log, int err)
{
	char msg[512];

	log->step = STEP_IDLE;
	log->last_err = err;
	log->failing = true;
	log->want_retry = false;
	requeue(log, 0);
	trim_queue(log);

	snprintf(msg, sizeof msg, "cannot write event log %s: %s", log->path, uv_strerror(err));
	if (log->warning == NULL || strcmp(log->warning, msg) != 0) {
		set_warning(log, msg);
		add_own(log, EVENT_WARNING, msg);
	}
	if (log->fd >= 0)
		start_close(log, THEN_NOTHING);
}

static void succeed(struct eventlog *log)
{
	char msg[512];

	if (!log->failing)
		return;
	log->failing = false;
	set_warning(log, NULL);
	if (log->lost > 0)
		snprintf(msg, sizeof msg, "event log %s is writable again; %zu events could not be saved",
		         log->path, log->lost);
	else
		snprintf(msg, sizeof msg, "event log %s is writable again", log->path);
	log->lost = 0;
	add_own(log, EVENT_NOTICE, msg);
}

static void submitted(struct eventlog *log, enum step step, int rc)
{
	if (rc < 0) {
		uv_fs_req_cleanup(&log->req);
		fail(log, rc);
		return;
	}
	log->step = step;
}

/* O_NONBLOCK changes nothing for a regular file; for a FIFO nobody reads, it
 * turns a write that would block a threadpool thread (and the final flush)
 * for ever into EAGAIN, a warning like any other. */
static void start_open(struct eventlog *log)
{
	int rc = uv_fs_open(log->loop, &log->req, log->path,
	                    O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600, on_fs);
	submitted(log, STEP_OPEN, rc);
}

/* mkdir -p of the file's directory, one component per callback. */
static void next_mkdir(struct eventlog *log)
{
	const char *slash = strchr(log->path + log->mkdir_pos + 1, '/');
	if (slash == NULL) {
		start_open(log);
		return;
	}
	log->mkdir_pos = (size_t)(slash - log->path);
	char *dir = strndup(log->path, log->mkdir_pos);
	if (dir == NULL) {
		fail(log, UV_ENOMEM);
		return;
	}
	int rc = uv_fs_mkdir(log->loop, &log->req, dir, 0700, on_fs);
	free(dir);
	submitted(log, STEP_MKDIR, rc);
}

static void start_close(struct eventlog *log, enum then then)
{
	uv_file fd = log->fd;
	log->fd = -1;
	log->then = then;
	submitted(log, STEP_CLOSE, uv_fs_close(log->loop, &log->req, fd, on_fs));
}

static char *rotated_name(const char *path, unsigned i)
{
	size_t n = strlen(path) + 16;
	char *s = malloc(n);
	if (s != NULL)
		snprintf(s, n, "%s.%u", path, i);
	return s;
}

/* Shifts events.jsonl.(keep-1) -> .keep ... .1 -> .2, then events.jsonl -> .1;
 * rename replaces the oldest, so nothing but the file beyond `keep` is dropped. */
static void next_rename(struct eventlog *log)
{
	char *from, *to;
	enum step step;

	if (log->rename_i >= 2) {
		from = rotated_name(log->path, log->rename_i - 1);
		to = rotated_name(log->path, log->rename_i);
		step = STEP_RENAME_OLD;
	} else {
		from = strdup(log->path);
		to = rotated_name(log->path, 1);
		step = STEP_RENAME_MAIN;
	}
	log->rename_i--;
	if (from == NULL || to == NULL) {
		free(from);
		free(to);
		fail(log, UV_ENOMEM);
		return;
	}
	int rc = uv_fs_rename(log->loop, &log->req, from, to, on_fs);
	free(from);
	free(to);
	submitted(log, step, rc);
}

static void start_write(struct eventlog *log)
{
	static char nl[] = "\n";
	uv_buf_t bufs[2];
	unsigned n = 0;

	log->out = log->queue;
	log->queue = (struct buf){ 0 };
	log->out_nl = log->need_nl;
	if (log->out_nl)
		bufs[n++] = uv_buf_init(nl, 1);
	bufs[n++] = uv_buf_init(log->out.p, (unsigned)log->out.len);
	submitted(log, STEP_WRITE, uv_fs_write(log->loop, &log->req, log->fd, bufs, n, -1, on_fs));
}

/* The file is open and its size known: rotate first if this batch would take it
 * past the limit, else write. */
static void write_or_rotate(struct eventlog *log)
{
	if (log->queue.len == 0) {
		log->step = STEP_IDLE;
		return;
	}
	if (log->max_bytes != UINT64_MAX && log->size > 0 && !log->mid_line &&
	    log->size >= log->no_rotate_below && log->size + log->queue.len > log->max_bytes) {
		start_close(log, THEN_ROTATE);
		return;
	}
	start_write(log);
}

static void on_fs(uv_fs_t *req)
{
	struct eventlog *log = req->data;
	ssize_t res = req->result;
	uv_stat_t st = req->statbuf;
	enum step step = log->step;

	uv_fs_req_cleanup(req);
	log->step = STEP_IDLE;

	switch (step) {
	case STEP_IDLE:
		break;
	case STEP_OPEN:
		if (res == UV_ENOENT && !log->mkdir_tried) {
			log->mkdir_tried = true;
			log->mkdir_pos = 0;
			next_mkdir(log);
		} else if (res < 0) {
			fail(log, (int)res);
		} else {
			log->fd = (uv_file)res;
			log->mkdir_tried = false;
			submitted(log, STEP_FSTAT, uv_fs_fstat(log->loop, req, log->fd, on_fs));
		}
		break;
	case STEP_MKDIR:
		if (res < 0 && res != UV_EEXIST)
			fail(log, (int)res);
		else
			next_mkdir(log);
		break;
	case STEP_FSTAT:
		if (res == 0 && (st.st_dev != log->dev || st.st_ino != log->ino))
			drop_torn_tail(log);
		log->dev = res == 0 ? st.st_dev : 0;
		log->ino = res == 0 ? st.st_ino : 0;
		log->size = res == 0 ? st.st_size : 0;
		if (log->size > 0 && S_ISREG(st.st_mode)) {
			uv_buf_t b = uv_buf_init(&log->lastbyte, 1);
			submitted(log, STEP_LASTBYTE, uv_fs_read(log->loop, req, log->fd, &b, 1,
			                                         (int64_t)log->size - 1, on_fs));
		} else {
			write_or_rotate(log);
		}
		break;
	case STEP_LASTBYTE:
		if (res == 1 && log->lastbyte != '\n' && !log->mid_line)
			log->need_nl = true;
		write_or_rotate(log);
		break;
	case STEP_STAT:
		if (res == UV_ENOENT) {
			char msg[512];
			snprintf(msg, sizeof msg, "event log %s was deleted or moved while running; recreated it",
			         log->path);
			log->need_nl = false;
			drop_torn_tail(log);
			start_close(log, THEN_OPEN);
			/* Queued while the close is in flight, written after the reopen. */
			add_own(log, EVENT_NOTICE, msg);
		} else if (res == 0 && (st.st_dev != log->dev || st.st_ino != log->ino)) {
			/* Moved away and replaced (logrotate): follow the name. */
			log->need_nl = false;
			drop_torn_tail(log);
			start_close(log, THEN_OPEN);
		} else {
			if (res == 0)
				log->size = st.st_size;
			write_or_rotate(log);
		}
		break;
	case STEP_CLOSE:
		if (log->then == THEN_OPEN) {
			start_open(log);
		} else if (log->then == THEN_ROTATE) {
			log->rename_i = log->keep;
			next_rename(log);
		}
		break;
	case STEP_RENAME_OLD:
		next_rename(log);
		break;
	case STEP_RENAME_MAIN:
		if (res < 0) {
			/* Keep appending to the same file rather than lose anything, and do
			 * not retry before it has grown by another max_bytes. */
			log->no_rotate_below = log->size + log->max_bytes;
		} else {
			log->need_nl = false;
			log->no_rotate_below = 0;
		}
		start_open(log);
		break;
	case STEP_WRITE: {
		size_t total = log->out.len + (log->out_nl ? 1 : 0);
		if (res < 0 || (res == 0 && total > 0)) {
			fail(log, res < 0 ? (int)res : UV_EIO);
			break;
		}
		size_t n = (size_t)res;
		log->size += n;
		if (log->out_nl) {
			log->need_nl = false;
			n--;
		}
		if (n < log->out.len) {
			if (n > 0)
				log->mid_line = log->out.p[n - 1] != '\n';
			requeue(log, n);
			/* Try the rest at once: it either fits now or fails with the reason. */
			log->want_retry = true;
			break;
		}
		log->mid_line = false;
		requeue(log, n);
		succeed(log);
		break;
	}
	}
	if (log->step == STEP_IDLE)
		kick(log);
}

/* Starts the next write if lines wait and nothing is in flight. After a failure
 * it waits for a new event or a flush before trying again. */
static void kick(struct eventlog *log)
{
	if (log->path == NULL || log->loop == NULL || log->step != STEP_IDLE || log->queue.len == 0)
		return;
	if (log->failing && !log->want_retry)
		return;
	log->want_retry = false;
	if (log->fd < 0) {
		log->mkdir_tried = false;
		start_open(log);
	} else {
		submitted(log, STEP_STAT, uv_fs_stat(log->loop, &log->req, log->path, on_fs));
	}
}

/* ---- public ---- */

char *eventlog_default_path(void)
{
	const char *base = getenv("XDG_STATE_HOME");
	const char *suffix = "/isitdown/events.jsonl";
	char *path;

	/* The XDG spec says a relative value is invalid and must be ignored. */
	if (base == NULL || base[0] != '/') {
		base = getenv("HOME");
		if (base == NULL || base[0] == '\0')
			return NULL;
		suffix = "/.local/state/isitdown/events.jsonl";
	}
	if (asprintf(&path, "%s%s", base, suffix) < 0)
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
	buf_free(&log->queue);
	buf_free(&log->out);
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
	return count_lines(&log->queue) + count_lines(&log->out);
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

int eventlog_addf(struct eventlog *log, enum event_severity sev, enum event_source src,
                  const char *component, const char *target, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return UV_ENOMEM;
	struct event ev = {
		.severity = sev, .source = src,
		.component = component, .target = target, .text = text,
	};
	int rc = eventlog_add(log, &ev);
	free(text);
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

struct evec {
	struct event **v;
	size_t n, cap;
};

static int evec_push(struct evec *ev, struct event *e)
{
	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 64;
		struct event **v = realloc(ev->v, cap * sizeof *v);
		if (v == NULL)
			return UV_ENOMEM;
		ev->v = v;
		ev->cap = cap;
	}
	ev->v[ev->n++] = e;
	return 0;
}

static void evec_free(struct evec *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		free(ev->v[i]);
	free(ev->v);
	*ev = (struct evec){ 0 };
}

/* Parses one file into out (oldest first) and counts damaged lines. A missing file
 * is an empty one. */
static int load_file(const char *path, struct evec *out, size_t *skipped)
{
	char *data = NULL;
	size_t len = 0;
	int rc = read_whole_file(path, &data, &len);
	if (rc == UV_ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t pos = 0; pos < len;) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;

		size_t k = 0;
		while (k < n && isspace((unsigned char)line[k]))
			k++;
		if (k == n)
			continue;
		struct event *e = event_from_line(line, n);
		if (e == NULL) {
			(*skipped)++;
			continue;
		}
		if (evec_push(out, e) < 0) {
			free(e);
			rc = UV_ENOMEM;
			break;
		}
	}
	free(data);
	return rc;
}

/* Says what load found wrong with one file, as an event of the log itself. */
static void report_load(struct eventlog *log, const char *path, int rc, size_t skipped)
{
	char msg[512];

	if (rc < 0 && rc != UV_ENOMEM) {
		snprintf(msg, sizeof msg, "cannot read event log %s: %s", path, uv_strerror(rc));
		add_own(log, EVENT_WARNING, msg);
	}
	if (skipped > 0) {
		snprintf(msg, sizeof msg, "skipped %zu damaged line%s in %s", skipped,
		         skipped == 1 ? "" : "s", path);
		add_own(log, EVENT_NOTICE, msg);
	}
}

int eventlog_load(struct eventlog *log, struct eventlog_load_stats *stats)
{
	struct evec cur = { 0 }, old = { 0 }, had = { 0 };
	size_t skipped_cur = 0, skipped_old = 0;
	int rc_cur, rc_old = 0, rc;
	char *path1 = NULL;

	if (stats != NULL)
		*stats = (struct eventlog_load_stats){ 0 };
	if (log->path == NULL)
		return 0;

	rc_cur = load_file(log->path, &cur, &skipped_cur);
	if (rc_cur == 0 && cur.n < log->cap) {
		path1 = rotated_name(log->path, 1);
		rc_old = path1 ? load_file(path1, &old, &skipped_old) : UV_ENOMEM;
	}
	rc = rc_cur < 0 ? rc_cur : rc_old;

	/* Events added before the load stay the newest: take them out of the ring
	 * and put them back after the loaded ones. */
	for (size_t i = log->count; i > 0; i--) {
		if (evec_push(&had, (struct event *)eventlog_at(log, i - 1)) < 0) {
			free(had.v);
			rc = UV_ENOMEM;
			goto out;
		}
	}
	log->count = 0;
	log->head = 0;
	log->next_id = 0;
	for (size_t i = 0; i < old.n; i++)
		ring_push(log, old.v[i]);
	for (size_t i = 0; i < cur.n; i++)
		ring_push(log, cur.v[i]);
	for (size_t i = 0; i < had.n; i++)
		ring_push(log, had.v[i]);
	free(had.v);
	if (stats != NULL) {
		stats->loaded = old.n + cur.n;
		stats->skipped = skipped_cur + skipped_old;
	}
	old.n = 0;
	cur.n = 0;

	report_load(log, log->path, rc_cur, skipped_cur);
	if (path1 != NULL)
		report_load(log, path1, rc_old, skipped_old);
out:
	free(path1);
	evec_free(&cur);
	evec_free(&old);
	return rc;
}

int eventlog_flush(struct eventlog *log)
{
	bool retried = false;

	if (log->path == NULL || log->loop == NULL)
		return 0;
	for (;;) {
		while (log->step != STEP_IDLE)
			uv_run(log->loop, UV_RUN_ONCE);
		if (log->queue.len == 0)
			return 0;
		if (log->failing) {
			if (retried)
				return log->last_err;
			retried = true;
			log->want_retry = true;
		}
		kick(log);
		if (log->step == STEP_IDLE)
			return log->failing ? log->last_err : 0;
	}
}
