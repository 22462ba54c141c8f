/* metrics_server.h: the HTTP listener of the Prometheus endpoint.
 *
 * Serves GET (and HEAD) /metrics on the caller's libuv loop: one request per
 * connection, answered with "Connection: close". Another path is 404, another
 * method 405, a malformed request 400 (or what http_request says). A request
 * head larger than max_request bytes is refused, and a client that has not
 * sent its request within request_timeout_ms is dropped, so slow or hostile
 * clients cost a socket and a few KiB each, and never the loop's time. The
 * body comes from a callback, called once per request. */
#ifndef ISITDOWN_METRICS_SERVER_H
#define ISITDOWN_METRICS_SERVER_H

#include <stddef.h>
#include <sys/socket.h>
#include <uv.h>

struct metrics_server;

/* Writes the body of an answer to GET /metrics: a malloc'd text in *out (the
 * server frees it) and its length. Returns 0 or a negative error (answered 500). */
typedef int (*metrics_server_render_fn)(void *data, char **out, size_t *len);

struct metrics_server_options {
	size_t max_request;          /* largest request head; 0: 4096 */
	unsigned request_timeout_ms; /* from accept to the end of the head; 0: 5000 */
	unsigned write_timeout_ms;   /* to send the answer; 0: 10000 */
	size_t max_clients;          /* connections at once, more are closed at once; 0: 256 */
};

/* "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464", "[::]:9464": an IP literal
 * and a port (0: any free port); a port alone ("9464") means 127.0.0.1.
 * Returns 0, or -EINVAL. */
int metrics_server_parse_addr(const char *text, struct sockaddr_storage *out);

/* Listens on addr (metrics_server_parse_addr's form). opts may be NULL.
 * Returns NULL and a message on failure ("cannot listen on ADDR: why"). */
struct metrics_server *metrics_server_new(uv_loop_t *loop, const char *addr,
					  const struct metrics_server_options *opts,
					  metrics_server_render_fn render, void *data, char *err,
					  size_t errlen);
/* Stops listening and drops every client. The memory goes in the close
 * callbacks: run the loop afterwards until it ends. */
void metrics_server_free(struct metrics_server *s);
/* "http://127.0.0.1:9464/metrics", with the port actually bound. */
const char *metrics_server_url(const struct metrics_server *s);
int metrics_server_port(const struct metrics_server *s);

/* Counters for tests: connections accepted, answers sent by status class,
 * clients dropped (timeout, too many, error). */
struct metrics_server_stats {
	unsigned long accepted, answered_2xx, answered_4xx, answered_5xx, dropped;
	size_t clients; /* connected now */
};
void metrics_server_stats(const struct metrics_server *s, struct metrics_server_stats *out);

#endif
