/* fuzz_jsonpos.c: the JSON reader that knows positions (jsonpos_parse).
 *
 * The input is any document. Besides not crashing: a rejected one gets one
 * printable line "fuzz.json:LINE:COL: why" that says why (never the bare
 * "syntax error" that means the scanner let through what cJSON refused); an
 * accepted one has a position tree shaped exactly like cJSON's tree, every key
 * position on a quote inside the text and every value position on the first
 * character of a value of the kind cJSON read there. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"
#include "fuzz_util.h"

static void check_value(const struct jsonpos_doc *doc, const cJSON *it, const struct jsonpos *p)
{
	const char *v;
	const cJSON *kid;
	size_t i = 0;

	FUZZ_ASSERT(p->val_off < doc->len);
	v = doc->text + p->val_off;
	if (cJSON_IsObject(it))
		FUZZ_ASSERT(*v == '{');
	else if (cJSON_IsArray(it))
		FUZZ_ASSERT(*v == '[');
	else if (cJSON_IsString(it))
		FUZZ_ASSERT(*v == '"');
	else if (cJSON_IsTrue(it))
		FUZZ_ASSERT(*v == 't');
	else if (cJSON_IsFalse(it))
		FUZZ_ASSERT(*v == 'f');
	else if (cJSON_IsNull(it))
		FUZZ_ASSERT(*v == 'n');
	else
		FUZZ_ASSERT(cJSON_IsNumber(it) && (*v == '-' || (*v >= '0' && *v <= '9')));

	FUZZ_ASSERT(p->n_kids == (size_t)((cJSON_IsObject(it) || cJSON_IsArray(it))
						  ? cJSON_GetArraySize(it) : 0));
	cJSON_ArrayForEach(kid, it) {
		const struct jsonpos *kp = jsonpos_kid(p, i++);

		FUZZ_ASSERT(kp != p);
		if (cJSON_IsObject(it)) {
			FUZZ_ASSERT(kp->key_off < kp->val_off && doc->text[kp->key_off] == '"');
		} else {
			FUZZ_ASSERT(kp->key_off == JSONPOS_NONE);
		}
		check_value(doc, kid, kp);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonpos_doc doc;
	char err[512];
	size_t n;

	if (jsonpos_parse(&doc, (const char *)data, size, "fuzz.json", err, sizeof(err)) < 0) {
		FUZZ_MESSAGE(err);
		FUZZ_ASSERT(strncmp(err, "fuzz.json:", 10) == 0);
		n = strlen(err);
		FUZZ_ASSERT(n < 12 || strcmp(err + n - 12, "syntax error") != 0);
		jsonpos_doc_done(&doc);
		return 0;
	}
	FUZZ_ASSERT(doc.json != NULL);
	FUZZ_ASSERT(doc.root.key_off == JSONPOS_NONE);
	check_value(&doc, doc.json, &doc.root);
	/* the repeat check either passes or names a repeat, with a clean message */
	if (cJSON_IsObject(doc.json)
	    && jsonpos_check_repeats(&doc, doc.json, &doc.root, true, "key", "") < 0) {
		FUZZ_MESSAGE(err);
		FUZZ_ASSERT(strstr(err, ": duplicate key ") != NULL);
	}
	jsonpos_doc_done(&doc);
	return 0;
}
