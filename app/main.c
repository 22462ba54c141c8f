/* main.c: reads the command line, loads the config, and runs one of the
 * views (the screen, --once, line mode) on one libuv loop. */
#include <curl/curl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include "build_config.h"
#include "cli.h"
#include "config_secret.h"
#include "config_set.h"
#include "fleet.h"
#include "hook.h"
#include "lines.h"
#include "metrics.h"
#include "metrics_server.h"
#include "monitor.h"
#include "once.h"
#include "paths.h"
#include "report.h"
#include "screen.h"
#include "theme.h"

/* Nagios' UNKNOWN: no answer could be given (a bad config or option, a report
 * that cannot be written, --once interrupted); --once's verdicts use 0 to 2. */
#define EXIT_CONFIG 3

struct app {
	uv_loop_t loop;
	struct monitor *m;
	struct metrics_server *metrics;
	struct hook *hook; /* the on_change command, NULL when none */
	struct lines_sink *lines; /* line mode's subscription, NULL when none */
	uv_signal_t sig[3];
	int n_sig;
	int exit_code;
	bool once_json;
};

/* NAME GROUP DESCRIPTION (status page: FORMAT): the name first, for the
 * shell completions. */
static void list_presets(void)
{
	for (const char *const *n = config_preset_names(); *n; n++) {
		struct config_set *one = config_set_load_presets(*n, NULL, 0);
		const char *group = one && one->services[0]->group ? one->services[0]->group : "-";

		printf("%-10s %-13s %s (status page: %s)\n", *n, group, config_preset_description(*n),
		       config_preset_format(*n));
		config_set_free(one);
	}
	printf("%-10s %-13s every preset of the AI assistants group, watched together\n", CONFIG_SET_ALL_AI,
	       CONFIG_SET_AI_GROUP);
}

/* --print-config with several services: a file of the same services. */
static int print_config_set(const struct config_set *set)
{
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "services");
	char *text;

	for (size_t i = 0; arr && i < set->n; i++)
		cJSON_AddItemToArray(arr, config_to_json(set->services[i]));
	text = arr ? cJSON_Print(doc) : NULL;
	if (text)
		printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(doc);
	return text ? 0 : 1;
}

/* The themes t cycles through, in its order: compiled in, installed, the user's. */
static void list_themes(void)
{
	struct theme_dirs dirs;
	struct theme_list list;

	theme_dirs_init(&dirs);
	theme_list_init(&list, &dirs);
	for (size_t i = 0; i < list.n; i++)
		printf("%s\n", list.names[i]);
}

/* Without --config or --preset, the user's own file where such files are
 * looked for: $ISITDOWN_CONFIG, else $XDG_CONFIG_HOME/isitdown/config.json
 * (~/.config/... without it). NULL when there is none: the openai preset. */
static const char *user_config(char *buf, size_t len, const char **found_by)
{
	const char *env = getenv("ISITDOWN_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	char dir[PATH_MAX];

	if (env && env[0]) {
		*found_by = "$ISITDOWN_CONFIG";
		return env;
	}
	*found_by = xdg && xdg[0] == '/' ? "$XDG_CONFIG_HOME" : "~/.config";
	if (paths_config_dir(dir, sizeof(dir)) != 0)
		return NULL;
	if (snprintf(buf, len, "%s/config.json", dir) >= (int)len)
		return NULL;
	return access(buf, F_OK) == 0 ? buf : NULL;
}

/* The config file read (for T, which saves the theme there): "" for a preset. */
static char config_used[PATH_MAX];

static struct config_set *load_config(const struct cli *cli)
{
	char err[512], found[PATH_MAX];
	const char *path = cli->config_path, *found_by = "--config";
	struct config_set *set;

	if (!path && !cli->preset)
		path = user_config(found, sizeof(found), &found_by);
	snprintf(config_used, sizeof(config_used), "%s", path ? path : "");
	if (path)
		set = config_set_load_file(path, err, sizeof(err));
	else
		set = config_set_load_presets(cli->preset ? cli->preset : "openai", err, sizeof(err));
	if (!set) {
		fprintf(stderr, "isitdown: %s\n", err);
		return NULL;
	}
	if (path) {
		char warn[512];

		/* the services share the file's literal credentials: one check */
		if (config_check_permissions(set->services[0], path, warn, sizeof(warn)) > 0)
			fprintf(stderr, "isitdown: warning: %s\n", warn);
	}
	if (cli->mode == CLI_MODE_PRINT_CONFIG && !cli->config_path && !cli->preset) {
		/* where it was found, when the command line did not say: on stderr,
		 * so that stdout stays a config that can be read back */
		if (path)
			fprintf(stderr, "isitdown: configuration read from %s (%s)\n", path, found_by);
		else
			fprintf(stderr, "isitdown: configuration: the built-in preset openai (no config file found)\n");
	}
	return set;
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct app *app = h->data;

	app->exit_code = 128 + signum;
	uv_stop(&app->loop);
}

static void watch_signals(struct app *app)
{
	const int sigs[] = {SIGINT, SIGTERM, SIGHUP};

	for (int i = 0; i < 3; i++) {
		uv_signal_init(&app->loop, &app->sig[i]);
		app->sig[i].data = app;
		uv_signal_start(&app->sig[i], on_signal, sigs[i]);
		uv_unref((uv_handle_t *)&app->sig[i]);
		app->n_sig++;
	}
}

static void on_once_done(struct monitor *m, void *data)
{
	struct app *app = data;

	uv_stop(&app->loop);
}

static void shutdown_loop(struct app *app)
{
	for (int i = 0; i < app->n_sig; i++)
		uv_close((uv_handle_t *)&app->sig[i], NULL);
	metrics_server_free(app->metrics);
	app->metrics = NULL;
	hook_free(app->hook);
	app->hook = NULL;
	if (app->m)
		lines_detach(monitor_events(app->m), app->lines);
	app->lines = NULL;
	monitor_free(app->m);
	app->m = NULL;
	uv_run(&app->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&app->loop) != 0)
		fprintf(stderr, "isitdown: internal error: handles left open at exit\n");
}

static int render_metrics(void *data, char **out, size_t *len)
{
	return metrics_render(data, out, len);
}

/* The metrics endpoint at addr (none when NULL), on the app's loop, said in
 * log. 0, or -1 with the reason on stderr. */
static int serve_metrics(struct app *app, const char *addr, metrics_server_render_fn render, void *data,
			 struct eventlog *log)
{
	char err[256];

	if (!addr)
		return 0;
	app->metrics = metrics_server_new(&app->loop, addr, NULL, render, data, err, sizeof(err));
	if (!app->metrics) {
		fprintf(stderr, "isitdown: %s\n", err);
		return -1;
	}
	eventlog_addf(log, EVENT_INFO, EVENT_SRC_MONITOR, "", "", "serving metrics at %s",
		      metrics_server_url(app->metrics));
	return 0;
}

/* --metrics, or the config's "metrics": the endpoint shares the monitor's loop. */
static int start_metrics(struct app *app, const struct cli *cli)
{
	return serve_metrics(app, cli->metrics ? cli->metrics : monitor_config(app->m)->metrics, render_metrics,
			     app->m, monitor_events(app->m));
}

/* --on-change, or the config's "on_change": run by every view but --once,
 * never with a secret of any of the services in its environment. service:
 * the name ISITDOWN_SERVICE gives when an event names none. */
static int start_hook_for(struct app *app, const struct cli *cli, const struct monitor *const *ms, size_t n,
			  struct eventlog *log, const char *service)
{
	const char *cmd = cli->on_change ? cli->on_change : monitor_config(ms[0])->on_change;
	char **all = NULL;
	size_t n_all = 0;
	bool oom = false;

	if (!cmd || !cmd[0])
		return 0;
	/* every service's variables in one list: their strings move into it */
	for (size_t i = 0; i < n && !oom; i++) {
		char **vars = config_secret_vars(monitor_config(ms[i]));
		size_t k = 0;
		char **grown;

		while (vars && vars[k])
			k++;
		grown = vars ? realloc(all, (n_all + k + 1) * sizeof(*all)) : NULL;
		if (!grown) {
			config_secret_vars_free(vars);
			oom = true;
			break;
		}
		all = grown;
		memcpy(all + n_all, vars, k * sizeof(*vars));
		n_all += k;
		all[n_all] = NULL;
		free(vars);
	}
	if (!oom && all)
		app->hook = hook_new(&app->loop, cmd, log, (const char *const *)all, 0);
	config_secret_vars_free(all);
	if (!app->hook || hook_watch(app->hook, service) != 0) {
		fprintf(stderr, "isitdown: out of memory\n");
		return -1;
	}
	return 0;
}

static int start_hook(struct app *app, const struct cli *cli)
{
	const struct monitor *m = app->m;

	return start_hook_for(app, cli, &m, 1, monitor_events(app->m), monitor_config(m)->service);
}

/* --report: written when the run ends, however it ends; a report that
 * cannot be written makes the run fail (exit 3) with the reason. */
static int write_report(const char *path, struct monitor *m)
{
	int rc;

	monitor_settle(m);
	rc = report_write_file(m, path);

	if (rc < 0) {
		fprintf(stderr, "isitdown: cannot write the report %s: %s\n", path, strerror(-rc));
		return EXIT_CONFIG;
	}
	fprintf(stderr, "isitdown: report written to %s\n", path);
	return 0;
}

static int run(const struct cli *cli, struct config *cfg)
{
	struct app app = {0};
	struct monitor_options mo = {0};
	char err[256];
	bool screen = cli->mode == CLI_MODE_MONITOR && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);

	uv_loop_init(&app.loop);
	mo.once = cli->mode == CLI_MODE_ONCE;
	/* --once shows the history the log file holds but adds nothing to it */
	mo.memory_only_log = cli->no_state;
	mo.read_only_log = mo.once;
	mo.state_dir = cli->state_dir;
	if (cli->state_dir) {
		/* fits: cli_parse refuses a --state-dir longer than CLI_STATE_DIR_MAX */
		static char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/events.jsonl", cli->state_dir);
		mo.log_path = path;
	}
	app.m = monitor_new(&app.loop, cfg, &mo, err, sizeof(err));
	if (!app.m) {
		fprintf(stderr, "isitdown: %s\n", err);
		uv_run(&app.loop, UV_RUN_DEFAULT);
		uv_loop_close(&app.loop);
		return EXIT_CONFIG;
	}
	if (!mo.once && start_hook(&app, cli) != 0) {
		shutdown_loop(&app);
		return EXIT_CONFIG;
	}
	if (screen) {
		struct screen_options so = {.theme = cli->theme, .state_dir = cli->state_dir, .notify = cli->notify,
					    .config_path = config_used[0] ? config_used : NULL,
					    .preset = cli->preset ? cli->preset : "openai"};
		int rc = start_metrics(&app, cli) == 0 ? screen_run(app.m, &so) : EXIT_CONFIG;

		if (rc != SCREEN_NO_TERMINAL) {
			if (cli->report && write_report(cli->report, app.m) != 0)
				rc = EXIT_CONFIG;
			shutdown_loop(&app);
			return rc;
		}
		/* a terminal that cannot show a full screen gets the events line
		 * by line, as when stdout is not a terminal (metrics are served) */
	}
	watch_signals(&app);
	if (mo.once) {
		monitor_on_done(app.m, on_once_done, &app);
	} else {
		app.lines = lines_attach(monitor_events(app.m), stdout, cli->json);
		if (!app.lines || (!screen && start_metrics(&app, cli) != 0)) {
			shutdown_loop(&app);
			return EXIT_CONFIG;
		}
		/* The signal handles keep a daemon running even when nothing is due. */
		for (int i = 0; i < app.n_sig; i++)
			uv_ref((uv_handle_t *)&app.sig[i]);
	}
	monitor_start(app.m);
	if (!mo.once || !monitor_finished(app.m)) {
		struct once_progress *progress = mo.once ? once_progress_start(&app.loop, app.m, stderr) : NULL;

		uv_run(&app.loop, UV_RUN_DEFAULT);
		/* erased before the answer or the word that there is none */
		once_progress_stop(progress);
	}
	if (mo.once && monitor_finished(app.m)) {
		if (cli->json)
			once_print_json(stdout, app.m);
		else
			once_print_text(stdout, app.m);
		app.exit_code = diagnose_exit_code(monitor_verdict(app.m)->state);
		if (once_config_problem(app.m, stderr) && app.exit_code != 2)
			app.exit_code = EXIT_CONFIG;
	} else if (mo.once) {
		fprintf(stderr, "isitdown: interrupted\n");
		app.exit_code = EXIT_CONFIG;
	} else if (app.exit_code > 128) {
		/* SIGINT / SIGTERM / SIGHUP: a clean stop, the log flushed below. */
		app.exit_code = 0;
	}
	if (cli->report && write_report(cli->report, app.m) != 0)
		app.exit_code = EXIT_CONFIG;
	shutdown_loop(&app);
	return app.exit_code;
}

static void on_fleet_done(struct fleet *f, void *data)
{
	struct app *app = data;

	(void)f;
	uv_stop(&app->loop);
}

static int render_fleet_metrics(void *data, char **out, size_t *len)
{
	const struct fleet *f = data;

	return metrics_render_services(fleet_monitors(f), fleet_count(f), out, len);
}

/* Several services: the screen, --once (text or --json), --lines and
 * --headless with --metrics, --report with a part per service. */
static int run_fleet(const struct cli *cli, struct config_set *set)
{
	struct app app = {0};
	struct monitor_options mo = {.once = cli->mode == CLI_MODE_ONCE, .memory_only_log = cli->no_state,
				     .state_dir = cli->state_dir};
	bool screen = cli->mode == CLI_MODE_MONITOR && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	const char *metrics_addr = cli->metrics ? cli->metrics : set->services[0]->metrics;
	struct fleet *f;
	struct verdict overall;
	char err[256];
	int rc = 0;

	mo.read_only_log = mo.once;
	if (cli->state_dir) {
		static char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/events.jsonl", cli->state_dir);
		mo.log_path = path;
	}
	uv_loop_init(&app.loop);
	f = fleet_new(&app.loop, set, &mo, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "isitdown: %s\n", err);
		uv_run(&app.loop, UV_RUN_DEFAULT);
		uv_loop_close(&app.loop);
		return EXIT_CONFIG;
	}
	if (screen) {
		struct screen_options so = {.theme = cli->theme, .state_dir = cli->state_dir, .notify = cli->notify,
					    .config_path = config_used[0] ? config_used : NULL,
					    .preset = cli->preset ? cli->preset : "openai", .fleet = f};

		if (serve_metrics(&app, metrics_addr, render_fleet_metrics, f, fleet_events(f)) != 0 ||
		    start_hook_for(&app, cli, fleet_monitors(f), fleet_count(f), fleet_events(f), "") != 0)
			rc = EXIT_CONFIG;
		if (rc == 0)
			rc = screen_run(fleet_monitor(f, 0), &so);
		if (rc != SCREEN_NO_TERMINAL)
			goto out;
		/* no full screen here: the events line by line, as below */
		rc = 0;
		hook_free(app.hook);
		app.hook = NULL;
		metrics_server_free(app.metrics);
		app.metrics = NULL;
	}
	watch_signals(&app);
	if (mo.once) {
		fleet_on_done(f, on_fleet_done, &app);
	} else {
		app.lines = lines_attach(fleet_events(f), stdout, cli->json);
		if (!app.lines || serve_metrics(&app, metrics_addr, render_fleet_metrics, f, fleet_events(f)) != 0 ||
		    start_hook_for(&app, cli, fleet_monitors(f), fleet_count(f), fleet_events(f), "") != 0)
			rc = EXIT_CONFIG;
		for (int i = 0; i < app.n_sig; i++)
			uv_ref((uv_handle_t *)&app.sig[i]);
	}
	if (rc == 0) {
		fleet_start(f);
		if (!mo.once || !fleet_finished(f))
			uv_run(&app.loop, UV_RUN_DEFAULT);
		if (mo.once && fleet_finished(f)) {
			if (cli->json)
				once_print_fleet_json(stdout, f);
			else
				once_print_fleet_text(stdout, f);
			fleet_verdict(f, &overall, NULL);
			rc = diagnose_exit_code(overall.state);
			for (size_t i = 0; i < fleet_count(f); i++)
				if (once_config_problem(fleet_monitor(f, i), stderr) && rc != 2)
					rc = EXIT_CONFIG;
		} else if (mo.once) {
			fprintf(stderr, "isitdown: interrupted\n");
			rc = EXIT_CONFIG;
		}
	}
out:
	if (cli->report) {
		int wr;

		for (size_t i = 0; i < fleet_count(f); i++)
			monitor_settle(fleet_monitor(f, i));
		wr = report_write_services_file(fleet_monitors(f), fleet_count(f), cli->report);
		if (wr < 0) {
			fprintf(stderr, "isitdown: cannot write the report %s: %s\n", cli->report, strerror(-wr));
			rc = EXIT_CONFIG;
		} else {
			fprintf(stderr, "isitdown: report written to %s\n", cli->report);
		}
	}
	lines_detach(fleet_events(f), app.lines);
	app.lines = NULL;
	/* the hook and the metrics read the fleet: they go first */
	hook_free(app.hook);
	app.hook = NULL;
	metrics_server_free(app.metrics);
	app.metrics = NULL;
	fleet_free(f);
	shutdown_loop(&app);
	return rc;
}

/* Every probe is a fresh connection, so a few hundred targets outgrow the
 * usual soft limit of 1024 descriptors; running out would read as the
 * service refusing connections. The hard limit is ours to take. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 65536) {
		rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct config_set *set;
	struct config *cfg;
	int rc;

	setlocale(LC_ALL, "");
	/* libcurl may still raise SIGPIPE in corner cases; a monitor must not die of it. */
	signal(SIGPIPE, SIG_IGN);
	/* A log past RLIMIT_FSIZE must fail its write with EFBIG (the event log
	 * warns and keeps the lines), not kill the monitor. */
	signal(SIGXFSZ, SIG_IGN);
	raise_fd_limit();
	if (cli_parse(&cli, argc, argv) != 0)
		return EXIT_CONFIG;
	switch (cli.mode) {
	case CLI_MODE_HELP:
		cli_usage(stdout);
		return 0;
	case CLI_MODE_VERSION:
		printf("isitdown %s (%s)\n", ISITDOWN_VERSION, curl_version());
		return 0;
	case CLI_MODE_LIST_PRESETS:
		list_presets();
		return 0;
	case CLI_MODE_LIST_THEMES:
		list_themes();
		return 0;
	default:
		break;
	}
	if (cli.report) {
		/* found out now rather than at the end of a long run */
		rc = report_check_path(cli.report);
		if (rc < 0) {
			fprintf(stderr, "isitdown: cannot write the report %s: %s\n", cli.report, strerror(-rc));
			return EXIT_CONFIG;
		}
	}
	set = load_config(&cli);
	if (!set)
		return EXIT_CONFIG;
	if (cli.mode == CLI_MODE_PRINT_CONFIG && set->n > 1) {
		rc = print_config_set(set);
		config_set_free(set);
		return rc;
	}
	if (set->n > 1) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fprintf(stderr, "isitdown: cannot initialise libcurl\n");
			config_set_free(set);
			return EXIT_CONFIG;
		}
		rc = run_fleet(&cli, set);
		config_set_free(set);
		curl_global_cleanup();
		return rc;
	}
	cfg = set->services[0];
	set->services[0] = NULL;
	config_set_free(set);
	if (cli.mode == CLI_MODE_PRINT_CONFIG) {
		cJSON *j = config_to_json(cfg);
		char *text = j ? cJSON_Print(j) : NULL;

		if (text)
			printf("%s\n", text);
		cJSON_free(text);
		cJSON_Delete(j);
		config_free(cfg);
		return text ? 0 : 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "isitdown: cannot initialise libcurl\n");
		config_free(cfg);
		return EXIT_CONFIG;
	}
	rc = run(&cli, cfg);
	curl_global_cleanup();
	return rc;
}
