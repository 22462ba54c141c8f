/* test_metrics_server.c: the metrics endpoint as clients meet it, well-behaved
 * and not: the server runs its loop in a thread, the tests are plain blocking
 * sockets in the main thread. Each test ends with the server freed, every
 * handle closed and uv_loop_close() == 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "metrics_server.h"

struct srv {
	uv_loop_t loop;
	uv_async_t stop;
	struct metrics_server *ms;
	pthread_t thread;
	int port;
	size_t body_len; /* 0: a short text */
	int render_rc;
	unsigned long renders;
	struct metrics_server_stats st; /* read when stopped */
};

static int render(void *data, char **out, size_t *len)
{
	struct srv *s = data;

	s->renders++;
	if (s->render_rc != 0)
		return s->render_rc;
	if (s->body_len == 0) {
		*out = strdup("# TYPE up gauge\nup 1\n");
		*len = strlen(*out);
		return 0;
	}
	*out = malloc(s->body_len);
	if (!*out)
		return -ENOMEM;
	memset(*out, '#', s->body_len);
	*len = s->body_len;
	return 0;
}

static void on_stop(uv_async_t *a)
{
	struct srv *s = a->data;

	metrics_server_stats(s->ms, &s->st);
	metrics_server_free(s->ms);
	uv_close((uv_handle_t *)a, NULL);
}

static void *run_loop(void *arg)
{
	struct srv *s = arg;

	uv_run(&s->loop, UV_RUN_DEFAULT);
	return NULL;
}

static struct srv *srv_start(const struct metrics_server_options *o, size_t body_len)
{
	struct srv *s = calloc(1, sizeof(*s));
	char err[256];

	assert_non_null(s);
	s->body_len = body_len;
	assert_int_equal(uv_loop_init(&s->loop), 0);
	s->ms = metrics_server_new(&s->loop, "127.0.0.1:0", o, render, s, err, sizeof(err));
	if (!s->ms)
		fail_msg("%s", err);
	s->port = metrics_server_port(s->ms);
	assert_true(s->port > 0);
	uv_async_init(&s->loop, &s->stop, on_stop);
	s->stop.data = s;
	assert_int_equal(pthread_create(&s->thread, NULL, run_loop, s), 0);
	return s;
}

static void srv_stop(struct srv *s)
{
	uv_async_send(&s->stop);
	pthread_join(s->thread, NULL);
	assert_int_equal(uv_loop_close(&s->loop), 0);
}

static int client(const struct srv *s)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	struct timeval tv = {.tv_sec = 10};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void send_text(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		assert_true(n > 0);
		text += n;
		len -= (size_t)n;
	}
}

/* Everything until the server closes; NULL when the read timed out. */
static char *read_all(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = recv(fd, buf + n, cap - n - 1, 0);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == ECONNRESET)
				break;
			free(buf);
			return NULL;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static char *exchange(const struct srv *s, const char *req)
{
	int fd = client(s);
	char *resp;

	send_text(fd, req, strlen(req));
	resp = read_all(fd, NULL);
	close(fd);
	assert_non_null(resp);
	return resp;
}

static int status_of(const char *resp)
{
	int st = 0;

	if (sscanf(resp, "HTTP/1.1 %d ", &st) != 1)
		return -1;
	return st;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const GET = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n";

static void test_get_metrics(void **state)
{
	struct srv *s = srv_start(NULL, 0);
	char *r = exchange(s, GET);

	(void)state;
	assert_int_equal(status_of(r), 200);
	assert_non_null(strstr(r, "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	assert_non_null(strstr(r, "\r\nContent-Length: 21\r\n"));
	assert_non_null(strstr(r, "\r\nConnection: close\r\n"));
	assert_string_equal(strstr(r, "\r\n\r\n") + 4, "# TYPE up gauge\nup 1\n");
	free(r);

	/* HEAD: the same head, no body; a query string is fine */
	r = exchange(s, "HEAD /metrics?x=1 HTTP/1.0\r\n\r\n");
	assert_int_equal(status_of(r), 200);
	assert_non_null(strstr(r, "\r\nContent-Length: 21\r\n"));
	assert_string_equal(strstr(r, "\r\n\r\n") + 4, "");
	free(r);
	srv_stop(s);
	assert_int_equal(s->st.answered_2xx, 2);
	assert_int_equal(s->renders, 2);
	free(s);
}

static void test_errors(void **state)
{
	struct srv *s = srv_start(&(struct metrics_server_options){.max_request = 1024}, 0);
	char big[3000], *r;
	int n;

	(void)state;
	r = exchange(s, "GET /other HTTP/1.1\r\nHost: h\r\n\r\n");
	assert_int_equal(status_of(r), 404);
	free(r);
	r = exchange(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	assert_int_equal(status_of(r), 404);
	free(r);
	r = exchange(s, "POST /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(status_of(r), 405);
	assert_non_null(strstr(r, "\r\nAllow: GET, HEAD\r\n"));
	free(r);
	r = exchange(s, "DELETE /metrics HTTP/1.1\r\nHost: h\r\n\r\n");
	assert_int_equal(status_of(r), 405);
	free(r);
	r = exchange(s, "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03");
	assert_int_equal(status_of(r), 400);
	free(r);
	r = exchange(s, "hello there\r\n\r\n");
	assert_int_equal(status_of(r), 400);
	free(r);
	r = exchange(s, "GET /metrics HTTP/3.0\r\n\r\n");
	assert_int_equal(status_of(r), 505);
	free(r);
	/* headers over max_request */
	n = snprintf(big, sizeof(big), "GET /metrics HTTP/1.1\r\nHost: h\r\nX-Big: ");
	memset(big + n, 'x', sizeof(big) - (size_t)n - 5);
	memcpy(big + sizeof(big) - 5, "\r\n\r\n", 5);
	r = exchange(s, big);
	assert_int_equal(status_of(r), 431);
	free(r);
	s->render_rc = -ENOMEM;
	r = exchange(s, GET);
	assert_int_equal(status_of(r), 500);
	free(r);
	srv_stop(s);
	assert_int_equal(s->st.answered_4xx, 7);
	assert_int_equal(s->st.answered_5xx, 2); /* 505 and 500 */
	assert_int_equal(s->renders, 1);
	free(s);
}

/* A client that sends its request slowly (or never) is dropped at the deadline,
 * without an answer; meanwhile others are served. */
static void test_slow_client_dropped(void **state)
{
	struct srv *s = srv_start(&(struct metrics_server_options){.request_timeout_ms = 300}, 0);
	int slow = client(s), idle = client(s);
	double t0 = now_s(), dt;
	size_t len;
	char *r;

	(void)state;
	send_text(slow, "GET /metr", 9);
	r = exchange(s, GET);
	assert_int_equal(status_of(r), 200);
	free(r);
	usleep(100000);
	send_text(slow, "ics HTTP/1.1\r\n", 14);
	r = read_all(slow, &len);
	dt = now_s() - t0;
	assert_non_null(r);
	assert_int_equal(len, 0);
	free(r);
	r = read_all(idle, &len);
	assert_non_null(r);
	assert_int_equal(len, 0);
	free(r);
	assert_true(dt >= 0.25);
	assert_true(dt < 5);
	close(slow);
	close(idle);
	srv_stop(s);
	assert_int_equal(s->st.dropped, 2);
	assert_int_equal(s->st.answered_2xx, 1);
	free(s);
}

/* Half-closed: the client shuts its sending side after the request and still
 * reads the whole answer. */
static void test_half_closed(void **state)
{
	struct srv *s = srv_start(NULL, 300000);
	int fd = client(s);
	size_t len;
	char *r;

	(void)state;
	send_text(fd, GET, strlen(GET));
	shutdown(fd, SHUT_WR);
	r = read_all(fd, &len);
	assert_non_null(r);
	assert_int_equal(status_of(r), 200);
	assert_int_equal(len - (size_t)(strstr(r, "\r\n\r\n") + 4 - r), 300000);
	free(r);
	close(fd);

	/* and a client that closes before its request is complete is no bother */
	fd = client(s);
	send_text(fd, "GET /met", 8);
	shutdown(fd, SHUT_WR);
	r = read_all(fd, &len);
	assert_non_null(r);
	assert_int_equal(len, 0);
	free(r);
	close(fd);
	srv_stop(s);
	free(s);
}

/* Bytes after the head (a body, a second request) do not cut the answer short. */
static void test_extra_bytes_after_request(void **state)
{
	struct srv *s = srv_start(NULL, 200000);
	static char req[70000];
	size_t len;
	char *r;
	int n = snprintf(req, sizeof(req), "GET /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 65000\r\n\r\n");
	int fd = client(s);

	(void)state;
	memset(req + n, 'b', sizeof(req) - (size_t)n - 1);
	req[sizeof(req) - 1] = '\0';
	send_text(fd, req, strlen(req));
	r = read_all(fd, &len);
	assert_non_null(r);
	assert_int_equal(status_of(r), 200);
	assert_int_equal(len - (size_t)(strstr(r, "\r\n\r\n") + 4 - r), 200000);
	free(r);
	close(fd);
	srv_stop(s);
	free(s);
}

/* A client that leaves (with a reset) in the middle of a large answer costs
 * nothing: the next one is served. */
static void test_disconnect_mid_response(void **state)
{
	struct srv *s = srv_start(NULL, 16 * 1024 * 1024);
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	char buf[4096];
	char *r;

	(void)state;
	for (int i = 0; i < 3; i++) {
		int fd = client(s);

		send_text(fd, GET, strlen(GET));
		assert_true(recv(fd, buf, sizeof(buf), MSG_WAITALL) > 0);
		if (i == 0)
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	s->body_len = 0;
	r = exchange(s, GET);
	assert_int_equal(status_of(r), 200);
	free(r);
	srv_stop(s);
	assert_int_equal(s->st.answered_2xx, 4);
	free(s);
}

static void test_many_clients(void **state)
{
	struct srv *s = srv_start(NULL, 50000);
	int fds[50];
	size_t len;

	(void)state;
	for (int i = 0; i < 50; i++)
		fds[i] = client(s);
	/* all connected before any request, then served in any order */
	for (int i = 49; i >= 0; i--)
		send_text(fds[i], GET, strlen(GET));
	for (int i = 0; i < 50; i++) {
		char *r = read_all(fds[i], &len);

		assert_non_null(r);
		assert_int_equal(status_of(r), 200);
		assert_int_equal(len - (size_t)(strstr(r, "\r\n\r\n") + 4 - r), 50000);
		free(r);
		close(fds[i]);
	}
	srv_stop(s);
	assert_int_equal(s->st.answered_2xx, 50);
	assert_int_equal(s->st.dropped, 0);
	free(s);
}

/* Over max_clients, a new connection is closed at once; the others stay. */
static void test_max_clients(void **state)
{
	struct srv *s = srv_start(&(struct metrics_server_options){.max_clients = 3}, 0);
	int fds[3], extra;
	size_t len;
	char *r;

	(void)state;
	for (int i = 0; i < 3; i++)
		fds[i] = client(s);
	extra = client(s);
	r = read_all(extra, &len);
	assert_non_null(r);
	assert_int_equal(len, 0);
	free(r);
	close(extra);
	for (int i = 0; i < 3; i++) {
		send_text(fds[i], GET, strlen(GET));
		r = read_all(fds[i], NULL);
		assert_non_null(r);
		assert_int_equal(status_of(r), 200);
		free(r);
		close(fds[i]);
	}
	srv_stop(s);
	assert_int_equal(s->st.dropped, 1);
	free(s);
}

/* Freed with clients connected, mid-request and mid-answer: every handle closes. */
static void test_free_with_clients(void **state)
{
	struct srv *s = srv_start(NULL, 8 * 1024 * 1024);
	int a = client(s), b = client(s);
	char buf[1024];

	(void)state;
	send_text(a, "GET /met", 8);
	send_text(b, GET, strlen(GET));
	assert_true(recv(b, buf, sizeof(buf), 0) > 0);
	srv_stop(s);
	close(a);
	close(b);
	free(s);
}

static void test_parse_addr(void **state)
{
	struct sockaddr_storage ss;
	const char *good[] = {"127.0.0.1:9464", "0.0.0.0:1", "[::1]:9464", "[::]:65535", "127.0.0.1:0", "9464"};
	const char *bad[] = {"", "99999", "-1", "localhost:9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
			     "127.0.0.1:-1", "127.0.0.1:94x", "::1:9464", "[::1]", "[::1]9464", "[]:1",
			     "[127.0.0.1]:80", "1.2.3:80", "127.0.0.1: 80", "[::1]:+80"};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (metrics_server_parse_addr(good[i], &ss) != 0)
			fail_msg("refused %s", good[i]);
	assert_int_equal(metrics_server_parse_addr("[::1]:9464", &ss), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 9464);
	/* a port alone is loopback */
	assert_int_equal(metrics_server_parse_addr("9464", &ss), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), INADDR_LOOPBACK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (metrics_server_parse_addr(bad[i], &ss) != -EINVAL)
			fail_msg("accepted %s", bad[i]);
}

static void test_listen_errors(void **state)
{
	uv_loop_t loop;
	struct metrics_server *a, *b;
	char err[256], addr[64];

	(void)state;
	uv_loop_init(&loop);
	a = metrics_server_new(&loop, "127.0.0.1:0", NULL, render, NULL, err, sizeof(err));
	assert_non_null(a);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", metrics_server_port(a));
	assert_string_equal(metrics_server_url(a) + strlen("http://"), strcat(addr, "/metrics"));
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", metrics_server_port(a));
	b = metrics_server_new(&loop, addr, NULL, render, NULL, err, sizeof(err));
	assert_null(b);
	assert_non_null(strstr(err, "cannot listen on 127.0.0.1:"));
	assert_non_null(strstr(err, "address already in use"));
	assert_null(metrics_server_new(&loop, "localhost:9464", NULL, render, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "is not ADDR:PORT"));
	metrics_server_free(a);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_metrics),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_slow_client_dropped),
		cmocka_unit_test(test_half_closed),
		cmocka_unit_test(test_extra_bytes_after_request),
		cmocka_unit_test(test_disconnect_mid_response),
		cmocka_unit_test(test_many_clients),
		cmocka_unit_test(test_max_clients),
		cmocka_unit_test(test_free_with_clients),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_listen_errors),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
