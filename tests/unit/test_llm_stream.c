/* Unit tests for core/llm_stream.c: a model's streamed answer in each API's
 * shape, read in any pieces, and the request and error bodies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "llm_stream.h"

static const char chat[] =
	"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
	"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Ok\"},\"finish_reason\":null}]}\n\n"
	"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\".\"},\"finish_reason\":null}]}\n\n"
	"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" Yes\"},\"finish_reason\":null}]}\n\n"
	"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
	"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15}}\n\n"
	"data: [DONE]\n\n";

static const char responses[] =
	"event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"status\":\"in_progress\",\"model\":\"gpt-4.1-nano\"}}\n\n"
	"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Ok\"}\n\n"
	"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"!\"}\n\n"
	"event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"text\":\"Ok!\"}\n\n"
	"event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"model\":\"gpt-4.1-nano\",\"status\":\"incomplete\","
	"\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":9,\"output_tokens\":2}}}\n\n";

static const char anthropic[] =
	"event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\r\n\r\n"
	"event: ping\r\ndata: {\"type\":\"ping\"}\r\n\r\n"
	"event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Ok\"}}\r\n\r\n"
	"event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ay\"}}\r\n\r\n"
	"event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\\u001b[31m\"}}\r\n\r\n"
	"event: message_delta\r\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\r\n\r\n"
	"event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";

/* Feeds text in pieces of step bytes, the clock moving 10 ms a piece. */
static void feed(struct llm_stream *ls, const char *text, size_t step)
{
	size_t len = strlen(text);
	uint64_t now = 1000000000ull;

	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;

		assert_int_equal(llm_stream_feed(ls, text + off, n, now), 0);
		now += 10000000ull;
	}
}

static void test_chat_any_split(void **state)
{
	for (size_t step = 1; step < sizeof(chat); step += 7) {
		struct llm_stream ls;

		assert_int_equal(llm_stream_init(&ls, LLM_API_OPENAI_CHAT, 4096), 0);
		feed(&ls, chat, step);
		assert_true(ls.done);
		assert_false(ls.error);
		assert_int_equal(ls.text_events, 3);
		assert_int_equal(llm_stream_tokens(&ls), 6);
		assert_string_equal(ls.model, "gpt-4o-mini-2024-07-18");
		assert_string_equal(ls.finish, "stop");
		assert_true(ls.first_text_ns > 0 && ls.last_text_ns >= ls.first_text_ns);
		llm_stream_done(&ls);
	}
}

static void test_rate_after_the_first_token(void **state)
{
	struct llm_stream ls;
	const char *ev = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n";

	assert_int_equal(llm_stream_init(&ls, LLM_API_OPENAI_CHAT, 4096), 0);
	/* 11 events 100 ms apart: 10 after the first, in one second */
	for (int i = 0; i <= 10; i++)
		assert_int_equal(llm_stream_feed(&ls, ev, strlen(ev), 5000000000ull + (uint64_t)i * 100000000ull), 0);
	assert_int_equal(llm_stream_tokens(&ls), 11);
	assert_true(llm_stream_rate(&ls) > 9.99 && llm_stream_rate(&ls) < 10.01);
	/* the API counted 22 tokens in those events: twice the rate */
	ls.usage_out = 22;
	assert_true(llm_stream_rate(&ls) > 19.99 && llm_stream_rate(&ls) < 20.01);
	llm_stream_done(&ls);

	assert_int_equal(llm_stream_init(&ls, LLM_API_OPENAI_CHAT, 4096), 0);
	assert_int_equal(llm_stream_feed(&ls, ev, strlen(ev), 1), 0);
	assert_true(llm_stream_rate(&ls) < 0); /* one event: no rate */
	llm_stream_done(&ls);
}

static void test_responses(void **state)
{
	struct llm_stream ls;

	assert_int_equal(llm_stream_init(&ls, LLM_API_OPENAI_RESPONSES, 4096), 0);
	feed(&ls, responses, 13);
	assert_true(ls.done);
	assert_int_equal(ls.text_events, 2);
	assert_int_equal(llm_stream_tokens(&ls), 2);
	assert_string_equal(ls.model, "gpt-4.1-nano");
	assert_string_equal(ls.finish, "max_output_tokens");
	llm_stream_done(&ls);
}

static void test_anthropic(void **state)
{
	struct llm_stream ls;

	assert_int_equal(llm_stream_init(&ls, LLM_API_ANTHROPIC_MESSAGES, 4096), 0);
	feed(&ls, anthropic, 5);
	assert_true(ls.done);
	assert_int_equal(ls.text_events, 3);
	assert_int_equal(llm_stream_tokens(&ls), 3);
	assert_string_equal(ls.model, "claude-haiku-4-5");
	assert_string_equal(ls.finish, "end_turn");
	llm_stream_done(&ls);
}

static void test_errors_in_the_stream(void **state)
{
	static const struct {
		enum llm_api api;
		const char *text, *msg, *code;
	} cases[] = {
		{LLM_API_OPENAI_CHAT, "data: {\"error\":{\"message\":\"boom\\u001b[2J\",\"type\":\"server_error\",\"code\":null}}\n\n",
		 "boom", "server_error"},
		{LLM_API_OPENAI_RESPONSES, "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"bad\"}\n\n",
		 "bad", "server_error"},
		{LLM_API_OPENAI_RESPONSES, "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":"
		 "{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}}\n\n", "slow down", "rate_limit_exceeded"},
		{LLM_API_ANTHROPIC_MESSAGES, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
		 "\"message\":\"Overloaded\"}}\n\n", "Overloaded", "overloaded_error"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct llm_stream ls;

		assert_int_equal(llm_stream_init(&ls, cases[i].api, 4096), 0);
		feed(&ls, cases[i].text, 3);
		assert_true(ls.error);
		assert_string_equal(ls.error_msg, cases[i].msg);
		assert_string_equal(ls.error_code, cases[i].code);
		assert_int_equal(ls.text_events, 0);
		llm_stream_done(&ls);
	}
}

static void test_cap_and_noise(void **state)
{
	struct llm_stream ls;
	char big[300];

	assert_int_equal(llm_stream_init(&ls, LLM_API_OPENAI_CHAT, 64), 0);
	/* not JSON, a comment, an empty data: ignored */
	feed(&ls, ": keep-alive\n\ndata: hello\n\ndata:\n\n", 4);
	assert_false(ls.done);
	assert_int_equal(ls.text_events, 0);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "data: ", 6);
	assert_int_not_equal(llm_stream_feed(&ls, big, strlen(big), 1), 0);
	llm_stream_done(&ls);
}

static void test_request_bodies(void **state)
{
	struct target t = {.model = "gpt-4o-mini", .prompt = "Say \"ok\"", .max_tokens = 8};
	const enum llm_api apis[] = {LLM_API_OPENAI_CHAT, LLM_API_OPENAI_RESPONSES, LLM_API_ANTHROPIC_MESSAGES};

	for (size_t i = 0; i < 3; i++) {
		char *text;
		cJSON *d;

		t.api = apis[i];
		text = llm_request_body(&t);
		assert_non_null(text);
		d = cJSON_Parse(text);
		assert_non_null(d);
		assert_string_equal(cJSON_GetObjectItem(d, "model")->valuestring, "gpt-4o-mini");
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "stream")));
		if (t.api == LLM_API_OPENAI_RESPONSES) {
			assert_string_equal(cJSON_GetObjectItem(d, "input")->valuestring, "Say \"ok\"");
			assert_int_equal(cJSON_GetObjectItem(d, "max_output_tokens")->valueint, 8);
		} else {
			cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "messages"), 0);

			assert_string_equal(cJSON_GetObjectItem(m, "content")->valuestring, "Say \"ok\"");
			assert_int_equal(cJSON_GetObjectItem(d, "max_tokens")->valueint, 8);
		}
		assert_int_equal(cJSON_IsObject(cJSON_GetObjectItem(d, "stream_options")), t.api == LLM_API_OPENAI_CHAT);
		cJSON_Delete(d);
		cJSON_free(text);
	}
}

static void test_error_bodies(void **state)
{
	char msg[64], code[32];
	const char *oa = "{\"error\": {\"message\": \"The model `x` does not exist\", \"type\": \"invalid_request_error\", "
			 "\"param\": null, \"code\": \"model_not_found\"}}";
	const char *an = "{\"type\": \"error\", \"error\": {\"type\": \"not_found_error\", \"message\": \"model: x\"}}";

	llm_error_body(oa, strlen(oa), msg, sizeof(msg), code, sizeof(code));
	assert_string_equal(msg, "The model `x` does not exist");
	assert_string_equal(code, "model_not_found");
	assert_true(llm_code_is_model_not_found(code));
	llm_error_body(an, strlen(an), msg, sizeof(msg), code, sizeof(code));
	assert_string_equal(msg, "model: x");
	assert_string_equal(code, "not_found_error");
	assert_true(llm_code_is_model_not_found(code));
	llm_error_body("<html>", 6, msg, sizeof(msg), code, sizeof(code));
	assert_string_equal(msg, "");
	assert_string_equal(code, "");
	assert_false(llm_code_is_model_not_found(code));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chat_any_split),
		cmocka_unit_test(test_rate_after_the_first_token),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_anthropic),
		cmocka_unit_test(test_errors_in_the_stream),
		cmocka_unit_test(test_cap_and_noise),
		cmocka_unit_test(test_request_bodies),
		cmocka_unit_test(test_error_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
