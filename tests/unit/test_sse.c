/* Unit tests for core/sse.c: server-sent events read piece by piece, as the
 * WHATWG grammar says, whatever the pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sse.h"

struct seen {
	char text[4096]; /* "type|id|data" per event, one per line */
	int stop_after;  /* the callback answers 7 after this many (0: never) */
	int n;
};

static int on_event(const struct sse_event *ev, void *data)
{
	struct seen *s = data;
	size_t used = strlen(s->text);

	snprintf(s->text + used, sizeof(s->text) - used, "%s|%s|%s\n", ev->type, ev->id, ev->data);
	s->n++;
	return s->stop_after && s->n >= s->stop_after ? 7 : 0;
}

/* Feeds stream in pieces of `piece` bytes (0: whole) and returns the events. */
static const char *events(const char *stream, size_t piece, int *rc_out)
{
	static struct seen s;
	struct sse_parser p;
	size_t len = strlen(stream);
	int rc = 0;

	memset(&s, 0, sizeof(s));
	assert_int_equal(sse_init(&p, 256, on_event, &s), 0);
	for (size_t i = 0; i < len && rc == 0; i += piece ? piece : len)
		rc = sse_feed(&p, stream + i, piece && len - i > piece ? piece : len - i);
	sse_done(&p);
	if (rc_out)
		*rc_out = rc;
	return s.text;
}

static const char *const OPENAI =
	"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
	": keep-alive\n\n"
	"data: {\"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n\n"
	"data: [DONE]\n\n";

static const char *const ANTHROPIC =
	"event: message_start\r\ndata: {\"type\":\"message_start\"}\r\n\r\n"
	"event: content_block_delta\r\ndata: {\"delta\":{\"text\":\"Hi\"}}\r\n\r\n"
	"event: error\rdata: {\"type\":\"error\"}\r\r";

static void test_the_shapes_of_model_apis(void **state)
{
	(void)state;
	assert_string_equal(events(OPENAI, 0, NULL), "message||{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n"
						      "message||{\"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n"
						      "message||[DONE]\n");
	assert_string_equal(events(ANTHROPIC, 0, NULL), "message_start||{\"type\":\"message_start\"}\n"
							 "content_block_delta||{\"delta\":{\"text\":\"Hi\"}}\n"
							 "error||{\"type\":\"error\"}\n");
}

static void test_any_split_gives_the_same_events(void **state)
{
	char whole[4096], split[4096];

	(void)state;
	snprintf(whole, sizeof(whole), "%s", events(ANTHROPIC, 0, NULL));
	for (size_t piece = 1; piece < 40; piece++) {
		snprintf(split, sizeof(split), "%s", events(ANTHROPIC, piece, NULL));
		assert_string_equal(split, whole);
		snprintf(whole, sizeof(whole), "%s", events(OPENAI, 0, NULL));
		assert_string_equal(events(OPENAI, piece, NULL), whole);
		snprintf(whole, sizeof(whole), "%s", events(ANTHROPIC, 0, NULL));
	}
}

static void test_grammar(void **state)
{
	(void)state;
	/* data lines joined, one space dropped, no space kept as is */
	assert_string_equal(events("data: a\ndata:b\ndata:  c\n\n", 0, NULL), "message||a\nb\n c\n");
	/* a field without a colon is that field with an empty value */
	assert_string_equal(events("data\n\n", 0, NULL), "message||\n");
	/* the id lasts; the type does not */
	assert_string_equal(events("id: 7\nevent: x\ndata: 1\n\ndata: 2\n\n", 0, NULL), "x|7|1\nmessage|7|2\n");
	/* no data, no event; an unfinished event is not told */
	assert_string_equal(events("event: x\n\nretry: 10\n\ndata: late", 0, NULL), "");
	/* a BOM is skipped (in any pieces), unknown fields ignored, comments too */
	assert_string_equal(events("\xef\xbb\xbf" "foo: bar\n:c\ndata: ok\n\n", 0, NULL), "message||ok\n");
	assert_string_equal(events("\xef\xbb\xbf" "data: ok\n\n", 1, NULL), "message||ok\n");
	/* bytes that only begin like a BOM are kept */
	assert_string_equal(events("\xef" "data: x\n\n", 1, NULL), "");
	assert_string_equal(events("data: \xef\xbb\xbf\n\n", 1, NULL), "message||\xef\xbb\xbf\n");
}

static void test_caps_and_stops(void **state)
{
	char big[600];
	int rc;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* a line past the cap */
	events(big, 7, &rc);
	assert_int_equal(rc, -E2BIG);
	/* data lines that add up past the cap */
	{
		char many[2000] = "";

		for (int i = 0; i < 30; i++)
			strcat(many, "data: 0123456789\n");
		strcat(many, "\n");
		events(many, 0, &rc);
		assert_int_equal(rc, -E2BIG);
	}
	/* the callback stops the stream */
	{
		struct seen s = {.stop_after = 1};
		struct sse_parser p;

		assert_int_equal(sse_init(&p, 256, on_event, &s), 0);
		assert_int_equal(sse_feed(&p, OPENAI, strlen(OPENAI)), 7);
		assert_int_equal(s.n, 1);
		sse_done(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_shapes_of_model_apis),
		cmocka_unit_test(test_any_split_gives_the_same_events),
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_caps_and_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
