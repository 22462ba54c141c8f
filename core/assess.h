/* assess.h: the state of one target, judged from its samples with flap control,
 * and the state of a component, combined from its targets and the official page.
 *
 * Pure logic: no clock, no I/O. The caller passes the time and the latency
 * figures (recent median, rolling baseline) it keeps in history. */
#ifndef ISITDOWN_ASSESS_H
#define ISITDOWN_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

#include "sample.h"

enum assess_state {
	ASSESS_UNKNOWN,    /* no sample yet */
	ASSESS_UP,
	ASSESS_CONFIRMING, /* failed, not yet confirmed: probe again soon */
	ASSESS_DEGRADED,   /* answers, but slowly */
	ASSESS_DOWN,       /* fail_threshold consecutive failures */
	ASSESS_FLAPPING,   /* keeps changing now: several changes without holding a state */
};

/* A component's status as an official status page words it. */
enum assess_official {
	ASSESS_OFFICIAL_UNKNOWN,
	ASSESS_OFFICIAL_OPERATIONAL,
	ASSESS_OFFICIAL_DEGRADED,    /* degraded_performance */
	ASSESS_OFFICIAL_PARTIAL,     /* partial_outage */
	ASSESS_OFFICIAL_MAJOR,       /* major_outage */
	ASSESS_OFFICIAL_MAINTENANCE, /* under_maintenance */
};

/* A component's state, our measurement and the official page together. */
enum assess_component {
	ASSESS_COMPONENT_OPERATIONAL,
	ASSESS_COMPONENT_DEGRADED,
	ASSESS_COMPONENT_PARTIAL_OUTAGE,
	ASSESS_COMPONENT_MAJOR_OUTAGE,
	ASSESS_COMPONENT_MAINTENANCE,
	ASSESS_COMPONENT_UNKNOWN,
};

#define ASSESS_FAIL_THRESHOLD 2
#define ASSESS_OK_THRESHOLD 2
#define ASSESS_SLOW_FACTOR 3.0
/* The baseline-derived limit is never below this, so a 1 ms loopback baseline
 * does not make 4 ms "slow". */
#define ASSESS_SLOW_FLOOR_MS 200.0
#define ASSESS_FLAP_CHANGES 4
#define ASSESS_FLAP_WINDOW_S 600.0
#define ASSESS_REPROBE_S 2.0
/* Most changes the flap detector remembers; flap_changes is clamped to it. */
#define ASSESS_FLAP_SLOTS 16

struct assess_params {
	int fail_threshold;   /* consecutive failures before down */
	int ok_threshold;     /* consecutive successes before down becomes up again
			       * (and a flapping target holds up) */
	double slow_factor;   /* degraded above slow_factor x baseline ... */
	double slow_floor_ms; /* ... but never below this */
	int flap_changes;     /* this many changes within flap_window_s, none of
			       * them held for the confirming count: flapping */
	double flap_window_s;
	double reprobe_s;     /* how soon to probe again after a first failure */
};

/* What the caller knows besides the sample. Latency figures <= 0 mean unknown. */
struct assess_input {
	double slow_ms;     /* the target's own threshold; <= 0: none */
	double median_ms;   /* recent median latency */
	double baseline_ms; /* rolling baseline (long-run median) */
	double now;         /* seconds since the epoch */
};

/* The answer of assess_update: whether the shown state changed (log an event
 * then), and when to probe again (0: on the usual schedule). */
struct assess_change {
	bool changed;
	enum assess_state from, to;
	double reprobe_in_s;
	/* a target shown down comes back (to up or degraded): how long it failed,
	 * from its first failed probe to its first passing one; 0 otherwise */
	double outage_s;
};

/* One target's assessment. Embedded in the caller's per-target record;
 * the fields are readable, only assess_* functions write them. */
struct assess {
	struct assess_params p;
	enum assess_state state;   /* what is shown */
	enum assess_state raw;     /* the state before flap control */
	enum assess_state settled; /* the last raw state other than confirming */
	int fails, oks;            /* consecutive results */
	int run;                   /* consecutive results at the level of `raw` */
	double since;              /* when `state` was entered; 0 before the first sample */
	double fail_start;         /* the first failure of the current failing run, 0 none */
	double pass_start;         /* the first pass of the current passing run, 0 none */
	double down_start;         /* fail_start of the run that made the target down */
	double last_flip;          /* time of the last change counted by the flap detector */
	double flips[ASSESS_FLAP_SLOTS]; /* ring of the changes since the target last
					  * held a state (cleared then) */
	size_t n_flips, flip_next;
	enum outcome last_outcome;
	long last_http_status;
	unsigned long n_samples;
};

void assess_params_default(struct assess_params *p);
/* params NULL: the defaults above. Values <= 0 in params are replaced by defaults. */
void assess_init(struct assess *a, const struct assess_params *params);
/* Feeds one sample. s NULL only advances time (it changes nothing today: only
 * samples end flapping); in NULL means no latency figures, with s->t as the time.
 *
 * The rules, over time (README.md, "How the verdict changes over time"):
 * - a first failure shows as confirming and asks for a quick re-probe;
 *   fail_threshold failures in a row make the target down, whatever came before;
 * - a down target comes back up after ok_threshold passes in a row (the first
 *   pass asks for a quick re-probe too); from confirming one pass is enough;
 * - the flap detector counts changes between three levels (up, slow,
 *   failing); flap_changes of them within flap_window_s, without the target
 *   ever holding a level for the confirming count (fail_threshold failures or
 *   ok_threshold passes) in between, show as flapping. Flapping ends as soon
 *   as the target holds a level for the confirming count: down after
 *   fail_threshold failures, up after ok_threshold passes. So flapping never
 *   hides "down now" or "up again now". */
struct assess_change assess_update(struct assess *a, const struct sample *s,
				   const struct assess_input *in);

/* The latency above which a target counts as degraded: the lower of its own
 * threshold and max(slow_factor x baseline, slow_floor_ms); <= 0 when neither
 * is known. p NULL: defaults. */
double assess_slow_limit(const struct assess_params *p, double slow_ms, double baseline_ms);
/* A model's first token far above its own baseline (slow_factor times it,
 * never less than slow_floor_ms): false while there is no baseline. */
bool assess_first_token_slow(const struct assess_params *p, double first_token_ms, double baseline_ms);
/* True when the outcome shows the service was reached: ok, and also a bot
 * challenge, a rejected key or rate limiting (the service answered; the reason
 * it did not serve is reported, but it is not down). */
bool assess_outcome_reachable(enum outcome o);
/* Plain words for an outcome, e.g. "service unavailable" for a 503; never NULL.
 * The status number is not included: callers show it beside the words. */
const char *assess_outcome_text(enum outcome o, long http_status);

/* Combines the states of a component's targets with its official status.
 * Targets: all down = major outage, some down = partial outage, slow or
 * flapping = degraded, confirming counts as up (not confirmed), unknown is
 * ignored. Then the worse of ours and the official one wins, unknown yielding
 * to the other; official maintenance wins over everything. */
enum assess_component assess_component_combine(const enum assess_state *states, size_t n,
					       enum assess_official official);

const char *assess_state_name(enum assess_state s);
const char *assess_official_name(enum assess_official o);
const char *assess_component_name(enum assess_component c);
/* "operational", "degraded_performance", "partial_outage", "major_outage",
 * "under_maintenance"; anything else (and NULL) is unknown. */
enum assess_official assess_official_from_string(const char *s);

#endif
