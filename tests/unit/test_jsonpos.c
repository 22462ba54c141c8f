/* test_jsonpos.c: the JSON reader that knows positions, and the whole-file
 * reader the config and theme loaders share.
 *
 * The scanner's messages are asserted one by one in test_config.c and
 * test_theme.c, through the loaders; here: the position tree lines up with
 * cJSON's tree, the helpers the loaders build their messages with, and what
 * readfile refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jsonpos.h"
#include "readfile.h"

/* "LINE:COL" of an offset, for comparing with what an editor shows */
static const char *at(const struct jsonpos_doc *doc, size_t off, char *buf, size_t n)
{
	unsigned line, col;

	jsonpos_line_col(doc, off, &line, &col);
	snprintf(buf, n, "%u:%u", line, col);
	return buf;
}

static void test_positions_follow_the_tree(void **state)
{
	const char *text = "\xEF\xBB\xBF{\n  \"a\": [1, {\"b\": null}],\n\t\"é\": \"x\",\n  \"a\": true\n}";
	struct jsonpos_doc doc;
	const struct jsonpos *a, *arr1, *b;
	const cJSON *it;
	char buf[32], err[128];

	assert_int_equal(jsonpos_parse(&doc, text, strlen(text), "t.json", err, sizeof(err)), 0);
	assert_non_null(doc.json);
	assert_int_equal(doc.root.key_off, JSONPOS_NONE);
	assert_string_equal(at(&doc, doc.root.val_off, buf, sizeof(buf)), "1:1");
	/* members in document order, the repeated "a" kept */
	assert_int_equal(doc.root.n_kids, 3);
	a = jsonpos_kid(&doc.root, 0);
	assert_string_equal(at(&doc, a->key_off, buf, sizeof(buf)), "2:3");
	assert_string_equal(at(&doc, a->val_off, buf, sizeof(buf)), "2:8");
	assert_int_equal(a->n_kids, 2);
	arr1 = jsonpos_kid(a, 1);
	assert_int_equal(arr1->key_off, JSONPOS_NONE);
	assert_string_equal(at(&doc, jsonpos_key_off(arr1), buf, sizeof(buf)), "2:12");
	b = jsonpos_kid(arr1, 0);
	assert_string_equal(at(&doc, b->key_off, buf, sizeof(buf)), "2:13");
	/* a tab and a two-byte character are one column each */
	assert_string_equal(at(&doc, jsonpos_kid(&doc.root, 1)->val_off, buf, sizeof(buf)), "3:7");
	assert_string_equal(at(&doc, jsonpos_kid(&doc.root, 2)->key_off, buf, sizeof(buf)), "4:3");
	/* no such child: the parent, never out of bounds */
	assert_ptr_equal(jsonpos_kid(b, 0), b);

	assert_int_equal(jsonpos_member(doc.json, &doc.root, "é", &it, &a), 1);
	assert_string_equal(it->valuestring, "x");
	assert_string_equal(at(&doc, a->key_off, buf, sizeof(buf)), "3:2");
	assert_int_equal(jsonpos_member(doc.json, &doc.root, "nope", &it, &a), 0);

	assert_int_equal(jsonpos_check_repeats(&doc, doc.json, &doc.root, false, "key", " in here"),
			 -EINVAL);
	assert_string_equal(err, "t.json:4:3: duplicate key \"a\" in here (first at 2:3)");
	jsonpos_doc_done(&doc);
}

static void test_failures_name_the_place(void **state)
{
	struct jsonpos_doc doc;
	char err[128];

	assert_int_equal(jsonpos_parse(&doc, "{\"a\": [1,]}", 11, "t.json", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.json:1:9: syntax error: trailing comma before ']'");
	assert_null(doc.json);
	jsonpos_doc_done(&doc);

	assert_int_equal(jsonpos_parse(&doc, "[1]", 3, "t.json", err, sizeof(err)), 0);
	assert_int_equal(jsonpos_fail(&doc, 1, "%s is %d", "one", 1), -EINVAL);
	assert_string_equal(err, "t.json:1:2: one is 1");
	jsonpos_doc_done(&doc);

	/* no room for a message: still an error, nothing written */
	assert_int_equal(jsonpos_parse(&doc, "x", 1, "t.json", NULL, 0), -EINVAL);
	jsonpos_doc_done(&doc);
	/* the message is cut to the buffer, never past it */
	memset(err, 'z', sizeof(err));
	assert_int_equal(jsonpos_parse(&doc, "", 0, "t.json", err, 12), -EINVAL);
	assert_string_equal(err, "t.json:1:1:");
	assert_int_equal(err[12], 'z');
	jsonpos_doc_done(&doc);
}

static void test_quote_and_repeats(void **state)
{
	char q[128], small[16];
	const char *keys[] = {"b", "A", "c", "a", "B"};
	size_t first = 0, repeat = 0;

	assert_string_equal(jsonpos_quote("say \"hi\"\\", q, sizeof(q)), "\"say \\\"hi\\\"\\\\\"");
	assert_string_equal(jsonpos_quote("\x1b[2J\xc2\x9b", q, sizeof(q)), "\"\\x1b[2J\\u009b\"");
	/* long text is cut between characters, and says so */
	assert_string_equal(jsonpos_quote("ééééééééé", small, sizeof(small)), "\"éééé...\"");
	assert_string_equal(jsonpos_quote("x", small, 4), "");

	assert_int_equal(jsonpos_find_repeat(keys, 5, false, &first, &repeat), 0);
	/* A and a come before b and B: the first repeat in document order wins */
	assert_int_equal(jsonpos_find_repeat(keys, 5, true, &first, &repeat), 1);
	assert_int_equal(first, 1);
	assert_int_equal(repeat, 3);
}

/* ---- readfile ------------------------------------------------------------ */

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
	strcpy(tmpdir, "/tmp/test_jsonpos.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmpdir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_bytes(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('x', f);
	assert_int_equal(fclose(f), 0);
}

static void test_readfile_refuses(void **state)
{
	char path[128], fifo[128], want[256], err[256], *text;
	size_t len;

	snprintf(path, sizeof(path), "%s/f.json", tmpdir);
	/* exactly the cap is fine, one byte more is not */
	write_bytes(path, 2048);
	assert_int_equal(readfile(path, 2048, READFILE_REGULAR, &text, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 2048);
	assert_int_equal(text[len], '\0');
	free(text);
	assert_int_equal(readfile(path, 2047, 0, &text, &len, err, sizeof(err)), -EFBIG);
	assert_null(text);
	snprintf(want, sizeof(want), "%s: file is too large (more than 2047 bytes)", path);
	assert_string_equal(err, want);
	assert_int_equal(readfile(path, 1024, 0, &text, &len, err, sizeof(err)), -EFBIG);
	snprintf(want, sizeof(want), "%s: file is too large (more than 1 KiB)", path);
	assert_string_equal(err, want);

	write_bytes(path, 0);
	assert_int_equal(readfile(path, 10, 0, &text, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	free(text);

	assert_int_equal(readfile(tmpdir, 10, 0, &text, &len, err, sizeof(err)), -EISDIR);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmpdir);
	assert_string_equal(err, want);

	snprintf(path, sizeof(path), "%s/none.json", tmpdir);
	assert_int_equal(readfile(path, 10, 0, &text, &len, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	assert_string_equal(err, want);

	/* a FIFO nobody writes: refused at once when only regular files will do
	 * (a hang here is the failure) */
	snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(readfile(fifo, 10, READFILE_REGULAR, &text, &len, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: not a regular file", fifo);
	assert_string_equal(err, want);
}

/* A pipe has no size up front: it is read to its end, and cut off at the cap. */
static void test_readfile_reads_a_pipe(void **state)
{
	char path[64], err[256], *text;
	size_t len;
	int fds[2];

	for (int round = 0; round < 2; round++) {
		size_t n = round == 0 ? 40000 : 40001;

		assert_int_equal(pipe(fds), 0);
		if (fork() == 0) {
			close(fds[0]);
			for (size_t i = 0; i < n; i++) {
				if (write(fds[1], "y", 1) != 1)
					_exit(1);
			}
			_exit(0);
		}
		close(fds[1]);
		snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
		if (round == 0) {
			assert_int_equal(readfile(path, 40000, 0, &text, &len, err, sizeof(err)), 0);
			assert_int_equal(len, 40000);
			assert_int_equal(strspn(text, "y"), 40000);
			free(text);
		} else {
			assert_int_equal(readfile(path, 40000, 0, &text, &len, err, sizeof(err)), -EFBIG);
		}
		close(fds[0]);
		/* the writer may die of SIGPIPE when we stop early: reaped either way */
		while (wait(NULL) < 0 && errno == EINTR)
			;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_follow_the_tree),
		cmocka_unit_test(test_failures_name_the_place),
		cmocka_unit_test(test_quote_and_repeats),
		cmocka_unit_test(test_readfile_refuses),
		cmocka_unit_test(test_readfile_reads_a_pipe),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
