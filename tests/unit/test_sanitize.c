/* test_sanitize.c: hostile network text must come out inert and readable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sanitize.h"

#define FFFD "\xef\xbf\xbd"

static void expect_clean(const char *in, unsigned flags, const char *want)
{
	char *got = sanitize_dup(in, 0, flags);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* An independent check of what a terminal could act on: every byte sequence
 * is well-formed UTF-8, no C0 (but '\n' when allowed), DEL or C1, no bidi
 * control, no invisible formatting character. */
static int check_inert(const unsigned char *s, size_t n, int allow_nl)
{
	size_t i = 0;

	while (i < n) {
		unsigned char b = s[i];
		uint32_t cp;
		size_t len;

		if (b < 0x80) {
			cp = b;
			len = 1;
		} else if (b >= 0xc2 && b <= 0xdf) {
			cp = b & 0x1f;
			len = 2;
		} else if (b >= 0xe0 && b <= 0xef) {
			cp = b & 0x0f;
			len = 3;
		} else if (b >= 0xf0 && b <= 0xf4) {
			cp = b & 0x07;
			len = 4;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0; /* overlong */
		if (cp >= 0xd800 && cp <= 0xdfff)
			return 0;
		if (cp < 0x20 && !(allow_nl && cp == '\n'))
			return 0;
		if (cp >= 0x7f && cp <= 0x9f)
			return 0;
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
				cp == 0x200e || cp == 0x200f || cp == 0x061c || cp == 0x200b ||
				cp == 0xfeff || (cp >= 0xe0000 && cp <= 0xe007f))
			return 0;
		i += len;
	}
	return 1;
}

static void test_null_and_plain(void **state)
{
	char *s = sanitize_dup(NULL, 10, 0);
	char buf[8];

	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(sanitize_into(buf, sizeof buf, NULL, 5, 0), 0);
	assert_string_equal(buf, "");
	expect_clean("Elevated error rates on ChatGPT", 0, "Elevated error rates on ChatGPT");
	expect_clean("Zürich — 東京 😀 ok", 0, "Zürich — 東京 😀 ok");
	expect_clean("", 0, "");
}

static void test_csi_cursor_and_colour(void **state)
{
	expect_clean("a\x1b[2J\x1b[H\x1b[31mred\x1b[0m b", 0, "ared b");
	expect_clean("\x1b[10;20Hmoved\x1b[?25l\x1b[6n", 0, "moved");
	expect_clean("x\x1b[38;2;255;0;0my", 0, "xy");
	/* CAN cancels a sequence; the bytes after it are text again */
	expect_clean("\x1b[31\x18x", 0, "x");
	/* a byte that cannot be in a CSI ends it and is kept */
	expect_clean("\x1b[31\xc3\xa9t\xc3\xa9", 0, "été");
}

static void test_eight_bit_csi(void **state)
{
	expect_clean("x\x9b" "31my", 0, "xy");           /* raw 0x9b */
	expect_clean("x\xc2\x9b" "2Jy", 0, "xy");        /* U+009B, UTF-8 encoded */
	expect_clean("a\x9d" "0;title\x9c" "b", 0, "ab"); /* 8-bit OSC and ST */
}

static void test_osc_title_and_hyperlink(void **state)
{
	expect_clean("\x1b]0;pwned\x07ok", 0, "ok");
	expect_clean("\x1b]2;rm -rf ~\x1b\\ok", 0, "ok");
	expect_clean("see \x1b]8;;http://evil.example/\x1b\\this link\x1b]8;;\x1b\\ now", 0,
		"see this link now");
	/* an ESC that is not ST ends the string and starts a new escape */
	expect_clean("\x1b]0;t\x1b[31mX", 0, "X");
	/* OSC 52 would write the clipboard */
	expect_clean("\x1b]52;c;ZWNobyBoaQ==\x07" "done", 0, "done");
}

static void test_dcs_sos_pm_apc(void **state)
{
	expect_clean("\x1bP1$r0m\x1b\\after", 0, "after");
	expect_clean("\x90qpayload\x9c" "after", 0, "after");
	expect_clean("\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\x", 0, "x");
	expect_clean("\xc2\x90" "dcs\xc2\x9c" "y", 0, "y");
}

static void test_other_escapes(void **state)
{
	expect_clean("\x1b(Bx\x1b" "7y\x1b" "cz\x1b#8", 0, "xyz");
	expect_clean("a\x1b\x1b[1mb", 0, "ab");
	/* ESC before a line break: the ESC goes, the break stays */
	expect_clean("a\x1b\nb", SANITIZE_KEEP_NEWLINES, "a\nb");
}

static void test_truncated_sequences(void **state)
{
	expect_clean("abc\x1b", 0, "abc");
	expect_clean("abc\x1b[", 0, "abc");
	expect_clean("abc\x1b[12;3", 0, "abc");
	expect_clean("abc\x1b]0;title never ends", 0, "abc");
	expect_clean("abc\x1b]0;t\x1b", 0, "abc");
	expect_clean("abc\x1bP", 0, "abc");
	expect_clean("abc\x9b", 0, "abc");
	expect_clean("abc\xe2\x82", 0, "abc" FFFD);
	expect_clean("abc\xf0\x9f\x98", 0, "abc" FFFD);
}

static void test_controls_and_newlines(void **state)
{
	char buf[32];
	static const char with_nul[] = { 'a', 0, 'b', 0x07, 'c' };

	expect_clean("a\bb\x07" "c\x7f" "d\x01\x1f" "e", 0, "abcde");
	expect_clean("col1\tcol2", 0, "col1 col2");
	expect_clean("line1\r\nline2\nline3\rline4", SANITIZE_KEEP_NEWLINES,
		"line1\nline2\nline3\nline4");
	expect_clean("line1\r\nline2\nline3", 0, "line1 line2 line3");
	expect_clean("a\xc2\x85" "b\xe2\x80\xa8" "c", SANITIZE_KEEP_NEWLINES, "a\nb\nc");
	expect_clean("a\xc2\x80\xc2\x8f" "b", 0, "ab"); /* encoded C1 */
	expect_clean("a\xc2\x9f" "apc\x07" "b", 0, "ab"); /* encoded APC */
	assert_int_equal(sanitize_into(buf, sizeof buf, with_nul, sizeof with_nul, 0), 3);
	assert_string_equal(buf, "abc");
}

static void test_invalid_utf8(void **state)
{
	char *s;

	/* overlong '/' and NUL: never decoded to what they pretend to be */
	expect_clean("a\xc0\xaf" "b", 0, "a" FFFD FFFD "b");
	expect_clean("a\xc0\x80" "b", 0, "a" FFFD FFFD "b");
	expect_clean("\xe0\x80\xaf", 0, FFFD FFFD FFFD);
	expect_clean("\xf0\x80\x80\xaf", 0, FFFD FFFD FFFD FFFD);
	/* overlong ESC leaves no ESC */
	s = sanitize_dup("\xc0\x9b[31mx", 0, 0);
	assert_true(check_inert((const unsigned char *)s, strlen(s), 0));
	assert_null(strchr(s, 0x1b));
	free(s);
	/* surrogates, and the last code point before them stays */
	expect_clean("\xed\xa0\x80", 0, FFFD FFFD FFFD);
	expect_clean("\xed\xbf\xbf", 0, FFFD FFFD FFFD);
	expect_clean("\xed\x9f\xbf", 0, "\xed\x9f\xbf");
	/* above U+10FFFF, bytes never valid */
	expect_clean("\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD);
	expect_clean("\xf5\xff\xfe", 0, FFFD FFFD FFFD);
	/* a bad byte does not eat the good character after it */
	expect_clean("\xe2\x82" "A\xc3" "\xa9", 0, FFFD "A\xc3\xa9");
	/* noncharacters */
	expect_clean("\xef\xbf\xbe\xef\xb7\x90", 0, FFFD FFFD);
	/* the largest valid code point is kept */
	expect_clean("\xf4\x8f\xbf\xbd", 0, "\xf4\x8f\xbf\xbd");
}

static void test_bidi_and_invisible(void **state)
{
	/* "txt.exe" shown as "exe.txt" by a right-to-left override */
	expect_clean("invoice\xe2\x80\xae" "fdp.exe", 0, "invoicefdp.exe");
	expect_clean("\xe2\x80\xaa" "a\xe2\x80\xab" "b\xe2\x80\xac" "c\xe2\x80\xad" "d", 0, "abcd");
	expect_clean("\xe2\x81\xa6" "a\xe2\x81\xa7" "b\xe2\x81\xa8" "c\xe2\x81\xa9", 0, "abc");
	expect_clean("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c\xd8\x9c" "d", 0, "abcd");
	expect_clean("op\xe2\x80\x8b" "en\xef\xbb\xbf" "ai\xc2\xad", 0, "openai");
	/* ASCII smuggled in tag characters */
	expect_clean("ok\xf3\xa0\x80\x81\xf3\xa0\x81\xa8\xf3\xa0\x81\xa9", 0, "ok");
	/* ZWNJ is part of Persian spelling and stays */
	expect_clean("\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85", 0,
		"\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85");
}

static void test_cut_at_limit(void **state)
{
	char *s;
	char buf[8];

	s = sanitize_dup("hello world", 8, 0);
	assert_string_equal(s, "hello\xe2\x80\xa6");
	free(s);
	s = sanitize_dup("hello", 5, 0);
	assert_string_equal(s, "hello"); /* fits exactly: no ellipsis */
	free(s);
	s = sanitize_dup("hello!x", 6, 0);
	assert_string_equal(s, "hel\xe2\x80\xa6");
	free(s);
	/* cut mid-character: the character goes whole */
	s = sanitize_dup("ab東京", 7, 0);
	assert_string_equal(s, "ab\xe2\x80\xa6");
	free(s);
	s = sanitize_dup("ab東京", 8, 0);
	assert_string_equal(s, "ab東京");
	free(s);
	s = sanitize_dup("hello", 2, 0);
	assert_string_equal(s, "he");
	free(s);
	/* what was removed does not count: nothing is left out here */
	s = sanitize_dup("abc\x1b[31m\x1b[0m", 3, 0);
	assert_string_equal(s, "abc");
	free(s);
	assert_int_equal(sanitize_into(buf, sizeof buf, "0123456789", SANITIZE_NUL_TERMINATED, 0), 7);
	assert_string_equal(buf, "0123\xe2\x80\xa6");
	assert_int_equal(sanitize_into(buf, 1, "abc", 3, 0), 0);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(sanitize_into(buf, 0, "abc", 3, 0), 0);
	assert_int_equal(buf[0], 'x');
}

static void test_cut_every_length(void **state)
{
	const char *in = "a😀b\xe2\x80\xae" "é東\x1b[1m京\xffz";
	char *full = sanitize_dup(in, 0, 0);
	size_t full_len = strlen(full);

	for (size_t max = 1; max <= full_len + 2; max++) {
		char *s = sanitize_dup(in, max, 0);
		size_t len = strlen(s);

		assert_true(len <= max);
		assert_true(check_inert((const unsigned char *)s, len, 0));
		if (max >= full_len) {
			assert_string_equal(s, full);
		} else if (max >= 3) {
			/* a prefix of the full text, then the ellipsis */
			assert_true(len >= 3);
			assert_memory_equal(s + len - 3, "\xe2\x80\xa6", 3);
			assert_memory_equal(s, full, len - 3);
		} else {
			assert_memory_equal(s, full, len);
		}
		free(s);
	}
	free(full);
}

/* Random bytes drawn mostly from what makes trouble. */
static void test_random_hostile_input(void **state)
{
	static const unsigned char alphabet[] = {
		0x1b, '[', ']', 'P', '\\', 0x07, 0x9b, 0x9c, 0x9d, 0x90, 0xc2, 0xe2, 0x80,
		0xae, 0xa6, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0xbf, 0xc0, 0xff, '\n', '\r',
		'\t', 0x00, 0x18, ';', '0', '1', 'm', 'a', 0x85, 0xe0, 0xf3, 0xa0, 0x81,
	};
	unsigned seed = 12345;
	unsigned char in[200];
	char out[64];

	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 200);
		unsigned flags = round & 1 ? SANITIZE_KEEP_NEWLINES : 0;
		size_t len;
		char *dup;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (seed >> 16) % 4 == 0 ? (unsigned char)(seed >> 8)
				: alphabet[(seed >> 16) % sizeof alphabet];
		}
		len = sanitize_into(out, sizeof out, (const char *)in, n, flags);
		assert_true(len < sizeof out);
		assert_int_equal(strlen(out), len);
		assert_true(check_inert((const unsigned char *)out, len, (int)flags));
		in[n] = 0;
		dup = sanitize_dup((const char *)in, 0, flags);
		assert_true(check_inert((const unsigned char *)dup, strlen(dup), (int)flags));
		free(dup);
	}
}

/* A 100 KB body of incident text laced with sequences, as a status page could
 * serve: all text survives, nothing active does. */
static void test_large_body(void **state)
{
	static const char unit[] = "Investigating \x1b[1mhigh\x1b[0m error rates "
		"\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\ \xe2\x80\xae\xc3\xa9\xff\r\n";
	static const char want_unit[] = "Investigating high error rates link \xc3\xa9" FFFD "\n";
	size_t reps = 100 * 1024 / (sizeof unit - 1) + 1;
	char *in = malloc(reps * (sizeof unit - 1) + 1);
	char *out;
	size_t wl = sizeof want_unit - 1;

	assert_non_null(in);
	for (size_t i = 0; i < reps; i++)
		memcpy(in + i * (sizeof unit - 1), unit, sizeof unit - 1);
	in[reps * (sizeof unit - 1)] = '\0';
	out = sanitize_dup(in, 0, SANITIZE_KEEP_NEWLINES);
	assert_non_null(out);
	assert_int_equal(strlen(out), reps * wl);
	for (size_t i = 0; i < reps; i++)
		assert_memory_equal(out + i * wl, want_unit, wl);
	assert_true(check_inert((const unsigned char *)out, strlen(out), 1));
	free(out);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_and_plain),
		cmocka_unit_test(test_csi_cursor_and_colour),
		cmocka_unit_test(test_eight_bit_csi),
		cmocka_unit_test(test_osc_title_and_hyperlink),
		cmocka_unit_test(test_dcs_sos_pm_apc),
		cmocka_unit_test(test_other_escapes),
		cmocka_unit_test(test_truncated_sequences),
		cmocka_unit_test(test_controls_and_newlines),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_bidi_and_invisible),
		cmocka_unit_test(test_cut_at_limit),
		cmocka_unit_test(test_cut_every_length),
		cmocka_unit_test(test_random_hostile_input),
		cmocka_unit_test(test_large_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
