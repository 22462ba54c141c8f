/* fuzz_http_request.c: the request heads the metrics endpoint reads.
 *
 * The input is what a client sends. It is fed to http_request_feed whole,
 * byte by byte, and in pieces cut where the first input byte says, under the
 * default limit and a small one. Besides not crashing: every way of feeding
 * gives the same answer; a complete head has a token method, a path that
 * starts with '/' (or is "*"), version 10 or 11, token header names and
 * values without control characters; a refusal carries one of the statuses
 * promised and a message; and no more bytes are taken than were given. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_request.h"
#include "fuzz_util.h"

struct result {
	enum http_request_result rc;
	int status;
	size_t taken;
	char method[HTTP_REQUEST_MAX_METHOD + 1];
	char path[HTTP_REQUEST_MAX_PATH + 1];
	int version;
	size_t n_headers;
};

static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", *s)))
			return false;
	return true;
}

static void check(const struct http_request *r, struct result *res)
{
	if (res->rc == HTTP_REQUEST_DONE) {
		FUZZ_ASSERT(r->status == 0);
		FUZZ_ASSERT(is_token(r->method));
		FUZZ_ASSERT(strlen(r->method) <= HTTP_REQUEST_MAX_METHOD);
		FUZZ_ASSERT(r->path[0] == '/' || strcmp(r->path, "*") == 0);
		FUZZ_ASSERT(strchr(r->path, '?') == NULL && strchr(r->path, ' ') == NULL);
		FUZZ_ASSERT(r->version == 10 || r->version == 11);
		FUZZ_ASSERT(r->target != NULL && r->target[0] != '\0');
		FUZZ_ASSERT(r->n_headers <= HTTP_REQUEST_MAX_HEADERS);
		for (size_t i = 0; i < r->n_headers; i++) {
			const char *v = r->headers[i].value;

			FUZZ_ASSERT(is_token(r->headers[i].name));
			for (const unsigned char *p = (const unsigned char *)v; *p; p++)
				FUZZ_ASSERT((*p >= 0x20 || *p == '\t') && *p != 0x7f);
			FUZZ_ASSERT(v[0] != ' ' && v[0] != '\t');
		}
		if (r->version == 11)
			FUZZ_ASSERT(http_request_header(r, "host") != NULL);
		strcpy(res->method, r->method);
		strcpy(res->path, r->path);
		res->version = r->version;
		res->n_headers = r->n_headers;
	} else if (res->rc == HTTP_REQUEST_ERROR) {
		FUZZ_ASSERT(r->status == 400 || r->status == 414 || r->status == 431 || r->status == 501 ||
			    r->status == 505);
		FUZZ_MESSAGE(r->error);
		res->status = r->status;
	}
}

static void feed(struct http_request *r, const uint8_t *data, size_t size, size_t limit, size_t step,
		 struct result *res)
{
	size_t off = 0;

	memset(res, 0, sizeof(*res));
	http_request_init(r, limit);
	res->rc = HTTP_REQUEST_MORE;
	while (off < size && res->rc == HTTP_REQUEST_MORE) {
		size_t n = step == 0 || size - off < step ? size - off : step, used = n + 1;

		res->rc = http_request_feed(r, (const char *)data + off, n, &used);
		FUZZ_ASSERT(used <= n);
		FUZZ_ASSERT(res->rc != HTTP_REQUEST_MORE || used == n);
		res->taken += used;
		off += n;
	}
	check(r, res);
}

static void same(const struct result *a, const struct result *b)
{
	FUZZ_ASSERT(a->rc == b->rc);
	FUZZ_ASSERT(a->status == b->status);
	FUZZ_ASSERT(a->taken == b->taken);
	FUZZ_ASSERT(strcmp(a->method, b->method) == 0);
	FUZZ_ASSERT(strcmp(a->path, b->path) == 0);
	FUZZ_ASSERT(a->version == b->version);
	FUZZ_ASSERT(a->n_headers == b->n_headers);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_request r;
	struct result whole, part;
	size_t step = size ? (size_t)data[0] % 13 + 2 : 2;

	for (size_t limit = 0; limit <= 256; limit += 256) {
		feed(&r, data, size, limit, 0, &whole);
		feed(&r, data, size, limit, 1, &part);
		same(&whole, &part);
		feed(&r, data, size, limit, step, &part);
		same(&whole, &part);
		/* after the end, nothing more is taken */
		if (whole.rc != HTTP_REQUEST_MORE) {
			size_t used = 1;

			FUZZ_ASSERT(http_request_feed(&r, "x", 1, &used) == whole.rc);
			FUZZ_ASSERT(used == 0);
		}
	}
	return 0;
}
