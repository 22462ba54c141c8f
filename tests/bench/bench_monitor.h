/* bench_monitor.h: the monitor the benchmark helpers measure: n HTTP targets
 * named t0, t1, ... whose URLs are url_prefix followed by the index, at a 10 s
 * interval, on the caller's loop. Header-only: each helper is one program. */
#ifndef ISITDOWN_BENCH_MONITOR_H
#define ISITDOWN_BENCH_MONITOR_H

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "monitor.h"

/* A monitor of n targets, or NULL after a message on stderr naming who. */
static inline struct monitor *bench_monitor_new(const char *who, uv_loop_t *loop, int n, const char *url_prefix,
						 const struct monitor_options *mo)
{
	size_t len = 64 + (size_t)n * (96 + strlen(url_prefix)), off = 0;
	char *text = malloc(len), err[256];
	struct config *cfg;
	struct monitor *m;

	if (text == NULL)
		return NULL;
	off += (size_t)snprintf(text + off, len - off, "{\"interval_s\": 10, \"targets\": [");
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, len - off,
					"%s{\"name\": \"t%d\", \"kind\": \"http\", \"url\": \"%s%d\"}", i ? ", " : "",
					i, url_prefix, i);
	snprintf(text + off, len - off, "]}");
	cfg = config_parse(text, strlen(text), "bench", err, sizeof err);
	free(text);
	if (cfg == NULL) {
		fprintf(stderr, "%s: %s\n", who, err);
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	uv_loop_init(loop);
	m = monitor_new(loop, cfg, mo, err, sizeof err);
	if (m == NULL)
		fprintf(stderr, "%s: %s\n", who, err);
	return m;
}

#endif
