/* eventlog_writer.c: the asynchronous writer of the event log's file.
 *
 * A small state machine driven by one uv_fs_t and on_fs: at most one file
 * operation is in flight, so lines added meanwhile pile up in `queue` and go out
 * together as one write. Before each write the path is stat'ed: a file deleted or
 * replaced under us is reopened, and a file that would grow past max_bytes is
 * rotated (events.jsonl -> .1 -> .2 ...) first. Files are only ever opened with
 * O_APPEND and never truncated. A failed operation puts the lines back, closes the
 * file and raises one warning; the next event (or eventlog_flush) tries again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eventlog_internal.h"

static void start_close(struct eventlog *log, enum then then);
static void start_open(struct eventlog *log);
static void on_fs(uv_fs_t *req);

int elog_buf_append(struct buf *b, const char *p, size_t n)
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

void elog_buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

size_t elog_count_lines(const struct buf *b)
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
		if (log->queue.len > 0 && elog_buf_append(o, log->queue.p, log->queue.len) < 0) {
			/* Out of memory: keep the older lines, lose the newer. */
			log->lost += elog_count_lines(&log->queue);
		}
		elog_buf_free(&log->queue);
		log->queue = *o;
	} else {
		elog_buf_free(o);
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
		elog_set_warning(log, msg);
		elog_add_own(log, EVENT_WARNING, msg);
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
	elog_set_warning(log, NULL);
	if (log->lost > 0)
		snprintf(msg, sizeof msg, "event log %s is writable again; %zu events could not be saved",
		         log->path, log->lost);
	else
		snprintf(msg, sizeof msg, "event log %s is writable again", log->path);
	log->lost = 0;
	elog_add_own(log, EVENT_NOTICE, msg);
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

char *elog_rotated_name(const char *path, unsigned i)
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
		from = elog_rotated_name(log->path, log->rename_i - 1);
		to = elog_rotated_name(log->path, log->rename_i);
		step = STEP_RENAME_OLD;
	} else {
		from = strdup(log->path);
		to = elog_rotated_name(log->path, 1);
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
			elog_add_own(log, EVENT_NOTICE, msg);
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
		elog_kick(log);
}

/* Starts the next write if lines wait and nothing is in flight. After a failure
 * it waits for a new event or a flush before trying again. */
void elog_kick(struct eventlog *log)
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
		elog_kick(log);
		if (log->step == STEP_IDLE)
			return log->failing ? log->last_err : 0;
	}
}
