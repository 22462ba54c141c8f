/* test_sparkline.c: what the latency chart shows for known series. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sparkline.h"

#define MAXW 64

static struct spark_sample val(double ms)
{
	struct spark_sample s = {SPARK_VALUE, ms};

	return s;
}

static struct spark_sample failed(void)
{
	struct spark_sample s = {SPARK_FAILED, 0};

	return s;
}

static struct spark_sample nodata(void)
{
	struct spark_sample s = {SPARK_NODATA, 0};

	return s;
}

/* the glyphs of a rendered line, joined */
static const char *line(const struct spark_cell *c, int width)
{
	static char buf[MAXW * SPARK_GLYPH_MAX + 1];
	size_t n = 0;

	for (int i = 0; i < width; i++) {
		size_t g = strlen(c[i].glyph);

		memcpy(buf + n, c[i].glyph, g);
		n += g;
	}
	buf[n] = '\0';
	return buf;
}

static void test_linear_scale_known_series(void **state)
{
	struct spark_sample s[] = {val(100), val(200), val(300), val(400)};
	struct spark_opts o = {.utf8 = true};
	struct spark_cell c[4];
	struct spark_scale sc;
	char label[32];

	/* p95 of four answers is the largest, 400, rounded up to 500 */
	assert_int_equal(sparkline_render(s, 4, 4, &o, c, &sc), 0);
	assert_true(sc.max_ms == 500);
	assert_string_equal(line(c, 4), "▂▃▅▆");
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c[i].cls, SPARK_OK);
		assert_false(c[i].clipped);
	}
	sparkline_scale_label(&sc, label, sizeof(label));
	assert_string_equal(label, "500ms");

	/* a fixed top of the scale */
	o.max_ms = 400;
	sparkline_render(s, 4, 4, &o, c, &sc);
	assert_string_equal(line(c, 4), "▂▄▆█");
	assert_int_equal(c[3].level, 8);
}

static void test_newest_on_the_right(void **state)
{
	struct spark_sample s[] = {val(10), val(20), val(30), val(40), val(50)};
	struct spark_opts o = {.utf8 = true, .max_ms = 80};
	struct spark_cell c[8];

	/* more samples than cells: the oldest scroll off to the left */
	sparkline_render(s, 5, 3, &o, c, NULL);
	assert_string_equal(line(c, 3), "▃▄▅");
	/* fewer: blank cells on the left until history fills up */
	sparkline_render(s, 5, 8, &o, c, NULL);
	assert_string_equal(line(c, 8), "   ▁▂▃▄▅");
	for (int i = 0; i < 3; i++)
		assert_int_equal(c[i].cls, SPARK_EMPTY);
	/* width 1 shows the newest */
	sparkline_render(s, 5, 1, &o, c, NULL);
	assert_string_equal(line(c, 1), "▅");
}

static void test_width_zero_writes_nothing(void **state)
{
	struct spark_sample s[] = {val(10)};
	struct spark_opts o = {.utf8 = true};
	struct spark_cell c[1];

	memset(c, 0x5a, sizeof(c));
	assert_int_equal(sparkline_render(s, 1, 0, &o, c, NULL), 0);
	assert_int_equal((unsigned char)c[0].glyph[0], 0x5a);
	assert_int_equal(sparkline_render(s, 1, -3, &o, c, NULL), 0);
	assert_int_equal(sparkline_render(s, 1, 1, &o, NULL, NULL), -EINVAL);
	/* no samples at all: an empty line */
	assert_int_equal(sparkline_render(NULL, 0, 1, &o, c, NULL), 0);
	assert_int_equal(c[0].cls, SPARK_EMPTY);
}

static void test_all_failures(void **state)
{
	struct spark_sample s[6];
	struct spark_opts o = {.utf8 = true};
	struct spark_cell c[6];
	struct spark_scale sc;

	for (int i = 0; i < 6; i++)
		s[i] = failed();
	assert_int_equal(sparkline_render(s, 6, 6, &o, c, &sc), 0);
	assert_string_equal(line(c, 6), "✖✖✖✖✖✖");
	for (int i = 0; i < 6; i++)
		assert_int_equal(c[i].cls, SPARK_FAIL);
	assert_true(sc.max_ms > 0);

	o.utf8 = false;
	sparkline_render(s, 6, 6, &o, c, NULL);
	assert_string_equal(line(c, 6), "xxxxxx");
}

static void test_failure_stands_apart_from_slow(void **state)
{
	struct spark_sample s[] = {val(100), val(900), failed(), val(250), nodata(), val(251)};
	struct spark_opts o = {.utf8 = true, .slow_ms = 250, .max_ms = 1000};
	struct spark_cell c[6];

	sparkline_render(s, 6, 6, &o, c, NULL);
	assert_int_equal(c[0].cls, SPARK_OK);
	assert_int_equal(c[1].cls, SPARK_SLOW);
	assert_int_equal(c[2].cls, SPARK_FAIL);
	assert_int_equal(c[3].cls, SPARK_OK); /* at the threshold is not above it */
	assert_int_equal(c[4].cls, SPARK_EMPTY);
	assert_int_equal(c[5].cls, SPARK_SLOW);
	assert_string_equal(c[2].glyph, "✖");
	assert_string_equal(c[4].glyph, " ");
	/* a slow answer is still drawn by its height */
	assert_string_equal(c[1].glyph, "▇");
}

static void test_all_equal_values(void **state)
{
	struct spark_sample s[10];
	struct spark_opts o = {.utf8 = true};
	struct spark_cell c[10];
	struct spark_scale sc;

	for (int i = 0; i < 10; i++)
		s[i] = val(42);
	sparkline_render(s, 10, 10, &o, c, &sc);
	assert_true(sc.max_ms == 50);
	assert_string_equal(line(c, 10), "▇▇▇▇▇▇▇▇▇▇");

	/* answers in no time at all still show, apart from "no data" */
	for (int i = 0; i < 10; i++)
		s[i] = val(0);
	sparkline_render(s, 10, 10, &o, c, &sc);
	assert_true(sc.max_ms == 1);
	assert_string_equal(line(c, 10), "▁▁▁▁▁▁▁▁▁▁");
	for (int i = 0; i < 10; i++)
		assert_int_equal(c[i].cls, SPARK_OK);
}

static void test_huge_outlier_is_clipped(void **state)
{
	struct spark_sample s[40];
	struct spark_opts o = {.utf8 = true, .slow_ms = 1000};
	struct spark_cell c[40];
	struct spark_scale sc;

	for (int i = 0; i < 39; i++)
		s[i] = val(80);
	s[39] = val(60000);
	sparkline_render(s, 40, 40, &o, c, &sc);
	/* the scale follows the p95, not the one-minute answer */
	assert_true(sc.max_ms == 100);
	for (int i = 0; i < 39; i++) {
		assert_string_equal(c[i].glyph, "▆");
		assert_false(c[i].clipped);
	}
	assert_string_equal(c[39].glyph, "█");
	assert_true(c[39].clipped);
	assert_int_equal(c[39].cls, SPARK_SLOW);

	/* nonsense values do not break the line */
	s[0] = val(INFINITY);
	s[1] = val(NAN);
	s[2] = val(-5);
	sparkline_render(s, 40, 40, &o, c, &sc);
	assert_true(sc.max_ms == 100);
	assert_true(c[0].clipped);
	assert_int_equal(c[1].cls, SPARK_EMPTY);
	assert_string_equal(c[2].glyph, "▁");
}

static void test_ascii_mode(void **state)
{
	struct spark_sample s[10];
	struct spark_opts o = {.utf8 = false, .max_ms = 80};
	struct spark_cell c[10];
	const char *l;

	s[0] = nodata();
	for (int i = 1; i <= 8; i++)
		s[i] = val(i * 10);
	s[9] = failed();
	sparkline_render(s, 10, 10, &o, c, NULL);
	l = line(c, 10);
	assert_string_equal(l, " __.-=+*#x");
	for (const char *p = l; *p; p++)
		assert_true((unsigned char)*p < 128);
	assert_int_equal(c[8].level, 8);
}

static void test_log_scale(void **state)
{
	struct spark_sample s[] = {val(1), val(10), val(100), val(1000)};
	struct spark_opts o = {.utf8 = true, .scale = SPARK_LOG, .max_ms = 1000};
	struct spark_cell c[4];
	struct spark_scale sc;
	char label[32];

	sparkline_render(s, 4, 4, &o, c, &sc);
	assert_string_equal(line(c, 4), "▁▃▅█");
	sparkline_scale_label(&sc, label, sizeof(label));
	assert_string_equal(label, "log 1s");

	/* the same series on a linear scale crushes the small ones */
	o.scale = SPARK_LINEAR;
	sparkline_render(s, 4, 4, &o, c, NULL);
	assert_string_equal(line(c, 4), "▁▁▁█");
}

static void test_tall_chart(void **state)
{
	struct spark_sample s[] = {val(300), val(150), failed(), val(10), val(900)};
	struct spark_opts o = {.utf8 = true, .max_ms = 300};
	struct spark_cell c[3 * 5];

	assert_int_equal(sparkline_render_tall(s, 5, 5, 3, &o, c, NULL), 0);
	/* rows top to bottom */
	assert_string_equal(line(c + 0, 5), "█   █");
	assert_string_equal(line(c + 5, 5), "█▄  █");
	assert_string_equal(line(c + 10, 5), "██✖▁█");
	assert_int_equal(c[0].cls, SPARK_OK);
	assert_int_equal(c[2].cls, SPARK_EMPTY);
	assert_int_equal(c[12].cls, SPARK_FAIL);
	/* only the top of a clipped column is marked */
	assert_true(c[4].clipped);
	assert_false(c[9].clipped);
	assert_false(c[0].clipped);
}

static void test_nice_values(void **state)
{
	const double in[] = {-3, 0, 1, 1.5, 2, 3, 5, 7, 10, 99, 101, 1000, 1234, 4999, NAN};
	const double out[] = {1, 1, 1, 2, 2, 5, 5, 10, 10, 100, 200, 1000, 2000, 5000, 1};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (sparkline_nice(in[i]) != out[i])
			fail_msg("nice(%g) = %g, expected %g", in[i], sparkline_nice(in[i]), out[i]);
	}
}

static void test_scale_labels(void **state)
{
	const struct {
		struct spark_scale sc;
		const char *text;
	} cases[] = {
		{{SPARK_LINEAR, 1}, "1ms"},
		{{SPARK_LINEAR, 200}, "200ms"},
		{{SPARK_LINEAR, 500}, "500ms"},
		{{SPARK_LINEAR, 2000}, "2s"},
		{{SPARK_LINEAR, 20000}, "20s"},
		{{SPARK_LOG, 5000}, "log 5s"},
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sparkline_scale_label(&cases[i].sc, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

static void test_stats(void **state)
{
	struct spark_sample s[103];
	struct spark_stats st;

	/* shuffled 1..100 with failures and gaps mixed in */
	for (int i = 0; i < 100; i++)
		s[i] = val((i * 37) % 100 + 1);
	s[100] = failed();
	s[101] = failed();
	s[102] = nodata();
	assert_int_equal(sparkline_stats(s, 103, &st), 0);
	assert_int_equal(st.n_ok, 100);
	assert_int_equal(st.n_fail, 2);
	assert_true(st.min == 1);
	assert_true(st.p50 == 50);
	assert_true(st.p95 == 95);
	assert_true(st.p99 == 99);
	assert_true(st.max == 100);

	assert_int_equal(sparkline_stats(s + 100, 3, &st), 0);
	assert_int_equal(st.n_ok, 0);
	assert_int_equal(st.n_fail, 2);
	assert_true(st.p95 == 0);
}

static int sum(const int *cells)
{
	int n = 0;

	for (int i = 0; i < SPARK_PHASES; i++)
		n += cells[i];
	return n;
}

static void test_phases_known(void **state)
{
	int cells[SPARK_PHASES];
	const double even[] = {10, 20, 30, 40, 0};
	const double tiny_dns[] = {1, 0, 0, 0, 999};
	const double all_tiny[] = {1, 1, 1, 1, 1000};
	const double reused[] = {-1, -1, -1, 50, 50};
	const double none[] = {0, -1, 0, 0, 0};

	assert_int_equal(sparkline_phases(even, 10, cells), 10);
	assert_int_equal(cells[0], 1);
	assert_int_equal(cells[1], 2);
	assert_int_equal(cells[2], 3);
	assert_int_equal(cells[3], 4);
	assert_int_equal(cells[4], 0);

	/* 1 ms of DNS next to a second of transfer still gets its cell */
	sparkline_phases(tiny_dns, 10, cells);
	assert_int_equal(cells[0], 1);
	assert_int_equal(cells[4], 9);
	sparkline_phases(all_tiny, 5, cells);
	for (int i = 0; i < SPARK_PHASES; i++)
		assert_int_equal(cells[i], 1);
	/* not enough room for everyone: the width is still respected */
	assert_int_equal(sparkline_phases(all_tiny, 3, cells), 3);
	assert_int_equal(sum(cells), 3);

	/* a reused connection has no DNS, connect or TLS */
	sparkline_phases(reused, 10, cells);
	assert_int_equal(cells[0] + cells[1] + cells[2], 0);
	assert_int_equal(cells[3], 5);
	assert_int_equal(cells[4], 5);

	assert_int_equal(sparkline_phases(none, 10, cells), 0);
	assert_int_equal(sum(cells), 0);
	assert_int_equal(sparkline_phases(even, 0, cells), 0);
	assert_int_equal(sum(cells), 0);
	assert_string_equal(sparkline_phase_name(SPARK_PHASE_TTFB), "first byte");
}

static void test_phases_any_input(void **state)
{
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		double ms[SPARK_PHASES];
		int cells[SPARK_PHASES], nonzero = 0;
		int width = round % 120;

		for (int i = 0; i < SPARK_PHASES; i++) {
			seed = seed * 1103515245u + 12345u;
			switch (seed >> 16 & 3) {
			case 0: ms[i] = -1; break;
			case 1: ms[i] = (seed >> 8 & 0xff) / 100.0; break;
			case 2: ms[i] = seed >> 8 & 0xffff; break;
			default: ms[i] = (seed >> 8 & 0xff) * 1e6; break;
			}
			nonzero += ms[i] > 0;
		}
		assert_int_equal(sparkline_phases(ms, width, cells), nonzero ? width : 0);
		assert_int_equal(sum(cells), nonzero ? width : 0);
		for (int i = 0; i < SPARK_PHASES; i++) {
			assert_true(cells[i] >= 0);
			if (ms[i] <= 0)
				assert_int_equal(cells[i], 0);
			else if (nonzero <= width)
				assert_true(cells[i] >= 1);
		}
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The scale's p95 is found by selection now, not by sorting each frame: it
 * must be the very value sorting gave, ties and infinities included. */
static void test_scale_p95_as_sorting_gives_it(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct spark_sample smp[120];
		double sorted[120];
		struct spark_cell cells[120];
		struct spark_opts o = {.utf8 = true, .scale = SPARK_LINEAR};
		struct spark_scale sc;
		size_t n = 1 + (size_t)(round % 120), k = 0, want;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			smp[i].kind = seed % 11 == 0 ? SPARK_FAILED : SPARK_VALUE;
			/* few distinct values: ties; now and then an infinity */
			smp[i].ms = seed % 17 == 0 ? INFINITY : (double)((seed >> 8) % (round % 7 == 0 ? 3 : 5000));
			if (smp[i].kind == SPARK_VALUE && !isinf(smp[i].ms))
				sorted[k++] = smp[i].ms;
		}
		assert_int_equal(sparkline_render(smp, n, (int)n, &o, cells, &sc), 0);
		if (k == 0)
			continue;
		qsort(sorted, k, sizeof(sorted[0]), cmp_d);
		want = (size_t)ceil(0.95 * (double)k - 1e-9);
		want = want < 1 ? 1 : want;
		assert_true(sc.max_ms == sparkline_nice(sorted[want - 1]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_scale_known_series),
		cmocka_unit_test(test_newest_on_the_right),
		cmocka_unit_test(test_width_zero_writes_nothing),
		cmocka_unit_test(test_all_failures),
		cmocka_unit_test(test_failure_stands_apart_from_slow),
		cmocka_unit_test(test_all_equal_values),
		cmocka_unit_test(test_huge_outlier_is_clipped),
		cmocka_unit_test(test_ascii_mode),
		cmocka_unit_test(test_log_scale),
		cmocka_unit_test(test_tall_chart),
		cmocka_unit_test(test_nice_values),
		cmocka_unit_test(test_scale_labels),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_phases_known),
		cmocka_unit_test(test_phases_any_input),
		cmocka_unit_test(test_scale_p95_as_sorting_gives_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
