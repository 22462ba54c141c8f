/* config_print.c: the effective config as JSON (config_to_json).
 *
 * Builds a cJSON tree from a struct config that the caller owns and only
 * reads here; the tree belongs to the caller. The shape is the file format with
 * every default filled in, so config_parse accepts the output back (the fuzz
 * target checks it). Credentials written out in the file are masked here; ${VAR}
 * templates are printed as written, since they hold no secret. */
#include "config.h"
#include "config_secret.h"

#include <stdlib.h>

static void add_string_or_null(cJSON *obj, const char *key, const char *value)
{
	if (value != NULL)
		cJSON_AddStringToObject(obj, key, value);
	else
		cJSON_AddNullToObject(obj, key);
}

static void add_url(cJSON *obj, const char *key, const char *url)
{
	char *masked = url ? config_mask_url(url) : NULL;

	/* out of memory: print nothing rather than the unmasked URL */
	if (url != NULL && masked == NULL)
		return;
	add_string_or_null(obj, key, masked);
	free(masked);
}

static void add_statuses(cJSON *obj, const char *key, const int *codes, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, key);

	for (size_t i = 0; i < n && arr != NULL; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(codes[i]));
}

static cJSON *target_to_json(const struct target *t)
{
	cJSON *o = cJSON_CreateObject();
	bool web = t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE || t->kind == TARGET_LLM;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "name", t->name);
	cJSON_AddStringToObject(o, "kind", target_kind_name(t->kind));
	if (web) {
		add_url(o, "url", t->url);
	} else {
		cJSON_AddStringToObject(o, "host", t->host);
		if (t->kind == TARGET_TCP)
			cJSON_AddNumberToObject(o, "port", t->port);
	}
	if (t->kind == TARGET_HTTP)
		cJSON_AddStringToObject(o, "method", t->method);
	if (t->kind == TARGET_LLM) {
		cJSON_AddStringToObject(o, "api", llm_api_name(t->api));
		cJSON_AddStringToObject(o, "model", t->model);
		cJSON_AddStringToObject(o, "prompt", t->prompt);
		cJSON_AddNumberToObject(o, "max_tokens", t->max_tokens);
		cJSON_AddNumberToObject(o, "stall_s", t->stall_s);
	}
	if (web) {
		cJSON *h = cJSON_AddObjectToObject(o, "headers");
		for (size_t i = 0; i < t->n_headers && h != NULL; i++) {
			const struct header_kv *kv = &t->headers[i];
			cJSON_AddStringToObject(h, kv->name,
						config_header_has_literal_secret(kv) ? "****" : kv->value);
		}
	}
	if (t->kind == TARGET_HTTP) {
		add_statuses(o, "expect_status", t->expect_status, t->n_expect);
		add_statuses(o, "expect_status_with_key", t->expect_status_with_key, t->n_expect_with_key);
		add_string_or_null(o, "body_contains", t->body_contains);
		if (t->body && t->body_is_json)
			cJSON_AddItemToObject(o, "body", cJSON_Parse(t->body));
		else
			add_string_or_null(o, "body", t->body);
		if (t->n_json_expect > 0) {
			cJSON *je = cJSON_AddObjectToObject(o, "json_expect");

			for (size_t i = 0; je && i < t->n_json_expect; i++)
				cJSON_AddItemToObject(je, t->json_expect[i].path, cJSON_Parse(t->json_expect[i].value_json));
		}
	}
	add_string_or_null(o, "component", t->component);
	cJSON_AddStringToObject(o, "role", target_role_name(t->role));
	cJSON_AddStringToObject(o, "ip_family", target_ip_family_name(t->ip_family));
	if (web)
		add_url(o, "proxy", t->proxy);
	cJSON_AddNumberToObject(o, "interval_s", t->interval_s);
	cJSON_AddNumberToObject(o, "timeout_s", t->timeout_s);
	cJSON_AddNumberToObject(o, "slow_ms", t->slow_ms);
	if (web) {
		cJSON_AddNumberToObject(o, "body_cap", (double)t->body_cap);
		cJSON_AddBoolToObject(o, "reuse_connection", t->reuse_connection);
	}
	if (t->kind == TARGET_HTTP || t->kind == TARGET_TCP)
		cJSON_AddBoolToObject(o, "differential", t->differential);
	if (t->kind == TARGET_STATUSPAGE)
		add_url(o, "components_url", t->status_components_url);
	if (web)
		add_string_or_null(o, "ca_file", t->ca_file);
	return o;
}

cJSON *config_to_json(const struct config *cfg)
{
	cJSON *root, *resolve, *targets;

	if (cfg == NULL)
		return NULL;
	root = cJSON_CreateObject();
	if (root == NULL)
		return NULL;
	cJSON_AddStringToObject(root, "service", cfg->service);
	if (cfg->group)
		cJSON_AddStringToObject(root, "group", cfg->group);
	cJSON_AddNumberToObject(root, "interval_s", cfg->interval_s);
	cJSON_AddNumberToObject(root, "timeout_s", cfg->timeout_s);
	add_string_or_null(root, "theme", cfg->theme);
	add_string_or_null(root, "metrics", cfg->metrics);
	cJSON_AddBoolToObject(root, "bell", cfg->bell);
	cJSON_AddBoolToObject(root, "notify", cfg->notify);
	add_string_or_null(root, "on_change", cfg->on_change);
	resolve = cJSON_AddObjectToObject(root, "resolve");
	for (size_t i = 0; i < cfg->n_resolve && resolve != NULL; i++)
		cJSON_AddStringToObject(resolve, cfg->resolve[i].host, cfg->resolve[i].address);
	add_string_or_null(root, "ca_file", cfg->ca_file);
	targets = cJSON_AddArrayToObject(root, "targets");
	for (size_t i = 0; i < cfg->n_targets && targets != NULL; i++)
		cJSON_AddItemToArray(targets, target_to_json(&cfg->targets[i]));
	return root;
}
