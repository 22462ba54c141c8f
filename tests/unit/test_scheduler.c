/* Tests for scheduler.c: intervals, never two probes of one target at once,
 * probe-all, quick re-probes, pause; every test closes its loop cleanly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "scheduler.h"

#define N 4

struct fake {
	struct scheduler *s;
	uv_loop_t loop;
	uv_timer_t finish[N];   /* ends a probe after `busy_ms` */
	uint64_t busy_ms;
	unsigned starts[N];
	unsigned overlaps;
	bool running[N];
	uint64_t first_start_ms[N];
	int fail_start;         /* start() returns -1 for this index */
	unsigned later_starts, on_grid; /* starts after the first, and those on a 10 ms line */
};

static void on_finish(uv_timer_t *t)
{
	struct fake *f = t->loop->data;
	size_t i = (size_t)(t - f->finish);

	f->running[i] = false;
	scheduler_done(f->s, i);
}

static int start(size_t i, void *data)
{
	struct fake *f = data;

	if ((int)i == f->fail_start)
		return -1;
	if (f->running[i])
		f->overlaps++;
	f->running[i] = true;
	if (f->starts[i]++ == 0) {
		f->first_start_ms[i] = uv_now(&f->loop);
	} else {
		f->later_starts++;
		/* a timer may run a millisecond or two after its due time */
		f->on_grid += uv_now(&f->loop) % 10 <= 2;
	}
	uv_timer_start(&f->finish[i], on_finish, f->busy_ms, 0);
	return 0;
}

static void stop_loop(uv_timer_t *t)
{
	uv_stop(t->loop);
}

static void run_for(struct fake *f, uint64_t ms)
{
	uv_timer_t stop;

	uv_timer_init(&f->loop, &stop);
	uv_timer_start(&stop, stop_loop, ms, 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&stop, NULL);
	uv_run(&f->loop, UV_RUN_NOWAIT);
}

static void fake_init(struct fake *f, double interval_s, uint64_t busy_ms)
{
	memset(f, 0, sizeof(*f));
	f->fail_start = -1;
	uv_loop_init(&f->loop);
	f->loop.data = f;
	f->busy_ms = busy_ms;
	for (size_t i = 0; i < N; i++)
		uv_timer_init(&f->loop, &f->finish[i]);
	f->s = scheduler_new(&f->loop, N, start, f);
	assert_non_null(f->s);
	for (size_t i = 0; i < N; i++)
		scheduler_set_interval(f->s, i, interval_s);
}

static void fake_done(struct fake *f)
{
	scheduler_free(f->s);
	for (size_t i = 0; i < N; i++)
		uv_close((uv_handle_t *)&f->finish[i], NULL);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
}

static void test_interval_with_jitter(void **state)
{
	struct fake f;

	fake_init(&f, 0.1, 1);
	scheduler_start(f.s, 0);
	run_for(&f, 1050);
	/* 100 ms +-10 % over about a second: 9 to 12 probes each. */
	for (size_t i = 0; i < N; i++) {
		assert_in_range(f.starts[i], 8, 12);
		assert_int_equal(scheduler_started(f.s, i), f.starts[i]);
	}
	fake_done(&f);
}

static void test_slow_probe_never_overlaps(void **state)
{
	struct fake f;

	/* Each probe takes 250 ms against a 50 ms interval. */
	fake_init(&f, 0.05, 250);
	scheduler_start(f.s, 0);
	run_for(&f, 100);
	assert_int_equal(scheduler_probe_all(f.s), 0); /* all busy */
	run_for(&f, 900);
	assert_int_equal(f.overlaps, 0);
	for (size_t i = 0; i < N; i++)
		assert_in_range(f.starts[i], 3, 5);
	fake_done(&f);
}

static void test_first_round_is_spread(void **state)
{
	struct fake f;

	fake_init(&f, 10, 1);
	scheduler_start(f.s, 0.4);
	run_for(&f, 600);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(f.starts[i], 1);
	/* Target i starts at about i * 100 ms. */
	assert_true(f.first_start_ms[3] - f.first_start_ms[0] >= 250);
	fake_done(&f);
}

static void test_probe_all_and_soon(void **state)
{
	struct fake f;

	fake_init(&f, 60, 1);
	scheduler_start(f.s, 0);
	run_for(&f, 50);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(f.starts[i], 1);
	assert_int_equal(scheduler_probe_all(f.s), N);
	run_for(&f, 50);
	scheduler_soon(f.s, 2, 0.05);
	run_for(&f, 150);
	assert_int_equal(f.starts[0], 2);
	assert_int_equal(f.starts[2], 3);
	assert_true(scheduler_next_due(f.s, 2) > 0);
	fake_done(&f);
}

static void test_pause_stops_probing(void **state)
{
	struct fake f;

	fake_init(&f, 0.05, 1);
	scheduler_start(f.s, 0);
	run_for(&f, 20);
	scheduler_pause(f.s, true);
	assert_true(scheduler_paused(f.s));
	unsigned before = f.starts[0];

	run_for(&f, 300);
	assert_true(f.starts[0] <= before + 1);
	scheduler_pause(f.s, false);
	run_for(&f, 300);
	assert_true(f.starts[0] >= before + 3);
	fake_done(&f);
}

static void test_failed_start_retries_later(void **state)
{
	struct fake f;

	fake_init(&f, 0.05, 1);
	f.fail_start = 1;
	scheduler_start(f.s, 0);
	run_for(&f, 300);
	assert_int_equal(f.starts[1], 0);
	assert_true(scheduler_started(f.s, 1) >= 3);
	assert_false(scheduler_in_flight(f.s, 1));
	fake_done(&f);
}

static void test_due_times_share_a_grid(void **state)
{
	struct fake f;

	/* 200 ms: a grid of 10 ms; the first round spread over odd offsets */
	fake_init(&f, 0.2, 1);
	scheduler_start(f.s, 0.173);
	run_for(&f, 1500);
	assert_true(f.later_starts >= 4 * 5);
	/* by chance 3 in 10 would land there; the grid puts them all there
	 * (a loaded machine may run a timer late now and then) */
	assert_true(f.on_grid * 10 >= f.later_starts * 7);
	assert_int_equal(f.overlaps, 0);
	fake_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_with_jitter),
		cmocka_unit_test(test_slow_probe_never_overlaps),
		cmocka_unit_test(test_first_round_is_spread),
		cmocka_unit_test(test_probe_all_and_soon),
		cmocka_unit_test(test_pause_stops_probing),
		cmocka_unit_test(test_failed_start_retries_later),
		cmocka_unit_test(test_due_times_share_a_grid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
