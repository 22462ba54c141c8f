/* paths.c: the state and config directories, and making a directory with its
 * parents; see paths.h. Synchronous: used at start and on a key press, never
 * on the loop's busy paths (the event log's writer makes its own directories
 * asynchronously). */
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* $XDG_VAR/isitdown, else $HOME/home_rel. */
static int xdg_dir(const char *xdg_var, const char *home_rel, char *buf, size_t len)
{
	const char *xdg = getenv(xdg_var), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/isitdown", xdg);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/%s", home, home_rel);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int paths_state_dir(const char *override, char *buf, size_t len)
{
	if (override && override[0]) {
		int n = snprintf(buf, len, "%s", override);

		return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
	}
	return xdg_dir("XDG_STATE_HOME", ".local/state/isitdown", buf, len);
}

int paths_config_dir(char *buf, size_t len)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config/isitdown", buf, len);
}

int paths_mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}
