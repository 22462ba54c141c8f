/* fuzz_headers.c: the response header values isitdown reads.
 *
 * Date and Last-Modified (timefmt_parse_http_date), Retry-After
 * (timefmt_retry_after), the ISO 8601 times of status pages
 * (timefmt_parse_iso8601), and ETag-like values kept and shown through
 * sanitize_dup / sanitize_into. The input is the header value. Besides not
 * crashing: a parsed time written back out parses to the same time, and
 * sanitized text is clean, within its length, and stays the same when
 * sanitized again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "timefmt.h"
#include "fuzz_util.h"

static void check_times(const char *s)
{
	char buf[64];
	time_t t, again;
	long wait;

	if (timefmt_parse_http_date(s, &t) == 0) {
		timefmt_http_date(t, buf, sizeof(buf));
		if (buf[0]) {
			FUZZ_ASSERT(timefmt_parse_http_date(buf, &again) == 0);
			FUZZ_ASSERT(again == t);
		}
	}
	if (timefmt_parse_iso8601(s, &t) == 0) {
		timefmt_iso_utc(t, buf, sizeof(buf));
		if (buf[0]) {
			FUZZ_ASSERT(timefmt_parse_iso8601(buf, &again) == 0);
			FUZZ_ASSERT(again == t);
		}
	}
	wait = timefmt_retry_after(s, 1790071872);
	FUZZ_ASSERT(wait >= -1 && wait <= INT32_MAX);
	/* a too small buffer gets "" */
	FUZZ_ASSERT(timefmt_http_date(1790071872, buf, 8)[0] == '\0');
}

/* maxlen 0 is left unchecked: it has meant "nothing" and "no limit" */
static void check_sanitized(const char *in, size_t maxlen, unsigned flags)
{
	char *out = sanitize_dup(in, maxlen, flags);
	char *again;

	FUZZ_ASSERT(out != NULL);
	FUZZ_ASSERT(maxlen == 0 || strlen(out) <= maxlen);
	FUZZ_CLEAN(out, flags & SANITIZE_KEEP_NEWLINES);
	again = sanitize_dup(out, SIZE_MAX, flags);
	FUZZ_ASSERT(again != NULL);
	FUZZ_ASSERT(strcmp(again, out) == 0);
	free(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	size_t len = strlen(s);
	char small[17];

	check_times(s);
	for (unsigned flags = 0; flags <= SANITIZE_KEEP_NEWLINES; flags++) {
		char *cut;
		size_t n;

		check_sanitized(s, SIZE_MAX, flags);
		/* cut somewhere, possibly inside a character or an escape */
		check_sanitized(s, len / 2, flags);
		check_sanitized(s, 1, flags);
		check_sanitized(s, 3, flags);

		/* the raw bytes, NULs included, into a small buffer */
		n = sanitize_into(small, sizeof(small), (const char *)data, size, flags);
		FUZZ_ASSERT(n == strlen(small) && n < sizeof(small));
		FUZZ_CLEAN(small, flags & SANITIZE_KEEP_NEWLINES);

		/* into a buffer or into a copy of that size: the same text */
		n = sanitize_into(small, sizeof(small), s, len, flags);
		FUZZ_ASSERT(n == strlen(small) && n < sizeof(small));
		cut = sanitize_dup(s, sizeof(small) - 1, flags);
		FUZZ_ASSERT(cut != NULL && strcmp(cut, small) == 0);
		free(cut);
	}
	free(s);
	return 0;
}
