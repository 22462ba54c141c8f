/* metrics_server.c: the Prometheus endpoint's listener and its clients.
 *
 * struct metrics_server owns a listening uv_tcp_t and a list of clients. Each
 * struct client owns its socket, one timer and its parsed request; it goes
 * through three phases: reading the request (until the head is complete, too
 * large, malformed, or the timer fires), writing the answer (one uv_write of
 * head and body, then a shutdown so the answer ends with a FIN), and lingering
 * (reading and dropping what the client still sends until it closes or the
 * timer fires: closing a socket with unread bytes would send a reset that can
 * destroy the answer in flight). The libuv callbacks (on_connection, on_read,
 * on_write, on_shutdown, on_timer) are the only writers. A client is freed
 * when both its handles have closed, the server when its listener has closed
 * and no client is left, so metrics_server_free only starts the closing.
 *
 * The process must ignore SIGPIPE (main does): a client that leaves while its
 * answer is written turns into a failed write, not a signal. */
#include "metrics_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_request.h"

#define DEFAULT_MAX_REQUEST 4096
#define DEFAULT_REQUEST_TIMEOUT_MS 5000
#define DEFAULT_WRITE_TIMEOUT_MS 10000
#define DEFAULT_MAX_CLIENTS 256
#define LINGER_MS 1000
#define BACKLOG 128
#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum phase { PHASE_READ, PHASE_WRITE, PHASE_LINGER };

struct client {
	struct metrics_server *srv;
	struct client *prev, *next;
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t wreq;
	uv_shutdown_t sreq;
	int open_handles;
	bool closing;
	enum phase phase;
	char *head, *body;
	struct http_request req;
	char rbuf[2048];
};

struct metrics_server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	bool listener_open;
	bool closing;
	struct metrics_server_options o;
	metrics_server_render_fn render;
	void *data;
	struct client *clients; /* the ones not closing */
	size_t n_alive;         /* clients not yet freed */
	struct metrics_server_stats st;
	int port;
	char url[96];
};

static void maybe_free_server(struct metrics_server *s)
{
	if (s->closing && !s->listener_open && s->n_alive == 0)
		free(s);
}

static void on_client_closed(uv_handle_t *h)
{
	struct client *c = h->data;
	struct metrics_server *s = c->srv;

	if (--c->open_handles > 0)
		return;
	free(c->head);
	free(c->body);
	free(c);
	s->n_alive--;
	maybe_free_server(s);
}

static void client_close(struct client *c)
{
	struct metrics_server *s = c->srv;

	if (c->closing)
		return;
	c->closing = true;
	if (c->prev)
		c->prev->next = c->next;
	else if (s->clients == c)
		s->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	/* pending write and shutdown requests are cancelled; their callbacks
	 * run before the close callbacks and see c->closing */
	uv_close((uv_handle_t *)&c->tcp, on_client_closed);
	uv_close((uv_handle_t *)&c->timer, on_client_closed);
}

static void drop(struct client *c)
{
	c->srv->st.dropped++;
	client_close(c);
}

static void on_timer(uv_timer_t *t)
{
	struct client *c = t->data;

	/* lingering after the answer was sent is not a drop */
	if (c->phase == PHASE_LINGER)
		client_close(c);
	else
		drop(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct client *c = h->data;

	buf->base = c->rbuf;
	buf->len = sizeof(c->rbuf);
}

static void on_linger_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct client *c = st->data;

	/* what the client still sends is dropped; its end, or an error, ends it */
	if (nread < 0)
		client_close(c);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct client *c = req->data;

	if (c->closing)
		return;
	if (status < 0) {
		client_close(c);
		return;
	}
	c->phase = PHASE_LINGER;
	uv_timer_start(&c->timer, on_timer, LINGER_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_linger_read) != 0)
		client_close(c);
}

static void on_write(uv_write_t *req, int status)
{
	struct client *c = req->data;

	if (c->closing)
		return;
	/* a client that left mid-answer: EPIPE or ECONNRESET, nothing to do */
	if (status < 0) {
		drop(c);
		return;
	}
	if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, on_shutdown) != 0)
		client_close(c);
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	}
	return "Error";
}

static int set_text(struct client *c, const char *text)
{
	c->body = strdup(text);
	return c->body ? 0 : -ENOMEM;
}

/* Decides the answer: status, body (in c->body) and whether to send it. */
static int answer(struct client *c, size_t *body_len, bool *send_body)
{
	struct http_request *r = &c->req;
	struct metrics_server *s = c->srv;
	char msg[160];
	int status;

	*send_body = true;
	if (r->status != 0) {
		snprintf(msg, sizeof(msg), "%s\n", r->error);
		status = r->status;
	} else if (strcmp(r->path, "/metrics") != 0) {
		snprintf(msg, sizeof(msg), "not found: the metrics are at /metrics\n");
		status = 404;
	} else if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		snprintf(msg, sizeof(msg), "method not allowed: use GET\n");
		status = 405;
	} else {
		*send_body = strcmp(r->method, "HEAD") != 0;
		if (s->render(s->data, &c->body, body_len) == 0 && c->body)
			return 200;
		free(c->body);
		c->body = NULL;
		snprintf(msg, sizeof(msg), "cannot render the metrics\n");
		status = 500;
	}
	if (set_text(c, msg) != 0)
		return -ENOMEM;
	*body_len = strlen(c->body);
	return status;
}

static void respond(struct client *c)
{
	struct metrics_server *s = c->srv;
	size_t body_len = 0;
	bool send_body;
	int status = answer(c, &body_len, &send_body);
	uv_buf_t bufs[2];
	int n;

	if (status < 0) {
		drop(c);
		return;
	}
	c->head = malloc(256);
	if (!c->head) {
		drop(c);
		return;
	}
	n = snprintf(c->head, 256,
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
		     "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
		     status, reason(status), status == 200 ? CONTENT_TYPE : "text/plain; charset=utf-8",
		     body_len, status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (status < 300)
		s->st.answered_2xx++;
	else if (status < 500)
		s->st.answered_4xx++;
	else
		s->st.answered_5xx++;
	bufs[0] = uv_buf_init(c->head, (unsigned)n);
	bufs[1] = uv_buf_init(c->body, (unsigned)body_len);
	c->phase = PHASE_WRITE;
	uv_timer_start(&c->timer, on_timer, s->o.write_timeout_ms, 0);
	if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, bufs, send_body && body_len ? 2 : 1, on_write) != 0)
		drop(c);
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct client *c = st->data;
	enum http_request_result rc;

	if (nread == 0)
		return;
	if (nread < 0) {
		/* gone before the request was complete: nobody to answer */
		drop(c);
		return;
	}
	rc = http_request_feed(&c->req, buf->base, (size_t)nread, NULL);
	if (rc == HTTP_REQUEST_MORE)
		return;
	uv_read_stop(st);
	respond(c);
}

static void on_connection(uv_stream_t *l, int status)
{
	struct metrics_server *s = l->data;
	struct client *c;

	if (status < 0 || s->closing)
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->srv = s;
	if (uv_tcp_init(s->loop, &c->tcp) != 0) {
		free(c);
		return;
	}
	uv_timer_init(s->loop, &c->timer);
	c->tcp.data = c;
	c->timer.data = c;
	c->wreq.data = c;
	c->sreq.data = c;
	c->open_handles = 2;
	s->n_alive++;
	http_request_init(&c->req, s->o.max_request);
	if (uv_accept(l, (uv_stream_t *)&c->tcp) != 0) {
		client_close(c);
		return;
	}
	s->st.accepted++;
	if (s->n_alive > s->o.max_clients) {
		drop(c);
		return;
	}
	c->next = s->clients;
	if (s->clients)
		s->clients->prev = c;
	s->clients = c;
	uv_tcp_nodelay(&c->tcp, 1);
	uv_timer_start(&c->timer, on_timer, s->o.request_timeout_ms, 0);
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
		drop(c);
}

int metrics_server_parse_addr(const char *text, struct sockaddr_storage *out)
{
	char host[64];
	const char *port_text;
	size_t hlen;
	char *end;
	long port;

	if (!text || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		hlen = (size_t)(close - text - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return -EINVAL;
		memcpy(host, text + 1, hlen);
		port_text = close + 2;
	} else if (text[0] && strspn(text, "0123456789") == strlen(text)) {
		/* a port alone: loopback, the safe default */
		hlen = strlen(strcpy(host, "127.0.0.1"));
		port_text = text;
	} else {
		const char *colon = strchr(text, ':');

		if (!colon || strchr(colon + 1, ':'))
			return -EINVAL;
		hlen = (size_t)(colon - text);
		if (hlen == 0 || hlen >= sizeof(host))
			return -EINVAL;
		memcpy(host, text, hlen);
		port_text = colon + 1;
	}
	host[hlen] = '\0';
	if (port_text[0] < '0' || port_text[0] > '9')
		return -EINVAL;
	errno = 0;
	port = strtol(port_text, &end, 10);
	if (errno != 0 || *end != '\0' || port < 0 || port > 65535)
		return -EINVAL;
	if (text[0] == '[')
		return uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)out) == 0 ? 0 : -EINVAL;
	return uv_ip4_addr(host, (int)port, (struct sockaddr_in *)out) == 0 ? 0 : -EINVAL;
}

static void on_listener_closed(uv_handle_t *h)
{
	struct metrics_server *s = h->data;

	s->listener_open = false;
	maybe_free_server(s);
}

static void set_url(struct metrics_server *s, const char *addr)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	const char *colon = strrchr(addr, ':');

	if (uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss, &len) == 0)
		s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
							   ((struct sockaddr_in *)&ss)->sin_port);
	if (colon)
		snprintf(s->url, sizeof(s->url), "http://%.*s:%d/metrics", (int)(colon - addr), addr, s->port);
	else
		snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d/metrics", s->port);
}

struct metrics_server *metrics_server_new(uv_loop_t *loop, const char *addr,
					  const struct metrics_server_options *opts,
					  metrics_server_render_fn render, void *data, char *err,
					  size_t errlen)
{
	struct metrics_server *s;
	struct sockaddr_storage ss;
	int rc;

	if (metrics_server_parse_addr(addr, &ss) != 0) {
		snprintf(err, errlen, "metrics address \"%s\" is not ADDR:PORT, e.g. 127.0.0.1:9464 or [::1]:9464",
			 addr ? addr : "");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->loop = loop;
	s->render = render;
	s->data = data;
	if (opts)
		s->o = *opts;
	if (s->o.max_request == 0)
		s->o.max_request = DEFAULT_MAX_REQUEST;
	if (s->o.request_timeout_ms == 0)
		s->o.request_timeout_ms = DEFAULT_REQUEST_TIMEOUT_MS;
	if (s->o.write_timeout_ms == 0)
		s->o.write_timeout_ms = DEFAULT_WRITE_TIMEOUT_MS;
	if (s->o.max_clients == 0)
		s->o.max_clients = DEFAULT_MAX_CLIENTS;
	rc = uv_tcp_init(loop, &s->listener);
	if (rc != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr, uv_strerror(rc));
		free(s);
		return NULL;
	}
	s->listener.data = s;
	s->listener_open = true;
	/* bind errors such as EADDRINUSE may only show at listen */
	rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&ss, 0);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&s->listener, BACKLOG, on_connection);
	if (rc != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr, uv_strerror(rc));
		s->closing = true;
		uv_close((uv_handle_t *)&s->listener, on_listener_closed);
		return NULL;
	}
	set_url(s, addr);
	return s;
}

void metrics_server_free(struct metrics_server *s)
{
	if (!s)
		return;
	s->closing = true;
	while (s->clients)
		client_close(s->clients);
	uv_close((uv_handle_t *)&s->listener, on_listener_closed);
}

const char *metrics_server_url(const struct metrics_server *s)
{
	return s->url;
}

int metrics_server_port(const struct metrics_server *s)
{
	return s->port;
}

void metrics_server_stats(const struct metrics_server *s, struct metrics_server_stats *out)
{
	*out = s->st;
	out->clients = 0;
	for (const struct client *c = s->clients; c; c = c->next)
		out->clients++;
}
