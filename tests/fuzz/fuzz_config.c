/* fuzz_config.c: the config file (config_parse).
 *
 * The input is the file. Besides not crashing: a rejected file gets one
 * printable line saying where and why; an accepted one prints
 * (config_to_json) as a file config_parse accepts back, which prints the
 * same again, and the questions the probes ask of it have answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "fuzz_util.h"

static char *print_config(const struct config *cfg)
{
	cJSON *json = config_to_json(cfg);
	char *text;

	FUZZ_ASSERT(json != NULL);
	text = cJSON_PrintUnformatted(json);
	FUZZ_ASSERT(text != NULL);
	cJSON_Delete(json);
	return text;
}

static void check_config(const struct config *cfg)
{
	FUZZ_ASSERT(cfg->service != NULL && cfg->source != NULL);
	FUZZ_ASSERT(cfg->n_targets == 0 || cfg->targets != NULL);
	config_has_literal_secret(cfg);
	for (size_t i = 0; i < cfg->n_resolve; i++) {
		const char *a = config_resolve_lookup(cfg, cfg->resolve[i].host);

		FUZZ_ASSERT(a != NULL);
	}
	config_resolve_lookup(cfg, "api.openai.com.");
	for (size_t i = 0; i < cfg->n_targets; i++) {
		const struct target *t = &cfg->targets[i];

		FUZZ_ASSERT(t->name != NULL);
		FUZZ_ASSERT(t->n_expect <= CONFIG_MAX_EXPECT);
		FUZZ_ASSERT(t->n_expect_with_key <= CONFIG_MAX_EXPECT);
		FUZZ_ASSERT(target_kind_name(t->kind) != NULL);
		FUZZ_ASSERT(target_role_name(t->role) != NULL);
		FUZZ_ASSERT(target_ip_family_name(t->ip_family) != NULL);
		config_target_has_key(t);
		if (t->url) {
			char *masked = config_mask_url(t->url);

			FUZZ_ASSERT(masked != NULL);
			free(masked);
		}
		for (size_t h = 0; h < t->n_headers; h++) {
			char *v;

			config_header_is_secret(&t->headers[h]);
			config_header_has_literal_secret(&t->headers[h]);
			/* no variable is set here, so a template expands to nothing */
			v = config_expand_env(t->headers[h].value);
			if (v) {
				FUZZ_ASSERT(strchr(v, '\n') == NULL && strchr(v, '\r') == NULL);
				free(v);
			}
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* ${VAR} in headers must not find anything from the fuzzer's environment */
	clearenv();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct config *cfg, *again;
	char *text, *text_again;

	cfg = config_parse((const char *)data, size, "fuzz.json", err, sizeof(err));
	if (!cfg) {
		FUZZ_MESSAGE(err);
		return 0;
	}
	check_config(cfg);

	text = print_config(cfg);
	again = config_parse(text, strlen(text), "printed.json", err, sizeof(err));
	if (!again) {
		fprintf(stderr, "printed config rejected: %s\n%s\n", err, text);
		FUZZ_ASSERT(again != NULL);
	}
	text_again = print_config(again);
	if (strcmp(text, text_again) != 0) {
		fprintf(stderr, "printed twice, differs:\n%s\n%s\n", text, text_again);
		FUZZ_ASSERT(strcmp(text, text_again) == 0);
	}
	free(text_again);
	config_free(again);
	free(text);
	config_free(cfg);
	return 0;
}
