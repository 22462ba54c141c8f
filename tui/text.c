/* text.c: terminal columns of UTF-8 text, and cutting it at a word.
 *
 * The screen cuts every text that may not fit through text_fit, so that a
 * reader sees whole words and an ellipsis where something was left out,
 * never "Secure connection (TL" or "down (HTT". */
#include "text.h"

#include <string.h>
#include <wchar.h>

#define ELLIPSIS_UTF8 "\u2026"
#define ELLIPSIS_ASCII "..."
/* A run without spaces this wide is no word a reader would miss half of (a
 * URL, a hash, an identifier): it may be cut inside rather than dropped
 * whole with the room before it left empty. */
#define LONG_WORD_W 24
/* columns of a long run worth showing before its ellipsis */
#define LONG_WORD_MIN_SHOWN 4

uint32_t text_next_cp(const char **p, const char *end)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t cp;
	int n;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		n = 2;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		n = 3;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		n = 4;
	} else {
		*p += 1;
		return 0xfffd;
	}
	for (int i = 1; i < n; i++) {
		if ((const char *)s + i >= end || (s[i] & 0xc0) != 0x80) {
			*p += i;
			return 0xfffd;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*p += n;
	return cp;
}

const char *text_ascii_for(uint32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201a: case 0x2032: return "'";
	case 0x201c: case 0x201d: case 0x201e: case 0x00ab: case 0x00bb: return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: return "-";
	case 0x2026: return "...";
	case 0x2022: case 0x00b7: return "*";
	case 0x2190: return "<-";
	case 0x2192: return "->";
	case 0x2191: return "^";
	case 0x2193: return "v";
	case 0x2714: return "+";
	case 0x2716: case 0x00d7: return "x";
	case 0x25b2: return "^";
	case 0x00a0: return " ";
	default: break;
	}
	if (cp >= 0x2000 && cp <= 0x200a)
		return " ";
	if (cp >= 0x2581 && cp <= 0x2588)
		return "#";
	if (cp >= 0x2500 && cp <= 0x257f)
		return "+";
	return "?";
}

bool text_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

int text_cp_width(uint32_t cp, bool utf8)
{
	int w;

	if (text_is_control(cp))
		return 0;
	if (cp < 0x80)
		return 1;
	if (!utf8)
		return (int)strlen(text_ascii_for(cp));
	w = wcwidth((wchar_t)cp);
	/* unknown to the locale: drawn as '?' */
	return w < 0 ? 1 : w;
}

int text_width(const char *s, bool utf8)
{
	const char *end;
	int cols = 0;

	if (!s)
		return 0;
	end = s + strlen(s);
	while (s < end)
		cols += text_cp_width(text_next_cp(&s, end), utf8);
	return cols;
}

const char *text_ellipsis(bool utf8)
{
	return utf8 ? ELLIPSIS_UTF8 : ELLIPSIS_ASCII;
}

static bool is_word_byte(unsigned char b)
{
	return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* n shortened by what should not stand before an ellipsis: spaces, a comma
 * or a colon, an opening bracket, and words of punctuation only ("->"). */
static size_t trim_tail(const char *s, size_t n)
{
	size_t keep = n;

	for (;;) {
		size_t start;
		bool word = false;

		while (n > 0 && strchr(" ,;:(", s[n - 1]))
			n--;
		start = n;
		while (start > 0 && s[start - 1] != ' ')
			start--;
		for (size_t i = start; i < n && !word; i++)
			word = is_word_byte((unsigned char)s[i]);
		if (word || start == 0)
			break;
		n = start;
	}
	/* all punctuation: better the text as cut than nothing */
	return n > 0 ? n : keep;
}

/* Columns from p up to the next space or the end. */
static int run_width(const char *p, const char *end, bool utf8)
{
	int cols = 0;

	while (p < end) {
		uint32_t cp = text_next_cp(&p, end);

		if (cp == ' ')
			break;
		cols += text_cp_width(cp, utf8);
	}
	return cols;
}

size_t text_fit(const char *s, int w, bool utf8, bool *cut)
{
	const char *p, *end, *fit_end, *word_end = NULL, *word_start = s;
	int cols = 0, room, word_cols = 0;
	bool prev_space = true;

	*cut = false;
	if (!s || w <= 0)
		return 0;
	end = s + strlen(s);
	if (text_width(s, utf8) <= w)
		return (size_t)(end - s);
	room = w - text_width(text_ellipsis(utf8), utf8);
	if (room < 0)
		room = w; /* no room for the ellipsis: the first characters */
	p = fit_end = s;
	while (p < end) {
		const char *at = p;
		uint32_t cp = text_next_cp(&p, end);
		int cw = text_cp_width(cp, utf8);
		bool space = cp == ' ';

		/* everything before `at` fits: a space here ends a word that fits */
		if (space && !prev_space)
			word_end = at;
		if (!space && prev_space) {
			word_start = at;
			word_cols = 0;
		}
		if (cols + cw > room)
			break;
		cols += cw;
		word_cols += space ? 0 : cw;
		prev_space = space;
		fit_end = p;
	}
	if (room == w)
		return (size_t)(fit_end - s);
	*cut = true;
	if (!word_end)
		return (size_t)(fit_end - s);
	/* the cut falls inside a long run of characters, a few of which fit:
	 * cut it there */
	if (!prev_space && word_start > word_end && word_cols >= LONG_WORD_MIN_SHOWN &&
	    word_cols + run_width(fit_end, end, utf8) >= LONG_WORD_W)
		return (size_t)(fit_end - s);
	return trim_tail(s, (size_t)(word_end - s));
}
