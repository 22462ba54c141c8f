/* jsonpath.h: a field of a JSON answer named by a small path: object keys
 * joined by dots, array elements by [n] ("data[0].status", "choices[0]").
 * A key holding a dot or a bracket cannot be named (none of the APIs we probe
 * uses one). */
#ifndef ISITDOWN_JSONPATH_H
#define ISITDOWN_JSONPATH_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* Whether path is well formed: non-empty keys, [n] with n a decimal index. */
bool jsonpath_valid(const char *path);

/* The item path names in root, or NULL when it is not there. */
const cJSON *jsonpath_get(const cJSON *root, const char *path);

#endif
