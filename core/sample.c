/* sample.c: names for probe outcomes and the release of what a sample owns. */
#include "sample.h"

#include <stdlib.h>

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUTCOME_OK: return "ok";
	case OUTCOME_DNS_FAIL: return "dns_fail";
	case OUTCOME_CONNECT_FAIL: return "connect_fail";
	case OUTCOME_TLS_FAIL: return "tls_fail";
	case OUTCOME_TIMEOUT: return "timeout";
	case OUTCOME_RECV_FAIL: return "recv_fail";
	case OUTCOME_HTTP_5XX: return "http_5xx";
	case OUTCOME_RATE_LIMITED: return "rate_limited";
	case OUTCOME_AUTH_REJECTED: return "auth_rejected";
	case OUTCOME_CHALLENGED: return "challenged";
	case OUTCOME_HTTP_UNEXPECTED: return "http_unexpected";
	case OUTCOME_BODY_MISMATCH: return "body_mismatch";
	case OUTCOME_PROXY_FAIL: return "proxy_fail";
	case OUTCOME_ERROR: return "error";
	case OUTCOME_MODEL_ERROR: return "model_error";
	case OUTCOME_STREAM_STALLED: return "stream_stalled";
	case OUTCOME_MODEL_NOT_FOUND: return "model_not_found";
	case OUTCOME_SLOW: return "slow";
	case OUTCOME_COUNT: break;
	}
	return "error";
}

void sample_done(struct sample *s)
{
	free(s->body);
	free(s->etag);
	free(s->last_modified);
	s->body = NULL;
	s->etag = NULL;
	s->last_modified = NULL;
}
