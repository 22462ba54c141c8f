/* Unit tests for core/proxyenv.c: which proxy curl takes, and the list a
 * person reads (which once left http_proxy out while the verdict blamed it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proxyenv.h"

static void test_precedence_as_curl_reads_it(void **state)
{
	struct proxyenv env = {0};

	(void)state;
	assert_null(proxyenv_for(&env, false));
	env.ALL_PROXY = "socks5://b:1080";
	assert_string_equal(proxyenv_for(&env, false), "socks5://b:1080");
	env.https_proxy = "";
	assert_string_equal(proxyenv_for(&env, false), "socks5://b:1080");
	env.HTTPS_PROXY = "http://a:3128";
	assert_string_equal(proxyenv_for(&env, false), "http://a:3128");
	env.https_proxy = "http://lower:3128";
	assert_string_equal(proxyenv_for(&env, false), "http://lower:3128");
	/* plain http: curl takes http_proxy, else all_proxy; never https_proxy */
	assert_string_equal(proxyenv_for(&env, true), "socks5://b:1080");
	env.http_proxy = "http://plain:8080";
	assert_string_equal(proxyenv_for(&env, true), "http://plain:8080");
	assert_string_equal(proxyenv_for(&env, false), "http://lower:3128");
	env.ALL_PROXY = NULL;
	env.http_proxy = NULL;
	assert_null(proxyenv_for(&env, true));
	assert_null(proxyenv_for(NULL, true));
}

static void test_the_list_names_http_proxy_too(void **state)
{
	struct proxyenv env = {.http_proxy = "http://user:pw@plain:8080", .no_proxy = "localhost"};
	struct proxyenv_entry set[PROXYENV_VARS];
	size_t n;

	(void)state;
	/* the checklist's proxy detail once listed only the https and all ones,
	 * so it said "no proxy" while the verdict blamed http_proxy */
	n = proxyenv_entries(&env, set, PROXYENV_VARS);
	assert_int_equal(n, 2);
	assert_string_equal(set[0].name, "http_proxy");
	assert_true(set[0].is_url);
	assert_string_equal(set[1].name, "no_proxy");
	assert_false(set[1].is_url);
	assert_int_equal(proxyenv_entries(&env, set, 1), 1);
}

static void test_read_from_the_environment(void **state)
{
	struct proxyenv env;

	(void)state;
	setenv("http_proxy", "http://from-env:3128", 1);
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	proxyenv_read(&env);
	assert_string_equal(proxyenv_for(&env, true), "http://from-env:3128");
	unsetenv("http_proxy");
	proxyenv_read(&env);
	assert_null(proxyenv_for(&env, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence_as_curl_reads_it),
		cmocka_unit_test(test_the_list_names_http_proxy_too),
		cmocka_unit_test(test_read_from_the_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
