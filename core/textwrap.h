/* textwrap.h: plain text laid out in columns, for output without a screen
 * (--once): the width of UTF-8 text, a name cut at a word boundary with an
 * ellipsis, and paragraphs wrapped at spaces.
 *
 * Input is sanitized UTF-8 (no control characters); widths are wcwidth's
 * under the current locale, and 1 for what it does not know. Pure functions,
 * no state. */
#ifndef ISITDOWN_TEXTWRAP_H
#define ISITDOWN_TEXTWRAP_H

#include <stddef.h>

/* Display columns of the NUL-terminated s. */
int textwrap_width(const char *s);

/* Copies s into dst (len bytes, always NUL-terminated) in at most cols
 * columns. Text that does not fit is cut where a word ends, at a space when
 * one leaves at least a third of the room, else after '-', '_', '.', '/' or
 * ':', else at a character, and ends with ellipsis ("…" or "..."); text
 * longer than the buffer is cut the same way. With no room for the ellipsis
 * dst is "". Returns the columns written. */
int textwrap_fit(char *dst, size_t len, const char *s, int cols, const char *ellipsis);

/* The first line of s wrapped at cols columns: returns its length in bytes
 * from s (trailing spaces left out) and sets *next to the start of the rest
 * (spaces skipped; at the NUL when nothing is left). A word longer than a
 * line is cut at a character, at least one. An empty s gives 0 with *next at
 * its NUL. */
size_t textwrap_line(const char *s, int cols, const char **next);

#endif
