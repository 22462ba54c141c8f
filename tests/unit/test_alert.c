/* Unit tests for tui/alert.c: the title, bell and notification bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "alert.h"

static void test_title_names_the_service_and_the_state(void **state)
{
	char buf[128];

	(void)state;
	alert_title(buf, sizeof(buf), "OpenAI", VERDICT_OPERATIONAL);
	assert_string_equal(buf, "isitdown: OpenAI operational");
	alert_title(buf, sizeof(buf), "OpenAI", VERDICT_MAJOR_OUTAGE);
	assert_string_equal(buf, "isitdown: OpenAI MAJOR OUTAGE");
	alert_title(buf, sizeof(buf), "GitHub", VERDICT_LOCAL_PROBLEM);
	assert_string_equal(buf, "isitdown: GitHub LOCAL PROBLEM");
	alert_title(buf, sizeof(buf), "GitHub", VERDICT_UNKNOWN);
	assert_string_equal(buf, "isitdown: GitHub checking");
}

static void test_title_sequence_cannot_be_escaped(void **state)
{
	char buf[256];

	(void)state;
	alert_title_sequence(buf, sizeof(buf), "isitdown: Evil\033]2;owned\007\033[2J operational");
	assert_int_equal(strncmp(buf, "\033]2;", 4), 0);
	assert_string_equal(buf + strlen(buf) - 2, "\033\\");
	/* one ESC to open, one to close: nothing from the name in between */
	assert_null(memchr(buf + 1, '\033', strlen(buf) - 3));
	assert_null(strchr(buf, '\007'));
}

static void test_bell_rings_to_and_from_outages_and_local_problems(void **state)
{
	(void)state;
	assert_true(alert_rings_bell(VERDICT_OPERATIONAL, VERDICT_MAJOR_OUTAGE));
	assert_true(alert_rings_bell(VERDICT_MAJOR_OUTAGE, VERDICT_OPERATIONAL));
	assert_true(alert_rings_bell(VERDICT_DEGRADED, VERDICT_PARTIAL_OUTAGE));
	assert_true(alert_rings_bell(VERDICT_OPERATIONAL, VERDICT_LOCAL_PROBLEM));
	assert_true(alert_rings_bell(VERDICT_LOCAL_PROBLEM, VERDICT_OPERATIONAL));
	assert_true(alert_rings_bell(VERDICT_UNKNOWN, VERDICT_MAJOR_OUTAGE));
	assert_false(alert_rings_bell(VERDICT_UNKNOWN, VERDICT_OPERATIONAL));
	assert_false(alert_rings_bell(VERDICT_OPERATIONAL, VERDICT_DEGRADED));
	assert_false(alert_rings_bell(VERDICT_DEGRADED, VERDICT_MAINTENANCE));
	assert_false(alert_rings_bell(VERDICT_MAJOR_OUTAGE, VERDICT_MAJOR_OUTAGE));
}

static void test_notification_plain_and_through_tmux(void **state)
{
	char buf[512];

	(void)state;
	alert_notify_sequence(buf, sizeof(buf), "isitdown: OpenAI MAJOR OUTAGE", "ChatGPT fails; API too", false);
	assert_string_equal(buf, "\033]777;notify;isitdown: OpenAI MAJOR OUTAGE;ChatGPT fails, API too\033\\");
	alert_notify_sequence(buf, sizeof(buf), "t", "b", true);
	assert_string_equal(buf, "\033Ptmux;\033\033]777;notify;t;b\033\033\\\033\\");
	/* too small a buffer gives nothing rather than half a sequence */
	alert_notify_sequence(buf, 10, "t", "b", true);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_title_names_the_service_and_the_state),
		cmocka_unit_test(test_title_sequence_cannot_be_escaped),
		cmocka_unit_test(test_bell_rings_to_and_from_outages_and_local_problems),
		cmocka_unit_test(test_notification_plain_and_through_tmux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
