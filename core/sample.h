/* sample.h: the result of one probe of one target.
 *
 * A sample is a plain value, copied into history; the only pointer, body, is owned
 * by whoever holds the sample and is kept only while a condition needs it. */
#ifndef ISITDOWN_SAMPLE_H
#define ISITDOWN_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What a probe found, in the words the diagnosis reasons with. */
enum outcome {
	OUTCOME_OK,
	OUTCOME_DNS_FAIL,        /* name did not resolve */
	OUTCOME_CONNECT_FAIL,    /* refused, unreachable */
	OUTCOME_TLS_FAIL,        /* handshake or certificate */
	OUTCOME_TIMEOUT,
	OUTCOME_RECV_FAIL,       /* reset, truncated, malformed response */
	OUTCOME_HTTP_5XX,
	OUTCOME_RATE_LIMITED,    /* 429 */
	OUTCOME_AUTH_REJECTED,   /* 401/403 while a key is configured */
	OUTCOME_CHALLENGED,      /* bot challenge: reachable, not served */
	OUTCOME_HTTP_UNEXPECTED, /* a status outside expect_status */
	OUTCOME_BODY_MISMATCH,   /* body_contains not found, or not the JSON expected */
	OUTCOME_PROXY_FAIL,
	OUTCOME_ERROR,           /* anything else */
	/* model probes (kind llm); after OUTCOME_ERROR so that the numbers of the
	 * others, kept in history files, stay as they were */
	OUTCOME_MODEL_ERROR,     /* an error event in the stream, or the API's error body */
	OUTCOME_STREAM_STALLED,  /* the stream started, then nothing for stall_s */
	OUTCOME_MODEL_NOT_FOUND, /* the model is not known: the user's configuration, never an outage */
	OUTCOME_SLOW,            /* answered, the first token later than slow_ms (ok) */
	OUTCOME_COUNT
};

#define SAMPLE_ERROR_LEN 160
#define SAMPLE_IP_LEN 46
#define SAMPLE_REQUEST_ID_LEN 160

struct sample {
	double t;          /* wall clock, seconds since the epoch, when the probe started */
	bool ok;
	enum outcome outcome;
	/* phase durations in ms; -1 where the phase did not happen */
	double dns_ms, connect_ms, tls_ms, ttfb_ms, transfer_ms, total_ms;
	bool reused;       /* connection was reused: dns/connect/tls not measured */
	bool key_sent;     /* a secret header went with the request (never over plain http) */
	bool tls_stalled;  /* OUTCOME_TIMEOUT with TCP connected and the TLS handshake unanswered
			      (what a firewall filtering by name looks like) */
	long http_status;  /* 0 when none */
	long proxy_status; /* the proxy's answer to CONNECT when it refused the tunnel (>= 400), else 0 */
	int http_version;  /* 10, 11, 20, 30; 0 when none */
	char remote_ip[SAMPLE_IP_LEN];
	/* the identifiers the service gave the request, for a support ticket
	 * ("x-request-id: abc, cf-ray: 8f1c-AMS"), sanitized; "" when none */
	char request_id[SAMPLE_REQUEST_ID_LEN];
	char error[SAMPLE_ERROR_LEN]; /* short, sanitized; "" when ok */
	double retry_after_s; /* -1 when absent */
	time_t server_date;   /* Date header; 0 when absent */
	time_t cert_expiry;   /* 0 when no certificate */
	time_t cert_start;    /* the certificate's start date ("not before"); 0 when unknown */
	int n_addr_v4, n_addr_v6; /* dns probes */
	/* model probes (kind llm) only; llm is false and the rest unset otherwise */
	bool llm;
	double first_token_ms; /* from the probe's start to the first event carrying text; -1 none */
	double tokens_per_s;   /* after the first token; -1 when not measured */
	long tokens_out;       /* as the API reported it, else the text events counted; -1 none */
	char llm_model[64];    /* the model the API says answered, sanitized; "" when none */
	char finish_reason[32]; /* as the API words it, sanitized; "" when none */
	size_t body_len;      /* bytes received (counted even when not kept) */
	char *body;           /* kept only when needed (statuspage); NUL-terminated */
	char *etag;           /* statuspage politeness; may be NULL */
	char *last_modified;
};

const char *outcome_name(enum outcome o);
/* Frees what the sample owns (body, etag, ...) and clears those pointers. */
void sample_done(struct sample *s);

#endif
