/* config_secret.h: the secrets in a config, and keeping them secret.
 *
 * A header value may hold ${VAR} templates, expanded from the environment only
 * when a request is built; a credential may also be written out in the file
 * itself (a literal Authorization header, user:password@ in a URL). These
 * functions find both kinds, mask them for printing, and check that a file
 * holding a literal one is not readable by others. Nothing here keeps state. */
#ifndef ISITDOWN_CONFIG_SECRET_H
#define ISITDOWN_CONFIG_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* What a header value's ${...} templates look like to the config loader. */
enum config_template {
	CONFIG_TEMPLATE_OK,           /* none, or all well formed: ${NAME}, NAME [A-Za-z_][A-Za-z0-9_]* */
	CONFIG_TEMPLATE_UNTERMINATED, /* a ${ without its } */
	CONFIG_TEMPLATE_BAD_NAME,     /* ${} or ${not a name} */
};
enum config_template config_template_check(const char *value);

/* Expands ${VAR} in a header value from the environment. Returns a malloc'd string,
 * or NULL when a referenced variable is unset or empty (the header is then left out)
 * or the result would hold a line break. */
char *config_expand_env(const char *value);
/* True when the value references a variable (so it is a secret) or is an
 * Authorization / Cookie / *-key header. */
bool config_header_is_secret(const struct header_kv *h);
/* True when every ${VAR} referenced by the target's headers is set (a key is
 * configured); false when the headers reference no variable. */
bool config_target_has_key(const struct target *t);
/* What an llm target lacks to be probed at all (it is never probed keyless):
 * "needs OPENAI_API_KEY" (its first unset ${VAR}), "needs https" (the key
 * is only sent over https), "needs an API key header"; "" when nothing. */
const char *config_target_needs(const struct target *t, char *buf, size_t len);

/* True when the header holds a credential written out in the config itself (not
 * taken from ${VAR}): config_to_json prints such a value as "****". */
bool config_header_has_literal_secret(const struct header_kv *h);
/* True when any header, proxy or URL of the config holds a literal credential. */
bool config_has_literal_secret(const struct config *cfg);
/* A copy of url with the password of user:password@ (or a lone user, often a
 * token) replaced by "****"; malloc'd, NULL only when out of memory. */
char *config_mask_url(const char *url);

/* The names of the environment variables the config's secret headers refer to
 * (${NAME}), each once: a malloc'd NULL-terminated array of malloc'd strings,
 * freed with config_secret_vars_free; NULL when out of memory. What is handed
 * to another program (the on_change command) leaves these out. */
char **config_secret_vars(const struct config *cfg);
void config_secret_vars_free(char **vars);
/* When cfg holds a literal credential and the file at path is readable by group
 * or others, writes a warning to warn and returns 1; 0 when there is nothing to
 * say; a negative errno when path cannot be examined. */
int config_check_permissions(const struct config *cfg, const char *path, char *warn, size_t len);

#endif
