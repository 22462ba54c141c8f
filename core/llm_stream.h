/* llm_stream.h: a model's streamed answer, read event by event, in the shape
 * of one of three APIs (OpenAI chat completions, OpenAI responses, Anthropic
 * messages).
 *
 * The bytes go through an SSE parser (sse.h) as they arrive; each event is
 * read for what a probe measures: the first and last event carrying text, how
 * many there were, the usage the API reports, the finish reason, the model the
 * API says answered, and an error said in the stream. Text from the network is
 * sanitized before it is kept. The struct is the caller's (embedded, _init and
 * _done); it allocates only the parser's buffers. It also words the two
 * other things a probe exchanges with such an API: the request body, and the
 * error body of a refusal. */
#ifndef ISITDOWN_LLM_STREAM_H
#define ISITDOWN_LLM_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "sse.h"

#define LLM_TEXT_LEN 160

struct llm_stream {
	enum llm_api api;
	struct sse_parser sse;
	uint64_t now_ns;          /* when the bytes being fed arrived */
	uint64_t first_text_ns, last_text_ns; /* 0 before the first text */
	long text_events;
	long usage_out;           /* output tokens as the API counted them; -1 none */
	bool done;                /* the API's last event came ([DONE], message_stop, ...) */
	bool error;               /* an error event came */
	char error_msg[LLM_TEXT_LEN];
	char error_code[48];      /* "server_error", "overloaded_error", ...; "" none */
	char model[64];
	char finish[32];
};

/* Sets up ls for the api with events of up to cap bytes. 0 or -ENOMEM. */
int llm_stream_init(struct llm_stream *ls, enum llm_api api, size_t cap);
/* Reads len more bytes that arrived at now_ns. 0, or -E2BIG when an event
 * passes the cap (the stream is of no further use). */
int llm_stream_feed(struct llm_stream *ls, const char *buf, size_t len, uint64_t now_ns);
/* Output tokens: the API's count, else the text events. */
long llm_stream_tokens(const struct llm_stream *ls);
/* Tokens per second after the first text event, or -1 when fewer than two
 * events carried text. */
double llm_stream_rate(const struct llm_stream *ls);
void llm_stream_done(struct llm_stream *ls);

/* The request body for target t (streaming, t's model, prompt and
 * max_tokens), malloc'd; NULL when out of memory. */
char *llm_request_body(const struct target *t);

/* Reads an API's error body (not 2xx): its message and its code (OpenAI's
 * error.code, else error.type; Anthropic's error.type), sanitized; "" where
 * the body does not say. */
void llm_error_body(const char *body, size_t len, char *msg, size_t msglen, char *code, size_t codelen);
/* Whether an error code names a model the API does not know. */
bool llm_code_is_model_not_found(const char *code);

#endif
