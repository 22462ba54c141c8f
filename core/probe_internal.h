/* probe_internal.h: what the probe kinds share; not for use outside core/probe*.c. */
#ifndef ISITDOWN_PROBE_INTERNAL_H
#define ISITDOWN_PROBE_INTERNAL_H

#include <curl/curl.h>

#include "net.h"
#include "probe.h"

struct prober {
	uv_loop_t *loop;
	struct net *net;
	const struct config *cfg;
	struct probe *head; /* probes in flight, doubly linked */
};

struct llm_probe; /* probe_llm.c */

struct probe {
	struct prober *pr;  /* NULL once cancelled or finished */
	struct net *net;
	struct probe *prev, *next;
	const struct target *t;
	struct probe_opts opts;
	probe_done_fn done;
	void *data;
	struct sample s;
	uint64_t started_ns;
	bool finished;
	int open_handles;   /* libuv handles still to be closed; memory goes at zero */
	bool resolving;     /* a uv_getaddrinfo request is outstanding */

	/* http */
	CURL *easy;
	struct curl_slist *req_headers;
	struct curl_slist *resolve;
	char errbuf[CURL_ERROR_SIZE];
	char *body;
	size_t body_len, body_keep;
	bool body_truncated;
	bool challenge_header;
	bool key_set;
	bool failed_early;   /* known to fail before any request: a resolver override
				says "fail", or libcurl cannot parse the url */
	char content_type[64];
	char location[160]; /* the last Location header, sanitized, for errors */
	uint64_t tcp_up_ns;  /* when curl said the TCP connection was up; 0 before */
	struct llm_probe *llm; /* llm probes: the stream being read; owned */

	/* dns, tcp */
	uv_getaddrinfo_t gai;
	uv_timer_t timer;
	uv_tcp_t tcp;
	uv_connect_t connect;
	uint64_t resolved_ns;
};

/* Ends a probe: reports the sample (unless cancelled) and releases it when its
 * handles are closed. */
void probe_finish(struct probe *p);
void probe_release(struct probe *p);
double probe_elapsed_ms(const struct probe *p, uint64_t until_ns);
void probe_set_error(struct sample *s, enum outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int probe_http_start(struct probe *p);
void probe_http_cancel(struct probe *p);
/* What the llm probe borrows of the HTTP one: the end of a transfer (also
 * when it was taken out of curl), the plain body writer, the request headers. */
void probe_http_end(struct probe *p, CURLcode rc);
size_t probe_http_on_body(char *ptr, size_t size, size_t nmemb, void *userdata);
int probe_http_append_header(struct probe *p, const char *line);
bool probe_http_has_header(const struct target *t, const char *name);

/* probe_llm.c: the request's headers (while they are built), then its body,
 * write callback and stall timer; at the end, whether the stream itself ended
 * the probe (stalled, past the cap: true, the outcome set), else the reading
 * of the answer into an outcome. */
int probe_llm_headers(struct probe *p);
int probe_llm_setup(struct probe *p);
bool probe_llm_ended(struct probe *p, CURLcode rc);
void probe_llm_classify(struct probe *p);
void probe_llm_stop(struct probe *p);
void probe_llm_free(struct llm_probe *l);
int probe_dns_start(struct probe *p);
int probe_tcp_start(struct probe *p);
void probe_uv_cancel(struct probe *p);

int probe_start_timeout(struct probe *p);
void probe_resolve_done(struct probe *p);
void probe_dns_failed(struct probe *p, int status);

/* Resolves the target's host (honouring the config's overrides) for dns and tcp. */
int probe_resolve(struct probe *p, const char *host, uv_getaddrinfo_cb cb);

#endif
