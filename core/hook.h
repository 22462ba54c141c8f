/* hook.h: the user's own command, run when the verdict changes.
 *
 * `"on_change": "CMD"` (or --on-change CMD) runs CMD through /bin/sh -c with the
 * change in its environment: ISITDOWN_SERVICE, ISITDOWN_STATE,
 * ISITDOWN_PREVIOUS_STATE, ISITDOWN_CAUSE, ISITDOWN_SUMMARY and ISITDOWN_SINCE
 * (ISO 8601, UTC). The rest of the environment is passed on, except the
 * variables that hold the config's secrets: a hook never sees an API key.
 *
 * The loop never waits for it: the command is spawned, its output lines go to
 * the event log (cleaned of control characters, at most HOOK_MAX_LINES per run),
 * and its end is logged. At most one runs at a time; a change that comes while
 * one runs waits, and only the newest waiting change is run, so the last
 * hook run always tells the current state. A command still running after the
 * time limit is killed with its whole process group, and that is logged. */
#ifndef ISITDOWN_HOOK_H
#define ISITDOWN_HOOK_H

#include <stddef.h>
#include <uv.h>

#include "eventlog.h"

#define HOOK_TIMEOUT_S 10.0
#define HOOK_MAX_LINES 20

struct hook_change {
	const char *service;        /* "OpenAI" */
	const char *state;          /* "major_outage" */
	const char *previous_state; /* NULL or "" for the first verdict */
	const char *cause;          /* "http_5xx" */
	const char *summary;        /* the verdict's one sentence */
	double since;               /* seconds since the epoch, UTC */
};

struct hook;

/* A hook that runs `command` (copied) and logs to `log` (which must outlive it).
 * `withheld` is a NULL-terminated list of environment variable names never passed
 * to the command (the config's secret variables); it is copied; may be NULL.
 * timeout_s <= 0 means HOOK_TIMEOUT_S. NULL when out of memory. */
struct hook *hook_new(uv_loop_t *loop, const char *command, struct eventlog *log,
		      const char *const *withheld, double timeout_s);

/* Runs the command for this change now, or after the one running ends (a newer
 * waiting change replaces an older one). Returns 0 or a negative UV_E* code; a
 * command that cannot be started is also logged as a warning. */
int hook_fire(struct hook *h, const struct hook_change *change);

/* Runs the command on every change of the verdict's state, as the log's verdict
 * events tell it (a change of cause alone is not one). Starting up is not a
 * change: the first verdict after "unknown" runs it only when it is not
 * operational. `service` (copied) names the service in ISITDOWN_SERVICE.
 * Returns 0 or UV_ENOMEM. */
int hook_watch(struct hook *h, const char *service);

/* Commands started so far, and whether one is running or waiting to (for tests). */
unsigned long hook_runs(const struct hook *h);
int hook_running(const struct hook *h);

/* Kills a running command (with its process group) and drops a waiting change;
 * the memory is freed when the loop has run the last close callback. NULL is a
 * no-op. */
void hook_free(struct hook *h);

/* The environment the command gets: `base` (NULL-terminated "NAME=value"
 * strings) without the withheld names and without any ISITDOWN_* already there,
 * then the six ISITDOWN_* variables. A malloc'd NULL-terminated array of
 * malloc'd strings (free with hook_env_free), or NULL when out of memory.
 * Exposed for the tests. */
char **hook_env_build(char *const *base, const char *const *withheld, const struct hook_change *change);
void hook_env_free(char **env);

#endif
