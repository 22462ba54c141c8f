/* http_request.h: a small strict parser for the head of one HTTP/1.x request.
 *
 * Made for the metrics endpoint, which answers GET and HEAD and nothing else:
 * it reads the request line and the header fields, fed as the bytes arrive,
 * and never the body. Anything RFC 9112 does not allow is refused with the
 * status a server should answer: a bare CR or LF, a control byte, white space
 * before a colon, a folded line, a missing or repeated Host in HTTP/1.1, a
 * malformed Content-Length, any Transfer-Encoding (there is no body reader),
 * a head larger than the limit. Bad bytes are refused as soon as they arrive,
 * so a client speaking another protocol (TLS, SSH) is answered at once.
 *
 * struct http_request holds the head in its own buffer; the strings it hands
 * out point into it and live as long as the struct. */
#ifndef ISITDOWN_HTTP_REQUEST_H
#define ISITDOWN_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

/* The largest head the struct can hold; http_request_init takes a lower limit. */
#define HTTP_REQUEST_MAX_HEAD 16384
#define HTTP_REQUEST_MAX_HEADERS 64
#define HTTP_REQUEST_MAX_METHOD 32
#define HTTP_REQUEST_MAX_PATH 2048

enum http_request_result {
	HTTP_REQUEST_ERROR = -1, /* refused: status and error say why */
	HTTP_REQUEST_MORE = 0,   /* every byte taken; the head is not complete yet */
	HTTP_REQUEST_DONE = 1,   /* the head is complete; bytes after it were not taken */
};

struct http_header {
	const char *name;  /* as sent */
	const char *value; /* without the white space around it */
};

struct http_request {
	/* After HTTP_REQUEST_DONE: */
	const char *method;  /* "GET", case as sent (methods are case-sensitive) */
	const char *target;  /* the request target as sent */
	char path[HTTP_REQUEST_MAX_PATH + 1]; /* the target's path: no query, an absolute
					       * URI reduced to its path; longer: 414 */
	int version;         /* 10 or 11 */
	struct http_header headers[HTTP_REQUEST_MAX_HEADERS];
	size_t n_headers;
	/* After HTTP_REQUEST_ERROR: the status to answer (400, 414, 431, 501,
	 * 505) and a static message for people. */
	int status;
	const char *error;

	/* private */
	int state;
	size_t limit, len, line_start, query_at;
	bool seen_host, seen_length;
	char length[24];
	char buf[HTTP_REQUEST_MAX_HEAD + 1];
};

/* limit: the largest head accepted, request line and empty line included;
 * 0 or more than HTTP_REQUEST_MAX_HEAD means HTTP_REQUEST_MAX_HEAD. */
void http_request_init(struct http_request *r, size_t limit);
/* Takes up to len bytes; *used (may be NULL) says how many were taken. Once
 * DONE or ERROR has been returned, later calls return the same and take none. */
enum http_request_result http_request_feed(struct http_request *r, const char *data, size_t len,
					   size_t *used);
/* The value of the first header with this name (case-insensitive), or NULL. */
const char *http_request_header(const struct http_request *r, const char *name);

#endif
