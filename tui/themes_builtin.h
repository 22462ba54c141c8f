/* themes_builtin.h: the shipped themes, compiled in so that the binary works
 * with none installed. The texts are the files in themes/, byte for byte. */
#ifndef ISITDOWN_THEMES_BUILTIN_H
#define ISITDOWN_THEMES_BUILTIN_H

#include <stddef.h>

struct theme_source {
	const char *name; /* the file name without ".json" */
	const char *json;
};

/* in the order `t` cycles through them, the default first */
extern const struct theme_source themes_builtin[];
extern const size_t themes_builtin_count;

#endif
