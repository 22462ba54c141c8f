/* fuzz_sse.c: the server-sent events reader (a model's streaming answer).
 *
 * The input is the stream. Besides not crashing: fed whole and fed in the
 * pieces the first byte chooses, it gives the same events with the same data
 * and the same result, no event's data is longer than the cap, and a stream
 * past the cap ends with -E2BIG, never more memory. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sse.h"
#include "fuzz_util.h"

#define CAP 512

struct digest {
	uint64_t h;
	unsigned long n;
};

static void mix(struct digest *d, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		d->h = (d->h ^ b[i]) * 1099511628211ull;
}

static int on_event(const struct sse_event *ev, void *data)
{
	struct digest *d = data;

	FUZZ_ASSERT(ev->data_len <= CAP);
	FUZZ_ASSERT(ev->data[ev->data_len] == '\0');
	FUZZ_ASSERT(ev->type && ev->type[0] && ev->id);
	mix(d, ev->type, strlen(ev->type) + 1);
	mix(d, ev->id, strlen(ev->id) + 1);
	mix(d, ev->data, ev->data_len);
	d->n++;
	return 0;
}

static int run(const uint8_t *data, size_t size, size_t piece, struct digest *d)
{
	struct sse_parser p;
	int rc = 0;

	if (sse_init(&p, CAP, on_event, d) != 0)
		return -ENOMEM;
	for (size_t i = 0; i < size && rc == 0; i += piece)
		rc = sse_feed(&p, (const char *)data + i, size - i < piece ? size - i : piece);
	sse_done(&p);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest whole = {14695981039346656037ull, 0}, split = whole;
	size_t piece = size ? 1 + data[0] % 17 : 1;
	int a = run(data, size, size ? size : 1, &whole), b = run(data, size, piece, &split);

	FUZZ_ASSERT(a == 0 || a == -E2BIG);
	FUZZ_ASSERT(a == b);
	if (a == 0) {
		FUZZ_ASSERT(whole.n == split.n);
		FUZZ_ASSERT(whole.h == split.h);
	}
	return 0;
}
