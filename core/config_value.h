/* config_value.h: the kinds of value a config holds, each checked with its message.
 *
 * Internal to the config loader (config.c): strings, numbers, intervals, URLs,
 * proxies, hosts, CA files, header maps and status lists. Each config_take_*
 * checks one cJSON value and copies it into the config, or writes
 * "FILE:LINE:COL: KEY WHERE must ..." about it and returns -EINVAL. A string
 * already in *out is freed when it is replaced; on error *out is left as it was
 * or already replaced, and config_free releases it either way. */
#ifndef ISITDOWN_CONFIG_VALUE_H
#define ISITDOWN_CONFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "jsonpos.h"

/* What validation is looking at; config.c owns it, for one load. */
struct config_ctx {
	struct jsonpos_doc *doc;
	const char *base_dir; /* set when loading a file: ca_file is checked there */
	char where[160];      /* " in target \"api\"", " in targets[2]", or "" */
	const struct preset *preset; /* the file's "preset": it starts from that one */
	/* several services (config_set.c): the top level of such a file holds
	 * "services" and "controls" (found here, checked by the caller), and
	 * no targets; a service in it holds no setting made once for all */
	bool set_root, in_service;
	const cJSON *services, *controls;
	const struct jsonpos *services_pos, *controls_pos;
};

/* The message about the byte at off, through jsonpos_fail; returns -EINVAL. */
int config_failf(struct config_ctx *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A non-empty string without control characters; nullable: null clears *out. */
int config_take_string(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, bool nullable,
		       char **out);
int config_take_number(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, double *out);
int config_take_bool(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, bool *out);
/* Seconds from 0.1 to 86400. */
int config_take_interval(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, double *out);
/* Seconds above 0, at most 86400. */
int config_take_timeout(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, double *out);
bool config_is_integer_in(double v, double lo, double hi);
/* An object of header names and values (${VAR} templates checked, not expanded). */
int config_take_headers(struct config_ctx *c, const cJSON *obj, const struct jsonpos *p, struct target *t);
/* An array of at most CONFIG_MAX_EXPECT status codes from 100 to 599. */
int config_take_statuses(struct config_ctx *c, const cJSON *arr, const struct jsonpos *p, int *codes,
			 size_t *n);
/* An http, https or file url that libcurl can parse. */
int config_take_url(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out);
/* A proxy url or host:port; "" (no proxy) is kept, null clears *out. */
int config_take_proxy(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out);
/* A host name or an IP address, not a url. */
int config_take_host(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out);
/* A readable file, relative to the config's directory (or null). */
int config_take_ca_file(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out);

#endif
