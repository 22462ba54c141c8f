/* theme.c: loading themes, mapping their colours to the terminal.
 *
 * A theme file is small JSON, read with jsonpos (the strict reader the config
 * uses too) so that every message points at the line and column of the bad key
 * or value and says what the config would say about the same mistake. Colours
 * stay as written (name, index or #rrggbb) until the theme is resolved for a
 * terminal depth; only then are they mapped down and checked against their
 * background.
 *
 * The last section is the only part that talks to curses; everything above
 * it is pure and tested without a terminal. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifndef ISITDOWN_THEMEDIR
#include "build_config.h"
#endif

#include "jsonpos.h"
#include "readfile.h"
#include "theme.h"
#include "themes_builtin.h"
#include "paths.h"
#include "utf8.h"

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

/* ---- reading a theme file ---------------------------------------------- */

/* Messages name paths, and the description is shown as it was written (what
 * messages quote from the file, jsonpos_quote has escaped already): control
 * characters (C0, DEL, and C1 written in UTF-8) must not reach a terminal as
 * escape sequences, nor stray bytes that a terminal not in UTF-8 reads as C1
 * controls (a lone 0x9b is CSI there). */
static void scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		/* NUL-terminated: a NUL fails the sequence before anything past it is read */
		size_t n = utf8_seq_len(p, UTF8_MAX);

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

/* The loader walks the cJSON tree and jsonpos's position tree side by side
 * (jsonpos.h), as the config loader does, so that both say the same thing
 * about the same mistake. */
struct loader {
	struct jsonpos_doc *doc;
	struct theme *t;
};

/* A string cut to fit size bytes, between characters. */
static void copy_cut(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int take_colour(struct loader *ld, const cJSON *it, const struct jsonpos *ip, int role,
		       struct theme_colour *out)
{
	char q[128];

	if (cJSON_IsString(it)) {
		if (theme_colour_parse(it->valuestring, out) < 0)
			return jsonpos_fail(ld->doc, ip->val_off, "unknown colour %s for role \"%s\"",
					    jsonpos_quote(it->valuestring, q, sizeof(q)), role_names[role]);
		return 0;
	}
	if (cJSON_IsNumber(it)) {
		double num = it->valuedouble;

		if (num != floor(num) || num < 0 || num > 255)
			return jsonpos_fail(ld->doc, ip->val_off,
					    "colour %g for role \"%s\" is not an index 0-255", num,
					    role_names[role]);
		out->kind = COLOUR_INDEX;
		out->value = (uint32_t)num;
		return 0;
	}
	return jsonpos_fail(ld->doc, ip->val_off,
			    "%s in role \"%s\" must be a colour name, \"#rrggbb\" or 0-255", it->string,
			    role_names[role]);
}

static int take_attrs(struct loader *ld, const cJSON *arr, const struct jsonpos *p, int role,
		      unsigned *out)
{
	const cJSON *it;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsArray(arr))
		return jsonpos_fail(ld->doc, p->val_off, "attrs in role \"%s\" must be a list like [\"bold\"]",
				    role_names[role]);
	*out = 0;
	cJSON_ArrayForEach(it, arr) {
		const struct jsonpos *ip = jsonpos_kid(p, i++);
		bool found = false;

		if (!cJSON_IsString(it))
			return jsonpos_fail(ld->doc, ip->val_off,
					    "attrs in role \"%s\" must hold attribute names in quotes",
					    role_names[role]);
		for (size_t a = 0; a < sizeof(attr_names) / sizeof(attr_names[0]); a++) {
			if (strcmp(it->valuestring, attr_names[a].name) == 0) {
				*out |= attr_names[a].bit;
				found = true;
			}
		}
		if (!found)
			return jsonpos_fail(ld->doc, ip->val_off,
					    "unknown attribute %s for role \"%s\" "
					    "(bold, dim, reverse, underline, italic)",
					    jsonpos_quote(it->valuestring, q, sizeof(q)), role_names[role]);
	}
	return 0;
}

static int take_role(struct loader *ld, const cJSON *obj, const struct jsonpos *p, int role)
{
	struct theme_style *st = &ld->t->style[role];
	char where[64];
	const cJSON *it;
	size_t i = 0;
	char q[128];
	int rc;

	if (!cJSON_IsObject(obj))
		return jsonpos_fail(ld->doc, p->val_off, "role \"%s\" must be an object like {\"fg\": \"red\"}",
				    role_names[role]);
	snprintf(where, sizeof(where), " in role \"%s\"", role_names[role]);
	if (jsonpos_check_repeats(ld->doc, obj, p, false, "key", where) < 0)
		return -EINVAL;
	st->defined = true;
	cJSON_ArrayForEach(it, obj) {
		const struct jsonpos *ip = jsonpos_kid(p, i++);

		if (strcmp(it->string, "fg") == 0)
			rc = take_colour(ld, it, ip, role, &st->fg);
		else if (strcmp(it->string, "bg") == 0)
			rc = take_colour(ld, it, ip, role, &st->bg);
		else if (strcmp(it->string, "attrs") == 0)
			rc = take_attrs(ld, it, ip, role, &st->attrs);
		else
			rc = jsonpos_fail(ld->doc, jsonpos_key_off(ip), "unknown key %s%s (fg, bg, attrs)",
					  jsonpos_quote(it->string, q, sizeof(q)), where);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int take_roles(struct loader *ld, const cJSON *obj, const struct jsonpos *p)
{
	const cJSON *it;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(obj))
		return jsonpos_fail(ld->doc, p->val_off, "roles must be an object");
	if (jsonpos_check_repeats(ld->doc, obj, p, false, "role", "") < 0)
		return -EINVAL;
	cJSON_ArrayForEach(it, obj) {
		const struct jsonpos *ip = jsonpos_kid(p, i++);
		int role = theme_role_from_name(it->string);

		if (role < 0)
			return jsonpos_fail(ld->doc, jsonpos_key_off(ip), "unknown role %s",
					    jsonpos_quote(it->string, q, sizeof(q)));
		if (take_role(ld, it, ip, role) < 0)
			return -EINVAL;
	}
	return 0;
}

static int take_top(struct loader *ld, const cJSON *root, const struct jsonpos *rp)
{
	const cJSON *it;
	bool roles = false;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(root))
		return jsonpos_fail(ld->doc, rp->val_off, "the top level must be an object");
	if (jsonpos_check_repeats(ld->doc, root, rp, false, "key", "") < 0)
		return -EINVAL;
	cJSON_ArrayForEach(it, root) {
		const struct jsonpos *ip = jsonpos_kid(rp, i++);
		const char *k = it->string;

		if (strcmp(k, "roles") == 0) {
			if (take_roles(ld, it, ip) < 0)
				return -EINVAL;
			roles = true;
		} else if (strcmp(k, "description") == 0) {
			if (!cJSON_IsString(it))
				return jsonpos_fail(ld->doc, ip->val_off, "description must be a string");
			copy_cut(ld->t->description, sizeof(ld->t->description), it->valuestring);
			/* shown to people like a message, so made as safe as one */
			scrub(ld->t->description);
		} else if (strcmp(k, "background") == 0) {
			if (cJSON_IsString(it) && strcmp(it->valuestring, "light") == 0)
				ld->t->light = true;
			else if (cJSON_IsString(it) && strcmp(it->valuestring, "dark") == 0)
				ld->t->light = false;
			else
				return jsonpos_fail(ld->doc, ip->val_off,
						    "background must be \"dark\" or \"light\"");
		} else {
			return jsonpos_fail(ld->doc, jsonpos_key_off(ip),
					    "unknown key %s (description, background, roles)",
					    jsonpos_quote(k, q, sizeof(q)));
		}
	}
	if (!roles)
		return jsonpos_fail(ld->doc, rp->val_off, "missing key \"roles\"");
	return 0;
}

int theme_parse(struct theme *t, const char *name, const char *text, size_t len,
		const char *source, char *err, size_t errsize)
{
	struct jsonpos_doc doc;
	struct loader ld = {&doc, t};
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	rc = jsonpos_parse(&doc, text, len, source, err, errsize);
	if (rc == 0)
		rc = take_top(&ld, doc.json, &doc.root);
	jsonpos_doc_done(&doc);
	if (rc < 0 && err && errsize)
		scrub(err);
	return rc;
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
	char *text = NULL;
	size_t len;
	int rc;

	base = base ? base + 1 : path;
	snprintf(name, sizeof(name), "%.*s", (int)(ends_with(base, ".json") ? strlen(base) - 5 :
						 strlen(base)), base);
	memset(t, 0, sizeof(*t));
	rc = readfile(path, THEME_FILE_MAX, READFILE_REGULAR, &text, &len, err, errsize);
	if (rc == 0)
		rc = theme_parse(t, name, text, len, path, err, errsize);
	free(text);
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
	char dir[sizeof(d->user) - 8];

	memset(d, 0, sizeof(*d));
	if (paths_config_dir(dir, sizeof(dir)) == 0)
		snprintf(d->user, sizeof(d->user), "%s/themes", dir);
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
