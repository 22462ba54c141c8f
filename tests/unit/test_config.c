/* test_config.c: loading, validating and printing configurations.
 *
 * Every error message is asserted whole, FILE:LINE:COL included: the position is
 * what a person uses to find the mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define LEAK "sk-test-LEAKCHECK-123"

static struct config *parse_ok(const char *text)
{
	char err[512] = "";
	struct config *c = config_parse(text, strlen(text), "cfg.json", err, sizeof(err));

	if (c == NULL)
		fail_msg("unexpected error: %s", err);
	return c;
}

static void expect_error_len(const char *text, size_t len, const char *msg)
{
	char err[512] = "";
	struct config *c = config_parse(text, len, "cfg.json", err, sizeof(err));

	if (c != NULL) {
		config_free(c);
		fail_msg("accepted, expected: %s", msg);
	}
	assert_string_equal(err, msg);
}

static void expect_error(const char *text, const char *msg)
{
	expect_error_len(text, strlen(text), msg);
}

static const struct target *find_target(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n_targets; i++) {
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	}
	fail_msg("no target %s", name);
	return NULL;
}

static const struct target *target_or_null(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n_targets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	return NULL;
}

static const char *find_header(const struct target *t, const char *name)
{
	for (size_t i = 0; i < t->n_headers; i++) {
		if (strcasecmp(t->headers[i].name, name) == 0)
			return t->headers[i].value;
	}
	return NULL;
}

static char *print_config(const struct config *c)
{
	cJSON *j = config_to_json(c);
	char *s;

	assert_non_null(j);
	s = cJSON_Print(j);
	cJSON_Delete(j);
	assert_non_null(s);
	return s;
}

/* ---- presets ---- */

static void test_presets_all_load(void **state)
{
	const char *const *names = config_preset_names();
	size_t n = 0;

	assert_string_equal(names[0], "openai");
	for (; names[n] != NULL; n++) {
		char err[512] = "";
		struct config *c = config_load_preset(names[n], err, sizeof(err));
		size_t controls = 0, statuspages = 0, dns = 0;

		if (c == NULL)
			fail_msg("preset %s: %s", names[n], err);
		assert_non_null(config_preset_description(names[n]));
		assert_true(strlen(config_preset_description(names[n])) > 10);
		for (size_t i = 0; i < c->n_targets; i++) {
			const struct target *t = &c->targets[i];
			controls += t->role == TARGET_ROLE_CONTROL;
			statuspages += t->kind == TARGET_STATUSPAGE;
			dns += t->kind == TARGET_DNS;
			/* a Statuspage-style summary lists fewer components than
			 * components.json on some pages; the other formats have no such
			 * second list */
			if (t->kind == TARGET_STATUSPAGE) {
				if (strstr(t->url, "/api/v2/summary.json"))
					assert_non_null(t->status_components_url);
				assert_true(t->interval_s >= 60);
			}
		}
		assert_int_equal(controls, 2);
		/* Mistral publishes no status JSON */
		assert_int_equal(statuspages, strcmp(names[n], "mistral") == 0 ? 0 : 1);
		assert_int_equal(dns, 2);
		assert_string_equal(c->source, n == 0 ? "preset openai" : c->source);
		config_free(c);
	}
	assert_int_equal(n, 9);
	assert_null(config_preset_description("nope"));
}

static void test_preset_openai(void **state)
{
	char err[256];
	struct config *c = config_load_preset("openai", err, sizeof(err));
	const struct target *t;

	assert_non_null(c);
	assert_string_equal(c->service, "OpenAI");
	assert_true(c->interval_s == 10 && c->timeout_s == 8);

	t = find_target(c, "control-ip");
	assert_int_equal(t->kind, TARGET_TCP);
	assert_string_equal(t->host, "1.1.1.1");
	assert_int_equal(t->port, 443);
	assert_int_equal(t->role, TARGET_ROLE_CONTROL);

	t = find_target(c, "control-name");
	assert_int_equal(t->kind, TARGET_HTTP);
	assert_string_equal(t->method, "HEAD");
	assert_int_equal(t->role, TARGET_ROLE_CONTROL);
	assert_int_equal(t->n_expect, 2);
	assert_int_equal(t->expect_status[0], 204);

	t = find_target(c, "dns-chatgpt");
	assert_int_equal(t->kind, TARGET_DNS);
	assert_string_equal(t->host, "chatgpt.com");
	assert_true(t->slow_ms == 300);

	t = find_target(c, "chatgpt-web");
	assert_string_equal(t->url, "https://chatgpt.com/");
	assert_string_equal(t->component, "ChatGPT");
	assert_int_equal(t->n_expect, 2);
	assert_int_equal(t->expect_status[0], 200);
	assert_int_equal(t->expect_status[1], 403);

	t = find_target(c, "api");
	assert_string_equal(t->url, "https://api.openai.com/v1/models");
	assert_string_equal(t->component, "API");
	assert_string_equal(find_header(t, "Authorization"), "Bearer ${OPENAI_API_KEY}");
	assert_int_equal(t->n_expect, 2);
	assert_int_equal(t->expect_status[1], 401);
	assert_int_equal(t->n_expect_with_key, 1);
	assert_int_equal(t->expect_status_with_key[0], 200);
	assert_true(t->differential);
	assert_int_equal(t->role, TARGET_ROLE_SERVICE);

	/* a model's answer, only with the key: skipped without it */
	t = find_target(c, "gpt-4o-mini");
	assert_int_equal(t->kind, TARGET_LLM);
	assert_int_equal(t->api, LLM_API_OPENAI_CHAT);
	assert_string_equal(t->url, "https://api.openai.com/v1/chat/completions");
	assert_string_equal(t->model, "gpt-4o-mini");
	assert_string_equal(find_header(t, "Authorization"), "Bearer ${OPENAI_API_KEY}");
	assert_true(t->interval_s == CONFIG_LLM_INTERVAL_S);
	assert_string_equal(t->component, "API");

	t = find_target(c, "status-page");
	assert_int_equal(t->kind, TARGET_STATUSPAGE);
	assert_string_equal(t->url, "https://status.openai.com/api/v2/summary.json");
	assert_string_equal(t->status_components_url, "https://status.openai.com/api/v2/components.json");
	assert_true(t->interval_s == 60);
	assert_true(t->slow_ms == 3000);
	config_free(c);
}

static void test_preset_anthropic_github(void **state)
{
	char err[256];
	struct config *c = config_load_preset("anthropic", err, sizeof(err));
	const struct target *t;

	assert_non_null(c);
	t = find_target(c, "api");
	assert_string_equal(t->url, "https://api.anthropic.com/v1/models");
	assert_string_equal(find_header(t, "x-api-key"), "${ANTHROPIC_API_KEY}");
	assert_non_null(find_header(t, "anthropic-version"));
	assert_int_equal(t->expect_status[1], 401);
	assert_string_equal(find_target(c, "status-page")->url, "https://status.claude.com/api/v2/summary.json");
	assert_string_equal(find_target(c, "dns-claude")->host, "claude.ai");
	t = find_target(c, "claude-haiku-4-5");
	assert_int_equal(t->api, LLM_API_ANTHROPIC_MESSAGES);
	assert_string_equal(t->url, "https://api.anthropic.com/v1/messages");
	assert_string_equal(find_header(t, "x-api-key"), "${ANTHROPIC_API_KEY}");
	config_free(c);

	c = config_load_preset("github", err, sizeof(err));
	assert_non_null(c);
	t = find_target(c, "api");
	assert_int_equal(t->n_expect, 1);
	assert_int_equal(t->expect_status[0], 200);
	assert_false(config_target_has_key(t));
	assert_string_equal(find_target(c, "status-page")->url,
			    "https://www.githubstatus.com/api/v2/summary.json");
	config_free(c);

	assert_null(config_load_preset("gitlab", err, sizeof(err)));
	assert_string_equal(err, "unknown preset \"gitlab\" (try openai, anthropic, github, gemini, "
			    "mistral, groq, deepseek, cohere or perplexity)");
}

/* The presets whose API has OpenAI's chat completions shape carry a model
 * probe too, with the API target's key (skipped without it). */
static void test_preset_model_probes(void **state)
{
	static const struct {
		const char *preset, *model, *url, *key;
	} want[] = {
		{"mistral", "mistral-small-latest", "https://api.mistral.ai/v1/chat/completions", "Bearer ${MISTRAL_API_KEY}"},
		{"groq", "llama-3.1-8b-instant", "https://api.groq.com/openai/v1/chat/completions", "Bearer ${GROQ_API_KEY}"},
		{"deepseek", "deepseek-chat", "https://api.deepseek.com/chat/completions", "Bearer ${DEEPSEEK_API_KEY}"},
	};
	char err[256], needs[64];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct config *c = config_load_preset(want[i].preset, err, sizeof(err));
		const struct target *t;

		if (!c)
			fail_msg("preset %s: %s", want[i].preset, err);
		t = find_target(c, want[i].model);
		assert_int_equal(t->kind, TARGET_LLM);
		assert_int_equal(t->api, LLM_API_OPENAI_CHAT);
		assert_string_equal(t->model, want[i].model);
		assert_string_equal(t->url, want[i].url);
		assert_string_equal(find_header(t, "Authorization"), want[i].key);
		assert_string_equal(t->component, "API");
		assert_true(t->interval_s == CONFIG_LLM_INTERVAL_S);
		assert_true(strncmp(config_target_needs(t, needs, sizeof(needs)), "needs ", 6) == 0 || needs[0] == '\0');
		config_free(c);
	}
}

/* The AI presets: each API target, its key header and what it answers without
 * a key; each status page and its format (read by the parser it names). */
static void test_preset_ai_providers(void **state)
{
	static const struct {
		const char *name, *api_url, *key_header, *key_value;
		int no_key; /* the status that proves the API answers without a key */
		const char *component, *status_url;
	} want[] = {
		{"gemini", "https://generativelanguage.googleapis.com/v1beta/models", "x-goog-api-key",
		 "${GEMINI_API_KEY}", 403, "Gemini API", "https://status.cloud.google.com/incidents.json"},
		{"mistral", "https://api.mistral.ai/v1/models", "Authorization", "Bearer ${MISTRAL_API_KEY}",
		 401, "API", NULL},
		{"groq", "https://api.groq.com/openai/v1/models", "Authorization", "Bearer ${GROQ_API_KEY}",
		 401, "API", "https://groqstatus.com/api/v2/summary.json"},
		{"deepseek", "https://api.deepseek.com/models", "Authorization", "Bearer ${DEEPSEEK_API_KEY}",
		 401, "API", "https://status.deepseek.com/api/status-page/6410630422455/summary/active"},
		{"cohere", "https://api.cohere.com/v1/models", "Authorization", "Bearer ${COHERE_API_KEY}",
		 401, "API", "https://status.cohere.com/api/v2/summary.json"},
		{"perplexity", NULL, NULL, NULL, 0, NULL, "https://status.perplexity.com/api/v2/summary.json"},
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct config *c = config_load_preset(want[i].name, err, sizeof(err));
		const struct target *t;

		if (!c)
			fail_msg("preset %s: %s", want[i].name, err);
		assert_non_null(config_preset_description(want[i].name));
		t = find_target(c, "control-ip");
		assert_int_equal(t->role, TARGET_ROLE_CONTROL);
		t = target_or_null(c, "api");
		if (want[i].api_url) {
			assert_non_null(t);
			assert_string_equal(t->url, want[i].api_url);
			assert_string_equal(find_header(t, want[i].key_header), want[i].key_value);
			assert_int_equal(t->n_expect, 2);
			assert_int_equal(t->expect_status[0], 200);
			assert_int_equal(t->expect_status[1], want[i].no_key);
			assert_int_equal(t->n_expect_with_key, 1);
			assert_int_equal(t->expect_status_with_key[0], 200);
			assert_string_equal(t->component, want[i].component);
		} else {
			assert_null(t);
		}
		t = target_or_null(c, "status-page");
		if (want[i].status_url) {
			assert_non_null(t);
			assert_int_equal(t->kind, TARGET_STATUSPAGE);
			assert_string_equal(t->url, want[i].status_url);
		} else {
			assert_null(t);
		}
		config_free(c);
	}
}

/* The printed preset is a valid config file, and prints the same again. */
static void test_presets_round_trip(void **state)
{
	for (const char *const *n = config_preset_names(); *n != NULL; n++) {
		char err[256];
		struct config *c = config_load_preset(*n, err, sizeof(err));
		struct config *again;
		char *a, *b;

		assert_non_null(c);
		a = print_config(c);
		again = parse_ok(a);
		b = print_config(again);
		assert_string_equal(a, b);
		free(a);
		free(b);
		config_free(again);
		config_free(c);
	}
}

/* ---- defaults and inheritance ---- */

static void test_defaults(void **state)
{
	struct config *c = parse_ok(
		"{\"targets\": [\n"
		"  {\"name\": \"web\", \"url\": \"https://x.test/\"},\n"
		"  {\"name\": \"d\", \"kind\": \"dns\", \"host\": \"x.test\"},\n"
		"  {\"name\": \"t\", \"kind\": \"tcp\", \"host\": \"x.test\", \"port\": 22},\n"
		"  {\"name\": \"s\", \"kind\": \"statuspage\", \"url\": \"file:///tmp/s.json\"}\n"
		"]}\n");
	const struct target *web = find_target(c, "web");

	assert_true(c->interval_s == 10);
	assert_true(c->timeout_s == 8);
	assert_null(c->theme);
	assert_null(c->metrics);
	assert_null(c->ca_file);
	assert_int_equal(c->n_resolve, 0);
	assert_string_equal(c->source, "cfg.json");
	/* no "service": the first service target names what is watched */
	assert_string_equal(c->service, "web");

	assert_int_equal(web->kind, TARGET_HTTP);
	assert_string_equal(web->method, "GET");
	assert_int_equal(web->role, TARGET_ROLE_SERVICE);
	assert_int_equal(web->ip_family, IP_FAMILY_AUTO);
	assert_int_equal(web->n_expect, 0);
	assert_int_equal(web->n_headers, 0);
	assert_null(web->proxy);
	assert_null(web->component);
	assert_int_equal(web->body_cap, 1024 * 1024);
	assert_false(web->reuse_connection);
	assert_false(web->differential);
	assert_true(web->interval_s == 10 && web->timeout_s == 8);
	assert_true(web->slow_ms == 2000);

	assert_true(find_target(c, "d")->slow_ms == 300);
	assert_true(find_target(c, "t")->slow_ms == 300);
	assert_int_equal(find_target(c, "t")->port, 22);
	assert_true(find_target(c, "s")->slow_ms == 3000);
	assert_true(find_target(c, "s")->interval_s == 60);
	assert_true(find_target(c, "s")->timeout_s == 8);
	config_free(c);
}

static void test_inheritance(void **state)
{
	struct config *c = parse_ok(
		"{\"service\": \"Example\", \"interval_s\": 30, \"timeout_s\": 5, \"ca_file\": \"/etc/x.pem\",\n"
		" \"theme\": \"mono\", \"metrics\": \"[::1]:9464\",\n"
		" \"targets\": [\n"
		"  {\"name\": \"a\", \"url\": \"https://x.test/\"},\n"
		"  {\"name\": \"b\", \"url\": \"https://x.test/\", \"interval_s\": 2.5, \"timeout_s\": 20,\n"
		"   \"slow_ms\": 750, \"ca_file\": \"/etc/y.pem\", \"method\": \"head\", \"ip_family\": \"v6\",\n"
		"   \"proxy\": \"\", \"reuse_connection\": true, \"body_cap\": 4096, \"role\": \"control\"},\n"
		"  {\"name\": \"s\", \"kind\": \"statuspage\", \"url\": \"https://x.test/s.json\"},\n"
		"  {\"name\": \"s2\", \"kind\": \"statuspage\", \"url\": \"https://x.test/s.json\", \"interval_s\": 15},\n"
		"  {\"name\": \"d\", \"kind\": \"dns\", \"host\": \"x.test\", \"ip_family\": \"v4\"}\n"
		"]}\n");
	const struct target *t;

	assert_string_equal(c->service, "Example");
	assert_string_equal(c->theme, "mono");
	assert_string_equal(c->metrics, "[::1]:9464");
	t = find_target(c, "a");
	assert_true(t->interval_s == 30 && t->timeout_s == 5);
	assert_string_equal(t->ca_file, "/etc/x.pem");
	t = find_target(c, "b");
	assert_true(t->interval_s == 2.5 && t->timeout_s == 20);
	assert_true(t->slow_ms == 750);
	assert_string_equal(t->ca_file, "/etc/y.pem");
	assert_string_equal(t->method, "HEAD");
	assert_int_equal(t->ip_family, IP_FAMILY_V6);
	assert_string_equal(t->proxy, "");
	assert_true(t->reuse_connection);
	assert_int_equal(t->body_cap, 4096);
	assert_int_equal(t->role, TARGET_ROLE_CONTROL);
	/* a status page keeps its polite 60 s floor unless the target asks */
	assert_true(find_target(c, "s")->interval_s == 60);
	assert_true(find_target(c, "s2")->interval_s == 15);
	assert_int_equal(find_target(c, "d")->ip_family, IP_FAMILY_V4);
	assert_null(find_target(c, "d")->ca_file);
	config_free(c);

	c = parse_ok("{\"interval_s\": 300, \"targets\": [{\"name\": \"s\", \"kind\": \"statuspage\", "
		     "\"url\": \"https://x.test/s.json\"}]}");
	assert_true(c->targets[0].interval_s == 300);
	config_free(c);
}

static void test_nulls_mean_unset(void **state)
{
	struct config *c = parse_ok(
		"{\"theme\": null, \"metrics\": null, \"ca_file\": null, \"targets\": [{\"name\": \"a\", "
		"\"url\": \"https://x.test/\", \"component\": null, \"proxy\": null, \"body_contains\": null}]}");

	assert_null(c->theme);
	assert_null(c->targets[0].component);
	assert_null(c->targets[0].proxy);
	config_free(c);
}

/* ---- syntax errors ---- */

static void test_syntax_errors(void **state)
{
	expect_error("{\"targets\": [}", "cfg.json:1:14: syntax error: expected a value, found '}'");
	expect_error("{\"a\": 1 \"b\": 2}", "cfg.json:1:9: syntax error: expected ',' or '}', found '\"'");
	expect_error("{\"a\": [1, 2,]}", "cfg.json:1:12: syntax error: trailing comma before ']'");
	expect_error("{\"a\": 1,\n}", "cfg.json:1:8: syntax error: trailing comma before '}'");
	expect_error("{'a': 1}", "cfg.json:1:2: syntax error: strings need double quotes, not single");
	expect_error("{a: 1}", "cfg.json:1:2: syntax error: expected a key in double quotes, found 'a'");
	expect_error("{\"a\": \"x\n\"}", "cfg.json:1:7: syntax error: unterminated string");
	expect_error("{\"a\": \"x", "cfg.json:1:7: syntax error: unterminated string");
	expect_error("{\"a\": tru}", "cfg.json:1:7: syntax error: expected a value, found 'tru'");
	expect_error("{\"a\": True}", "cfg.json:1:7: syntax error: expected a value, found 'True'");
	expect_error("{\"a\": 01}", "cfg.json:1:7: syntax error: invalid number");
	expect_error("{\"a\": 1.}", "cfg.json:1:7: syntax error: invalid number");
	expect_error("{\"a\": -}", "cfg.json:1:7: syntax error: invalid number");
	expect_error("{\"a\": +1}", "cfg.json:1:7: syntax error: expected a value, found '+'");
	expect_error("// settings\n{}", "cfg.json:1:1: syntax error: comments are not allowed in json");
	expect_error("{\"a\": 1} x", "cfg.json:1:10: syntax error: expected the end of the file after the "
		     "top-level value, found 'x'");
	expect_error("{\"a\": \"\\q\"}", "cfg.json:1:8: syntax error: invalid escape '\\q' in string");
	expect_error("{\"a\": \"\\u12\"}", "cfg.json:1:8: syntax error: invalid \\u escape in string");
	expect_error("{\"a\": \"\\ud800\"}", "cfg.json:1:8: syntax error: unpaired surrogate in \\u escape");
	expect_error("{\"a\": \"\\udc00\"}", "cfg.json:1:8: syntax error: unpaired surrogate in \\u escape");
	expect_error("{\"a\": \"\\u0000\"}", "cfg.json:1:8: syntax error: \\u0000 is not allowed in strings");
	expect_error("{\"a\": \"x\xff\"}", "cfg.json:1:9: syntax error: invalid utf-8 in string");
	expect_error("{\"a\": \"\xc0\xaf\"}", "cfg.json:1:8: syntax error: invalid utf-8 in string");
	expect_error("{\"a\": \"x\ty\"}", "cfg.json:1:9: syntax error: control character in string");
	expect_error("{\"a\"}", "cfg.json:1:5: syntax error: expected ':' after the key, found '}'");
	expect_error("{\"a\": 1", "cfg.json:1:8: syntax error: unexpected end of file, expected ',' or '}'");
	expect_error("", "cfg.json:1:1: file is empty");
	expect_error("\n\n  ", "cfg.json:3:3: file is empty");
	expect_error_len("{\"a\": 1}\0", 9, "cfg.json:1:9: syntax error: expected the end of the file after "
			 "the top-level value, found byte 0x00");
	expect_error("{\"a\": 1234567890123456789012345678901234567890123456789012345678901234}",
		     "cfg.json:1:7: syntax error: number is too long");
}

static void test_syntax_error_lines(void **state)
{
	char deep[300];

	/* the missing comma is reported where the next member starts */
	expect_error("{\n"
		     "  \"service\": \"x\",\n"
		     "  \"targets\": [\n"
		     "    {\"name\": \"a\" \"url\": 1}\n"
		     "  ]\n"
		     "}\n",
		     "cfg.json:4:18: syntax error: expected ',' or '}', found '\"'");
	/* columns count characters, CRLF ends a line, a byte order mark is no column */
	expect_error("{\"service\": \"ünïcödé ✓\", \"x\": 1}", "cfg.json:1:26: unknown key \"x\"");
	expect_error("{\r\n  \"x\": 1\r\n}", "cfg.json:2:3: unknown key \"x\"");
	expect_error("\xEF\xBB\xBF{\"x\": 1}", "cfg.json:1:2: unknown key \"x\"");
	expect_error("{\n\t\"x\": 1}", "cfg.json:2:2: unknown key \"x\"");

	memset(deep, '[', 150);
	deep[150] = '\0';
	expect_error(deep, "cfg.json:1:101: syntax error: nesting is too deep");
}

/* ---- structure and values ---- */

static void test_top_level_errors(void **state)
{
	expect_error("[]", "cfg.json:1:1: the top level must be an object");
	expect_error("  \"x\"", "cfg.json:1:3: the top level must be an object");
	expect_error("{}", "cfg.json:1:1: missing key \"targets\"");
	expect_error("{\"targets\": []}", "cfg.json:1:13: targets must not be empty");
	expect_error("{\"targets\": {}}", "cfg.json:1:13: targets must be an array");
	expect_error("{\"targets\": [1]}", "cfg.json:1:14: targets[0] must be an object");
	expect_error("{\"intervall_s\": 5, \"targets\": []}", "cfg.json:1:2: unknown key \"intervall_s\"");
	expect_error("{\"interval_s\": \"10\", \"targets\": []}", "cfg.json:1:16: interval_s must be a number");
	expect_error("{\"interval_s\": 0.05, \"targets\": []}",
		     "cfg.json:1:16: interval_s must be from 0.1 to 86400 seconds");
	expect_error("{\"interval_s\": 86401, \"targets\": []}",
		     "cfg.json:1:16: interval_s must be from 0.1 to 86400 seconds");
	expect_error("{\"timeout_s\": 0, \"targets\": []}",
		     "cfg.json:1:15: timeout_s must be more than 0 and at most 86400 seconds");
	expect_error("{\"timeout_s\": -1, \"targets\": []}",
		     "cfg.json:1:15: timeout_s must be more than 0 and at most 86400 seconds");
	expect_error("{\"service\": 1, \"targets\": []}", "cfg.json:1:13: service must be a string");
	expect_error("{\"service\": \"\", \"targets\": []}", "cfg.json:1:13: service must not be empty");
	expect_error("{\"service\": \"a\\u001bb\", \"targets\": []}",
		     "cfg.json:1:13: service must not contain control characters");
	expect_error("{\"theme\": true, \"targets\": []}", "cfg.json:1:11: theme must be a string");
	expect_error("{\"metrics\": \"localhost\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	expect_error("{\"metrics\": \"127.0.0.1:99999\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	expect_error("{\"metrics\": \"::1:80\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	/* a name would need a resolver at start: an IP literal only */
	expect_error("{\"metrics\": \"localhost:9464\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	expect_error("{\"metrics\": \"[127.0.0.1]:9464\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	expect_error("{\"metrics\": \"-1\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	expect_error("{\"metrics\": \"127.0.0.1:\", \"targets\": []}",
		     "cfg.json:1:13: metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
	{
		/* a port alone means loopback */
		struct config *c = parse_ok("{\"metrics\": \"9464\", \"targets\": [{\"name\": \"a\", "
					    "\"url\": \"https://x.test/\"}]}");

		assert_string_equal(c->metrics, "9464");
		config_free(c);
	}
	expect_error("{\"targets\": [], \"targets\": []}",
		     "cfg.json:1:17: duplicate key \"targets\" (first at 1:2)");
	/* timeout above the interval is allowed: a slow probe is skipped, not stacked */
	config_free(parse_ok("{\"interval_s\": 1, \"timeout_s\": 30, \"targets\": [{\"name\": \"a\", "
			     "\"url\": \"https://x.test/\"}]}"));
}

/* The example from the documentation, verbatim. */
/* The config takes every address --metrics takes, port 0 (any free port)
 * included, as README "Metrics" says of both. */
static void test_metrics_addresses(void **state)
{
	static const char *const ok[] = {
		"127.0.0.1:0", "127.0.0.1:9464", "[::1]:0", "[::1]:65535", "0.0.0.0:9464", "[::]:0",
		"0", "9464",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[160];
		struct config *c;

		snprintf(text, sizeof(text),
			 "{\"metrics\": \"%s\", \"targets\": [{\"name\": \"a\", \"url\": \"https://x.test/\"}]}",
			 ok[i]);
		c = parse_ok(text);
		assert_string_equal(c->metrics, ok[i]);
		config_free(c);
	}
}

static void test_unknown_target_key(void **state)
{
	expect_error("{\n"
		     "  \"service\": \"Example\",\n"
		     "  \"targets\": [\n"
		     "    {\n"
		     "      \"name\": \"web\",\n"
		     "      \"url\": \"https://example.test/\"\n"
		     "    },\n"
		     "    {\n"
		     "      \"name\": \"api\",\n"
		     "      \"kind\": \"http\",\n"
		     "      \"method\": \"GET\",\n"
		     "    \"urll\": \"https://example.test/api\"\n"
		     "    }\n"
		     "  ]\n"
		     "}\n",
		     "cfg.json:12:5: unknown key \"urll\" in target \"api\"");
	/* before the name is known (or when it is bad) the target is named by index */
	expect_error("{\"targets\": [{\"url\": \"https://x.test/\", \"x\\u0007\": 1}]}",
		     "cfg.json:1:41: unknown key \"x\\x07\" in targets[0]");
	expect_error("{\"targets\": [{\"url\": \"https://x.test/\"}]}",
		     "cfg.json:1:14: missing key \"name\" in targets[0]");
	expect_error("{\"targets\": [{\"name\": 5, \"url\": \"https://x.test/\"}]}",
		     "cfg.json:1:23: name in targets[0] must be a string");
	expect_error("{\"targets\": [{\"name\": \"\", \"url\": \"https://x.test/\"}]}",
		     "cfg.json:1:23: name in targets[0] must not be empty");
}

#define TGT(rest) "{\"targets\": [{\"name\": \"a\", " rest "}]}"
/* Columns in TGT(...): the first character of rest is column 28. */

static void test_target_errors(void **state)
{
	expect_error(TGT("\"kind\": \"htp\", \"url\": \"https://x.test/\""),
		     "cfg.json:1:36: kind in target \"a\" must be \"http\", \"dns\", \"tcp\", \"statuspage\" or \"llm\"");
	expect_error(TGT("\"kind\": \"http\""), "cfg.json:1:14: missing key \"url\" in target \"a\"");
	expect_error(TGT("\"kind\": \"statuspage\""), "cfg.json:1:14: missing key \"url\" in target \"a\"");
	expect_error(TGT("\"kind\": \"dns\""), "cfg.json:1:14: missing key \"host\" in target \"a\"");
	expect_error(TGT("\"kind\": \"tcp\", \"port\": 443"), "cfg.json:1:14: missing key \"host\" in target \"a\"");
	expect_error(TGT("\"kind\": \"tcp\", \"host\": \"x.test\""),
		     "cfg.json:1:14: missing key \"port\" in target \"a\"");
	expect_error(TGT("\"url\": \"ftp://x.test/\""),
		     "cfg.json:1:35: url in target \"a\" must start with http://, https:// or file://");
	expect_error(TGT("\"url\": \"x.test\""),
		     "cfg.json:1:35: url in target \"a\" must start with http://, https:// or file://");
	expect_error(TGT("\"url\": \"https:///x\""), "cfg.json:1:35: url in target \"a\" has no host");
	expect_error(TGT("\"url\": \"https://x.test/a b\""), "cfg.json:1:35: url in target \"a\" contains a space");
	/* what libcurl cannot parse would fail on every probe instead */
	expect_error(TGT("\"url\": \"https://x.test:99999/\""),
		     "cfg.json:1:35: url in target \"a\" is not valid: port number was not a decimal number "
		     "between 0 and 65535");
	expect_error(TGT("\"url\": \"http://[::1/\""),
		     "cfg.json:1:35: url in target \"a\" is not valid: bad IPv6 address");
	expect_error(TGT("\"kind\": \"statuspage\", \"url\": \"https://x.test/s.json\", "
			 "\"components_url\": \"https://x.test:0x1/c.json\""),
		     "cfg.json:1:100: components_url in target \"a\" is not valid: port number was not a decimal "
		     "number between 0 and 65535");
	expect_error(TGT("\"url\": 5"), "cfg.json:1:35: url in target \"a\" must be a string");
	expect_error(TGT("\"url\": \"https://x.test/\", \"role\": \"primary\""),
		     "cfg.json:1:62: role in target \"a\" must be \"service\" or \"control\"");
	expect_error(TGT("\"url\": \"https://x.test/\", \"ip_family\": \"ipv4\""),
		     "cfg.json:1:67: ip_family in target \"a\" must be \"auto\", \"v4\" or \"v6\"");
	expect_error(TGT("\"url\": \"https://x.test/\", \"method\": \"DELETE\""),
		     "cfg.json:1:64: method in target \"a\" must be GET, HEAD, POST or PUT");
	expect_error(TGT("\"url\": \"https://x.test/\", \"body\": \"x\""),
		     "cfg.json:1:54: body in target \"a\" needs method POST or PUT");
	expect_error(TGT("\"url\": \"https://x.test/\", \"json_expect\": {\"a..b\": 1}"),
		     "cfg.json:1:70: json_expect in target \"a\": \"a..b\" is not a path like \"data[0].status\"");
	expect_error(TGT("\"url\": \"https://x.test/\", \"method\": \"HEAD\", \"json_expect\": {\"a\": 1}"),
		     "cfg.json:1:72: json_expect in target \"a\" needs an answer with a body, not HEAD");
	expect_error(TGT("\"url\": \"https://x.test/\", \"interval_s\": \"5\""),
		     "cfg.json:1:68: interval_s in target \"a\" must be a number");
	expect_error(TGT("\"url\": \"https://x.test/\", \"interval_s\": 0"),
		     "cfg.json:1:68: interval_s in target \"a\" must be from 0.1 to 86400 seconds");
	expect_error(TGT("\"url\": \"https://x.test/\", \"timeout_s\": 0"),
		     "cfg.json:1:67: timeout_s in target \"a\" must be more than 0 and at most 86400 seconds");
	expect_error(TGT("\"url\": \"https://x.test/\", \"slow_ms\": -1"),
		     "cfg.json:1:65: slow_ms in target \"a\" must be more than 0 and at most 86400000");
	expect_error(TGT("\"url\": \"https://x.test/\", \"body_cap\": 0"),
		     "cfg.json:1:66: body_cap in target \"a\" must be an integer from 1 to 1073741824");
	expect_error(TGT("\"url\": \"https://x.test/\", \"reuse_connection\": \"yes\""),
		     "cfg.json:1:74: reuse_connection in target \"a\" must be true or false");
	expect_error(TGT("\"url\": \"https://x.test/\", \"proxy\": \"ftp://p:21\""),
		     "cfg.json:1:63: proxy in target \"a\" must be an http, https, socks4, socks4a, socks5 "
		     "or socks5h url");
	expect_error(TGT("\"url\": \"https://x.test/\", \"method\": \"HEAD\", \"body_contains\": \"ok\""),
		     "cfg.json:1:72: body_contains in target \"a\" needs method GET, not HEAD");
	expect_error(TGT("\"url\": \"https://x.test/\", \"component\": \"\""),
		     "cfg.json:1:67: component in target \"a\" must not be empty");
}

static void test_port_errors(void **state)
{
	expect_error(TGT("\"kind\": \"tcp\", \"host\": \"x.test\", \"port\": 0"),
		     "cfg.json:1:69: port in target \"a\" must be an integer from 1 to 65535");
	expect_error(TGT("\"kind\": \"tcp\", \"host\": \"x.test\", \"port\": 70000"),
		     "cfg.json:1:69: port in target \"a\" must be an integer from 1 to 65535");
	expect_error(TGT("\"kind\": \"tcp\", \"host\": \"x.test\", \"port\": \"443\""),
		     "cfg.json:1:69: port in target \"a\" must be an integer from 1 to 65535");
	expect_error(TGT("\"kind\": \"tcp\", \"host\": \"x.test\", \"port\": 443.5"),
		     "cfg.json:1:69: port in target \"a\" must be an integer from 1 to 65535");
	expect_error(TGT("\"kind\": \"tcp\", \"host\": \"https://x.test\", \"port\": 443"),
		     "cfg.json:1:51: host in target \"a\" must be a name or an address, not a url");
	expect_error(TGT("\"kind\": \"dns\", \"host\": \"x test\""),
		     "cfg.json:1:51: host in target \"a\" must be a name or an address");
}

static void test_key_does_not_apply(void **state)
{
	expect_error(TGT("\"url\": \"https://x.test/\", \"port\": 443"),
		     "cfg.json:1:54: key \"port\" does not apply to kind http in target \"a\"");
	expect_error(TGT("\"kind\": \"dns\", \"host\": \"x.test\", \"url\": \"https://x.test/\""),
		     "cfg.json:1:61: key \"url\" does not apply to kind dns in target \"a\"");
	expect_error(TGT("\"kind\": \"statuspage\", \"url\": \"https://x.test/\", \"expect_status\": [200]"),
		     "cfg.json:1:76: key \"expect_status\" does not apply to kind statuspage in target \"a\"");
	/* the kind may come after the key it rules out */
	expect_error(TGT("\"components_url\": \"https://x.test/c.json\", \"url\": \"https://x.test/\", "
			 "\"kind\": \"http\""),
		     "cfg.json:1:28: key \"components_url\" does not apply to kind http in target \"a\"");
}

static void test_expect_status_errors(void **state)
{
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status\": [200, 600]"),
		     "cfg.json:1:77: expect_status in target \"a\" must hold status codes from 100 to 599");
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status\": [99]"),
		     "cfg.json:1:72: expect_status in target \"a\" must hold status codes from 100 to 599");
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status\": [200.5]"),
		     "cfg.json:1:72: expect_status in target \"a\" must hold status codes from 100 to 599");
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status\": [\"200\"]"),
		     "cfg.json:1:72: expect_status in target \"a\" must hold status codes from 100 to 599");
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status\": 200"),
		     "cfg.json:1:71: expect_status in target \"a\" must be an array of status codes");
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status_with_key\": [1000]"),
		     "cfg.json:1:81: expect_status_with_key in target \"a\" must hold status codes from 100 "
		     "to 599");
	expect_error(TGT("\"url\": \"https://x.test/\", \"expect_status\": "
			 "[200,201,202,203,204,205,206,207,208,226,300,301,302,303,304,307,308]"),
		     "cfg.json:1:136: expect_status in target \"a\" holds more than 16 codes");
}

static void test_header_errors(void **state)
{
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": []"),
		     "cfg.json:1:65: headers in target \"a\" must be an object");
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": {\"Bad Name\": \"x\"}"),
		     "cfg.json:1:66: header name \"Bad Name\" in target \"a\" is not valid");
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": {\"X\": 1}"),
		     "cfg.json:1:71: header \"X\" in target \"a\" must be a string");
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": {\"X\": \"a\\r\\nHost: evil\"}"),
		     "cfg.json:1:71: header \"X\" in target \"a\" contains a line break");
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": {\"X\": \"Bearer ${KEY\"}"),
		     "cfg.json:1:71: header \"X\" in target \"a\" has a ${ without its }");
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": {\"X\": \"${1KEY}\"}"),
		     "cfg.json:1:71: header \"X\" in target \"a\" has a bad variable name in ${...}");
	expect_error(TGT("\"url\": \"https://x.test/\", \"headers\": {\"Accept\": \"a\", \"accept\": \"b\"}"),
		     "cfg.json:1:81: duplicate header \"accept\" in target \"a\" (first at 1:66)");
}

static void test_duplicate_names(void **state)
{
	expect_error("{\"targets\": [{\"name\": \"api\", \"url\": \"https://x.test/\"},\n"
		     "             {\"name\": \"web\", \"url\": \"https://x.test/\"},\n"
		     "             {\"name\": \"API\", \"url\": \"https://x.test/\"}]}",
		     "cfg.json:3:23: duplicate target name \"API\" (first at 1:23)");
	expect_error(TGT("\"url\": \"https://x.test/\", \"url\": \"https://y.test/\""),
		     "cfg.json:1:54: duplicate key \"url\" in target \"a\" (first at 1:28)");
}

/* ---- resolve ---- */

static void test_resolve(void **state)
{
	struct config *c = parse_ok("{\"resolve\": {\"chatgpt.com\": \"127.0.0.1\", \"Down.Test.\": \"fail\", "
				    "\"v6.test\": \"::1\"}, "
				    "\"targets\": [{\"name\": \"a\", \"url\": \"https://chatgpt.com/\"}]}");

	assert_int_equal(c->n_resolve, 3);
	assert_string_equal(config_resolve_lookup(c, "chatgpt.com"), "127.0.0.1");
	assert_string_equal(config_resolve_lookup(c, "ChatGPT.com."), "127.0.0.1");
	assert_string_equal(config_resolve_lookup(c, "down.test"), CONFIG_RESOLVE_FAIL);
	assert_string_equal(config_resolve_lookup(c, "v6.test"), "::1");
	assert_null(config_resolve_lookup(c, "api.openai.com"));
	assert_null(config_resolve_lookup(c, "chatgpt.co"));
	assert_null(config_resolve_lookup(NULL, "chatgpt.com"));
	config_free(c);

	expect_error("{\"resolve\": [], \"targets\": []}",
		     "cfg.json:1:13: resolve must be an object of host names and addresses");
	expect_error("{\"resolve\": {\"a.test\": \"localhost\"}, \"targets\": []}",
		     "cfg.json:1:24: resolve address for \"a.test\" must be an ip address or \"fail\"");
	expect_error("{\"resolve\": {\"a.test\": 1}, \"targets\": []}",
		     "cfg.json:1:24: resolve address for \"a.test\" must be an ip address or \"fail\"");
	expect_error("{\"resolve\": {\"a b\": \"1.2.3.4\"}, \"targets\": []}",
		     "cfg.json:1:14: resolve host \"a b\" is not a host name");
	expect_error("{\"resolve\": {\"a.test\": \"1.2.3.4\", \"A.test\": \"1.2.3.5\"}, \"targets\": []}",
		     "cfg.json:1:35: duplicate host \"A.test\" (first at 1:14)");
}

/* ---- the environment and secrets ---- */

static void test_expand_env(void **state)
{
	char *s;

	setenv("ISITDOWN_TEST_KEY", "sekrit", 1);
	setenv("ISITDOWN_TEST_ORG", "org-1", 1);
	setenv("ISITDOWN_TEST_EMPTY", "", 1);
	unsetenv("ISITDOWN_TEST_UNSET");

	s = config_expand_env("Bearer ${ISITDOWN_TEST_KEY}");
	assert_string_equal(s, "Bearer sekrit");
	free(s);
	s = config_expand_env("${ISITDOWN_TEST_KEY}/${ISITDOWN_TEST_ORG}!");
	assert_string_equal(s, "sekrit/org-1!");
	free(s);
	s = config_expand_env("plain $HOME and $ and ${} and ${1x}");
	assert_string_equal(s, "plain $HOME and $ and ${} and ${1x}");
	free(s);
	s = config_expand_env("");
	assert_string_equal(s, "");
	free(s);
	assert_null(config_expand_env("Bearer ${ISITDOWN_TEST_UNSET}"));
	assert_null(config_expand_env("Bearer ${ISITDOWN_TEST_EMPTY}"));
	assert_null(config_expand_env("${ISITDOWN_TEST_KEY}${ISITDOWN_TEST_UNSET}"));
	assert_null(config_expand_env(NULL));

	/* a variable must not be able to add a header */
	setenv("ISITDOWN_TEST_KEY", "x\r\nHost: evil", 1);
	assert_null(config_expand_env("Bearer ${ISITDOWN_TEST_KEY}"));
	unsetenv("ISITDOWN_TEST_KEY");
	unsetenv("ISITDOWN_TEST_ORG");
	unsetenv("ISITDOWN_TEST_EMPTY");
}

static void test_target_has_key(void **state)
{
	struct config *c = parse_ok(TGT("\"url\": \"https://x.test/\", \"headers\": "
					"{\"Authorization\": \"Bearer ${ISITDOWN_TEST_K1}\", "
					"\"X-Org\": \"${ISITDOWN_TEST_K2}\", \"Accept\": \"*/*\"}"));
	struct config *plain = parse_ok(TGT("\"url\": \"https://x.test/\", \"headers\": {\"Accept\": \"*/*\"}"));
	const struct target *t = &c->targets[0];

	unsetenv("ISITDOWN_TEST_K1");
	unsetenv("ISITDOWN_TEST_K2");
	assert_false(config_target_has_key(t));
	setenv("ISITDOWN_TEST_K1", "k", 1);
	assert_false(config_target_has_key(t));
	setenv("ISITDOWN_TEST_K2", "", 1);
	assert_false(config_target_has_key(t));
	setenv("ISITDOWN_TEST_K2", "o", 1);
	assert_true(config_target_has_key(t));
	/* no variable referenced: no key configured */
	assert_false(config_target_has_key(&plain->targets[0]));
	unsetenv("ISITDOWN_TEST_K1");
	unsetenv("ISITDOWN_TEST_K2");
	config_free(c);
	config_free(plain);
}

static void test_header_is_secret(void **state)
{
	static const struct {
		const char *name, *value;
		bool secret, literal;
	} cases[] = {
		{"Authorization", "Bearer ${OPENAI_API_KEY}", true, false},
		{"Authorization", "Bearer " LEAK, true, true},
		{"authorization", "Basic dXNlcjpwYXNz", true, true},
		{"x-api-key", "${ANTHROPIC_API_KEY}", true, false},
		{"x-api-key", LEAK, true, true},
		{"Cookie", "session=abc", true, true},
		{"X-Auth-Token", "abc", true, true},
		{"X-Org", "${ORG}", true, false},
		{"X-Custom", "Bearer abc", false, true},
		{"Accept", "application/json", false, false},
		{"anthropic-version", "2023-06-01", false, false},
		{"User-Agent", "isitdown", false, false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct header_kv h = {(char *)cases[i].name, (char *)cases[i].value};
		if (config_header_is_secret(&h) != cases[i].secret)
			fail_msg("%s: %s: is_secret wrong", cases[i].name, cases[i].value);
		if (config_header_has_literal_secret(&h) != cases[i].literal)
			fail_msg("%s: %s: has_literal_secret wrong", cases[i].name, cases[i].value);
	}
	assert_false(config_header_is_secret(NULL));
}

static void test_masking_in_json(void **state)
{
	struct config *c = parse_ok(
		"{\"targets\": [\n"
		" {\"name\": \"a\", \"url\": \"https://user:" LEAK "@x.test/\",\n"
		"  \"proxy\": \"http://bob:" LEAK "@proxy.test:3128\",\n"
		"  \"headers\": {\"Authorization\": \"Bearer " LEAK "\", \"x-api-key\": \"" LEAK "\",\n"
		"              \"X-Trace\": \"Bearer " LEAK "\", \"Accept\": \"application/json\",\n"
		"              \"X-Key\": \"${ISITDOWN_TEST_KEY}\"}},\n"
		" {\"name\": \"b\", \"url\": \"https://x.test/\", \"proxy\": \"socks5h://" LEAK "@proxy.test:1080\"},\n"
		" {\"name\": \"s\", \"kind\": \"statuspage\", \"url\": \"https://x.test/s.json\",\n"
		"  \"components_url\": \"https://" LEAK "@x.test/c.json\"}\n"
		"]}\n");
	char *out;

	setenv("ISITDOWN_TEST_KEY", LEAK, 1);
	out = print_config(c);
	assert_null(strstr(out, LEAK));
	assert_null(strstr(out, "LEAKCHECK"));
	assert_non_null(strstr(out, "\"Authorization\":\t\"****\""));
	assert_non_null(strstr(out, "\"x-api-key\":\t\"****\""));
	assert_non_null(strstr(out, "\"X-Trace\":\t\"****\""));
	assert_non_null(strstr(out, "\"X-Key\":\t\"${ISITDOWN_TEST_KEY}\""));
	assert_non_null(strstr(out, "\"Accept\":\t\"application/json\""));
	assert_non_null(strstr(out, "\"https://user:****@x.test/\""));
	assert_non_null(strstr(out, "\"http://bob:****@proxy.test:3128\""));
	assert_non_null(strstr(out, "\"socks5h://****@proxy.test:1080\""));
	assert_non_null(strstr(out, "\"https://****@x.test/c.json\""));
	assert_true(config_has_literal_secret(c));
	free(out);
	unsetenv("ISITDOWN_TEST_KEY");
	/* the config itself is untouched: the probe still sends the real value */
	assert_string_equal(find_header(&c->targets[0], "x-api-key"), LEAK);
	config_free(c);
}

static void test_json_shows_templates(void **state)
{
	char err[256];
	struct config *c = config_load_preset("openai", err, sizeof(err));
	char *out;

	setenv("OPENAI_API_KEY", LEAK, 1);
	out = print_config(c);
	assert_null(strstr(out, LEAK));
	assert_non_null(strstr(out, "\"Authorization\":\t\"Bearer ${OPENAI_API_KEY}\""));
	assert_non_null(strstr(out, "\"slow_ms\":\t300"));
	assert_non_null(strstr(out, "\"body_cap\":\t1048576"));
	assert_false(config_has_literal_secret(c));
	free(out);
	unsetenv("OPENAI_API_KEY");
	config_free(c);
}

static void test_mask_url(void **state)
{
	static const char *const cases[][2] = {
		{"http://proxy.test:3128", "http://proxy.test:3128"},
		{"http://u:p@proxy.test:3128", "http://u:****@proxy.test:3128"},
		{"https://tok@h.test/p?q=a@b", "https://****@h.test/p?q=a@b"},
		{"u:p@proxy.test:3128", "u:****@proxy.test:3128"},
		{"file:///tmp/a@b.json", "file:///tmp/a@b.json"},
		{"", ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *m = config_mask_url(cases[i][0]);
		assert_string_equal(m, cases[i][1]);
		free(m);
	}
	assert_null(config_mask_url(NULL));
}

/* ---- files ---- */

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
	strcpy(tmpdir, "/tmp/test_config.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmpdir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_load_file(void **state)
{
	char path[128], ca[128], want[512], err[512];
	struct config *c;

	snprintf(path, sizeof(path), "%s/cfg.json", tmpdir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", tmpdir);
	write_file(ca, "not really a certificate\n", 0644);

	/* a relative ca_file is found next to the config file, whatever the cwd */
	write_file(path, "{\"ca_file\": \"ca.pem\", \"targets\": [{\"name\": \"a\", \"url\": \"https://x.test/\"}]}\n",
		   0644);
	c = config_load_file(path, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_string_equal(c->ca_file, ca);
	assert_string_equal(c->targets[0].ca_file, ca);
	assert_string_equal(c->source, path);
	config_free(c);

	write_file(path, "{\"targets\": [{\"name\": \"a\", \"url\": \"https://x.test/\",\n"
		   "  \"ca_file\": \"missing.pem\"}]}\n", 0644);
	assert_null(config_load_file(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:2:14: cannot read ca_file \"%s/missing.pem\" in target \"a\": "
		 "No such file or directory", path, tmpdir);
	assert_string_equal(err, want);

	write_file(path, "{\n  \"targets\": [\n    {\"name\": \"a\", \"urll\": \"x\"}\n  ]\n}\n", 0644);
	assert_null(config_load_file(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:3:19: unknown key \"urll\" in target \"a\"", path);
	assert_string_equal(err, want);

	snprintf(path, sizeof(path), "%s/nope.json", tmpdir);
	assert_null(config_load_file(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	assert_string_equal(err, want);

	assert_null(config_load_file(tmpdir, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmpdir);
	assert_string_equal(err, want);
}

static void test_permissions(void **state)
{
	char path[128], warn[512] = "", want[512];
	struct config *c;

	snprintf(path, sizeof(path), "%s/secret.json", tmpdir);
	write_file(path, TGT("\"url\": \"https://x.test/\", \"headers\": {\"Authorization\": \"Bearer " LEAK "\"}"),
		   0644);
	c = config_load_file(path, warn, sizeof(warn));
	assert_non_null(c);
	assert_int_equal(config_check_permissions(c, path, warn, sizeof(warn)), 1);
	snprintf(want, sizeof(want), "%s holds a literal credential and is readable by others: run "
		 "chmod 600 %s, or take the key from the environment with ${VAR}", path, path);
	assert_string_equal(warn, want);
	assert_null(strstr(warn, LEAK));
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(config_check_permissions(c, path, warn, sizeof(warn)), 1);
	assert_non_null(strstr(warn, "readable by its group"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(config_check_permissions(c, path, warn, sizeof(warn)), 0);
	config_free(c);

	/* no literal credential: a readable file is fine */
	write_file(path, TGT("\"url\": \"https://x.test/\", \"headers\": {\"Authorization\": \"Bearer ${K}\"}"),
		   0644);
	c = config_load_file(path, warn, sizeof(warn));
	assert_non_null(c);
	assert_int_equal(config_check_permissions(c, path, warn, sizeof(warn)), 0);
	config_free(c);
}

#define LLM_T(extra) "{\"targets\": [{\"name\": \"m\", \"kind\": \"llm\", \"url\": \"https://api.example/v1/chat/completions\", " extra "}]}"

static void test_llm_target(void **state)
{
	struct config *c = parse_ok(LLM_T("\"api\": \"openai-chat\", \"model\": \"gpt-4o-mini\", "
					  "\"headers\": {\"Authorization\": \"Bearer ${ISITDOWN_TEST_LLM_KEY}\"}"));
	const struct target *t = &c->targets[0];
	char needs[64];

	assert_int_equal(t->kind, TARGET_LLM);
	assert_int_equal(t->api, LLM_API_OPENAI_CHAT);
	assert_string_equal(t->model, "gpt-4o-mini");
	assert_string_equal(t->prompt, CONFIG_LLM_PROMPT);
	assert_int_equal(t->max_tokens, CONFIG_LLM_MAX_TOKENS);
	assert_true(t->interval_s == CONFIG_LLM_INTERVAL_S);
	assert_true(t->stall_s == CONFIG_LLM_STALL_S);
	assert_true(t->slow_ms == CONFIG_LLM_SLOW_MS);
	assert_int_equal(t->body_cap, CONFIG_LLM_BODY_CAP);
	assert_string_equal(t->method, "POST");
	unsetenv("ISITDOWN_TEST_LLM_KEY");
	assert_string_equal(config_target_needs(t, needs, sizeof(needs)), "needs ISITDOWN_TEST_LLM_KEY");
	setenv("ISITDOWN_TEST_LLM_KEY", "sk-1", 1);
	assert_string_equal(config_target_needs(t, needs, sizeof(needs)), "");
	unsetenv("ISITDOWN_TEST_LLM_KEY");
	config_free(c);

	c = parse_ok(LLM_T("\"api\": \"anthropic-messages\", \"model\": \"c\", \"interval_s\": 60, \"max_tokens\": 3, "
			   "\"prompt\": \"hi\", \"stall_s\": 2.5"));
	t = &c->targets[0];
	assert_int_equal(t->api, LLM_API_ANTHROPIC_MESSAGES);
	assert_true(t->interval_s == 60);
	assert_int_equal(t->max_tokens, 3);
	assert_string_equal(t->prompt, "hi");
	assert_true(t->stall_s == 2.5);
	assert_string_equal(config_target_needs(t, needs, sizeof(needs)), "needs an API key header");
	config_free(c);

	expect_error(LLM_T("\"api\": \"openai-chat\", \"model\": \"x\", \"interval_s\": 59"),
		     "cfg.json:1:143: interval_s in target \"m\" must be at least 60 seconds: each probe is a paid request");
	expect_error(LLM_T("\"model\": \"x\""), "cfg.json:1:14: missing key \"api\" in target \"m\"");
	expect_error(LLM_T("\"api\": \"openai-chat\""), "cfg.json:1:14: missing key \"model\" in target \"m\"");
	expect_error(LLM_T("\"api\": \"gemini\", \"model\": \"x\""),
		     "cfg.json:1:100: api in target \"m\" must be \"openai-chat\", \"openai-responses\" or \"anthropic-messages\"");
	expect_error(LLM_T("\"api\": \"openai-chat\", \"model\": \"x\", \"max_tokens\": 0"),
		     "cfg.json:1:143: max_tokens in target \"m\" must be an integer from 1 to 4096");
	expect_error(LLM_T("\"api\": \"openai-chat\", \"model\": \"x\", \"body\": \"x\""),
		     "cfg.json:1:129: key \"body\" does not apply to kind llm in target \"m\"");
}

static void test_llm_target_prints_back(void **state)
{
	struct config *c = parse_ok(LLM_T("\"api\": \"openai-responses\", \"model\": \"gpt\", "
					  "\"headers\": {\"Authorization\": \"Bearer ${OPENAI_API_KEY}\"}"));
	cJSON *j = config_to_json(c);
	char *text = cJSON_Print(j);
	struct config *back = parse_ok(text);

	assert_int_equal(back->targets[0].api, LLM_API_OPENAI_RESPONSES);
	assert_string_equal(back->targets[0].model, "gpt");
	assert_true(back->targets[0].interval_s == CONFIG_LLM_INTERVAL_S);
	config_free(back);
	cJSON_free(text);
	cJSON_Delete(j);
	config_free(c);
}

static void test_names(void **state)
{
	assert_string_equal(target_kind_name(TARGET_HTTP), "http");
	assert_string_equal(target_kind_name(TARGET_DNS), "dns");
	assert_string_equal(target_kind_name(TARGET_TCP), "tcp");
	assert_string_equal(target_kind_name(TARGET_STATUSPAGE), "statuspage");
	assert_string_equal(target_role_name(TARGET_ROLE_SERVICE), "service");
	assert_string_equal(target_role_name(TARGET_ROLE_CONTROL), "control");
	assert_string_equal(target_ip_family_name(IP_FAMILY_AUTO), "auto");
	assert_string_equal(target_ip_family_name(IP_FAMILY_V4), "v4");
	assert_string_equal(target_ip_family_name(IP_FAMILY_V6), "v6");
	config_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets_all_load),
		cmocka_unit_test(test_preset_openai),
		cmocka_unit_test(test_preset_anthropic_github),
		cmocka_unit_test(test_preset_ai_providers),
		cmocka_unit_test(test_presets_round_trip),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_nulls_mean_unset),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_syntax_error_lines),
		cmocka_unit_test(test_top_level_errors),
		cmocka_unit_test(test_metrics_addresses),
		cmocka_unit_test(test_unknown_target_key),
		cmocka_unit_test(test_target_errors),
		cmocka_unit_test(test_port_errors),
		cmocka_unit_test(test_key_does_not_apply),
		cmocka_unit_test(test_expect_status_errors),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_expand_env),
		cmocka_unit_test(test_target_has_key),
		cmocka_unit_test(test_header_is_secret),
		cmocka_unit_test(test_masking_in_json),
		cmocka_unit_test(test_json_shows_templates),
		cmocka_unit_test(test_mask_url),
		cmocka_unit_test_setup_teardown(test_load_file, setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_permissions, setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test(test_llm_target),
		cmocka_unit_test(test_preset_model_probes),
		cmocka_unit_test(test_llm_target_prints_back),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
