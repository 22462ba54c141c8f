/* fuzz_llm_stream.c: a model's streamed answer read in each API's shape
 * (llm_stream.c, over the SSE reader), and an API's error body.
 *
 * The first byte picks the API and the size of the pieces; the rest is the
 * stream. Besides not crashing: fed whole and fed in pieces, it reads the same
 * answer (text events, usage, the end, an error, model and finish); what it
 * keeps of the network's text is clean (valid UTF-8, no control or escape);
 * the rate is a number or -1. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "llm_stream.h"
#include "fuzz_util.h"

#define CAP 1024

static int run(enum llm_api api, const uint8_t *data, size_t size, size_t piece, struct llm_stream *ls)
{
	int rc = 0;
	uint64_t now = 1000;

	if (llm_stream_init(ls, api, CAP) != 0)
		return -ENOMEM;
	for (size_t i = 0; i < size && rc == 0; i += piece, now += 1000000)
		rc = llm_stream_feed(ls, (const char *)data + i, size - i < piece ? size - i : piece, now);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct llm_stream whole, split;
	enum llm_api api;
	size_t piece;
	int a, b;
	double rate;
	char msg[160], code[48];

	if (size < 1)
		return 0;
	api = (enum llm_api)(data[0] % LLM_API_COUNT);
	piece = 1 + data[0] / LLM_API_COUNT % 23;
	data++;
	size--;
	a = run(api, data, size, size ? size : 1, &whole);
	b = run(api, data, size, piece, &split);
	FUZZ_ASSERT(a == 0 || a == -E2BIG);
	FUZZ_ASSERT(a == b);
	if (a == 0) {
		FUZZ_ASSERT(whole.text_events == split.text_events);
		FUZZ_ASSERT(whole.usage_out == split.usage_out);
		FUZZ_ASSERT(whole.done == split.done && whole.error == split.error);
		FUZZ_ASSERT(strcmp(whole.model, split.model) == 0);
		FUZZ_ASSERT(strcmp(whole.finish, split.finish) == 0);
		FUZZ_ASSERT(strcmp(whole.error_msg, split.error_msg) == 0);
	}
	FUZZ_CLEAN(split.model, false);
	FUZZ_CLEAN(split.finish, false);
	FUZZ_CLEAN(split.error_msg, false);
	FUZZ_CLEAN(split.error_code, false);
	rate = llm_stream_rate(&split);
	FUZZ_ASSERT(rate == -1 || (isfinite(rate) && rate > 0));
	FUZZ_ASSERT(llm_stream_tokens(&split) >= 0);
	llm_stream_done(&whole);
	llm_stream_done(&split);

	llm_error_body((const char *)data, size, msg, sizeof(msg), code, sizeof(code));
	FUZZ_CLEAN(msg, false);
	FUZZ_CLEAN(code, false);
	return 0;
}
