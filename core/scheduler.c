/* scheduler.c: per-target timers.
 *
 * The scheduler owns one uv_timer_t per target and the array that holds them;
 * the array is freed when the last timer's close callback has run. Timers are
 * one-shot: a probe's completion (scheduler_done) arms the next one, so a slow
 * probe can never overlap itself. */
#include "scheduler.h"

#include <stdlib.h>

struct slot {
	uv_timer_t timer;
	struct scheduler *s;
	size_t index;
	double interval_s;
	uint64_t last_start_ms; /* loop time of the last start */
	uint64_t due_ms;        /* loop time the timer fires; 0 when idle */
	bool in_flight;
	bool soon;              /* a quick re-probe was asked for while in flight */
	double soon_s;
	unsigned long started;
};

struct scheduler {
	uv_loop_t *loop;
	struct slot *slots;
	size_t n;
	size_t open_timers;
	scheduler_start_fn start;
	void *data;
	bool paused;
	bool closing;
	unsigned rand_state;
};

static unsigned next_rand(struct scheduler *s)
{
	/* xorshift: jitter needs spread, not quality */
	unsigned x = s->rand_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	s->rand_state = x;
	return x;
}

/* A random factor in [1 - j, 1 + j]. */
static double jitter(struct scheduler *s, double j)
{
	return 1.0 + j * (2.0 * (next_rand(s) % 10001) / 10000.0 - 1.0);
}

static void start_timer(struct slot *sl, double delay_s);

static void fire(struct slot *sl)
{
	struct scheduler *s = sl->s;

	sl->due_ms = 0;
	if (s->paused || s->closing)
		return;
	if (sl->in_flight)
		return; /* the previous probe is still running: this one is skipped */
	sl->in_flight = true;
	sl->last_start_ms = uv_now(s->loop);
	sl->started++;
	if (s->start(sl->index, s->data) != 0) {
		/* Could not start (out of memory, no socket): try again next interval. */
		sl->in_flight = false;
		start_timer(sl, sl->interval_s * jitter(s, 0.1));
	}
}

static void on_timer(uv_timer_t *t)
{
	fire(t->data);
}

struct scheduler *scheduler_new(uv_loop_t *loop, size_t n_targets, scheduler_start_fn start, void *data)
{
	struct scheduler *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->slots = calloc(n_targets ? n_targets : 1, sizeof(*s->slots));
	if (!s->slots) {
		free(s);
		return NULL;
	}
	s->loop = loop;
	s->n = n_targets;
	s->start = start;
	s->data = data;
	s->rand_state = (unsigned)uv_hrtime() | 1u;
	for (size_t i = 0; i < n_targets; i++) {
		struct slot *sl = &s->slots[i];

		uv_timer_init(loop, &sl->timer);
		sl->timer.data = sl;
		sl->s = s;
		sl->index = i;
		sl->interval_s = 10;
		s->open_timers++;
	}
	return s;
}

static void on_closed(uv_handle_t *h)
{
	struct slot *sl = h->data;
	struct scheduler *s = sl->s;

	if (--s->open_timers == 0) {
		free(s->slots);
		free(s);
	}
}

void scheduler_free(struct scheduler *s)
{
	if (!s)
		return;
	s->closing = true;
	if (s->n == 0) {
		free(s->slots);
		free(s);
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		uv_close((uv_handle_t *)&s->slots[i].timer, on_closed);
}

void scheduler_set_interval(struct scheduler *s, size_t i, double interval_s)
{
	if (i < s->n && interval_s > 0)
		s->slots[i].interval_s = interval_s;
}

/* Due times are rounded up to a grid of a twentieth of the interval (at
 * most 100 ms), so that the targets due in one slot start in one wake-up of
 * the loop and their answers tend to arrive in one too: with 100 targets at
 * 1 s, five probes a wake-up instead of one. The slots are small enough to
 * keep probes spread across the interval, not fired in one burst. */
static uint64_t grid_ms(double interval_s)
{
	double g = interval_s * 1000.0 / 20.0;

	return g >= 100 ? 100 : g <= 1 ? 1 : (uint64_t)g;
}

static void start_timer(struct slot *sl, double delay_s)
{
	uint64_t now = uv_now(sl->s->loop);
	uint64_t ms = delay_s > 0 ? (uint64_t)(delay_s * 1000.0) : 0;
	uint64_t g = grid_ms(sl->interval_s);

	if (ms > 0 && g > 1) {
		/* the nearest grid line, so that intervals stay right on average */
		uint64_t due = (now + ms + g / 2) / g * g;

		ms = due > now ? due - now : g - now % g;
	}
	sl->due_ms = now + ms;
	uv_timer_start(&sl->timer, on_timer, ms, 0);
}

void scheduler_start(struct scheduler *s, double spread_s)
{
	for (size_t i = 0; i < s->n; i++) {
		double first = spread_s > 0 ? spread_s * (double)i / (double)s->n : 0;

		start_timer(&s->slots[i], first);
	}
}

void scheduler_done(struct scheduler *s, size_t i)
{
	struct slot *sl;
	double elapsed_s, next_s;

	if (i >= s->n || s->closing)
		return;
	sl = &s->slots[i];
	sl->in_flight = false;
	if (sl->soon) {
		sl->soon = false;
		start_timer(sl, sl->soon_s);
		return;
	}
	elapsed_s = (double)(uv_now(s->loop) - sl->last_start_ms) / 1000.0;
	next_s = sl->interval_s * jitter(s, 0.1) - elapsed_s;
	start_timer(sl, next_s > 0 ? next_s : 0);
}

void scheduler_soon(struct scheduler *s, size_t i, double delay_s)
{
	struct slot *sl;

	if (i >= s->n || s->closing)
		return;
	sl = &s->slots[i];
	if (sl->in_flight) {
		sl->soon = true;
		sl->soon_s = delay_s;
		return;
	}
	start_timer(sl, delay_s);
}

size_t scheduler_probe_all(struct scheduler *s)
{
	size_t started = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct slot *sl = &s->slots[i];

		if (sl->in_flight)
			continue;
		uv_timer_stop(&sl->timer);
		fire(sl);
		if (sl->in_flight)
			started++;
	}
	return started;
}

void scheduler_pause(struct scheduler *s, bool paused)
{
	if (s->paused == paused)
		return;
	s->paused = paused;
	if (paused)
		return;
	/* Resume: everything not in flight is due again, spread over a second. */
	for (size_t i = 0; i < s->n; i++)
		if (!s->slots[i].in_flight && !uv_is_active((uv_handle_t *)&s->slots[i].timer))
			start_timer(&s->slots[i], (double)i / (double)s->n);
}

bool scheduler_paused(const struct scheduler *s)
{
	return s->paused;
}

bool scheduler_in_flight(const struct scheduler *s, size_t i)
{
	return i < s->n && s->slots[i].in_flight;
}

unsigned long scheduler_started(const struct scheduler *s, size_t i)
{
	return i < s->n ? s->slots[i].started : 0;
}


double scheduler_next_due(const struct scheduler *s, size_t i)
{
	uv_timeval64_t tv;
	double now;

	if (i >= s->n || !s->slots[i].due_ms)
		return 0;
	uv_gettimeofday(&tv);
	now = (double)tv.tv_sec + tv.tv_usec / 1e6;
	return now + ((double)s->slots[i].due_ms - (double)uv_now(s->loop)) / 1000.0;
}
