/* scheduler.h: when each target is probed.
 *
 * Each target has its own interval with a little jitter; first probes are
 * spread across the first interval so a thousand targets do not fire in one
 * burst. A target is never probed twice at once: a due probe of a target still
 * in flight is skipped. The scheduler does not probe by itself: it calls the
 * start function, and the owner reports completion with scheduler_done. */
#ifndef ISITDOWN_SCHEDULER_H
#define ISITDOWN_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct scheduler;

/* Starts a probe of target index i; returns 0 if it started. */
typedef int (*scheduler_start_fn)(size_t i, void *data);

struct scheduler *scheduler_new(uv_loop_t *loop, size_t n_targets, scheduler_start_fn start, void *data);
/* Closes every timer; the memory goes once the loop has run the close callbacks. */
void scheduler_free(struct scheduler *s);
void scheduler_set_interval(struct scheduler *s, size_t i, double interval_s);
/* Arms every target, the first probes spread over spread_s seconds (0: all at once). */
void scheduler_start(struct scheduler *s, double spread_s);
/* The probe of target i ended; its next one is due one interval after it began. */
void scheduler_done(struct scheduler *s, size_t i);
/* Probes target i again in delay_s seconds instead of a full interval later
 * (a first failure is confirmed quickly). Takes effect when it is not in flight. */
void scheduler_soon(struct scheduler *s, size_t i, double delay_s);
/* Probes every target that is not in flight now. Returns how many started. */
size_t scheduler_probe_all(struct scheduler *s);
void scheduler_pause(struct scheduler *s, bool paused);
bool scheduler_paused(const struct scheduler *s);
bool scheduler_in_flight(const struct scheduler *s, size_t i);
/* Probes started for target i, for tests. */
unsigned long scheduler_started(const struct scheduler *s, size_t i);
/* Seconds since the epoch when target i is next due; 0 when not armed. */
double scheduler_next_due(const struct scheduler *s, size_t i);

#endif
