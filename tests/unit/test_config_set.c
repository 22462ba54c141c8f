/* test_config_set.c: several services in one config: "services" of presets
 * and objects, shared "controls" and settings, groups, --preset lists; and
 * every mistake reported whole, FILE:LINE:COL at its own place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_set.h"

static struct config_set *parse_ok(const char *text)
{
	char err[512] = "";
	struct config_set *s = config_set_parse(text, strlen(text), "cfg.json", "/tmp", err, sizeof(err));

	if (!s)
		fail_msg("unexpected error: %s", err);
	return s;
}

static void expect_error(const char *text, const char *msg)
{
	char err[512] = "";
	struct config_set *s = config_set_parse(text, strlen(text), "cfg.json", "/tmp", err, sizeof(err));

	assert_null(s);
	assert_string_equal(err, msg);
}

static const struct target *target_named(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n_targets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	return NULL;
}

static const char two[] =
	"{\"interval_s\": 20, \"theme\": \"mono\",\n"
	" \"controls\": [{\"name\": \"ctl\", \"kind\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": 9}],\n"
	" \"services\": [\n"
	"  {\"service\": \"One\", \"group\": \"G\", \"targets\": [\n"
	"    {\"name\": \"web\", \"kind\": \"http\", \"url\": \"http://127.0.0.1:1/\"}]},\n"
	"  {\"service\": \"Two\", \"group\": \"G\", \"interval_s\": 5, \"targets\": [\n"
	"    {\"name\": \"web\", \"kind\": \"http\", \"url\": \"http://127.0.0.1:2/\"}]}\n"
	" ]}\n";

static void test_two_services_share_controls_and_settings(void **state)
{
	struct config_set *s = parse_ok(two);
	const struct config *one, *other;

	(void)state;
	assert_int_equal(s->n, 2);
	one = s->services[0];
	other = s->services[1];
	assert_string_equal(one->service, "One");
	assert_string_equal(other->service, "Two");
	assert_string_equal(one->group, "G");
	assert_int_equal(one->n_targets, 2);
	/* the controls first, as controls, in each */
	assert_string_equal(one->targets[0].name, "ctl");
	assert_int_equal(one->targets[0].role, TARGET_ROLE_CONTROL);
	assert_int_equal(other->targets[0].role, TARGET_ROLE_CONTROL);
	assert_string_equal(target_named(other, "web")->url, "http://127.0.0.1:2/");
	/* the top level's settings, a service's own over them */
	assert_true(one->interval_s == 20);
	assert_true(other->interval_s == 5);
	assert_string_equal(one->theme, "mono");
	config_set_free(s);
}

static void test_one_service_is_as_before(void **state)
{
	struct config_set *s = parse_ok("{\"service\": \"Solo\", \"targets\": [{\"name\": \"a\", \"kind\": \"tcp\", "
					"\"host\": \"127.0.0.1\", \"port\": 1}]}");

	(void)state;
	assert_int_equal(s->n, 1);
	assert_string_equal(s->services[0]->service, "Solo");
	assert_null(s->services[0]->group);
	config_set_free(s);
}

static void test_presets_in_services(void **state)
{
	struct config_set *s = parse_ok("{\"services\": [\"openai\", {\"preset\": \"github\", \"service\": \"GH\"}]}");

	(void)state;
	assert_int_equal(s->n, 2);
	assert_string_equal(s->services[0]->service, "OpenAI");
	assert_string_equal(s->services[1]->service, "GH");
	assert_non_null(target_named(s->services[1], "github-web"));
	config_set_free(s);
}

static void test_mistakes_at_their_place(void **state)
{
	(void)state;
	expect_error("{\"services\": [\"openai\", \"nope\"]}",
		     "cfg.json:1:25: unknown preset \"nope\" (isitdown --list-presets names them)");
	expect_error("{\"services\": [\"openai\", {\"service\": \"X\", \"targets\": [{\"name\": \"a\", \"kind\": \"tcp\", "
		     "\"host\": \"h\", \"port\": 1, \"colour\": 1}]}]}",
		     "cfg.json:1:107: unknown key \"colour\" in target \"a\"");
	expect_error("{\"services\": [{\"service\": \"X\", \"metrics\": \"127.0.0.1:1\", \"targets\": []}]}",
		     "cfg.json:1:32: \"metrics\" is set once for all services, at the top level");
	expect_error("{\"targets\": [], \"services\": [\"openai\"]}",
		     "cfg.json:1:2: \"targets\" belongs in a service: with \"services\", each service has its own");
	expect_error("{\"services\": []}", "cfg.json:1:14: services must be a non-empty array");
	expect_error("{\"services\": [42]}",
		     "cfg.json:1:15: a service is a preset's name or an object with \"service\" and \"targets\"");
	expect_error("{\"services\": [\"openai\", \"openai\"]}",
		     "cfg.json:1:25: two services are named \"OpenAI\"; give one a \"service\" name of its own");
	expect_error("{\"controls\": [{\"name\": \"c\"}], \"services\": [\"openai\"]}",
		     "cfg.json:1:15: missing key \"url\" in target \"c\"");
}

static void test_preset_lists(void **state)
{
	char err[256] = "";
	struct config_set *s = config_set_load_presets("openai, anthropic,github", err, sizeof(err));

	(void)state;
	assert_non_null(s);
	assert_int_equal(s->n, 3);
	assert_string_equal(s->services[1]->service, "Anthropic");
	config_set_free(s);
	s = config_set_load_presets("github,github", err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(s->n, 1);
	config_set_free(s);
	assert_null(config_set_load_presets("openai,bogus", err, sizeof(err)));
	assert_string_equal(err, "unknown preset \"bogus\" (isitdown --list-presets names them)");
	s = config_set_load_presets(CONFIG_SET_ALL_AI, err, sizeof(err));
	assert_non_null(s);
	assert_true(s->n >= 2);
	for (size_t i = 0; i < s->n; i++)
		assert_string_equal(s->services[i]->group, CONFIG_SET_AI_GROUP);
	config_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_services_share_controls_and_settings),
		cmocka_unit_test(test_one_service_is_as_before),
		cmocka_unit_test(test_presets_in_services),
		cmocka_unit_test(test_mistakes_at_their_place),
		cmocka_unit_test(test_preset_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
