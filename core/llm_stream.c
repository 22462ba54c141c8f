/* llm_stream.c: the events of a streamed model answer, in each API's shape;
 * see llm_stream.h.
 *
 * struct llm_stream belongs to the probe that embeds it; the SSE parser calls
 * on_event for each complete event while llm_stream_feed runs, and on_event
 * only writes into the struct. Each event's data is a small JSON object,
 * parsed with cJSON and dropped at once. */
#include "llm_stream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sanitize.h"

static const char *str_at(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void keep(char *dst, size_t len, const char *s)
{
	if (s)
		sanitize_into(dst, len, s, SANITIZE_NUL_TERMINATED, 0);
}

static void note_text(struct llm_stream *ls, const char *text)
{
	if (!text || !text[0])
		return;
	if (ls->first_text_ns == 0)
		ls->first_text_ns = ls->now_ns;
	ls->last_text_ns = ls->now_ns;
	ls->text_events++;
}

static void note_usage(struct llm_stream *ls, const cJSON *usage, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(usage, key);

	if (cJSON_IsNumber(n) && n->valuedouble >= 0)
		ls->usage_out = (long)n->valuedouble;
}

/* {"error": {"message", "type", "code"}} (OpenAI) or {"type": "error",
 * "error": {"type", "message"}} (Anthropic). */
static void note_error_object(struct llm_stream *ls, const cJSON *err)
{
	const char *code = str_at(err, "code");

	ls->error = true;
	keep(ls->error_msg, sizeof(ls->error_msg), str_at(err, "message"));
	keep(ls->error_code, sizeof(ls->error_code), code ? code : str_at(err, "type"));
	if (!ls->error_msg[0])
		snprintf(ls->error_msg, sizeof(ls->error_msg), "an error event without a message");
}

static void read_chat(struct llm_stream *ls, const cJSON *d)
{
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(d, "choices");
	const cJSON *c0 = cJSON_GetArrayItem(choices, 0);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(d, "error");

	if (cJSON_IsObject(err)) {
		note_error_object(ls, err);
		return;
	}
	keep(ls->model, sizeof(ls->model), str_at(d, "model"));
	if (cJSON_IsObject(c0)) {
		note_text(ls, str_at(cJSON_GetObjectItemCaseSensitive(c0, "delta"), "content"));
		keep(ls->finish, sizeof(ls->finish), str_at(c0, "finish_reason"));
	}
	note_usage(ls, cJSON_GetObjectItemCaseSensitive(d, "usage"), "completion_tokens");
}

static void read_responses(struct llm_stream *ls, const char *type, const cJSON *d)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(d, "response");

	if (strcmp(type, "response.output_text.delta") == 0) {
		note_text(ls, str_at(d, "delta"));
		return;
	}
	if (strcmp(type, "error") == 0) {
		note_error_object(ls, d);
		return;
	}
	if (!cJSON_IsObject(r))
		return;
	keep(ls->model, sizeof(ls->model), str_at(r, "model"));
	note_usage(ls, cJSON_GetObjectItemCaseSensitive(r, "usage"), "output_tokens");
	if (strcmp(type, "response.completed") == 0) {
		keep(ls->finish, sizeof(ls->finish), str_at(r, "status"));
		ls->done = true;
	} else if (strcmp(type, "response.incomplete") == 0) {
		const char *why = str_at(cJSON_GetObjectItemCaseSensitive(r, "incomplete_details"), "reason");

		keep(ls->finish, sizeof(ls->finish), why ? why : "incomplete");
		ls->done = true;
	} else if (strcmp(type, "response.failed") == 0) {
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(r, "error");

		if (cJSON_IsObject(err))
			note_error_object(ls, err);
		else
			note_error_object(ls, r);
		ls->done = true;
	}
}

static void read_anthropic(struct llm_stream *ls, const char *type, const cJSON *d)
{
	if (strcmp(type, "message_start") == 0) {
		keep(ls->model, sizeof(ls->model), str_at(cJSON_GetObjectItemCaseSensitive(d, "message"), "model"));
	} else if (strcmp(type, "content_block_delta") == 0) {
		const cJSON *delta = cJSON_GetObjectItemCaseSensitive(d, "delta");
		const char *dt = str_at(delta, "type");

		if (dt && strcmp(dt, "text_delta") == 0)
			note_text(ls, str_at(delta, "text"));
	} else if (strcmp(type, "message_delta") == 0) {
		keep(ls->finish, sizeof(ls->finish),
		     str_at(cJSON_GetObjectItemCaseSensitive(d, "delta"), "stop_reason"));
		note_usage(ls, cJSON_GetObjectItemCaseSensitive(d, "usage"), "output_tokens");
	} else if (strcmp(type, "message_stop") == 0) {
		ls->done = true;
	} else if (strcmp(type, "error") == 0) {
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(d, "error");

		note_error_object(ls, cJSON_IsObject(err) ? err : d);
	}
}

static int on_event(const struct sse_event *ev, void *data)
{
	struct llm_stream *ls = data;
	cJSON *d;
	const char *type;

	if (ls->api == LLM_API_OPENAI_CHAT && strcmp(ev->data, "[DONE]") == 0) {
		ls->done = true;
		return 0;
	}
	d = cJSON_ParseWithLength(ev->data, ev->data_len);
	if (!cJSON_IsObject(d)) {
		cJSON_Delete(d);
		return 0; /* not an event of ours: a keep-alive, say */
	}
	/* the event's name, else the type its data gives (the same in both APIs
	 * that name events) */
	type = strcmp(ev->type, "message") != 0 ? ev->type : str_at(d, "type");
	if (ls->api == LLM_API_OPENAI_CHAT)
		read_chat(ls, d);
	else if (type && ls->api == LLM_API_OPENAI_RESPONSES)
		read_responses(ls, type, d);
	else if (type)
		read_anthropic(ls, type, d);
	cJSON_Delete(d);
	return 0;
}

int llm_stream_init(struct llm_stream *ls, enum llm_api api, size_t cap)
{
	memset(ls, 0, sizeof(*ls));
	ls->api = api;
	ls->usage_out = -1;
	return sse_init(&ls->sse, cap, on_event, ls);
}

int llm_stream_feed(struct llm_stream *ls, const char *buf, size_t len, uint64_t now_ns)
{
	ls->now_ns = now_ns;
	return sse_feed(&ls->sse, buf, len);
}

long llm_stream_tokens(const struct llm_stream *ls)
{
	return ls->usage_out >= 0 ? ls->usage_out : ls->text_events;
}

double llm_stream_rate(const struct llm_stream *ls)
{
	double span_s = (double)(ls->last_text_ns - ls->first_text_ns) / 1e9;
	long tokens = llm_stream_tokens(ls);

	if (ls->text_events < 2 || span_s <= 0 || tokens <= 0)
		return -1;
	/* what came after the first event, in the time after it: the first
	 * event's share of the tokens is its share of the events */
	return (double)tokens * (double)(ls->text_events - 1) / (double)ls->text_events / span_s;
}

void llm_stream_done(struct llm_stream *ls)
{
	sse_done(&ls->sse);
}

char *llm_request_body(const struct target *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *msgs, *msg;
	char *text = NULL;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "model", t->model);
	cJSON_AddBoolToObject(o, "stream", true);
	if (t->api == LLM_API_OPENAI_RESPONSES) {
		cJSON_AddStringToObject(o, "input", t->prompt);
		cJSON_AddNumberToObject(o, "max_output_tokens", t->max_tokens);
	} else {
		cJSON_AddNumberToObject(o, "max_tokens", t->max_tokens);
		msgs = cJSON_AddArrayToObject(o, "messages");
		msg = cJSON_CreateObject();
		if (msgs && msg) {
			cJSON_AddStringToObject(msg, "role", "user");
			cJSON_AddStringToObject(msg, "content", t->prompt);
			cJSON_AddItemToArray(msgs, msg);
			msg = NULL;
		}
		cJSON_Delete(msg);
		if (t->api == LLM_API_OPENAI_CHAT) {
			cJSON *so = cJSON_AddObjectToObject(o, "stream_options");

			if (so)
				cJSON_AddBoolToObject(so, "include_usage", true);
		}
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

void llm_error_body(const char *body, size_t len, char *msg, size_t msglen, char *code, size_t codelen)
{
	cJSON *d = body ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(d, "error");
	const char *c;

	msg[0] = code[0] = '\0';
	if (cJSON_IsObject(err)) {
		c = str_at(err, "code");
		keep(msg, msglen, str_at(err, "message"));
		keep(code, codelen, c ? c : str_at(err, "type"));
	}
	cJSON_Delete(d);
}

bool llm_code_is_model_not_found(const char *code)
{
	return strcmp(code, "model_not_found") == 0 || strcmp(code, "not_found_error") == 0;
}
