/* bench_server.c: the loopback HTTP server the benchmarks probe.
 *
 * One libuv loop; every connection gets one answer (200, "ok\n", Connection:
 * close) after an optional delay, then is closed, so every probe is a fresh
 * connection. With --log it prints, per request, the server's own measure in
 * microseconds from reading the end of the request head to the answer being
 * written, so a client's figure can be compared with what really happened,
 * the path asked for and when the request came (ms on the monotonic clock):
 *   "<us> <path> <arrival_ms>"
 * It prints "port N" when it listens and runs until stdin closes.
 *
 *   bench_server [--delay-ms MS] [--log] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

struct conn {
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t wr;
	char head[4096];
	size_t len;
	bool answered, head_only;
	uint64_t t_req;
	int pending_close;
};

static uv_loop_t *loop;
static double delay_ms;
static bool log_times;

static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
			     "Connection: close\r\n\r\nok\n";

static void on_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->pending_close == 0)
		free(c);
}

static void conn_close(struct conn *c)
{
	if (c->pending_close)
		return;
	c->pending_close = 2;
	uv_close((uv_handle_t *)&c->timer, on_closed);
	uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void on_written(uv_write_t *w, int status)
{
	struct conn *c = w->data;

	(void)status;
	if (log_times) {
		char *path = strchr(c->head, ' '), *end;

		path = path != NULL ? path + 1 : c->head;
		end = strpbrk(path, " \r\n");
		printf("%.1f %.*s %.3f\n", (double)(uv_hrtime() - c->t_req) / 1000.0,
		       end != NULL ? (int)(end - path) : 1, end != NULL ? path : "-", (double)c->t_req / 1e6);
	}
	conn_close(c);
}

static void send_answer(struct conn *c)
{
	uv_buf_t b = uv_buf_init((char *)answer, (unsigned)(sizeof answer - 1 - (c->head_only ? 3 : 0)));

	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
		conn_close(c);
}

static void on_delay(uv_timer_t *t)
{
	send_answer(t->data);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct conn *c = h->data;

	(void)hint;
	*buf = uv_buf_init(c->head + c->len, (unsigned)(sizeof c->head - 1 - c->len));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct conn *c = s->data;

	(void)buf;
	if (n < 0 || (n == 0 && c->len >= sizeof c->head - 1)) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->head[c->len] = '\0';
	if (c->answered || strstr(c->head, "\r\n\r\n") == NULL)
		return;
	c->answered = true;
	c->t_req = uv_hrtime();
	c->head_only = strncmp(c->head, "HEAD ", 5) == 0;
	uv_read_stop(s);
	if (delay_ms > 0)
		uv_timer_start(&c->timer, on_delay, (uint64_t)delay_ms, 0);
	else
		send_answer(c);
}

static void on_conn(uv_stream_t *srv, int status)
{
	struct conn *c;

	if (status < 0)
		return;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return;
	uv_tcp_init(loop, &c->tcp);
	uv_timer_init(loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	if (uv_accept(srv, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
		conn_close(c);
}

static void stdin_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	static char sink[256];

	(void)h;
	(void)hint;
	*buf = uv_buf_init(sink, sizeof sink);
}

static void on_stdin(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	(void)s;
	(void)buf;
	if (n < 0)
		exit(0);
}

int main(int argc, char **argv)
{
	uv_tcp_t srv;
	uv_pipe_t in;
	struct sockaddr_in addr;
	struct sockaddr_storage got;
	int len = sizeof got;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--delay-ms") == 0 && i + 1 < argc) {
			delay_ms = atof(argv[++i]);
		} else if (strcmp(argv[i], "--log") == 0) {
			log_times = true;
		} else {
			fprintf(stderr, "usage: bench_server [--delay-ms MS] [--log]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	loop = uv_default_loop();
	uv_tcp_init(loop, &srv);
	uv_ip4_addr("127.0.0.1", 0, &addr);
	if (uv_tcp_bind(&srv, (const struct sockaddr *)&addr, 0) != 0 ||
	    uv_listen((uv_stream_t *)&srv, 4096, on_conn) != 0) {
		fprintf(stderr, "bench_server: cannot listen on 127.0.0.1\n");
		return 1;
	}
	uv_tcp_getsockname(&srv, (struct sockaddr *)&got, &len);
	printf("port %d\n", ntohs(((struct sockaddr_in *)&got)->sin_port));
	uv_pipe_init(loop, &in, 0);
	if (uv_pipe_open(&in, 0) == 0)
		uv_read_start((uv_stream_t *)&in, stdin_alloc, on_stdin);
	return uv_run(loop, UV_RUN_DEFAULT);
}
