/* test_keys.c: the key table: what each key does where, the names people
 * read, and the footers and help written from it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <string.h>

#include "keys.h"
#include "layout.h"


static void test_keys_lookup(void **state)
{
	for (int p = 0; p < PANEL_COUNT; p++) {
		assert_int_equal(keys_lookup('q', p), ACTION_QUIT);
		assert_int_equal(keys_lookup(KEY_UP, p), ACTION_UP);
		assert_int_equal(keys_lookup('k', p), ACTION_UP);
		assert_int_equal(keys_lookup('j', p), ACTION_DOWN);
		assert_int_equal(keys_lookup('\t', p), ACTION_NEXT_PANEL);
		assert_int_equal(keys_lookup(KEY_BTAB, p), ACTION_PREV_PANEL);
		assert_int_equal(keys_lookup('\n', p), ACTION_ENTER);
		assert_int_equal(keys_lookup(KEY_ENTER, p), ACTION_ENTER);
		assert_int_equal(keys_lookup(27, p), ACTION_BACK);
		assert_int_equal(keys_lookup('r', p), ACTION_PROBE_NOW);
		assert_int_equal(keys_lookup('p', p), ACTION_PAUSE);
		assert_int_equal(keys_lookup('t', p), ACTION_THEME);
		assert_int_equal(keys_lookup('e', p), ACTION_EXPORT);
		assert_int_equal(keys_lookup('?', p), ACTION_HELP);
		assert_int_equal(keys_lookup(KEY_NPAGE, p), ACTION_PAGE_DOWN);
		assert_int_equal(keys_lookup(KEY_HOME, p), ACTION_HOME);
		assert_int_equal(keys_lookup('G', p), ACTION_END);
		assert_int_equal(keys_lookup('Z', p), ACTION_NONE);
		assert_int_equal(keys_lookup(KEY_RESIZE, p), ACTION_NONE);
	}
	assert_int_equal(keys_lookup('/', PANEL_LOG), ACTION_FILTER);
	assert_int_equal(keys_lookup('/', PANEL_STATUS), ACTION_NONE);
	assert_int_equal(keys_lookup('h', PANEL_LATENCY), ACTION_LEFT);
	assert_int_equal(keys_lookup(KEY_RIGHT, PANEL_LOG), ACTION_RIGHT);
	assert_int_equal(keys_lookup('h', PANEL_STATUS), ACTION_NONE);
	assert_int_equal(keys_lookup('q', PANEL_COUNT), ACTION_NONE);
}

/* one key, one meaning, in any panel */
static void test_keys_unambiguous(void **state)
{
	for (size_t i = 0; i < keys_count; i++) {
		for (size_t j = i + 1; j < keys_count; j++) {
			if (keys_table[i].key == keys_table[j].key &&
			    (keys_table[i].panels & keys_table[j].panels))
				fail_msg("key %d bound twice", keys_table[i].key);
		}
	}
}

static void test_every_action_has_a_key_and_help(void **state)
{
	char line[160];
	size_t lines = 0;

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		bool bound = false;

		for (size_t i = 0; i < keys_count; i++)
			bound |= keys_table[i].action == (enum key_action)a;
		if (!bound)
			fail_msg("action %s has no key", keys_action_name(a));
		assert_true(strlen(keys_action_help(a)) > 0);
	}
	while (keys_help_line(lines, line, sizeof(line)) == 0) {
		assert_true(strlen(line) > 0);
		lines++;
	}
	assert_int_equal(lines, ACTION_COUNT - 1);
	keys_help_line(ACTION_FILTER - 1, line, sizeof(line));
	assert_non_null(strstr(line, "/"));
	assert_non_null(strstr(line, "(log)"));
	keys_help_line(ACTION_UP - 1, line, sizeof(line));
	assert_non_null(strstr(line, "Up, k"));
	keys_help_line(ACTION_ENTER - 1, line, sizeof(line));
	assert_null(strstr(line, "Return"));
}

static void test_key_names(void **state)
{
	char buf[32];

	assert_string_equal(keys_name(KEY_BTAB, buf, sizeof(buf)), "Shift-Tab");
	assert_string_equal(keys_name('\t', buf, sizeof(buf)), "Tab");
	assert_string_equal(keys_name(12, buf, sizeof(buf)), "^L");
	assert_string_equal(keys_name(KEY_F(1), buf, sizeof(buf)), "F1");
	assert_string_equal(keys_name('q', buf, sizeof(buf)), "q");
	assert_string_equal(keys_name(KEY_PPAGE, buf, sizeof(buf)), "PgUp");
}

static void test_footer_fits_any_width(void **state)
{
	char full[512], buf[512];

	for (int p = 0; p < PANEL_COUNT; p++) {
		keys_footer(p, full, sizeof(full), 500);
		for (int w = 0; w <= 200; w++) {
			int n = keys_footer(p, buf, sizeof(buf), w);
			size_t len = strlen(buf);

			assert_int_equal(n, (int)len);
			assert_true(n <= w);
			/* whole items only: what fits is the start of the full line */
			assert_memory_equal(buf, full, len);
			if (len > 0) {
				assert_true(buf[len - 1] != ' ');
				assert_true(full[len] == '\0' || full[len] == ' ');
			}
			for (size_t i = 0; i < len; i++)
				assert_true((unsigned char)buf[i] >= 32 && (unsigned char)buf[i] < 127);
		}
	}
	/* a tiny buffer is never overrun */
	assert_int_equal(keys_footer(PANEL_LOG, buf, 4, 80), 0);
	assert_int_equal(keys_footer(PANEL_LOG, buf, 0, 80), 0);
}

static void test_footer_follows_the_focus(void **state)
{
	char buf[256];

	keys_footer(PANEL_STATUS, buf, sizeof(buf), 14);
	assert_string_equal(buf, "? help  q quit");
	keys_footer(PANEL_LOG, buf, sizeof(buf), 80);
	assert_non_null(strstr(buf, "/ filter"));
	assert_non_null(strstr(buf, "Enter details"));
	keys_footer(PANEL_STATUS, buf, sizeof(buf), 200);
	assert_null(strstr(buf, "filter"));
	assert_null(strstr(buf, "scroll"));
	assert_non_null(strstr(buf, "r probe"));
	assert_non_null(strstr(buf, "t theme"));
	keys_footer(PANEL_LATENCY, buf, sizeof(buf), 200);
	assert_non_null(strstr(buf, "h/l scroll"));
}

static void test_keys_overlay_footer(void **state)
{
	char buf[128];

	(void)state;
	keys_overlay_footer(buf, sizeof(buf), 100);
	assert_string_equal(buf, "Esc back  j/k scroll  PgUp/PgDn page  ? help  q quit");
	/* as many whole items as fit */
	keys_overlay_footer(buf, sizeof(buf), 20);
	assert_string_equal(buf, "Esc back  j/k scroll");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_lookup),
		cmocka_unit_test(test_keys_unambiguous),
		cmocka_unit_test(test_every_action_has_a_key_and_help),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_footer_fits_any_width),
		cmocka_unit_test(test_footer_follows_the_focus),
		cmocka_unit_test(test_keys_overlay_footer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
