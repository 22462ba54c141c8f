/* diagnose_lag.c: how far the official status page lagged our own detection:
 * the time we first saw trouble, the time the page first said so. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sanitize.h"
#include "timefmt.h"

#include "diagnose_internal.h"

void diagnose_lag_init(struct diagnose_lag *l)
{
	memset(l, 0, sizeof(*l));
}

bool diagnose_lag_update(struct diagnose_lag *l, const struct verdict *v, double now)
{
	if (!l || !v)
		return false;
	if (l->watch_start == 0)
		l->watch_start = now;
	if (!v->ours_failing && !v->official_bad) {
		double watch_start = l->watch_start;

		diagnose_lag_init(l);
		l->watch_start = watch_start;
		return false;
	}
	if (v->ours_failing && l->ours_t == 0)
		l->ours_t = now;
	if (v->official_bad && l->official_t == 0)
		l->official_t = v->official_since > 0 ? v->official_since : now;
	/* An incident opened before we started watching says nothing about how
	 * quickly the page follows an outage: we cannot know when our probes
	 * would have seen it, so this episode gets no lag. */
	if (!l->reported && l->official_t > 0 && l->official_t < l->watch_start)
		l->reported = true;
	if (!l->reported && l->ours_t > 0 && l->official_t > 0) {
		l->reported = true;
		return true;
	}
	return false;
}

bool diagnose_lag_seconds(const struct diagnose_lag *l, double *lag_s)
{
	if (!l || l->ours_t <= 0 || l->official_t <= 0 || l->official_t < l->watch_start)
		return false;
	if (lag_s)
		*lag_s = l->official_t - l->ours_t;
	return true;
}

int diagnose_lag_text(const struct diagnose_lag *l, char *buf, size_t len)
{
	double lag;
	char d[48];

	if (!buf || len == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (!diagnose_lag_seconds(l, &lag))
		return 0;
	timefmt_duration(lag, d, sizeof(d));
	if (fabs(lag) < 1)
		sanitize_snprintf(buf, len, "the status page changed as our probes failed");
	else
		sanitize_snprintf(buf, len, "the status page %s our probes by %s", lag > 0 ? "lagged" : "led", d);
	return 0;
}
