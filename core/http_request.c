/* http_request.c: the head of one HTTP/1.x request, parsed as it arrives.
 *
 * struct http_request is owned by whoever reads the connection (the metrics
 * server keeps one per client) and is written only by http_request_feed. The
 * bytes are checked one by one as they are copied into buf, so a byte no
 * request may hold ends the parse at once; each complete line (CR LF) is then
 * split in place, its parts NUL-terminated where the CR and the separators
 * were. Nothing is allocated. */
#include "http_request.h"

#include <string.h>
#include <strings.h>

enum {
	ST_REQUEST_LINE,
	ST_HEADERS,
	ST_DONE,
	ST_ERROR,
};

/* RFC 9110 token characters: method and field names. */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static enum http_request_result fail(struct http_request *r, int status, const char *why)
{
	r->state = ST_ERROR;
	r->status = status;
	r->error = why;
	return HTTP_REQUEST_ERROR;
}

void http_request_init(struct http_request *r, size_t limit)
{
	memset(r, 0, sizeof(*r));
	r->limit = limit == 0 || limit > HTTP_REQUEST_MAX_HEAD ? HTTP_REQUEST_MAX_HEAD : limit;
	r->state = ST_REQUEST_LINE;
}

/* Is the byte allowed where it arrives? Checked before the line is complete,
 * so that a client speaking another protocol is refused at its first byte. */
static enum http_request_result check_byte(struct http_request *r, unsigned char c)
{
	bool after_cr = r->len > r->line_start && r->buf[r->len - 1] == '\r';

	if (after_cr && c != '\n')
		return fail(r, 400, "bare carriage return");
	if (c == '\n')
		return after_cr ? HTTP_REQUEST_MORE : fail(r, 400, "bare line feed");
	if (c == '\r')
		return HTTP_REQUEST_MORE;
	if (r->state == ST_REQUEST_LINE) {
		const char *line = r->buf + r->line_start;
		size_t n = r->len - r->line_start;

		/* the method is a token: the first byte of a TLS or binary client fails here */
		if (memchr(line, ' ', n) == NULL && c != ' ') {
			if (!is_tchar(c))
				return fail(r, 400, "malformed request line");
			if (n >= HTTP_REQUEST_MAX_METHOD)
				return fail(r, 501, "method not implemented");
		}
		if (c < 0x20 || c >= 0x7f)
			return fail(r, 400, "malformed request line");
		return HTTP_REQUEST_MORE;
	}
	/* field values may hold obs-text (bytes >= 0x80), never controls */
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		return fail(r, 400, "control character in a header field");
	return HTTP_REQUEST_MORE;
}

static enum http_request_result parse_version(struct http_request *r, const char *v)
{
	if (strlen(v) != 8 || strncmp(v, "HTTP/", 5) != 0 || !is_digit(v[5]) || v[6] != '.' ||
	    !is_digit(v[7]))
		return fail(r, 400, "malformed http version");
	if (v[5] != '1')
		return fail(r, 505, "http version not supported");
	/* a later 1.x is answered as 1.1, the highest we speak (RFC 9110 2.5) */
	r->version = v[7] == '0' ? 10 : 11;
	return HTTP_REQUEST_MORE;
}

/* The path of the target: origin form "/p?q", absolute form
 * "http://host/p?q" (which servers must accept), or "*". */
static enum http_request_result parse_target(struct http_request *r, const char *t)
{
	const char *p = t, *end;
	size_t n;

	if (strchr(t, '#'))
		return fail(r, 400, "fragment in request target");
	if (strcmp(t, "*") == 0) {
		strcpy(r->path, "*");
		return HTTP_REQUEST_MORE;
	}
	if (strncasecmp(t, "http://", 7) == 0 || strncasecmp(t, "https://", 8) == 0) {
		const char *auth = strchr(t, ':') + 3;
		size_t alen = strcspn(auth, "/?");

		if (alen == 0)
			return fail(r, 400, "malformed request target");
		p = auth + alen;
		if (*p != '/') {
			/* "http://host" and "http://host?q" mean the path "/" */
			strcpy(r->path, "/");
			return HTTP_REQUEST_MORE;
		}
	} else if (*t != '/') {
		return fail(r, 400, "malformed request target");
	}
	end = strchr(p, '?');
	n = end ? (size_t)(end - p) : strlen(p);
	if (n >= sizeof(r->path))
		return fail(r, 414, "request target too long");
	memcpy(r->path, p, n);
	r->path[n] = '\0';
	return HTTP_REQUEST_MORE;
}

static enum http_request_result parse_request_line(struct http_request *r, char *line)
{
	char *sp1, *sp2;
	enum http_request_result rc;

	if (*line == '\0')
		return HTTP_REQUEST_MORE; /* empty lines before a request are allowed (RFC 9112 2.2) */
	sp1 = strchr(line, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || sp1 == line || sp2 == sp1 + 1 || sp2[1] == '\0' || strchr(sp2 + 1, ' '))
		return fail(r, 400, "malformed request line");
	*sp1 = '\0';
	*sp2 = '\0';
	rc = parse_version(r, sp2 + 1);
	if (rc != HTTP_REQUEST_MORE)
		return rc;
	rc = parse_target(r, sp1 + 1);
	if (rc != HTTP_REQUEST_MORE)
		return rc;
	r->method = line;
	r->target = sp1 + 1;
	r->state = ST_HEADERS;
	return HTTP_REQUEST_MORE;
}

static enum http_request_result check_content_length(struct http_request *r, const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= sizeof(r->length) || strspn(v, "0123456789") != n)
		return fail(r, 400, "malformed content-length");
	if (r->seen_length && strcmp(r->length, v) != 0)
		return fail(r, 400, "conflicting content-length");
	memcpy(r->length, v, n + 1);
	r->seen_length = true;
	return HTTP_REQUEST_MORE;
}

static enum http_request_result parse_header(struct http_request *r, char *line)
{
	char *colon, *v, *e;
	struct http_header *h;

	if (*line == ' ' || *line == '\t')
		return fail(r, 400, "folded header line");
	colon = line;
	while (is_tchar((unsigned char)*colon))
		colon++;
	if (*colon != ':' || colon == line)
		return fail(r, 400, "malformed header field");
	*colon = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	e = v + strlen(v);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	if (r->n_headers == HTTP_REQUEST_MAX_HEADERS)
		return fail(r, 431, "too many header fields");
	if (strcasecmp(line, "host") == 0) {
		if (r->seen_host)
			return fail(r, 400, "more than one host header");
		r->seen_host = true;
	} else if (strcasecmp(line, "content-length") == 0) {
		if (check_content_length(r, v) != HTTP_REQUEST_MORE)
			return HTTP_REQUEST_ERROR;
	} else if (strcasecmp(line, "transfer-encoding") == 0) {
		/* no body reader: refusing is safer than guessing where the body ends */
		return fail(r, 501, "transfer-encoding not supported");
	}
	h = &r->headers[r->n_headers++];
	h->name = line;
	h->value = v;
	return HTTP_REQUEST_MORE;
}

static enum http_request_result end_of_line(struct http_request *r)
{
	char *line = r->buf + r->line_start;

	/* the CR becomes the line's NUL */
	r->buf[r->len - 2] = '\0';
	r->line_start = r->len;
	if (r->state == ST_REQUEST_LINE)
		return parse_request_line(r, line);
	if (*line != '\0')
		return parse_header(r, line);
	if (r->version == 11 && !r->seen_host)
		return fail(r, 400, "missing host header");
	r->state = ST_DONE;
	return HTTP_REQUEST_DONE;
}

enum http_request_result http_request_feed(struct http_request *r, const char *data, size_t len,
					   size_t *used)
{
	enum http_request_result rc = HTTP_REQUEST_MORE;
	size_t i;

	if (used)
		*used = 0;
	if (r->state == ST_DONE)
		return HTTP_REQUEST_DONE;
	if (r->state == ST_ERROR)
		return HTTP_REQUEST_ERROR;
	for (i = 0; i < len && rc == HTTP_REQUEST_MORE; i++) {
		unsigned char c = (unsigned char)data[i];

		if (r->len >= r->limit) {
			if (r->state == ST_REQUEST_LINE)
				rc = fail(r, 414, "request line too long");
			else
				rc = fail(r, 431, "request head too large");
			break;
		}
		rc = check_byte(r, c);
		if (rc != HTTP_REQUEST_MORE)
			break;
		r->buf[r->len++] = (char)c;
		if (c == '\n')
			rc = end_of_line(r);
	}
	if (used)
		*used = i;
	return rc;
}

const char *http_request_header(const struct http_request *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}
