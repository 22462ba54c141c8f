/* test_textwrap.c: names cut where a word ends, paragraphs wrapped at spaces,
 * as --once prints them in 80 columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "textwrap.h"

#define ELL "\xe2\x80\xa6"

static void fit(const char *s, int cols, const char *want)
{
	char buf[256];
	int w = textwrap_fit(buf, sizeof(buf), s, cols, ELL);

	if (strcmp(buf, want) != 0)
		fail_msg("fit(\"%s\", %d): got \"%s\", want \"%s\"", s, cols, buf, want);
	assert_int_equal(w, textwrap_width(buf));
	assert_true(w <= cols);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(textwrap_width(""), 0);
	assert_int_equal(textwrap_width("abc"), 3);
	assert_int_equal(textwrap_width("a" ELL "b"), 3);
	assert_int_equal(textwrap_width("caf\xc3\xa9"), 4);
	assert_int_equal(textwrap_width("\xff" "a"), 2); /* a stray byte is one column */
}

static void test_fit(void **state)
{
	(void)state;
	/* what fits is left alone */
	fit("Claude API", 24, "Claude API");
	fit("exactly ten", 11, "exactly ten");
	/* the anthropic preset's own name: cut between words, never inside one */
	fit("Claude API (api.anthropic.com)", 24, "Claude API" ELL);
	fit("ChatGPT Enterprise EU tenant (Frankfurt region)", 40, "ChatGPT Enterprise EU tenant (Frankfurt" ELL);
	/* no space early enough: after a separator */
	fit("web-with-a-rather-long-target-name-indeed", 24, "web-with-a-rather-long" ELL);
	fit("ab verylong-word-that-goes-on", 16, "ab verylong" ELL);
	/* one long word: at a character, as a last resort */
	fit("supercalifragilisticexpialidocious", 10, "supercali" ELL);
	/* UTF-8 is never split */
	fit("caf\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 6, "caf\xc3\xa9\xc3\xa9" ELL);
	/* an ASCII ellipsis where the locale has no UTF-8 */
	{
		char buf[64];

		textwrap_fit(buf, sizeof(buf), "Claude API (api.anthropic.com)", 16, "...");
		assert_string_equal(buf, "Claude API...");
	}
	/* no room for the ellipsis itself: nothing rather than too much */
	{
		char buf[2];

		assert_int_equal(textwrap_fit(buf, sizeof(buf), "abcdef", 40, ELL), 0);
		assert_string_equal(buf, "");
	}
	fit("abcdef", 0, "");
	/* the buffer is a limit too */
	{
		char buf[8];

		textwrap_fit(buf, sizeof(buf), "abcdefghijklmnop", 40, ELL);
		assert_true(strlen(buf) < sizeof(buf));
	}
}

static void wrap(const char *s, int cols, const char *const *want, size_t n)
{
	const char *p = s, *next;
	size_t i = 0;

	while (*p) {
		size_t len = textwrap_line(p, cols, &next);

		if (i >= n)
			fail_msg("wrap(\"%s\", %d): more than %zu lines", s, cols, n);
		if (strlen(want[i]) != len || strncmp(p, want[i], len) != 0)
			fail_msg("wrap(\"%s\", %d) line %zu: got \"%.*s\", want \"%s\"", s, cols, i, (int)len, p,
				 want[i]);
		assert_true(next > p);
		p = next;
		i++;
	}
	assert_int_equal(i, n);
}

static void test_line(void **state)
{
	const char *next;

	(void)state;
	{
		const char *want[] = {"other sites answer and", "localhost accepts the", "connection"};

		wrap("other sites answer and localhost accepts the connection", 22, want, 3);
	}
	{
		const char *want[] = {"fits"};

		wrap("fits", 80, want, 1);
	}
	{
		/* a word longer than the line is cut at a character */
		const char *want[] = {"see", "https://ex", "ample.com/", "a/b"};

		wrap("see https://example.com/a/b", 10, want, 4);
	}
	{
		/* spaces at a break are dropped, not carried to the next line */
		const char *want[] = {"one", "two"};

		wrap("one     two", 4, want, 2);
	}
	assert_int_equal(textwrap_line("", 10, &next), 0);
	assert_int_equal(*next, '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_line),
	};

	/* widths as a UTF-8 terminal sees them */
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
