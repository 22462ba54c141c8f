/* textwrap.c: widths, word-boundary cuts and wrapping of UTF-8 text.
 *
 * Everything walks the text once, a character at a time, remembering the last
 * place where a cut would be acceptable; nothing is allocated. */
#include "textwrap.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

/* One character: its length in bytes (1 for a stray byte) and its columns. */
static size_t next_char(const char *s, int *cols)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (u[0] < 0x80) {
		*cols = 1;
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		cp = u[0] & 0x1f;
		n = 2;
	} else if ((u[0] & 0xf0) == 0xe0) {
		cp = u[0] & 0x0f;
		n = 3;
	} else if ((u[0] & 0xf8) == 0xf0) {
		cp = u[0] & 0x07;
		n = 4;
	} else {
		*cols = 1;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cols = 1;
			return 1;
		}
		cp = cp << 6 | (u[i] & 0x3f);
	}
	int w = wcwidth((wchar_t)cp);

	*cols = w < 0 ? 1 : w;
	return n;
}

int textwrap_width(const char *s)
{
	int total = 0, w;

	while (*s) {
		s += next_char(s, &w);
		total += w;
	}
	return total;
}

static bool is_separator(char c)
{
	return c == '-' || c == '_' || c == '.' || c == '/' || c == ':';
}

/* What is left out before an ellipsis: a space or an opening bracket or a
 * comma would dangle. */
static bool is_dangling(char c)
{
	return c == ' ' || c == '(' || c == '[' || c == '{' || c == ',' || c == ';' || c == ':' ||
	       c == '-' || c == '_' || c == '.' || c == '/';
}

int textwrap_fit(char *dst, size_t len, const char *s, int cols, const char *ellipsis)
{
	int ew = textwrap_width(ellipsis);
	size_t i = 0, at_space = 0, at_sep = 0, at_char = 0, cut, n;
	int w = 0, cw, space_w = 0, sep_w = 0;

	if (len == 0)
		return 0;
	n = strlen(s);
	if (n < len && textwrap_width(s) <= cols) {
		memcpy(dst, s, n + 1);
		return textwrap_width(dst);
	}
	if (cols < ew || strlen(ellipsis) >= len) {
		dst[0] = '\0'; /* no room even for the ellipsis */
		return 0;
	}
	/* the longest prefixes that leave room for the ellipsis, by kind of end */
	while (s[i]) {
		size_t step = next_char(s + i, &cw);

		if (w + cw + ew > cols || i + step + strlen(ellipsis) >= len)
			break;
		w += cw;
		i += step;
		at_char = i;
		if (s[i] == ' ') {
			at_space = i;
			space_w = w;
		} else if (is_separator(s[i - 1])) {
			at_sep = i;
			sep_w = w;
		}
	}
	if (at_space > 0 && space_w * 3 >= cols - ew)
		cut = at_space;
	else if (at_sep > 0 && sep_w * 3 >= cols - ew)
		cut = at_sep;
	else
		cut = at_char;
	while (cut > 0 && is_dangling(s[cut - 1]))
		cut--;
	memcpy(dst, s, cut);
	memcpy(dst + cut, ellipsis, strlen(ellipsis) + 1);
	return textwrap_width(dst);
}

size_t textwrap_line(const char *s, int cols, const char **next)
{
	size_t i = 0, end = 0, line_end;
	int w = 0, cw;

	size_t start = 0;

	/* the last word end that fits */
	while (s[i]) {
		size_t step = next_char(s + i, &cw);

		if (s[i] == ' ') {
			end = i;
		} else if (w + cw > cols) {
			break;
		}
		w += cw;
		i += step;
	}
	if (!s[i]) {
		end = i;
	} else if (end <= start) {
		/* one word longer than the line: cut it at a character (at least one) */
		end = i > start ? i : start + next_char(s + start, &cw);
	}
	line_end = end;
	while (line_end > start && s[line_end - 1] == ' ')
		line_end--;
	while (s[end] == ' ')
		end++;
	*next = s + end;
	return line_end;
}
