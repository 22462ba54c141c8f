/* test_probe_classify.c: what an HTTP answer means, from its status and the
 * target's settings (probe_classify_http). A 401 or 403 from a target that
 * carries a credential header is always a question of the key, sent or not:
 * never a bad response that could count as an outage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probe.h"

static struct sample answer(long status)
{
	struct sample s;

	memset(&s, 0, sizeof(s));
	s.http_status = status;
	s.retry_after_s = -1;
	return s;
}

static void test_key_rejected_or_withheld(void **state)
{
	struct header_kv auth = { "Authorization", "Bearer ${TEST_API_KEY}" };
	struct target t;
	struct sample s;

	memset(&t, 0, sizeof(t));
	t.url = "https://api.example.test/v1/models";
	t.headers = &auth;
	t.n_headers = 1;
	t.expect_status[0] = 200;
	t.n_expect = 1;

	/* sent and refused */
	s = answer(401);
	probe_classify_http(&s, &t, true, false, true);
	assert_int_equal(s.outcome, OUTCOME_AUTH_REJECTED);
	assert_non_null(strstr(s.error, "the API key was rejected"));

	/* not sent: its variable is not set */
	s = answer(403);
	probe_classify_http(&s, &t, false, false, true);
	assert_int_equal(s.outcome, OUTCOME_AUTH_REJECTED);
	assert_false(s.ok);
	assert_non_null(strstr(s.error, "HTTP 403: the API key was not sent (its variable is not set)"));

	/* not sent: plain http never carries it */
	t.url = "http://api.example.test/v1/models";
	s = answer(401);
	probe_classify_http(&s, &t, false, false, true);
	assert_int_equal(s.outcome, OUTCOME_AUTH_REJECTED);
	assert_non_null(strstr(s.error, "only sent over https"));

	/* a 401 the config expects is simply up */
	t.expect_status[1] = 401;
	t.n_expect = 2;
	s = answer(401);
	probe_classify_http(&s, &t, false, false, true);
	assert_true(s.ok);
	assert_int_equal(s.outcome, OUTCOME_OK);

	/* other 4xx stay unexpected answers */
	s = answer(404);
	probe_classify_http(&s, &t, false, false, true);
	assert_int_equal(s.outcome, OUTCOME_HTTP_UNEXPECTED);
}

static void test_no_credential_header(void **state)
{
	struct header_kv accept = { "Accept", "text/html" };
	struct target t;
	struct sample s;

	memset(&t, 0, sizeof(t));
	t.url = "https://chatgpt.example.test/";
	t.headers = &accept;
	t.n_headers = 1;
	/* a 403 without a key to blame is an unexpected answer */
	s = answer(403);
	probe_classify_http(&s, &t, false, false, true);
	assert_int_equal(s.outcome, OUTCOME_HTTP_UNEXPECTED);
	s = answer(503);
	probe_classify_http(&s, &t, false, false, true);
	assert_int_equal(s.outcome, OUTCOME_HTTP_5XX);
	s = answer(429);
	probe_classify_http(&s, &t, false, false, true);
	assert_int_equal(s.outcome, OUTCOME_RATE_LIMITED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_rejected_or_withheld),
		cmocka_unit_test(test_no_credential_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
