/* config_preset.h: a config file that starts from a built-in preset. */
#ifndef ISITDOWN_CONFIG_PRESET_H
#define ISITDOWN_CONFIG_PRESET_H

#include <cjson/cJSON.h>

/* The preset's JSON with the file's top-level keys in place of its own, and
 * the file's targets in place of the preset's targets of the same name (a
 * target is replaced whole), the others added after the preset's. The file's
 * "preset" key is left out. Returns malloc'd JSON text, or NULL when out of
 * memory. */
char *config_preset_merge(const char *preset_json, const cJSON *file);

#endif
