/* utf8.h: UTF-8 encoding and well-formedness, in one place.
 *
 * Decoding stays with its readers, which want different things from broken
 * input (sanitize.c replaces and counts it, text.c measures on regardless);
 * what they share is here: writing a code point, and the length of a
 * well-formed sequence by Unicode's table (no overlong forms, no surrogates,
 * nothing above U+10FFFF). */
#ifndef ISITDOWN_UTF8_H
#define ISITDOWN_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_MAX 4

/* Writes cp to out (at most UTF8_MAX bytes, no NUL); returns the bytes
 * written, 0 for a surrogate or a value above U+10FFFF. */
size_t utf8_encode(uint32_t cp, char *out);

/* The length of the well-formed sequence at p within avail bytes (1 for
 * ASCII), or 0 when it is ill-formed or cut short. */
size_t utf8_seq_len(const unsigned char *p, size_t avail);

#endif
