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
	bool memory_only_log;   /* no event log file, and no history file */
	bool read_only_log;     /* load the event log and history files, never write them (--once) */
	const char *log_path;   /* NULL: the default under $XDG_STATE_HOME */
	const char *state_dir;  /* of the history file (history_file.h); NULL: the default */
	/* one of several services (fleet.h): the events it logs name it, and it
	 * writes to that log (which it neither loads nor frees) */
	const char *event_service;
	struct eventlog *shared_log;
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
/* A result of target i, as recorded; final: --once is done with the target
 * (no retry is coming). */
typedef void (*monitor_sample_fn)(struct monitor *m, size_t i, const struct sample *s, bool final, void *data);

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

/* Watching several services (fleet.h): a control target several of them
 * share is probed by one monitor, whose results reach the others. */
void monitor_on_sample(struct monitor *m, monitor_sample_fn fn, void *data);
/* Before monitor_start: target i is not probed here; its results come from
 * monitor_feed_sample (they count as if probed here, but its changes of state
 * are not logged twice). */
void monitor_mirror_target(struct monitor *m, size_t i);
void monitor_feed_sample(struct monitor *m, size_t i, const struct sample *s, bool final);
/* In an outage, the name of a service of the same group that answers
 * normally: the verdict carries it (verdict.fallback) and its summary ends
 * "; NAME answers normally". NULL or "": none. */
void monitor_set_fallback(struct monitor *m, const char *name);
bool monitor_finished(const struct monitor *m);

void monitor_probe_all(struct monitor *m);
void monitor_pause(struct monitor *m, bool paused);
bool monitor_paused(const struct monitor *m);

const struct config *monitor_config(const struct monitor *m);
size_t monitor_target_count(const struct monitor *m);
void monitor_target_info(const struct monitor *m, size_t i, struct monitor_target_info *out);
/* Uptime as measured (history_uptime) over history_uptime_windows[w] ending
 * at now: target i's; a component's is its least available service target's.
 * 0 and *ratio, or -ENODATA (no window covered, no such component). */
int monitor_target_uptime(const struct monitor *m, size_t i, size_t w, double now, double *ratio);
int monitor_component_uptime(const struct monitor *m, const char *component, size_t w, double now, double *ratio);
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
