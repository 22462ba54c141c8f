/* config_set.h: the services one run watches (config_set.c).
 *
 * Each service is a whole single-service config of its own: its targets,
 * with the shared "controls" among them as control targets, its status page
 * and components, and the settings of the run. Controls that several
 * services share (the same kind, name and address) are probed once by
 * whoever runs them (fleet.h). */
#ifndef ISITDOWN_CONFIG_SET_H
#define ISITDOWN_CONFIG_SET_H

#include <stddef.h>

#include "config.h"

#define CONFIG_SET_ALL_AI "all-ai"
#define CONFIG_SET_AI_GROUP "AI assistants"

struct config_set {
	struct config **services;
	size_t n;
};

/* A config file: several services with "services", else one. On error NULL
 * and one line in err, "FILE:LINE:COL: what is wrong". */
struct config_set *config_set_load_file(const char *path, char *err, size_t errlen);
/* The same from text; base_dir as for a file (NULL: no "preset" key). */
struct config_set *config_set_parse(const char *text, size_t len, const char *name, const char *base_dir, char *err,
				    size_t errlen);
/* "openai", "openai,anthropic,github" or "all-ai" (every preset of the AI
 * group): one service per preset. */
struct config_set *config_set_load_presets(const char *list, char *err, size_t errlen);
void config_set_free(struct config_set *set);

#endif
