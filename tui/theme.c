/* theme.c: loading themes, mapping their colours to the terminal.
 *
 * A theme file is small JSON, read by a parser of its own here rather than
 * cJSON so that every message can point at the line and column of the bad
 * key or value. Colours stay as written (name, index or #rrggbb) until the
 * theme is resolved for a terminal depth; only then are they mapped down and
 * checked against their background.
 *
 * The last section is the only part that talks to curses; everything above
 * it is pure and tested without a terminal. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifndef ISITDOWN_THEMEDIR
#include "build_config.h"
#endif

#include "theme.h"
#include "themes_builtin.h"

/* a theme file is a screenful of JSON: anything larger is a mistake */
#define THEME_FILE_MAX (256 * 1024)

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_NORMAL] = "normal",
	[ROLE_STATE_OPERATIONAL] = "state.operational",
	[ROLE_STATE_DEGRADED] = "state.degraded",
	[ROLE_STATE_PARTIAL] = "state.partial",
	[ROLE_STATE_MAJOR] = "state.major",
	[ROLE_STATE_MAINTENANCE] = "state.maintenance",
	[ROLE_STATE_UNKNOWN] = "state.unknown",
	[ROLE_BORDER] = "border",
	[ROLE_BORDER_FOCUS] = "border.focus",
	[ROLE_TITLE] = "title",
	[ROLE_SELECTION] = "selection",
	[ROLE_DIM] = "dim",
	[ROLE_HEADER] = "header",
	[ROLE_FOOTER] = "footer",
	[ROLE_FOOTER_KEY] = "footer.key",
	[ROLE_LOG_INFO] = "log.info",
	[ROLE_LOG_NOTICE] = "log.notice",
	[ROLE_LOG_WARNING] = "log.warning",
	[ROLE_LOG_CRITICAL] = "log.critical",
	[ROLE_SPARK_OK] = "spark.ok",
	[ROLE_SPARK_MID] = "spark.mid",
	[ROLE_SPARK_HIGH] = "spark.high",
	[ROLE_SPARK_SLOW] = "spark.slow",
	[ROLE_SPARK_FAIL] = "spark.fail",
	[ROLE_SPARK_EMPTY] = "spark.empty",
	[ROLE_SPARK_AXIS] = "spark.axis",
	[ROLE_PHASE_DNS] = "phase.dns",
	[ROLE_PHASE_CONNECT] = "phase.connect",
	[ROLE_PHASE_TLS] = "phase.tls",
	[ROLE_PHASE_TTFB] = "phase.ttfb",
	[ROLE_PHASE_TRANSFER] = "phase.transfer",
};

static const char *const basic_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{"bold", THEME_BOLD},
	{"dim", THEME_DIM},
	{"reverse", THEME_REVERSE},
	{"underline", THEME_UNDERLINE},
	{"italic", THEME_ITALIC},
};

/* xterm's default palette for the 16 system colours: what "red" most likely
 * looks like, used only to compare colours, never to draw */
static const uint32_t xterm16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static const int cube_levels[6] = {0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff};

const char *theme_role_name(enum theme_role r)
{
	if ((int)r < 0 || r >= ROLE_COUNT)
		return "?";
	return role_names[r];
}

int theme_role_from_name(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(role_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* ---- colours ---------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int theme_colour_parse(const char *s, struct theme_colour *c)
{
	if (strcasecmp(s, "default") == 0) {
		c->kind = COLOUR_DEFAULT;
		c->value = 0;
		return 0;
	}
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(s, basic_names[i]) == 0) {
			c->kind = COLOUR_BASIC;
			c->value = (uint32_t)i;
			return 0;
		}
	}
	if (s[0] == '#' && strlen(s) == 7) {
		uint32_t v = 0;

		for (int i = 1; i < 7; i++) {
			int h = hexval((unsigned char)s[i]);

			if (h < 0)
				return -EINVAL;
			v = v << 4 | (uint32_t)h;
		}
		c->kind = COLOUR_RGB;
		c->value = v;
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9' && strlen(s) <= 3) {
		int v = 0;

		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '9')
				return -EINVAL;
			v = v * 10 + (*p - '0');
		}
		if (v > 255)
			return -EINVAL;
		c->kind = COLOUR_INDEX;
		c->value = (uint32_t)v;
		return 0;
	}
	return -EINVAL;
}

static int red(uint32_t rgb)
{
	return (int)(rgb >> 16 & 0xff);
}

static int green(uint32_t rgb)
{
	return (int)(rgb >> 8 & 0xff);
}

static int blue(uint32_t rgb)
{
	return (int)(rgb & 0xff);
}

static int dist_sq(uint32_t a, uint32_t b)
{
	int dr = red(a) - red(b), dg = green(a) - green(b), db = blue(a) - blue(b);

	return dr * dr + dg * dg + db * db;
}

uint32_t theme_256_to_rgb(int index)
{
	if (index < 0 || index > 255)
		return 0;
	if (index < 16)
		return xterm16[index];
	if (index < 232) {
		int i = index - 16;

		return (uint32_t)(cube_levels[i / 36] << 16 | cube_levels[i / 6 % 6] << 8 |
				  cube_levels[i % 6]);
	}
	return (uint32_t)(8 + 10 * (index - 232)) * 0x010101u;
}

/* the nearest level of the 6x6x6 cube, as xterm and tmux pick it */
static int to_cube(int v)
{
	if (v < 48)
		return 0;
	if (v < 115)
		return 1;
	return (v - 35) / 40;
}

/* Only the cube and the grey ramp: the 16 system colours are whatever the
 * user made them, so an exact colour cannot rely on them. */
int theme_rgb_to_256(uint32_t rgb)
{
	int qr = to_cube(red(rgb)), qg = to_cube(green(rgb)), qb = to_cube(blue(rgb));
	int cube = 16 + 36 * qr + 6 * qg + qb;
	int avg = (red(rgb) + green(rgb) + blue(rgb)) / 3;
	int grey;

	if (avg > 238)
		grey = 23;
	else if (avg < 3)
		grey = 0;
	else
		grey = (avg - 3) / 10;
	if (dist_sq(theme_256_to_rgb(232 + grey), rgb) < dist_sq(theme_256_to_rgb(cube), rgb))
		return 232 + grey;
	return cube;
}

/* By hue rather than by distance to a palette: themes are full of soft
 * colours (#5fafff, #af87ff) that are nearest to grey by distance but read
 * as blue or violet, and should stay a colour on an 8-colour terminal. */
int theme_rgb_to_8(uint32_t rgb)
{
	/* red, yellow, green, cyan, blue, magenta: every 60 degrees of hue */
	static const int by_hue[6] = {1, 3, 2, 6, 4, 5};
	int r = red(rgb), g = green(rgb), b = blue(rgb);
	int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int min = r < g ? (r < b ? r : b) : (g < b ? g : b);
	int chroma = max - min;
	double hue;

	if (max < 0x40)
		return 0;
	if (chroma * 10 < max * 3)
		return (max + min) / 2 >= 0x50 ? 7 : 0;
	if (max == r)
		hue = 60.0 * fmod((double)(g - b) / chroma + 6, 6);
	else if (max == g)
		hue = 60.0 * ((double)(b - r) / chroma + 2);
	else
		hue = 60.0 * ((double)(r - g) / chroma + 4);
	return by_hue[(int)floor((hue + 30) / 60) % 6];
}

enum theme_depth theme_depth_detect(bool has_colors, int colors, bool rgb_flag,
				    const char *no_color)
{
	if (no_color || !has_colors || colors < 8)
		return THEME_DEPTH_NONE;
	if (rgb_flag && colors >= 0x1000000)
		return THEME_DEPTH_DIRECT;
	if (colors >= 256)
		return THEME_DEPTH_256;
	return THEME_DEPTH_8;
}

/* The terminal's colour number for c, -1 for its default colour. */
static int map_colour(struct theme_colour c, enum theme_depth d)
{
	uint32_t v = c.value;

	if (c.kind == COLOUR_DEFAULT || d == THEME_DEPTH_NONE)
		return -1;
	switch (d) {
	case THEME_DEPTH_8:
		if (c.kind == COLOUR_BASIC)
			return (int)v;
		if (c.kind == COLOUR_INDEX && v < 16)
			return (int)(v & 7);
		if (c.kind == COLOUR_INDEX)
			return theme_rgb_to_8(theme_256_to_rgb((int)v));
		return theme_rgb_to_8(v);
	case THEME_DEPTH_256:
		if (c.kind == COLOUR_RGB)
			return theme_rgb_to_256(v);
		return (int)v;
	case THEME_DEPTH_DIRECT:
		/* direct-colour terminfo takes numbers below 8 as the palette */
		if (c.kind == COLOUR_BASIC || (c.kind == COLOUR_INDEX && v < 8))
			return (int)v;
		if (c.kind == COLOUR_INDEX)
			v = theme_256_to_rgb((int)v);
		return v < 8 ? 8 : (int)v;
	case THEME_DEPTH_NONE:
		break;
	}
	return -1;
}

uint32_t theme_number_rgb(int n, enum theme_depth d)
{
	if (d == THEME_DEPTH_DIRECT && n >= 8)
		return (uint32_t)n;
	return theme_256_to_rgb(n);
}

static int rgb_number(uint32_t rgb, enum theme_depth d)
{
	struct theme_colour c = {COLOUR_RGB, rgb};

	return map_colour(c, d);
}

/* Closer than this (squared distance) and text cannot be told from its
 * background; the solarized base03 / base02 pair is about 300. */
#define INVISIBLE_DIST 768

bool theme_colours_clash(uint32_t fg, uint32_t bg)
{
	return dist_sq(fg, bg) < INVISIBLE_DIST;
}

void theme_resolve(const struct theme *t, enum theme_depth depth, bool can_default,
		   struct theme_pair out[ROLE_COUNT])
{
	struct theme mono;
	const struct theme_style *normal;
	uint32_t assumed_fg, assumed_bg;

	if (depth == THEME_DEPTH_NONE) {
		if (theme_builtin(&mono, "mono") < 0)
			memset(&mono, 0, sizeof(mono));
		for (int r = 0; r < ROLE_COUNT; r++) {
			out[r].fg = out[r].bg = -1;
			out[r].attrs = mono.style[r].attrs;
		}
		return;
	}
	normal = &t->style[ROLE_NORMAL];
	/* what the terminal's own colours probably are */
	assumed_fg = t->light ? 0x000000 : 0xffffff;
	assumed_bg = t->light ? 0xffffff : 0x000000;

	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *st = &t->style[r];
		struct theme_colour fc = st->fg, bc = st->bg;
		uint32_t fg_rgb, bg_rgb;
		int fg, bg;

		if (fc.kind == COLOUR_DEFAULT)
			fc = normal->fg;
		if (bc.kind == COLOUR_DEFAULT)
			bc = normal->bg;
		fg = map_colour(fc, depth);
		bg = map_colour(bc, depth);
		if (!can_default) {
			if (fg < 0)
				fg = rgb_number(assumed_fg, depth);
			if (bg < 0)
				bg = rgb_number(assumed_bg, depth);
		}
		out[r].attrs = st->attrs;

		fg_rgb = fg < 0 ? assumed_fg : theme_number_rgb(fg, depth);
		bg_rgb = bg < 0 ? assumed_bg : theme_number_rgb(bg, depth);
		if ((fg >= 0 || bg >= 0) && theme_colours_clash(fg_rgb, bg_rgb)) {
			/* black or white, whichever stands out from the background */
			int luma = (red(bg_rgb) * 299 + green(bg_rgb) * 587 + blue(bg_rgb) * 114) / 1000;

			fg = rgb_number(luma >= 128 ? 0x000000 : 0xffffff, depth);
		}
		out[r].fg = fg;
		out[r].bg = bg;
	}
}

/* ---- the theme file parser -------------------------------------------- */

/* The length of the valid UTF-8 sequence at p (no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq_len(const unsigned char *p)
{
	size_t n;
	unsigned cp;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf) {
		n = 2;
		cp = *p & 0x1fu;
	} else if (*p >= 0xe0 && *p <= 0xef) {
		n = 3;
		cp = *p & 0x0fu;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		n = 4;
		cp = *p & 0x07u;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Messages quote keys and values from the file and name paths: control
 * characters in them (C0, DEL, and C1 written in UTF-8) must not reach a
 * terminal as escape sequences, nor stray bytes that a terminal not in UTF-8
 * reads as C1 controls (a lone 0x9b is CSI there). */
static void scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = utf8_seq_len(p);

		if (*p < 0x20 || *p == 0x7f || n == 0) {
			*p++ = '?';
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			p[0] = p[1] = '?';
			p += 2;
		} else {
			p += n;
		}
	}
}

struct parser {
	const char *text, *p, *end;
	const char *source;
	char *err;
	size_t errsize;
};

static int fail_at(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *ps, const char *at, const char *fmt, ...)
{
	int line = 1, col = 1, n;
	va_list ap;

	for (const char *q = ps->text; q < at && q < ps->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80) {
			col++; /* characters, not bytes: what an editor shows */
		}
	}
	if (!ps->err || ps->errsize == 0)
		return -EINVAL;
	n = snprintf(ps->err, ps->errsize, "%s:%d:%d: ", ps->source, line, col);
	if (n >= 0 && (size_t)n < ps->errsize) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errsize - (size_t)n, fmt, ap);
		va_end(ap);
	}
	scrub(ps->err);
	return -EINVAL;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool at_end(struct parser *ps)
{
	skip_ws(ps);
	return ps->p >= ps->end;
}

static const char *describe_next(struct parser *ps)
{
	if (ps->p >= ps->end)
		return "the end of the file";
	switch (*ps->p) {
	case '"':
		return "a string";
	case '{':
		return "an object";
	case '[':
		return "an array";
	case 't':
	case 'f':
		return "true or false";
	case 'n':
		return "null";
	default:
		break;
	}
	if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
		return "a number";
	return NULL;
}

/* expects the character c after optional white space */
static int expect(struct parser *ps, char c)
{
	const char *what;

	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return 0;
	}
	what = describe_next(ps);
	if (what)
		return fail_at(ps, ps->p, "expected '%c', found %s", c, what);
	return fail_at(ps, ps->p, "expected '%c', found '%c'", c, *ps->p);
}

static void put_utf8(char *buf, size_t size, size_t *len, unsigned cp)
{
	char tmp[4];
	size_t n;

	if (cp < 0x80) {
		tmp[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xc0 | cp >> 6);
		tmp[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xe0 | cp >> 12);
		tmp[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		tmp[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		tmp[0] = (char)(0xf0 | cp >> 18);
		tmp[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		tmp[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		tmp[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	/* a string longer than the buffer is cut on a character boundary */
	if (*len + n < size) {
		memcpy(buf + *len, tmp, n);
		*len += n;
	}
}

static int hex4(struct parser *ps, unsigned *out)
{
	unsigned v = 0;

	if (ps->end - ps->p < 4)
		return fail_at(ps, ps->p, "unfinished \\u escape");
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)ps->p[i]);

		if (h < 0)
			return fail_at(ps, ps->p, "bad \\u escape");
		v = v << 4 | (unsigned)h;
	}
	ps->p += 4;
	*out = v;
	return 0;
}

/* A JSON string at ps->p into buf (cut to size - 1 bytes). */
static int parse_string(struct parser *ps, char *buf, size_t size)
{
	const char *start = ps->p;
	size_t len = 0;

	if (ps->p >= ps->end || *ps->p != '"')
		return fail_at(ps, ps->p, "expected a string");
	ps->p++;
	for (;;) {
		unsigned char c;

		if (ps->p >= ps->end)
			return fail_at(ps, start, "string not closed");
		c = (unsigned char)*ps->p;
		if (c == '"') {
			ps->p++;
			break;
		}
		if (c < 0x20)
			return fail_at(ps, ps->p, "control character in a string");
		if (c != '\\') {
			if (len + 1 < size)
				buf[len++] = (char)c;
			ps->p++;
			continue;
		}
		ps->p++;
		if (ps->p >= ps->end)
			return fail_at(ps, start, "string not closed");
		c = (unsigned char)*ps->p++;
		switch (c) {
		case '"': case '\\': case '/':
			put_utf8(buf, size, &len, c);
			break;
		case 'b': put_utf8(buf, size, &len, '\b'); break;
		case 'f': put_utf8(buf, size, &len, '\f'); break;
		case 'n': put_utf8(buf, size, &len, '\n'); break;
		case 'r': put_utf8(buf, size, &len, '\r'); break;
		case 't': put_utf8(buf, size, &len, '\t'); break;
		case 'u': {
			const char *esc = ps->p - 2;
			unsigned cp, lo;
			int rc = hex4(ps, &cp);

			if (rc < 0)
				return rc;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
					return fail_at(ps, esc, "lone surrogate in \\u escape");
				ps->p += 2;
				rc = hex4(ps, &lo);
				if (rc < 0)
					return rc;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail_at(ps, esc, "lone surrogate in \\u escape");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				return fail_at(ps, esc, "lone surrogate in \\u escape");
			}
			if (cp == 0)
				return fail_at(ps, esc, "\\u0000 in a string");
			put_utf8(buf, size, &len, cp);
			break;
		}
		default:
			return fail_at(ps, ps->p - 2, "bad escape '\\%c'", c);
		}
	}
	if (size > 0)
		buf[len] = '\0';
	return 0;
}

/* A JSON number at ps->p; only the colour indexes use one. */
static int parse_number(struct parser *ps, double *out)
{
	const char *start = ps->p;
	char tmp[64];
	size_t n;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return fail_at(ps, start, "bad number");
	while (ps->p < ps->end && ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '.' ||
				   *ps->p == 'e' || *ps->p == 'E' || *ps->p == '+' || *ps->p == '-'))
		ps->p++;
	n = (size_t)(ps->p - start);
	if (n >= sizeof(tmp))
		return fail_at(ps, start, "bad number");
	memcpy(tmp, start, n);
	tmp[n] = '\0';
	{
		char *endp;

		errno = 0;
		*out = strtod(tmp, &endp);
		if (*endp != '\0' || errno)
			return fail_at(ps, start, "bad number");
	}
	return 0;
}

/* Parses an object member by member: calls member() with the key and its
 * position, the value left at ps->p for it to read. */
typedef int (*member_fn)(struct parser *ps, const char *key, const char *key_at, void *ctx);

static int parse_object(struct parser *ps, member_fn member, void *ctx)
{
	int rc;

	rc = expect(ps, '{');
	if (rc < 0)
		return rc;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		char key[128];
		const char *key_at;

		skip_ws(ps);
		key_at = ps->p;
		if (ps->p >= ps->end || *ps->p != '"')
			return fail_at(ps, ps->p, "expected a key in double quotes");
		rc = parse_string(ps, key, sizeof(key));
		if (rc < 0)
			return rc;
		rc = expect(ps, ':');
		if (rc < 0)
			return rc;
		skip_ws(ps);
		rc = member(ps, key, key_at, ctx);
		if (rc < 0)
			return rc;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		if (ps->p >= ps->end)
			return fail_at(ps, ps->p, "expected ',' or '}', found the end of the file");
		return fail_at(ps, ps->p, "expected ',' or '}'");
	}
}

struct role_ctx {
	struct theme *t;
	int role;
	unsigned seen; /* 1 fg, 2 bg, 4 attrs */
};

static int parse_colour_value(struct parser *ps, const char *key, struct role_ctx *rc,
			      struct theme_colour *out)
{
	const char *at = ps->p;
	const char *role = role_names[rc->role];
	char s[64];
	double num = 0;
	int err;

	if (ps->p < ps->end && *ps->p == '"') {
		err = parse_string(ps, s, sizeof(s));
		if (err < 0)
			return err;
		if (theme_colour_parse(s, out) < 0)
			return fail_at(ps, at, "unknown colour \"%s\" for role \"%s\"", s, role);
		return 0;
	}
	if (ps->p < ps->end && (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))) {
		err = parse_number(ps, &num);
		if (err < 0)
			return err;
		if (num != floor(num) || num < 0 || num > 255)
			return fail_at(ps, at, "colour %g for role \"%s\" is not an index 0-255",
				       num, role);
		out->kind = COLOUR_INDEX;
		out->value = (uint32_t)num;
		return 0;
	}
	return fail_at(ps, at, "\"%s\" of role \"%s\" must be a colour name, \"#rrggbb\" or 0-255",
		       key, role);
}

static int parse_attrs(struct parser *ps, struct role_ctx *rc, unsigned *out)
{
	const char *role = role_names[rc->role];
	int err;

	if (ps->p >= ps->end || *ps->p != '[')
		return fail_at(ps, ps->p, "\"attrs\" of role \"%s\" must be a list like [\"bold\"]",
			       role);
	ps->p++;
	*out = 0;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (;;) {
		const char *at;
		char s[64];
		bool found = false;

		skip_ws(ps);
		at = ps->p;
		if (ps->p >= ps->end || *ps->p != '"')
			return fail_at(ps, at, "\"attrs\" of role \"%s\" must hold attribute names in quotes",
				       role);
		err = parse_string(ps, s, sizeof(s));
		if (err < 0)
			return err;
		for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
			if (strcmp(s, attr_names[i].name) == 0) {
				*out |= attr_names[i].bit;
				found = true;
			}
		}
		if (!found)
			return fail_at(ps, at,
				       "unknown attribute \"%s\" for role \"%s\" (bold, dim, reverse, underline, italic)",
				       s, role);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		return fail_at(ps, ps->p, "expected ',' or ']'");
	}
}

static int on_role_member(struct parser *ps, const char *key, const char *key_at, void *ctx)
{
	struct role_ctx *rc = ctx;
	struct theme_style *st = &rc->t->style[rc->role];
	unsigned bit;

	if (strcmp(key, "fg") == 0)
		bit = 1;
	else if (strcmp(key, "bg") == 0)
		bit = 2;
	else if (strcmp(key, "attrs") == 0)
		bit = 4;
	else
		return fail_at(ps, key_at, "unknown key \"%s\" in role \"%s\" (fg, bg, attrs)", key,
			       role_names[rc->role]);
	if (rc->seen & bit)
		return fail_at(ps, key_at, "\"%s\" given twice in role \"%s\"", key,
			       role_names[rc->role]);
	rc->seen |= bit;
	if (bit == 1)
		return parse_colour_value(ps, key, rc, &st->fg);
	if (bit == 2)
		return parse_colour_value(ps, key, rc, &st->bg);
	return parse_attrs(ps, rc, &st->attrs);
}

static int on_roles_member(struct parser *ps, const char *key, const char *key_at, void *ctx)
{
	struct theme *t = ctx;
	struct role_ctx rc = {t, theme_role_from_name(key), 0};

	if (rc.role < 0)
		return fail_at(ps, key_at, "unknown role \"%s\"", key);
	if (t->style[rc.role].defined)
		return fail_at(ps, key_at, "role \"%s\" given twice", key);
	t->style[rc.role].defined = true;
	if (ps->p >= ps->end || *ps->p != '{')
		return fail_at(ps, ps->p, "role \"%s\" must be an object like {\"fg\": \"red\"}", key);
	return parse_object(ps, on_role_member, &rc);
}

struct top_ctx {
	struct theme *t;
	unsigned seen; /* 1 description, 2 background, 4 roles */
};

static int on_top_member(struct parser *ps, const char *key, const char *key_at, void *ctx)
{
	struct top_ctx *tc = ctx;
	const char *at = ps->p;
	unsigned bit;
	char s[16];
	int rc;

	if (strcmp(key, "description") == 0)
		bit = 1;
	else if (strcmp(key, "background") == 0)
		bit = 2;
	else if (strcmp(key, "roles") == 0)
		bit = 4;
	else
		return fail_at(ps, key_at, "unknown key \"%s\" (description, background, roles)", key);
	if (tc->seen & bit)
		return fail_at(ps, key_at, "\"%s\" given twice", key);
	tc->seen |= bit;

	if (bit == 4) {
		if (ps->p >= ps->end || *ps->p != '{')
			return fail_at(ps, at, "\"roles\" must be an object");
		return parse_object(ps, on_roles_member, tc->t);
	}
	if (ps->p >= ps->end || *ps->p != '"')
		return fail_at(ps, at, "\"%s\" must be a string", key);
	if (bit == 1) {
		rc = parse_string(ps, tc->t->description, sizeof(tc->t->description));
		/* shown to people like a message, so made as safe as one */
		scrub(tc->t->description);
		return rc;
	}
	rc = parse_string(ps, s, sizeof(s));
	if (rc < 0)
		return rc;
	if (strcmp(s, "light") == 0)
		tc->t->light = true;
	else if (strcmp(s, "dark") == 0)
		tc->t->light = false;
	else
		return fail_at(ps, at, "\"background\" must be \"dark\" or \"light\"");
	return 0;
}

int theme_parse(struct theme *t, const char *name, const char *text, size_t len,
		const char *source, char *err, size_t errsize)
{
	struct parser ps = {text, text, text + len, source, err, errsize};
	struct top_ctx tc = {t, 0};
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (err && errsize)
		err[0] = '\0';
	/* editors on some systems start UTF-8 files with a byte order mark */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		ps.p += 3;
	if (at_end(&ps))
		return fail_at(&ps, ps.p, "empty theme file");
	if (*ps.p != '{')
		return fail_at(&ps, ps.p, "a theme is a JSON object: expected '{'");
	rc = parse_object(&ps, on_top_member, &tc);
	if (rc < 0)
		return rc;
	if (!at_end(&ps))
		return fail_at(&ps, ps.p, "unexpected text after the theme");
	if (!(tc.seen & 4))
		return fail_at(&ps, text, "no \"roles\" in the theme");
	return 0;
}

/* ---- finding themes ---------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* a name that can only mean a file in one of the theme directories */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= THEME_NAME_MAX || s[0] == '.')
		return false;
	for (const char *p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	}
	return true;
}

int theme_load_file(struct theme *t, const char *path, char *err, size_t errsize)
{
	char name[THEME_NAME_MAX];
	const char *base = strrchr(path, '/');
	struct stat stbuf;
	char *text = NULL;
	size_t len;
	FILE *f;
	int rc;

	base = base ? base + 1 : path;
	snprintf(name, sizeof(name), "%.*s", (int)(ends_with(base, ".json") ? strlen(base) - 5 :
						 strlen(base)), base);
	memset(t, 0, sizeof(*t));
	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		snprintf(err, errsize, "%s: cannot read: %s", path, strerror(-rc));
		if (err && errsize)
			scrub(err);
		return rc;
	}
	if (fstat(fileno(f), &stbuf) < 0 || !S_ISREG(stbuf.st_mode)) {
		snprintf(err, errsize, "%s: not a file", path);
		rc = -EINVAL;
		goto out;
	}
	if (stbuf.st_size > THEME_FILE_MAX) {
		snprintf(err, errsize, "%s: too large for a theme (%lld bytes)", path,
			 (long long)stbuf.st_size);
		rc = -EFBIG;
		goto out;
	}
	text = malloc((size_t)stbuf.st_size + 1);
	if (!text) {
		rc = -ENOMEM;
		snprintf(err, errsize, "%s: out of memory", path);
		goto out;
	}
	len = fread(text, 1, (size_t)stbuf.st_size, f);
	if (ferror(f)) {
		rc = -EIO;
		snprintf(err, errsize, "%s: cannot read: %s", path, strerror(EIO));
		goto out;
	}
	rc = theme_parse(t, name, text, len, path, err, errsize);
out:
	free(text);
	fclose(f);
	if (rc < 0 && err && errsize)
		scrub(err);
	return rc;
}

int theme_builtin(struct theme *t, const char *name)
{
	for (size_t i = 0; i < themes_builtin_count; i++) {
		const struct theme_source *src = &themes_builtin[i];
		char source[THEME_NAME_MAX + 16];

		if (strcmp(src->name, name) != 0)
			continue;
		snprintf(source, sizeof(source), "%s.json", src->name);
		if (theme_parse(t, src->name, src->json, strlen(src->json), source, NULL, 0) < 0)
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

void theme_default(struct theme *t)
{
	/* the compiled-in default parses (test_theme makes sure); an all-default
	 * theme is what is left if it ever did not */
	if (theme_builtin(t, "default") < 0) {
		memset(t, 0, sizeof(*t));
		snprintf(t->name, sizeof(t->name), "default");
	}
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int theme_find(struct theme *t, const char *spec, const struct theme_dirs *dirs,
	       char *err, size_t errsize)
{
	const char *dir[2];
	int rc;

	if (err && errsize)
		err[0] = '\0';
	if (!spec || !spec[0]) {
		theme_default(t);
		return 0;
	}
	if (strchr(spec, '/') || ends_with(spec, ".json")) {
		rc = theme_load_file(t, spec, err, errsize);
		if (rc < 0)
			theme_default(t);
		return rc;
	}
	if (valid_name(spec)) {
		dir[0] = dirs ? dirs->user : "";
		dir[1] = dirs ? dirs->system : "";
		for (int i = 0; i < 2; i++) {
			char path[sizeof(dirs->user) + THEME_NAME_MAX + 8];

			if (!dir[i][0])
				continue;
			snprintf(path, sizeof(path), "%s/%s.json", dir[i], spec);
			if (!file_exists(path))
				continue;
			rc = theme_load_file(t, path, err, errsize);
			if (rc < 0)
				theme_default(t);
			return rc;
		}
		if (theme_builtin(t, spec) == 0)
			return 0;
	}
	{
		size_t n = 0;
		int k = snprintf(err, errsize, "unknown theme \"%s\" (", spec);

		if (k > 0)
			n = (size_t)k;
		for (size_t i = 0; i < themes_builtin_count && n < errsize; i++) {
			k = snprintf(err + n, errsize - n, "%s%s", i ? ", " : "", themes_builtin[i].name);
			if (k > 0)
				n += (size_t)k;
		}
		if (n < errsize)
			snprintf(err + n, errsize - n, ", or a file)");
		if (err && errsize)
			scrub(err);
	}
	theme_default(t);
	return -ENOENT;
}

void theme_dirs_init(struct theme_dirs *d)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	memset(d, 0, sizeof(*d));
	/* the XDG spec says a relative XDG_CONFIG_HOME is to be ignored */
	if (xdg && xdg[0] == '/')
		snprintf(d->user, sizeof(d->user), "%s/isitdown/themes", xdg);
	else if (home && home[0])
		snprintf(d->user, sizeof(d->user), "%s/.config/isitdown/themes", home);
	snprintf(d->system, sizeof(d->system), "%s", ISITDOWN_THEMEDIR);
}

static bool list_has(const struct theme_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->names[i], name) == 0)
			return true;
	}
	return false;
}

static void list_add(struct theme_list *l, const char *name)
{
	if (l->n < THEME_LIST_MAX && !list_has(l, name))
		snprintf(l->names[l->n++], THEME_NAME_MAX, "%s", name);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void list_add_dir(struct theme_list *l, const char *dir)
{
	char found[THEME_LIST_MAX][THEME_NAME_MAX];
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if (!dir[0])
		return;
	d = opendir(dir);
	if (!d)
		return;
	while (n < THEME_LIST_MAX) {
		size_t len;

		e = readdir(d);
		if (!e)
			break;
		len = strlen(e->d_name);
		if (!ends_with(e->d_name, ".json") || len - 5 >= THEME_NAME_MAX)
			continue;
		snprintf(found[n], THEME_NAME_MAX, "%.*s", (int)(len - 5), e->d_name);
		if (valid_name(found[n]))
			n++;
	}
	closedir(d);
	/* directory order is arbitrary: sort so `t` goes round the same way */
	qsort(found, n, sizeof(found[0]), cmp_name);
	for (size_t i = 0; i < n; i++)
		list_add(l, found[i]);
}

void theme_list_init(struct theme_list *l, const struct theme_dirs *dirs)
{
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < themes_builtin_count; i++)
		list_add(l, themes_builtin[i].name);
	if (dirs) {
		list_add_dir(l, dirs->system);
		list_add_dir(l, dirs->user);
	}
}

const char *theme_list_next(const struct theme_list *l, const char *current)
{
	if (l->n == 0)
		return "default";
	for (size_t i = 0; current && i < l->n; i++) {
		if (strcmp(l->names[i], current) == 0)
			return l->names[(i + 1) % l->n];
	}
	return l->names[0];
}

/* ---- curses: colour pairs and attributes ------------------------------- */

static attr_t curses_attrs(unsigned a)
{
	attr_t r = A_NORMAL;

	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
	return r;
}

int theme_apply(const struct theme *t, enum theme_depth depth, int pairs,
		attr_t attr[ROLE_COUNT])
{
	struct theme_pair p[ROLE_COUNT];
	bool can_default = false;
	int rc = 0;

	if (depth != THEME_DEPTH_NONE)
		can_default = use_default_colors() == OK;
	theme_resolve(t, depth, can_default, p);
	for (int r = 0; r < ROLE_COUNT; r++) {
		attr[r] = curses_attrs(p[r].attrs);
		if (depth == THEME_DEPTH_NONE || r + 1 >= pairs)
			continue;
		if (init_extended_pair(r + 1, p[r].fg, p[r].bg) == OK)
			attr[r] |= COLOR_PAIR(r + 1);
		else
			rc = -1;
	}
	return rc;
}
