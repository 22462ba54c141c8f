/* config_save.h: one setting written back into the user's config file. */
#ifndef ISITDOWN_CONFIG_SAVE_H
#define ISITDOWN_CONFIG_SAVE_H

#include <stddef.h>

/* Sets the top-level "key" to the string value in the JSON config at path,
 * keeping every other key. A file that does not exist yet is created (with
 * its directories) holding "preset": preset (when not NULL) and the key, so
 * that it still watches what ran. The file is replaced whole by a rename, so
 * a crash never leaves half a config; it is private (0600). Returns 0, or a
 * negative errno with why in err ("not a JSON object", ...). */
int config_save_string(const char *path, const char *preset, const char *key, const char *value, char *err,
		       size_t errlen);

#endif
