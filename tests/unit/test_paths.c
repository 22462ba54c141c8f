/* test_paths.c: where isitdown's own files go: --state-dir first, an
 * absolute XDG directory next (a relative one is ignored, as the XDG spec
 * says), then HOME; no place at all without HOME; a name too long for the
 * buffer refused; and directories made with their parents, private. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"

static void test_state_dir_order(void **state)
{
	char buf[256];

	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	assert_int_equal(paths_state_dir("/my/state", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/my/state");
	assert_int_equal(paths_state_dir(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/xdg/state/isitdown");
	/* an empty --state-dir is no override */
	assert_int_equal(paths_state_dir("", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/xdg/state/isitdown");
	/* relative: ignored */
	setenv("XDG_STATE_HOME", "relative/state", 1);
	assert_int_equal(paths_state_dir(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.local/state/isitdown");
	unsetenv("XDG_STATE_HOME");
	assert_int_equal(paths_state_dir(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.local/state/isitdown");
}

static void test_config_dir_order(void **state)
{
	char buf[256];

	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
	assert_int_equal(paths_config_dir(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/xdg/config/isitdown");
	setenv("XDG_CONFIG_HOME", "", 1);
	assert_int_equal(paths_config_dir(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.config/isitdown");
}

static void test_no_home_no_place(void **state)
{
	char buf[256];

	(void)state;
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(paths_state_dir(NULL, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(paths_config_dir(buf, sizeof(buf)), -ENOENT);
	setenv("HOME", "", 1);
	assert_int_equal(paths_state_dir(NULL, buf, sizeof(buf)), -ENOENT);
	/* --state-dir needs no HOME */
	assert_int_equal(paths_state_dir("/s", buf, sizeof(buf)), 0);
}

static void test_too_long(void **state)
{
	char small[16];

	(void)state;
	setenv("HOME", "/home/someone-with-a-long-name", 1);
	unsetenv("XDG_STATE_HOME");
	assert_int_equal(paths_state_dir(NULL, small, sizeof(small)), -ENAMETOOLONG);
	assert_int_equal(paths_state_dir("/a/state/dir/longer/than/16", small, sizeof(small)), -ENAMETOOLONG);
	assert_int_equal(paths_config_dir(small, sizeof(small)), -ENAMETOOLONG);
}

static void test_mkdir_p(void **state)
{
	char dir[] = "/tmp/paths-test-XXXXXX", deep[128], file[160], cmd[160];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(deep, sizeof(deep), "%s/a/b/c", dir);
	assert_int_equal(paths_mkdir_p(deep), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(file, sizeof(file), "%s/a/b", dir);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* there already: fine */
	assert_int_equal(paths_mkdir_p(deep), 0);
	/* a file in the way */
	snprintf(file, sizeof(file), "%s/plain", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(deep, sizeof(deep), "%s/plain/below", dir);
	assert_int_equal(paths_mkdir_p(deep), -ENOTDIR);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_dir_order),
		cmocka_unit_test(test_config_dir_order),
		cmocka_unit_test(test_no_home_no_place),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_mkdir_p),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
