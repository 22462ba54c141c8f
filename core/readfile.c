/* readfile.c: reads a small file whole (see readfile.h).
 *
 * Plain blocking read(2) into a buffer that grows by doubling, up to the
 * caller's cap; the buffer belongs to the caller on success and is freed here
 * on every error. Nothing is kept between calls. */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIRST_CAP 16384

static int say(char *err, size_t errlen, int rc, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int say(char *err, size_t errlen, int rc, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return rc;
	n = snprintf(err, errlen, "%s: ", path);
	if (n < 0 || (size_t)n >= errlen)
		return rc;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

/* "4 MiB", "256 KiB" or "100 bytes": the cap as a person would write it */
static void size_words(size_t max, char *buf, size_t n)
{
	if (max >= 1024 * 1024 && max % (1024 * 1024) == 0)
		snprintf(buf, n, "%zu MiB", max / (1024 * 1024));
	else if (max >= 1024 && max % 1024 == 0)
		snprintf(buf, n, "%zu KiB", max / 1024);
	else
		snprintf(buf, n, "%zu bytes", max);
}

static int too_large(char *err, size_t errlen, const char *path, size_t max)
{
	char words[32];

	size_words(max, words, sizeof(words));
	return say(err, errlen, -EFBIG, path, "file is too large (more than %s)", words);
}

int readfile(const char *path, size_t max, unsigned flags, char **text, size_t *len, char *err,
	     size_t errlen)
{
	struct stat st;
	size_t cap, n = 0;
	char *buf = NULL;
	int fd, rc;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer we would refuse anyway */
	fd = open(path, O_RDONLY | O_CLOEXEC | ((flags & READFILE_REGULAR) ? O_NONBLOCK : 0));
	if (fd < 0)
		return say(err, errlen, -errno, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = say(err, errlen, -errno, path, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = say(err, errlen, -EISDIR, path, "cannot read: %s", strerror(EISDIR));
		goto out;
	}
	if ((flags & READFILE_REGULAR) && !S_ISREG(st.st_mode)) {
		rc = say(err, errlen, -EINVAL, path, "not a regular file");
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		rc = too_large(err, errlen, path, max);
		goto out;
	}
	/* a regular file's size is known: one read and one more to see its end */
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 2 : FIRST_CAP;
	for (;;) {
		ssize_t got;

		if (buf == NULL || n + 1 >= cap) {
			char *grown;

			if (buf != NULL)
				cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				rc = say(err, errlen, -ENOMEM, path, "out of memory");
				goto out;
			}
			buf = grown;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = say(err, errlen, -errno, path, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			rc = too_large(err, errlen, path, max);
			goto out;
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}
