/* Unit tests for core/utf8.c: encoding, and Unicode's table of well-formed
 * sequences (the one sanitize.c, theme.c and the prompt rely on). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static void test_encode(void **state)
{
	char b[UTF8_MAX];

	(void)state;
	assert_int_equal(utf8_encode('A', b), 1);
	assert_memory_equal(b, "A", 1);
	assert_int_equal(utf8_encode(0xe9, b), 2);
	assert_memory_equal(b, "\xc3\xa9", 2);
	assert_int_equal(utf8_encode(0x2714, b), 3);
	assert_memory_equal(b, "\xe2\x9c\x94", 3);
	assert_int_equal(utf8_encode(0x1f600, b), 4);
	assert_memory_equal(b, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(utf8_encode(0xd800, b), 0);   /* a surrogate */
	assert_int_equal(utf8_encode(0x110000, b), 0); /* past Unicode */
}

static void test_round_trip_every_plane(void **state)
{
	(void)state;
	for (uint32_t cp = 0; cp < 0x110000; cp += (cp < 0x1000 ? 1 : 97)) {
		char b[UTF8_MAX];
		size_t n = utf8_encode(cp, b);

		if (cp >= 0xd800 && cp <= 0xdfff) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(utf8_seq_len((const unsigned char *)b, n), n);
	}
}

static void test_ill_formed(void **state)
{
	static const struct {
		const char *s;
		size_t len, want;
	} cases[] = {
		{"\xc0\xaf", 2, 0},         /* overlong '/' */
		{"\xe0\x80\xaf", 3, 0},     /* overlong, three bytes */
		{"\xed\xa0\x80", 3, 0},     /* a surrogate */
		{"\xf4\x90\x80\x80", 4, 0}, /* above U+10FFFF */
		{"\xf5\x80\x80\x80", 4, 0},
		{"\x80", 1, 0},             /* a stray continuation */
		{"\xe2\x9c", 2, 0},         /* cut short */
		{"\xe2\x9c\x94", 3, 3},
		{"\xf0\x90\x80\x80", 4, 4},
		{"a", 1, 1},
		{"", 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(utf8_seq_len((const unsigned char *)cases[i].s, cases[i].len), cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_round_trip_every_plane),
		cmocka_unit_test(test_ill_formed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
