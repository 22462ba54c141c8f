/* bench_memory.c: a monitor's memory after a day of history, without the day.
 *
 * It builds the real monitor for a generated config of N http targets at a
 * 10 s interval (not started: nothing is probed), then pushes 24 h of samples
 * per target (one every 10 s, latencies spread like a real service's, 1 % of
 * them failures) into each target's history through history_push, the call
 * the monitor itself makes, and prints the process's memory from
 * /proc/self/status:
 *   rss_kb hwm_kb anon_kb file_kb histories_kb
 * where histories_kb is what the pushes added to the resident set.
 *
 *   bench_memory [N] [HOURS] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <uv.h>

#include "bench_monitor.h"
#include "config.h"
#include "history.h"
#include "monitor.h"

static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(key);

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

static unsigned rng = 12345;

static double rnd(void)
{
	rng = rng * 1664525u + 1013904223u;
	return (rng >> 8) / 16777216.0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	double hours = argc > 2 ? atof(argv[2]) : 24;
	struct monitor_options mo = {.memory_only_log = true, .history_capacity = (size_t)atol(getenv("CAP") ? getenv("CAP") : "0")};
	struct monitor *m;
	uv_loop_t loop;
	long before;
	double t0 = 1.7e9;
	long steps = lround(hours * 360);

	if (n <= 0)
		return 2;
	m = bench_monitor_new("bench_memory", &loop, n, "http://127.0.0.1:9/t", &mo);
	if (m == NULL)
		return 1;
	before = status_kb("VmRSS");
	for (long k = 0; k < steps; k++) {
		for (size_t i = 0; i < monitor_target_count(m); i++) {
			struct monitor_target_info ti;
			struct sample s = {.t = t0 + 10.0 * (double)k + (double)i * 0.01, .ok = true,
				.outcome = OUTCOME_OK, .http_status = 200, .http_version = 11,
				.retry_after_s = -1};
			double total = 40 + 30 * rnd() + (rnd() < 0.02 ? 400 * rnd() : 0);

			if (rnd() < 0.01) {
				s.ok = false;
				s.outcome = OUTCOME_TIMEOUT;
				s.http_status = 0;
			}
			s.dns_ms = total * 0.1;
			s.connect_ms = total * 0.2;
			s.tls_ms = total * 0.3;
			s.ttfb_ms = total * 0.3;
			s.transfer_ms = total * 0.1;
			s.total_ms = total;
			monitor_target_info(m, i, &ti);
			/* the monitor owns its histories and pushes through this same
			 * call; the view hands them out const */
			history_push((struct history *)ti.history, &s);
		}
	}
	printf("%ld %ld %ld %ld %ld\n", status_kb("VmRSS"), status_kb("VmHWM"), status_kb("RssAnon"),
	       status_kb("RssFile"), status_kb("VmRSS") - before);
	monitor_free(m);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	curl_global_cleanup();
	return 0;
}
