/* test_text.c: text measured in terminal columns and cut at a word
 * (text_fit), as every panel cuts what does not fit. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

/* What the screen would show in w columns: the kept bytes and the ellipsis. */
static const char *fit(const char *s, int w, bool utf8)
{
	static char out[512];
	bool cut;
	size_t n = text_fit(s, w, utf8, &cut);

	snprintf(out, sizeof(out), "%.*s%s", (int)n, s, cut ? text_ellipsis(utf8) : "");
	return out;
}

static void test_width(void **state)
{
	assert_int_equal(text_width("abc", true), 3);
	assert_int_equal(text_width("\u2714 pass", true), 6);
	assert_int_equal(text_width("\u2714 pass", false), 6); /* "+ pass" */
	assert_int_equal(text_width("\u2026", false), 3);       /* "..." */
	assert_int_equal(text_width("\u65e5\u672c", true), 4);  /* wide characters */
	assert_int_equal(text_width("a\tb\x1b", true), 2);     /* controls are dropped */
	assert_int_equal(text_width(NULL, true), 0);
}

static void test_fits_whole(void **state)
{
	bool cut;

	assert_string_equal(fit("Secure connection (TLS)", 23, true), "Secure connection (TLS)");
	assert_int_equal(text_fit("", 5, true, &cut), 0);
	assert_false(cut);
	assert_int_equal(text_fit("abc", 0, true, &cut), 0);
	assert_false(cut);
}

/* the cases seen cut mid-word at 120 columns */
static void test_cut_at_a_word(void **state)
{
	assert_string_equal(fit("Secure connection (TLS)", 21, true), "Secure connection\u2026");
	assert_string_equal(fit("localhost: service unavailable, HTTP 503", 20, true), "localhost: service\u2026");
	assert_string_equal(fit("chatgpt.com: name does not resolve", 22, true), "chatgpt.com: name\u2026");
	assert_string_equal(fit("min 0.20ms  p50 0.56ms  5 failed of 26, 17 s", 40, true),
			    "min 0.20ms  p50 0.56ms  5 failed of 26\u2026");
	/* every cut ends in a whole word of the text */
	for (int w = 1; w <= 60; w++) {
		const char *s = "api: confirming -> down (HTTP 503 server error) after 3 tries";
		const char *out = fit(s, w, true);
		size_t n = strlen(out);
		bool ell = n >= 3 && strcmp(out + n - 3, "\u2026") == 0;

		assert_true(text_width(out, true) <= w);
		if (ell) {
			size_t k = n - 3;

			/* what is kept is a prefix, and it ends where a word ends */
			assert_memory_equal(out, s, k);
			assert_true(s[k] == ' ' || s[k] == ',' || s[k] == ':' || s[k] == ')' || s[k] == '\0' || k == 0 ||
				    /* a first word wider than w: nothing else could be shown */
				    strchr(s, ' ') - s >= w);
		}
	}
}

static void test_no_dangling_punctuation(void **state)
{
	/* "->" and an opening bracket do not stand before the ellipsis */
	assert_string_equal(fit("api: confirming -> down (HTTP 503 server error)", 20, true),
			    "api: confirming\u2026");
	assert_string_equal(fit("api: confirming -> down (HTTP 503 server error)", 25, true),
			    "api: confirming -> down\u2026");
	assert_string_equal(fit("5 failed of 26, 17 s", 17, true), "5 failed of 26\u2026");
	assert_string_equal(fit("one: two three", 11, true), "one: two\u2026");
	assert_string_equal(fit("one: two three", 8, true), "one\u2026");
}

static void test_first_word_too_wide(void **state)
{
	/* nothing else would fit: the word itself is cut, with the ellipsis */
	assert_string_equal(fit("https://status.example.com/api/v2/summary.json", 12, true), "https://sta\u2026");
	assert_string_equal(fit("abcdef", 1, true), "\u2026");
}

static void test_long_run_is_cut_inside(void **state)
{
	const char *s = "incident already open: INC-A-0123456789abcdef-INC-Z (impact minor)";

	/* a run of 24 columns or more is no word: its start is shown rather than
	 * an empty room */
	assert_string_equal(fit(s, 34, true), "incident already open: INC-A-0123\u2026");
	/* too little of it would fit: cut before it */
	assert_string_equal(fit(s, 26, true), "incident already open\u2026");
	/* an ordinary word is never cut inside */
	assert_string_equal(fit("the status page has not caught up", 20, true), "the status page has\u2026");
}

static void test_ascii(void **state)
{
	assert_string_equal(fit("Secure connection (TLS)", 21, false), "Secure connection...");
	/* too narrow for "...": the first characters, no ellipsis */
	assert_string_equal(fit("abcdef", 2, false), "ab");
	/* a character drawn as "->" takes two columns */
	assert_string_equal(fit("up \u2192 down now", 9, false), "up \u2192...");
}

static void test_wide_characters(void **state)
{
	/* a wide character never straddles the cut */
	assert_string_equal(fit("\u65e5\u672c \u65e5\u672c\u8a9e", 6, true), "\u65e5\u672c\u2026");
	assert_true(text_width(fit("\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e", 4, true), true) <= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fits_whole),
		cmocka_unit_test(test_cut_at_a_word),
		cmocka_unit_test(test_no_dangling_punctuation),
		cmocka_unit_test(test_first_word_too_wide),
		cmocka_unit_test(test_long_run_is_cut_inside),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_wide_characters),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
