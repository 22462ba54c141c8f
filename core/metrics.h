/* metrics.h: the monitor's state in the Prometheus text exposition format
 * (version 0.0.4).
 *
 * Names follow blackbox_exporter where it has one (probe_success,
 * probe_duration_seconds, probe_http_duration_seconds{phase},
 * probe_http_status_code, probe_ssl_earliest_cert_expiry, ...), so its
 * dashboards and alerts work; the rest are isitdown_*. Every per-target
 * series carries target, component and role labels. No URL, header or other
 * configured secret is ever exported: only names from the config and words
 * from fixed vocabularies. */
#ifndef ISITDOWN_METRICS_H
#define ISITDOWN_METRICS_H

#include <stddef.h>

#include "monitor.h"

/* The exposition text: a malloc'd, NUL-terminated string in *out (the caller
 * frees it) and its length in *len. Returns 0 or -ENOMEM. */
int metrics_render(const struct monitor *m, char **out, size_t *len);
/* Several services' (fleet.h): every series gains a service label first. */
int metrics_render_services(const struct monitor *const *services, size_t n_services, char **out, size_t *len);

/* A label value as the format wants it: sanitized (valid UTF-8, no control
 * character or terminal escape; newlines kept), then backslash, double quote
 * and newline escaped as \\, \" and \n. The value is cut (on a character
 * boundary, before escaping) to METRICS_LABEL_MAX bytes; dst is always
 * NUL-terminated when dstlen > 0, and 2 * METRICS_LABEL_MAX + 1 bytes always
 * suffice. Returns the length written. */
#define METRICS_LABEL_MAX 256
size_t metrics_escape_label(char *dst, size_t dstlen, const char *value);

#endif
