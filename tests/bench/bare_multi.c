/* bare_multi.c: the physical limit, a bare libcurl multi-socket loop on libuv.
 *
 * It does the requests isitdown's probes do (GET, a fresh connection each,
 * the body read and dropped, the same timings asked for) with no scheduling,
 * history, assessment or screen, so the benchmarks can show what isitdown
 * adds on top. N requests go to PREFIX0 .. PREFIX(N-1), at most C at once
 * (C = N: one burst; C = 1: back to back). It prints one line:
 *   n ok wall_ms cpu_ms maxrss_kb median_total_ms
 * (cpu and wall from after start-up to the last answer).
 *
 *   bare_multi [--concurrency C] [--reuse] [--print-body] N PREFIX */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <curl/curl.h>
#include <uv.h>

struct sock {
	uv_poll_t poll;
	curl_socket_t fd;
};

static uv_loop_t *loop;
static CURLM *multi;
static uv_timer_t timeout;
static long n_total, n_started, n_done, n_ok, concurrency;
static const char *prefix;
static bool reuse, print_body;
static double *totals;

static size_t on_body(char *p, size_t size, size_t n, void *data)
{
	(void)data;
	if (print_body)
		fwrite(p, size, n, stderr);
	return size * n;
}

static void start_one(void)
{
	CURL *e = curl_easy_init();
	char url[512];

	snprintf(url, sizeof url, "%s%ld", prefix, n_started++);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
	if (!reuse) {
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_multi_add_handle(multi, e);
}

static void check_done(void)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(multi, &left)) != NULL) {
		long code = 0;
		curl_off_t t = 0;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(m->easy_handle, CURLINFO_TOTAL_TIME_T, &t);
		if (m->data.result == CURLE_OK && code == 200)
			n_ok++;
		totals[n_done++] = (double)t / 1000.0;
		curl_multi_remove_handle(multi, m->easy_handle);
		curl_easy_cleanup(m->easy_handle);
		if (n_started < n_total)
			start_one();
	}
	if (n_done == n_total) {
		uv_timer_stop(&timeout);
		uv_stop(loop);
	}
}

static void on_poll(uv_poll_t *p, int status, int events)
{
	struct sock *s = p->data;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(multi, s->fd, flags, &running);
	check_done();
}

static void on_poll_closed(uv_handle_t *h)
{
	free(h->data);
}

static int on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct sock *s = sockp;
	int events = 0;

	(void)e;
	(void)userp;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, on_poll_closed);
			curl_multi_assign(multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		s = calloc(1, sizeof *s);
		s->fd = fd;
		uv_poll_init_socket(loop, &s->poll, fd);
		s->poll.data = s;
		curl_multi_assign(multi, fd, s);
	}
	if (what != CURL_POLL_OUT)
		events |= UV_READABLE;
	if (what != CURL_POLL_IN)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
}

static void on_timeout(uv_timer_t *t)
{
	int running;

	(void)t;
	curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done();
}

static int on_timer(CURLM *m, long ms, void *userp)
{
	(void)m;
	(void)userp;
	if (ms < 0)
		uv_timer_stop(&timeout);
	else
		uv_timer_start(&timeout, on_timeout, (uint64_t)ms, 0);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
	int i = 1;
	uint64_t t0;
	double c0;
	struct rusage ru;

	concurrency = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--concurrency") == 0 && i + 1 < argc)
			concurrency = atol(argv[++i]);
		else if (strcmp(argv[i], "--reuse") == 0)
			reuse = true;
		else if (strcmp(argv[i], "--print-body") == 0)
			print_body = true;
		else
			break;
	}
	if (argc - i != 2 || atol(argv[i]) <= 0) {
		fprintf(stderr, "usage: bare_multi [--concurrency C] [--reuse] [--print-body] N PREFIX\n");
		return 2;
	}
	n_total = atol(argv[i]);
	prefix = argv[i + 1];
	if (concurrency <= 0 || concurrency > n_total)
		concurrency = n_total;
	totals = calloc((size_t)n_total, sizeof *totals);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	loop = uv_default_loop();
	uv_timer_init(loop, &timeout);
	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
	t0 = uv_hrtime();
	c0 = cpu_ms();
	for (long k = 0; k < concurrency; k++)
		start_one();
	uv_run(loop, UV_RUN_DEFAULT);
	getrusage(RUSAGE_SELF, &ru);
	qsort(totals, (size_t)n_done, sizeof *totals, cmp_double);
	printf("%ld %ld %.3f %.3f %ld %.3f\n", n_total, n_ok, (double)(uv_hrtime() - t0) / 1e6,
	       cpu_ms() - c0, ru.ru_maxrss, n_done ? totals[n_done / 2] : 0.0);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	free(totals);
	return n_ok == n_total ? 0 : 1;
}
