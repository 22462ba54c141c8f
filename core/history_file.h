/* history_file.h: a service's probe history kept across restarts.
 *
 * One compact binary file per service in the state directory holds, for each
 * target, the records its history ring keeps (a day at the default interval)
 * and, for the days before, the hourly tally (probes and failures per hour, to
 * 7 days): what the sparklines, p50/p95 and uptime need to continue where they
 * stopped. It is written as the monitor runs: each new record appended (at
 * most one write in flight, records arriving meanwhile go out together),
 * and rewritten whole (to a temporary file, then renamed over it) when it is
 * opened and when it grows past max_bytes, so it never holds more than
 * max_bytes: records beyond the newest that fit are folded into the tally.
 *
 * A file that is not a history file, or damaged (a record that cannot be
 * one), is set aside as PATH.damaged and reported; what came before the
 * damage is kept. A record cut short at the end (a crash mid-write) is
 * dropped without a word. Only one isitdown writes a file: another one that
 * finds it taken (a lock on PATH.lock) reads it and writes nothing, as --once.
 *
 * Layout (little-endian): a 16-byte header, "isitdownHIST" and the version
 * (u32, 1); then records, each starting with its type byte:
 *   'T' id len key[len]  a target: id (u8) stands for it in the records after
 *   'H' id 0 0 hour(u32) count(u32) failures(u32)          16 bytes
 *   'S' id outcome flags t_s(u32) t_ms(u16) status(u16)
 *       total dns connect tls ttfb transfer (float32 ms)   36 bytes
 * A key names the target by its kind, name and URL or host:port (a URL's
 * credential masked), so a target whose address changed starts afresh. */
#ifndef ISITDOWN_HISTORY_FILE_H
#define ISITDOWN_HISTORY_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "history.h"

#define HISTORY_FILE_MAX (16u << 20) /* bytes: a day of 5 targets at 10 s is 1.5 MiB */
#define HISTORY_FILE_MAX_TARGETS 255

struct history_file;
struct target;

/* A problem worth a line in the event log: the file set aside, unwritable. */
typedef void (*history_file_warn_fn)(void *data, const char *message);

struct history_file_options {
	bool read_only;        /* load, never write (--once) */
	size_t max_bytes;      /* 0: HISTORY_FILE_MAX */
	history_file_warn_fn warn;
	void *warn_data;
};

/* The file of a service: STATE_DIR/history/SLUG.bin, the slug being the
 * service's name in lower case, each run of other characters a '-'
 * ("OpenAI" -> openai.bin). state_dir NULL: the default (paths.h). Returns 0,
 * -ENOENT (no state directory can be named) or -ENAMETOOLONG. */
int history_file_default_path(const char *state_dir, const char *service, char *buf, size_t len);

/* The key of a target in the file, malloc'd; NULL when out of memory. */
char *history_file_key(const struct target *t);

/* Reads path (a file that does not exist is an empty history) into hists[i],
 * the history of the target keyed keys[i], before the loop runs; then, unless
 * read-only, takes the file and rewrites it on the loop. The keys are copied;
 * the histories are borrowed until history_file_close. NULL only when out of
 * memory. */
struct history_file *history_file_open(uv_loop_t *loop, const char *path, size_t n, const char *const *keys,
				       struct history *const *hists, const struct history_file_options *o);

/* Appends the record just pushed to target i's history. */
void history_file_append(struct history_file *hf, size_t i, const struct history_record *r);

/* Records loaded at open (all targets), and whether this run writes the file. */
size_t history_file_loaded(const struct history_file *hf);
bool history_file_writing(const struct history_file *hf);
const char *history_file_path(const struct history_file *hf);

/* Writes what is queued (blocking: it is the end), lets go of the histories
 * and the lock, and frees hf once its last file operation is done; the loop
 * must run until then. */
void history_file_close(struct history_file *hf);

#endif
