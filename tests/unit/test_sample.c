/* test_sample.c: the names of probe outcomes (part of the --json schema and
 * the metrics' reason label) and the release of what a sample owns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sample.h"

/* README "--once --json": "outcome": ok | dns_fail | ... | error, in this order */
static const struct {
	enum outcome o;
	const char *name;
} documented[] = {
	{OUTCOME_OK, "ok"},
	{OUTCOME_DNS_FAIL, "dns_fail"},
	{OUTCOME_CONNECT_FAIL, "connect_fail"},
	{OUTCOME_TLS_FAIL, "tls_fail"},
	{OUTCOME_TIMEOUT, "timeout"},
	{OUTCOME_RECV_FAIL, "recv_fail"},
	{OUTCOME_HTTP_5XX, "http_5xx"},
	{OUTCOME_RATE_LIMITED, "rate_limited"},
	{OUTCOME_AUTH_REJECTED, "auth_rejected"},
	{OUTCOME_CHALLENGED, "challenged"},
	{OUTCOME_HTTP_UNEXPECTED, "http_unexpected"},
	{OUTCOME_BODY_MISMATCH, "body_mismatch"},
	{OUTCOME_PROXY_FAIL, "proxy_fail"},
	{OUTCOME_ERROR, "error"},
	{OUTCOME_MODEL_ERROR, "model_error"},
	{OUTCOME_STREAM_STALLED, "stream_stalled"},
	{OUTCOME_MODEL_NOT_FOUND, "model_not_found"},
	{OUTCOME_SLOW, "slow"},
};
#define N_DOCUMENTED (sizeof(documented) / sizeof(documented[0]))

static void test_every_outcome_has_its_documented_name(void **state)
{
	/* the table covers the enum: a new outcome must be documented here too */
	assert_int_equal(N_DOCUMENTED, OUTCOME_COUNT);
	for (size_t i = 0; i < N_DOCUMENTED; i++)
		assert_string_equal(outcome_name(documented[i].o), documented[i].name);
}

static void test_names_are_distinct_metric_labels(void **state)
{
	for (int a = 0; a < OUTCOME_COUNT; a++) {
		const char *n = outcome_name((enum outcome)a);

		/* usable as a Prometheus label value and a JSON word as they are */
		assert_true(strlen(n) > 0);
		assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(n));
		for (int b = a + 1; b < OUTCOME_COUNT; b++)
			assert_string_not_equal(n, outcome_name((enum outcome)b));
	}
}

static void test_unknown_value_reads_as_error(void **state)
{
	assert_string_equal(outcome_name(OUTCOME_COUNT), "error");
	assert_string_equal(outcome_name((enum outcome)-1), "error");
}

static void test_done_frees_and_clears_what_it_owns(void **state)
{
	struct sample s = {0};

	s.ok = false;
	s.outcome = OUTCOME_HTTP_5XX;
	s.http_status = 503;
	s.total_ms = 12.5;
	strcpy(s.error, "HTTP 503 server error");
	s.body = strdup("{\"status\": {}}");
	s.etag = strdup("\"abc\"");
	s.last_modified = strdup("Tue, 01 Dec 2026 10:00:00 GMT");
	s.body_len = 14;
	assert_non_null(s.body);
	assert_non_null(s.etag);
	assert_non_null(s.last_modified);

	sample_done(&s);
	assert_null(s.body);
	assert_null(s.etag);
	assert_null(s.last_modified);
	/* the value itself stays: history keeps it after the body goes */
	assert_int_equal(s.outcome, OUTCOME_HTTP_5XX);
	assert_int_equal(s.http_status, 503);
	assert_true(s.total_ms == 12.5);
	assert_int_equal(s.body_len, 14);
	assert_string_equal(s.error, "HTTP 503 server error");

	/* twice is harmless (a sample handed on, then released by its old owner) */
	sample_done(&s);
	assert_null(s.body);
}

static void test_done_on_a_sample_that_owns_nothing(void **state)
{
	struct sample s = {0};

	/* a dns or tcp sample: no body, no validators */
	s.ok = true;
	sample_done(&s);
	assert_true(s.ok);
	assert_null(s.body);
	assert_null(s.etag);
	assert_null(s.last_modified);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_outcome_has_its_documented_name),
		cmocka_unit_test(test_names_are_distinct_metric_labels),
		cmocka_unit_test(test_unknown_value_reads_as_error),
		cmocka_unit_test(test_done_frees_and_clears_what_it_owns),
		cmocka_unit_test(test_done_on_a_sample_that_owns_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
