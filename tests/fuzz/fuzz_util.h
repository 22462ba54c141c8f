/* fuzz_util.h: what every fuzz target checks besides "no crash".
 *
 * The parsers promise more than memory safety: text that came from outside
 * and is kept or shown holds no control characters, no escape sequences and
 * only valid UTF-8. A broken promise aborts, so libFuzzer reports it as a
 * crash and saves the input. Header-only: each target is one program. */
#ifndef ISITDOWN_FUZZ_UTIL_H
#define ISITDOWN_FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                            \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__,  \
				__LINE__, #cond);                                    \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* Multi-part inputs (two polls of a status page, two event files) are split
 * on this line. JSON cannot hold it (a string holds no raw newline, and "--"
 * is no JSON token), so a captured payload is a valid one-part seed. */
#define FUZZ_SEPARATOR "\n--\n"

struct fuzz_part {
	const char *data;
	size_t len;
};

/* Splits data into at most max parts; returns how many there are (at least 1). */
static inline size_t fuzz_split(const uint8_t *data, size_t len, struct fuzz_part *parts,
				size_t max)
{
	const char *p = (const char *)data, *end = p + len;
	const size_t seplen = sizeof(FUZZ_SEPARATOR) - 1;
	size_t n = 0;

	while (n + 1 < max) {
		const char *sep = memmem(p, (size_t)(end - p), FUZZ_SEPARATOR, seplen);

		if (!sep)
			break;
		parts[n].data = p;
		parts[n].len = (size_t)(sep - p);
		n++;
		p = sep + seplen;
	}
	parts[n].data = p;
	parts[n].len = (size_t)(end - p);
	return n + 1;
}

/* A NUL-terminated copy, for the APIs that take C strings. */
static inline char *fuzz_strndup(const void *data, size_t len)
{
	char *s = malloc(len + 1);

	FUZZ_ASSERT(s != NULL);
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* True when s is valid UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF) without C0 controls (except '\n' when newline_ok), DEL or
 * C1 controls: what a terminal can show without being driven by it. Unless
 * bidi_ok, also without the bidi marks, embeddings, overrides and isolates
 * that sanitize_dup removes from network text (they cannot drive a terminal,
 * but can make text read in another order than it is). */
static inline bool fuzz_text_is_clean(const char *s, bool newline_ok, bool bidi_ok)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t c;
		size_t n;

		if (*p < 0x80) {
			if ((*p < 0x20 && !(newline_ok && *p == '\n')) || *p == 0x7f)
				return false;
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf) {
			c = *p & 0x1f;
			n = 2;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			c = *p & 0x0f;
			n = 3;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			c = *p & 0x07;
			n = 4;
		} else {
			return false;
		}
		for (size_t i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c <= 0xdfff))
			return false;
		if (c >= 0x80 && c <= 0x9f)
			return false;
		if (!bidi_ok && (c == 0x061c || c == 0x200e || c == 0x200f ||
				 (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)))
			return false;
		p += n;
	}
	return true;
}

/* Shows a string that broke a promise, bytes outside printable ASCII as \xNN. */
static inline void fuzz_show(const char *what, const char *s)
{
	fprintf(stderr, "%s: \"", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputs("\"\n", stderr);
}

/* A string the API promises is never NULL and is clean. */
#define FUZZ_CLEAN(s, newline_ok)                                                    \
	do {                                                                         \
		FUZZ_ASSERT((s) != NULL);                                            \
		if (!fuzz_text_is_clean((s), (newline_ok), false))                   \
			fuzz_show(#s, (s));                                          \
		FUZZ_ASSERT(fuzz_text_is_clean((s), (newline_ok), false));           \
	} while (0)

/* Text from a local file shown to people (a theme's description, a quoted
 * key in a message): one line that cannot drive the terminal. */
#define FUZZ_PRINTABLE(s)                                                            \
	do {                                                                         \
		if (!fuzz_text_is_clean((s), false, true))                           \
			fuzz_show(#s, (s));                                          \
		FUZZ_ASSERT(fuzz_text_is_clean((s), false, true));                   \
	} while (0)

/* A message for people about a bad file or body. */
#define FUZZ_MESSAGE(s)                                                              \
	do {                                                                         \
		FUZZ_ASSERT((s)[0] != '\0');                                         \
		FUZZ_PRINTABLE(s);                                                   \
	} while (0)

#endif
