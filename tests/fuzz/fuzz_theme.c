/* fuzz_theme.c: theme files (theme_parse).
 *
 * The input is the file. Besides not crashing: a rejected theme gets one
 * printable line saying where and why; an accepted one resolves at every
 * colour depth to colour numbers the terminal has, and no role comes out
 * with its foreground the same colour as its background. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"
#include "fuzz_util.h"

static void check_resolved(const struct theme *t, enum theme_depth depth, bool can_default)
{
	struct theme_pair p[ROLE_COUNT];
	int max = depth == THEME_DEPTH_8 ? 7 : depth == THEME_DEPTH_256 ? 255 : 0xffffff;

	theme_resolve(t, depth, can_default, p);
	for (int r = 0; r < ROLE_COUNT; r++) {
		FUZZ_ASSERT(p[r].fg >= -1 && p[r].fg <= max);
		FUZZ_ASSERT(p[r].bg >= -1 && p[r].bg <= max);
		if (depth == THEME_DEPTH_NONE)
			FUZZ_ASSERT(p[r].fg == -1 && p[r].bg == -1);
		if (!can_default && depth != THEME_DEPTH_NONE)
			FUZZ_ASSERT(p[r].fg >= 0 && p[r].bg >= 0);
		if (p[r].fg >= 0 && p[r].bg >= 0)
			FUZZ_ASSERT(p[r].fg != p[r].bg);
		FUZZ_ASSERT((p[r].attrs & ~0x1fu) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	char err[512];

	if (theme_parse(&t, "fuzz", (const char *)data, size, "fuzz.json", err, sizeof(err)) < 0) {
		FUZZ_MESSAGE(err);
		return 0;
	}
	FUZZ_ASSERT(memchr(t.name, '\0', sizeof(t.name)) != NULL);
	FUZZ_ASSERT(memchr(t.description, '\0', sizeof(t.description)) != NULL);
	FUZZ_PRINTABLE(t.description);
	for (int d = THEME_DEPTH_NONE; d <= THEME_DEPTH_DIRECT; d++) {
		check_resolved(&t, (enum theme_depth)d, true);
		check_resolved(&t, (enum theme_depth)d, false);
	}
	return 0;
}
