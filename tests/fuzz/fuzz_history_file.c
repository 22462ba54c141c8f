/* fuzz_history_file.c: the history file read back at start (history_file_open).
 *
 * The input is the file, written into a private temporary directory. A first
 * run opens it for two targets and writes (setting a bad file aside, then
 * rewriting what it loaded); a second, read-only run must then find a good
 * file: no warning, and each target's history as the first run left it
 * (same count, same newest record, same hourly tally). Both leave nothing on
 * the loop once closed (uv_loop_close succeeds). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "fuzz_util.h"
#include "history_file.h"

#define NTARGETS 2
#define CAPACITY 64

static char dir[64];
static char path[128];

static const char *const keys[NTARGETS] = {"tcp\nt\nx:1", "http\nweb\nhttps://a.test/"};

static void remove_files(void)
{
	static const char *const ends[] = {"", ".damaged", ".lock", ".tmp"};
	char p[160];

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ends[i]);
		unlink(p);
	}
}

static void cleanup(void)
{
	remove_files();
	rmdir(dir);
}

static void on_warn(void *data, const char *message)
{
	(void)message;
	(*(int *)data)++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/isitdown-fuzz-XXXXXX",
		 tmp && tmp[0] == '/' && strlen(tmp) < 32 ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/h.bin", dir);
	atexit(cleanup);
	return 0;
}

struct run {
	uv_loop_t loop;
	struct history *h[NTARGETS];
	struct history_file *hf;
	int warnings;
};

static void run_open(struct run *r, bool read_only)
{
	struct history_file_options o = {.read_only = read_only, .warn = on_warn, .warn_data = &r->warnings};

	memset(r, 0, sizeof(*r));
	FUZZ_ASSERT(uv_loop_init(&r->loop) == 0);
	for (size_t i = 0; i < NTARGETS; i++)
		FUZZ_ASSERT((r->h[i] = history_new(CAPACITY)) != NULL);
	o.warn_data = &r->warnings;
	r->hf = history_file_open(&r->loop, path, NTARGETS, keys, r->h, &o);
	FUZZ_ASSERT(r->hf != NULL);
	uv_run(&r->loop, UV_RUN_DEFAULT);
}

static void run_close(struct run *r)
{
	history_file_close(r->hf);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	FUZZ_ASSERT(uv_loop_close(&r->loop) == 0);
	for (size_t i = 0; i < NTARGETS; i++)
		history_free(r->h[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history_hour ha[HISTORY_HOURS], hb[HISTORY_HOURS];
	struct run first, again;
	FILE *f;

	remove_files();
	f = fopen(path, "wb");
	FUZZ_ASSERT(f != NULL);
	FUZZ_ASSERT(fwrite(data, 1, size, f) == size);
	FUZZ_ASSERT(fclose(f) == 0);

	run_open(&first, false);
	FUZZ_ASSERT(history_file_writing(first.hf));
	run_open(&again, true);
	FUZZ_ASSERT(again.warnings == 0);
	for (size_t i = 0; i < NTARGETS; i++) {
		const struct history_record *a = history_last(first.h[i]), *b = history_last(again.h[i]);
		size_t na = history_hours(first.h[i], ha), nb = history_hours(again.h[i], hb);

		FUZZ_ASSERT(history_count(first.h[i]) == history_count(again.h[i]));
		FUZZ_ASSERT((a == NULL) == (b == NULL));
		FUZZ_ASSERT(!a || memcmp(a, b, sizeof(*a)) == 0);
		FUZZ_ASSERT(na == nb && memcmp(ha, hb, na * sizeof(ha[0])) == 0);
	}
	run_close(&again);
	run_close(&first);
	return 0;
}
