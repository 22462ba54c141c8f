/* monitor.h: the running monitor, the model every view reads.
 *
 * A monitor owns the config, the prober, the scheduler, each target's history
 * and assessment, the parsed official status page, the event log, the verdict
 * and the checklist. Views (the screen, --once, line mode, metrics) read it
 * through the functions below and learn of changes through one callback; they
 * never change it except through the few actions offered (probe now, pause). */
#ifndef ISITDOWN_MONITOR_H
#define ISITDOWN_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "assess.h"
#include "checklist.h"
#include "config.h"
#include "diagnose.h"
#include "eventlog.h"
#include "proxyenv.h"
#include "history.h"
#include "sample.h"
#include "statuspage.h"

struct monitor;

struct monitor_options {
	bool once;              /* probe each target once (a failure retried once), then stop */
	double retry_delay_s;   /* --once: pause before the retry of a failure; default 1 s */
	bool memory_only_log;   /* no event log file */
	bool read_only_log;     /* load the event log file, never write it (--once) */
	const char *log_path;   /* NULL: the default under $XDG_STATE_HOME */
	size_t history_capacity; /* samples kept per target; 0: 24 h at its interval */
};

/* What a view may know of one target. Pointers stay valid until the next
 * loop pass changes the target (copy what you keep). */
struct monitor_target_info {
	const struct target *target;
	enum assess_state state;
	double state_since;
	const struct sample *last; /* NULL before the first result */
	const struct history *history;
	struct diagnose_path v4, v6, direct, proxy;
	unsigned long probes, failures;
	unsigned long outcomes[OUTCOME_COUNT]; /* results since start, by outcome */
	bool in_flight;
	/* "" or why the target is skipped, never probed ("needs OPENAI_API_KEY"):
	 * it has no state then, and the diagnosis does not see it */
	const char *needs;
};

struct monitor_component_info {
	const char *name;
	/* the component's state as every view shows it (rows, details, --once,
	 * --json): our probes and the official word, read with the verdict, so
	 * that a local verdict puts no component in an outage */
	enum assess_component state;
	enum assess_component ours;    /* our probes alone, read the same way */
	const char *reason;            /* why unknown ("unreachable from here"), or "" */
	enum assess_official official; /* the status page's word for it */
	bool official_known;
};

typedef void (*monitor_change_fn)(struct monitor *m, void *data);

/* Takes ownership of cfg. Returns NULL and a message on failure. */
struct monitor *monitor_new(uv_loop_t *loop, struct config *cfg, const struct monitor_options *opts,
			    char *err, size_t errlen);
/* Stops everything and closes every handle; run the loop afterwards until it
 * ends so the close callbacks free the memory, then the log is flushed. */
void monitor_free(struct monitor *m);
/* Loads the event log and starts probing. */
int monitor_start(struct monitor *m);
/* Called after every change a view could show: a sample, a state change, an
 * event, a verdict. Calls come from the loop, often in bursts: coalesce. */
void monitor_on_change(struct monitor *m, monitor_change_fn fn, void *data);
/* --once: called when every probe, retry and status page read has ended. */
void monitor_on_done(struct monitor *m, monitor_change_fn fn, void *data);
bool monitor_finished(const struct monitor *m);

void monitor_probe_all(struct monitor *m);
void monitor_pause(struct monitor *m, bool paused);
bool monitor_paused(const struct monitor *m);

const struct config *monitor_config(const struct monitor *m);
size_t monitor_target_count(const struct monitor *m);
void monitor_target_info(const struct monitor *m, size_t i, struct monitor_target_info *out);
size_t monitor_component_count(const struct monitor *m);
void monitor_component_info(const struct monitor *m, size_t i, struct monitor_component_info *out);
/* The verdict and checklist follow results at most every SETTLE_MS; this
 * brings them up to date with every result so far (before a report, say). */
void monitor_settle(struct monitor *m);
const struct verdict *monitor_verdict(const struct monitor *m);
const struct checklist *monitor_checklist(const struct monitor *m);
/* The last good read of the status page, or NULL; and why the last read
 * failed ("" when it did not). */
const struct statuspage *monitor_official(const struct monitor *m);
const char *monitor_official_error(const struct monitor *m);
/* How far the status page lagged our detection, "" when not known. */
const char *monitor_lag_text(const struct monitor *m);
struct eventlog *monitor_events(const struct monitor *m);
/* The proxy settings the probes and the diagnosis use (the environment's,
 * as curl reads it), for the views to show. */
void monitor_proxy_env(const struct monitor *m, struct proxyenv *out);
/* Seconds since the epoch of the newest result; 0 before the first. */
double monitor_last_result(const struct monitor *m);
unsigned long monitor_probes_total(const struct monitor *m);
uv_loop_t *monitor_loop(const struct monitor *m);

#endif
