/* probe_llm.c: the model probe (kind llm): one tiny streaming request, timed
 * to its first token and through its last.
 *
 * It rides on the HTTP probe (probe_http.c builds the transfer, sends the key
 * only over https and reads the timings and network failures); this file adds
 * what a model's answer needs: the request body and headers of the target's
 * API, a write callback that feeds the stream to an llm_stream as it arrives
 * (never the whole body in memory, and never past the byte cap), the stall
 * timer, and the reading of the answer into an outcome.
 *
 * struct llm_probe is owned by its probe and freed with it (probe_release).
 * The stall timer is the probe's own uv timer (p->timer, unused by HTTP
 * probes): the write callback rearms it with every piece of the stream, and
 * when it fires the transfer is taken out of curl and ended here, from the
 * loop, never from inside a curl callback. */
#include "probe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm_stream.h"
#include "sanitize.h"

/* the largest single event the stream may send */
#define EVENT_CAP (64 * 1024)
#define ANTHROPIC_VERSION "2023-06-01"

struct llm_probe {
	struct llm_stream ls;
	char *request;       /* the body sent */
	bool stalled;        /* the stall timer ended the transfer */
	bool event_too_big;  /* one event passed EVENT_CAP */
	bool timer_armed;
};

static size_t body_cap(const struct probe *p)
{
	return p->t->body_cap ? p->t->body_cap : CONFIG_LLM_BODY_CAP;
}

static void on_stall(uv_timer_t *timer)
{
	struct probe *p = timer->data;

	if (!p->easy || p->finished)
		return;
	p->llm->stalled = true;
	net_cancel(p->net, p->easy);
	probe_http_end(p, CURLE_OPERATION_TIMEDOUT);
}

static size_t on_stream(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct probe *p = userdata;
	struct llm_probe *l = p->llm;
	size_t n = size * nmemb;
	long status = 0;

	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		return probe_http_on_body(ptr, size, nmemb, userdata); /* an error body: kept, capped */
	if (p->body_len + n > body_cap(p)) {
		p->body_truncated = true;
		return 0;
	}
	if (llm_stream_feed(&l->ls, ptr, n, uv_hrtime()) != 0) {
		l->event_too_big = true;
		return 0;
	}
	p->body_len += n;
	if (p->timer.data && !uv_is_closing((uv_handle_t *)&p->timer)) {
		uv_timer_start(&p->timer, on_stall, (uint64_t)(p->t->stall_s * 1000), 0);
		l->timer_armed = true;
	}
	return n;
}

int probe_llm_headers(struct probe *p)
{
	const struct target *t = p->t;

	if (probe_http_append_header(p, "Content-Type: application/json") != 0 ||
	    probe_http_append_header(p, "Accept: text/event-stream") != 0)
		return -1;
	if (t->api == LLM_API_ANTHROPIC_MESSAGES && !probe_http_has_header(t, "anthropic-version") &&
	    probe_http_append_header(p, "anthropic-version: " ANTHROPIC_VERSION) != 0)
		return -1;
	return 0;
}

int probe_llm_setup(struct probe *p)
{
	struct llm_probe *l = calloc(1, sizeof(*l));

	if (!l)
		return -1;
	p->llm = l;
	if (llm_stream_init(&l->ls, p->t->api, EVENT_CAP) != 0)
		return -1;
	l->request = llm_request_body(p->t);
	if (!l->request)
		return -1;
	if (uv_timer_init(p->pr->loop, &p->timer) != 0)
		return -1;
	p->timer.data = p;
	p->open_handles++;
	curl_easy_setopt(p->easy, CURLOPT_POSTFIELDS, l->request);
	curl_easy_setopt(p->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(l->request));
	curl_easy_setopt(p->easy, CURLOPT_WRITEFUNCTION, on_stream);
	curl_easy_setopt(p->easy, CURLOPT_WRITEDATA, p);
	if (!p->key_set && !p->failed_early) {
		/* The monitor skips a target whose key is not set; should one come
		 * here all the same, it is never sent keyless. */
		p->failed_early = true;
		probe_set_error(&p->s, OUTCOME_AUTH_REJECTED, "not probed: the API key is not set, or not over https");
		curl_easy_setopt(p->easy, CURLOPT_URL, "file:///dev/null");
		curl_easy_setopt(p->easy, CURLOPT_PROTOCOLS_STR, "file");
	}
	return 0;
}

void probe_llm_stop(struct probe *p)
{
	probe_uv_cancel(p);
}

void probe_llm_free(struct llm_probe *l)
{
	if (!l)
		return;
	llm_stream_done(&l->ls);
	free(l->request);
	free(l);
}

/* The measurements, whatever the outcome. */
static void read_measures(struct probe *p)
{
	const struct llm_stream *ls = &p->llm->ls;
	struct sample *s = &p->s;

	s->llm = true;
	s->first_token_ms = ls->first_text_ns ? probe_elapsed_ms(p, ls->first_text_ns) : -1;
	s->tokens_out = ls->text_events > 0 ? llm_stream_tokens(ls) : -1;
	s->tokens_per_s = llm_stream_rate(ls);
	snprintf(s->llm_model, sizeof(s->llm_model), "%s", ls->model);
	snprintf(s->finish_reason, sizeof(s->finish_reason), "%s", ls->finish);
}

bool probe_llm_ended(struct probe *p, CURLcode rc)
{
	struct llm_probe *l = p->llm;
	struct sample *s = &p->s;

	read_measures(p);
	if (l->stalled) {
		probe_set_error(s, OUTCOME_STREAM_STALLED, "the answer stalled: nothing for %g s after %ld tokens",
				p->t->stall_s, l->ls.text_events);
		return true;
	}
	if (rc == CURLE_WRITE_ERROR && (p->body_truncated || l->event_too_big)) {
		if (l->event_too_big)
			probe_set_error(s, OUTCOME_RECV_FAIL, "an event of the stream passed the %d byte cap", EVENT_CAP);
		else
			probe_set_error(s, OUTCOME_RECV_FAIL, "the stream passed the %zu byte cap", body_cap(p));
		return true;
	}
	return false;
}

/* An answer that is not a stream: the API's error body says why. */
static void classify_refusal(struct probe *p)
{
	struct sample *s = &p->s;
	char msg[LLM_TEXT_LEN], code[48];
	long st = s->http_status;

	llm_error_body(p->body, p->body ? strlen(p->body) : 0, msg, sizeof(msg), code, sizeof(code));
	if (st == 404 || llm_code_is_model_not_found(code)) {
		sanitize_snprintf(s->error, sizeof(s->error), "model \"%s\" not found: %s", p->t->model,
				  msg[0] ? msg : "the API does not know it");
		s->ok = false;
		s->outcome = OUTCOME_MODEL_NOT_FOUND;
		return;
	}
	probe_classify_http(s, p->t, p->key_set, false, true);
	if (s->outcome == OUTCOME_HTTP_UNEXPECTED || s->outcome == OUTCOME_OK) {
		s->ok = false;
		s->outcome = OUTCOME_MODEL_ERROR;
		sanitize_snprintf(s->error, sizeof(s->error), "HTTP %ld: %s", st, msg[0] ? msg : "the API refused");
	} else if (msg[0] && s->outcome != OUTCOME_AUTH_REJECTED) {
		/* (never an auth refusal's words: they may quote the key, masked or not) */
		char head[SAMPLE_ERROR_LEN];

		snprintf(head, sizeof(head), "%s", s->error);
		sanitize_snprintf(s->error, sizeof(s->error), "%s: %s", head, msg);
	}
}

void probe_llm_classify(struct probe *p)
{
	const struct llm_stream *ls = &p->llm->ls;
	struct sample *s = &p->s;

	if (s->http_status < 200 || s->http_status > 299) {
		classify_refusal(p);
		return;
	}
	if (ls->error) {
		if (ls->error_code[0])
			sanitize_snprintf(s->error, sizeof(s->error), "error in the stream: %s (%s)", ls->error_msg,
					  ls->error_code);
		else
			sanitize_snprintf(s->error, sizeof(s->error), "error in the stream: %s", ls->error_msg);
		s->ok = false;
		s->outcome = OUTCOME_MODEL_ERROR;
	} else if (!ls->done) {
		probe_set_error(s, OUTCOME_RECV_FAIL, "the stream ended before the answer did (%ld text events)",
				ls->text_events);
	} else if (ls->text_events == 0) {
		probe_set_error(s, OUTCOME_MODEL_ERROR, "the model answered without any text (finish reason \"%s\")",
				s->finish_reason);
	} else if (p->t->slow_ms > 0 && s->first_token_ms > p->t->slow_ms) {
		s->ok = true;
		s->outcome = OUTCOME_SLOW;
		snprintf(s->error, sizeof(s->error), "first token after %.0f ms (slow above %.0f ms)",
			 s->first_token_ms, p->t->slow_ms);
	} else {
		s->ok = true;
		s->outcome = OUTCOME_OK;
		s->error[0] = '\0';
	}
}
