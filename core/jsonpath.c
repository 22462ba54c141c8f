/* jsonpath.c: walking a parsed JSON answer by a dotted path; see jsonpath.h. */
#include "jsonpath.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 128

/* One step: a key (up to a '.', '[' or the end) or an [n]. Returns the rest
 * of the path after it, or NULL when the step is malformed. */
static const char *step(const char *p, char *key, long *index, bool *is_index)
{
	size_t n = 0;

	if (*p == '[') {
		char *end;

		if (!isdigit((unsigned char)p[1]))
			return NULL;
		*index = strtol(p + 1, &end, 10);
		if (*end != ']' || *index < 0)
			return NULL;
		*is_index = true;
		return end + 1;
	}
	while (p[n] && p[n] != '.' && p[n] != '[') {
		if (n + 1 >= KEY_MAX)
			return NULL;
		key[n] = p[n];
		n++;
	}
	if (n == 0)
		return NULL;
	key[n] = '\0';
	*is_index = false;
	return p + n;
}

/* Walks path from root; with root NULL only checks the syntax. */
static bool walk(const cJSON *root, const char *path, const cJSON **out)
{
	const cJSON *cur = root;
	const char *p = path;
	bool first = true;

	if (!path || !*path)
		return false;
	while (*p) {
		char key[KEY_MAX];
		long index = 0;
		bool is_index;

		if (!first && *p == '.')
			p++;
		else if (!first && *p != '[')
			return false;
		p = step(p, key, &index, &is_index);
		if (!p)
			return false;
		first = false;
		if (!root)
			continue;
		if (is_index)
			cur = cJSON_IsArray(cur) && index < cJSON_GetArraySize(cur) ? cJSON_GetArrayItem(cur, (int)index)
										   : NULL;
		else
			cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, key) : NULL;
		if (!cur) {
			*out = NULL;
			return true;
		}
	}
	if (root)
		*out = cur;
	return true;
}

bool jsonpath_valid(const char *path)
{
	return walk(NULL, path, NULL);
}

const cJSON *jsonpath_get(const cJSON *root, const char *path)
{
	const cJSON *out = NULL;

	if (!root || !walk(root, path, &out))
		return NULL;
	return out;
}
