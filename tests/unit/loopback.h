/* loopback.h: a tiny HTTP server on 127.0.0.1 for unit tests, on the test's
 * own libuv loop, plus a port that refuses connections and a way to run the
 * loop until a condition holds.
 *
 * The server reads one request per connection (up to the blank line), answers
 * it from the route whose path is the request's path, and closes the
 * connection. A route whose response is NULL never answers (a hung server);
 * a path with no route gets a 404. lb_stop closes the listener and every
 * connection; the memory goes when the loop runs the close callbacks, so run
 * the loop to its end afterwards and uv_loop_close() returns 0. */
#ifndef ISITDOWN_TEST_LOOPBACK_H
#define ISITDOWN_TEST_LOOPBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct lb_route {
	const char *path;     /* "/ok": matches "/ok" and "/ok?x", not "/okay" */
	const char *response; /* the raw bytes sent back; NULL: never answer */
};

struct lb_conn;

struct lb_server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	int port;
	const struct lb_route *routes;
	size_t n_routes;
	unsigned requests;       /* requests read, whole */
	char last_request[4096]; /* the head of the last one, NUL-terminated */
	struct lb_conn *conns;   /* open connections */
	bool stopped;
};

/* Listens on 127.0.0.1 (a free port, in s->port). routes must outlive the
 * server; the test may change them while it runs. Returns 0 or a UV_E* code. */
int lb_start(struct lb_server *s, uv_loop_t *loop, const struct lb_route *routes, size_t n_routes);
void lb_stop(struct lb_server *s);

/* A port on 127.0.0.1 where a connection is refused at once: a socket bound
 * there and never listening holds it for the test. Returns the descriptor
 * (close it at the end), or -1. */
int lb_refusing_port(int *port);

/* "HTTP/1.1 200 OK" with the file's bytes as the body, for a route; the
 * caller frees it. NULL when the file cannot be read. */
char *lb_file_response(const char *path, const char *content_type);

/* Copies tmpl to out with every PORT replaced by port and every REFUSED by
 * refused_port (configs written with the ports a test gets at run time).
 * Returns 0, or -1 when out is too small. */
int lb_fill(char *out, size_t len, const char *tmpl, int port, int refused_port);

/* Runs the loop until cond(data) is true or timeout_s passes; returns whether
 * cond became true. cond NULL: runs for the whole timeout. */
bool lb_run_until(uv_loop_t *loop, bool (*cond)(void *data), void *data, double timeout_s);

/* Runs the loop until nothing is left in it, then closes it: 0 when every
 * handle was closed (what uv_loop_close returns). */
int lb_loop_finish(uv_loop_t *loop);

#endif
