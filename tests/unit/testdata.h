/* testdata.h: the captured data files the unit tests read (tests/data), as
 * bytes in a buffer of exactly their size, with no NUL after them, so that a
 * parser reading past len shows up under valgrind. For cmocka tests: a file
 * that cannot be read fails the test. Header-only: each test is one program. */
#ifndef ISITDOWN_TESTDATA_H
#define ISITDOWN_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file at dir/name; *len is its size. The caller frees it. */
static inline char *testdata_load(const char *dir, const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
