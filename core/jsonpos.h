/* jsonpos.h: JSON that knows the line and column of every key and value.
 *
 * cJSON gives the values but no positions. jsonpos_parse first reads the text
 * with a strict scanner that records where each key and value starts, in a tree
 * (struct jsonpos) shaped exactly like cJSON's: members and elements in document
 * order, duplicates kept. Then cJSON parses the same text. A loader walks the
 * two trees side by side, so each message it writes with jsonpos_fail names the
 * FILE:LINE:COL of the key or value at fault. The scanner is stricter than cJSON
 * (no comments, no trailing commas, no lone surrogates, no \u0000, valid UTF-8
 * only), so text it accepts cJSON accepts too.
 *
 * Used by the config (config.c) and the themes (tui/theme.c): one set of
 * messages for the same mistake in either file. */
#ifndef ISITDOWN_JSONPOS_H
#define ISITDOWN_JSONPOS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* the key_off of an array element and of the top-level value */
#define JSONPOS_NONE SIZE_MAX

struct jsonpos {
	size_t key_off; /* the key's opening quote, or JSONPOS_NONE */
	size_t val_off; /* the value's first character */
	size_t n_kids, cap_kids;
	struct jsonpos *kids; /* an object's members or an array's elements */
};

/* One parsed document. The text is not copied: it must outlive the document.
 * The caller owns the struct and releases it with jsonpos_doc_done. */
struct jsonpos_doc {
	const char *text;
	size_t len;
	const char *name; /* the file, in messages */
	char *err;        /* where jsonpos_fail writes; NULL: nowhere */
	size_t errlen;
	cJSON *json;          /* NULL until parsed */
	struct jsonpos root;
};

/* Parses text (a UTF-8 byte order mark is skipped). Returns 0, or -EINVAL with
 * "NAME:LINE:COL: syntax error: why" or "NAME:LINE:COL: file is empty" in err,
 * or -ENOMEM. Either way doc is ready for jsonpos_fail and must be released
 * with jsonpos_doc_done. */
int jsonpos_parse(struct jsonpos_doc *doc, const char *text, size_t len, const char *name,
		  char *err, size_t errlen);
void jsonpos_doc_done(struct jsonpos_doc *doc);

/* Writes "NAME:LINE:COL: message" about the byte at off to doc->err and returns
 * -EINVAL, so that a loader can `return jsonpos_fail(...)`. */
int jsonpos_fail(const struct jsonpos_doc *doc, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int jsonpos_vfail(const struct jsonpos_doc *doc, size_t off, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* The line and column of the byte at off, both from 1. Columns count
 * characters, not bytes, as editors do; a byte order mark takes none. */
void jsonpos_line_col(const struct jsonpos_doc *doc, size_t off, unsigned *line, unsigned *col);

/* The position of the i-th member or element, or p itself when there is none
 * (the trees cannot disagree, but a message a little off beats a crash). */
const struct jsonpos *jsonpos_kid(const struct jsonpos *p, size_t i);
/* Where a message about a member as a whole points: its key, else its value. */
size_t jsonpos_key_off(const struct jsonpos *p);

/* The first member of obj called key: 1 with the item and its position, 0 when
 * there is none. */
int jsonpos_member(const cJSON *obj, const struct jsonpos *p, const char *key, const cJSON **it,
		   const struct jsonpos **ip);

/* Rejects an object that holds a key twice (cJSON would silently take the
 * first): -EINVAL with "duplicate WHAT "KEY"WHERE (first at LINE:COL)" at the
 * repeat, 0 when every key is once. nocase: keys that differ in case only
 * (header names, host names) are the same key. */
int jsonpos_check_repeats(const struct jsonpos_doc *doc, const cJSON *obj, const struct jsonpos *p,
			  bool nocase, const char *what, const char *where);
/* The first repeat among n strings in document order, in O(n log n): 1 with
 * the indexes of the first occurrence and of the repeat, 0 when there is none,
 * -ENOMEM. */
int jsonpos_find_repeat(const char **keys, size_t n, bool nocase, size_t *first, size_t *repeat);

/* s in double quotes for a message, into buf: control characters escaped (C1
 * ones too: a terminal may obey them written in UTF-8), quotes and backslashes
 * escaped, long text cut between characters with "...". Returns buf. */
const char *jsonpos_quote(const char *s, char *buf, size_t n);

#endif
