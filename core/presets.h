/* presets.h: the built-in configurations (internal to config.c).
 *
 * Each preset is JSON text in the config file format, parsed and validated by
 * config_parse exactly as a user's file is. */
#ifndef ISITDOWN_PRESETS_H
#define ISITDOWN_PRESETS_H

#include <stddef.h>

struct preset {
	const char *name;
	const char *description;
	const char *format;      /* what its status page speaks, for --list-presets */
	const char *json;
};

/* The preset called name, or NULL. */
const struct preset *presets_find(const char *name);
/* NULL-terminated list of the preset names, the default first. */
const char *const *presets_names(void);
/* "openai, anthropic, ... or perplexity", cut to fit len. */
void presets_hint(char *buf, size_t len);

#endif
