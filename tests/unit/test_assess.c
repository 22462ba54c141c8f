/* test_assess.c: the per-target state machine and the component combination.
 *
 * Each test feeds a sequence of samples a person could watch on the screen and
 * asserts the state shown after each one, and when the monitor would log an
 * event (a change) or probe again at once (a first failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "assess.h"

#define T0 1700000000.0

static struct sample mk(double t, enum outcome o, long status)
{
	struct sample s;

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.outcome = o;
	s.ok = o == OUTCOME_OK;
	s.http_status = status;
	s.dns_ms = s.connect_ms = s.tls_ms = s.ttfb_ms = s.transfer_ms = -1;
	s.total_ms = 100;
	s.retry_after_s = -1;
	return s;
}

/* One probe at time t with the given recent median and baseline (0: unknown). */
static struct assess_change feed(struct assess *a, double t, enum outcome o, double slow_ms,
				 double median, double baseline)
{
	struct sample s = mk(t, o, o == OUTCOME_OK ? 200 : 0);
	struct assess_input in = { slow_ms, median, baseline, t };

	return assess_update(a, &s, &in);
}

static struct assess_change ok(struct assess *a, double t)
{
	return feed(a, t, OUTCOME_OK, 0, 0, 0);
}

static struct assess_change bad(struct assess *a, double t)
{
	return feed(a, t, OUTCOME_CONNECT_FAIL, 0, 0, 0);
}

static void test_first_success_is_up(void **state)
{
	struct assess a;
	struct assess_change ch;

	assess_init(&a, NULL);
	assert_int_equal(a.state, ASSESS_UNKNOWN);
	ch = ok(&a, T0);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_UNKNOWN);
	assert_int_equal(ch.to, ASSESS_UP);
	assert_true(ch.reprobe_in_s == 0);
	assert_true(a.since == T0);
}

static void test_fail_confirm_down_recover(void **state)
{
	struct assess a;
	struct assess_change ch;

	assess_init(&a, NULL);
	ok(&a, T0);
	ch = ok(&a, T0 + 30);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_UP);

	/* one failure is not an outage: confirming, and probe again in 2 s */
	ch = bad(&a, T0 + 60);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_UP);
	assert_int_equal(ch.to, ASSESS_CONFIRMING);
	assert_true(ch.reprobe_in_s == 2.0);

	ch = bad(&a, T0 + 62);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_CONFIRMING);
	assert_int_equal(ch.to, ASSESS_DOWN);
	assert_true(ch.reprobe_in_s == 0);

	/* still down after one success: two are needed, the second one soon */
	ch = ok(&a, T0 + 92);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_DOWN);
	assert_true(ch.reprobe_in_s == 2.0);

	ch = ok(&a, T0 + 94);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_DOWN);
	assert_int_equal(ch.to, ASSESS_UP);
	/* the outage: from the first failure (T0 + 60) to the first pass (T0 + 92) */
	assert_true(ch.outage_s == 32.0);
	assert_true(ch.reprobe_in_s == 0);
}

static void test_blip_returns_to_up(void **state)
{
	struct assess a;
	struct assess_change ch;

	assess_init(&a, NULL);
	ok(&a, T0);
	bad(&a, T0 + 30);
	ch = ok(&a, T0 + 32);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_CONFIRMING);
	assert_int_equal(ch.to, ASSESS_UP);
	assert_true(ch.reprobe_in_s == 0);
	assert_int_equal(a.fails, 0);
}

static void test_first_probe_fails(void **state)
{
	struct assess a;
	struct assess_change ch;

	assess_init(&a, NULL);
	ch = bad(&a, T0);
	assert_true(ch.changed);
	assert_int_equal(ch.to, ASSESS_CONFIRMING);
	assert_true(ch.reprobe_in_s > 0);
	assert_int_equal(a.settled, ASSESS_UNKNOWN);
	ch = bad(&a, T0 + 2);
	assert_int_equal(ch.to, ASSESS_DOWN);
}

static void test_custom_thresholds(void **state)
{
	struct assess_params p = { 0 };
	struct assess a;

	p.fail_threshold = 3;
	p.ok_threshold = 1;
	assess_init(&a, &p);
	assert_int_equal(a.p.ok_threshold, 1);
	assert_true(a.p.slow_factor == ASSESS_SLOW_FACTOR); /* zero means default */
	ok(&a, T0);
	bad(&a, T0 + 10);
	assert_int_equal(a.state, ASSESS_CONFIRMING);
	bad(&a, T0 + 12);
	assert_int_equal(a.state, ASSESS_CONFIRMING);
	bad(&a, T0 + 14);
	assert_int_equal(a.state, ASSESS_DOWN);
	ok(&a, T0 + 20);
	assert_int_equal(a.state, ASSESS_UP);

	/* a threshold of one: down at once, no confirming */
	p.fail_threshold = 1;
	assess_init(&a, &p);
	ok(&a, T0);
	assert_int_equal(bad(&a, T0 + 10).to, ASSESS_DOWN);
}

static void test_answered_outcomes_are_not_down(void **state)
{
	static const enum outcome answered[] = {
		OUTCOME_CHALLENGED, OUTCOME_AUTH_REJECTED, OUTCOME_RATE_LIMITED,
	};
	static const enum outcome failed[] = {
		OUTCOME_HTTP_5XX, OUTCOME_TIMEOUT, OUTCOME_DNS_FAIL, OUTCOME_TLS_FAIL,
		OUTCOME_HTTP_UNEXPECTED, OUTCOME_BODY_MISMATCH, OUTCOME_PROXY_FAIL,
	};

	for (size_t i = 0; i < sizeof(answered) / sizeof(answered[0]); i++) {
		struct assess a;

		assess_init(&a, NULL);
		feed(&a, T0, answered[i], 0, 0, 0);
		feed(&a, T0 + 2, answered[i], 0, 0, 0);
		feed(&a, T0 + 4, answered[i], 0, 0, 0);
		assert_int_equal(a.state, ASSESS_UP);
		assert_true(assess_outcome_reachable(answered[i]));
	}
	for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
		struct assess a;

		assess_init(&a, NULL);
		feed(&a, T0, failed[i], 0, 0, 0);
		feed(&a, T0 + 2, failed[i], 0, 0, 0);
		assert_int_equal(a.state, ASSESS_DOWN);
		assert_int_equal(a.last_outcome, failed[i]);
		assert_false(assess_outcome_reachable(failed[i]));
	}
}

static void test_degraded_by_threshold(void **state)
{
	struct assess a;
	struct assess_change ch;

	assess_init(&a, NULL);
	feed(&a, T0, OUTCOME_OK, 800, 300, 0);
	assert_int_equal(a.state, ASSESS_UP);
	ch = feed(&a, T0 + 30, OUTCOME_OK, 800, 900, 0);
	assert_true(ch.changed);
	assert_int_equal(ch.to, ASSESS_DEGRADED);
	ch = feed(&a, T0 + 60, OUTCOME_OK, 800, 500, 0);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_DEGRADED);
	assert_int_equal(ch.to, ASSESS_UP);
}

static void test_degraded_by_baseline_with_floor(void **state)
{
	struct assess a;

	/* 3 x a 100 ms baseline */
	assess_init(&a, NULL);
	feed(&a, T0, OUTCOME_OK, 0, 250, 100);
	assert_int_equal(a.state, ASSESS_UP);
	feed(&a, T0 + 30, OUTCOME_OK, 0, 350, 100);
	assert_int_equal(a.state, ASSESS_DEGRADED);

	/* a 1 ms loopback baseline: 4 ms is not slow, the floor is */
	assess_init(&a, NULL);
	feed(&a, T0, OUTCOME_OK, 0, 4, 1);
	assert_int_equal(a.state, ASSESS_UP);
	feed(&a, T0 + 30, OUTCOME_OK, 0, 150, 1);
	assert_int_equal(a.state, ASSESS_UP);
	feed(&a, T0 + 60, OUTCOME_OK, 0, ASSESS_SLOW_FLOOR_MS + 50, 1);
	assert_int_equal(a.state, ASSESS_DEGRADED);

	/* the target's own threshold wins when it is lower */
	assert_true(assess_slow_limit(NULL, 500, 1000) == 500);
	assert_true(assess_slow_limit(NULL, 5000, 1000) == 3000);
	assert_true(assess_slow_limit(NULL, 0, 1) == ASSESS_SLOW_FLOOR_MS);
	assert_true(assess_slow_limit(NULL, 0, 0) <= 0);

	/* a model's first token: slow far above its own baseline, never without one */
	assert_true(assess_first_token_slow(NULL, 3100, 1000));
	assert_false(assess_first_token_slow(NULL, 2900, 1000));
	assert_false(assess_first_token_slow(NULL, 150, 10)); /* under the floor */
	assert_true(assess_first_token_slow(NULL, ASSESS_SLOW_FLOOR_MS + 1, 10));
	assert_false(assess_first_token_slow(NULL, 1e6, 0));

	/* a failure while slow goes through confirming, and a good probe comes back degraded */
	feed(&a, T0 + 90, OUTCOME_TIMEOUT, 0, 0, 0);
	assert_int_equal(a.state, ASSESS_CONFIRMING);
	assert_int_equal(a.settled, ASSESS_DEGRADED);
	feed(&a, T0 + 92, OUTCOME_OK, 0, ASSESS_SLOW_FLOOR_MS + 50, 1);
	assert_int_equal(a.state, ASSESS_DEGRADED);
}

static void test_recovery_can_be_degraded(void **state)
{
	struct assess a;

	assess_init(&a, NULL);
	bad(&a, T0);
	bad(&a, T0 + 2);
	assert_int_equal(a.state, ASSESS_DOWN);
	feed(&a, T0 + 30, OUTCOME_OK, 500, 900, 0);
	assert_int_equal(a.state, ASSESS_DOWN);
	feed(&a, T0 + 60, OUTCOME_OK, 500, 900, 0);
	assert_int_equal(a.state, ASSESS_DEGRADED);
}

static void test_flapping_enter_and_leave(void **state)
{
	struct assess a;
	struct assess_change ch;
	double t = T0;

	assess_init(&a, NULL);
	ok(&a, t);
	ok(&a, t += 60);
	/* fail, pass, fail, pass: four changes, none held for two probes */
	assert_int_equal(bad(&a, t += 60).to, ASSESS_CONFIRMING);
	assert_int_equal(ok(&a, t += 2).to, ASSESS_UP);
	assert_int_equal(bad(&a, t += 60).to, ASSESS_CONFIRMING);
	ch = ok(&a, t += 2);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_CONFIRMING);
	assert_int_equal(ch.to, ASSESS_FLAPPING);

	/* while it keeps changing it stays flapping, and a failure is still re-probed */
	ch = bad(&a, t += 60);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_FLAPPING);
	assert_int_equal(a.raw, ASSESS_CONFIRMING);
	assert_true(ch.reprobe_in_s > 0);
	ch = ok(&a, t += 2);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_FLAPPING);

	/* two passes in a row hold up: flapping ends at once, not ten minutes later */
	ch = ok(&a, t += 60);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_FLAPPING);
	assert_int_equal(ch.to, ASSESS_UP);
	assert_true(ch.outage_s == 0);

	/* afresh: one blip is an ordinary confirming again */
	ch = bad(&a, t += 60);
	assert_int_equal(ch.to, ASSESS_CONFIRMING);
}

static void test_flapping_never_hides_down(void **state)
{
	struct assess a;
	struct assess_change ch;
	double t = T0;

	assess_init(&a, NULL);
	ok(&a, t);
	for (int i = 0; i < 3; i++) {
		bad(&a, t += 10);
		ok(&a, t += 2);
	}
	assert_int_equal(a.state, ASSESS_FLAPPING);
	/* then it stays down: down at the second failure, as if it had never flapped */
	ch = bad(&a, t += 10);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_FLAPPING);
	double first_fail = t;
	ch = bad(&a, t += 2);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_FLAPPING);
	assert_int_equal(ch.to, ASSESS_DOWN);
	for (int i = 0; i < 30; i++) {
		ch = bad(&a, t += 10);
		assert_false(ch.changed);
		assert_int_equal(a.state, ASSESS_DOWN);
	}
	/* and up again after the confirming passes: no flapping in between */
	double first_pass = t += 10;
	ch = ok(&a, first_pass);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_DOWN);
	ch = ok(&a, t += 2);
	assert_true(ch.changed);
	assert_int_equal(ch.to, ASSESS_UP);
	assert_true(ch.outage_s == first_pass - first_fail);
	ch = bad(&a, t += 10);
	assert_int_equal(ch.to, ASSESS_CONFIRMING);
}

static void test_blips_then_sustained_outage(void **state)
{
	struct assess a;
	struct assess_change ch;
	double t = T0;

	/* the timeline: two short blips, then a long outage, then recovery */
	assess_init(&a, NULL);
	ok(&a, t);
	ok(&a, t += 10);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(bad(&a, t += 10).to, ASSESS_CONFIRMING);
		assert_int_equal(ok(&a, t += 2).to, ASSESS_UP);
		ok(&a, t += 10);
		ok(&a, t += 10);
		assert_int_equal(a.state, ASSESS_UP);
	}
	double start = t += 10;
	assert_int_equal(bad(&a, start).to, ASSESS_CONFIRMING);
	ch = bad(&a, t += 2);
	assert_int_equal(ch.to, ASSESS_DOWN);
	for (int i = 0; i < 60; i++) {
		ch = bad(&a, t += 10);
		assert_int_equal(a.state, ASSESS_DOWN);
	}
	double back = t += 10;
	ok(&a, back);
	ch = ok(&a, t += 2);
	assert_true(ch.changed);
	assert_int_equal(ch.from, ASSESS_DOWN);
	assert_int_equal(ch.to, ASSESS_UP);
	assert_true(ch.outage_s == back - start);
}

static void test_changes_spread_out_do_not_flap(void **state)
{
	struct assess a;
	double t = T0;

	assess_init(&a, NULL);
	ok(&a, t);
	/* a blip every 5 minutes with a single pass between: 4 changes within
	 * 10 minutes, never held */
	for (int i = 0; i < 2; i++) {
		t += 300;
		bad(&a, t);
		t += 2;
		ok(&a, t);
	}
	assert_int_equal(a.state, ASSESS_FLAPPING);

	/* one blip every 11 minutes: never more than 2 changes in 10 minutes */
	assess_init(&a, NULL);
	t = T0;
	ok(&a, t);
	for (int i = 0; i < 10; i++) {
		t += 660;
		bad(&a, t);
		assert_int_equal(a.state, ASSESS_CONFIRMING);
		t += 2;
		ok(&a, t);
		assert_int_equal(a.state, ASSESS_UP);
	}

	/* blips every minute, each followed by two passes: each one held, never flapping */
	assess_init(&a, NULL);
	t = T0;
	ok(&a, t);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(bad(&a, t += 20).to, ASSESS_CONFIRMING);
		ok(&a, t += 2);
		ok(&a, t += 20);
		assert_int_equal(a.state, ASSESS_UP);
	}
}

static void test_time_alone_changes_nothing(void **state)
{
	struct assess a;
	struct assess_change ch;
	struct assess_input in = { 0, 0, 0, 0 };
	double t = T0;

	assess_init(&a, NULL);
	ok(&a, t);
	for (int i = 0; i < 2; i++) {
		bad(&a, t += 10);
		ok(&a, t += 2);
	}
	assert_int_equal(a.state, ASSESS_FLAPPING);
	/* flapping is about the probes: only a held state ends it, not a clock */
	in.now = t + 3600;
	ch = assess_update(&a, NULL, &in);
	assert_false(ch.changed);
	assert_int_equal(a.state, ASSESS_FLAPPING);
	assert_int_equal(a.n_samples, 5);
	ch = ok(&a, t + 3600);
	assert_true(ch.changed);
	assert_int_equal(ch.to, ASSESS_UP);

	/* nothing to go on: no change, no crash */
	ch = assess_update(&a, NULL, NULL);
	assert_false(ch.changed);
}

static void test_degraded_up_flicker_flaps(void **state)
{
	struct assess a;
	double t = T0;

	assess_init(&a, NULL);
	feed(&a, t, OUTCOME_OK, 500, 100, 0);
	for (int i = 0; i < 2; i++) {
		feed(&a, t += 30, OUTCOME_OK, 500, 900, 0);
		feed(&a, t += 30, OUTCOME_OK, 500, 100, 0);
	}
	assert_int_equal(a.state, ASSESS_FLAPPING);
}

static void test_outcome_text(void **state)
{
	assert_string_equal(assess_outcome_text(OUTCOME_HTTP_5XX, 503), "service unavailable");
	assert_string_equal(assess_outcome_text(OUTCOME_HTTP_5XX, 502), "bad gateway");
	assert_string_equal(assess_outcome_text(OUTCOME_HTTP_5XX, 599), "server error");
	assert_string_equal(assess_outcome_text(OUTCOME_CHALLENGED, 403), "reachable, challenged");
	assert_string_equal(assess_outcome_text(OUTCOME_AUTH_REJECTED, 401), "your key was rejected");
	assert_string_equal(assess_outcome_text(OUTCOME_AUTH_REJECTED, 403), "your key is not allowed");
	assert_string_equal(assess_outcome_text(OUTCOME_RATE_LIMITED, 429), "rate limited");
	assert_string_equal(assess_outcome_text(OUTCOME_TIMEOUT, 0), "no answer in time");
	assert_string_equal(assess_outcome_text(OUTCOME_DNS_FAIL, 0), "name does not resolve");
	assert_string_equal(assess_outcome_text(OUTCOME_HTTP_UNEXPECTED, 404), "not found");
	assert_non_null(assess_outcome_text((enum outcome)99, 0));
}

static void test_component_table(void **state)
{
	static const struct {
		enum assess_state targets[3];
		size_t n;
		enum assess_official official;
		enum assess_component want;
	} rows[] = {
		/* nothing known */
		{ { ASSESS_UNKNOWN }, 1, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_UNKNOWN },
		{ { 0 }, 0, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_UNKNOWN },
		/* ours alone */
		{ { ASSESS_UP, ASSESS_UP }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_OPERATIONAL },
		{ { ASSESS_UP, ASSESS_DEGRADED }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_DEGRADED },
		{ { ASSESS_UP, ASSESS_FLAPPING }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_DEGRADED },
		{ { ASSESS_UP, ASSESS_DOWN }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_PARTIAL_OUTAGE },
		{ { ASSESS_DOWN, ASSESS_DOWN }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_MAJOR_OUTAGE },
		{ { ASSESS_DOWN, ASSESS_UNKNOWN }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_MAJOR_OUTAGE },
		{ { ASSESS_UP, ASSESS_CONFIRMING }, 2, ASSESS_OFFICIAL_UNKNOWN, ASSESS_COMPONENT_OPERATIONAL },
		/* official alone */
		{ { ASSESS_UNKNOWN }, 1, ASSESS_OFFICIAL_OPERATIONAL, ASSESS_COMPONENT_OPERATIONAL },
		{ { 0 }, 0, ASSESS_OFFICIAL_PARTIAL, ASSESS_COMPONENT_PARTIAL_OUTAGE },
		/* the worse wins */
		{ { ASSESS_UP }, 1, ASSESS_OFFICIAL_DEGRADED, ASSESS_COMPONENT_DEGRADED },
		{ { ASSESS_UP }, 1, ASSESS_OFFICIAL_MAJOR, ASSESS_COMPONENT_MAJOR_OUTAGE },
		{ { ASSESS_DOWN }, 1, ASSESS_OFFICIAL_OPERATIONAL, ASSESS_COMPONENT_MAJOR_OUTAGE },
		{ { ASSESS_DOWN, ASSESS_UP }, 2, ASSESS_OFFICIAL_DEGRADED, ASSESS_COMPONENT_PARTIAL_OUTAGE },
		{ { ASSESS_DEGRADED }, 1, ASSESS_OFFICIAL_PARTIAL, ASSESS_COMPONENT_PARTIAL_OUTAGE },
		/* maintenance explains everything */
		{ { ASSESS_DOWN }, 1, ASSESS_OFFICIAL_MAINTENANCE, ASSESS_COMPONENT_MAINTENANCE },
		{ { ASSESS_UP }, 1, ASSESS_OFFICIAL_MAINTENANCE, ASSESS_COMPONENT_MAINTENANCE },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum assess_component got =
			assess_component_combine(rows[i].targets, rows[i].n, rows[i].official);

		if (got != rows[i].want)
			fail_msg("row %zu: got %s, want %s", i, assess_component_name(got),
				 assess_component_name(rows[i].want));
	}
	assert_int_equal(assess_component_combine(NULL, 3, ASSESS_OFFICIAL_UNKNOWN),
			 ASSESS_COMPONENT_UNKNOWN);
}

static void test_names(void **state)
{
	assert_int_equal(assess_official_from_string("degraded_performance"), ASSESS_OFFICIAL_DEGRADED);
	assert_int_equal(assess_official_from_string("partial_outage"), ASSESS_OFFICIAL_PARTIAL);
	assert_int_equal(assess_official_from_string("major_outage"), ASSESS_OFFICIAL_MAJOR);
	assert_int_equal(assess_official_from_string("under_maintenance"), ASSESS_OFFICIAL_MAINTENANCE);
	assert_int_equal(assess_official_from_string("operational"), ASSESS_OFFICIAL_OPERATIONAL);
	assert_int_equal(assess_official_from_string("full_meltdown"), ASSESS_OFFICIAL_UNKNOWN);
	assert_int_equal(assess_official_from_string(NULL), ASSESS_OFFICIAL_UNKNOWN);
	assert_string_equal(assess_state_name(ASSESS_CONFIRMING), "confirming");
	assert_string_equal(assess_state_name(ASSESS_FLAPPING), "flapping");
	assert_string_equal(assess_component_name(ASSESS_COMPONENT_PARTIAL_OUTAGE), "partial_outage");
	assert_string_equal(assess_official_name(ASSESS_OFFICIAL_DEGRADED), "degraded_performance");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_success_is_up),
		cmocka_unit_test(test_fail_confirm_down_recover),
		cmocka_unit_test(test_blip_returns_to_up),
		cmocka_unit_test(test_first_probe_fails),
		cmocka_unit_test(test_custom_thresholds),
		cmocka_unit_test(test_answered_outcomes_are_not_down),
		cmocka_unit_test(test_degraded_by_threshold),
		cmocka_unit_test(test_degraded_by_baseline_with_floor),
		cmocka_unit_test(test_recovery_can_be_degraded),
		cmocka_unit_test(test_flapping_enter_and_leave),
		cmocka_unit_test(test_flapping_never_hides_down),
		cmocka_unit_test(test_blips_then_sustained_outage),
		cmocka_unit_test(test_changes_spread_out_do_not_flap),
		cmocka_unit_test(test_time_alone_changes_nothing),
		cmocka_unit_test(test_degraded_up_flicker_flaps),
		cmocka_unit_test(test_outcome_text),
		cmocka_unit_test(test_component_table),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
