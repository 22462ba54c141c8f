/* Unit tests for core/hook.c: the on_change command, run for real through
 * /bin/sh on a libuv loop, with its output read back from a memory event log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hook.h"

struct world {
	uv_loop_t loop;
	struct eventlog *log;
	struct hook *hook;
};

static void world_start(struct world *w, const char *command, const char *const *withheld, double timeout_s)
{
	struct eventlog_options o = {.memory_only = true};

	assert_int_equal(uv_loop_init(&w->loop), 0);
	w->log = eventlog_new(&w->loop, NULL, &o);
	assert_non_null(w->log);
	w->hook = hook_new(&w->loop, command, w->log, withheld, timeout_s);
	assert_non_null(w->hook);
}

static void world_end(struct world *w)
{
	hook_free(w->hook);
	eventlog_free(w->log);
	uv_run(&w->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&w->loop), 0);
}

/* Runs the loop until no command runs and none waits (hook_running is 0 once
 * the last run has been logged). */
static void run_until_idle(struct world *w)
{
	while (hook_running(w->hook))
		uv_run(&w->loop, UV_RUN_ONCE);
}

/* The newest event whose text contains `needle`, or NULL. */
static const struct event *find_event(struct world *w, const char *needle)
{
	for (size_t i = 0; i < eventlog_count(w->log); i++) {
		const struct event *ev = eventlog_at(w->log, i);

		if (strstr(ev->text, needle))
			return ev;
	}
	return NULL;
}

static size_t count_events(struct world *w, const char *needle)
{
	size_t n = 0;

	for (size_t i = 0; i < eventlog_count(w->log); i++)
		if (strstr(eventlog_at(w->log, i)->text, needle))
			n++;
	return n;
}

static const struct hook_change outage = {
	.service = "OpenAI", .state = "major_outage", .previous_state = "operational",
	.cause = "http_5xx", .summary = "ChatGPT is failing (HTTP 503)", .since = 1764720000.0,
};

static void test_env_carries_the_change_and_withholds_secrets(void **state)
{
	char *base[] = {"PATH=/usr/bin", "OPENAI_API_KEY=sk-secret", "ISITDOWN_STATE=stale",
			"OPENAI_API_KEY_OLD=kept", "HOME=/home/x", NULL};
	const char *withheld[] = {"OPENAI_API_KEY", NULL};
	char **env = hook_env_build(base, withheld, &outage);
	const char *want[] = {"PATH=/usr/bin", "OPENAI_API_KEY_OLD=kept", "HOME=/home/x",
			      "ISITDOWN_SERVICE=OpenAI", "ISITDOWN_STATE=major_outage",
			      "ISITDOWN_PREVIOUS_STATE=operational", "ISITDOWN_CAUSE=http_5xx",
			      "ISITDOWN_SUMMARY=ChatGPT is failing (HTTP 503)",
			      "ISITDOWN_SINCE=2025-12-03T00:00:00Z", NULL};
	size_t n = 0;

	(void)state;
	assert_non_null(env);
	for (; env[n]; n++) {
		assert_null(strstr(env[n], "sk-secret"));
		assert_string_not_equal(env[n], "ISITDOWN_STATE=stale");
	}
	assert_int_equal(n, 9);
	for (size_t i = 0; want[i]; i++) {
		size_t j = 0;

		while (env[j] && strcmp(env[j], want[i]) != 0)
			j++;
		if (!env[j])
			fail_msg("missing %s", want[i]);
	}
	hook_env_free(env);
}

static void test_runs_with_the_change_and_logs_its_output(void **state)
{
	struct world w;

	(void)state;
	world_start(&w, "echo \"$ISITDOWN_SERVICE $ISITDOWN_PREVIOUS_STATE -> $ISITDOWN_STATE "
			"($ISITDOWN_CAUSE) since $ISITDOWN_SINCE\"; echo to-stderr >&2", NULL, 0);
	assert_int_equal(hook_fire(w.hook, &outage), 0);
	assert_true(hook_running(w.hook));
	run_until_idle(&w);
	assert_int_equal(hook_runs(w.hook), 1);
	assert_non_null(find_event(&w, "on_change hook: OpenAI operational -> major_outage (http_5xx) "
				       "since 2025-12-03T00:00:00Z"));
	assert_non_null(find_event(&w, "on_change hook: to-stderr"));
	assert_non_null(find_event(&w, "on_change hook done in"));
	world_end(&w);
}

static void test_no_secret_reaches_the_command(void **state)
{
	const char *withheld[] = {"TEST_HOOK_SECRET", NULL};
	struct world w;

	(void)state;
	setenv("TEST_HOOK_SECRET", "sk-never-shown", 1);
	world_start(&w, "echo \"secret=[${TEST_HOOK_SECRET}]\"; env | grep -c sk-never-shown", withheld, 0);
	assert_int_equal(hook_fire(w.hook, &outage), 0);
	run_until_idle(&w);
	assert_null(find_event(&w, "sk-never-shown"));
	assert_non_null(find_event(&w, "secret=[]"));
	/* grep -c counted the secret in the whole environment: none */
	assert_non_null(find_event(&w, "on_change hook: 0"));
	unsetenv("TEST_HOOK_SECRET");
	world_end(&w);
}

static void test_a_failing_command_is_logged(void **state)
{
	struct world w;
	const struct event *ev;

	(void)state;
	world_start(&w, "exit 3", NULL, 0);
	assert_int_equal(hook_fire(w.hook, &outage), 0);
	run_until_idle(&w);
	ev = find_event(&w, "on_change hook failed: exit status 3");
	assert_non_null(ev);
	assert_int_equal(ev->severity, EVENT_WARNING);
	world_end(&w);
}

static void test_a_slow_command_is_killed_with_its_children(void **state)
{
	struct world w;
	uint64_t start;

	(void)state;
	/* the background sleep holds the output pipe: it must die too */
	world_start(&w, "sleep 30 & echo started; sleep 30; echo never", NULL, 0.3);
	start = uv_hrtime();
	assert_int_equal(hook_fire(w.hook, &outage), 0);
	run_until_idle(&w);
	assert_true((uv_hrtime() - start) / 1000000 < 10000);
	assert_non_null(find_event(&w, "on_change hook: started"));
	assert_null(find_event(&w, "never"));
	assert_non_null(find_event(&w, "on_change hook killed: still running after"));
	world_end(&w);
}

static void test_one_run_at_a_time_and_the_newest_change_waits(void **state)
{
	struct hook_change c = outage;
	struct world w;

	(void)state;
	world_start(&w, "sleep 0.2; echo \"ran for $ISITDOWN_STATE\"", NULL, 0);
	assert_int_equal(hook_fire(w.hook, &c), 0);
	c.state = "degraded";
	assert_int_equal(hook_fire(w.hook, &c), 0);
	c.state = "operational";
	assert_int_equal(hook_fire(w.hook, &c), 0);
	assert_int_equal(hook_runs(w.hook), 1);
	/* the first run ends, then the newest waiting change runs */
	while (hook_runs(w.hook) < 2 || hook_running(w.hook))
		uv_run(&w.loop, UV_RUN_ONCE);
	assert_int_equal(hook_runs(w.hook), 2);
	assert_non_null(find_event(&w, "ran for major_outage"));
	assert_non_null(find_event(&w, "ran for operational"));
	assert_null(find_event(&w, "ran for degraded"));
	world_end(&w);
}

static void test_output_is_bounded_and_cleaned(void **state)
{
	struct world w;
	char line[64];

	(void)state;
	world_start(&w, "printf '\\033]0;pwned\\007\\033[31mred\\n'; seq 1 100", NULL, 0);
	assert_int_equal(hook_fire(w.hook, &outage), 0);
	run_until_idle(&w);
	assert_non_null(find_event(&w, "on_change hook: red"));
	for (size_t i = 0; i < eventlog_count(w.log); i++)
		assert_null(strchr(eventlog_at(w.log, i)->text, '\033'));
	assert_null(find_event(&w, "pwned"));
	/* the colour line and 19 numbers, then a count of the rest */
	snprintf(line, sizeof(line), "on_change hook: %d", 19);
	assert_non_null(find_event(&w, line));
	assert_null(find_event(&w, "on_change hook: 20"));
	assert_non_null(find_event(&w, "81 more lines of output not shown"));
	assert_int_equal(count_events(&w, "on_change hook: "), HOOK_MAX_LINES + 1);
	world_end(&w);
}

static void test_free_while_running_kills_and_closes(void **state)
{
	struct world w;

	(void)state;
	world_start(&w, "sleep 30", NULL, 0);
	assert_int_equal(hook_fire(w.hook, &outage), 0);
	uv_run(&w.loop, UV_RUN_NOWAIT);
	/* world_end frees the hook while the command runs: no handle may be left */
	world_end(&w);
}

static void verdict(struct world *w, const char *state, const char *cause, const char *summary)
{
	char text[256];
	struct event ev = {.severity = EVENT_NOTICE, .source = EVENT_SRC_VERDICT, .component = "", .target = "",
			   .state = state, .cause = cause, .text = text};

	snprintf(text, sizeof(text), "%s: %s", state, summary);
	assert_int_equal(eventlog_add(w->log, &ev), 0);
	run_until_idle(w);
}

static void test_watch_runs_on_each_change_of_state(void **state)
{
	struct world w;

	(void)state;
	world_start(&w, "echo \"$ISITDOWN_SERVICE: $ISITDOWN_PREVIOUS_STATE -> $ISITDOWN_STATE ($ISITDOWN_CAUSE) "
			"$ISITDOWN_SUMMARY\"", NULL, 0);
	assert_int_equal(hook_watch(w.hook, "OpenAI"), 0);
	/* starting up, all good: not a change worth a command */
	verdict(&w, "unknown", "no_data", "checking");
	verdict(&w, "operational", "ok", "all good");
	assert_int_equal(hook_runs(w.hook), 0);
	verdict(&w, "major_outage", "http_5xx", "ChatGPT is failing (HTTP 503)");
	assert_int_equal(hook_runs(w.hook), 1);
	assert_non_null(find_event(&w, "on_change hook: OpenAI: operational -> major_outage (http_5xx) "
				       "ChatGPT is failing (HTTP 503)"));
	/* the cause changes, the state does not */
	verdict(&w, "major_outage", "timeout", "ChatGPT does not answer");
	/* events that are not verdicts */
	eventlog_addf(w.log, EVENT_INFO, EVENT_SRC_PROBE, "", "web", "web: up");
	run_until_idle(&w);
	assert_int_equal(hook_runs(w.hook), 1);
	verdict(&w, "operational", "ok", "all good");
	assert_int_equal(hook_runs(w.hook), 2);
	assert_non_null(find_event(&w, "on_change hook: OpenAI: major_outage -> operational (ok) all good"));
	world_end(&w);
}

static void test_watch_tells_a_first_verdict_that_is_not_good(void **state)
{
	struct world w;

	(void)state;
	world_start(&w, "echo \"first: [$ISITDOWN_PREVIOUS_STATE] -> $ISITDOWN_STATE\"", NULL, 0);
	assert_int_equal(hook_watch(w.hook, "OpenAI"), 0);
	verdict(&w, "unknown", "no_data", "checking");
	verdict(&w, "local_problem", "dns_all", "DNS is failing");
	assert_int_equal(hook_runs(w.hook), 1);
	assert_non_null(find_event(&w, "on_change hook: first: [unknown] -> local_problem"));
	world_end(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_carries_the_change_and_withholds_secrets),
		cmocka_unit_test(test_runs_with_the_change_and_logs_its_output),
		cmocka_unit_test(test_no_secret_reaches_the_command),
		cmocka_unit_test(test_a_failing_command_is_logged),
		cmocka_unit_test(test_a_slow_command_is_killed_with_its_children),
		cmocka_unit_test(test_one_run_at_a_time_and_the_newest_change_waits),
		cmocka_unit_test(test_output_is_bounded_and_cleaned),
		cmocka_unit_test(test_free_while_running_kills_and_closes),
		cmocka_unit_test(test_watch_runs_on_each_change_of_state),
		cmocka_unit_test(test_watch_tells_a_first_verdict_that_is_not_good),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
