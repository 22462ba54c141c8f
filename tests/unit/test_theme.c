/* test_theme.c: shipped themes, colour mapping, messages for broken themes,
 * the invisible-colour guard, and what reaches curses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build_config.h"
#include "theme.h"
#include "themes_builtin.h"

#define THEMES_DIR TEST_DATA_DIR "/../../themes"

/* ---- curses, as far as theme_apply uses it ------------------------------- */

static bool fake_default_ok = true;
static int fake_calls;
static int fake_fg[512], fake_bg[512];

int use_default_colors(void)
{
	return fake_default_ok ? OK : ERR;
}

int init_extended_pair(int pair, int fg, int bg)
{
	fake_calls++;
	if (pair < 1 || pair >= 512)
		return ERR;
	fake_fg[pair] = fg;
	fake_bg[pair] = bg;
	return OK;
}

static void fake_reset(void)
{
	fake_default_ok = true;
	fake_calls = 0;
	memset(fake_fg, 0x7f, sizeof(fake_fg));
	memset(fake_bg, 0x7f, sizeof(fake_bg));
}

/* ---- helpers ------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[sizeof(((struct theme_dirs *)0)->user) + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
	char path[sizeof(((struct theme_dirs *)0)->user) + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static const char *const shipped[] = {"default", "light", "high-contrast", "solarized-dark", "mono"};
#define N_SHIPPED (sizeof(shipped) / sizeof(shipped[0]))

/* ---- shipped themes ------------------------------------------------------ */

static void test_builtin_copies_equal_files(void **state)
{
	size_t files = 0;
	DIR *d;
	struct dirent *e;

	for (size_t i = 0; i < themes_builtin_count; i++) {
		char path[512];
		size_t len = 0;
		char *text;

		snprintf(path, sizeof(path), "%s/%s.json", THEMES_DIR, themes_builtin[i].name);
		text = read_all(path, &len);
		if (!text)
			fail_msg("%s: missing", path);
		if (len != strlen(themes_builtin[i].json) ||
		    memcmp(text, themes_builtin[i].json, len) != 0)
			fail_msg("%s differs from its compiled-in copy in tui/themes_builtin.c", path);
		free(text);
	}
	/* and every file in themes/ is compiled in */
	d = opendir(THEMES_DIR);
	assert_non_null(d);
	for (e = readdir(d); e; e = readdir(d)) {
		char name[256];
		struct theme t;

		if (!ends_with(e->d_name, ".json"))
			continue;
		files++;
		snprintf(name, sizeof(name), "%.*s", (int)strlen(e->d_name) - 5, e->d_name);
		if (theme_builtin(&t, name) != 0)
			fail_msg("themes/%s is not compiled in", e->d_name);
	}
	closedir(d);
	assert_int_equal(files, themes_builtin_count);
}

static void test_shipped_themes_load_with_every_role(void **state)
{
	for (size_t i = 0; i < N_SHIPPED; i++) {
		struct theme built, file;
		char path[512], err[256] = "";

		assert_int_equal(theme_builtin(&built, shipped[i]), 0);
		assert_string_equal(built.name, shipped[i]);
		assert_true(strlen(built.description) > 0);
		for (int r = 0; r < ROLE_COUNT; r++) {
			if (!built.style[r].defined)
				fail_msg("theme %s has no role %s", shipped[i], theme_role_name(r));
		}
		snprintf(path, sizeof(path), "%s/%s.json", THEMES_DIR, shipped[i]);
		if (theme_load_file(&file, path, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_memory_equal(&built, &file, sizeof(built));
	}
	assert_int_equal(strcmp(themes_builtin[0].name, "default"), 0);
}

static void test_mono_has_attributes_only(void **state)
{
	struct theme t;

	assert_int_equal(theme_builtin(&t, "mono"), 0);
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_int_equal(t.style[r].fg.kind, COLOUR_DEFAULT);
		assert_int_equal(t.style[r].bg.kind, COLOUR_DEFAULT);
		assert_int_equal(t.style[r].attrs & ~(THEME_BOLD | THEME_REVERSE | THEME_UNDERLINE), 0);
	}
	/* the selection and a major outage stand out without colour */
	assert_true(t.style[ROLE_SELECTION].attrs & THEME_REVERSE);
	assert_true(t.style[ROLE_STATE_MAJOR].attrs != 0);
	assert_true(t.style[ROLE_BORDER_FOCUS].attrs != t.style[ROLE_BORDER].attrs);
}

static void test_role_names_round_trip(void **state)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_non_null(theme_role_name(r));
		assert_string_not_equal(theme_role_name(r), "?");
		assert_int_equal(theme_role_from_name(theme_role_name(r)), r);
	}
	assert_int_equal(theme_role_from_name("state.majr"), -1);
	assert_int_equal(theme_role_from_name("STATE.MAJOR"), -1);
}

/* ---- colours ------------------------------------------------------------- */

static void test_rgb_to_256_and_8(void **state)
{
	const struct {
		uint32_t rgb;
		int i256, i8;
	} cases[] = {
		{0xff0000, 196, 1}, {0x808080, 244, 7}, {0x000000, 16, 0},
		{0xffffff, 231, 7}, {0x00ff00, 46, 2}, {0x0000ff, 21, 4},
		{0xffff00, 226, 3}, {0x00ffff, 51, 6}, {0xff00ff, 201, 5},
		{0x5fafff, 75, 4},  {0xff8700, 208, 3}, {0x121212, 233, 0},
		{0x303030, 236, 0}, {0xd70000, 160, 1}, {0x005f87, 24, 6},
		{0xaf87ff, 141, 4}, {0x002b36, 234, 0},  {0xeeeeee, 255, 7},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (theme_rgb_to_256(cases[i].rgb) != cases[i].i256)
			fail_msg("#%06x -> %d, expected %d", cases[i].rgb,
				 theme_rgb_to_256(cases[i].rgb), cases[i].i256);
		if (theme_rgb_to_8(cases[i].rgb) != cases[i].i8)
			fail_msg("#%06x -> basic %d, expected %d", cases[i].rgb,
				 theme_rgb_to_8(cases[i].rgb), cases[i].i8);
	}
	assert_int_equal(theme_256_to_rgb(196), 0xff0000);
	assert_int_equal(theme_256_to_rgb(244), 0x808080);
	assert_int_equal(theme_256_to_rgb(232), 0x080808);
	assert_int_equal(theme_256_to_rgb(1), 0xcd0000);
	/* every colour of the cube and the grey ramp maps back to itself */
	for (int i = 16; i < 256; i++)
		assert_int_equal(theme_rgb_to_256(theme_256_to_rgb(i)), i);
}

static void test_colour_parse(void **state)
{
	struct theme_colour c;

	assert_int_equal(theme_colour_parse("red", &c), 0);
	assert_int_equal(c.kind, COLOUR_BASIC);
	assert_int_equal(c.value, 1);
	assert_int_equal(theme_colour_parse("WHITE", &c), 0);
	assert_int_equal(c.value, 7);
	assert_int_equal(theme_colour_parse("default", &c), 0);
	assert_int_equal(c.kind, COLOUR_DEFAULT);
	assert_int_equal(theme_colour_parse("#FF8700", &c), 0);
	assert_int_equal(c.kind, COLOUR_RGB);
	assert_int_equal(c.value, 0xff8700);
	assert_int_equal(theme_colour_parse("208", &c), 0);
	assert_int_equal(c.kind, COLOUR_INDEX);
	assert_int_equal(c.value, 208);
	assert_int_equal(theme_colour_parse("purpel", &c), -EINVAL);
	assert_int_equal(theme_colour_parse("#ff870", &c), -EINVAL);
	assert_int_equal(theme_colour_parse("#ff870g", &c), -EINVAL);
	assert_int_equal(theme_colour_parse("256", &c), -EINVAL);
	assert_int_equal(theme_colour_parse("", &c), -EINVAL);
	assert_int_equal(theme_colour_parse("1e2", &c), -EINVAL);
}

static void test_depth_detect(void **state)
{
	assert_int_equal(theme_depth_detect(true, 256, false, ""), THEME_DEPTH_NONE);
	assert_int_equal(theme_depth_detect(true, 256, false, "1"), THEME_DEPTH_NONE);
	assert_int_equal(theme_depth_detect(false, 256, false, NULL), THEME_DEPTH_NONE);
	assert_int_equal(theme_depth_detect(true, 2, false, NULL), THEME_DEPTH_NONE);
	assert_int_equal(theme_depth_detect(true, 8, false, NULL), THEME_DEPTH_8);
	assert_int_equal(theme_depth_detect(true, 16, false, NULL), THEME_DEPTH_8);
	assert_int_equal(theme_depth_detect(true, 88, false, NULL), THEME_DEPTH_8);
	assert_int_equal(theme_depth_detect(true, 256, false, NULL), THEME_DEPTH_256);
	assert_int_equal(theme_depth_detect(true, 0x1000000, true, NULL), THEME_DEPTH_DIRECT);
	assert_int_equal(theme_depth_detect(true, 0x1000000, false, NULL), THEME_DEPTH_256);
}

/* ---- broken themes ------------------------------------------------------- */

static void expect_error(const char *text, const char *message)
{
	struct theme t;
	char err[256] = "";

	if (theme_parse(&t, "mytheme", text, strlen(text), "mytheme.json", err, sizeof(err)) == 0)
		fail_msg("parsed, expected: %s", message);
	if (strcmp(err, message) != 0)
		fail_msg("got      %s\nexpected %s", err, message);
}

static void test_broken_themes_say_where(void **state)
{
	expect_error("{\n"
		     "  \"roles\": {\n"
		     "    \"state.major\": { \"fg\": \"purpel\" }\n"
		     "  }\n"
		     "}\n",
		     "mytheme.json:3:28: unknown colour \"purpel\" for role \"state.major\"");
	expect_error("{\n"
		     "  \"roles\": {\n"
		     "    \"title\": { \"fg\": \"red\" },\n"
		     "    \"state.majr\": { \"fg\": \"red\" }\n"
		     "  }\n"
		     "}\n",
		     "mytheme.json:4:5: unknown role \"state.majr\"");
	expect_error("{ \"roles\": { \"title\": { \"attrs\": [\"bold\", \"blod\"] } } }",
		     "mytheme.json:1:43: unknown attribute \"blod\" for role \"title\" "
		     "(bold, dim, reverse, underline, italic)");
	expect_error("{ \"roles\": { \"title\": { \"fgg\": \"red\" } } }",
		     "mytheme.json:1:25: unknown key \"fgg\" in role \"title\" (fg, bg, attrs)");
	expect_error("{\n  \"roles\": {\n    \"title\": {}\n    \"dim\": {}\n  }\n}\n",
		     "mytheme.json:4:5: syntax error: expected ',' or '}', found '\"'");
	expect_error("{\n  \"roles\": {\n    \"title\": {}\n",
		     "mytheme.json:4:1: syntax error: unexpected end of file, expected ',' or '}'");
	expect_error("[1, 2]", "mytheme.json:1:1: the top level must be an object");
	expect_error("  \n\t ", "mytheme.json:2:3: file is empty");
	expect_error("{ \"roles\": {} } x", "mytheme.json:1:17: syntax error: expected the end of the file "
		     "after the top-level value, found 'x'");
	expect_error("{ \"description\": \"no roles\" }", "mytheme.json:1:1: missing key \"roles\"");
	expect_error("{ \"rolez\": {} }",
		     "mytheme.json:1:3: unknown key \"rolez\" (description, background, roles)");
	expect_error("{ \"roles\": { \"dim\": {}, \"dim\": {} } }",
		     "mytheme.json:1:25: duplicate role \"dim\" (first at 1:14)");
	expect_error("{ \"roles\": { \"dim\": { \"fg\": true } } }",
		     "mytheme.json:1:29: fg in role \"dim\" must be a colour name, \"#rrggbb\" or 0-255");
	expect_error("{ \"roles\": { \"dim\": { \"bg\": 300 } } }",
		     "mytheme.json:1:29: colour 300 for role \"dim\" is not an index 0-255");
	expect_error("{ \"roles\": { \"dim\": { \"bg\": 7.5 } } }",
		     "mytheme.json:1:29: colour 7.5 for role \"dim\" is not an index 0-255");
	expect_error("{ \"roles\": { \"dim\": { \"attrs\": \"bold\" } } }",
		     "mytheme.json:1:32: attrs in role \"dim\" must be a list like [\"bold\"]");
	expect_error("{ \"roles\": { \"dim\": \"red\" } }",
		     "mytheme.json:1:21: role \"dim\" must be an object like {\"fg\": \"red\"}");
	expect_error("{ \"background\": \"grey\", \"roles\": {} }",
		     "mytheme.json:1:17: background must be \"dark\" or \"light\"");
	expect_error("{ \"roles\": { \"dim\": { \"fg\": \"red\", \"fg\": \"blue\" } } }",
		     "mytheme.json:1:36: duplicate key \"fg\" in role \"dim\" (first at 1:23)");
	expect_error("{ \"roles\": { \"dim\": { \"fg\": \"re\\q\" } } }",
		     "mytheme.json:1:32: syntax error: invalid escape '\\q' in string");
	expect_error("{ \"roles\": { \"dim\": { \"fg\": \"\\ud800\" } } }",
		     "mytheme.json:1:30: syntax error: unpaired surrogate in \\u escape");
	expect_error("{ \"roles\": { \"dim\": { \"fg\": \"red } } }",
		     "mytheme.json:1:29: syntax error: unterminated string");
	expect_error("{ roles: {} }", "mytheme.json:1:3: syntax error: expected a key in double quotes, found 'roles'");
	/* what the file says is quoted, but never as a terminal escape */
	expect_error("{ \"roles\": { \"\\u001b[2J\\u009b\": {} } }",
		     "mytheme.json:1:14: unknown role \"\\x1b[2J\\u009b\"");
	/* the mistakes people make in JSON by hand, worded as for the config */
	expect_error("{ // mine\n  \"roles\": {} }",
		     "mytheme.json:1:3: syntax error: comments are not allowed in json");
	expect_error("{ \"roles\": {}, }", "mytheme.json:1:14: syntax error: trailing comma before '}'");
	expect_error("{ \"description\": \"x\xff\", \"roles\": {} }",
		     "mytheme.json:1:20: syntax error: invalid utf-8 in string");
	expect_error("{ \"roles\": {}, \"roles\": {} }",
		     "mytheme.json:1:16: duplicate key \"roles\" (first at 1:3)");
	/* columns count characters, as an editor shows them, not bytes */
	expect_error("{\"description\": \"café ☕\", \"x\": 1}",
		     "mytheme.json:1:27: unknown key \"x\" (description, background, roles)");
}

static void test_parse_accepts_json_details(void **state)
{
	struct theme t;
	char err[256];
	const char *text = "\xef\xbb\xbf{ \"description\": \"caf\\u00e9 \\ud83d\\ude00\",\r\n"
			   "\"background\": \"light\", \"roles\": { \"dim\": { \"fg\": 244, "
			   "\"bg\": \"#FFFFFF\", \"attrs\": [] }, \"title\": { \"fg\": \"\\u0072ed\" } } }";

	assert_int_equal(theme_parse(&t, "x", text, strlen(text), "x.json", err, sizeof(err)), 0);
	assert_string_equal(t.description, "café 😀");
	assert_true(t.light);
	assert_int_equal(t.style[ROLE_DIM].fg.kind, COLOUR_INDEX);
	assert_int_equal(t.style[ROLE_DIM].fg.value, 244);
	assert_int_equal(t.style[ROLE_DIM].bg.value, 0xffffff);
	assert_int_equal(t.style[ROLE_TITLE].fg.kind, COLOUR_BASIC);
	assert_int_equal(t.style[ROLE_TITLE].fg.value, 1);
	assert_false(t.style[ROLE_NORMAL].defined);
	/* a long description is cut between characters */
	{
		char longer[1024];
		size_t n = (size_t)snprintf(longer, sizeof(longer), "{ \"description\": \"");

		for (int i = 0; i < 200; i++)
			n += (size_t)snprintf(longer + n, sizeof(longer) - n, "\xc3\xa9");
		snprintf(longer + n, sizeof(longer) - n, "\", \"roles\": {} }");
		assert_int_equal(theme_parse(&t, "x", longer, strlen(longer), "x.json", err, sizeof(err)), 0);
		assert_int_equal(strlen(t.description), sizeof(t.description) - 2);
		assert_memory_equal(t.description, "\xc3\xa9\xc3\xa9", 4);
		assert_int_equal((unsigned char)t.description[sizeof(t.description) - 3], 0xa9);
	}
	/* a text cut short at any point is an error, never a crash */
	for (size_t n = 0; n < strlen(text); n++)
		assert_int_equal(theme_parse(&t, "x", text, n, "x.json", err, sizeof(err)), -EINVAL);
}

/* ---- finding themes ------------------------------------------------------ */

struct tmpdirs {
	char root[64];
	struct theme_dirs dirs;
};

static int setup_dirs(void **state)
{
	struct tmpdirs *td = calloc(1, sizeof(*td));

	snprintf(td->root, sizeof(td->root), "/tmp/isitdown-theme-XXXXXX");
	if (!mkdtemp(td->root))
		return -1;
	snprintf(td->dirs.user, sizeof(td->dirs.user), "%s/user", td->root);
	snprintf(td->dirs.system, sizeof(td->dirs.system), "%s/system", td->root);
	mkdir(td->dirs.user, 0700);
	mkdir(td->dirs.system, 0700);
	*state = td;
	return 0;
}

static int teardown_dirs(void **state)
{
	struct tmpdirs *td = *state;
	const char *names[] = {"mine.json", "broken.json", "default.json", "zz.json", "aa.json",
			       "sys.json", ".hidden.json", "notes.txt"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		remove_file(td->dirs.user, names[i]);
		remove_file(td->dirs.system, names[i]);
	}
	rmdir(td->dirs.user);
	rmdir(td->dirs.system);
	rmdir(td->root);
	free(td);
	return 0;
}

static const char mine[] = "{ \"description\": \"mine\", \"roles\": { \"title\": { \"fg\": \"cyan\" } } }\n";

static void test_find_by_name_and_path(void **state)
{
	struct tmpdirs *td = *state;
	struct theme t;
	char err[512], path[sizeof(td->dirs.user) + 16];

	write_file(td->dirs.user, "mine.json", mine);
	write_file(td->dirs.system, "sys.json", mine);
	/* a user's theme by the name of a shipped one wins over the shipped one */
	write_file(td->dirs.user, "default.json", mine);

	assert_int_equal(theme_find(&t, "mine", &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.name, "mine");
	assert_int_equal(t.style[ROLE_TITLE].fg.value, 6);
	assert_int_equal(theme_find(&t, "sys", &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.name, "sys");
	assert_int_equal(theme_find(&t, "default", &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.description, "mine");
	/* compiled in when nothing is installed */
	assert_int_equal(theme_find(&t, "solarized-dark", &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.name, "solarized-dark");
	assert_int_equal(theme_find(&t, "light", NULL, err, sizeof(err)), 0);
	assert_true(t.light);
	/* by path */
	snprintf(path, sizeof(path), "%s/mine.json", td->dirs.user);
	assert_int_equal(theme_find(&t, path, &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.name, "mine");
	/* nothing asked for: the default */
	assert_int_equal(theme_find(&t, NULL, &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.name, "default");
	assert_int_equal(theme_find(&t, "", &td->dirs, err, sizeof(err)), 0);
	assert_string_equal(t.name, "default");
}

static void test_broken_or_missing_theme_falls_back(void **state)
{
	struct tmpdirs *td = *state;
	struct theme t, def;
	char err[512], expect[sizeof(td->dirs.user) + 128];

	theme_default(&def);
	write_file(td->dirs.user, "broken.json",
		   "{\n  \"roles\": {\n    \"state.major\": { \"fg\": \"purpel\" }\n  }\n}\n");
	assert_true(theme_find(&t, "broken", &td->dirs, err, sizeof(err)) < 0);
	snprintf(expect, sizeof(expect),
		 "%s/broken.json:3:28: unknown colour \"purpel\" for role \"state.major\"",
		 td->dirs.user);
	assert_string_equal(err, expect);
	assert_memory_equal(&t, &def, sizeof(t));

	assert_int_equal(theme_find(&t, "nosuch", &td->dirs, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "unknown theme \"nosuch\" (default, light, high-contrast, "
				 "solarized-dark, mono, or a file)");
	assert_memory_equal(&t, &def, sizeof(t));

	assert_true(theme_find(&t, "/nonexistent/x.json", &td->dirs, err, sizeof(err)) < 0);
	assert_string_equal(err, "/nonexistent/x.json: cannot open: No such file or directory");
	assert_memory_equal(&t, &def, sizeof(t));

	/* a directory is no theme */
	assert_true(theme_find(&t, td->dirs.user, &td->dirs, err, sizeof(err)) < 0);
	assert_memory_equal(&t, &def, sizeof(t));
	/* a name cannot climb out of the theme directories */
	assert_int_equal(theme_find(&t, "..", &td->dirs, err, sizeof(err)), -ENOENT);
	assert_int_equal(theme_find(&t, "a b", &td->dirs, err, sizeof(err)), -ENOENT);
}

static void test_list_for_cycling(void **state)
{
	struct tmpdirs *td = *state;
	struct theme_list l;
	const char *name;

	write_file(td->dirs.user, "zz.json", mine);
	write_file(td->dirs.user, "aa.json", mine);
	write_file(td->dirs.user, "default.json", mine);
	write_file(td->dirs.user, ".hidden.json", mine);
	write_file(td->dirs.user, "notes.txt", "not a theme");
	write_file(td->dirs.system, "sys.json", mine);

	theme_list_init(&l, &td->dirs);
	assert_int_equal(l.n, 8);
	for (size_t i = 0; i < N_SHIPPED; i++)
		assert_string_equal(l.names[i], shipped[i]);
	assert_string_equal(l.names[5], "sys");
	assert_string_equal(l.names[6], "aa");
	assert_string_equal(l.names[7], "zz");

	name = "default";
	for (size_t i = 0; i < l.n; i++)
		name = theme_list_next(&l, name);
	assert_string_equal(name, "default");
	assert_string_equal(theme_list_next(&l, "mono"), "sys");
	assert_string_equal(theme_list_next(&l, "zz"), "default");
	assert_string_equal(theme_list_next(&l, "/some/path/x.json"), "default");

	theme_list_init(&l, NULL);
	assert_int_equal(l.n, N_SHIPPED);
}

static void test_dirs_from_environment(void **state)
{
	struct theme_dirs d;
	char *old_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("HOME", "/home/u", 1);
	theme_dirs_init(&d);
	assert_string_equal(d.user, "/cfg/isitdown/themes");
	assert_string_equal(d.system, ISITDOWN_THEMEDIR);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	theme_dirs_init(&d);
	assert_string_equal(d.user, "/home/u/.config/isitdown/themes");
	unsetenv("XDG_CONFIG_HOME");
	theme_dirs_init(&d);
	assert_string_equal(d.user, "/home/u/.config/isitdown/themes");
	unsetenv("HOME");
	theme_dirs_init(&d);
	assert_string_equal(d.user, "");

	if (old_xdg)
		setenv("XDG_CONFIG_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
}

/* ---- resolving for a terminal ------------------------------------------- */

static void check_visible(const struct theme *t, enum theme_depth d, bool can_default)
{
	struct theme_pair p[ROLE_COUNT];
	uint32_t assumed_fg = t->light ? 0x000000 : 0xffffff;
	uint32_t assumed_bg = t->light ? 0xffffff : 0x000000;

	theme_resolve(t, d, can_default, p);
	for (int r = 0; r < ROLE_COUNT; r++) {
		uint32_t fg = p[r].fg < 0 ? assumed_fg : theme_number_rgb(p[r].fg, d);
		uint32_t bg = p[r].bg < 0 ? assumed_bg : theme_number_rgb(p[r].bg, d);

		if (!can_default && (p[r].fg < 0 || p[r].bg < 0))
			fail_msg("%s depth %d: role %s uses default colours", t->name, d,
				 theme_role_name(r));
		if (p[r].fg < 0 && p[r].bg < 0)
			continue;
		if (theme_colours_clash(fg, bg))
			fail_msg("%s depth %d: role %s is invisible (%06x on %06x)", t->name, d,
				 theme_role_name(r), fg, bg);
		if (d == THEME_DEPTH_8 && (p[r].fg > 7 || p[r].bg > 7))
			fail_msg("%s: role %s beyond 8 colours", t->name, theme_role_name(r));
		if (d == THEME_DEPTH_256 && (p[r].fg > 255 || p[r].bg > 255))
			fail_msg("%s: role %s beyond 256 colours", t->name, theme_role_name(r));
	}
}

static void test_nothing_is_invisible(void **state)
{
	const enum theme_depth depths[] = {THEME_DEPTH_8, THEME_DEPTH_256, THEME_DEPTH_DIRECT};
	struct theme t;
	struct theme_pair p[ROLE_COUNT];
	char err[256];
	const char *same = "{ \"roles\": { \"title\": { \"fg\": \"#336699\", \"bg\": \"#336699\" },"
			   " \"dim\": { \"fg\": \"#1c1c1c\" }, \"border\": { \"fg\": 4, \"bg\": \"blue\" } } }";

	for (size_t i = 0; i < N_SHIPPED; i++) {
		assert_int_equal(theme_builtin(&t, shipped[i]), 0);
		for (size_t d = 0; d < 3; d++) {
			check_visible(&t, depths[d], true);
			check_visible(&t, depths[d], false);
		}
	}
	assert_int_equal(theme_parse(&t, "same", same, strlen(same), "same.json", err, sizeof(err)), 0);
	for (size_t d = 0; d < 3; d++) {
		check_visible(&t, depths[d], true);
		check_visible(&t, depths[d], false);
	}
	/* written the same: the text turns white on the dark blue */
	theme_resolve(&t, THEME_DEPTH_256, true, p);
	assert_int_equal(p[ROLE_TITLE].bg, 60);
	assert_int_equal(p[ROLE_TITLE].fg, 231);
	/* near-black text on a dark terminal: fine with 256 colours, but black
	 * with 8, so it turns white there */
	assert_int_equal(p[ROLE_DIM].fg, 234);
	theme_resolve(&t, THEME_DEPTH_8, true, p);
	assert_int_equal(p[ROLE_DIM].fg, 7);
	assert_int_equal(p[ROLE_DIM].bg, -1);
	assert_int_equal(p[ROLE_BORDER].bg, 4);
	assert_int_equal(p[ROLE_BORDER].fg, 7);

	/* light grey on white comes out black with 8 colours */
	assert_int_equal(theme_builtin(&t, "light"), 0);
	theme_resolve(&t, THEME_DEPTH_8, true, p);
	assert_int_equal(p[ROLE_BORDER].bg, 7);
	assert_int_equal(p[ROLE_BORDER].fg, 0);
	theme_resolve(&t, THEME_DEPTH_256, true, p);
	assert_int_equal(p[ROLE_BORDER].fg, 248);
	assert_int_equal(p[ROLE_BORDER].bg, 231);
}

static void test_resolve_maps_to_depth(void **state)
{
	struct theme t;
	struct theme_pair p[ROLE_COUNT];

	theme_default(&t);
	theme_resolve(&t, THEME_DEPTH_256, true, p);
	assert_int_equal(p[ROLE_NORMAL].fg, -1);
	assert_int_equal(p[ROLE_NORMAL].bg, -1);
	assert_int_equal(p[ROLE_STATE_MAJOR].fg, 203);
	assert_int_equal(p[ROLE_STATE_MAJOR].attrs, THEME_BOLD);
	assert_int_equal(p[ROLE_SELECTION].bg, 24);
	theme_resolve(&t, THEME_DEPTH_8, true, p);
	assert_int_equal(p[ROLE_STATE_MAJOR].fg, 1);
	assert_int_equal(p[ROLE_STATE_OPERATIONAL].fg, 2);
	assert_int_equal(p[ROLE_STATE_DEGRADED].fg, 3);
	theme_resolve(&t, THEME_DEPTH_DIRECT, true, p);
	assert_int_equal(p[ROLE_STATE_MAJOR].fg, 0xff5f5f);
	/* without the terminal's default colours, the theme's guess stands in */
	theme_resolve(&t, THEME_DEPTH_256, false, p);
	assert_int_equal(p[ROLE_NORMAL].fg, 231);
	assert_int_equal(p[ROLE_NORMAL].bg, 16);

	/* roles a theme leaves out look like its normal text */
	{
		const char *text = "{ \"roles\": { \"normal\": { \"fg\": \"#ffffff\", \"bg\": \"#000087\" } } }";
		char err[128];

		assert_int_equal(theme_parse(&t, "n", text, strlen(text), "n.json", err, sizeof(err)), 0);
		theme_resolve(&t, THEME_DEPTH_256, true, p);
		assert_int_equal(p[ROLE_TITLE].fg, 231);
		assert_int_equal(p[ROLE_TITLE].bg, 18);
		assert_int_equal(p[ROLE_TITLE].attrs, 0);
	}
}

static void test_no_colour_uses_mono(void **state)
{
	struct theme t, mono;
	struct theme_pair p[ROLE_COUNT];

	assert_int_equal(theme_builtin(&mono, "mono"), 0);
	for (size_t i = 0; i < N_SHIPPED; i++) {
		assert_int_equal(theme_builtin(&t, shipped[i]), 0);
		theme_resolve(&t, THEME_DEPTH_NONE, true, p);
		for (int r = 0; r < ROLE_COUNT; r++) {
			assert_int_equal(p[r].fg, -1);
			assert_int_equal(p[r].bg, -1);
			assert_int_equal(p[r].attrs, mono.style[r].attrs);
		}
	}
}

/* ---- curses -------------------------------------------------------------- */

static void test_apply_sets_pairs(void **state)
{
	struct theme t;
	attr_t attr[ROLE_COUNT];

	theme_default(&t);
	fake_reset();
	assert_int_equal(theme_apply(&t, THEME_DEPTH_256, 256, attr), 0);
	assert_int_equal(fake_calls, ROLE_COUNT);
	assert_int_equal(fake_fg[ROLE_STATE_MAJOR + 1], 203);
	assert_int_equal(fake_bg[ROLE_STATE_MAJOR + 1], -1);
	assert_int_equal(attr[ROLE_STATE_MAJOR], A_BOLD | COLOR_PAIR(ROLE_STATE_MAJOR + 1));
	assert_int_equal(attr[ROLE_SELECTION], COLOR_PAIR(ROLE_SELECTION + 1));

	/* a terminal with few pairs: the first roles get colour, the rest keep
	 * their attributes */
	fake_reset();
	assert_int_equal(theme_apply(&t, THEME_DEPTH_8, 8, attr), 0);
	assert_int_equal(fake_calls, 7);
	assert_int_equal(attr[ROLE_STATE_MAJOR], A_BOLD | COLOR_PAIR(ROLE_STATE_MAJOR + 1));
	assert_int_equal(attr[ROLE_LOG_CRITICAL], A_BOLD);

	/* no default colours: every pair gets real colours */
	fake_reset();
	fake_default_ok = false;
	theme_apply(&t, THEME_DEPTH_256, 256, attr);
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_true(fake_fg[r + 1] >= 0);
		assert_true(fake_bg[r + 1] >= 0);
	}

	/* NO_COLOR: attributes from mono, no pairs at all */
	fake_reset();
	assert_int_equal(theme_apply(&t, THEME_DEPTH_NONE, 256, attr), 0);
	assert_int_equal(fake_calls, 0);
	assert_int_equal(attr[ROLE_SELECTION], A_REVERSE);
	assert_int_equal(attr[ROLE_STATE_MAJOR], A_BOLD | A_REVERSE);
	assert_int_equal(attr[ROLE_NORMAL], A_NORMAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_copies_equal_files),
		cmocka_unit_test(test_shipped_themes_load_with_every_role),
		cmocka_unit_test(test_mono_has_attributes_only),
		cmocka_unit_test(test_role_names_round_trip),
		cmocka_unit_test(test_rgb_to_256_and_8),
		cmocka_unit_test(test_colour_parse),
		cmocka_unit_test(test_depth_detect),
		cmocka_unit_test(test_broken_themes_say_where),
		cmocka_unit_test(test_parse_accepts_json_details),
		cmocka_unit_test_setup_teardown(test_find_by_name_and_path, setup_dirs, teardown_dirs),
		cmocka_unit_test_setup_teardown(test_broken_or_missing_theme_falls_back, setup_dirs,
						teardown_dirs),
		cmocka_unit_test_setup_teardown(test_list_for_cycling, setup_dirs, teardown_dirs),
		cmocka_unit_test(test_dirs_from_environment),
		cmocka_unit_test(test_nothing_is_invisible),
		cmocka_unit_test(test_resolve_maps_to_depth),
		cmocka_unit_test(test_no_colour_uses_mono),
		cmocka_unit_test(test_apply_sets_pairs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
