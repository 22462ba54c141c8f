/* loopback.c: the unit tests' loopback HTTP server (see loopback.h).
 *
 * The server owns one struct lb_conn per accepted connection, in a list; a
 * connection is unlinked when its close begins and freed in the close
 * callback. Routes belong to the test. */
#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct lb_conn {
	uv_tcp_t tcp;
	uv_write_t write;
	struct lb_server *s;
	struct lb_conn *prev, *next;
	char buf[4096];
	size_t len;
	bool answered;
};

static void on_conn_closed(uv_handle_t *h)
{
	free(h->data);
}

static void conn_close(struct lb_conn *c)
{
	struct lb_server *s = c->s;

	if (uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void on_written(uv_write_t *w, int status)
{
	conn_close(w->data);
}

static const char not_found[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/* The route for the request line "GET /path?query HTTP/1.1", or NULL. */
static const struct lb_route *route_for(const struct lb_server *s, const char *req)
{
	const char *path = strchr(req, ' '), *end;

	if (!path)
		return NULL;
	path++;
	end = strpbrk(path, " ?\r\n");
	if (!end)
		return NULL;
	for (size_t i = 0; i < s->n_routes; i++) {
		size_t n = strlen(s->routes[i].path);

		if ((size_t)(end - path) == n && strncmp(path, s->routes[i].path, n) == 0)
			return &s->routes[i];
	}
	return NULL;
}

static void answer(struct lb_conn *c)
{
	struct lb_server *s = c->s;
	const struct lb_route *r = route_for(s, c->buf);
	const char *text = r ? r->response : not_found;
	uv_buf_t b;

	c->answered = true;
	s->requests++;
	snprintf(s->last_request, sizeof(s->last_request), "%s", c->buf);
	if (!text)
		return; /* hung: keep reading, so a client that gives up is seen */
	b = uv_buf_init((char *)text, (unsigned)strlen(text));
	c->write.data = c;
	if (uv_write(&c->write, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
		conn_close(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct lb_conn *c = h->data;
	size_t room = sizeof(c->buf) - 1 - c->len;

	*buf = uv_buf_init(c->buf + c->len, (unsigned)room);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct lb_conn *c = st->data;

	if (n < 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (c->answered)
		return;
	if (strstr(c->buf, "\r\n\r\n"))
		answer(c);
	else if (c->len == sizeof(c->buf) - 1)
		conn_close(c); /* a head this large is not a test's request */
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct lb_server *s = listener->data;
	struct lb_conn *c;

	if (status != 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->s = s;
	uv_tcp_init(s->loop, &c->tcp);
	c->tcp.data = c;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
		conn_close(c);
}

int lb_start(struct lb_server *s, uv_loop_t *loop, const struct lb_route *routes, size_t n_routes)
{
	struct sockaddr_in addr;
	struct sockaddr_storage bound;
	int len = sizeof(bound), rc;

	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->routes = routes;
	s->n_routes = n_routes;
	uv_ip4_addr("127.0.0.1", 0, &addr);
	rc = uv_tcp_init(loop, &s->listener);
	if (rc != 0)
		return rc;
	s->listener.data = s;
	rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&s->listener, 128, on_connection);
	if (rc == 0)
		rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &len);
	if (rc != 0) {
		uv_close((uv_handle_t *)&s->listener, NULL);
		s->stopped = true;
		return rc;
	}
	s->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
	return 0;
}

void lb_stop(struct lb_server *s)
{
	if (s->stopped)
		return;
	s->stopped = true;
	uv_close((uv_handle_t *)&s->listener, NULL);
	while (s->conns)
		conn_close(s->conns);
}

int lb_refusing_port(int *port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(addr.sin_port);
	return fd;
}

char *lb_file_response(const char *path, const char *content_type)
{
	FILE *f = fopen(path, "rb");
	char *out = NULL;
	long n;
	int head;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	out = malloc((size_t)n + 256);
	if (!out)
		goto out;
	head = snprintf(out, 256, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %ld\r\n"
			"Connection: close\r\n\r\n", content_type, n);
	if (head < 0 || head >= 256 || fread(out + head, 1, (size_t)n, f) != (size_t)n) {
		free(out);
		out = NULL;
		goto out;
	}
	out[head + n] = '\0';
out:
	fclose(f);
	return out;
}

int lb_fill(char *out, size_t len, const char *tmpl, int port, int refused_port)
{
	size_t n = 0;

	for (const char *p = tmpl; *p; p++) {
		int w = 0;

		if (strncmp(p, "PORT", 4) == 0) {
			w = snprintf(out + n, len - n, "%d", port);
			p += 3;
		} else if (strncmp(p, "REFUSED", 7) == 0) {
			w = snprintf(out + n, len - n, "%d", refused_port);
			p += 6;
		} else if (n + 1 < len) {
			out[n] = *p;
			w = 1;
		}
		if (w <= 0 || n + (size_t)w >= len)
			return -1;
		n += (size_t)w;
	}
	out[n] = '\0';
	return 0;
}

struct deadline {
	uv_timer_t timer;
	bool expired, closed;
};

static void on_deadline(uv_timer_t *t)
{
	((struct deadline *)t->data)->expired = true;
}

static void on_deadline_closed(uv_handle_t *h)
{
	((struct deadline *)h->data)->closed = true;
}

bool lb_run_until(uv_loop_t *loop, bool (*cond)(void *data), void *data, double timeout_s)
{
	struct deadline d = {0};
	bool met;

	uv_timer_init(loop, &d.timer);
	d.timer.data = &d;
	uv_timer_start(&d.timer, on_deadline, (uint64_t)(timeout_s * 1000), 0);
	while (!(met = cond && cond(data)) && !d.expired)
		uv_run(loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&d.timer, on_deadline_closed);
	while (!d.closed)
		uv_run(loop, UV_RUN_NOWAIT);
	return met;
}

int lb_loop_finish(uv_loop_t *loop)
{
	uv_run(loop, UV_RUN_DEFAULT);
	return uv_loop_close(loop);
}
