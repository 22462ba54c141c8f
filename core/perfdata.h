/* perfdata.h: Nagios plugin performance data ("label=value[UOM];warn;crit;min;max").
 *
 * The grammar is the one of the Nagios plugin development guidelines: labels
 * in single quotes when they hold a space (a quote inside doubled, '=' never
 * allowed), values as plain decimals or U when the value could not be
 * measured, thresholds and limits left empty when there are none. */
#ifndef ISITDOWN_PERFDATA_H
#define ISITDOWN_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>

struct perfdata_value {
	const char *label;  /* raw: cleaned and quoted as the grammar needs */
	bool known;         /* false prints U */
	double value;
	const char *uom;    /* "s", "%", "" ... */
	double warn, crit;  /* NAN when none */
	double min, max;    /* NAN when none */
};

/* Appends one value, preceded by a space unless buf is empty, to the
 * NUL-terminated buf of size len. Returns 0, or -1 when it does not fit
 * (buf is then left as it was). */
int perfdata_append(char *buf, size_t len, const struct perfdata_value *v);

#endif
