/* help.h: the help screen: every key, written from the binding table, and
 * what the marks and glyphs on the screen mean. */
#ifndef ISITDOWN_HELP_H
#define ISITDOWN_HELP_H

#include "draw.h"

/* Fills out with the help text; export_dir says where `e` writes reports. */
void help_lines(const struct screen_ctx *c, struct screen_lines *out, const char *export_dir);

#endif
