/* Unit tests for core/config_save.c: one key written into a config file,
 * the rest kept; a new file made from the preset that runs; a file that is
 * not a JSON object left alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "config_save.h"

static char dir[] = "/tmp/isitdown-save-XXXXXX";

static cJSON *read_json(const char *path)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return cJSON_Parse(buf);
}

static void test_key_set_others_kept(void **state)
{
	char path[256], err[256];
	cJSON *doc;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/cfg.json", dir);
	f = fopen(path, "w");
	fputs("{\"service\": \"Loop\", \"theme\": \"default\", \"targets\": [{\"name\": \"web\", \"url\": "
	      "\"http://127.0.0.1:9/\"}]}", f);
	fclose(f);
	assert_int_equal(config_save_string(path, "openai", "theme", "mono", err, sizeof(err)), 0);
	doc = read_json(path);
	assert_string_equal(cJSON_GetObjectItem(doc, "theme")->valuestring, "mono");
	assert_string_equal(cJSON_GetObjectItem(doc, "service")->valuestring, "Loop");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "targets")), 1);
	/* an existing file is not given a preset it did not have */
	assert_null(cJSON_GetObjectItem(doc, "preset"));
	cJSON_Delete(doc);
	/* still a config the reader takes */
	{
		struct config *cfg = config_load_file(path, err, sizeof(err));

		assert_non_null(cfg);
		assert_string_equal(cfg->theme, "mono");
		config_free(cfg);
	}
	unlink(path);
}

static void test_new_file_from_the_preset(void **state)
{
	char path[256], err[256];
	struct stat st;
	cJSON *doc;

	(void)state;
	snprintf(path, sizeof(path), "%s/new/isitdown/config.json", dir);
	assert_int_equal(config_save_string(path, "github", "theme", "light", err, sizeof(err)), 0);
	doc = read_json(path);
	assert_string_equal(cJSON_GetObjectItem(doc, "preset")->valuestring, "github");
	assert_string_equal(cJSON_GetObjectItem(doc, "theme")->valuestring, "light");
	cJSON_Delete(doc);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	{
		struct config *cfg = config_load_file(path, err, sizeof(err));

		assert_non_null(cfg);
		assert_string_equal(cfg->service, "GitHub");
		config_free(cfg);
	}
	unlink(path);
}

static void test_not_an_object_is_left_alone(void **state)
{
	char path[256], err[256], buf[64];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	f = fopen(path, "w");
	fputs("[1, 2", f);
	fclose(f);
	assert_true(config_save_string(path, NULL, "theme", "mono", err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "not a JSON object"));
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "[1, 2");
	unlink(path);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_set_others_kept),
		cmocka_unit_test(test_new_file_from_the_preset),
		cmocka_unit_test(test_not_an_object_is_left_alone),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
