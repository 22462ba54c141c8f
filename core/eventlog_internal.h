/* eventlog_internal.h: the event log's insides, shared by its files: the ring and
 * subscribers (eventlog.c), the JSON line codec (eventlog_line.c), the file writer
 * (eventlog_writer.c) and the loader (eventlog_load.c). Nothing outside them
 * includes it. */
#ifndef ISITDOWN_EVENTLOG_INTERNAL_H
#define ISITDOWN_EVENTLOG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "eventlog.h"

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

/* Growing text buffers (eventlog_writer.c); 0 or UV_ENOMEM. */
int elog_buf_append(struct buf *b, const char *p, size_t n);
void elog_buf_free(struct buf *b);
size_t elog_count_lines(const struct buf *b);
/* The ring (eventlog.c): a copy of an event in one allocation, time t when
 * src's is not set; pushing it may drop the oldest. */
struct event *elog_event_dup(const struct event *src, double t);
void elog_ring_push(struct eventlog *log, struct event *e);
/* One event as one JSON line, appended to b, and back (eventlog_line.c);
 * NULL for a damaged line. */
int elog_encode_line(const struct event *e, struct buf *b);
struct event *elog_event_from_line(const char *line, size_t len);
/* The log's own events and its warning (eventlog.c). */
void elog_add_own(struct eventlog *log, enum event_severity sev, const char *text);
void elog_set_warning(struct eventlog *log, const char *msg);
/* The writer (eventlog_writer.c): the name of rotated file i (malloc'd), and
 * starting the next file operation when none is in flight. */
char *elog_rotated_name(const char *path, unsigned i);
void elog_kick(struct eventlog *log);

#endif
