/* eventlog_load.c: refilling the ring from the file (and its first rotated
 * file) at start: synchronous, before the loop runs; damaged lines are skipped
 * and counted. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eventlog_internal.h"

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
		rc = elog_buf_append(&b, chunk, n);
		if (rc < 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = uv_translate_sys_error(errno ? errno : EIO);
	fclose(f);
	if (rc < 0) {
		elog_buf_free(&b);
		return rc;
	}
	*data = b.p;
	*len = b.len;
	return 0;
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
		struct event *e = elog_event_from_line(line, n);
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
		elog_add_own(log, EVENT_WARNING, msg);
	}
	if (skipped > 0) {
		snprintf(msg, sizeof msg, "skipped %zu damaged line%s in %s", skipped,
		         skipped == 1 ? "" : "s", path);
		elog_add_own(log, EVENT_NOTICE, msg);
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
		path1 = elog_rotated_name(log->path, 1);
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
		elog_ring_push(log, old.v[i]);
	for (size_t i = 0; i < cur.n; i++)
		elog_ring_push(log, cur.v[i]);
	for (size_t i = 0; i < had.n; i++)
		elog_ring_push(log, had.v[i]);
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
