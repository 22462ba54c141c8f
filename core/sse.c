/* sse.c: reading a server-sent events stream piece by piece; see sse.h.
 * The parser owns two buffers of at most cap bytes each (the line being read
 * and the event's data); nothing else is allocated per event. */
#include "sse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sse_init(struct sse_parser *p, size_t cap, sse_event_fn fn, void *data)
{
	memset(p, 0, sizeof(*p));
	p->fn = fn;
	p->fn_data = data;
	p->cap = cap;
	p->line = malloc(cap + 1);
	p->data_buf = malloc(cap + 1);
	if (!p->line || !p->data_buf) {
		sse_done(p);
		return -ENOMEM;
	}
	p->data_buf[0] = '\0';
	return 0;
}

void sse_done(struct sse_parser *p)
{
	free(p->line);
	free(p->data_buf);
	p->line = p->data_buf = NULL;
}

static int dispatch(struct sse_parser *p)
{
	struct sse_event ev;
	int rc = 0;

	if (p->have_data) {
		/* the data's last newline is the joiner's, not the stream's */
		if (p->data_len > 0 && p->data_buf[p->data_len - 1] == '\n')
			p->data_len--;
		p->data_buf[p->data_len] = '\0';
		ev.type = p->type[0] ? p->type : "message";
		ev.data = p->data_buf;
		ev.data_len = p->data_len;
		ev.id = p->id;
		p->events++;
		rc = p->fn(&ev, p->fn_data);
	}
	p->data_len = 0;
	p->have_data = false;
	p->type[0] = '\0';
	return rc;
}

static int field(struct sse_parser *p, const char *name, size_t nlen, const char *value, size_t vlen)
{
	if (nlen == 4 && memcmp(name, "data", 4) == 0) {
		if (p->data_len + vlen + 1 > p->cap)
			return -E2BIG;
		memcpy(p->data_buf + p->data_len, value, vlen);
		p->data_len += vlen;
		p->data_buf[p->data_len++] = '\n';
		p->have_data = true;
	} else if (nlen == 5 && memcmp(name, "event", 5) == 0) {
		snprintf(p->type, sizeof(p->type), "%.*s", (int)vlen, value);
	} else if (nlen == 2 && memcmp(name, "id", 2) == 0) {
		/* an id holding NUL is ignored, as the standard says */
		if (!memchr(value, '\0', vlen))
			snprintf(p->id, sizeof(p->id), "%.*s", (int)vlen, value);
	}
	return 0;
}

static int end_line(struct sse_parser *p)
{
	const char *l = p->line, *colon;
	size_t n = p->line_len;

	p->line_len = 0;
	if (n == 0)
		return dispatch(p);
	if (l[0] == ':')
		return 0;
	colon = memchr(l, ':', n);
	if (!colon)
		return field(p, l, n, "", 0);
	{
		size_t nlen = (size_t)(colon - l);
		const char *v = colon + 1;
		size_t vlen = n - nlen - 1;

		if (vlen > 0 && *v == ' ') {
			v++;
			vlen--;
		}
		return field(p, l, nlen, v, vlen);
	}
}

int sse_feed(struct sse_parser *p, const char *buf, size_t len)
{
	size_t i = 0;
	int rc;

	for (; i < len; i++) {
		char c = buf[i];

		if (!p->started) {
			/* a UTF-8 BOM may open the stream, in any pieces */
			static const char bom[] = "\xef\xbb\xbf";

			if (p->bom < 3 && c == bom[p->bom]) {
				if (++p->bom == 3)
					p->started = true;
				continue;
			}
			p->started = true;
			/* what looked like a BOM was text */
			for (unsigned k = 0; k < p->bom; k++) {
				if (p->line_len >= p->cap)
					return -E2BIG;
				p->line[p->line_len++] = bom[k];
			}
		}

		if (c == '\n' && p->after_cr) {
			p->after_cr = false;
			continue;
		}
		p->after_cr = c == '\r';
		if (c == '\n' || c == '\r') {
			rc = end_line(p);
			if (rc != 0)
				return rc;
			continue;
		}
		if (p->line_len >= p->cap)
			return -E2BIG;
		p->line[p->line_len++] = c;
	}
	return 0;
}
