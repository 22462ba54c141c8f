/* sanitize.c: a one-pass filter from untrusted bytes to printable UTF-8.
 *
 * The input is decoded into code points (invalid UTF-8 as U+FFFD, a stray byte
 * 0x80..0x9f after valid text as the C1 control it would be on an 8-bit
 * terminal) and fed to a small state machine modelled on a terminal's own
 * parser (ECMA-48 / the vt100 parser that xterm and VTE follow), so that
 * whatever a terminal would swallow as a sequence is swallowed here too
 * instead of leaking its parameters as text. Safety does not depend on the parser being exact: no
 * control character is ever written out, so no sequence can reach a terminal.
 *
 * Output goes to a caller-sized buffer through struct out, which remembers the
 * last character boundary where an ellipsis still fits, so cutting needs no
 * second pass. Nothing here keeps state between calls. */
#include "sanitize.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT 0xfffdu
#define ELLIPSIS "\xe2\x80\xa6"
#define ELLIPSIS_LEN 3

struct out {
	char *buf;     /* room for limit bytes and a NUL */
	size_t len;
	size_t limit;
	size_t mark;   /* last boundary with room for the ellipsis after it */
	bool full;     /* cut: everything further is dropped */
};

enum state {
	ST_TEXT,
	ST_ESC,        /* after ESC */
	ST_ESC_INTER,  /* ESC and intermediate bytes, waiting for the final byte */
	ST_CSI,        /* parameters and intermediates, waiting for the final byte */
	ST_STRING,     /* OSC, DCS, SOS, PM, APC: up to ST or BEL */
	ST_STRING_ESC, /* ESC inside a string: ST if '\\' follows */
};

static void out_put(struct out *o, const char *p, size_t n)
{
	if (o->full)
		return;
	if (n > o->limit - o->len) {
		if (o->limit >= ELLIPSIS_LEN) {
			o->len = o->mark;
			memcpy(o->buf + o->len, ELLIPSIS, ELLIPSIS_LEN);
			o->len += ELLIPSIS_LEN;
		}
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	if (o->limit - o->len >= ELLIPSIS_LEN)
		o->mark = o->len;
}

static void out_put_cp(struct out *o, uint32_t cp)
{
	char b[UTF8_MAX];

	out_put(o, b, utf8_encode(cp, b));
}

/* One code point from s[*i]. Follows Unicode's table of well-formed sequences
 * (no overlongs, no surrogates, nothing above U+10FFFF); an ill-formed one
 * yields U+FFFD for its maximal valid prefix and leaves the offending byte to
 * be read again, so one bad byte cannot eat a good character after it.
 * A stray byte 0x80..0x9f is returned as itself, a C1 control, unless it
 * continues a run of broken UTF-8 (*bad): there it is debris of a broken
 * character, not an 8-bit control that would swallow the text after it. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i, bool *bad)
{
	unsigned char b = s[*i];
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t cp;
	size_t need;

	*i += 1;
	if (b < 0x80) {
		*bad = false;
		return b;
	}
	if (b <= 0x9f)
		return *bad ? REPLACEMENT : b;
	if (b < 0xc2 || b >= 0xf5)
		goto invalid;
	if (b < 0xe0) {
		need = 1;
		cp = b & 0x1f;
	} else if (b < 0xf0) {
		need = 2;
		cp = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
	} else {
		need = 3;
		cp = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
	}
	while (need-- > 0) {
		if (*i >= n || s[*i] < lo || s[*i] > hi)
			goto invalid;
		cp = cp << 6 | (s[*i] & 0x3fu);
		*i += 1;
		lo = 0x80;
		hi = 0xbf;
	}
	*bad = false;
	return cp;
invalid:
	*bad = true;
	return REPLACEMENT;
}

static bool is_line_break(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x0b || cp == 0x0c || cp == 0x85 ||
		cp == 0x2028 || cp == 0x2029;
}

/* Characters with no glyph that reorder, hide or smuggle text. ZWJ goes too:
 * it glues emoji into one glyph whose width terminals and wcwidth() disagree
 * on, which garbles a screen layout. */
static bool is_invisible(uint32_t cp)
{
	switch (cp) {
	case 0x00ad: /* soft hyphen */
	case 0x034f: /* combining grapheme joiner */
	case 0x061c: /* arabic letter mark */
	case 0x115f: case 0x1160: case 0x3164: case 0xffa0: /* hangul fillers */
	case 0x17b4: case 0x17b5: /* khmer inherent vowels */
	case 0x180e: /* mongolian vowel separator */
	case 0x200b: case 0x200d: case 0x200e: case 0x200f:
	case 0xfeff: /* BOM, zero-width no-break space */
		return true;
	}
	return (cp >= 0x202a && cp <= 0x202e) ||
		(cp >= 0x2060 && cp <= 0x206f) ||
		(cp >= 0xfff9 && cp <= 0xfffb) ||      /* interlinear annotation */
		(cp >= 0x1bca0 && cp <= 0x1bca3) ||    /* shorthand format controls */
		(cp >= 0x1d173 && cp <= 0x1d17a) ||    /* musical format controls */
		(cp >= 0xe0000 && cp <= 0xe007f) ||    /* tags */
		(cp >= 0xe0100 && cp <= 0xe01ef);      /* variation selectors supplement */
}

static bool is_noncharacter(uint32_t cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

static void put_text(struct out *o, uint32_t cp, unsigned flags)
{
	if (is_line_break(cp)) {
		out_put(o, (flags & SANITIZE_KEEP_NEWLINES) ? "\n" : " ", 1);
		return;
	}
	if (cp == '\t') {
		out_put(o, " ", 1);
		return;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || is_invisible(cp))
		return;
	out_put_cp(o, is_noncharacter(cp) ? REPLACEMENT : cp);
}

static bool starts_string(uint32_t cp)
{
	/* OSC, DCS, SOS, PM, APC in their 8-bit forms */
	return cp == 0x9d || cp == 0x90 || cp == 0x98 || cp == 0x9e || cp == 0x9f;
}

static void run(struct out *o, const unsigned char *s, size_t n, unsigned flags)
{
	enum state st = ST_TEXT;
	size_t i = 0;
	bool bad = false;

	while (i < n && !o->full) {
		uint32_t cp = next_cp(s, n, &i, &bad);
		bool again;

		do {
			again = false;
			switch (st) {
			case ST_TEXT:
				if (cp == 0x1b) {
					st = ST_ESC;
				} else if (cp == 0x9b) {
					st = ST_CSI;
				} else if (starts_string(cp)) {
					st = ST_STRING;
				} else {
					if (cp == '\r' && i < n && s[i] == '\n')
						i++;
					put_text(o, cp, flags);
				}
				break;
			case ST_ESC:
				if (cp == '[') {
					st = ST_CSI;
				} else if (cp == ']' || cp == 'P' || cp == 'X' || cp == '^' || cp == '_') {
					st = ST_STRING;
				} else if (cp >= 0x20 && cp <= 0x2f) {
					st = ST_ESC_INTER;
				} else if (cp >= 0x30 && cp <= 0x7e) {
					st = ST_TEXT;
				} else {
					/* not an escape after all: drop the ESC, keep what follows */
					st = ST_TEXT;
					again = true;
				}
				break;
			case ST_ESC_INTER:
			case ST_CSI:
				if (cp >= 0x20 && cp <= (st == ST_CSI ? 0x3fu : 0x2fu)) {
					/* parameters, intermediates */
				} else if (cp >= 0x30 && cp <= 0x7e) {
					st = ST_TEXT;
				} else {
					st = ST_TEXT;
					again = true;
				}
				break;
			case ST_STRING:
				if (cp == 0x07 || cp == 0x9c || cp == 0x18 || cp == 0x1a)
					st = ST_TEXT;
				else if (cp == 0x1b)
					st = ST_STRING_ESC;
				break;
			case ST_STRING_ESC:
				/* ESC \ is ST; any other ESC ends the string and starts anew */
				if (cp == '\\') {
					st = ST_TEXT;
				} else {
					st = ST_ESC;
					again = true;
				}
				break;
			}
		} while (again);
	}
}

size_t sanitize_into(char *dst, size_t dstlen, const char *s, size_t slen, unsigned flags)
{
	struct out o = { .buf = dst };

	if (dst == NULL || dstlen == 0)
		return 0;
	o.limit = dstlen - 1;
	if (s != NULL) {
		if (slen == SANITIZE_NUL_TERMINATED)
			slen = strlen(s);
		run(&o, (const unsigned char *)s, slen, flags);
	}
	dst[o.len] = '\0';
	return o.len;
}

char *sanitize_dup(const char *s, size_t maxlen, unsigned flags)
{
	size_t slen = s != NULL ? strlen(s) : 0;
	size_t limit = maxlen != 0 ? maxlen : SIZE_MAX - 1;
	size_t len;
	char *buf, *shrunk;

	/* one input byte makes at most 3 output bytes (U+FFFD) */
	if (slen < (SIZE_MAX - 1) / 3 && 3 * slen < limit)
		limit = 3 * slen;
	buf = malloc(limit + 1);
	if (buf == NULL)
		return NULL;
	len = sanitize_into(buf, limit + 1, s, slen, flags);
	shrunk = realloc(buf, len + 1);
	return shrunk != NULL ? shrunk : buf;
}

void sanitize_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t end, i;

	if (len == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return;
	}
	if ((size_t)n < len)
		return;
	end = strlen(buf);
	i = end;
	while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0 && ((unsigned char)buf[i - 1] & 0x80)) {
		unsigned char lead = (unsigned char)buf[i - 1];
		size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;

		if (end - (i - 1) < need)
			buf[i - 1] = '\0';
	}
}
