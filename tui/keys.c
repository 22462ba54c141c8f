/* keys.c: key bindings, and the footer and help text written from them. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "keys.h"

#define CH_ESC 27
#define CH_CTRL(c) ((c) & 0x1f)

#define NAVIGABLE (KEYS_IN(PANEL_LATENCY) | KEYS_IN(PANEL_LOG))

const struct key_binding keys_table[] = {
	{KEY_UP, KEYS_ANYWHERE, ACTION_UP},
	{'k', KEYS_ANYWHERE, ACTION_UP},
	{KEY_DOWN, KEYS_ANYWHERE, ACTION_DOWN},
	{'j', KEYS_ANYWHERE, ACTION_DOWN},
	/* sideways only means something where there is more than fits: the
	 * sparkline history and long log lines */
	{KEY_LEFT, NAVIGABLE, ACTION_LEFT},
	{'h', NAVIGABLE, ACTION_LEFT},
	{KEY_RIGHT, NAVIGABLE, ACTION_RIGHT},
	{'l', NAVIGABLE, ACTION_RIGHT},
	{KEY_PPAGE, KEYS_ANYWHERE, ACTION_PAGE_UP},
	{KEY_NPAGE, KEYS_ANYWHERE, ACTION_PAGE_DOWN},
	{KEY_HOME, KEYS_ANYWHERE, ACTION_HOME},
	{'g', KEYS_ANYWHERE, ACTION_HOME},
	{KEY_END, KEYS_ANYWHERE, ACTION_END},
	{'G', KEYS_ANYWHERE, ACTION_END},
	{'\t', KEYS_ANYWHERE, ACTION_NEXT_PANEL},
	{KEY_BTAB, KEYS_ANYWHERE, ACTION_PREV_PANEL},
	{'\n', KEYS_ANYWHERE, ACTION_ENTER},
	{'\r', KEYS_ANYWHERE, ACTION_ENTER},
	{KEY_ENTER, KEYS_ANYWHERE, ACTION_ENTER},
	{CH_ESC, KEYS_ANYWHERE, ACTION_BACK},
	{'r', KEYS_ANYWHERE, ACTION_PROBE_NOW},
	{'p', KEYS_ANYWHERE, ACTION_PAUSE},
	{'t', KEYS_ANYWHERE, ACTION_THEME},
	{'T', KEYS_ANYWHERE, ACTION_SAVE_THEME},
	{'/', KEYS_IN(PANEL_LOG), ACTION_FILTER},
	{'e', KEYS_ANYWHERE, ACTION_EXPORT},
	{'?', KEYS_ANYWHERE, ACTION_HELP},
	{KEY_F(1), KEYS_ANYWHERE, ACTION_HELP},
	{CH_CTRL('l'), KEYS_ANYWHERE, ACTION_REDRAW},
	{'[', KEYS_ANYWHERE, ACTION_STEP_SERVICE},
	{']', KEYS_ANYWHERE, ACTION_STEP_SERVICE},
	{'1', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'2', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'3', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'4', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'5', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'6', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'7', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'8', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'9', KEYS_ANYWHERE, ACTION_PICK_SERVICE},
	{'q', KEYS_ANYWHERE, ACTION_QUIT},
};
const size_t keys_count = sizeof(keys_table) / sizeof(keys_table[0]);

struct action_info {
	const char *name;
	const char *help;
	/* footer: the word shown, the keys shown (NULL: the first binding's
	 * name), and the rank, 1 first; 0 keeps the action out of the footer */
	const char *footer;
	const char *footer_keys;
	int rank;
};

static const struct action_info actions[ACTION_COUNT] = {
	[ACTION_NONE] = {"none", "", NULL, NULL, 0},
	[ACTION_UP] = {"up", "move up", NULL, NULL, 0},
	[ACTION_DOWN] = {"down", "move down", "move", "j/k", 8},
	[ACTION_LEFT] = {"left", "scroll left", NULL, NULL, 0},
	[ACTION_RIGHT] = {"right", "scroll right", "scroll", "h/l", 9},
	[ACTION_PAGE_UP] = {"page-up", "one page up", NULL, NULL, 0},
	[ACTION_PAGE_DOWN] = {"page-down", "one page down", NULL, NULL, 0},
	/* the log lists the newest event first; both ends of it go back to
	 * following the newest event */
	[ACTION_HOME] = {"home", "go to the top (log: follow newest)", NULL, NULL, 0},
	[ACTION_END] = {"end", "go to the end (log: follow newest)", NULL, NULL, 0},
	[ACTION_NEXT_PANEL] = {"next-panel", "focus the next panel", "panel", NULL, 7},
	[ACTION_PREV_PANEL] = {"prev-panel", "focus the previous panel", NULL, NULL, 0},
	[ACTION_ENTER] = {"enter", "show details of the selected line", "details", NULL, 4},
	[ACTION_BACK] = {"back", "close details, help or a prompt", NULL, NULL, 0},
	[ACTION_PROBE_NOW] = {"probe-now", "probe every target now", "probe", NULL, 5},
	[ACTION_PAUSE] = {"pause", "pause or resume probing", "pause", NULL, 6},
	[ACTION_THEME] = {"theme", "switch to the next colour theme", "theme", NULL, 10},
	[ACTION_SAVE_THEME] = {"save-theme", "save this theme in your config file (asks first)", NULL, NULL, 0},
	[ACTION_FILTER] = {"filter", "filter the log by text", "filter", NULL, 3},
	[ACTION_EXPORT] = {"export", "write an incident report", "export", NULL, 11},
	[ACTION_HELP] = {"help", "show or hide this help", "help", NULL, 1},
	[ACTION_REDRAW] = {"redraw", "repaint the screen", NULL, NULL, 0},
	/* in the footer only when several services are watched (the screen
	 * adds "[/] service" then) */
	[ACTION_STEP_SERVICE] = {"step-service", "several services: back, next", NULL, NULL, 0},
	[ACTION_PICK_SERVICE] = {"pick-service", "several services: that one", NULL, NULL, 0},
	[ACTION_QUIT] = {"quit", "quit", "quit", NULL, 2},
};

enum key_action keys_lookup(int key, enum panel_id focused)
{
	if ((int)focused < 0 || focused >= PANEL_COUNT)
		return ACTION_NONE;
	for (size_t i = 0; i < keys_count; i++) {
		if (keys_table[i].key == key && (keys_table[i].panels & KEYS_IN(focused)))
			return keys_table[i].action;
	}
	return ACTION_NONE;
}

const char *keys_name(int key, char *buf, size_t size)
{
	const char *name = NULL;

	switch (key) {
	case KEY_UP: name = "Up"; break;
	case KEY_DOWN: name = "Down"; break;
	case KEY_LEFT: name = "Left"; break;
	case KEY_RIGHT: name = "Right"; break;
	case KEY_PPAGE: name = "PgUp"; break;
	case KEY_NPAGE: name = "PgDn"; break;
	case KEY_HOME: name = "Home"; break;
	case KEY_END: name = "End"; break;
	case KEY_BTAB: name = "Shift-Tab"; break;
	case KEY_ENTER: name = "Enter"; break;
	case '\t': name = "Tab"; break;
	case '\n': name = "Enter"; break;
	case '\r': name = "Return"; break;
	case CH_ESC: name = "Esc"; break;
	case ' ': name = "Space"; break;
	default: break;
	}
	if (name)
		snprintf(buf, size, "%s", name);
	else if (key >= KEY_F(1) && key <= KEY_F(63))
		snprintf(buf, size, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, size, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "key %d", key);
	return buf;
}

const char *keys_action_name(enum key_action a)
{
	if ((int)a < 0 || a >= ACTION_COUNT)
		return "none";
	return actions[a].name;
}

const char *keys_action_help(enum key_action a)
{
	if ((int)a < 0 || a >= ACTION_COUNT)
		return "";
	return actions[a].help;
}

/* the first binding of action a that works in the focused panel, or NULL */
static const struct key_binding *binding_for(enum key_action a, enum panel_id focused)
{
	for (size_t i = 0; i < keys_count; i++) {
		if (keys_table[i].action == a && (keys_table[i].panels & KEYS_IN(focused)))
			return &keys_table[i];
	}
	return NULL;
}

int keys_footer(enum panel_id focused, char *buf, size_t size, int width)
{
	size_t limit, len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (width <= 0 || (int)focused < 0 || focused >= PANEL_COUNT)
		return 0;
	limit = (size_t)width < size - 1 ? (size_t)width : size - 1;

	for (int rank = 1; rank < ACTION_COUNT; rank++) {
		for (int a = 0; a < ACTION_COUNT; a++) {
			const struct key_binding *b;
			char name[32], item[64];
			const char *keys;
			int n;

			if (actions[a].rank != rank)
				continue;
			b = binding_for((enum key_action)a, focused);
			if (!b)
				continue;
			keys = actions[a].footer_keys;
			if (!keys)
				keys = keys_name(b->key, name, sizeof(name));
			n = snprintf(item, sizeof(item), "%s%s %s", len ? "  " : "", keys,
				     actions[a].footer);
			if (n < 0 || len + (size_t)n > limit)
				return (int)len;
			memcpy(buf + len, item, (size_t)n + 1);
			len += (size_t)n;
		}
	}
	return (int)len;
}

/* The keys of action a for people: its footer keys when it has them ("j/k"),
 * else the name of its first binding. */
static const char *action_keys(enum key_action a, char *buf, size_t size)
{
	if (actions[a].footer_keys)
		return actions[a].footer_keys;
	for (size_t i = 0; i < keys_count; i++)
		if (keys_table[i].action == a)
			return keys_name(keys_table[i].key, buf, size);
	return "";
}

int keys_overlay_footer(char *buf, size_t size, int width)
{
	/* what works in a view over the panels; up and down scroll it */
	static const struct {
		enum key_action a, pair;
		const char *word;
	} items[] = {
		{ACTION_BACK, ACTION_NONE, "back"},
		{ACTION_DOWN, ACTION_NONE, "scroll"},
		{ACTION_PAGE_UP, ACTION_PAGE_DOWN, "page"},
		{ACTION_HELP, ACTION_NONE, "help"},
		{ACTION_QUIT, ACTION_NONE, "quit"},
	};
	size_t limit, len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (width <= 0)
		return 0;
	limit = (size_t)width < size - 1 ? (size_t)width : size - 1;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		char k1[32], k2[32], item[96];
		const char *first = action_keys(items[i].a, k1, sizeof(k1));
		int n;

		if (items[i].pair != ACTION_NONE)
			n = snprintf(item, sizeof(item), "%s%s/%s %s", len ? "  " : "", first,
				     action_keys(items[i].pair, k2, sizeof(k2)), items[i].word);
		else
			n = snprintf(item, sizeof(item), "%s%s %s", len ? "  " : "", first, items[i].word);
		if (n < 0 || len + (size_t)n > limit)
			break;
		memcpy(buf + len, item, (size_t)n + 1);
		len += (size_t)n;
	}
	return (int)len;
}

int keys_help_line(size_t i, char *buf, size_t size)
{
	char keys[64] = "";
	size_t klen = 0;
	unsigned panels = 0;
	const char *where = "";
	enum key_action a = (enum key_action)(i + 1);

	if (i + 1 >= ACTION_COUNT)
		return -1;
	for (size_t k = 0; k < keys_count; k++) {
		char name[32];
		int n;

		if (keys_table[k].action != a)
			continue;
		/* Return and the keypad's Enter are both "Enter" to people */
		if (keys_table[k].key == '\r' || keys_table[k].key == KEY_ENTER)
			continue;
		/* the digits as a range */
		if (keys_table[k].key > '1' && keys_table[k].key <= '9')
			continue;
		if (keys_table[k].key == '1') {
			n = snprintf(keys + klen, sizeof(keys) - klen, "%s1-9", klen ? ", " : "");
			if (n > 0 && klen + (size_t)n < sizeof(keys))
				klen += (size_t)n;
			panels |= keys_table[k].panels;
			continue;
		}
		keys_name(keys_table[k].key, name, sizeof(name));
		n = snprintf(keys + klen, sizeof(keys) - klen, "%s%s", klen ? ", " : "", name);
		if (n > 0 && klen + (size_t)n < sizeof(keys))
			klen += (size_t)n;
		panels |= keys_table[k].panels;
	}
	if (panels == KEYS_IN(PANEL_LOG))
		where = " (log)";
	else if (panels == NAVIGABLE)
		where = " (latency, log)";
	snprintf(buf, size, "%-*s %s%s", KEYS_HELP_KEY_W, keys, actions[a].help, where);
	return 0;
}

bool keys_move_selection(enum key_action a, int *sel, int n, int page)
{
	switch (a) {
	case ACTION_UP: (*sel)--; break;
	case ACTION_DOWN: (*sel)++; break;
	case ACTION_PAGE_UP: *sel -= page; break;
	case ACTION_PAGE_DOWN: *sel += page; break;
	case ACTION_HOME: *sel = 0; break;
	case ACTION_END: *sel = n - 1; break;
	default: return false;
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	return true;
}
