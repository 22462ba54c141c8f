/* config.h: what to probe and how, loaded from a JSON file or a built-in preset.
 *
 * A struct config owns every string and array in it; config_free releases them.
 * Header values keep their ${VAR} templates: the expansion happens only when a
 * request is built (config_expand_env, in config_secret.h), so secrets are never
 * stored in the config and never printed by config_to_json. */
#ifndef ISITDOWN_CONFIG_H
#define ISITDOWN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum target_kind { TARGET_HTTP, TARGET_DNS, TARGET_TCP, TARGET_STATUSPAGE, TARGET_LLM, TARGET_KIND_COUNT };
/* The streaming API an llm target speaks. */
enum llm_api { LLM_API_OPENAI_CHAT, LLM_API_OPENAI_RESPONSES, LLM_API_ANTHROPIC_MESSAGES, LLM_API_COUNT };
enum target_role { TARGET_ROLE_SERVICE, TARGET_ROLE_CONTROL };
enum ip_family { IP_FAMILY_AUTO, IP_FAMILY_V4, IP_FAMILY_V6 };

#define CONFIG_MAX_EXPECT 16
#define CONFIG_DEFAULT_BODY_CAP (1024 * 1024)
/* An llm probe costs money: every 5 minutes unless the config says otherwise,
 * and never more often than every minute. */
#define CONFIG_LLM_INTERVAL_S 300.0
#define CONFIG_LLM_MIN_INTERVAL_S 60.0
#define CONFIG_LLM_TIMEOUT_S 30.0
#define CONFIG_LLM_STALL_S 10.0
#define CONFIG_LLM_SLOW_MS 5000.0
#define CONFIG_LLM_MAX_TOKENS 8
#define CONFIG_LLM_PROMPT "Reply with one word: ok"
#define CONFIG_LLM_BODY_CAP (256 * 1024)

struct header_kv {
	char *name;
	char *value; /* may hold ${VAR} references; expanded per request */
};

/* "json_expect": {"data[0].status": "ok"}: the answer's field at path (see
 * jsonpath.h) must equal the value (JSON text, compared as JSON). */
struct json_expect {
	char *path;
	char *value_json;
};

struct target {
	char *name;
	enum target_kind kind;
	char *url;       /* http, statuspage */
	char *host;      /* dns, tcp */
	int port;        /* tcp */
	char *method;    /* "GET", "HEAD", "POST" or "PUT" */
	char *body;      /* the request's body (POST, PUT); NULL: none */
	bool body_is_json; /* body was a JSON value: sent as application/json */
	struct json_expect *json_expect; /* fields the JSON answer must hold */
	size_t n_json_expect;
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
	char *proxy;      /* NULL: curl reads the environment; "": no proxy */
	double interval_s; /* default: the config's; a statuspage polls at least every 60 s */
	double timeout_s;  /* default: the config's */
	double slow_ms;   /* latency above which the target counts as degraded;
	                   * default dns, tcp 300, http 2000, statuspage 3000 */
	size_t body_cap;  /* default CONFIG_DEFAULT_BODY_CAP */
	bool reuse_connection; /* false (default): fresh connection per probe */
	bool differential;     /* also probe over v4/v6 and direct/proxy */
	char *status_components_url; /* statuspage: optional components.json */
	char *ca_file;   /* extra CA bundle (http, statuspage, llm); NULL: the system's */
	/* llm: one tiny streaming request to url (the endpoint itself, e.g.
	 * https://api.openai.com/v1/chat/completions) */
	enum llm_api api;
	char *model;
	char *prompt;     /* default CONFIG_LLM_PROMPT */
	int max_tokens;   /* default CONFIG_LLM_MAX_TOKENS */
	double stall_s;   /* no byte for this long after the stream started: stalled */
};

/* A host name answered from the config instead of the resolver (like curl
 * --resolve, for every port). address is an IP literal or CONFIG_RESOLVE_FAIL. */
struct resolve_override {
	char *host;
	char *address;
};

#define CONFIG_RESOLVE_FAIL "fail"

struct config {
	char *service;    /* default: the first service target's component, else its name */
	char *group;      /* "AI assistants": services of one group stand in for each other; may be NULL */
	char *source;     /* file path or "preset NAME", for messages */
	double interval_s; /* default 10, from 0.1 to 86400 */
	double timeout_s;  /* default 8, above 0; larger than interval_s is allowed */
	char *theme;      /* may be NULL */
	char *metrics;    /* ADDR:PORT, may be NULL */
	char *ca_file;    /* default for the targets' ca_file, may be NULL */
	bool bell;        /* ring the terminal bell on a change to or from an outage; default true */
	bool notify;      /* desktop notifications through the terminal; default false */
	char *on_change;  /* a command run (sh -c) when the verdict changes, may be NULL */
	struct resolve_override *resolve;
	size_t n_resolve;
	struct target *targets;
	size_t n_targets;
};

/* Loads and validates a config file. On error returns NULL and writes one line to
 * err: "FILE:LINE:COL: what is wrong" (the caller prints it and exits 3).
 * A relative ca_file is taken relative to the file's directory, and must be readable. */
struct config *config_load_file(const char *path, char *err, size_t errlen);
/* Parses a config held in memory; name stands in for the file in messages. */
struct config *config_parse(const char *text, size_t len, const char *name, char *err, size_t errlen);
/* A built-in preset by name ("openai", "anthropic", "github"), or NULL. */
struct config *config_load_preset(const char *name, char *err, size_t errlen);
/* NULL-terminated list of preset names, and a one-line description of each. */
const char *const *config_preset_names(void);
const char *config_preset_description(const char *name);
/* What the preset's status page speaks ("Atlassian Statuspage"). */
const char *config_preset_format(const char *name);
/* The effective config as JSON (the file format, every default filled in, and
 * config_parse accepts it back). ${VAR} templates are shown as written; literal
 * credentials in headers and URLs are printed as "****". The caller owns the tree. */
cJSON *config_to_json(const struct config *cfg);
void config_free(struct config *cfg);

/* The override for host from the config's "resolve" map (case-insensitive, a
 * trailing dot ignored): an IP literal, CONFIG_RESOLVE_FAIL, or NULL when none. */
const char *config_resolve_lookup(const struct config *cfg, const char *host);

const char *target_kind_name(enum target_kind k);
const char *llm_api_name(enum llm_api a);
const char *target_role_name(enum target_role r);
const char *target_ip_family_name(enum ip_family f);

/* The secrets side of a config (${VAR} expansion, literal credentials, masked
 * URLs, the permission check) has a header of its own; it is included here
 * because whoever holds a config asks those questions of it. */
#include "config_secret.h"

#endif
