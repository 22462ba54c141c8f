/* fuzz_eventlog.c: the event log file read back at start (eventlog_load).
 *
 * The input is events.jsonl, and after a FUZZ_SEPARATOR line the rotated
 * events.jsonl.1, written into a private temporary directory; the ring's
 * capacity (4 to 11) comes from the input's length, so that both "the file
 * alone fills the ring" and "read the older file too" happen. Besides not
 * crashing: the ring holds at most its capacity, newest first with rising
 * ids, every event has its strings, and the log leaves nothing on the loop
 * once freed (uv_loop_close succeeds). The file never rotates here
 * (max_bytes UINT64_MAX): the directory holds only the two files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "eventlog.h"
#include "fuzz_util.h"

static char dir[64];
static char path[128], path1[128];

static void cleanup(void)
{
	unlink(path);
	unlink(path1);
	rmdir(dir);
}

static void write_file(const char *name, const struct fuzz_part *part)
{
	FILE *f = fopen(name, "wb");

	FUZZ_ASSERT(f != NULL);
	FUZZ_ASSERT(fwrite(part->data, 1, part->len, f) == part->len);
	FUZZ_ASSERT(fclose(f) == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/isitdown-fuzz-XXXXXX",
		 tmp && tmp[0] == '/' && strlen(tmp) < 32 ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/events.jsonl", dir);
	snprintf(path1, sizeof(path1), "%s.1", path);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eventlog_options opts = { .capacity = 4 + size % 8, .max_bytes = UINT64_MAX };
	struct eventlog_load_stats stats;
	struct fuzz_part parts[2];
	const struct event *found[4];
	struct eventlog *log;
	uv_loop_t loop;
	size_t n, count;
	int rc;

	n = fuzz_split(data, size, parts, 2);
	unlink(path1);
	write_file(path, &parts[0]);
	if (n > 1)
		write_file(path1, &parts[1]);

	FUZZ_ASSERT(uv_loop_init(&loop) == 0);
	log = eventlog_new(&loop, path, &opts);
	FUZZ_ASSERT(log != NULL);
	rc = eventlog_load(log, &stats);
	FUZZ_ASSERT(rc == 0);

	count = eventlog_count(log);
	FUZZ_ASSERT(count <= opts.capacity);
	FUZZ_ASSERT(count <= stats.loaded + 2); /* plus a notice per damaged file */
	FUZZ_ASSERT(eventlog_at(log, count) == NULL);
	for (size_t i = 0; i < count; i++) {
		const struct event *ev = eventlog_at(log, i);

		FUZZ_ASSERT(ev != NULL);
		FUZZ_ASSERT(ev->component != NULL && ev->target != NULL && ev->text != NULL);
		FUZZ_ASSERT(ev->severity <= EVENT_CRITICAL && ev->source <= EVENT_SRC_MONITOR);
		FUZZ_ASSERT(ev->time > 0);
		FUZZ_ASSERT(eventlog_severity_name(ev->severity) != NULL);
		FUZZ_ASSERT(eventlog_source_name(ev->source) != NULL);
		if (i > 0)
			FUZZ_ASSERT(eventlog_at(log, i - 1)->id > ev->id);
		FUZZ_ASSERT(eventlog_match(ev, NULL) && eventlog_match(ev, ""));
		FUZZ_ASSERT(eventlog_match(ev, eventlog_source_name(ev->source)));
	}
	FUZZ_ASSERT(eventlog_filter(log, "", found, 4) == count);
	eventlog_filter(log, "warn", found, 4);

	eventlog_free(log);
	FUZZ_ASSERT(uv_loop_close(&loop) == 0);
	return 0;
}
