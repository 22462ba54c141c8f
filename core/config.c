/* config.c: loading a configuration: which keys exist where, and the defaults.
 *
 * A struct config is built here from JSON text (a file or a built-in preset) and
 * handed to the caller, who owns it until config_free; the scheduler and the
 * probes only read it. Every string in it is a private copy.
 *
 * The text is read by jsonpos (a strict scanner beside cJSON), which gives each
 * key and value its position; validation walks the cJSON tree and the position
 * tree side by side, so each message names the FILE:LINE:COL of the key or value
 * at fault. The keys of a target are one table; checking each kind of value is
 * in config_value.c, secrets (${VAR} templates, masking, the permission check)
 * in config_secret.c, printing in config_print.c. */
#include "config.h"
#include "config_internal.h"
#include "config_preset.h"
#include "config_secret.h"
#include "config_value.h"
#include "jsonpath.h"
#include "jsonpos.h"
#include "metrics_server.h"
#include "presets.h"
#include "readfile.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_INTERVAL_S 10.0
#define DEFAULT_TIMEOUT_S 8.0
#define STATUSPAGE_MIN_INTERVAL_S 60.0
#define MAX_SLOW_MS 86400000.0
#define MAX_BODY_CAP (1024.0 * 1024 * 1024)
#define MAX_FILE_SIZE (4 * 1024 * 1024)
#define UNSET (-1.0)

static const char *const kind_names[] = {"http", "dns", "tcp", "statuspage", "llm"};
static const char *const llm_api_names[] = {"openai-chat", "openai-responses", "anthropic-messages"};

_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == TARGET_KIND_COUNT, "a kind without a name");
_Static_assert(sizeof(llm_api_names) / sizeof(llm_api_names[0]) == LLM_API_COUNT, "an api without a name");

/* ---- the keys of a target ------------------------------------------------ */

/* Each takes the member it into t, or says what is wrong with it. */
typedef int (*take_fn)(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t);

static int take_taken_first(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return 0; /* name and kind: parse_target takes them before the others */
}

static int take_t_url(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_url(c, it, ip, &t->url);
}

static int take_t_host(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_host(c, it, ip, &t->host);
}

static int take_t_port(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	if (!cJSON_IsNumber(it) || !config_is_integer_in(it->valuedouble, 1, 65535))
		return config_failf(c, ip->val_off, "port%s must be an integer from 1 to 65535", c->where);
	t->port = (int)it->valuedouble;
	return 0;
}

static int take_t_method(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	if (!cJSON_IsString(it))
		return config_failf(c, ip->val_off, "method%s must be a string", c->where);
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT"};

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (strcasecmp(it->valuestring, methods[i]) == 0) {
			free(t->method);
			t->method = strdup(methods[i]);
			return t->method ? 0 : config_failf(c, ip->val_off, "out of memory");
		}
	}
	return config_failf(c, ip->val_off, "method%s must be GET, HEAD, POST or PUT", c->where);
}

/* A string is sent as it is; any other JSON value as JSON. */
static int take_t_body(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	free(t->body);
	t->body = NULL;
	if (cJSON_IsNull(it))
		return 0;
	if (cJSON_IsString(it)) {
		t->body = strdup(it->valuestring);
		t->body_is_json = false;
	} else {
		t->body = cJSON_PrintUnformatted(it);
		t->body_is_json = true;
	}
	return t->body ? 0 : config_failf(c, ip->val_off, "out of memory");
}

static int take_t_json_expect(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip,
			      struct target *t)
{
	const cJSON *e;
	size_t n = 0;
	char q[128];

	if (!cJSON_IsObject(it))
		return config_failf(c, ip->val_off, "json_expect%s must be an object of paths and values", c->where);
	t->json_expect = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof(*t->json_expect));
	if (!t->json_expect)
		return config_failf(c, ip->val_off, "out of memory");
	cJSON_ArrayForEach(e, it) {
		const struct jsonpos *ep = jsonpos_kid(ip, n);

		if (!jsonpath_valid(e->string))
			return config_failf(c, jsonpos_key_off(ep), "json_expect%s: %s is not a path like "
					    "\"data[0].status\"", c->where, jsonpos_quote(e->string, q, sizeof(q)));
		t->json_expect[n].path = strdup(e->string);
		t->json_expect[n].value_json = cJSON_PrintUnformatted(e);
		t->n_json_expect = ++n;
		if (!t->json_expect[n - 1].path || !t->json_expect[n - 1].value_json)
			return config_failf(c, ep->val_off, "out of memory");
	}
	return 0;
}

static int take_t_expect(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_statuses(c, it, ip, t->expect_status, &t->n_expect);
}

static int take_t_expect_with_key(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip,
				  struct target *t)
{
	return config_take_statuses(c, it, ip, t->expect_status_with_key, &t->n_expect_with_key);
}

static int take_t_body_contains(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip,
				struct target *t)
{
	return config_take_string(c, it, ip, true, &t->body_contains);
}

static int take_t_component(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_string(c, it, ip, true, &t->component);
}

static int take_t_role(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	if (cJSON_IsString(it) && strcmp(it->valuestring, "service") == 0)
		t->role = TARGET_ROLE_SERVICE;
	else if (cJSON_IsString(it) && strcmp(it->valuestring, "control") == 0)
		t->role = TARGET_ROLE_CONTROL;
	else
		return config_failf(c, ip->val_off, "role%s must be \"service\" or \"control\"", c->where);
	return 0;
}

static int take_t_ip_family(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	const char *v = cJSON_IsString(it) ? it->valuestring : "";

	if (strcmp(v, "auto") == 0)
		t->ip_family = IP_FAMILY_AUTO;
	else if (strcmp(v, "v4") == 0)
		t->ip_family = IP_FAMILY_V4;
	else if (strcmp(v, "v6") == 0)
		t->ip_family = IP_FAMILY_V6;
	else
		return config_failf(c, ip->val_off, "ip_family%s must be \"auto\", \"v4\" or \"v6\"", c->where);
	return 0;
}

static int take_t_proxy(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_proxy(c, it, ip, &t->proxy);
}

static int take_t_interval(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_interval(c, it, ip, &t->interval_s);
}

static int take_t_timeout(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_timeout(c, it, ip, &t->timeout_s);
}

static int take_t_slow_ms(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	if (config_take_number(c, it, ip, &t->slow_ms) < 0)
		return -EINVAL;
	if (!(t->slow_ms > 0 && t->slow_ms <= MAX_SLOW_MS))
		return config_failf(c, ip->val_off, "slow_ms%s must be more than 0 and at most 86400000", c->where);
	return 0;
}

static int take_t_body_cap(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	if (!cJSON_IsNumber(it) || !config_is_integer_in(it->valuedouble, 1, MAX_BODY_CAP))
		return config_failf(c, ip->val_off, "body_cap%s must be an integer from 1 to 1073741824", c->where);
	t->body_cap = (size_t)it->valuedouble;
	return 0;
}

static int take_t_reuse(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_bool(c, it, ip, &t->reuse_connection);
}

static int take_t_differential(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip,
			       struct target *t)
{
	return config_take_bool(c, it, ip, &t->differential);
}

static int take_t_components_url(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip,
				 struct target *t)
{
	if (cJSON_IsNull(it))
		return 0;
	return config_take_url(c, it, ip, &t->status_components_url);
}

static int take_t_ca_file(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_ca_file(c, it, ip, &t->ca_file);
}

static int take_t_api(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	for (size_t a = 0; cJSON_IsString(it) && a < LLM_API_COUNT; a++) {
		if (strcmp(it->valuestring, llm_api_names[a]) == 0) {
			t->api = (enum llm_api)a;
			return 0;
		}
	}
	return config_failf(c, ip->val_off, "api%s must be \"openai-chat\", \"openai-responses\" or "
			    "\"anthropic-messages\"", c->where);
}

static int take_t_model(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_string(c, it, ip, false, &t->model);
}

static int take_t_prompt(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	free(t->prompt);
	t->prompt = NULL;
	return config_take_string(c, it, ip, false, &t->prompt);
}

static int take_t_max_tokens(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	if (!cJSON_IsNumber(it) || !config_is_integer_in(it->valuedouble, 1, 4096))
		return config_failf(c, ip->val_off, "max_tokens%s must be an integer from 1 to 4096", c->where);
	t->max_tokens = (int)it->valuedouble;
	return 0;
}

static int take_t_stall_s(struct config_ctx *c, const cJSON *it, const struct jsonpos *ip, struct target *t)
{
	return config_take_timeout(c, it, ip, &t->stall_s);
}

/* Which kinds each key applies to. */
#define K_HTTP (1u << TARGET_HTTP)
#define K_DNS (1u << TARGET_DNS)
#define K_TCP (1u << TARGET_TCP)
#define K_SP (1u << TARGET_STATUSPAGE)
#define K_LLM (1u << TARGET_LLM)
#define K_ALL (K_HTTP | K_DNS | K_TCP | K_SP | K_LLM)

static const struct target_key {
	const char *key;
	unsigned kinds;
	take_fn take;
} target_keys[] = {
	{"name", K_ALL, take_taken_first},
	{"kind", K_ALL, take_taken_first},
	{"url", K_HTTP | K_SP | K_LLM, take_t_url},
	{"host", K_DNS | K_TCP, take_t_host},
	{"port", K_TCP, take_t_port},
	{"method", K_HTTP, take_t_method},
	{"headers", K_HTTP | K_SP | K_LLM, config_take_headers},
	{"expect_status", K_HTTP, take_t_expect},
	{"expect_status_with_key", K_HTTP, take_t_expect_with_key},
	{"body_contains", K_HTTP, take_t_body_contains},
	{"body", K_HTTP, take_t_body},
	{"json_expect", K_HTTP, take_t_json_expect},
	{"component", K_ALL, take_t_component},
	{"role", K_ALL, take_t_role},
	{"ip_family", K_ALL, take_t_ip_family},
	{"proxy", K_HTTP | K_SP | K_LLM, take_t_proxy},
	{"interval_s", K_ALL, take_t_interval},
	{"timeout_s", K_ALL, take_t_timeout},
	{"slow_ms", K_ALL, take_t_slow_ms},
	{"body_cap", K_HTTP | K_SP | K_LLM, take_t_body_cap},
	{"reuse_connection", K_HTTP | K_SP | K_LLM, take_t_reuse},
	{"differential", K_HTTP | K_TCP, take_t_differential},
	{"components_url", K_SP, take_t_components_url},
	{"ca_file", K_HTTP | K_SP | K_LLM, take_t_ca_file},
	{"api", K_LLM, take_t_api},
	{"model", K_LLM, take_t_model},
	{"prompt", K_LLM, take_t_prompt},
	{"max_tokens", K_LLM, take_t_max_tokens},
	{"stall_s", K_LLM, take_t_stall_s},
};

static const struct target_key *target_key_find(const char *key)
{
	for (size_t k = 0; k < sizeof(target_keys) / sizeof(target_keys[0]); k++) {
		if (strcmp(target_keys[k].key, key) == 0)
			return &target_keys[k];
	}
	return NULL;
}

/* What an llm target needs beyond the keys each checked alone. */
static int parse_llm_target(struct config_ctx *c, const cJSON *obj, const struct jsonpos *p, struct target *t)
{
	const cJSON *it;
	const struct jsonpos *ip;

	if (!jsonpos_member(obj, p, "api", &it, &ip))
		return config_failf(c, p->val_off, "missing key \"api\"%s", c->where);
	if (t->model == NULL)
		return config_failf(c, p->val_off, "missing key \"model\"%s", c->where);
	if (t->interval_s != UNSET && t->interval_s < CONFIG_LLM_MIN_INTERVAL_S) {
		jsonpos_member(obj, p, "interval_s", &it, &ip);
		return config_failf(c, ip->val_off, "interval_s%s must be at least 60 seconds: each probe is a paid "
				    "request", c->where);
	}
	free(t->method);
	t->method = strdup("POST");
	if (t->prompt == NULL)
		t->prompt = strdup(CONFIG_LLM_PROMPT);
	if (t->method == NULL || t->prompt == NULL)
		return config_failf(c, p->val_off, "out of memory");
	if (!jsonpos_member(obj, p, "body_cap", &it, &ip))
		t->body_cap = CONFIG_LLM_BODY_CAP;
	return 0;
}

static int parse_target(struct config_ctx *c, const cJSON *obj, const struct jsonpos *p, size_t idx, struct target *t)
{
	const cJSON *it;
	const struct jsonpos *ip;
	size_t i = 0;
	char q[128];

	t->kind = TARGET_HTTP;
	t->interval_s = t->timeout_s = t->slow_ms = UNSET;
	t->body_cap = CONFIG_DEFAULT_BODY_CAP;
	t->max_tokens = CONFIG_LLM_MAX_TOKENS;
	t->stall_s = CONFIG_LLM_STALL_S;
	t->method = strdup("GET");
	if (t->method == NULL)
		return config_failf(c, p->val_off, "out of memory");
	snprintf(c->where, sizeof(c->where), " in targets[%zu]", idx);
	if (!cJSON_IsObject(obj))
		return config_failf(c, p->val_off, "targets[%zu] must be an object", idx);

	/* the name first, so that every message can say which target it is about,
	 * and the kind, against which every other key is checked */
	if (jsonpos_member(obj, p, "name", &it, &ip)) {
		if (config_take_string(c, it, ip, false, &t->name) < 0)
			return -EINVAL;
		snprintf(c->where, sizeof(c->where), " in target %s", jsonpos_quote(t->name, q, sizeof(q)));
	}
	if (jsonpos_check_repeats(c->doc, obj, p, false, "key", c->where) < 0)
		return -EINVAL;
	if (jsonpos_member(obj, p, "kind", &it, &ip)) {
		size_t k;
		for (k = 0; k < TARGET_KIND_COUNT; k++) {
			if (cJSON_IsString(it) && strcmp(it->valuestring, kind_names[k]) == 0)
				break;
		}
		if (k == TARGET_KIND_COUNT)
			return config_failf(c, ip->val_off, "kind%s must be \"http\", \"dns\", \"tcp\", \"statuspage\" "
					    "or \"llm\"", c->where);
		t->kind = (enum target_kind)k;
	}

	cJSON_ArrayForEach(it, obj) {
		const struct target_key *tk = target_key_find(it->string);

		ip = jsonpos_kid(p, i++);
		if (tk == NULL)
			return config_failf(c, jsonpos_key_off(ip), "unknown key %s%s",
				     jsonpos_quote(it->string, q, sizeof(q)), c->where);
		if (!(tk->kinds & (1u << t->kind)))
			return config_failf(c, jsonpos_key_off(ip), "key \"%s\" does not apply to kind %s%s", tk->key,
				     kind_names[t->kind], c->where);
		if (tk->take(c, it, ip, t) < 0)
			return -EINVAL;
	}

	if (t->name == NULL)
		return config_failf(c, p->val_off, "missing key \"name\"%s", c->where);
	if (t->kind == TARGET_LLM && parse_llm_target(c, obj, p, t) < 0)
		return -EINVAL;
	if ((t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE || t->kind == TARGET_LLM) && t->url == NULL)
		return config_failf(c, p->val_off, "missing key \"url\"%s", c->where);
	if ((t->kind == TARGET_DNS || t->kind == TARGET_TCP) && t->host == NULL)
		return config_failf(c, p->val_off, "missing key \"host\"%s", c->where);
	if (t->kind == TARGET_TCP && t->port == 0)
		return config_failf(c, p->val_off, "missing key \"port\"%s", c->where);
	if (t->body != NULL && strcmp(t->method, "POST") != 0 && strcmp(t->method, "PUT") != 0) {
		jsonpos_member(obj, p, "body", &it, &ip);
		return config_failf(c, jsonpos_key_off(ip), "body%s needs method POST or PUT", c->where);
	}
	if (t->n_json_expect > 0 && strcmp(t->method, "HEAD") == 0) {
		jsonpos_member(obj, p, "json_expect", &it, &ip);
		return config_failf(c, jsonpos_key_off(ip), "json_expect%s needs an answer with a body, not HEAD",
				    c->where);
	}
	if (t->body_contains != NULL && strcmp(t->method, "HEAD") == 0) {
		jsonpos_member(obj, p, "body_contains", &it, &ip);
		return config_failf(c, jsonpos_key_off(ip), "body_contains%s needs method GET, not HEAD", c->where);
	}
	return 0;
}

/* The address --metrics takes, read by the same parser: an IP literal and a
 * port (0: any free port), or a port alone (loopback). Never a name, which
 * would need a resolver at start and may resolve off loopback. */
static bool valid_metrics_addr(const char *s)
{
	struct sockaddr_storage addr;

	return metrics_server_parse_addr(s, &addr) == 0;
}

static int take_resolve(struct config_ctx *c, const cJSON *obj, const struct jsonpos *p, struct config *cfg)
{
	const cJSON *it;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(obj))
		return config_failf(c, p->val_off, "resolve must be an object of host names and addresses");
	if (jsonpos_check_repeats(c->doc, obj, p, true, "host", c->where) < 0)
		return -EINVAL;
	cfg->resolve = calloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*cfg->resolve));
	if (cfg->resolve == NULL)
		return config_failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		const struct jsonpos *ip = jsonpos_kid(p, i++);
		struct resolve_override *r;
		unsigned char buf[sizeof(struct in6_addr)];
		const char *host = it->string ? it->string : "";

		jsonpos_quote(host, q, sizeof(q));
		if (host[0] == '\0')
			return config_failf(c, jsonpos_key_off(ip), "empty host name in resolve");
		for (const char *s = host; *s; s++) {
			unsigned char ch = (unsigned char)*s;
			if (!isalnum(ch) && ch < 0x80 && strchr(".-_:", ch) == NULL)
				return config_failf(c, jsonpos_key_off(ip), "resolve host %s is not a host name", q);
		}
		if (!cJSON_IsString(it)
		    || (strcmp(it->valuestring, CONFIG_RESOLVE_FAIL) != 0
			&& inet_pton(AF_INET, it->valuestring, buf) != 1
			&& inet_pton(AF_INET6, it->valuestring, buf) != 1))
			return config_failf(c, ip->val_off, "resolve address for %s must be an ip address or \"fail\"",
				     q);
		r = &cfg->resolve[cfg->n_resolve++];
		r->host = strdup(host);
		r->address = strdup(it->valuestring);
		if (r->host == NULL || r->address == NULL)
			return config_failf(c, ip->val_off, "out of memory");
	}
	return 0;
}

int config_parse_targets(struct config_ctx *c, const cJSON *arr, const struct jsonpos *p, struct config *cfg)
{
	const cJSON *it;
	const char **names;
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0, first = 0, repeat = 0;
	int rc;

	if (n == 0)
		return config_failf(c, p->val_off, "targets must not be empty");
	cfg->targets = calloc(n, sizeof(*cfg->targets));
	if (cfg->targets == NULL)
		return config_failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		/* counted first, so that config_free releases a half-built target */
		cfg->n_targets++;
		if (parse_target(c, it, jsonpos_kid(p, i), i, &cfg->targets[i]) < 0)
			return -EINVAL;
		i++;
	}
	c->where[0] = '\0';

	names = calloc(n, sizeof(*names));
	if (names == NULL)
		return config_failf(c, p->val_off, "out of memory");
	for (i = 0; i < n; i++)
		names[i] = cfg->targets[i].name;
	rc = jsonpos_find_repeat(names, n, true, &first, &repeat);
	free(names);
	if (rc < 0)
		return config_failf(c, p->val_off, "out of memory");
	if (rc > 0) {
		const struct jsonpos *ip;
		const cJSON *m;
		unsigned line, col;
		char q[128];
		size_t off1 = p->val_off, off2 = p->val_off;

		if (jsonpos_member(cJSON_GetArrayItem(arr, (int)first), jsonpos_kid(p, first), "name", &m, &ip))
			off1 = ip->val_off;
		if (jsonpos_member(cJSON_GetArrayItem(arr, (int)repeat), jsonpos_kid(p, repeat), "name", &m, &ip))
			off2 = ip->val_off;
		jsonpos_line_col(c->doc, off1, &line, &col);
		return config_failf(c, off2, "duplicate target name %s (first at %u:%u)",
			     jsonpos_quote(cfg->targets[repeat].name, q, sizeof(q)), line, col);
	}
	return 0;
}

static void apply_defaults(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_targets; i++) {
		struct target *t = &cfg->targets[i];

		if (t->interval_s == UNSET && t->kind == TARGET_LLM)
			t->interval_s = CONFIG_LLM_INTERVAL_S;
		if (t->timeout_s == UNSET && t->kind == TARGET_LLM)
			t->timeout_s = CONFIG_LLM_TIMEOUT_S;
		if (t->interval_s == UNSET) {
			/* status pages are polled politely, whatever the probes do */
			t->interval_s = cfg->interval_s;
			if (t->kind == TARGET_STATUSPAGE && t->interval_s < STATUSPAGE_MIN_INTERVAL_S)
				t->interval_s = STATUSPAGE_MIN_INTERVAL_S;
		}
		if (t->timeout_s == UNSET)
			t->timeout_s = cfg->timeout_s;
		if (t->slow_ms == UNSET) {
			switch (t->kind) {
			case TARGET_DNS:
			case TARGET_TCP: t->slow_ms = 300; break;
			case TARGET_HTTP: t->slow_ms = 2000; break;
			case TARGET_STATUSPAGE: t->slow_ms = 3000; break;
			case TARGET_LLM: t->slow_ms = CONFIG_LLM_SLOW_MS; break;
			case TARGET_KIND_COUNT: break;
			}
		}
		if (t->ca_file == NULL && cfg->ca_file != NULL
		    && (t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE || t->kind == TARGET_LLM))
			t->ca_file = strdup(cfg->ca_file);
	}
	if (cfg->service == NULL) {
		/* the title names what is watched: the first service target's component */
		const char *s = cfg->targets[0].name;
		for (size_t i = 0; i < cfg->n_targets; i++) {
			const struct target *t = &cfg->targets[i];
			if (t->role == TARGET_ROLE_SERVICE) {
				s = t->component ? t->component : t->name;
				break;
			}
		}
		cfg->service = strdup(s);
	}
}

/* Settings of the whole run, not of one service. */
static bool once_for_all(const char *key)
{
	static const char *const keys[] = {"metrics", "theme", "bell", "notify", "on_change", "services", "controls"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

int config_parse_root(struct config_ctx *c, const cJSON *root, const struct jsonpos *rp, struct config *cfg)
{
	const cJSON *it, *targets = NULL;
	const struct jsonpos *tp = NULL;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(root))
		return config_failf(c, rp->val_off, "the top level must be an object");
	if (jsonpos_check_repeats(c->doc, root, rp, false, "key", c->where) < 0)
		return -EINVAL;
	cJSON_ArrayForEach(it, root) {
		const struct jsonpos *ip = jsonpos_kid(rp, i++);
		const char *k = it->string;
		int rc;

		if (c->in_service && once_for_all(k)) {
			rc = config_failf(c, jsonpos_key_off(ip), "%s is set once for all services, at the top level",
					  jsonpos_quote(k, q, sizeof(q)));
		} else if (c->set_root && (strcmp(k, "service") == 0 || strcmp(k, "targets") == 0 ||
					   strcmp(k, "preset") == 0 || strcmp(k, "group") == 0)) {
			rc = config_failf(c, jsonpos_key_off(ip), "%s belongs in a service: with \"services\", "
					  "each service has its own", jsonpos_quote(k, q, sizeof(q)));
		} else if (c->set_root && (strcmp(k, "services") == 0 || strcmp(k, "controls") == 0)) {
			if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) == 0)
				rc = config_failf(c, ip->val_off, "%s must be a non-empty array", k);
			else
				rc = 0;
			if (strcmp(k, "services") == 0) {
				c->services = it;
				c->services_pos = ip;
			} else {
				c->controls = it;
				c->controls_pos = ip;
			}
		} else if (strcmp(k, "service") == 0) {
			rc = config_take_string(c, it, ip, false, &cfg->service);
		} else if (strcmp(k, "group") == 0) {
			rc = config_take_string(c, it, ip, true, &cfg->group);
		} else if (strcmp(k, "interval_s") == 0) {
			rc = config_take_interval(c, it, ip, &cfg->interval_s);
		} else if (strcmp(k, "timeout_s") == 0) {
			rc = config_take_timeout(c, it, ip, &cfg->timeout_s);
		} else if (strcmp(k, "theme") == 0) {
			rc = config_take_string(c, it, ip, true, &cfg->theme);
		} else if (strcmp(k, "metrics") == 0) {
			rc = config_take_string(c, it, ip, true, &cfg->metrics);
			if (rc == 0 && cfg->metrics != NULL && !valid_metrics_addr(cfg->metrics))
				rc = config_failf(c, ip->val_off, "metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
		} else if (strcmp(k, "bell") == 0) {
			rc = config_take_bool(c, it, ip, &cfg->bell);
		} else if (strcmp(k, "notify") == 0) {
			rc = config_take_bool(c, it, ip, &cfg->notify);
		} else if (strcmp(k, "on_change") == 0) {
			rc = config_take_string(c, it, ip, true, &cfg->on_change);
		} else if (strcmp(k, "resolve") == 0) {
			rc = take_resolve(c, it, ip, cfg);
		} else if (strcmp(k, "ca_file") == 0) {
			rc = config_take_ca_file(c, it, ip, &cfg->ca_file);
		} else if (strcmp(k, "preset") == 0 && c->base_dir != NULL) {
			/* a file may start from a preset (config_preset.c) */
			if (!cJSON_IsString(it))
				rc = config_failf(c, ip->val_off, "preset must be a preset's name");
			else if ((c->preset = presets_find(it->valuestring)) == NULL) {
				char hint[256];

				presets_hint(hint, sizeof(hint));
				rc = config_failf(c, ip->val_off, "unknown preset %s (try %s)",
						  jsonpos_quote(it->valuestring, q, sizeof(q)), hint);
			}
			else
				rc = 0;
		} else if (strcmp(k, "targets") == 0) {
			targets = it;
			tp = ip;
			rc = cJSON_IsArray(it) ? 0 : config_failf(c, ip->val_off, "targets must be an array");
		} else {
			rc = config_failf(c, jsonpos_key_off(ip), "unknown key %s", jsonpos_quote(k, q, sizeof(q)));
		}
		if (rc < 0)
			return rc;
	}
	if (c->set_root)
		return c->services ? 0 : config_failf(c, rp->val_off, "missing key \"services\"");
	if (targets == NULL && c->preset)
		return 0; /* the preset's targets, merged by parse() */
	if (targets == NULL)
		return config_failf(c, rp->val_off, "missing key \"targets\"");
	if (config_parse_targets(c, targets, tp, cfg) < 0)
		return -EINVAL;
	apply_defaults(cfg);
	return 0;
}

struct config *config_parse_text(const char *text, size_t len, const char *name, const char *source,
				 const char *base_dir, char *err, size_t errlen)
{
	struct jsonpos_doc doc;
	struct config_ctx c = {.doc = &doc, .base_dir = base_dir};
	struct config *cfg = NULL;

	if (jsonpos_parse(&doc, text, len, name, err, errlen) < 0)
		goto out;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL) {
		jsonpos_fail(&doc, 0, "out of memory");
		goto out;
	}
	cfg->interval_s = DEFAULT_INTERVAL_S;
	cfg->timeout_s = DEFAULT_TIMEOUT_S;
	cfg->bell = true;
	cfg->source = strdup(source);
	if (cfg->source == NULL || config_parse_root(&c, doc.json, &doc.root, cfg) < 0 ||
	    (cfg->service == NULL && !c.preset)) {
		if (err != NULL && errlen > 0 && err[0] == '\0')
			jsonpos_fail(&doc, 0, "out of memory");
		config_free(cfg);
		cfg = NULL;
	} else if (c.preset) {
		/* checked alone above (its mistakes at their place); now the whole */
		char *merged = config_preset_merge(c.preset->json, doc.json), label[512];

		config_free(cfg);
		cfg = NULL;
		snprintf(label, sizeof(label), "%s (from preset %s)", source, c.preset->name);
		if (merged)
			cfg = config_parse_text(merged, strlen(merged), name, label, base_dir, err, errlen);
		else
			jsonpos_fail(&doc, 0, "out of memory");
		free(merged);
	}
out:
	jsonpos_doc_done(&doc);
	return cfg;
}

struct config *config_parse(const char *text, size_t len, const char *name, char *err, size_t errlen)
{
	return config_parse_text(text, len, name, name, NULL, err, errlen);
}

int config_read_file(const char *path, char **text, size_t *len, char **dir, char *err, size_t errlen)
{
	char *slash;

	/* not READFILE_REGULAR: a pipe works too (--config <(...)) */
	if (readfile(path, MAX_FILE_SIZE, 0, text, len, err, errlen) < 0)
		return -1;
	*dir = strdup(path);
	if (*dir == NULL) {
		free(*text);
		*text = NULL;
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	slash = strrchr(*dir, '/');
	if (slash == NULL)
		strcpy(*dir, ".");
	else if (slash == *dir)
		(*dir)[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

struct config *config_load_file(const char *path, char *err, size_t errlen)
{
	struct config *cfg;
	char *text, *dir;
	size_t len;

	if (config_read_file(path, &text, &len, &dir, err, errlen) != 0)
		return NULL;
	cfg = config_parse_text(text, len, path, path, dir, err, errlen);
	free(text);
	free(dir);
	return cfg;
}

struct config *config_load_preset(const char *name, char *err, size_t errlen)
{
	const struct preset *p = presets_find(name);
	char label[64];

	if (p == NULL) {
		char q[128], hint[256];

		presets_hint(hint, sizeof(hint));
		snprintf(err, errlen, "unknown preset %s (try %s)",
			 jsonpos_quote(name ? name : "", q, sizeof(q)), hint);
		return NULL;
	}
	snprintf(label, sizeof(label), "preset %s", p->name);
	return config_parse_text(p->json, strlen(p->json), label, label, NULL, err, errlen);
}

const char *const *config_preset_names(void)
{
	return presets_names();
}

const char *config_preset_format(const char *name)
{
	const struct preset *p = presets_find(name);

	return p ? p->format : NULL;
}

const char *config_preset_description(const char *name)
{
	const struct preset *p = presets_find(name);

	return p ? p->description : NULL;
}

static void target_done(struct target *t)
{
	free(t->name);
	free(t->url);
	free(t->host);
	free(t->method);
	for (size_t i = 0; i < t->n_headers; i++) {
		free(t->headers[i].name);
		free(t->headers[i].value);
	}
	free(t->headers);
	free(t->body_contains);
	free(t->body);
	for (size_t j = 0; j < t->n_json_expect; j++) {
		free(t->json_expect[j].path);
		free(t->json_expect[j].value_json);
	}
	free(t->json_expect);
	free(t->component);
	free(t->proxy);
	free(t->status_components_url);
	free(t->ca_file);
	free(t->model);
	free(t->prompt);
}

void config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->n_targets; i++)
		target_done(&cfg->targets[i]);
	free(cfg->targets);
	for (size_t i = 0; i < cfg->n_resolve; i++) {
		free(cfg->resolve[i].host);
		free(cfg->resolve[i].address);
	}
	free(cfg->resolve);
	free(cfg->service);
	free(cfg->group);
	free(cfg->source);
	free(cfg->theme);
	free(cfg->metrics);
	free(cfg->on_change);
	free(cfg->ca_file);
	free(cfg);
}

const char *config_resolve_lookup(const struct config *cfg, const char *host)
{
	size_t hl;

	if (cfg == NULL || host == NULL)
		return NULL;
	hl = strlen(host);
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	for (size_t i = 0; i < cfg->n_resolve; i++) {
		const char *h = cfg->resolve[i].host;
		size_t rl = strlen(h);

		if (rl > 0 && h[rl - 1] == '.')
			rl--;
		if (rl == hl && strncasecmp(h, host, hl) == 0)
			return cfg->resolve[i].address;
	}
	return NULL;
}

/* ---- names ------------------------------------------------------------- */

const char *target_kind_name(enum target_kind k)
{
	return (unsigned)k < TARGET_KIND_COUNT ? kind_names[k] : "unknown";
}

const char *llm_api_name(enum llm_api a)
{
	return (unsigned)a < LLM_API_COUNT ? llm_api_names[a] : "unknown";
}

const char *target_role_name(enum target_role r)
{
	return r == TARGET_ROLE_CONTROL ? "control" : "service";
}

const char *target_ip_family_name(enum ip_family f)
{
	switch (f) {
	case IP_FAMILY_V4: return "v4";
	case IP_FAMILY_V6: return "v6";
	case IP_FAMILY_AUTO: break;
	}
	return "auto";
}
