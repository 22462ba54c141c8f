/* cli.h: the command line, parsed into options. */
#ifndef ISITDOWN_CLI_H
#define ISITDOWN_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

/* The longest --state-dir taken: the files under it (events.jsonl, reports)
 * must still fit in PATH_MAX. A longer one is refused, never cut short. */
#define CLI_STATE_DIR_MAX (PATH_MAX - 64)

enum cli_mode {
	CLI_MODE_MONITOR,   /* full screen when stdout is a terminal, else line mode */
	CLI_MODE_ONCE,
	CLI_MODE_LINES,
	CLI_MODE_HEADLESS,
	CLI_MODE_PRINT_CONFIG,
	CLI_MODE_LIST_PRESETS,
	CLI_MODE_LIST_THEMES,
	CLI_MODE_HELP,
	CLI_MODE_VERSION,
};

struct cli {
	enum cli_mode mode;
	bool json;
	const char *config_path;
	const char *preset;
	const char *theme;
	const char *metrics;
	const char *report;
	const char *state_dir;
	bool no_state;
	bool notify;            /* desktop notifications through the terminal */
	const char *on_change;  /* a command run when the verdict changes */
};

/* Returns 0, or -1 after printing a message to stderr (the caller exits 3). */
int cli_parse(struct cli *cli, int argc, char **argv);
void cli_usage(FILE *out);

#endif
