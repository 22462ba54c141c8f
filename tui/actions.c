/* actions.c: what keys and the mouse do: actions from the binding table
 * (keys.c), navigation handed to the focused panel, the log's filter prompt,
 * theme cycling, pause, probe now, and exporting a report. */
#include <errno.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include "report.h"
#include "config_save.h"
#include "paths.h"
#include "text.h"
#include "utf8.h"

#include "screen_internal.h"

void scr_quit(struct screen *s, int code)
{
	s->quit = true;
	s->exit_code = code;
	uv_stop(s->loop);
}

/* The state directory (paths.c); "" when none can be named. */
static void state_dir(const struct screen *s, char *buf, size_t len)
{
	if (paths_state_dir(s->opts.state_dir, buf, len) != 0)
		buf[0] = '\0';
}

/* Creates a new report file in dir; the name carries the time, and a
 * counter when two reports fall in the same second. */
static FILE *open_report(const char *dir, const char *stamp, char *path, size_t len, int *err)
{
	for (int k = 1; k < 100; k++) {
		int fd, n;

		if (k == 1)
			n = snprintf(path, len, "%s/isitdown-report-%s.md", dir, stamp);
		else
			n = snprintf(path, len, "%s/isitdown-report-%s-%d.md", dir, stamp, k);
		if (n < 0 || (size_t)n >= len) {
			*err = ENAMETOOLONG;
			return NULL;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			FILE *f = fdopen(fd, "w");

			if (!f) {
				*err = errno;
				close(fd);
				unlink(path);
			}
			return f;
		}
		if (errno != EEXIST) {
			*err = errno;
			return NULL;
		}
	}
	*err = EEXIST;
	return NULL;
}

static void export_report(struct screen *s)
{
	char dirs[2][PATH_MAX], path[PATH_MAX + 64], stamp[32], shown[PATH_MAX + 64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = NULL;
	int err = 0, first_err = 0, rc;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	if (!getcwd(dirs[0], sizeof(dirs[0])))
		snprintf(dirs[0], sizeof(dirs[0]), ".");
	state_dir(s, dirs[1], sizeof(dirs[1]));
	for (int i = 0; i < 2 && !f; i++) {
		if (!dirs[i][0])
			continue;
		if (i == 1)
			paths_mkdir_p(dirs[i]);
		f = open_report(dirs[i], stamp, path, sizeof(path), &err);
		if (!f && !first_err)
			first_err = err;
	}
	if (!f) {
		scr_set_message(s, "cannot write the report in %s: %s", dirs[0], strerror(first_err ? first_err : err));
		return;
	}
	monitor_settle(s->m);
	rc = report_write_markdown(s->m, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc != 0) {
		scr_set_message(s, "cannot write the report %s: %s", path, strerror(-rc));
		unlink(path);
		return;
	}
	snprintf(shown, sizeof(shown), "%s", path);
	scr_set_message(s, "report written to %s", shown);
}

static unsigned panel_key(struct screen *s, enum panel_id p, enum key_action a)
{
	unsigned r = s->panel[p].ops->key(s->panel[p].state, s->m, s->lay.mode == LAYOUT_TINY, a);

	/* not dispatch but a relation: the latency panel shows the target
	 * selected in the status panel */
	if (p == PANEL_STATUS)
		panel_latency_select(&s->latency, panel_status_selected_target(&s->status, s->m));
	return r;
}

/* The next visible panel in reading order: status, latency, checklist, log. */
static void cycle_focus(struct screen *s, int dir)
{
	static const enum panel_id order[] = {PANEL_STATUS, PANEL_LATENCY, PANEL_CHECKLIST, PANEL_LOG};
	int at = 0;

	for (int i = 0; i < 4; i++)
		if (order[i] == s->focus)
			at = i;
	for (int k = 1; k <= 4; k++) {
		enum panel_id p = order[((at + dir * k) % 4 + 4) % 4];

		if (s->lay.mode == LAYOUT_TINY || s->lay.mode == LAYOUT_MINIMAL || layout_visible(&s->lay, p)) {
			s->focus = p;
			return;
		}
	}
}

static void overlay_key(struct screen *s, enum key_action a)
{
	int page = s->ov_page > 1 ? s->ov_page - 1 : 1;

	switch (a) {
	case ACTION_UP: s->ov_scroll--; break;
	case ACTION_DOWN: s->ov_scroll++; break;
	case ACTION_PAGE_UP: s->ov_scroll -= page; break;
	case ACTION_PAGE_DOWN: s->ov_scroll += page; break;
	case ACTION_HOME: s->ov_scroll = 0; break;
	case ACTION_END: s->ov_scroll = INT_MAX / 2; break;
	case ACTION_BACK:
	case ACTION_ENTER:
		s->overlay = OVERLAY_NONE;
		break;
	case ACTION_HELP:
		s->overlay = s->overlay == OVERLAY_HELP ? OVERLAY_NONE : OVERLAY_HELP;
		s->ov_scroll = 0;
		break;
	case ACTION_NEXT_PANEL:
	case ACTION_PREV_PANEL:
		s->overlay = OVERLAY_NONE;
		cycle_focus(s, a == ACTION_NEXT_PANEL ? 1 : -1);
		break;
	default:
		return;
	}
	if (s->ov_scroll < 0)
		s->ov_scroll = 0;
}

/* Where T saves the theme: the config file in use, else the user's own
 * (created from the preset that runs). "" when none can be named. */
static void theme_file(const struct screen *s, char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (s->opts.config_path)
		snprintf(buf, len, "%s", s->opts.config_path);
	else if (paths_config_dir(dir, sizeof(dir)) != 0 || snprintf(buf, len, "%s/config.json", dir) >= (int)len)
		buf[0] = '\0';
}

static void ask_save_theme(struct screen *s)
{
	char path[PATH_MAX];

	theme_file(s, path, sizeof(path));
	if (!path[0]) {
		scr_set_message(s, "theme not saved: no config directory (HOME is not set)");
		return;
	}
	s->confirm_save = true;
	scr_set_message(s, "save theme %s in %s? y/n", s->theme.name, path);
}

static void save_theme(struct screen *s)
{
	char path[PATH_MAX], err[PATH_MAX + 64];

	theme_file(s, path, sizeof(path));
	if (config_save_string(path, s->opts.config_path ? NULL : s->opts.preset, "theme", s->theme.name, err,
			       sizeof(err)) == 0)
		scr_set_message(s, "theme %s saved in %s", s->theme.name, path);
	else
		scr_set_message(s, "theme not saved: %s", err);
}

void scr_show_service(struct screen *s, size_t i)
{
	if (!s->fleet || i >= fleet_count(s->fleet))
		return;
	if (i != s->service) {
		s->service = i;
		s->m = fleet_monitor(s->fleet, i);
		/* rows and selections were the other service's */
		memset(&s->status, 0, sizeof(s->status));
		memset(&s->latency, 0, sizeof(s->latency));
		memset(&s->checklist, 0, sizeof(s->checklist));
		if (s->overlay == OVERLAY_DETAIL)
			s->overlay = OVERLAY_NONE;
	}
	scr_set_message(s, "showing %s (%zu of %zu)", monitor_config(s->m)->service, i + 1, fleet_count(s->fleet));
}

/* r and p act on every service when several are watched */
static void probe_all(struct screen *s)
{
	size_t n = 0;

	for (size_t i = 0; i < (s->fleet ? fleet_count(s->fleet) : 1); i++) {
		struct monitor *m = s->fleet ? fleet_monitor(s->fleet, i) : s->m;

		monitor_probe_all(m);
		n += monitor_target_count(m);
	}
	scr_set_message(s, "probing all %zu targets now", n);
}

static void pause_all(struct screen *s)
{
	bool pause = !monitor_paused(s->m);

	for (size_t i = 0; i < (s->fleet ? fleet_count(s->fleet) : 1); i++)
		monitor_pause(s->fleet ? fleet_monitor(s->fleet, i) : s->m, pause);
}

static void do_action(struct screen *s, enum key_action a)
{
	enum panel_id f = scr_effective_focus(s);

	switch (a) {
	case ACTION_QUIT:
		scr_quit(s, 0);
		return;
	case ACTION_PROBE_NOW:
		probe_all(s);
		return;
	case ACTION_PAUSE:
		pause_all(s);
		return;
	case ACTION_PREV_SERVICE:
	case ACTION_NEXT_SERVICE:
		if (s->fleet) {
			size_t n = fleet_count(s->fleet);

			scr_show_service(s, (s->service + (a == ACTION_NEXT_SERVICE ? 1 : n - 1)) % n);
		}
		return;
	case ACTION_THEME:
		scr_next_theme(s);
		return;
	case ACTION_SAVE_THEME:
		ask_save_theme(s);
		return;
	case ACTION_EXPORT:
		export_report(s);
		return;
	case ACTION_REDRAW:
		s->full = true;
		return;
	default:
		break;
	}
	if (s->overlay != OVERLAY_NONE) {
		overlay_key(s, a);
		return;
	}
	switch (a) {
	case ACTION_HELP:
		s->overlay = OVERLAY_HELP;
		s->ov_scroll = 0;
		return;
	case ACTION_NEXT_PANEL:
		cycle_focus(s, 1);
		return;
	case ACTION_PREV_PANEL:
		cycle_focus(s, -1);
		return;
	case ACTION_FILTER:
		s->prompt = true;
		snprintf(s->prompt_buf, sizeof(s->prompt_buf), "%s", s->log.filter);
		return;
	default:
		break;
	}
	if (panel_key(s, f, a) & SCREEN_DETAIL) {
		s->overlay = OVERLAY_DETAIL;
		s->detail_of = f;
		s->ov_scroll = 0;
	}
}

static void prompt_key(struct screen *s, bool fkey, wint_t ch)
{
	size_t len = strlen(s->prompt_buf);

	if ((fkey && ch == KEY_ENTER) || (!fkey && (ch == '\n' || ch == '\r'))) {
		panel_log_set_filter(&s->log, s->prompt_buf);
		s->prompt = false;
		return;
	}
	if (!fkey && ch == CH_ESC) {
		s->prompt = false;
		return;
	}
	if ((fkey && ch == KEY_BACKSPACE) || (!fkey && (ch == 127 || ch == 8))) {
		/* one character, not one byte */
		while (len > 0 && ((unsigned char)s->prompt_buf[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		s->prompt_buf[len] = '\0';
		return;
	}
	if (!fkey && ch == ('u' & 0x1f)) {
		s->prompt_buf[0] = '\0';
		return;
	}
	if (fkey || ch < 0x20 || ch == 0x7f || (ch >= 0x80 && !s->utf8)) {
		return;
	} else {
		char enc[UTF8_MAX];
		size_t n = utf8_encode((uint32_t)ch, enc);

		if (n > 0 && len + n < sizeof(s->prompt_buf)) {
			memcpy(s->prompt_buf + len, enc, n);
			s->prompt_buf[len + n] = '\0';
		}
	}
}

static bool in_rect(struct rect r, int x, int y)
{
	return !rect_empty(r) && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static void mouse_event(struct screen *s)
{
	MEVENT ev;
	enum key_action a = ACTION_NONE;
	int target = -1;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		a = ACTION_UP;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		a = ACTION_DOWN;
#endif
	if (s->overlay != OVERLAY_NONE) {
		for (int i = 0; i < WHEEL_LINES && a != ACTION_NONE; i++)
			overlay_key(s, a);
		return;
	}
	if (s->lay.mode == LAYOUT_TINY || s->lay.mode == LAYOUT_MINIMAL)
		return;
	for (int p = 0; p < PANEL_COUNT; p++)
		if (in_rect(s->lay.panel[p], ev.x, ev.y))
			target = p;
	if (target < 0)
		return;
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		s->focus = (enum panel_id)target;
		return;
	}
	for (int i = 0; i < WHEEL_LINES && a != ACTION_NONE; i++)
		panel_key(s, (enum panel_id)target, a);
}

void scr_resize(struct screen *s)
{
	struct winsize ws;

	if (ioctl(s->tty_out, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	s->full = true;
}

void scr_handle_key(struct screen *s, bool fkey, wint_t ch)
{
	int key = (int)ch;

	s->dirty = true;
	if (fkey && key == KEY_RESIZE) {
		scr_resize(s);
		return;
	}
	if (fkey && key == KEY_MOUSE) {
		mouse_event(s);
		return;
	}
	if (s->prompt) {
		prompt_key(s, fkey, ch);
		return;
	}
	if (s->confirm_save) {
		s->confirm_save = false;
		if (!fkey && (ch == 'y' || ch == 'Y'))
			save_theme(s);
		else
			scr_set_message(s, "theme not saved");
		return;
	}
	/* a message stays until the next key */
	if (s->msg[0]) {
		s->msg[0] = '\0';
		uv_timer_stop(&s->msg_timer);
	}
	if (!fkey && ch >= 0x80)
		return;
	if (keys_lookup(key, scr_effective_focus(s)) == ACTION_PICK_SERVICE) {
		scr_show_service(s, (size_t)(key - '1'));
		return;
	}
	do_action(s, keys_lookup(key, scr_effective_focus(s)));
}
