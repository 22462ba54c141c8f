/* Unit tests for core/jsonpath.c: fields of a JSON answer by a dotted path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "jsonpath.h"

static void test_syntax(void **state)
{
	(void)state;
	assert_true(jsonpath_valid("status"));
	assert_true(jsonpath_valid("data[0].status"));
	assert_true(jsonpath_valid("choices[0]"));
	assert_true(jsonpath_valid("[2].a.b[10]"));
	assert_false(jsonpath_valid(""));
	assert_false(jsonpath_valid(NULL));
	assert_false(jsonpath_valid("a..b"));
	assert_false(jsonpath_valid(".a"));
	assert_false(jsonpath_valid("a."));
	assert_false(jsonpath_valid("a[x]"));
	assert_false(jsonpath_valid("a[-1]"));
	assert_false(jsonpath_valid("a[1"));
	assert_false(jsonpath_valid("a[1]b"));
}

static void test_lookup(void **state)
{
	cJSON *doc = cJSON_Parse("{\"data\": [{\"status\": \"ok\", \"n\": 3}, {\"status\": \"down\"}],"
				 " \"page\": {\"name\": \"x\"}, \"list\": [1, 2]}");
	const cJSON *v;

	(void)state;
	assert_non_null(doc);
	v = jsonpath_get(doc, "data[0].status");
	assert_true(cJSON_IsString(v));
	assert_string_equal(v->valuestring, "ok");
	assert_string_equal(jsonpath_get(doc, "data[1].status")->valuestring, "down");
	assert_int_equal(jsonpath_get(doc, "data[0].n")->valueint, 3);
	assert_string_equal(jsonpath_get(doc, "page.name")->valuestring, "x");
	assert_int_equal(jsonpath_get(doc, "list[1]")->valueint, 2);
	assert_null(jsonpath_get(doc, "data[2].status")); /* past the end */
	assert_null(jsonpath_get(doc, "page[0]"));        /* not an array */
	assert_null(jsonpath_get(doc, "list.x"));         /* not an object */
	assert_null(jsonpath_get(doc, "missing"));
	assert_null(jsonpath_get(doc, "a..b"));
	assert_null(jsonpath_get(NULL, "a"));
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
