/* paths.h: where isitdown's own files live, worked out in one place.
 *
 * The state directory (the event log, exported reports): --state-dir, else
 * $XDG_STATE_HOME/isitdown, else ~/.local/state/isitdown. The config directory
 * (config.json, themes/): $XDG_CONFIG_HOME/isitdown, else ~/.config/isitdown.
 * A relative XDG value is ignored, as the XDG spec says. */
#ifndef ISITDOWN_PATHS_H
#define ISITDOWN_PATHS_H

#include <stddef.h>

/* The state directory into buf; `override` (--state-dir) wins when set.
 * Returns 0, or -ENOENT when none can be named (no HOME), -ENAMETOOLONG. */
int paths_state_dir(const char *override, char *buf, size_t len);

/* The config directory into buf. Returns 0, -ENOENT or -ENAMETOOLONG. */
int paths_config_dir(char *buf, size_t len);

/* Creates path and its missing parents (mode 0700). Returns 0 or -errno. */
int paths_mkdir_p(const char *path);

#endif
