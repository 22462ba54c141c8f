/* sanitize.h: making text from the network safe to show and to log.
 *
 * Status pages, headers and curl's error texts all pass through here before
 * they are stored, shown or logged: a page must not be able to drive the
 * terminal it is read on. */
#ifndef ISITDOWN_SANITIZE_H
#define ISITDOWN_SANITIZE_H

#include <stddef.h>

#define SANITIZE_KEEP_NEWLINES 1u

/* Returns a malloc'd copy of s without control characters, terminal escape
 * sequences (CSI, OSC, DCS and the like), invalid UTF-8 or bidi overrides, at
 * most maxlen bytes long (cut on a character boundary). With
 * SANITIZE_KEEP_NEWLINES, "\n" (and "\r\n") survive as "\n"; otherwise they
 * become spaces. Tabs become spaces. NULL only when s is NULL or memory ran out. */
char *sanitize_dup(const char *s, size_t maxlen, unsigned flags);
/* The same into a buffer of dstlen bytes (always NUL-terminated), from slen
 * bytes of s. Returns the length written. */
size_t sanitize_into(char *dst, size_t dstlen, const char *s, size_t slen, unsigned flags);

#endif
