/* test_timefmt.c: the times status pages and HTTP headers send, and junk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "timefmt.h"

static time_t iso(const char *s)
{
	time_t t = 12345;

	assert_int_equal(timefmt_parse_iso8601(s, &t), 0);
	return t;
}

static void iso_bad(const char *s)
{
	time_t t;

	if (timefmt_parse_iso8601(s, &t) != -1)
		fail_msg("accepted \"%s\"", s ? s : "(null)");
}

/* Forms seen in the captures: milliseconds + Z (GitHub, Claude), local offsets
 * (Discord), whole seconds (incident.io /api/v2), 2-6 digits (incident.io). */
static void test_iso_status_page_forms(void **state)
{
	(void)state;
	assert_int_equal(iso("2026-08-17T21:04:04.867Z"), 1787000644);
	assert_int_equal(iso("2026-08-17T21:04:04Z"), 1787000644);
	assert_int_equal(iso("2022-02-15T13:37:37.407-08:00"), 1644961057);
	assert_int_equal(iso("2015-07-30T18:55:43.739-07:00"), 1438307743);
	assert_int_equal(iso("2026-09-29T18:29:41Z"), 1790706581);
	assert_int_equal(iso("2021-08-17T13:28:57.801578Z"), 1629206937);
	assert_int_equal(iso("2026-08-21T19:48:34.66Z"), 1787341714);
	assert_int_equal(iso("2021-08-17T13:28:57.1Z"), 1629206937);
	assert_int_equal(iso("2021-08-17T13:28:57.123456789Z"), 1629206937);
	/* fractions are dropped, never rounded up into the next second */
	assert_int_equal(iso("2021-08-17T13:28:57.999999999Z"), 1629206937);
}

static void test_iso_offsets_and_separators(void **state)
{
	(void)state;
	assert_int_equal(iso("2026-08-17T21:04:04+05:30"), 1786980844);
	assert_int_equal(iso("2026-08-17T21:04:04+0530"), 1786980844);
	assert_int_equal(iso("2026-08-17T21:04:04+05"), 1787000644 - 5 * 3600);
	assert_int_equal(iso("2026-08-17T21:04:04-00:00"), 1787000644);
	assert_int_equal(iso("2026-08-17t21:04:04z"), 1787000644);
	assert_int_equal(iso("2026-08-17 21:04:04Z"), 1787000644);
	assert_int_equal(iso("2026-08-17T21:04:04,5Z"), 1787000644);
}

static void test_iso_dates(void **state)
{
	(void)state;
	assert_int_equal(iso("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(iso("1970-01-01"), 0);
	assert_int_equal(iso("2020-02-29"), 1582934400);
	assert_int_equal(iso("2000-02-29"), 951782400);
	assert_int_equal(iso("2038-01-19T03:14:08Z"), (time_t)2147483648LL);
	assert_int_equal(iso("9999-12-31T23:59:59Z"), (time_t)253402300799LL);
	assert_int_equal(iso("0001-01-01T00:00:00Z"), (time_t)-62135596800LL);
	/* a leap second is carried into the next minute */
	assert_int_equal(iso("2016-12-31T23:59:60Z"), 1483228800);
}

static void test_iso_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-08", "2026-8-17", "2026-08-7", "20260817",
		"2026-08-17T", "2026-08-17T21:04Z", "2026-08-17T21:04:04",
		"2026-08-17T21:04:04.Z", "2026-08-17T21:04:04.1234567890Z",
		"2026-08-17T21:04:04Zjunk", "2026-08-17junk", "2026-08-17T21:04:04 Z",
		"2026-08-17T24:00:00Z", "2026-08-17T21:60:00Z", "2026-08-17T21:04:61Z",
		"2026-13-01", "2026-00-10", "2026-08-00", "2026-08-32", "2026-04-31",
		"2021-02-29", "2100-02-29", "2026-08-17T21:04:04+24:00",
		"2026-08-17T21:04:04+05:60", "2026-08-17T21:04:04+05:3", "2026-08-17T21:04:04+5",
		"2026-08-17T21:04:04+05:30:00", " 2026-08-17", "-2026-08-17", "+2026-08-17",
		"abcd-ef-gh", "2026-08-17X21:04:04Z", "2026-08-17T-1:04:04Z", "2026-08-17T 1:04:04Z",
		"２０２６-08-17", "2026-08-17T21:04:04\xff",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		iso_bad(bad[i]);
	iso_bad(NULL);
	assert_int_equal(timefmt_parse_iso8601("2026-08-17", NULL), -1);
}

/* Every prefix of a valid time, every byte replaced: no crash, and nothing
 * but a valid prefix ("2026-08-17", "...+02") accepted. */
static void test_iso_truncations_and_mutations(void **state)
{
	const char *full = "2026-08-17T21:04:04.867+02:00";
	char buf[64];
	time_t t;
	int accepted = 0;

	(void)state;
	for (size_t n = 0; n <= strlen(full); n++) {
		memcpy(buf, full, n);
		buf[n] = '\0';
		if (timefmt_parse_iso8601(buf, &t) == 0)
			accepted++;
	}
	assert_int_equal(accepted, 3); /* the date, "+02", the whole */
	for (size_t i = 0; i < strlen(full); i++) {
		for (int c = 1; c < 256; c++) {
			strcpy(buf, full);
			buf[i] = (char)c;
			(void)timefmt_parse_iso8601(buf, &t);
		}
	}
	srand(7);
	for (int k = 0; k < 20000; k++) {
		size_t n = (size_t)(rand() % 40);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(rand() % 255 + 1);
		buf[n] = '\0';
		(void)timefmt_parse_iso8601(buf, &t);
		(void)timefmt_parse_http_date(buf, &t);
		(void)timefmt_retry_after(buf, 0);
	}
}

static time_t http(const char *s)
{
	time_t t = 12345;

	if (timefmt_parse_http_date(s, &t) != 0)
		fail_msg("rejected \"%s\"", s);
	return t;
}

static void http_bad(const char *s)
{
	time_t t;

	if (timefmt_parse_http_date(s, &t) != -1)
		fail_msg("accepted \"%s\"", s ? s : "(null)");
}

/* RFC 7231 7.1.1.1: the three forms of the same moment. */
static void test_http_date_forms(void **state)
{
	(void)state;
	assert_int_equal(http("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	assert_int_equal(http("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
	assert_int_equal(http("Sun Nov  6 08:49:37 1994"), 784111777);
	assert_int_equal(http("Wed Nov 16 08:49:37 1994"), 784111777 + 10 * 86400);
	/* header values may carry trailing blanks or the line end */
	assert_int_equal(http("Sun, 06 Nov 1994 08:49:37 GMT\r\n"), 784111777);
	assert_int_equal(http("  Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	/* the weekday is not checked against the date: servers get it wrong */
	assert_int_equal(http("Mon, 06 Nov 1994 08:49:37 GMT"), 784111777);
	assert_int_equal(http("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
}

static void test_http_date_two_digit_years(void **state)
{
	(void)state;
	/* not more than 50 years ahead of now: 30 is 2030, 99 is 1999 */
	assert_int_equal(http("Tuesday, 01-Jan-30 00:00:00 GMT"), 1893456000);
	assert_int_equal(http("Friday, 01-Jan-99 00:00:00 GMT"), 915148800);
}

static void test_http_date_rejects(void **state)
{
	static const char *const bad[] = {
		"", "Sun", "Sun,", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49 GMT",
		"Sun, 06 Foo 1994 08:49:37 GMT", "Fun, 06 Nov 1994 08:49:37 GMT",
		"Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT x", "Sun,06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06 Nov 94 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94", "Sun Nov  6 08:49:37 1994 GMT",
		"1994-11-06T08:49:37Z", "120", "Sundays, 06-Nov-94 08:49:37 GMT",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		http_bad(bad[i]);
	http_bad(NULL);
}

static void test_retry_after(void **state)
{
	(void)state;
	assert_int_equal(timefmt_retry_after("120", 0), 120);
	assert_int_equal(timefmt_retry_after(" 120 ", 0), 120);
	assert_int_equal(timefmt_retry_after("0", 0), 0);
	assert_int_equal(timefmt_retry_after("99999999999999999999999", 0), INT32_MAX);
	assert_int_equal(timefmt_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30), 30);
	assert_int_equal(timefmt_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777), 0);
	/* a date in the past means "now", not a negative wait */
	assert_int_equal(timefmt_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 3600), 0);
	assert_int_equal(timefmt_retry_after("-5", 0), -1);
	assert_int_equal(timefmt_retry_after("1.5", 0), -1);
	assert_int_equal(timefmt_retry_after("+5", 0), -1);
	assert_int_equal(timefmt_retry_after("5s", 0), -1);
	assert_int_equal(timefmt_retry_after("", 0), -1);
	assert_int_equal(timefmt_retry_after("   ", 0), -1);
	assert_int_equal(timefmt_retry_after("soon", 0), -1);
	assert_int_equal(timefmt_retry_after(NULL, 0), -1);
}

static void test_format_utc(void **state)
{
	char buf[TIMEFMT_HTTP_LEN];
	char small[8];

	(void)state;
	assert_string_equal(timefmt_iso_utc(0, buf, sizeof(buf)), "1970-01-01T00:00:00Z");
	assert_string_equal(timefmt_iso_utc(784111777, buf, sizeof(buf)), "1994-11-06T08:49:37Z");
	assert_string_equal(timefmt_iso_utc(1787000644, buf, TIMEFMT_ISO_LEN), "2026-08-17T21:04:04Z");
	assert_int_equal(iso(timefmt_iso_utc(1644961057, buf, sizeof(buf))), 1644961057);
	assert_string_equal(timefmt_iso_utc(0, small, sizeof(small)), "");
	assert_string_equal(timefmt_iso_utc((time_t)253402300800LL, buf, sizeof(buf)), "");

	assert_string_equal(timefmt_http_date(784111777, buf, sizeof(buf)),
			    "Sun, 06 Nov 1994 08:49:37 GMT");
	assert_int_equal(http(timefmt_http_date(1787000644, buf, sizeof(buf))), 1787000644);
	assert_string_equal(timefmt_http_date(0, small, sizeof(small)), "");
	assert_null(timefmt_http_date(0, NULL, 0));
}

static void test_format_local(void **state)
{
	char buf[TIMEFMT_HMS_LEN];
	char small[4];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(timefmt_local_hms(784111777, buf, sizeof(buf)), "08:49:37");
	setenv("TZ", "EET-2", 1);
	tzset();
	assert_string_equal(timefmt_local_hms(784111777, buf, sizeof(buf)), "10:49:37");
	assert_string_equal(timefmt_local_hms(784111777, small, sizeof(small)), "");
	unsetenv("TZ");
	tzset();
}

static void test_ms_and_durations_for_sentences(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(timefmt_ms(0.44, b, sizeof(b)), "0.4 ms");
	assert_string_equal(timefmt_ms(12.4, b, sizeof(b)), "12 ms");
	assert_string_equal(timefmt_ms(1530, b, sizeof(b)), "1.5 s");
	assert_string_equal(timefmt_ms(-1, b, sizeof(b)), "?");
	assert_string_equal(timefmt_duration(42.4, b, sizeof(b)), "42 s");
	assert_string_equal(timefmt_duration(-420, b, sizeof(b)), "7 min");
	/* a Date header's whole seconds: two hours measure 7199.6 s */
	assert_string_equal(timefmt_duration(7199.6, b, sizeof(b)), "2 h");
	assert_string_equal(timefmt_duration(7500, b, sizeof(b)), "2 h 5 min");
	assert_string_equal(timefmt_duration(104 * 86400.0 + 3600, b, sizeof(b)), "104 d");
	assert_string_equal(timefmt_duration(42, b, 3), "42"); /* cut, never overrun */
	/* how long an outage lasted: to the second below an hour */
	assert_string_equal(timefmt_elapsed(250, b, sizeof(b)), "4 min 10 s");
	assert_string_equal(timefmt_elapsed(9.6, b, sizeof(b)), "10 s");
	assert_string_equal(timefmt_elapsed(120, b, sizeof(b)), "2 min");
	assert_string_equal(timefmt_elapsed(7500, b, sizeof(b)), "2 h 5 min");
	assert_string_equal(timefmt_elapsed(7200, b, sizeof(b)), "2 h");
	assert_string_equal(timefmt_elapsed(3 * 86400.0 + 4 * 3600 + 59, b, sizeof(b)), "3 d 4 h");
	assert_string_equal(timefmt_elapsed(2 * 86400.0, b, sizeof(b)), "2 d");
}

/* One formatter, three places: sentences, the screen's columns, the report's tables. */
static void test_ms_styles(void **state)
{
	char b[32];
	const struct {
		double ms;
		const char *sentence, *compact, *table;
	} cases[] = {
		{-1, "?", "-", "-"},
		{0.84, "0.8 ms", "0.84ms", "0.84 ms"},
		{12.34, "12 ms", "12.3ms", "12.3 ms"},
		{245, "245 ms", "245ms", "245.0 ms"},
		{1240, "1.2 s", "1.24s", "1.24 s"},
		{312000, "312.0 s", "312s", "312.00 s"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(timefmt_ms_as(cases[i].ms, TIMEFMT_MS_SENTENCE, b, sizeof(b)), cases[i].sentence);
		assert_string_equal(timefmt_ms(cases[i].ms, b, sizeof(b)), cases[i].sentence);
		assert_string_equal(timefmt_ms_as(cases[i].ms, TIMEFMT_MS_COMPACT, b, sizeof(b)), cases[i].compact);
		assert_string_equal(timefmt_ms_as(cases[i].ms, TIMEFMT_MS_TABLE, b, sizeof(b)), cases[i].table);
	}
	assert_string_equal(timefmt_ms_as(NAN, TIMEFMT_MS_COMPACT, b, sizeof(b)), "-");
}

static void test_span(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(timefmt_span(-5, b, sizeof(b)), "0 s");
	assert_string_equal(timefmt_span(90, b, sizeof(b)), "90 s");
	assert_string_equal(timefmt_span(12 * 60 + 20, b, sizeof(b)), "12 min");
	assert_string_equal(timefmt_span(2 * 3600 + 5 * 60, b, sizeof(b)), "2 h 5 min");
	assert_string_equal(timefmt_span(3 * 86400 + 10, b, sizeof(b)), "3 d");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_status_page_forms),
		cmocka_unit_test(test_iso_offsets_and_separators),
		cmocka_unit_test(test_iso_dates),
		cmocka_unit_test(test_iso_rejects),
		cmocka_unit_test(test_iso_truncations_and_mutations),
		cmocka_unit_test(test_http_date_forms),
		cmocka_unit_test(test_http_date_two_digit_years),
		cmocka_unit_test(test_http_date_rejects),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_format_utc),
		cmocka_unit_test(test_format_local),
		cmocka_unit_test(test_ms_and_durations_for_sentences),
		cmocka_unit_test(test_ms_styles),
		cmocka_unit_test(test_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
