/* Unit tests for core/xalloc.c: out of memory ends the process, the fatal
 * hook (the screen's terminal restore) first, with one message. Run in a
 * child process, which is expected to abort. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "xalloc.h"

static void hook(void)
{
	fputs("hook ran\n", stderr);
}

/* Runs fn in a child with stderr on a pipe; returns what it wrote and its
 * wait status. */
static int in_child(void (*fn)(void), char *out, size_t len)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		signal(SIGABRT, SIG_DFL);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, len - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void fail_with_hook(void)
{
	xalloc_on_fatal(hook);
	xalloc_fail();
}

static void too_big(void)
{
	xreallocarray(NULL, SIZE_MAX / 2, 4);
}

static void test_fail_runs_the_hook_then_aborts(void **state)
{
	char out[256];
	int status;

	(void)state;
	status = in_child(fail_with_hook, out, sizeof(out));
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	assert_string_equal(out, "hook ran\nisitdown: out of memory\n");
}

static void test_an_overflowing_size_is_out_of_memory(void **state)
{
	char out[256];
	int status;

	(void)state;
	status = in_child(too_big, out, sizeof(out));
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	assert_string_equal(out, "isitdown: out of memory\n");
}

static void test_ordinary_allocations(void **state)
{
	char *s = xstrdup("abc"), *e = xstrdup(NULL);
	int *v = xreallocarray(NULL, 4, sizeof(int));

	(void)state;
	assert_string_equal(s, "abc");
	assert_string_equal(e, "");
	v[3] = 7;
	v = xreallocarray(v, 8, sizeof(int));
	assert_int_equal(v[3], 7);
	free(s);
	free(e);
	free(v);
	free(xmalloc(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_runs_the_hook_then_aborts),
		cmocka_unit_test(test_an_overflowing_size_is_out_of_memory),
		cmocka_unit_test(test_ordinary_allocations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
