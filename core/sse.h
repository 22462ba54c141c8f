/* sse.h: a server-sent events stream (text/event-stream), read as it arrives.
 *
 * The stream is fed in the pieces the network gives; each complete event is
 * handed to the callback at once, so nothing waits for the whole body (a model
 * answers for seconds, and its first event is what time to first token
 * measures). The grammar is the WHATWG one: lines end with CR LF, LF or CR; a
 * blank line ends an event; "field: value" (one space after the colon is
 * dropped); "data" lines are joined with newlines; "event" names the type;
 * "id" is kept; a line starting with ':' is a comment; a leading BOM is
 * skipped; other fields are ignored. What one event may hold is capped: a
 * stream that goes past the cap is an error, never unbounded memory. */
#ifndef ISITDOWN_SSE_H
#define ISITDOWN_SSE_H

#include <stdbool.h>
#include <stddef.h>

struct sse_event {
	const char *type; /* "message" when the stream names none */
	const char *data; /* the data lines joined by '\n', NUL-terminated */
	size_t data_len;
	const char *id;   /* the last id seen in the stream, "" when none */
};

/* Returns 0 to go on; anything else stops sse_feed, which returns it. */
typedef int (*sse_event_fn)(const struct sse_event *ev, void *data);

struct sse_parser {
	sse_event_fn fn;
	void *fn_data;
	size_t cap;       /* bytes one line or one event's data may take */
	char *line;       /* the line being read */
	size_t line_len;
	char *data_buf;   /* the event's data so far */
	size_t data_len;
	char type[64];
	char id[128];
	bool have_data;
	bool after_cr;    /* the last byte was CR: a following LF ends nothing more */
	bool started;     /* past a possible BOM */
	unsigned bom;     /* bytes of a BOM seen at the start */
	unsigned long events;
};

/* Sets up p (caller-owned) with room for events of up to cap bytes. Returns
 * 0, or -ENOMEM. */
int sse_init(struct sse_parser *p, size_t cap, sse_event_fn fn, void *data);

/* Reads len more bytes of the stream. Returns 0; -E2BIG when a line or an
 * event's data would pass the cap (the stream is then of no further use);
 * or the callback's non-zero answer. */
int sse_feed(struct sse_parser *p, const char *buf, size_t len);

/* Frees what p holds. */
void sse_done(struct sse_parser *p);

#endif
