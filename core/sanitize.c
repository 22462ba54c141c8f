/* sanitize.c: stripping control and escape sequences from network text.
 *
 * Stateless; sanitize_dup returns a new string the caller frees, sanitize_into
 * writes into the caller's buffer. The input is read as UTF-8; anything that is not valid UTF-8, every
 * C0/C1 control except the newline when asked for, every ESC sequence with its
 * parameters and strings (so "\033]0;title\a" leaves nothing), and the bidi
 * embedding / override / isolate characters are dropped. */
#include "sanitize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 character; returns its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	uint32_t c;
	size_t n;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		c = p[0] & 0x1f;
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		c = p[0] & 0x0f;
		n = 3;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		c = p[0] & 0x07;
		n = 4;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static bool is_bidi_control(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* Skips the body of a control string (OSC, DCS, SOS, PM, APC) up to and
 * including its terminator: BEL, ESC \ or the C1 ST. */
static const unsigned char *skip_string(const unsigned char *p)
{
	while (*p) {
		if (*p == 0x07)
			return p + 1;
		if (p[0] == 0x1b && p[1] == '\\')
			return p + 2;
		if (p[0] == 0xc2 && p[1] == 0x9c)
			return p + 2;
		p++;
	}
	return p;
}

/* Skips CSI parameters, intermediates and the final byte. */
static const unsigned char *skip_csi(const unsigned char *p)
{
	while (*p >= 0x30 && *p <= 0x3f)
		p++;
	while (*p >= 0x20 && *p <= 0x2f)
		p++;
	if (*p >= 0x40 && *p <= 0x7e)
		p++;
	return p;
}

/* p points just past ESC. */
static const unsigned char *skip_escape(const unsigned char *p)
{
	switch (*p) {
	case '[':
		return skip_csi(p + 1);
	case ']': case 'P': case 'X': case '^': case '_':
		return skip_string(p + 1);
	default:
		while (*p >= 0x20 && *p <= 0x2f)
			p++;
		if (*p >= 0x30 && *p <= 0x7e)
			p++;
		return p;
	}
}

char *sanitize_dup(const char *s, size_t maxlen, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	bool keep_nl = flags & SANITIZE_KEEP_NEWLINES;
	size_t cap, n = 0;
	char *out;

	if (!s)
		return NULL;
	cap = strlen(s);
	if (cap > maxlen)
		cap = maxlen;
	out = malloc(cap + 1);
	if (!out)
		return NULL;
	while (*p) {
		const char *emit = NULL;
		size_t len = 0;
		uint32_t cp;

		if (*p == 0x1b) {
			p = skip_escape(p + 1);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			if (*p == '\r' && p[1] == '\n') {
				p++;
				continue;
			}
			if (*p == '\n' || *p == '\r')
				emit = keep_nl ? "\n" : " ";
			else if (*p == '\t')
				emit = " ";
			p++;
			if (emit)
				len = 1;
		} else {
			size_t k = utf8_decode(p, &cp);
			if (k == 0) {
				p++;
				continue;
			}
			if (cp == 0x9b) {
				p = skip_csi(p + k);
				continue;
			}
			if (cp == 0x90 || cp == 0x98 || cp == 0x9d || cp == 0x9e || cp == 0x9f) {
				p = skip_string(p + k);
				continue;
			}
			if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)) {
				p += k;
				continue;
			}
			emit = (const char *)p;
			len = k;
			p += k;
		}
		if (!emit)
			continue;
		if (n + len > cap)
			break;
		memcpy(out + n, emit, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}

size_t sanitize_into(char *dst, size_t dstlen, const char *s, size_t slen, unsigned flags)
{
	char *tmp, *clean;
	size_t n;

	if (!dst || dstlen == 0)
		return 0;
	tmp = s ? strndup(s, slen) : NULL;
	clean = tmp ? sanitize_dup(tmp, dstlen - 1, flags) : NULL;
	n = clean ? strlen(clean) : 0;
	memcpy(dst, clean ? clean : "", n + 1);
	free(clean);
	free(tmp);
	return n;
}
