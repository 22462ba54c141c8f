/* Unit tests for core/perfdata.c: Nagios performance data items. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "perfdata.h"

static struct perfdata_value item(const char *label, double value)
{
	struct perfdata_value v = {label, true, value, "s", NAN, NAN, 0, NAN};

	return v;
}

static void test_values_thresholds_and_limits(void **state)
{
	char buf[256] = "";
	struct perfdata_value v = item("api_total", 0.412);

	(void)state;
	assert_int_equal(perfdata_append(buf, sizeof(buf), &v), 0);
	assert_string_equal(buf, "api_total=0.412s;;;0");
	v = item("web_total", 1.5);
	v.warn = 1;
	v.crit = 10;
	assert_int_equal(perfdata_append(buf, sizeof(buf), &v), 0);
	assert_string_equal(buf, "api_total=0.412s;;;0 web_total=1.5s;1;10;0");
	v = (struct perfdata_value){"targets_down", true, 2, "", NAN, NAN, 0, 7};
	assert_int_equal(perfdata_append(buf, sizeof(buf), &v), 0);
	assert_string_equal(buf, "api_total=0.412s;;;0 web_total=1.5s;1;10;0 targets_down=2;;;0;7");
}

static void test_unknown_value_is_U(void **state)
{
	char buf[64] = "";
	struct perfdata_value v = item("dns_total", 0);

	(void)state;
	v.known = false;
	assert_int_equal(perfdata_append(buf, sizeof(buf), &v), 0);
	assert_string_equal(buf, "dns_total=U;;;0");
}

static void test_labels_are_quoted_and_cleaned(void **state)
{
	char buf[128] = "";
	struct perfdata_value v = item("chat gpt's=web\033[31m", 0.5);

	(void)state;
	assert_int_equal(perfdata_append(buf, sizeof(buf), &v), 0);
	assert_string_equal(buf, "'chat gpt''s_web'=0.5s;;;0");
}

static void test_what_does_not_fit_is_left_out_whole(void **state)
{
	char buf[24] = "a=1s";
	struct perfdata_value v = item("a_rather_long_label", 0.123);

	(void)state;
	assert_int_equal(perfdata_append(buf, sizeof(buf), &v), -1);
	assert_string_equal(buf, "a=1s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_thresholds_and_limits),
		cmocka_unit_test(test_unknown_value_is_U),
		cmocka_unit_test(test_labels_are_quoted_and_cleaned),
		cmocka_unit_test(test_what_does_not_fit_is_left_out_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
