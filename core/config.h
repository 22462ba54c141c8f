/* config.h: what to probe and how, loaded from a JSON file or a built-in preset.
 *
 * A struct config owns every string and array in it; config_free releases them.
 * Header values keep their ${VAR} templates: the expansion happens only when a
 * request is built (config_expand_env), so secrets are never stored in the config
 * and never printed by config_to_json. */
#ifndef ISITDOWN_CONFIG_H
#define ISITDOWN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum target_kind { TARGET_HTTP, TARGET_DNS, TARGET_TCP, TARGET_STATUSPAGE };
enum target_role { TARGET_ROLE_SERVICE, TARGET_ROLE_CONTROL };
enum ip_family { IP_FAMILY_AUTO, IP_FAMILY_V4, IP_FAMILY_V6 };

#define CONFIG_MAX_EXPECT 16
#define CONFIG_DEFAULT_BODY_CAP (1024 * 1024)

struct header_kv {
	char *name;
	char *value; /* may hold ${VAR} references; expanded per request */
};

struct target {
	char *name;
	enum target_kind kind;
	char *url;       /* http, statuspage */
	char *host;      /* dns, tcp */
	int port;        /* tcp */
	char *method;    /* "GET" or "HEAD" */
	struct header_kv *headers;
	size_t n_headers;
	int expect_status[CONFIG_MAX_EXPECT]; /* empty means 200-399 */
	size_t n_expect;
	int expect_status_with_key[CONFIG_MAX_EXPECT]; /* used instead when every ${VAR} in headers is set */
	size_t n_expect_with_key;
	char *body_contains;
	char *component;  /* may be NULL */
	enum target_role role;
	enum ip_family ip_family;
	char *proxy;      /* NULL: curl reads the environment */
	double interval_s;
	double timeout_s;
	double slow_ms;   /* latency above which the target counts as degraded */
	size_t body_cap;
	bool reuse_connection; /* false (default): fresh connection per probe */
	bool differential;     /* also probe over v4/v6 and direct/proxy */
	char *status_components_url; /* statuspage: optional components.json */
};

struct config {
	char *service;
	char *source;     /* file path or "preset NAME", for messages */
	double interval_s;
	double timeout_s;
	char *theme;      /* may be NULL */
	char *metrics;    /* ADDR:PORT, may be NULL */
	struct target *targets;
	size_t n_targets;
};

/* Loads and validates a config file. On error returns NULL and writes one line to
 * err: "FILE:LINE:COL: what is wrong" (the caller prints it and exits 3). */
struct config *config_load_file(const char *path, char *err, size_t errlen);
/* Parses a config held in memory; name stands in for the file in messages. */
struct config *config_parse(const char *text, size_t len, const char *name, char *err, size_t errlen);
/* A built-in preset by name ("openai", "anthropic", "github"), or NULL. */
struct config *config_load_preset(const char *name, char *err, size_t errlen);
/* NULL-terminated list of preset names, and a one-line description of each. */
const char *const *config_preset_names(void);
const char *config_preset_description(const char *name);
/* The effective config as JSON (the file format), header values that reference
 * a variable or carry a credential masked. The caller owns the tree. */
cJSON *config_to_json(const struct config *cfg);
void config_free(struct config *cfg);

/* Expands ${VAR} in a header value from the environment. Returns a malloc'd string,
 * or NULL when a referenced variable is unset or empty (the header is then left out). */
char *config_expand_env(const char *value);
/* True when the value references a variable (so it is a secret) or is an
 * Authorization / Cookie / *-key header. */
bool config_header_is_secret(const struct header_kv *h);
/* True when every ${VAR} referenced by the target's headers is set (a key is configured). */
bool config_target_has_key(const struct target *t);

const char *target_kind_name(enum target_kind k);
const char *target_role_name(enum target_role r);

#endif
