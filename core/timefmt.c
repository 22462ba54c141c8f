/* timefmt.c: parsing and formatting of ISO 8601 times and HTTP dates.
 *
 * There is no state here and nothing is allocated: every function reads its
 * argument and writes its result. The parsers walk the text character by
 * character instead of using sscanf, which would accept signs, spaces and
 * overflowing fields in places the formats do not allow them; a status page or a
 * response header that sends junk gets -1, never a time that was never meant. */
#include "timefmt.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const wday_short[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const wday_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const month_short[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Reads exactly n decimal digits. */
static bool read_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

/* Second 60 is a leap second; timegm carries it into the next minute. */
static bool valid_fields(int y, int mo, int d, int h, int mi, int s)
{
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return false;
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

static int make_utc(int y, int mo, int d, int h, int mi, int s, time_t *out)
{
	struct tm tm;

	if (!valid_fields(y, mo, d, h, mi, s))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = timegm(&tm);
	return 0;
}

/* "HH:MM:SS" */
static bool read_hms(const char **p, int *h, int *mi, int *s)
{
	return read_digits(p, 2, h) && expect(p, ':') && read_digits(p, 2, mi) &&
	       expect(p, ':') && read_digits(p, 2, s);
}

int timefmt_parse_iso8601(const char *s, time_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	long offset = 0;
	time_t t;

	if (!s || !out)
		return -1;
	if (!read_digits(&p, 4, &y) || !expect(&p, '-') || !read_digits(&p, 2, &mo) ||
	    !expect(&p, '-') || !read_digits(&p, 2, &d))
		return -1;
	if (*p == '\0')
		return make_utc(y, mo, d, 0, 0, 0, out);
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (!read_hms(&p, &h, &mi, &sec))
		return -1;
	if (*p == '.' || *p == ',') {
		int n = 0;

		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			n++;
		}
		if (n == 0 || n > 9)
			return -1;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		int oh, om = 0;

		p++;
		if (!read_digits(&p, 2, &oh))
			return -1;
		if (*p == ':') {
			p++;
			if (!read_digits(&p, 2, &om))
				return -1;
		} else if (*p != '\0' && !read_digits(&p, 2, &om)) {
			return -1;
		}
		if (oh > 23 || om > 59)
			return -1;
		offset = sign * (oh * 3600L + om * 60L);
	} else {
		/* no zone: local time of an unknown place, not a time we can use */
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (make_utc(y, mo, d, h, mi, sec, &t) < 0)
		return -1;
	*out = t - offset;
	return 0;
}

static int match_month(const char **p)
{
	for (int i = 0; i < 12; i++) {
		if (strncasecmp(*p, month_short[i], 3) == 0) {
			*p += 3;
			return i + 1;
		}
	}
	return 0;
}

static bool match_word(const char **p, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i]);
		if (strncasecmp(*p, words[i], len) == 0 && !isalpha((unsigned char)(*p)[len])) {
			*p += len;
			return true;
		}
	}
	return false;
}

static bool match_gmt(const char **p)
{
	if (strncmp(*p, "GMT", 3) == 0 || strncmp(*p, "UTC", 3) == 0) {
		*p += 3;
		return true;
	}
	return false;
}

static bool only_space_left(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p == '\0';
}

/* RFC 7231 7.1.1.1: a two-digit year more than 50 years ahead is in the past. */
static int rfc850_year(int yy)
{
	time_t now = time(NULL);
	struct tm tm;
	int this_year = 2000, y;

	if (gmtime_r(&now, &tm))
		this_year = tm.tm_year + 1900;
	y = this_year - this_year % 100 + yy;
	if (y > this_year + 50)
		y -= 100;
	return y;
}

int timefmt_parse_http_date(const char *s, time_t *out)
{
	const char *p = s;
	int y, mo, d, h, mi, sec;

	if (!s || !out)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (match_word(&p, wday_short, 7)) {
		if (*p == ',') {
			/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
			p++;
			if (!expect(&p, ' ') || !read_digits(&p, 2, &d) || !expect(&p, ' '))
				return -1;
			mo = match_month(&p);
			if (!mo || !expect(&p, ' ') || !read_digits(&p, 4, &y) || !expect(&p, ' ') ||
			    !read_hms(&p, &h, &mi, &sec) || !expect(&p, ' ') || !match_gmt(&p))
				return -1;
		} else {
			/* asctime: Sun Nov  6 08:49:37 1994 */
			if (!expect(&p, ' '))
				return -1;
			mo = match_month(&p);
			if (!mo || !expect(&p, ' '))
				return -1;
			if (*p == ' ') {
				p++;
				if (!read_digits(&p, 1, &d))
					return -1;
			} else if (!read_digits(&p, 2, &d)) {
				return -1;
			}
			if (!expect(&p, ' ') || !read_hms(&p, &h, &mi, &sec) || !expect(&p, ' ') ||
			    !read_digits(&p, 4, &y))
				return -1;
		}
	} else if (match_word(&p, wday_long, 7)) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		int yy;

		if (!expect(&p, ',') || !expect(&p, ' ') || !read_digits(&p, 2, &d) || !expect(&p, '-'))
			return -1;
		mo = match_month(&p);
		if (!mo || !expect(&p, '-') || !read_digits(&p, 2, &yy) || !expect(&p, ' ') ||
		    !read_hms(&p, &h, &mi, &sec) || !expect(&p, ' ') || !match_gmt(&p))
			return -1;
		y = rfc850_year(yy);
	} else {
		return -1;
	}
	if (!only_space_left(p))
		return -1;
	return make_utc(y, mo, d, h, mi, sec, out);
}

long timefmt_retry_after(const char *value, time_t now)
{
	const char *p = value;
	const char *q;
	time_t when;

	if (!value)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	if (q > p && only_space_left(q)) {
		long v = 0;

		for (; p < q; p++) {
			v = v * 10 + (*p - '0');
			if (v > INT32_MAX)
				return INT32_MAX;
		}
		return v;
	}
	if (timefmt_parse_http_date(p, &when) < 0)
		return -1;
	if (when <= now)
		return 0;
	if (when - now > INT32_MAX)
		return INT32_MAX;
	return (long)(when - now);
}

static char *fail(char *buf, size_t len)
{
	if (buf && len > 0)
		buf[0] = '\0';
	return buf;
}

char *timefmt_local_hms(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!buf || len < TIMEFMT_HMS_LEN || !localtime_r(&t, &tm))
		return fail(buf, len);
	snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

char *timefmt_iso_utc(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!buf || len < TIMEFMT_ISO_LEN || !gmtime_r(&t, &tm))
		return fail(buf, len);
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return fail(buf, len);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

/* Written by hand, not with strftime: %a and %b follow the locale, HTTP does not. */
char *timefmt_http_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!buf || len < TIMEFMT_HTTP_LEN || !gmtime_r(&t, &tm))
		return fail(buf, len);
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return fail(buf, len);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday_short[tm.tm_wday],
		 tm.tm_mday, month_short[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
	return buf;
}

/* Each style: what stands for no value, the unit's separator, and the
 * precision up to each bound (ms up to 1000, then seconds). */
struct ms_step {
	double below;  /* ms */
	int decimals;
	bool seconds;
};

static const struct {
	const char *none, *sep;
	struct ms_step steps[5];
} ms_styles[] = {
	[TIMEFMT_MS_SENTENCE] = {"?", " ", {{10, 1, false}, {1000, 0, false}, {INFINITY, 1, true}}},
	[TIMEFMT_MS_COMPACT] = {"-", "", {{10, 2, false}, {100, 1, false}, {1000, 0, false}, {100000, 2, true},
					 {INFINITY, 0, true}}},
	[TIMEFMT_MS_TABLE] = {"-", " ", {{10, 2, false}, {1000, 1, false}, {INFINITY, 2, true}}},
};

char *timefmt_ms_as(double ms, enum timefmt_ms_style style, char *buf, size_t len)
{
	const struct ms_step *st = ms_styles[style].steps;

	if (ms < 0 || isnan(ms)) {
		snprintf(buf, len, "%s", ms_styles[style].none);
		return buf;
	}
	while (ms >= st->below)
		st++;
	snprintf(buf, len, "%.*f%s%s", st->decimals, st->seconds ? ms / 1000.0 : ms, ms_styles[style].sep,
		 st->seconds ? "s" : "ms");
	return buf;
}

char *timefmt_ms(double ms, char *buf, size_t len)
{
	return timefmt_ms_as(ms, TIMEFMT_MS_SENTENCE, buf, len);
}

char *timefmt_duration(double s, char *buf, size_t len)
{
	long n = lround(fabs(s));
	long min = (n + 30) / 60;

	if (n < 60)
		snprintf(buf, len, "%ld s", n);
	else if (min < 60)
		snprintf(buf, len, "%ld min", min);
	else if (n < 86400 && min % 60)
		snprintf(buf, len, "%ld h %ld min", min / 60, min % 60);
	else if (n < 86400)
		snprintf(buf, len, "%ld h", min / 60);
	else
		snprintf(buf, len, "%ld d", (n + 43200) / 86400);
	return buf;
}

char *timefmt_span(double s, char *buf, size_t len)
{
	long v = s > 0 ? (long)(s + 0.5) : 0;

	if (v < 120)
		snprintf(buf, len, "%ld s", v);
	else if (v < 7200)
		snprintf(buf, len, "%ld min", v / 60);
	else if (v < 2 * 86400)
		snprintf(buf, len, "%ld h %ld min", v / 3600, v % 3600 / 60);
	else
		snprintf(buf, len, "%ld d", v / 86400);
	return buf;
}

char *timefmt_elapsed(double s, char *buf, size_t len)
{
	long n = lround(fabs(s));

	if (n < 60)
		snprintf(buf, len, "%ld s", n);
	else if (n < 3600 && n % 60)
		snprintf(buf, len, "%ld min %ld s", n / 60, n % 60);
	else if (n < 3600)
		snprintf(buf, len, "%ld min", n / 60);
	else if (n < 86400 && (n / 60) % 60)
		snprintf(buf, len, "%ld h %ld min", n / 3600, (n / 60) % 60);
	else if (n < 86400)
		snprintf(buf, len, "%ld h", n / 3600);
	else if ((n / 3600) % 24)
		snprintf(buf, len, "%ld d %ld h", n / 86400, (n / 3600) % 24);
	else
		snprintf(buf, len, "%ld d", n / 86400);
	return buf;
}
