/* config_preset.c: "preset": "openai" in a config file: the preset's JSON with
 * the file's keys and targets laid over it, as text the config reader then
 * reads like any file (see config_preset.h). The file has been checked alone
 * before, so its mistakes are reported at their own line and column; the
 * preset is compiled in and always valid. */
#include "config_preset.h"

#include <stdlib.h>
#include <string.h>

static const char *name_of(const cJSON *target)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(target, "name");

	return cJSON_IsString(n) ? n->valuestring : NULL;
}

static int merge_targets(cJSON *into, const cJSON *from)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, from) {
		const char *name = name_of(t);
		cJSON *copy = cJSON_Duplicate(t, 1);
		int i = 0, at = -1;
		cJSON *old;

		if (!copy)
			return -1;
		cJSON_ArrayForEach(old, into) {
			if (name && name_of(old) && strcmp(name_of(old), name) == 0) {
				at = i;
				break;
			}
			i++;
		}
		if (at >= 0)
			cJSON_ReplaceItemInArray(into, at, copy);
		else
			cJSON_AddItemToArray(into, copy);
	}
	return 0;
}

char *config_preset_merge(const char *preset_json, const cJSON *file)
{
	cJSON *doc = cJSON_Parse(preset_json);
	const cJSON *it;
	char *text = NULL;

	if (!doc)
		return NULL;
	cJSON_ArrayForEach(it, file) {
		cJSON *copy;

		if (strcmp(it->string, "preset") == 0)
			continue;
		if (strcmp(it->string, "targets") == 0) {
			cJSON *targets = cJSON_GetObjectItemCaseSensitive(doc, "targets");

			if (!targets || merge_targets(targets, it) != 0)
				goto out;
			continue;
		}
		copy = cJSON_Duplicate(it, 1);
		if (!copy)
			goto out;
		if (cJSON_GetObjectItemCaseSensitive(doc, it->string))
			cJSON_ReplaceItemInObjectCaseSensitive(doc, it->string, copy);
		else
			cJSON_AddItemToObject(doc, it->string, copy);
	}
	text = cJSON_PrintUnformatted(doc);
out:
	cJSON_Delete(doc);
	return text;
}
