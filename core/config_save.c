/* config_save.c: writing one setting back into the user's config file (the
 * screen's T saves the theme). Synchronous and small: a key press, not the
 * loop's busy path. */
#include "config_save.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "readfile.h"

#define MAX_CONFIG (4 * 1024 * 1024)

static int write_replace(const char *path, const char *text, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	size_t len = strlen(text);
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: name too long", path);
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return rc;
	}
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) != 0)
		rc = -(errno ? errno : EIO);
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}

int config_save_string(const char *path, const char *preset, const char *key, const char *value, char *err,
		       size_t errlen)
{
	char *text = NULL, *out = NULL, dir[PATH_MAX];
	size_t len = 0;
	cJSON *doc = NULL;
	int rc;

	if (access(path, F_OK) == 0) {
		if (readfile(path, MAX_CONFIG, READFILE_REGULAR, &text, &len, err, errlen) < 0)
			return -EIO;
		doc = cJSON_ParseWithLength(text, len);
		free(text);
		if (!cJSON_IsObject(doc)) {
			cJSON_Delete(doc);
			snprintf(err, errlen, "%s: not a JSON object, left as it is", path);
			return -EINVAL;
		}
	} else {
		char *slash;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			rc = paths_mkdir_p(dir);
			if (rc < 0) {
				snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
				return rc;
			}
		}
		doc = cJSON_CreateObject();
		if (doc && preset)
			cJSON_AddStringToObject(doc, "preset", preset);
	}
	rc = -ENOMEM;
	if (!doc)
		goto out;
	cJSON_DeleteItemFromObjectCaseSensitive(doc, key);
	if (!cJSON_AddStringToObject(doc, key, value))
		goto out;
	out = cJSON_Print(doc);
	if (!out)
		goto out;
	rc = write_replace(path, out, err, errlen);
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(out);
	cJSON_Delete(doc);
	return rc;
}
