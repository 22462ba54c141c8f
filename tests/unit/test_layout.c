/* test_layout.c: screen geometry at every window size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <string.h>

#include "keys.h"
#include "layout.h"

static const int target_counts[] = {0, 1, 3, 8, 40};
#define N_COUNTS (sizeof(target_counts) / sizeof(target_counts[0]))

static int area(struct rect r)
{
	return rect_empty(r) ? 0 : r.w * r.h;
}

/* Every part inside the window, no two parts on the same cell, and
 * together they cover the window (so nothing stale is left on screen). */
static void check_layout(const struct layout *l, int cols, int rows)
{
	struct rect parts[2 + PANEL_COUNT];
	int n = 0, total = 0;

	parts[n++] = l->verdict;
	parts[n++] = l->footer;
	for (int p = 0; p < PANEL_COUNT; p++)
		parts[n++] = l->panel[p];

	for (int i = 0; i < n; i++) {
		if (!rect_inside(parts[i], cols, rows))
			fail_msg("%dx%d: part %d (%d,%d %dx%d) leaves the window", cols, rows, i,
				 parts[i].x, parts[i].y, parts[i].w, parts[i].h);
		if (rect_empty(parts[i]) && (parts[i].w != 0 || parts[i].h != 0))
			fail_msg("%dx%d: hidden part %d is not 0x0", cols, rows, i);
		for (int j = i + 1; j < n; j++) {
			if (rect_overlap(parts[i], parts[j]))
				fail_msg("%dx%d: parts %d and %d overlap", cols, rows, i, j);
		}
		total += area(parts[i]);
	}
	for (int p = 0; p < PANEL_COUNT; p++) {
		struct rect c = layout_content(l, p);
		struct rect r = l->panel[p];

		if (rect_empty(c))
			continue;
		if (c.x < r.x || c.y < r.y || c.x + c.w > r.x + r.w || c.y + c.h > r.y + r.h)
			fail_msg("%dx%d: content of %s outside its panel", cols, rows,
				 layout_panel_name(p));
	}
	if (l->mode == LAYOUT_MINIMAL)
		assert_int_equal(total, cols);
	else
		assert_int_equal(total, cols * rows);
}

static void test_every_size_fits(void **state)
{
	struct layout l;

	for (int cols = 1; cols <= 250; cols++) {
		for (int rows = 1; rows <= 80; rows++) {
			for (size_t k = 0; k < N_COUNTS; k++) {
				for (int f = 0; f < PANEL_COUNT; f++) {
					layout_compute(&l, cols, rows, target_counts[k], 0, f);
					check_layout(&l, cols, rows);
					/* the verdict is the one thing always shown */
					assert_int_equal(l.verdict.w, cols);
					assert_int_equal(l.verdict.h, 1);
				}
			}
		}
	}
}

static void test_no_window_no_layout(void **state)
{
	struct layout l;
	const int sizes[][2] = {{0, 0}, {0, 24}, {80, 0}, {-5, 10}, {10, -1}};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		layout_compute(&l, sizes[i][0], sizes[i][1], 3, 0, PANEL_STATUS);
		assert_true(rect_empty(l.verdict));
		assert_true(rect_empty(l.footer));
		for (int p = 0; p < PANEL_COUNT; p++)
			assert_false(layout_visible(&l, p));
	}
}

static void test_modes_by_size(void **state)
{
	const struct {
		int cols, rows;
		enum layout_mode mode;
	} cases[] = {
		{1, 1, LAYOUT_MINIMAL},
		{19, 30, LAYOUT_MINIMAL},
		{80, 4, LAYOUT_MINIMAL},
		{20, 5, LAYOUT_TINY},
		{39, 24, LAYOUT_TINY},
		{80, 13, LAYOUT_TINY},
		{40, 14, LAYOUT_NARROW},
		{60, 20, LAYOUT_NARROW},
		{80, 24, LAYOUT_NARROW},
		{119, 50, LAYOUT_NARROW},
		{200, 29, LAYOUT_NARROW},
		{120, 30, LAYOUT_WIDE},
		{250, 80, LAYOUT_WIDE},
	};
	struct layout l;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		layout_compute(&l, cases[i].cols, cases[i].rows, 4, 0, PANEL_STATUS);
		if (l.mode != cases[i].mode)
			fail_msg("%dx%d: mode %d, expected %d", cases[i].cols, cases[i].rows, l.mode,
				 cases[i].mode);
	}
}

/* A 60-column tmux pane, 20 rows: every panel still shows a couple of lines,
 * whichever has the focus and however many targets there are. */
static void test_small_pane_shows_every_panel(void **state)
{
	struct layout l;

	for (int cols = 60; cols <= 119; cols += 59) {
		for (size_t k = 0; k < N_COUNTS; k++) {
			for (int f = 0; f < PANEL_COUNT; f++) {
				layout_compute(&l, cols, 20, target_counts[k], 0, f);
				for (int p = 0; p < PANEL_COUNT; p++) {
					struct rect c = layout_content(&l, p);

					if (c.h < 2 || c.w < cols - 2)
						fail_msg("%dx20 focus %d: %s has %dx%d", cols, f,
							 layout_panel_name(p), c.w, c.h);
				}
			}
		}
	}
}

static void test_focused_panel_grows(void **state)
{
	struct layout l;

	for (int p = 0; p < PANEL_COUNT; p++) {
		int focused, unfocused;

		layout_compute(&l, 80, 24, 12, 12, p);
		focused = layout_content(&l, p).h;
		layout_compute(&l, 80, 24, 12, 12, (p + 1) % PANEL_COUNT);
		unfocused = layout_content(&l, p).h;
		if (focused <= unfocused)
			fail_msg("%s: %d rows focused, %d not", layout_panel_name(p), focused,
				 unfocused);
	}
}

/* The smallest stack: the focused panel still shows five rows (at 40x14 the
 * status table's header, two components and their targets), the others one. */
static void test_short_stack_serves_the_focus(void **state)
{
	struct layout l;

	for (int f = 0; f < PANEL_COUNT; f++) {
		layout_compute(&l, 40, 14, 4, 12, f);
		assert_int_equal(l.mode, LAYOUT_NARROW);
		assert_true(layout_content(&l, f).h >= 5);
		for (int p = 0; p < PANEL_COUNT; p++)
			assert_true(layout_content(&l, p).h >= 1);
	}
}

static void test_status_gets_a_row_per_target(void **state)
{
	struct layout l;

	/* 80x24 with five targets: header and five rows, any focus */
	for (int f = 0; f < PANEL_COUNT; f++) {
		layout_compute(&l, 80, 24, 5, 0, f);
		assert_true(layout_content(&l, PANEL_STATUS).h >= 6);
	}
	layout_compute(&l, 160, 50, 5, 0, PANEL_LOG);
	assert_true(layout_content(&l, PANEL_STATUS).h >= 6);
	/* the latency chart shows a line per target and room for the detail */
	assert_true(layout_content(&l, PANEL_LATENCY).h >= 5 + 1 + 7);
}

static void test_tiny_is_verdict_and_components(void **state)
{
	struct layout l;
	struct rect c;

	layout_compute(&l, 30, 10, 5, 0, PANEL_LOG);
	assert_int_equal(l.mode, LAYOUT_TINY);
	c = layout_content(&l, PANEL_STATUS);
	assert_int_equal(c.y, 1);
	assert_int_equal(c.h, 8);
	assert_int_equal(c.w, 30);
	assert_false(layout_visible(&l, PANEL_LATENCY));
	assert_false(layout_visible(&l, PANEL_LOG));
	assert_false(layout_visible(&l, PANEL_CHECKLIST));
	assert_int_equal(l.footer.y, 9);
}

static void test_wide_has_two_columns(void **state)
{
	struct layout l;

	layout_compute(&l, 160, 48, 6, 9, PANEL_STATUS);
	assert_int_equal(l.mode, LAYOUT_WIDE);
	assert_int_equal(l.panel[PANEL_STATUS].x, 0);
	assert_int_equal(l.panel[PANEL_LATENCY].x, 0);
	assert_true(l.panel[PANEL_LOG].x > 0);
	assert_int_equal(l.panel[PANEL_LOG].x, l.panel[PANEL_CHECKLIST].x);
	assert_int_equal(l.panel[PANEL_STATUS].w + l.panel[PANEL_LOG].w, 160);
	assert_int_equal(l.frame[PANEL_LOG], FRAME_BOX);
	/* the checklist shows all nine steps inside its box */
	assert_true(layout_content(&l, PANEL_CHECKLIST).h >= 9);
	assert_int_equal(layout_content(&l, PANEL_STATUS).x, 1);
}

/* The checklist and log hold words; the left column holds a table and
 * sparklines that need a bounded width. At 120 columns the checklist has room
 * for its mark, its longest title ("Official status page", 23 columns with
 * "Secure connection (TLS)") and some detail; on a wide screen the right
 * column gets what the left does not need. */
static void test_wide_gives_words_the_width(void **state)
{
	struct layout l;

	layout_compute(&l, 120, 40, 6, 12, PANEL_STATUS);
	assert_int_equal(l.mode, LAYOUT_WIDE);
	assert_true(layout_content(&l, PANEL_CHECKLIST).w >= 10 + 23 + 1 + 16);
	/* the status table keeps its columns up to OFFICIAL */
	assert_true(layout_content(&l, PANEL_STATUS).w >= 58);

	layout_compute(&l, 200, 60, 6, 12, PANEL_STATUS);
	assert_true(l.panel[PANEL_LOG].w > l.panel[PANEL_LATENCY].w);
	assert_int_equal(l.panel[PANEL_LOG].w, l.panel[PANEL_CHECKLIST].w);
	assert_true(l.panel[PANEL_LATENCY].w >= 80);
}

static void test_narrow_stacks_under_rules(void **state)
{
	struct layout l;
	int y = 1;
	const enum panel_id order[] = {PANEL_STATUS, PANEL_LATENCY, PANEL_CHECKLIST, PANEL_LOG};

	layout_compute(&l, 80, 24, 3, 0, PANEL_STATUS);
	for (size_t i = 0; i < 4; i++) {
		struct rect r = l.panel[order[i]];

		assert_int_equal(l.frame[order[i]], FRAME_RULE);
		assert_int_equal(r.x, 0);
		assert_int_equal(r.w, 80);
		assert_int_equal(r.y, y);
		assert_int_equal(layout_content(&l, order[i]).y, r.y + 1);
		y += r.h;
	}
	assert_int_equal(y, 23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_size_fits),
		cmocka_unit_test(test_no_window_no_layout),
		cmocka_unit_test(test_modes_by_size),
		cmocka_unit_test(test_small_pane_shows_every_panel),
		cmocka_unit_test(test_focused_panel_grows),
		cmocka_unit_test(test_short_stack_serves_the_focus),
		cmocka_unit_test(test_status_gets_a_row_per_target),
		cmocka_unit_test(test_tiny_is_verdict_and_components),
		cmocka_unit_test(test_wide_has_two_columns),
		cmocka_unit_test(test_wide_gives_words_the_width),
		cmocka_unit_test(test_narrow_stacks_under_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
