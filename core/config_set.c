/* config_set.c: the services of one run, from a file or a list of presets.
 *
 * A file with top-level "services" holds several services: each entry a
 * preset's name or an object of the single-service shape (which may itself
 * start from a "preset"); "controls" are control targets shared by all; the
 * other top-level keys are settings of the whole run (interval_s, theme,
 * metrics, ...), each service able to override the per-service ones. Its
 * parts are first checked where they are, so that a mistake is reported at
 * its own FILE:LINE:COL; then each service is put together (the top level's
 * settings, the service's own keys, the controls before its targets) and read
 * as a single-service config. A file without "services" is one service, read
 * exactly as before. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "config_set.h"
#include "jsonpos.h"
#include "presets.h"

void config_set_free(struct config_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		config_free(set->services[i]);
	free(set->services);
	free(set);
}

static struct config_set *set_of_one(struct config *cfg, char *err, size_t errlen)
{
	struct config_set *set;

	if (!cfg)
		return NULL;
	set = calloc(1, sizeof(*set));
	if (set)
		set->services = malloc(sizeof(*set->services));
	if (!set || !set->services) {
		free(set);
		config_free(cfg);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	set->services[0] = cfg;
	set->n = 1;
	return set;
}

/* The controls, each marked a control, then the service's own targets. */
static cJSON *joined_targets(const cJSON *controls, const cJSON *own)
{
	cJSON *all = cJSON_CreateArray();
	const cJSON *t;

	if (!all)
		return NULL;
	cJSON_ArrayForEach(t, controls) {
		cJSON *copy = cJSON_Duplicate(t, 1);

		if (!copy) {
			cJSON_Delete(all);
			return NULL;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "role");
		cJSON_AddStringToObject(copy, "role", "control");
		cJSON_AddItemToArray(all, copy);
	}
	cJSON_ArrayForEach(t, own) {
		cJSON *copy = cJSON_Duplicate(t, 1);

		if (!copy) {
			cJSON_Delete(all);
			return NULL;
		}
		cJSON_AddItemToArray(all, copy);
	}
	return all;
}

/* One service as a single-service document: the top level's settings, then
 * the entry's keys over them, the controls before its targets. */
static char *service_text(const cJSON *root, const cJSON *entry, const cJSON *controls)
{
	cJSON *doc = cJSON_CreateObject(), *targets;
	const cJSON *it, *own = NULL;
	char *text = NULL;

	if (!doc)
		return NULL;
	cJSON_ArrayForEach(it, root) {
		if (strcmp(it->string, "services") == 0 || strcmp(it->string, "controls") == 0)
			continue;
		cJSON_AddItemToObject(doc, it->string, cJSON_Duplicate(it, 1));
	}
	if (cJSON_IsString(entry)) {
		cJSON_AddStringToObject(doc, "preset", entry->valuestring);
	} else {
		cJSON_ArrayForEach(it, entry) {
			if (strcmp(it->string, "targets") == 0) {
				own = it;
				continue;
			}
			cJSON_DeleteItemFromObjectCaseSensitive(doc, it->string);
			cJSON_AddItemToObject(doc, it->string, cJSON_Duplicate(it, 1));
		}
	}
	if (controls || own) {
		targets = joined_targets(controls, own);
		if (!targets)
			goto out;
		cJSON_AddItemToObject(doc, "targets", targets);
	}
	text = cJSON_PrintUnformatted(doc);
out:
	cJSON_Delete(doc);
	return text;
}

/* Each entry checked where it is: a preset's name, or an object of the
 * single-service shape. */
static int check_entries(struct config_ctx *top, const char *base_dir)
{
	const cJSON *entry;
	size_t i = 0;
	char q[128];

	cJSON_ArrayForEach(entry, top->services) {
		const struct jsonpos *ep = jsonpos_kid(top->services_pos, i++);

		if (cJSON_IsString(entry)) {
			char hint[256];

			presets_hint(hint, sizeof(hint));
			if (!presets_find(entry->valuestring))
				return config_failf(top, ep->val_off, "unknown preset %s (try %s)",
						    jsonpos_quote(entry->valuestring, q, sizeof(q)), hint);
		} else if (cJSON_IsObject(entry)) {
			struct config_ctx c = {.doc = top->doc, .base_dir = base_dir, .in_service = true};
			struct config *scratch = calloc(1, sizeof(*scratch));
			int rc;

			if (!scratch)
				return config_failf(top, ep->val_off, "out of memory");
			rc = config_parse_root(&c, entry, ep, scratch);
			config_free(scratch);
			if (rc < 0)
				return rc;
		} else {
			return config_failf(top, ep->val_off, "a service is a preset's name or an object "
					    "with \"service\" and \"targets\"");
		}
	}
	return 0;
}

/* Two services of one name could not be told apart on screen or in metrics. */
static int check_names(struct config_ctx *top, const struct config_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(set->services[i]->service, set->services[j]->service) == 0) {
				char q[128];

				return config_failf(top, jsonpos_kid(top->services_pos, i)->val_off,
						    "two services are named %s; give one a \"service\" name of its own",
						    jsonpos_quote(set->services[i]->service, q, sizeof(q)));
			}
	return 0;
}

static struct config_set *parse_set(struct jsonpos_doc *doc, const char *name, const char *base_dir, char *err,
				    size_t errlen)
{
	struct config_ctx top = {.doc = doc, .base_dir = base_dir, .set_root = true};
	struct config *scratch = calloc(1, sizeof(*scratch));
	struct config_set *set = NULL;
	size_t n, i = 0;
	const cJSON *entry;

	if (!scratch || config_parse_root(&top, doc->json, &doc->root, scratch) < 0)
		goto fail;
	if (top.controls) {
		struct config_ctx c = {.doc = doc, .base_dir = base_dir};
		struct config *controls = calloc(1, sizeof(*controls));
		int rc = controls ? config_parse_targets(&c, top.controls, top.controls_pos, controls) : -ENOMEM;

		config_free(controls);
		if (rc < 0)
			goto fail;
	}
	if (check_entries(&top, base_dir) < 0)
		goto fail;
	n = (size_t)cJSON_GetArraySize(top.services);
	set = calloc(1, sizeof(*set));
	if (!set || !(set->services = calloc(n, sizeof(*set->services)))) {
		jsonpos_fail(doc, 0, "out of memory");
		goto fail;
	}
	cJSON_ArrayForEach(entry, top.services) {
		char *text = service_text(doc->json, entry, top.controls), label[PATH_MAX + 64];

		if (!text) {
			jsonpos_fail(doc, 0, "out of memory");
			goto fail;
		}
		snprintf(label, sizeof(label), "%s: services[%zu]", name, i);
		/* a preset is taken by its name here, wherever the set came from */
		set->services[i] = config_parse_text(text, strlen(text), label, label, base_dir ? base_dir : ".", err,
						     errlen);
		free(text);
		if (!set->services[i])
			goto fail_quiet;
		set->n = ++i;
	}
	if (check_names(&top, set) < 0)
		goto fail;
	config_free(scratch);
	return set;
fail:
	if (err && errlen && !err[0])
		snprintf(err, errlen, "%s: out of memory", name);
fail_quiet:
	config_free(scratch);
	config_set_free(set);
	return NULL;
}

struct config_set *config_set_parse(const char *text, size_t len, const char *name, const char *base_dir, char *err,
				    size_t errlen)
{
	struct jsonpos_doc doc;
	struct config_set *set;

	if (err && errlen)
		err[0] = '\0';
	if (jsonpos_parse(&doc, text, len, name, err, errlen) < 0) {
		jsonpos_doc_done(&doc); /* what was read before the mistake */
		return NULL;
	}
	if (!cJSON_IsObject(doc.json) || !cJSON_GetObjectItemCaseSensitive(doc.json, "services")) {
		jsonpos_doc_done(&doc);
		return set_of_one(config_parse_text(text, len, name, name, base_dir, err, errlen), err, errlen);
	}
	set = parse_set(&doc, name, base_dir, err, errlen);
	jsonpos_doc_done(&doc);
	return set;
}

struct config_set *config_set_load_file(const char *path, char *err, size_t errlen)
{
	struct config_set *set;
	char *text, *dir;
	size_t len;

	if (config_read_file(path, &text, &len, &dir, err, errlen) != 0)
		return NULL;
	set = config_set_parse(text, len, path, dir, err, errlen);
	free(text);
	free(dir);
	return set;
}

/* A preset's group, read from its own JSON: NULL when it has none. */
static char *preset_group(const char *name)
{
	const struct preset *p = presets_find(name);
	cJSON *doc = p ? cJSON_Parse(p->json) : NULL;
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(doc, "group");
	char *group = cJSON_IsString(g) ? strdup(g->valuestring) : NULL;

	cJSON_Delete(doc);
	return group;
}

/* "openai,anthropic" (or the option repeated, joined so by the command line)
 * as the entries of "services"; "all-ai" stands for every preset of the AI
 * group. */
static int add_preset_names(cJSON *services, const char *list, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		for (char *end = tok + strlen(tok); end > tok && end[-1] == ' ';)
			*--end = '\0';
		if (!*tok)
			continue;
		if (strcmp(tok, CONFIG_SET_ALL_AI) == 0) {
			for (const char *const *n = presets_names(); *n; n++) {
				char *group = preset_group(*n);

				if (group && strcmp(group, CONFIG_SET_AI_GROUP) == 0)
					cJSON_AddItemToArray(services, cJSON_CreateString(*n));
				free(group);
			}
			continue;
		}
		if (!presets_find(tok)) {
			char hint[256];

			presets_hint(hint, sizeof(hint));
			snprintf(err, errlen, "unknown preset \"%s\" (try %s)", tok, hint);
			free(copy);
			return -EINVAL;
		}
		cJSON_AddItemToArray(services, cJSON_CreateString(tok));
	}
	free(copy);
	return 0;
}

struct config_set *config_set_load_presets(const char *list, char *err, size_t errlen)
{
	cJSON *doc = cJSON_CreateObject(), *services = cJSON_AddArrayToObject(doc, "services");
	struct config_set *set = NULL;
	char *text = NULL, label[256];
	const cJSON *s;

	if (err && errlen)
		err[0] = '\0';
	if (!doc || !services) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (add_preset_names(services, list, err, errlen) < 0)
		goto out;
	if (cJSON_GetArraySize(services) == 0) {
		snprintf(err, errlen, "--preset names no preset");
		goto out;
	}
	/* a name given twice is one service */
	for (int i = cJSON_GetArraySize(services) - 1; i > 0; i--)
		for (int j = 0; j < i; j++)
			if (strcmp(cJSON_GetArrayItem(services, i)->valuestring,
				   cJSON_GetArrayItem(services, j)->valuestring) == 0) {
				cJSON_DeleteItemFromArray(services, i);
				break;
			}
	if (cJSON_GetArraySize(services) == 1) {
		s = cJSON_GetArrayItem(services, 0);
		set = set_of_one(config_load_preset(s->valuestring, err, errlen), err, errlen);
		goto out;
	}
	text = cJSON_PrintUnformatted(doc);
	snprintf(label, sizeof(label), "--preset %s", list);
	set = text ? config_set_parse(text, strlen(text), label, NULL, err, errlen) : NULL;
	if (!text)
		snprintf(err, errlen, "out of memory");
out:
	free(text);
	cJSON_Delete(doc);
	return set;
}
