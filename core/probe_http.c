/* probe_http.c: HTTP(S) and file:// probes, status pages included.
 *
 * Each probe owns one CURL easy handle for its life, runs it through net.c and
 * turns curl's result, timings and the headers we care about into a sample.
 * Secret header values are expanded here, in memory, and only for the host the
 * target names: never over plain HTTP, never across a redirect. */
#include "probe_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build_config.h"
#include "jsonpath.h"
#include "proxyenv.h"
#include "sanitize.h"
#include "timefmt.h"

#define CHALLENGE_SNIFF 4096

size_t probe_http_on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct probe *p = userdata;
	size_t n = size * nmemb;
	size_t cap = p->t->body_cap ? p->t->body_cap : CONFIG_DEFAULT_BODY_CAP;

	if (p->body_len + n > cap) {
		/* Past the cap the answer is already known; stop the transfer. */
		p->body_truncated = true;
		return 0;
	}
	if (p->body_keep > p->body_len) {
		size_t room = p->body_keep - p->body_len;
		size_t take = n < room ? n : room;
		char *nb = realloc(p->body, p->body_len + take + 1);

		if (!nb)
			return 0;
		p->body = nb;
		memcpy(p->body + p->body_len, ptr, take);
		p->body[p->body_len + take] = '\0';
	}
	p->body_len += n;
	return n;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	const char *v = line + nl + 1;
	const char *end = line + len;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return strndup(v, (size_t)(end - v));
}

/* The headers that name a request for the provider's support: never one
 * that could carry a secret (no cookie, no authorization). */
static const char *const request_id_headers[] = {"x-request-id", "cf-ray", "request-id", "x-amzn-requestid"};

static void note_request_id(struct sample *s, const char *line, size_t n)
{
	for (size_t i = 0; i < sizeof(request_id_headers) / sizeof(request_id_headers[0]); i++) {
		char *v = header_value(line, n, request_id_headers[i]);
		char clean[96];
		size_t used = strlen(s->request_id);

		if (!v)
			continue;
		sanitize_into(clean, sizeof(clean), v, strlen(v), 0);
		free(v);
		if (clean[0])
			sanitize_snprintf(s->request_id + used, sizeof(s->request_id) - used, "%s%s: %s", used ? ", " : "",
				 request_id_headers[i], clean);
		return;
	}
}

static size_t on_header(char *ptr, size_t size, size_t nitems, void *userdata)
{
	struct probe *p = userdata;
	size_t n = size * nitems;
	char *v;

	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100): forget the last one's headers. */
		p->challenge_header = false;
		p->s.retry_after_s = -1;
		p->s.server_date = 0;
		p->content_type[0] = '\0';
		p->location[0] = '\0';
		p->s.request_id[0] = '\0';
		return n;
	}
	note_request_id(&p->s, ptr, n);
	if ((v = header_value(ptr, n, "retry-after")) != NULL) {
		long secs = timefmt_retry_after(v, time(NULL));

		p->s.retry_after_s = secs >= 0 ? (double)secs : -1;
		free(v);
	} else if ((v = header_value(ptr, n, "date")) != NULL) {
		time_t d = 0;

		p->s.server_date = timefmt_parse_http_date(v, &d) == 0 ? d : 0;
		free(v);
	} else if ((v = header_value(ptr, n, "cf-mitigated")) != NULL) {
		p->challenge_header = strcasecmp(v, "challenge") == 0;
		free(v);
	} else if ((v = header_value(ptr, n, "etag")) != NULL) {
		free(p->s.etag);
		p->s.etag = sanitize_dup(v, 256, 0);
		free(v);
	} else if ((v = header_value(ptr, n, "last-modified")) != NULL) {
		free(p->s.last_modified);
		p->s.last_modified = sanitize_dup(v, 64, 0);
		free(v);
	} else if ((v = header_value(ptr, n, "location")) != NULL) {
		sanitize_into(p->location, sizeof(p->location), v, strlen(v), 0);
		free(v);
	} else if ((v = header_value(ptr, n, "content-type")) != NULL) {
		snprintf(p->content_type, sizeof(p->content_type), "%s", v);
		free(v);
	}
	return n;
}

/* Adds one line to the request headers. When memory runs out the list stays
 * as it was, still the probe's, and goes with the transfer (it may hold an
 * expanded secret, which must not be left behind unreachable). */
int probe_http_append_header(struct probe *p, const char *line)
{
	struct curl_slist *nl = curl_slist_append(p->req_headers, line);

	if (!nl)
		return -1;
	p->req_headers = nl;
	return 0;
}

/* Builds the request headers; a header whose value references a secret is sent
 * only over https (or to this machine), and only when the secret is set. */
bool probe_http_has_header(const struct target *t, const char *name)
{
	for (size_t i = 0; i < t->n_headers; i++)
		if (strcasecmp(t->headers[i].name, name) == 0)
			return true;
	return false;
}

static int build_headers(struct probe *p, bool secure_scheme)
{
	const struct target *t = p->t;
	char ua[64];

	snprintf(ua, sizeof(ua), "User-Agent: isitdown/%s", ISITDOWN_VERSION);
	if (probe_http_append_header(p, ua) != 0)
		return -1;
	for (size_t i = 0; i < t->n_headers; i++) {
		const struct header_kv *h = &t->headers[i];
		bool secret = config_header_is_secret(h);
		char *value;

		if (secret && !secure_scheme)
			continue;
		value = config_expand_env(h->value);
		if (!value)
			continue;
		if (secret)
			p->key_set = true;
		size_t len = strlen(h->name) + strlen(value) + 3;
		char *line = malloc(len);

		if (!line) {
			explicit_bzero(value, strlen(value));
			free(value);
			return -1;
		}
		snprintf(line, len, "%s: %s", h->name, value);
		int rc = probe_http_append_header(p, line);

		/* curl copies the line; wipe our copies of the secret now. */
		explicit_bzero(line, len);
		explicit_bzero(value, strlen(value));
		free(line);
		free(value);
		if (rc != 0)
			return -1;
	}
	if (t->body && t->body_is_json && !probe_http_has_header(t, "content-type")) {
		if (probe_http_append_header(p, "Content-Type: application/json") != 0)
			return -1;
	}
	if (t->kind == TARGET_LLM && probe_llm_headers(p) != 0)
		return -1;
	if (p->opts.if_none_match) {
		char line[300];

		snprintf(line, sizeof(line), "If-None-Match: %s", p->opts.if_none_match);
		if (probe_http_append_header(p, line) != 0)
			return -1;
	}
	if (p->opts.if_modified_since) {
		char line[128];

		snprintf(line, sizeof(line), "If-Modified-Since: %s", p->opts.if_modified_since);
		if (probe_http_append_header(p, line) != 0)
			return -1;
	}
	return 0;
}

/* The config's resolver overrides become CURLOPT_RESOLVE entries; "fail" ends
 * the probe as a DNS failure before any request. */
static int apply_resolve(struct probe *p, const char *host, long port, bool *fail)
{
	const char *addr = config_resolve_lookup(p->pr->cfg, host);
	char entry[512];

	*fail = false;
	if (!addr)
		return 0;
	if (strcmp(addr, "fail") == 0) {
		*fail = true;
		return 0;
	}
	if (strchr(addr, ':'))
		snprintf(entry, sizeof(entry), "%s:%ld:[%s]", host, port, addr);
	else
		snprintf(entry, sizeof(entry), "%s:%ld:%s", host, port, addr);
	p->resolve = curl_slist_append(NULL, entry);
	if (!p->resolve)
		return -1;
	curl_easy_setopt(p->easy, CURLOPT_RESOLVE, p->resolve);
	return 0;
}

static double phase_ms(curl_off_t later, curl_off_t earlier)
{
	if (later <= 0)
		return -1;
	if (later < earlier)
		return 0;
	return (double)(later - earlier) / 1000.0;
}

static void read_timings(struct probe *p)
{
	curl_off_t dns = 0, conn = 0, app = 0, pre = 0, start = 0, total = 0;
	long connects = 0;
	struct sample *s = &p->s;

	curl_easy_getinfo(p->easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
	curl_easy_getinfo(p->easy, CURLINFO_CONNECT_TIME_T, &conn);
	curl_easy_getinfo(p->easy, CURLINFO_APPCONNECT_TIME_T, &app);
	curl_easy_getinfo(p->easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curl_easy_getinfo(p->easy, CURLINFO_STARTTRANSFER_TIME_T, &start);
	curl_easy_getinfo(p->easy, CURLINFO_TOTAL_TIME_T, &total);
	curl_easy_getinfo(p->easy, CURLINFO_NUM_CONNECTS, &connects);

	/* No new connection and no request sent is a failed connect, not a reused one. */
	s->reused = connects == 0 && conn == 0 && pre > 0;
	if (!s->reused) {
		s->dns_ms = dns > 0 ? (double)dns / 1000.0 : (conn > 0 ? 0 : -1);
		s->connect_ms = phase_ms(conn, dns);
		s->tls_ms = app > 0 ? phase_ms(app, conn) : -1;
	}
	s->ttfb_ms = start > 0 ? phase_ms(start, pre) : -1;
	s->transfer_ms = start > 0 ? phase_ms(total, start) : -1;
	s->total_ms = total > 0 ? (double)total / 1000.0 : probe_elapsed_ms(p, uv_hrtime());
}

/* curl 7.88 stamps the connect time only once the whole connection, TLS
 * included, is up: a handshake that never ends reads as "connect 0". Its
 * verbose text says when TCP itself connected. Only that line is looked at:
 * the other text this callback sees includes the request headers, secrets
 * among them, and none of it is kept. */
static int on_debug(CURL *easy, curl_infotype type, char *text, size_t len, void *userdata)
{
	static const char up[] = "Connected to ";
	struct probe *p = userdata;

	(void)easy;
	if (type == CURLINFO_TEXT && p->tcp_up_ns == 0 && len >= sizeof(up) - 1 &&
	    memcmp(text, up, sizeof(up) - 1) == 0)
		p->tcp_up_ns = uv_hrtime();
	return 0;
}

/* Whether curl may go through a proxy for this https probe, as it decides:
 * the target's own proxy, else https_proxy / all_proxy from the environment
 * (no_proxy is not weighed: a proxy that might be in the way counts). */
static bool proxy_may_apply(const struct probe *p)
{
	struct proxyenv env;

	if (p->opts.proxy_mode == PROBE_PROXY_DIRECT)
		return false;
	if (p->opts.proxy_mode == PROBE_PROXY_TARGET && p->t->proxy)
		return p->t->proxy[0] != '\0';
	proxyenv_read(&env);
	return proxyenv_for(&env, false) != NULL;
}

/* A timeout on https that came after TCP connected and before the TLS
 * handshake finished: what a firewall that filters by server name (SNI)
 * looks like, and not a TCP failure. curl records the local port of a
 * connected socket only (never of one still connecting, refused or reset).
 * Behind a proxy that socket goes to the proxy: then the stall is the
 * handshake's only once the proxy has opened the tunnel. */
static void read_tls_stall(struct probe *p)
{
	struct sample *s = &p->s;
	const char *scheme = NULL;
	long port = 0, proxy_code = 0;

	if (s->reused || s->tls_ms >= 0 || s->ttfb_ms >= 0)
		return;
	if (curl_easy_getinfo(p->easy, CURLINFO_SCHEME, &scheme) != CURLE_OK || !scheme ||
	    strcasecmp(scheme, "https") != 0)
		return;
	if (curl_easy_getinfo(p->easy, CURLINFO_LOCAL_PORT, &port) != CURLE_OK || port <= 0)
		return;
	curl_easy_getinfo(p->easy, CURLINFO_HTTP_CONNECTCODE, &proxy_code);
	if (proxy_may_apply(p) && (proxy_code < 200 || proxy_code > 299))
		return;
	s->tls_stalled = true;
	if (s->connect_ms < 0 && p->tcp_up_ns > p->started_ns) {
		double ms = probe_elapsed_ms(p, p->tcp_up_ns) - (s->dns_ms > 0 ? s->dns_ms : 0);

		s->connect_ms = ms > 0 ? ms : 0;
	}
	probe_set_error(s, OUTCOME_TIMEOUT, "TLS handshake timed out after %.0f milliseconds: TCP connected, the "
			"server never answered the hello", s->total_ms);
}

/* OpenSSL prints certificate dates as "Jan 20 12:00:00 2027 GMT". */
static time_t parse_cert_date(const char *text)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	while (*text == ' ')
		text++;
	end = strptime(text, "%b %d %H:%M:%S %Y", &tm);
	if (!end)
		return 0;
	return timegm(&tm);
}

static void read_cert_expiry(struct probe *p)
{
	struct curl_certinfo *ci = NULL;

	if (curl_easy_getinfo(p->easy, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return;
	/* Certificate 0 is the server's own; its "Expire date" is the one that
	 * bites first, its "Start date" tells a clock far behind. */
	for (struct curl_slist *f = ci->certinfo[0]; f; f = f->next) {
		if (strncmp(f->data, "Expire date:", 12) == 0) {
			time_t t = parse_cert_date(f->data + 12);

			if (t > 0)
				p->s.cert_expiry = t;
		} else if (strncmp(f->data, "Start date:", 11) == 0) {
			time_t t = parse_cert_date(f->data + 11);

			if (t > 0)
				p->s.cert_start = t;
		}
	}
}

static enum outcome outcome_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return OUTCOME_DNS_FAIL;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_PROXY:
		return OUTCOME_PROXY_FAIL;
	case CURLE_COULDNT_CONNECT:
		return OUTCOME_CONNECT_FAIL;
	case CURLE_OPERATION_TIMEDOUT:
		return OUTCOME_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return OUTCOME_TLS_FAIL;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY:
		return OUTCOME_RECV_FAIL;
	case CURLE_TOO_MANY_REDIRECTS:
		/* the server answered, only never with the page itself */
		return OUTCOME_HTTP_UNEXPECTED;
	default:
		return OUTCOME_ERROR;
	}
}

static bool body_has_challenge(const struct probe *p)
{
	if (!p->body)
		return false;
	return strstr(p->body, "Just a moment...") || strstr(p->body, "challenge-platform") ||
	       strstr(p->body, "cf_chl_opt");
}

/* OpenSSL's verify results for a certificate outside its validity period. */
#define X509_NOT_YET_VALID 9
#define X509_EXPIRED 10

static void release_transfer(struct probe *p)
{
	if (p->llm)
		probe_llm_stop(p);
	curl_easy_cleanup(p->easy);
	p->easy = NULL;
	curl_slist_free_all(p->req_headers);
	curl_slist_free_all(p->resolve);
	p->req_headers = p->resolve = NULL;
}

static void on_cert_peek_done(CURL *easy, CURLcode rc, void *data)
{
	struct probe *p = data;

	if (rc == CURLE_OK)
		read_cert_expiry(p);
	release_transfer(p);
	probe_finish(p);
}

/* A certificate refused as expired (or not yet valid) hides its dates, and
 * they tell "their certificate lapsed" from "our clock is off". So look again
 * as a person would with openssl s_client: the same path, a bare handshake
 * that verifies nothing, sends no request (so no header, no secret) and only
 * reads the certificate. The sample is already complete; this adds the date. */
static int start_cert_peek(struct probe *p, CURLcode rc)
{
	long verify = 0;
	CURL *peek;

	if (rc != CURLE_PEER_FAILED_VERIFICATION || p->s.cert_expiry > 0 ||
	    curl_easy_getinfo(p->easy, CURLINFO_SSL_VERIFYRESULT, &verify) != CURLE_OK ||
	    (verify != X509_EXPIRED && verify != X509_NOT_YET_VALID))
		return -1;
	/* A copy keeps the url, resolver overrides, proxy, ca_file and timeout. */
	peek = curl_easy_duphandle(p->easy);
	if (!peek)
		return -1;
	curl_easy_setopt(peek, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(peek, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(peek, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(peek, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(peek, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(peek, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(peek, CURLOPT_VERBOSE, 0L);
	curl_easy_cleanup(p->easy);
	p->easy = peek;
	if (net_add(p->net, peek, on_cert_peek_done, p) != 0)
		return -1;
	return 0;
}

static bool status_in(long status, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == status)
			return true;
	return false;
}

/* The target carries a credential header (sent or withheld). */
static bool has_secret_header(const struct target *t)
{
	for (size_t i = 0; i < t->n_headers; i++)
		if (config_header_is_secret(&t->headers[i]))
			return true;
	return false;
}

void probe_classify_http(struct sample *s, const struct target *t, bool key_set, bool challenge_header,
			 bool body_matched)
{
	long st = s->http_status;
	bool expected;

	if (key_set && t->n_expect_with_key > 0)
		expected = status_in(st, t->expect_status_with_key, t->n_expect_with_key);
	else if (t->n_expect > 0)
		expected = status_in(st, t->expect_status, t->n_expect);
	else
		expected = st >= 200 && st < 400;

	s->ok = false;
	s->error[0] = '\0';
	if (challenge_header && (st == 403 || st == 503 || st == 429)) {
		/* The edge answered: the path works, a browser would be asked to prove itself. */
		s->ok = true;
		s->outcome = OUTCOME_CHALLENGED;
		snprintf(s->error, sizeof(s->error), "HTTP %ld bot challenge (reachable)", st);
	} else if (expected && body_matched) {
		s->ok = true;
		s->outcome = OUTCOME_OK;
	} else if (expected) {
		probe_set_error(s, OUTCOME_BODY_MISMATCH, "HTTP %ld but the body lacks the expected text", st);
	} else if (st == 429) {
		if (s->retry_after_s >= 0)
			probe_set_error(s, OUTCOME_RATE_LIMITED, "HTTP 429 rate limited, retry after %.0f s",
					s->retry_after_s);
		else
			probe_set_error(s, OUTCOME_RATE_LIMITED, "HTTP 429 rate limited");
	} else if ((st == 401 || st == 403) && key_set) {
		probe_set_error(s, OUTCOME_AUTH_REJECTED, "HTTP %ld: the API key was rejected", st);
	} else if ((st == 401 || st == 403) && has_secret_header(t)) {
		/* The service answered and asks for the credential we did not send:
		 * a question of the key, never an outage. */
		if (t->url && strncasecmp(t->url, "https://", 8) != 0)
			probe_set_error(s, OUTCOME_AUTH_REJECTED,
					"HTTP %ld: the API key was not sent (it is only sent over https)", st);
		else
			probe_set_error(s, OUTCOME_AUTH_REJECTED,
					"HTTP %ld: the API key was not sent (its variable is not set)", st);
	} else if (st >= 500) {
		probe_set_error(s, OUTCOME_HTTP_5XX, "HTTP %ld server error", st);
	} else {
		probe_set_error(s, OUTCOME_HTTP_UNEXPECTED, "HTTP %ld not expected", st);
	}
}

/* The target's json_expect against the answer: true when every field holds
 * its value; else why in words ("the body is not JSON", "data[0].status is
 * \"degraded\", not \"ok\""). */
static bool json_matches(const struct probe *p, char *why, size_t len)
{
	const struct target *t = p->t;
	cJSON *doc;
	bool ok = true;

	if (t->n_json_expect == 0)
		return true;
	doc = p->body ? cJSON_ParseWithLength(p->body, p->body_len) : NULL;
	if (!doc) {
		snprintf(why, len, "the body is not JSON");
		return false;
	}
	for (size_t i = 0; ok && i < t->n_json_expect; i++) {
		const cJSON *got = jsonpath_get(doc, t->json_expect[i].path);
		cJSON *want = cJSON_Parse(t->json_expect[i].value_json);

		if (!got) {
			sanitize_snprintf(why, len, "%s is missing", t->json_expect[i].path);
			ok = false;
		} else if (!want || !cJSON_Compare(got, want, true)) {
			char *text = cJSON_PrintUnformatted(got);

			sanitize_snprintf(why, len, "%s is %.40s, not %.40s", t->json_expect[i].path,
					  text ? text : "?", t->json_expect[i].value_json);
			cJSON_free(text);
			ok = false;
		}
		cJSON_Delete(want);
	}
	cJSON_Delete(doc);
	return ok;
}

static void on_done(CURL *easy, CURLcode rc, void *data)
{
	(void)easy;
	probe_http_end(data, rc);
}

void probe_http_end(struct probe *p, CURLcode rc)
{
	CURL *easy = p->easy;
	struct sample *s = &p->s;
	char *ip = NULL;
	long version = 0;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &s->http_status);
	curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip);
	if (ip)
		snprintf(s->remote_ip, sizeof(s->remote_ip), "%s", ip);
	curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
	s->http_version = version == CURL_HTTP_VERSION_1_0 ? 10 :
			  version == CURL_HTTP_VERSION_1_1 ? 11 :
			  version == CURL_HTTP_VERSION_2_0 ? 20 :
			  version == CURL_HTTP_VERSION_3 ? 30 : 0;
	if (p->failed_early) {
		s->http_status = 0;
		goto out;
	}
	read_timings(p);
	read_cert_expiry(p);
	s->body_len = p->body_len;
	s->key_sent = p->key_set;
	if (p->llm && probe_llm_ended(p, rc))
		goto out;

	if (rc == CURLE_WRITE_ERROR && p->body_truncated) {
		size_t cap = p->t->body_cap ? p->t->body_cap : CONFIG_DEFAULT_BODY_CAP;

		if (p->opts.keep_body) {
			probe_set_error(s, OUTCOME_RECV_FAIL, "body larger than the %zu byte cap", cap);
			goto out;
		}
		/* The status line and the first megabyte are in: that answers the probe. */
		rc = CURLE_OK;
	}
	if (rc == CURLE_UNSUPPORTED_PROTOCOL && s->http_status >= 300 && s->http_status < 400) {
		/* curl would say "Protocol "http" not supported", which reads like
		 * a broken build: say which redirect was refused and why. */
		probe_set_error(s, OUTCOME_HTTP_UNEXPECTED, "refused a redirect to %s: only https redirects are followed",
				p->location[0] ? p->location : "another scheme");
		goto out;
	}
	if (rc != CURLE_OK) {
		char clean[SAMPLE_ERROR_LEN];

		sanitize_into(clean, sizeof(clean), p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc),
			      strlen(p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc)), 0);
		{
			long connect_code = 0;

			/* curl reports a refused CONNECT as a receive error: it is the
			 * proxy answering, not the service */
			curl_easy_getinfo(easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
			if (connect_code >= 400) {
				s->proxy_status = connect_code;
				s->http_status = 0;
				probe_set_error(s, OUTCOME_PROXY_FAIL, "the proxy refused the tunnel (HTTP %ld)",
						connect_code);
				goto out;
			}
		}
		if (rc == CURLE_COULDNT_CONNECT) {
			long os_errno = 0;

			/* curl says only "Couldn't connect to server"; refused and
			 * unreachable point at different culprits. */
			curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
			/* curl resolves both families and drops the addresses of the
			 * other one: with none left it tries nothing and says only
			 * that it could not connect */
			if (os_errno == 0 && p->opts.family != IP_FAMILY_AUTO) {
				probe_set_error(s, OUTCOME_DNS_FAIL, "no IPv%c address for this name",
						p->opts.family == IP_FAMILY_V6 ? '6' : '4');
				goto out;
			}
			if (os_errno > 0) {
				probe_set_error(s, OUTCOME_CONNECT_FAIL, "%s (%s)", clean, uv_strerror((int)-os_errno));
				goto out;
			}
		}
		probe_set_error(s, outcome_of(rc), "%s", clean);
		if (rc == CURLE_OPERATION_TIMEDOUT)
			read_tls_stall(p);
		if (start_cert_peek(p, rc) == 0)
			return;
		goto out;
	}
	if (s->http_status == 0) {
		/* file:// and other non-HTTP schemes: a completed read is the answer. */
		bool matched = !p->t->body_contains || (p->body && strstr(p->body, p->t->body_contains));

		if (matched) {
			s->ok = true;
			s->outcome = OUTCOME_OK;
		} else {
			probe_set_error(s, OUTCOME_BODY_MISMATCH, "the body lacks the expected text");
		}
		goto out;
	}
	if (p->llm) {
		probe_llm_classify(p);
		goto out;
	}
	{
		char why[SAMPLE_ERROR_LEN] = "";
		bool matched = (!p->t->body_contains || (p->body && strstr(p->body, p->t->body_contains))) &&
			       json_matches(p, why, sizeof(why));
		bool challenged = p->challenge_header ||
				  ((s->http_status == 403 || s->http_status == 503) && body_has_challenge(p));

		probe_classify_http(s, p->t, p->key_set, challenged, matched);
		if (why[0] && s->outcome == OUTCOME_BODY_MISMATCH)
			probe_set_error(s, OUTCOME_BODY_MISMATCH, "HTTP %ld but %s", s->http_status, why);
	}
	if (s->ok && p->t->kind == TARGET_STATUSPAGE && s->http_status >= 300 && s->http_status < 400 &&
	    s->http_status != 304) {
		/* Otherwise the redirect's own body is parsed: "invalid JSON near byte 0". */
		if (p->key_set)
			probe_set_error(s, OUTCOME_HTTP_UNEXPECTED,
					"redirected to %s: not followed, the request carries a secret",
					p->location[0] ? p->location : "another URL");
		else
			probe_set_error(s, OUTCOME_HTTP_UNEXPECTED, "HTTP %ld redirect without a usable Location",
					s->http_status);
		goto out;
	}
	if (s->ok && p->t->kind == TARGET_STATUSPAGE && s->http_status != 304 && p->content_type[0] &&
	    strstr(p->content_type, "html")) {
		probe_set_error(s, OUTCOME_BODY_MISMATCH, "status page answered with HTML, not JSON (moved?)");
	}
out:
	if (p->opts.keep_body && s->ok) {
		s->body = p->body;
		p->body = NULL;
	}
	release_transfer(p);
	probe_finish(p);
}

int probe_http_start(struct probe *p)
{
	const struct target *t = p->t;
	const struct config *cfg = p->pr->cfg;
	const char *url = p->opts.url ? p->opts.url : t->url;
	CURLU *u = curl_url();
	CURLUcode urc;
	char *scheme = NULL, *host = NULL, *port = NULL;
	bool secure, fail = false;
	long timeout_ms = (long)((t->timeout_s > 0 ? t->timeout_s : 8) * 1000);
	int rc = -1;

	if (!u)
		return -1;
	urc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (urc == CURLUE_OUT_OF_MEMORY)
		goto out;
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	secure = scheme && strcmp(scheme, "https") == 0;

	p->easy = curl_easy_init();
	if (!p->easy)
		goto out;
	if (scheme && strcmp(scheme, "file") != 0)
		p->body_keep = p->opts.keep_body ? (t->body_cap ? t->body_cap : CONFIG_DEFAULT_BODY_CAP) :
			       t->body_contains || t->n_json_expect ? (t->body_cap ? t->body_cap : CONFIG_DEFAULT_BODY_CAP) :
			       CHALLENGE_SNIFF;
	else
		p->body_keep = t->body_cap ? t->body_cap : CONFIG_DEFAULT_BODY_CAP;
	if (build_headers(p, secure) != 0)
		goto out;

	curl_easy_setopt(p->easy, CURLOPT_URL, url);
	curl_easy_setopt(p->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(p->easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(p->easy, CURLOPT_ERRORBUFFER, p->errbuf);
	curl_easy_setopt(p->easy, CURLOPT_WRITEFUNCTION, probe_http_on_body);
	curl_easy_setopt(p->easy, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(p->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(p->easy, CURLOPT_HEADERDATA, p);
	curl_easy_setopt(p->easy, CURLOPT_HTTPHEADER, p->req_headers);
	curl_easy_setopt(p->easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(p->easy, CURLOPT_ACCEPT_ENCODING, "");
	if (t->method && strcmp(t->method, "HEAD") == 0)
		curl_easy_setopt(p->easy, CURLOPT_NOBODY, 1L);
	if (t->method && (strcmp(t->method, "POST") == 0 || strcmp(t->method, "PUT") == 0)) {
		/* the target owns the body for the probe's life: no copy */
		curl_easy_setopt(p->easy, CURLOPT_POSTFIELDS, t->body ? t->body : "");
		curl_easy_setopt(p->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(t->body ? strlen(t->body) : 0));
		if (strcmp(t->method, "PUT") == 0)
			curl_easy_setopt(p->easy, CURLOPT_CUSTOMREQUEST, "PUT");
	}
	if (!t->reuse_connection) {
		/* Measure the whole path every time: resolve, connect and handshake. */
		curl_easy_setopt(p->easy, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(p->easy, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(p->easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	}
	/* Status pages move (status.anthropic.com -> status.claude.com); probes with
	 * secrets never follow a redirect, so a key cannot leak to another host. */
	if (t->kind == TARGET_STATUSPAGE && !p->key_set) {
		curl_easy_setopt(p->easy, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(p->easy, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(p->easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	}
	if (secure) {
		curl_easy_setopt(p->easy, CURLOPT_CERTINFO, 1L);
		/* for the moment TCP connects: see on_debug */
		curl_easy_setopt(p->easy, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(p->easy, CURLOPT_DEBUGDATA, p);
		curl_easy_setopt(p->easy, CURLOPT_VERBOSE, 1L);
	}
	if (t->ca_file || cfg->ca_file)
		curl_easy_setopt(p->easy, CURLOPT_CAINFO, t->ca_file ? t->ca_file : cfg->ca_file);

	enum ip_family fam = p->opts.family != IP_FAMILY_AUTO ? p->opts.family : t->ip_family;

	if (fam == IP_FAMILY_V4)
		curl_easy_setopt(p->easy, CURLOPT_IPRESOLVE, CURL_IPRESOLVE_V4);
	else if (fam == IP_FAMILY_V6)
		curl_easy_setopt(p->easy, CURLOPT_IPRESOLVE, CURL_IPRESOLVE_V6);
	if (p->opts.proxy_mode == PROBE_PROXY_DIRECT)
		curl_easy_setopt(p->easy, CURLOPT_PROXY, "");
	else if (p->opts.proxy_mode == PROBE_PROXY_TARGET && t->proxy)
		curl_easy_setopt(p->easy, CURLOPT_PROXY, t->proxy);

	if (host && port && apply_resolve(p, host, strtol(port, NULL, 10), &fail) != 0)
		goto out;
	if (urc != CURLUE_OK) {
		/* The config refuses such urls; one given another way still gets a
		 * result, or --once would wait for it forever. */
		fail = true;
		probe_set_error(&p->s, OUTCOME_ERROR, "bad url: %s", curl_url_strerror(urc));
	} else if (fail) {
		probe_set_error(&p->s, OUTCOME_DNS_FAIL, "could not resolve host: %s (resolver override)", host);
	}
	if (fail) {
		p->failed_early = true;
		/* Report from the loop, never from inside the caller's call. */
		curl_easy_setopt(p->easy, CURLOPT_URL, "file:///dev/null");
		curl_easy_setopt(p->easy, CURLOPT_PROTOCOLS_STR, "file");
	}
	if (t->kind == TARGET_LLM && probe_llm_setup(p) != 0)
		goto out;
	if (net_add(p->pr->net, p->easy, on_done, p) != 0)
		goto out;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

void probe_http_cancel(struct probe *p)
{
	if (p->llm)
		probe_llm_stop(p);
	if (!p->easy)
		return;
	net_cancel(p->net, p->easy);
	curl_easy_cleanup(p->easy);
	p->easy = NULL;
	curl_slist_free_all(p->req_headers);
	curl_slist_free_all(p->resolve);
	p->req_headers = p->resolve = NULL;
}
