/* perfdata.c: one Nagios performance data item at a time, appended to a
 * caller's buffer; see perfdata.h for the grammar. */
#include "perfdata.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

/* The label as the grammar wants it: no '=', quoted when it holds a space or
 * a quote (a quote doubled). */
static void put_label(char *dst, size_t len, const char *raw)
{
	char clean[128];
	bool quote = false;
	size_t o = 0;

	sanitize_into(clean, sizeof(clean), raw ? raw : "", SANITIZE_NUL_TERMINATED, 0);
	for (char *p = clean; *p; p++) {
		if (*p == '=')
			*p = '_';
		if (*p == ' ' || *p == '\'')
			quote = true;
	}
	if (len == 0)
		return;
	if (quote && o + 1 < len)
		dst[o++] = '\'';
	for (const char *p = clean; *p && o + 2 < len; p++) {
		if (*p == '\'') {
			if (o + 3 >= len)
				break;
			dst[o++] = '\'';
		}
		dst[o++] = *p;
	}
	if (quote && o + 1 < len)
		dst[o++] = '\'';
	dst[o] = '\0';
}

static void put_number(char *dst, size_t len, double v)
{
	if (isnan(v))
		dst[0] = '\0';
	else
		snprintf(dst, len, "%.6g", v);
}

int perfdata_append(char *buf, size_t len, const struct perfdata_value *v)
{
	char label[300], value[32], warn[32], crit[32], min[32], max[32];
	size_t used = strlen(buf);
	int n;

	put_label(label, sizeof(label), v->label);
	if (v->known && isfinite(v->value))
		snprintf(value, sizeof(value), "%.6g%s", v->value, v->uom ? v->uom : "");
	else
		snprintf(value, sizeof(value), "U");
	put_number(warn, sizeof(warn), v->warn);
	put_number(crit, sizeof(crit), v->crit);
	put_number(min, sizeof(min), v->min);
	put_number(max, sizeof(max), v->max);
	char item[512];
	size_t ilen;

	snprintf(item, sizeof(item), "%s=%s;%s;%s;%s;%s", label, value, warn, crit, min, max);
	/* empty fields at the end are left out, as plugins usually print them */
	ilen = strlen(item);
	while (ilen > 0 && item[ilen - 1] == ';')
		item[--ilen] = '\0';
	n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", item);
	if (n < 0 || (size_t)n >= len - used) {
		buf[used] = '\0';
		return -1;
	}
	return 0;
}
