/* theme.h: colour themes as tables of roles.
 *
 * The screen asks for a role (ROLE_STATE_MAJOR, ROLE_BORDER_FOCUS) and never
 * for a colour. A theme is a JSON file (themes/NAME.json, also compiled in)
 * giving each role a foreground, a background and attributes; colours are
 * mapped down to what the terminal has when the theme is applied, and a
 * colour that would vanish into its background is replaced. */
#ifndef ISITDOWN_THEME_H
#define ISITDOWN_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

enum theme_role {
	ROLE_NORMAL,             /* plain text; its background fills the screen */
	ROLE_STATE_OPERATIONAL,
	ROLE_STATE_DEGRADED,
	ROLE_STATE_PARTIAL,
	ROLE_STATE_MAJOR,
	ROLE_STATE_MAINTENANCE,
	ROLE_STATE_UNKNOWN,
	ROLE_BORDER,
	ROLE_BORDER_FOCUS,
	ROLE_TITLE,
	ROLE_SELECTION,
	ROLE_DIM,
	ROLE_HEADER,             /* column headings */
	ROLE_FOOTER,
	ROLE_FOOTER_KEY,
	ROLE_LOG_INFO,
	ROLE_LOG_NOTICE,
	ROLE_LOG_WARNING,
	ROLE_LOG_CRITICAL,
	ROLE_SPARK_OK,           /* answers, low third of the scale */
	ROLE_SPARK_MID,          /* answers, middle third */
	ROLE_SPARK_HIGH,         /* answers, top third */
	ROLE_SPARK_SLOW,
	ROLE_SPARK_FAIL,
	ROLE_SPARK_EMPTY,
	ROLE_SPARK_AXIS,
	ROLE_PHASE_DNS,
	ROLE_PHASE_CONNECT,
	ROLE_PHASE_TLS,
	ROLE_PHASE_TTFB,
	ROLE_PHASE_TRANSFER,
	ROLE_COUNT
};

enum theme_colour_kind {
	COLOUR_DEFAULT, /* the terminal's own foreground or background */
	COLOUR_BASIC,   /* one of the 8 basic colours, 0-7 */
	COLOUR_INDEX,   /* an xterm-256 index, 0-255 */
	COLOUR_RGB,     /* 0xrrggbb */
};

struct theme_colour {
	enum theme_colour_kind kind;
	uint32_t value;
};

#define THEME_BOLD      0x01u
#define THEME_DIM       0x02u
#define THEME_REVERSE   0x04u
#define THEME_UNDERLINE 0x08u
#define THEME_ITALIC    0x10u

struct theme_style {
	struct theme_colour fg, bg; /* COLOUR_DEFAULT: the normal role's colour */
	unsigned attrs;             /* THEME_* bits */
	bool defined;               /* given in the theme file */
};

#define THEME_NAME_MAX 64

struct theme {
	char name[THEME_NAME_MAX];
	char description[128];
	bool light;  /* made for a light terminal background */
	struct theme_style style[ROLE_COUNT];
};

/* How many colours the terminal shows. */
enum theme_depth {
	THEME_DEPTH_NONE,   /* no colour: attributes only */
	THEME_DEPTH_8,
	THEME_DEPTH_256,
	THEME_DEPTH_DIRECT, /* 24-bit: colour numbers are 0xrrggbb */
};

/* Where themes are looked for by name: the user's directory, then the
 * installed one, then the compiled-in copies. */
struct theme_dirs {
	char user[4096];   /* "" when there is none */
	char system[4096];
};

/* "state.major" and back; -1 for a name that is no role */
const char *theme_role_name(enum theme_role r);
int theme_role_from_name(const char *name);

/* Parses a theme from text. source names it in messages ("mytheme.json").
 * Returns 0, or -EINVAL with a message "source:line:col: what" in err. */
int theme_parse(struct theme *t, const char *name, const char *text, size_t len,
		const char *source, char *err, size_t errsize);
/* Reads and parses a theme file; its name is the file name without ".json". */
int theme_load_file(struct theme *t, const char *path, char *err, size_t errsize);
/* A compiled-in theme by name: 0, or -ENOENT. */
int theme_builtin(struct theme *t, const char *name);
/* The compiled-in default theme; it always parses. */
void theme_default(struct theme *t);

/* Finds a theme by name (user dir, installed dir, compiled in) or by path
 * (anything with a '/' or ending in ".json"); NULL or "" means the default.
 * On failure *t is the default theme, err says why, and the result is
 * negative: the caller shows the message and carries on. */
int theme_find(struct theme *t, const char *name_or_path, const struct theme_dirs *dirs,
	       char *err, size_t errsize);

/* $XDG_CONFIG_HOME/isitdown/themes (or ~/.config/...) and the install dir. */
void theme_dirs_init(struct theme_dirs *d);

/* The themes `t` cycles through: compiled-in ones first, then those in the
 * installed and user directories, each name once. */
#define THEME_LIST_MAX 64
struct theme_list {
	char names[THEME_LIST_MAX][THEME_NAME_MAX];
	size_t n;
};
void theme_list_init(struct theme_list *l, const struct theme_dirs *dirs);
/* The name after current (wrapping round); the first when current is not listed. */
const char *theme_list_next(const struct theme_list *l, const char *current);

/* Colours: "red", "default", 0-255 (as a number) or "#rrggbb". Returns 0 or -EINVAL. */
int theme_colour_parse(const char *s, struct theme_colour *c);
int theme_rgb_to_256(uint32_t rgb);
int theme_rgb_to_8(uint32_t rgb);
uint32_t theme_256_to_rgb(int index);
/* What a terminal colour number (as in struct theme_pair) most likely looks
 * like, as 0xrrggbb. */
uint32_t theme_number_rgb(int n, enum theme_depth d);
/* True when text in fg cannot be told from a background bg (both 0xrrggbb);
 * theme_resolve never gives such a pair. */
bool theme_colours_clash(uint32_t fg, uint32_t bg);

enum theme_depth theme_depth_detect(bool has_colors, int colors, bool rgb_flag,
				    const char *no_color);

/* A role ready for the terminal: colour numbers (-1: the terminal's default)
 * and THEME_* attributes. */
struct theme_pair {
	int fg, bg;
	unsigned attrs;
};

/* Maps every role of t to depth. can_default: the terminal lets us use its
 * default colours (use_default_colors succeeded). With THEME_DEPTH_NONE the
 * roles come from the mono theme, whatever t is, since a colour theme may
 * tell roles apart by colour alone. No role comes out with a foreground
 * that matches its background. */
void theme_resolve(const struct theme *t, enum theme_depth depth, bool can_default,
		   struct theme_pair out[ROLE_COUNT]);

/* The curses side: sets one colour pair per role (pair number role + 1) and
 * returns in attr[role] what to draw the role with. pairs is COLOR_PAIRS;
 * roles beyond it get attributes only. Returns 0 or -1 when a pair could not
 * be set. */
int theme_apply(const struct theme *t, enum theme_depth depth, int pairs,
		attr_t attr[ROLE_COUNT]);

#endif
