/* term.c: the terminal's life: a private /dev/tty handed to newterm (so the
 * shell's stdin is never left non-blocking), curses started and stopped, and the
 * terminal restored on every way out, a crash included. */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "screen_internal.h"
#include "xalloc.h"

/* For the paths that cannot be handed the screen: out of memory deep in a
 * panel, and the crash handler. */
static volatile sig_atomic_t curses_live;

static struct sigaction old_crash[5];

static const int crash_signals[5] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void terminal_restore(void)
{
	if (curses_live && !isendwin()) {
		curs_set(1);
		endwin();
	}
	curses_live = 0;
}

/* Before the process ends for want of memory (xalloc.h): the terminal back
 * first, then the message says it all (no "crashed" from on_crash). */
static void restore_before_abort(void)
{
	terminal_restore();
	signal(SIGABRT, SIG_DFL);
}

static void on_crash(int sig)
{
	static const char msg[] = "isitdown: crashed; the terminal was restored\n";

	/* endwin is not async-signal-safe, but the process is lost anyway and a
	 * terminal left in raw mode is worse (htop does the same) */
	if (curses_live) {
		curses_live = 0;
		endwin();
	}
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more can be done */
	}
	raise(sig);
}

void scr_crash_handlers(bool on)
{
	for (int i = 0; i < 5; i++) {
		if (on) {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_crash;
			sa.sa_flags = SA_RESETHAND;
			sigemptyset(&sa.sa_mask);
			sigaction(crash_signals[i], &sa, &old_crash[i]);
		} else {
			sigaction(crash_signals[i], &old_crash[i], NULL);
		}
	}
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

int scr_open_tty(struct screen *s)
{
	s->tty_in = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	s->tty_out = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->tty_in < 0 || s->tty_out < 0)
		return -errno;
	s->fin = fdopen(s->tty_in, "r");
	if (!s->fin)
		return -errno;
	s->fout = fdopen(s->tty_out, "w");
	if (!s->fout)
		return -errno;
	return 0;
}

void scr_close_tty(struct screen *s)
{
	if (s->fin)
		fclose(s->fin);
	else if (s->tty_in >= 0)
		close(s->tty_in);
	if (s->fout)
		fclose(s->fout);
	else if (s->tty_out >= 0)
		close(s->tty_out);
	s->fin = s->fout = NULL;
	s->tty_in = s->tty_out = -1;
}

/* Starts curses on the private tty. Returns 0, or -1 with why in buf when
 * this terminal cannot show a full screen. */
int scr_start_curses(struct screen *s, char *why, size_t len)
{
	const char *no_color = getenv("NO_COLOR");
	const char *cup;

	s->term = newterm(NULL, s->fout, s->fin);
	if (!s->term) {
		const char *t = getenv("TERM");

		snprintf(why, len, "unknown terminal type \"%s\"", t ? t : "");
		return -1;
	}
	set_term(s->term);
	cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		snprintf(why, len, "terminal \"%s\" cannot place the cursor", termname());
		endwin();
		delscreen(s->term);
		s->term = NULL;
		return -1;
	}
	curses_live = 1;
	xalloc_on_fatal(restore_before_abort);
	s->curses_on = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	s->input = newwin(1, 1, 0, 0);
	if (!s->input)
		xalloc_fail();
	untouchwin(s->input);
	keypad(s->input, TRUE);
	nodelay(s->input, TRUE);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	s->utf8 = locale_is_utf8();
	if (no_color && !no_color[0])
		no_color = NULL;
	if (!no_color && has_colors())
		start_color();
	s->depth = theme_depth_detect(has_colors(), no_color ? 0 : COLORS, tigetflag("RGB") > 0, no_color);
	s->colour = s->depth != THEME_DEPTH_NONE;
	return 0;
}

void scr_stop_curses(struct screen *s)
{
	if (!s->curses_on)
		return;
	if (s->input)
		delwin(s->input);
	s->input = NULL;
	xalloc_on_fatal(NULL);
	terminal_restore();
	delscreen(s->term);
	s->term = NULL;
	s->curses_on = false;
}
