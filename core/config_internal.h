/* config_internal.h: what config.c shares with config_set.c, which reads a
 * file of several services by checking its parts in place (so that a
 * mistake is reported at its own line and column) and then reading each
 * service as a single-service config. */
#ifndef ISITDOWN_CONFIG_INTERNAL_H
#define ISITDOWN_CONFIG_INTERNAL_H

#include "config.h"
#include "config_value.h"

/* The top level of a config (or a service's object in "services"), checked
 * and read into cfg; -EINVAL with the message in the ctx's document. */
int config_parse_root(struct config_ctx *c, const cJSON *root, const struct jsonpos *rp, struct config *cfg);
int config_parse_targets(struct config_ctx *c, const cJSON *arr, const struct jsonpos *p, struct config *cfg);
/* A whole single-service config from text; source names it in messages
 * ("FILE (service 2)"), base_dir is set for a file (it may use "preset"). */
struct config *config_parse_text(const char *text, size_t len, const char *name, const char *source,
				 const char *base_dir, char *err, size_t errlen);

#endif
