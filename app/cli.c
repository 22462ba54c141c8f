/* cli.c: command-line options. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

enum {
	OPT_LIST_PRESETS = 256,
	OPT_PRINT_CONFIG,
	OPT_LINES,
	OPT_HEADLESS,
	OPT_METRICS,
	OPT_REPORT,
	OPT_STATE_DIR,
	OPT_NO_STATE,
	OPT_LIST_THEMES,
	OPT_NOTIFY,
	OPT_ON_CHANGE,
};

static const struct option options[] = {
	{"once", no_argument, NULL, '1'},
	{"json", no_argument, NULL, 'j'},
	{"config", required_argument, NULL, 'c'},
	{"preset", required_argument, NULL, 'P'},
	{"theme", required_argument, NULL, 'T'},
	{"list-presets", no_argument, NULL, OPT_LIST_PRESETS},
	{"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
	{"lines", no_argument, NULL, OPT_LINES},
	{"headless", no_argument, NULL, OPT_HEADLESS},
	{"metrics", required_argument, NULL, OPT_METRICS},
	{"report", required_argument, NULL, OPT_REPORT},
	{"state-dir", required_argument, NULL, OPT_STATE_DIR},
	{"no-state", no_argument, NULL, OPT_NO_STATE},
	{"list-themes", no_argument, NULL, OPT_LIST_THEMES},
	{"notify", no_argument, NULL, OPT_NOTIFY},
	{"on-change", required_argument, NULL, OPT_ON_CHANGE},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

void cli_usage(FILE *out)
{
	fputs("usage: isitdown [options]\n"
	      "\n"
	      "Is it down, or is it just me? Watches a service (OpenAI by default) from here:\n"
	      "control targets, DNS, TCP, TLS, HTTP and the official status page.\n"
	      "\n"
	      "modes:\n"
	      "  (none)              full-screen monitor; one line per event when stdout is not a terminal\n"
	      "  --once              probe everything once, print the verdict and a table, exit with\n"
	      "                      0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios plugin convention)\n"
	      "  --once --json       the same as one JSON document\n"
	      "  --lines [--json]    one line (or one JSON object) per event, for logs\n"
	      "  --headless [--json] no screen, no terminal: log events to stdout, serve --metrics\n"
	      "  --print-config      print the effective configuration as JSON (secrets masked)\n"
	      "  --list-presets      list the built-in service presets\n"
	      "  --list-themes       list the colour themes\n"
	      "\n"
	      "options:\n"
	      "  -c, --config FILE   read targets from a JSON file\n"
	      "  -p, --preset NAME   use a built-in preset (default: openai); several services:\n"
	      "                      a,b,c or the option repeated; all-ai: every AI preset\n"
	      "  -t, --theme NAME    colour theme name or path\n"
	      "      --metrics A:P   serve Prometheus metrics on ADDR:PORT\n"
	      "      --report FILE   write an evidence report (Markdown, or JSON for .json)\n"
	      "      --state-dir DIR where the event log and history live (see files below)\n"
	      "      --no-state      keep the event log and history in memory only\n"
	      "      --notify        a desktop notification (through the terminal) when the verdict changes\n"
	      "      --on-change CMD run CMD (sh -c) when the verdict changes, ISITDOWN_* in its environment\n"
	      "  -h, --help          this help\n"
	      "  -V, --version       print the version\n"
	      "\n"
	      "files:\n"
	      "  config   --config, else $ISITDOWN_CONFIG, else $XDG_CONFIG_HOME/isitdown/config.json\n"
	      "           (~/.config/isitdown/config.json), else the openai preset\n"
	      "  themes   $XDG_CONFIG_HOME/isitdown/themes/NAME.json, then the installed ones\n"
	      "  state    --state-dir, else $XDG_STATE_HOME/isitdown (~/.local/state/isitdown):\n"
	      "           events.jsonl, the event log; history/SERVICE.bin, the probes behind\n"
	      "           sparklines, p95 and uptime, kept across restarts\n",
	      out);
}

int cli_parse(struct cli *cli, int argc, char **argv)
{
	int c;
	bool once = false, lines = false;

	memset(cli, 0, sizeof(*cli));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":1jc:p:t:hV", options, NULL)) != -1) {
		switch (c) {
		case '1':
			once = true;
			break;
		case 'j':
			cli->json = true;
			break;
		case 'c':
			cli->config_path = optarg;
			break;
		case 'p':
		case 'P':
			/* repeated: several services, as "a,b" */
			if (cli->preset) {
				static char joined[1024];

				if (strlen(cli->preset) + 1 + strlen(optarg) >= sizeof(joined)) {
					fprintf(stderr, "isitdown: too many presets\n");
					return -1;
				}
				if (cli->preset != joined)
					snprintf(joined, sizeof(joined), "%s", cli->preset);
				strcat(joined, ",");
				strcat(joined, optarg);
				cli->preset = joined;
			} else {
				cli->preset = optarg;
			}
			break;
		case 't':
		case 'T':
			cli->theme = optarg;
			break;
		case OPT_LIST_PRESETS:
			cli->mode = CLI_MODE_LIST_PRESETS;
			break;
		case OPT_PRINT_CONFIG:
			cli->mode = CLI_MODE_PRINT_CONFIG;
			break;
		case OPT_LINES:
			lines = true;
			break;
		case OPT_HEADLESS:
			cli->mode = CLI_MODE_HEADLESS;
			break;
		case OPT_METRICS:
			cli->metrics = optarg;
			break;
		case OPT_REPORT:
			cli->report = optarg;
			break;
		case OPT_STATE_DIR:
			cli->state_dir = optarg;
			break;
		case OPT_NO_STATE:
			cli->no_state = true;
			break;
		case OPT_LIST_THEMES:
			cli->mode = CLI_MODE_LIST_THEMES;
			break;
		case OPT_NOTIFY:
			cli->notify = true;
			break;
		case OPT_ON_CHANGE:
			cli->on_change = optarg;
			break;
		case 'h':
			cli->mode = CLI_MODE_HELP;
			return 0;
		case 'V':
			cli->mode = CLI_MODE_VERSION;
			return 0;
		case ':':
			fprintf(stderr, "isitdown: option %s needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "isitdown: unknown option %s (see --help)\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "isitdown: unexpected argument \"%s\" (see --help)\n", argv[optind]);
		return -1;
	}
	if (cli->state_dir && strlen(cli->state_dir) > CLI_STATE_DIR_MAX) {
		fprintf(stderr, "isitdown: --state-dir is too long (%zu bytes, at most %d)\n",
			strlen(cli->state_dir), CLI_STATE_DIR_MAX);
		return -1;
	}
	if (cli->config_path && cli->preset) {
		fprintf(stderr, "isitdown: --config and --preset exclude each other\n");
		return -1;
	}
	if (cli->mode == CLI_MODE_MONITOR) {
		if (once)
			cli->mode = CLI_MODE_ONCE;
		else if (lines)
			cli->mode = CLI_MODE_LINES;
	}
	if (cli->json && cli->mode != CLI_MODE_ONCE && cli->mode != CLI_MODE_LINES &&
	    cli->mode != CLI_MODE_HEADLESS) {
		fprintf(stderr, "isitdown: --json goes with --once, --lines or --headless\n");
		return -1;
	}
	return 0;
}
