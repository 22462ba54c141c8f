/* bench_round.c: one --once round of isitdown's monitor, measured inside.
 *
 * The same core a `isitdown --once` runs (config, monitor, probes, history,
 * assessment, diagnosis) for N http targets PREFIX0 .. PREFIX(N-1), with the
 * CPU and wall time counted from monitor_start to the end of the round, so
 * start-up and printing the report are left out, as bare_multi leaves out
 * its own start-up. Prints one line, as bare_multi does:
 *   n ok wall_ms cpu_ms maxrss_kb median_total_ms
 *
 *   bench_round N PREFIX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <curl/curl.h>
#include <uv.h>

#include "bench_monitor.h"
#include "config.h"
#include "monitor.h"

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void on_done(struct monitor *m, void *data)
{
	(void)m;
	uv_stop(data);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[1]) : 0;
	struct monitor_options mo = {.once = true, .memory_only_log = true};
	struct monitor *m;
	uv_loop_t loop;
	uint64_t t0;
	double c0, cpu, wall, *totals;
	long ok = 0;
	struct rusage ru;

	if (n <= 0) {
		fprintf(stderr, "usage: bench_round N PREFIX\n");
		return 2;
	}
	totals = calloc((size_t)n, sizeof *totals);
	if (totals == NULL)
		return 2;
	m = bench_monitor_new("bench_round", &loop, n, argv[2], &mo);
	if (m == NULL)
		return 1;
	monitor_on_done(m, on_done, &loop);
	t0 = uv_hrtime();
	c0 = cpu_ms();
	monitor_start(m);
	if (!monitor_finished(m))
		uv_run(&loop, UV_RUN_DEFAULT);
	cpu = cpu_ms() - c0;
	wall = (double)(uv_hrtime() - t0) / 1e6;
	for (size_t i = 0; i < monitor_target_count(m); i++) {
		struct monitor_target_info ti;

		monitor_target_info(m, i, &ti);
		if (ti.last != NULL && ti.last->ok)
			totals[ok++] = ti.last->total_ms;
	}
	qsort(totals, (size_t)ok, sizeof *totals, cmp_double);
	getrusage(RUSAGE_SELF, &ru);
	printf("%d %ld %.3f %.3f %ld %.3f\n", n, ok, wall, cpu, ru.ru_maxrss, ok ? totals[ok / 2] : 0.0);
	monitor_free(m);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	curl_global_cleanup();
	free(totals);
	return ok == n ? 0 : 1;
}
