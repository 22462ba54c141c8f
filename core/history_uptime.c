/* history_uptime.c: uptime as measured, the share of probes that passed over
 * 1 h, 24 h and 7 days, and the hourly tally that carries it past what the
 * ring holds (a day at the default interval) and across restarts (the history
 * file keeps the tally's hours older than its records). */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "history_internal.h"

const struct history_window history_uptime_windows[HISTORY_UPTIME_WINDOWS] = {
	{"1h", 3600},
	{"24h", 86400},
	{"7d", 7 * 86400},
};

static bool hour_live(const struct history *h, const struct history_hour *slot)
{
	return slot->count > 0 && slot->hour + HISTORY_HOURS > h->hours_newest;
}

void hist_hours_add(struct history *h, uint32_t t_s, uint32_t count, uint32_t failures)
{
	uint32_t hour = t_s / 3600;
	struct history_hour *slot;

	if (count == 0)
		return;
	if (h->hours_first_t_s != 0 && hour + HISTORY_HOURS <= h->hours_newest)
		return; /* older than the tally reaches */
	slot = &h->hours[hour % HISTORY_HOURS];
	if (slot->hour != hour || !hour_live(h, slot)) {
		if (hour_live(h, slot) && slot->hour > hour)
			return;
		slot->hour = hour;
		slot->count = slot->failures = 0;
	}
	slot->count = count > UINT32_MAX - slot->count ? UINT32_MAX : slot->count + count;
	if (failures > count)
		failures = count;
	slot->failures = failures > UINT32_MAX - slot->failures ? UINT32_MAX : slot->failures + failures;
	if (hour > h->hours_newest)
		h->hours_newest = hour;
	if (h->hours_first_t_s == 0 || t_s < h->hours_first_t_s)
		h->hours_first_t_s = t_s ? t_s : 1;
}

void history_add_hour(struct history *h, uint32_t hour, uint32_t count, uint32_t failures)
{
	if (h == NULL || hour > UINT32_MAX / 3600)
		return;
	hist_hours_add(h, hour * 3600, count, failures);
}

size_t history_hours(const struct history *h, struct history_hour *out)
{
	size_t n = 0;

	if (h == NULL || out == NULL || h->hours_first_t_s == 0)
		return 0;
	/* oldest first: the slots in hour order, starting after the newest */
	for (uint32_t k = 1; k <= HISTORY_HOURS; k++) {
		const struct history_hour *slot = &h->hours[(h->hours_newest + k) % HISTORY_HOURS];

		if (hour_live(h, slot))
			out[n++] = *slot;
	}
	return n;
}

/* The earliest time the tally counts: its oldest live hour, or the first
 * probe when that came within the hour. -1 when it is empty. */
static double tally_start(const struct history *h)
{
	double start = -1;

	for (uint32_t k = 1; k <= HISTORY_HOURS; k++) {
		const struct history_hour *slot = &h->hours[(h->hours_newest + k) % HISTORY_HOURS];

		if (hour_live(h, slot)) {
			start = (double)slot->hour * 3600.0;
			break;
		}
	}
	if (start >= 0 && h->hours_first_t_s > start)
		start = h->hours_first_t_s;
	return start;
}

static int tally_uptime(const struct history *h, double now, double window_s, double *ratio)
{
	double from = now - window_s, start = tally_start(h), count = 0, failures = 0;

	if (start < 0 || start > now - 0.95 * window_s)
		return -ENODATA;
	for (size_t i = 0; i < HISTORY_HOURS; i++) {
		const struct history_hour *slot = &h->hours[i];
		double begin = (double)slot->hour * 3600.0, share;

		if (!hour_live(h, slot) || begin + 3600.0 <= from || begin > now)
			continue;
		share = begin >= from ? 1.0 : (begin + 3600.0 - from) / 3600.0;
		count += share * slot->count;
		failures += share * slot->failures;
	}
	if (!(count > 0))
		return -ENODATA;
	*ratio = (count - failures) / count;
	return 0;
}

int history_uptime(const struct history *h, double now, double window_s, double *ratio)
{
	struct history_stats st;
	int rc;

	if (!h || !(window_s > 0) || !isfinite(now) || !ratio)
		return -ENODATA;
	if (history_count(h) == 0 || hist_time_at(h, hist_oldest_seq(h)) > now - 0.95 * window_s)
		return tally_uptime(h, now, window_s, ratio);
	rc = history_stats(h, now, window_s, &st);
	if (rc < 0)
		return rc;
	if (st.count == 0)
		return -ENODATA;
	*ratio = (double)(st.count - st.failures) / (double)st.count;
	return 0;
}

void history_uptime_text(double ratio, char *buf, size_t len)
{
	double hundredths;

	if (len == 0)
		return;
	if (!(ratio >= 0) || ratio > 1) {
		snprintf(buf, len, "-");
		return;
	}
	if (ratio == 1) {
		snprintf(buf, len, "100 %%");
		return;
	}
	hundredths = floor(ratio * 10000.0 + 1e-9);
	if (hundredths >= 10000)
		hundredths = 9999;
	snprintf(buf, len, "%.2f %%", hundredths / 100.0);
}
