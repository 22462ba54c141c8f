/* once.h: the --once report on stdout, as a table or as JSON. */
#ifndef ISITDOWN_ONCE_H
#define ISITDOWN_ONCE_H

#include <stdbool.h>
#include <stdio.h>

#include "monitor.h"

void once_print_text(FILE *out, const struct monitor *m);
int once_print_json(FILE *out, const struct monitor *m);

#endif
