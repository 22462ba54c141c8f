/* monitor_internal.h: the monitor's insides, shared by its files: monitor.c
 * (life, samples, the verdict, accessors), monitor_input.c (what the diagnosis is
 * given), monitor_paths.c (the comparison probes over IPv4/IPv6 and direct/proxy)
 * and monitor_page.c (following the official status page). */
#ifndef ISITDOWN_MONITOR_INTERNAL_H
#define ISITDOWN_MONITOR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "monitor.h"
#include "probe.h"
#include "scheduler.h"

#define BACKOFF_MAX_S 600.0
/* Rediagnosing reads every target, so it runs at most this often while results
 * pour in, not once per result: per result, a round of 1,000 targets cost
 * 1,000 x 1,000 target reads. A person cannot tell 100 ms; --once ends 10 ms
 * after its last result at most. */
#define SETTLE_MS 100
#define SETTLE_ONCE_MS 10

/* In pairs that are compared: v4 with v6, direct with proxy (kind ^ 1). */
enum path_kind { PATH_V4, PATH_V6, PATH_DIRECT, PATH_PROXY, PATH_COUNT };

struct mtarget;

struct path_probe {
	struct mtarget *mt;
	enum path_kind kind;
	struct probe *probe;
	struct diagnose_path result;
	bool recent_ok[DIAGNOSE_RECENT]; /* a ring of the last runs */
	int n_recent, next;
	int once_runs;           /* runs started: --once compares a pair run for run */
};

struct mtarget {
	struct monitor *m;
	size_t index;
	const struct target *t;
	struct assess assess;
	struct history *hist;
	char *host;             /* of its URL, parsed once: the diagnosis reads it often */
	struct sample last;
	bool have_last;
	struct sample last_fail; /* the last failed sample, without body or headers */
	bool have_last_fail;
	struct probe *probe;
	struct path_probe paths[PATH_COUNT];
	unsigned long probes, failures;
	unsigned long outcomes[OUTCOME_COUNT];
	bool once_done;
	int retries_left;
	/* not probed at all, and why ("needs OPENAI_API_KEY"): an llm target
	 * without its key; "" for every other */
	char needs[64];
	bool paths_started;     /* --once: the comparison probes ran (they start once) */
	bool mirrored;          /* probed by another monitor (monitor_feed_sample) */
	/* status pages */
	struct statuspage page;
	bool have_page;
	char *etag, *last_modified;
	struct probe *components_probe;
	char fetch_error[SAMPLE_ERROR_LEN];
	double backoff_s;
};

struct monitor {
	uv_loop_t *loop;
	struct config *cfg;
	struct monitor_options opts;
	struct prober *pr;
	struct scheduler *sched;
	struct eventlog *log;
	struct history_file *history; /* NULL: none kept (--no-state, no state directory) */
	struct history **hists;       /* each target's, in order: what the history file reads */
	struct mtarget *targets;
	size_t n;
	char **components;
	size_t n_components;
	/* each component's state as of the last diagnosis: the views read it
	 * every frame, and working it out reads every target */
	struct monitor_component_info *component_info;
	struct verdict verdict;
	bool have_logged;       /* a verdict event was written: logged_* say which */
	enum verdict_state logged_state;
	enum verdict_cause logged_cause;
	char logged_fallback[VERDICT_NAME_LEN];
	struct checklist checklist;
	struct diagnose_lag lag;
	char lag_text[128];
	double last_result;
	unsigned long probes_total;
	monitor_change_fn on_change, on_done;
	void *change_data, *done_data;
	monitor_sample_fn on_sample;
	void *sample_data;
	char fallback[VERDICT_NAME_LEN]; /* monitor_set_fallback */
	bool paused;
	bool finished;
	uv_timer_t *settle;     /* allocated apart: it outlives monitor_free until closed */
	uint64_t last_settle;
};

/* Everything the diagnosis borrows for one call; freed by input_done. */
struct input_store {
	struct diagnose_input in;
	struct diagnose_target *targets;
	struct diagnose_official_component *components;
	struct diagnose_incident *incidents;
	struct diagnose_maintenance *maintenances;
};

/* An event of this monitor's service (named when several are watched). */
#define mon_log(m, ...) eventlog_addf_service((m)->log, (m)->opts.event_service, __VA_ARGS__)

/* monitor.c: the clock, the status page target, a sample recorded, and a
 * re-diagnosis soon (several results at once make one). */
double mon_now_s(void);
const struct mtarget *mon_status_target(const struct monitor *m);
/* monitor_input.c */
char *mon_host_of(const struct target *t);
bool mon_is_plain_http(const struct target *t);
int mon_input_build(const struct monitor *m, struct input_store *st);
void mon_input_done(struct input_store *st, size_t n);
/* monitor.c */
void mon_settle(struct monitor *m);
void mon_record_sample(struct mtarget *mt, struct sample *s);
/* monitor_paths.c, monitor_page.c */
void mon_start_paths(struct mtarget *mt);
void mon_on_status_done(struct probe *p, const struct target *t, struct sample *s, void *data);

#endif
