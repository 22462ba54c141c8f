/* sanitize.h: untrusted network text made safe for a terminal and a log.
 *
 * What comes out is valid UTF-8 with no C0 or C1 control character (except '\n'
 * when SANITIZE_KEEP_NEWLINES is given), no escape sequence, no bidirectional
 * override or isolate and no invisible format character, cut to a byte limit
 * on a character boundary. The rules, in order of precedence:
 *
 * - Whole escape sequences are removed: CSI (ESC [ ... final byte), OSC
 *   (ESC ] ... BEL or ST), DCS / SOS / PM / APC (ESC P|X|^|_ ... ST or BEL), the
 *   other two- and three-byte escapes (ESC 7, ESC ( B, ...), and the 8-bit forms
 *   introduced by C1 controls (0x9b CSI, 0x9d OSC, 0x90 DCS, 0x98, 0x9e, 0x9f),
 *   whether those come as a raw byte or UTF-8 encoded (U+009B). A sequence cut
 *   off by the end of the input is removed as far as it goes; a byte that cannot
 *   belong to a CSI ends it and is then treated as text.
 * - Line breaks (LF, CR, CR LF, VT, FF, NEL, U+2028, U+2029) become one '\n' with
 *   SANITIZE_KEEP_NEWLINES and one space without it; a tab becomes a space.
 *   Every other C0 / C1 control and DEL is dropped.
 * - Invalid UTF-8 (overlong forms, surrogates, code points above U+10FFFF,
 *   truncated sequences, stray bytes) becomes U+FFFD, one per maximal invalid
 *   subpart as Unicode recommends, so that a reader sees something was there.
 *   The exception is a stray byte 0x80..0x9f after valid text: it is taken
 *   as an 8-bit C1 control (dropped, or the start of a sequence that is
 *   removed); after broken UTF-8 it is part of the breakage and becomes
 *   U+FFFD. Unicode noncharacters (U+FFFE, U+FDD0, ...) also become U+FFFD.
 * - Invisible characters that can spoof or smuggle text are dropped: bidi
 *   marks, embeddings, overrides and isolates (U+200E, U+200F, U+061C,
 *   U+202A..U+202E, U+2066..U+2069), zero-width space and joiner (U+200B,
 *   U+200D), word joiner and invisible operators (U+2060..U+206F), soft hyphen,
 *   BOM / ZWNBSP, Hangul fillers, tag characters (U+E0000..U+E007F) and the
 *   variation selector supplement (U+E0100..U+E01EF). ZWNJ (U+200C) and the
 *   variation selectors U+FE00..U+FE0F stay: scripts and emoji need them.
 * - The result is cut to the byte limit on a character boundary; when
 *   something had to be left out, it ends with "…" (3 bytes), which counts
 *   within the limit. A limit below 3 bytes cuts without the ellipsis.
 *
 * Both functions take linear time and read the input once. */
#ifndef ISITDOWN_SANITIZE_H
#define ISITDOWN_SANITIZE_H

#include <stddef.h>

#define SANITIZE_KEEP_NEWLINES 1u

/* Pass as slen to sanitize_into for a NUL-terminated s. */
#define SANITIZE_NUL_TERMINATED ((size_t)-1)

/* A malloc'd sanitized copy of the NUL-terminated s, at most maxlen bytes
 * before the terminating NUL (maxlen 0: no limit). NULL s gives "".
 * Returns NULL only when out of memory. */
char *sanitize_dup(const char *s, size_t maxlen, unsigned flags);

/* Sanitizes slen bytes of s (NUL bytes in them are dropped like any control)
 * into dst, which always ends NUL-terminated when dstlen > 0; the text is cut
 * to dstlen - 1 bytes. NULL s gives "". Returns the length written, without
 * the NUL. */
size_t sanitize_into(char *dst, size_t dstlen, const char *s, size_t slen, unsigned flags);

/* snprintf that never leaves half a UTF-8 character where it cuts. */
void sanitize_snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
