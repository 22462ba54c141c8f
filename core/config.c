/* config.c: loading, validating and printing the configuration.
 *
 * A struct config is built here from JSON text (a file or a built-in preset) and
 * handed to the caller, who owns it until config_free; the scheduler and the
 * probes only read it. Every string in it is a private copy.
 *
 * cJSON gives the values but no positions, so the text is first read by a strict
 * JSON scanner of our own that records where each key and value starts, in a
 * tree (struct jpos) shaped exactly like cJSON's: members and elements in document
 * order, duplicates kept. Validation walks the two trees side by side, so each
 * message names the FILE:LINE:COL of the key or value at fault. The scanner is
 * stricter than cJSON (no lone surrogates, no \u0000, valid UTF-8 only), so text
 * it accepts cJSON accepts too. */
#include "config.h"
#include "metrics_server.h"
#include "presets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_INTERVAL_S 10.0
#define DEFAULT_TIMEOUT_S 8.0
#define STATUSPAGE_MIN_INTERVAL_S 60.0
#define MAX_INTERVAL_S 86400.0
#define MIN_INTERVAL_S 0.1
#define MAX_SLOW_MS 86400000.0
#define MAX_BODY_CAP (1024.0 * 1024 * 1024)
#define MAX_FILE_SIZE (4 * 1024 * 1024)
#define MAX_DEPTH 100
/* cJSON copies at most 63 characters of a number; a longer one fails there */
#define MAX_NUMBER_LEN 63
#define UNSET (-1.0)
#define NO_OFF SIZE_MAX

/* ---- positions ---------------------------------------------------------- */

struct jpos {
	size_t key_off;   /* the key's opening quote; NO_OFF for elements and the root */
	size_t val_off;   /* the value's first character */
	size_t n_kids, cap_kids;
	struct jpos *kids;
};

struct scan {
	const char *s;
	size_t len, pos;
	int depth;
	bool empty;   /* nothing but white space: not a syntax error as such */
	size_t err_off;
	char err[96];
};

static void jpos_done(struct jpos *p)
{
	for (size_t i = 0; i < p->n_kids; i++)
		jpos_done(&p->kids[i]);
	free(p->kids);
	p->kids = NULL;
	p->n_kids = p->cap_kids = 0;
}

/* The position node of the i-th child, or the parent when the trees disagree
 * (they cannot, but a message a little off is better than a crash). */
static const struct jpos *jpos_kid(const struct jpos *p, size_t i)
{
	return i < p->n_kids ? &p->kids[i] : p;
}

static size_t jpos_key(const struct jpos *p)
{
	return p->key_off != NO_OFF ? p->key_off : p->val_off;
}

static int jpos_append(struct jpos *p, const struct jpos *kid)
{
	if (p->n_kids == p->cap_kids) {
		size_t cap = p->cap_kids ? p->cap_kids * 2 : 8;
		struct jpos *k = realloc(p->kids, cap * sizeof(*k));
		if (k == NULL)
			return -ENOMEM;
		p->kids = k;
		p->cap_kids = cap;
	}
	p->kids[p->n_kids++] = *kid;
	return 0;
}

static bool has_bom(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* Columns count characters, not bytes, as editors do. */
static void line_col(const char *s, size_t len, size_t off, unsigned *line, unsigned *col)
{
	size_t i = has_bom(s, len) ? 3 : 0;

	*line = 1;
	*col = 1;
	if (off > len)
		off = len;
	for (; i < off; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n') {
			(*line)++;
			*col = 1;
		} else if ((ch & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int scan_fail(struct scan *sc, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scan_fail(struct scan *sc, size_t off, const char *fmt, ...)
{
	va_list ap;

	sc->err_off = off;
	va_start(ap, fmt);
	vsnprintf(sc->err, sizeof(sc->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at the current character, which is not what the grammar wants there. */
static int scan_unexpected(struct scan *sc, const char *expected)
{
	unsigned char c;

	if (sc->pos >= sc->len)
		return scan_fail(sc, sc->pos, "unexpected end of file, %s", expected);
	c = (unsigned char)sc->s[sc->pos];
	if (c == '/')
		return scan_fail(sc, sc->pos, "comments are not allowed in json");
	if (c == '\'')
		return scan_fail(sc, sc->pos, "strings need double quotes, not single");
	if (isalpha(c)) {
		size_t n = 0;
		while (sc->pos + n < sc->len && n < 24 && isalnum((unsigned char)sc->s[sc->pos + n]))
			n++;
		return scan_fail(sc, sc->pos, "%s, found '%.*s'", expected, (int)n, sc->s + sc->pos);
	}
	if (c >= 0x20 && c < 0x7f)
		return scan_fail(sc, sc->pos, "%s, found '%c'", expected, c);
	return scan_fail(sc, sc->pos, "%s, found byte 0x%02x", expected, c);
}

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

/* Length of the UTF-8 sequence at p, or 0 when it is not valid UTF-8. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		if (p[0] == 0xE0)
			lo = 0xA0;
		else if (p[0] == 0xED)
			hi = 0x9F; /* UTF-16 surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		if (p[0] == 0xF0)
			lo = 0x90;
		else if (p[0] == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	}
	return len;
}

static int hex4(const char *s, size_t avail, unsigned *out)
{
	unsigned v = 0;

	if (avail < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int scan_escape(struct scan *sc)
{
	size_t at = sc->pos;
	unsigned cp, lo;
	char c;

	if (at + 1 >= sc->len)
		return scan_fail(sc, at, "unterminated string");
	c = sc->s[at + 1];
	if (strchr("\"\\/bfnrt", c) != NULL && c != '\0') {
		sc->pos += 2;
		return 0;
	}
	if (c != 'u') {
		if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
			return scan_fail(sc, at, "invalid escape '\\%c' in string", c);
		return scan_fail(sc, at, "invalid escape in string");
	}
	if (hex4(sc->s + at + 2, sc->len - at - 2, &cp) < 0)
		return scan_fail(sc, at, "invalid \\u escape in string");
	if (cp == 0)
		return scan_fail(sc, at, "\\u0000 is not allowed in strings");
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return scan_fail(sc, at, "unpaired surrogate in \\u escape");
	sc->pos += 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (sc->pos + 1 >= sc->len || sc->s[sc->pos] != '\\' || sc->s[sc->pos + 1] != 'u'
		    || hex4(sc->s + sc->pos + 2, sc->len - sc->pos - 2, &lo) < 0
		    || lo < 0xDC00 || lo > 0xDFFF)
			return scan_fail(sc, at, "unpaired surrogate in \\u escape");
		sc->pos += 6;
	}
	return 0;
}

static int scan_string(struct scan *sc)
{
	size_t start = sc->pos++;

	for (;;) {
		unsigned char c;
		size_t n;

		if (sc->pos >= sc->len)
			return scan_fail(sc, start, "unterminated string");
		c = (unsigned char)sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			return 0;
		}
		/* a line break inside a string is nearly always a missing closing quote */
		if (c == '\n' || c == '\r')
			return scan_fail(sc, start, "unterminated string");
		if (c < 0x20)
			return scan_fail(sc, sc->pos, "control character in string");
		if (c == '\\') {
			if (scan_escape(sc) < 0)
				return -1;
			continue;
		}
		n = utf8_seq((const unsigned char *)sc->s + sc->pos, sc->len - sc->pos);
		if (n == 0)
			return scan_fail(sc, sc->pos, "invalid utf-8 in string");
		sc->pos += n;
	}
}

static bool is_digit(const struct scan *sc)
{
	return sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9';
}

static int scan_number(struct scan *sc)
{
	size_t start = sc->pos;

	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos < sc->len && sc->s[sc->pos] == '0') {
		sc->pos++;
	} else if (is_digit(sc)) {
		while (is_digit(sc))
			sc->pos++;
	} else {
		return scan_fail(sc, start, "invalid number");
	}
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (!is_digit(sc))
			return scan_fail(sc, start, "invalid number");
		while (is_digit(sc))
			sc->pos++;
	}
	if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len && (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
			sc->pos++;
		if (!is_digit(sc))
			return scan_fail(sc, start, "invalid number");
		while (is_digit(sc))
			sc->pos++;
	}
	/* "01", "1x", "1.2.3": the number must end where the grammar says */
	if (sc->pos < sc->len && (isalnum((unsigned char)sc->s[sc->pos]) || sc->s[sc->pos] == '.'))
		return scan_fail(sc, start, "invalid number");
	if (sc->pos - start > MAX_NUMBER_LEN)
		return scan_fail(sc, start, "number is too long");
	return 0;
}

static int scan_literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);

	if (sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, word, n) == 0
	    && (sc->pos + n >= sc->len || !isalnum((unsigned char)sc->s[sc->pos + n]))) {
		sc->pos += n;
		return 0;
	}
	return scan_unexpected(sc, "expected a value");
}

static int scan_value(struct scan *sc, struct jpos *node);

static int scan_object(struct scan *sc, struct jpos *node)
{
	size_t comma = NO_OFF;

	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		struct jpos kid = {0};

		skip_ws(sc);
		if (comma != NO_OFF && sc->pos < sc->len && sc->s[sc->pos] == '}')
			return scan_fail(sc, comma, "trailing comma before '}'");
		if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
			return scan_unexpected(sc, "expected a key in double quotes");
		kid.key_off = sc->pos;
		if (scan_string(sc) < 0)
			return -1;
		skip_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
			return scan_unexpected(sc, "expected ':' after the key");
		sc->pos++;
		skip_ws(sc);
		kid.val_off = sc->pos;
		if (scan_value(sc, &kid) < 0 || jpos_append(node, &kid) < 0) {
			jpos_done(&kid);
			if (sc->err[0] == '\0')
				return scan_fail(sc, kid.key_off, "out of memory");
			return -1;
		}
		skip_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			comma = sc->pos++;
			continue;
		}
		if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
			sc->pos++;
			return 0;
		}
		return scan_unexpected(sc, "expected ',' or '}'");
	}
}

static int scan_array(struct scan *sc, struct jpos *node)
{
	size_t comma = NO_OFF;

	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		struct jpos kid = {0};

		skip_ws(sc);
		if (comma != NO_OFF && sc->pos < sc->len && sc->s[sc->pos] == ']')
			return scan_fail(sc, comma, "trailing comma before ']'");
		kid.key_off = NO_OFF;
		kid.val_off = sc->pos;
		if (scan_value(sc, &kid) < 0 || jpos_append(node, &kid) < 0) {
			jpos_done(&kid);
			if (sc->err[0] == '\0')
				return scan_fail(sc, kid.val_off, "out of memory");
			return -1;
		}
		skip_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			comma = sc->pos++;
			continue;
		}
		if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
			sc->pos++;
			return 0;
		}
		return scan_unexpected(sc, "expected ',' or ']'");
	}
}

static int scan_value(struct scan *sc, struct jpos *node)
{
	char c;
	int rc;

	if (sc->pos >= sc->len)
		return scan_unexpected(sc, "expected a value");
	c = sc->s[sc->pos];
	switch (c) {
	case '{':
	case '[':
		if (++sc->depth > MAX_DEPTH)
			return scan_fail(sc, sc->pos, "nesting is too deep");
		rc = c == '{' ? scan_object(sc, node) : scan_array(sc, node);
		sc->depth--;
		return rc;
	case '"':
		return scan_string(sc);
	case 't':
		return scan_literal(sc, "true");
	case 'f':
		return scan_literal(sc, "false");
	case 'n':
		return scan_literal(sc, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return scan_number(sc);
		return scan_unexpected(sc, "expected a value");
	}
}

static int scan_document(struct scan *sc, struct jpos *root)
{
	if (has_bom(sc->s, sc->len))
		sc->pos = 3;
	skip_ws(sc);
	if (sc->pos >= sc->len) {
		sc->empty = true;
		return scan_fail(sc, sc->pos, "file is empty");
	}
	root->key_off = NO_OFF;
	root->val_off = sc->pos;
	if (scan_value(sc, root) < 0)
		return -1;
	skip_ws(sc);
	if (sc->pos < sc->len)
		return scan_unexpected(sc, "expected the end of the file after the top-level value");
	return 0;
}

/* ---- validation --------------------------------------------------------- */

struct ctx {
	const char *text;
	size_t len;
	const char *name;
	char *err;
	size_t errlen;
	const char *base_dir; /* set when loading a file: ca_file is checked there */
	char where[160];      /* " in target \"api\"", " in targets[2]", or "" */
};

static int failf(struct ctx *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int failf(struct ctx *c, size_t off, const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;
	int n;

	if (c->err == NULL || c->errlen == 0)
		return -EINVAL;
	line_col(c->text, c->len, off, &line, &col);
	n = snprintf(c->err, c->errlen, "%s:%u:%u: ", c->name, line, col);
	if (n < 0 || (size_t)n >= c->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* s in double quotes for a message, control characters escaped (C1 ones too:
 * a terminal may obey them written in UTF-8), long text cut between
 * characters. */
static const char *quote(const char *s, char *buf, size_t n)
{
	size_t o = 0, i = 0;

	if (n < 8) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	while (s[i] != '\0' && o + 7 < n && i < 48) {
		unsigned char ch = (unsigned char)s[i];
		unsigned char next = (unsigned char)s[i + 1];
		size_t k = 1;

		if (ch < 0x20 || ch == 0x7f) {
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
		} else if (ch == 0xc2 && next >= 0x80 && next <= 0x9f) {
			o += (size_t)snprintf(buf + o, n - o, "\\u%04x", next);
			k = 2;
		} else if (ch >= 0x80) {
			/* the whole character or none of it */
			while (k < 4 && ((unsigned char)s[i + k] & 0xc0) == 0x80)
				k++;
			if (o + k + 2 >= n)
				break;
			memcpy(buf + o, s + i, k);
			o += k;
		} else {
			if (ch == '"' || ch == '\\')
				buf[o++] = '\\';
			buf[o++] = (char)ch;
		}
		i += k;
	}
	if (s[i] != '\0' && o + 5 < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static bool has_control(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

static int take_string(struct ctx *c, const cJSON *it, const struct jpos *p, bool nullable, char **out)
{
	char *copy;

	if (nullable && cJSON_IsNull(it)) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return failf(c, p->val_off, "%s%s must be a string", it->string, c->where);
	if (it->valuestring[0] == '\0')
		return failf(c, p->val_off, "%s%s must not be empty", it->string, c->where);
	if (has_control(it->valuestring))
		return failf(c, p->val_off, "%s%s must not contain control characters", it->string, c->where);
	copy = strdup(it->valuestring);
	if (copy == NULL)
		return failf(c, p->val_off, "out of memory");
	free(*out);
	*out = copy;
	return 0;
}

static int take_number(struct ctx *c, const cJSON *it, const struct jpos *p, double *out)
{
	if (!cJSON_IsNumber(it))
		return failf(c, p->val_off, "%s%s must be a number", it->string, c->where);
	*out = it->valuedouble;
	return 0;
}

static int take_bool(struct ctx *c, const cJSON *it, const struct jpos *p, bool *out)
{
	if (!cJSON_IsBool(it))
		return failf(c, p->val_off, "%s%s must be true or false", it->string, c->where);
	*out = cJSON_IsTrue(it);
	return 0;
}

static int take_interval(struct ctx *c, const cJSON *it, const struct jpos *p, double *out)
{
	if (take_number(c, it, p, out) < 0)
		return -EINVAL;
	if (!(*out >= MIN_INTERVAL_S && *out <= MAX_INTERVAL_S))
		return failf(c, p->val_off, "%s%s must be from 0.1 to 86400 seconds", it->string, c->where);
	return 0;
}

static int take_timeout(struct ctx *c, const cJSON *it, const struct jpos *p, double *out)
{
	if (take_number(c, it, p, out) < 0)
		return -EINVAL;
	if (!(*out > 0 && *out <= MAX_INTERVAL_S))
		return failf(c, p->val_off, "%s%s must be more than 0 and at most 86400 seconds",
			     it->string, c->where);
	return 0;
}

static bool is_integer_in(double v, double lo, double hi)
{
	return v >= lo && v <= hi && floor(v) == v;
}

struct keyref {
	const char *key;
	size_t idx;
};

static int cmp_keyref(const void *a, const void *b, bool nocase)
{
	const struct keyref *x = a, *y = b;
	int r = nocase ? strcasecmp(x->key, y->key) : strcmp(x->key, y->key);

	if (r != 0)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_keyref_case(const void *a, const void *b)
{
	return cmp_keyref(a, b, false);
}

static int cmp_keyref_nocase(const void *a, const void *b)
{
	return cmp_keyref(a, b, true);
}

/* Finds the first repeated key of an object in document order, in O(n log n)
 * since a file may be large. Returns 1 with the indexes of the first occurrence
 * and of the repeat, 0 when there is none, negative when out of memory. */
static int find_repeat(const char **keys, size_t n, bool nocase, size_t *first, size_t *repeat)
{
	struct keyref *refs;
	int found = 0;

	if (n < 2)
		return 0;
	refs = calloc(n, sizeof(*refs));
	if (refs == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		refs[i].key = keys[i];
		refs[i].idx = i;
	}
	qsort(refs, n, sizeof(*refs), nocase ? cmp_keyref_nocase : cmp_keyref_case);
	for (size_t i = 1; i < n; i++) {
		bool same = nocase ? strcasecmp(refs[i].key, refs[i - 1].key) == 0
				   : strcmp(refs[i].key, refs[i - 1].key) == 0;
		/* within a run of equal keys the second entry is the earliest repeat */
		bool second = same && (i < 2 || (nocase ? strcasecmp(refs[i - 1].key, refs[i - 2].key) != 0
						       : strcmp(refs[i - 1].key, refs[i - 2].key) != 0));
		if (second && (!found || refs[i].idx < *repeat)) {
			*first = refs[i - 1].idx;
			*repeat = refs[i].idx;
			found = 1;
		}
	}
	free(refs);
	return found;
}

/* Rejects an object that holds a key twice: cJSON would silently take the first. */
static int check_repeated_keys(struct ctx *c, const cJSON *obj, const struct jpos *p, bool nocase,
			       const char *what)
{
	size_t n = (size_t)cJSON_GetArraySize(obj), i = 0, first = 0, repeat = 0;
	const char **keys;
	const cJSON *it;
	char q[128];
	unsigned line, col;
	int rc;

	if (n < 2)
		return 0;
	keys = calloc(n, sizeof(*keys));
	if (keys == NULL)
		return failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		keys[i++] = it->string ? it->string : "";
	}
	rc = find_repeat(keys, i, nocase, &first, &repeat);
	if (rc <= 0) {
		free(keys);
		return rc < 0 ? failf(c, p->val_off, "out of memory") : 0;
	}
	line_col(c->text, c->len, jpos_key(jpos_kid(p, first)), &line, &col);
	quote(keys[repeat], q, sizeof(q));
	free(keys);
	return failf(c, jpos_key(jpos_kid(p, repeat)), "duplicate %s %s%s (first at %u:%u)", what, q,
		     c->where, line, col);
}

/* ${NAME} references: NAME is [A-Za-z_][A-Za-z0-9_]*. */
enum { VAR_NONE, VAR_FOUND, VAR_UNTERMINATED, VAR_BAD_NAME };

struct varref {
	size_t start, end;      /* "${" .. one past "}" */
	size_t name_off, name_len;
};

static int next_var(const char *v, size_t from, struct varref *r)
{
	const char *p = strstr(v + from, "${");
	const char *close;

	if (p == NULL)
		return VAR_NONE;
	close = strchr(p + 2, '}');
	if (close == NULL)
		return VAR_UNTERMINATED;
	r->start = (size_t)(p - v);
	r->end = (size_t)(close - v) + 1;
	r->name_off = r->start + 2;
	r->name_len = (size_t)(close - p) - 2;
	if (r->name_len == 0 || !(isalpha((unsigned char)p[2]) || p[2] == '_'))
		return VAR_BAD_NAME;
	for (const char *q = p + 2; q < close; q++) {
		if (!isalnum((unsigned char)*q) && *q != '_')
			return VAR_BAD_NAME;
	}
	return VAR_FOUND;
}

static bool is_tchar(unsigned char ch)
{
	return isalnum(ch) || (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static int take_headers(struct ctx *c, const cJSON *obj, const struct jpos *p, struct target *t)
{
	const cJSON *it;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(obj))
		return failf(c, p->val_off, "headers%s must be an object", c->where);
	if (check_repeated_keys(c, obj, p, true, "header") < 0)
		return -EINVAL;
	t->headers = calloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*t->headers));
	if (t->headers == NULL)
		return failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		const struct jpos *ip = jpos_kid(p, i++);
		const char *name = it->string ? it->string : "";
		struct header_kv *h;
		struct varref r;
		size_t from = 0;
		int vr;

		quote(name, q, sizeof(q));
		if (name[0] == '\0')
			return failf(c, jpos_key(ip), "empty header name%s", c->where);
		for (const char *s = name; *s; s++) {
			if (!is_tchar((unsigned char)*s))
				return failf(c, jpos_key(ip), "header name %s%s is not valid", q, c->where);
		}
		if (!cJSON_IsString(it))
			return failf(c, ip->val_off, "header %s%s must be a string", q, c->where);
		for (const char *s = it->valuestring; *s; s++) {
			if (*s == '\r' || *s == '\n')
				return failf(c, ip->val_off, "header %s%s contains a line break", q, c->where);
			if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
				return failf(c, ip->val_off, "header %s%s contains a control character", q,
					     c->where);
		}
		for (;;) {
			vr = next_var(it->valuestring, from, &r);
			if (vr != VAR_FOUND)
				break;
			from = r.end;
		}
		if (vr == VAR_UNTERMINATED)
			return failf(c, ip->val_off, "header %s%s has a ${ without its }", q, c->where);
		if (vr == VAR_BAD_NAME)
			return failf(c, ip->val_off, "header %s%s has a bad variable name in ${...}", q,
				     c->where);
		h = &t->headers[t->n_headers];
		h->name = strdup(name);
		h->value = strdup(it->valuestring);
		t->n_headers++;
		if (h->name == NULL || h->value == NULL)
			return failf(c, ip->val_off, "out of memory");
	}
	return 0;
}

static int take_statuses(struct ctx *c, const cJSON *arr, const struct jpos *p, int *codes, size_t *n)
{
	const cJSON *it;
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return failf(c, p->val_off, "%s%s must be an array of status codes", arr->string, c->where);
	*n = 0;
	cJSON_ArrayForEach(it, arr) {
		const struct jpos *ip = jpos_kid(p, i++);

		if (!cJSON_IsNumber(it) || !is_integer_in(it->valuedouble, 100, 599))
			return failf(c, ip->val_off, "%s%s must hold status codes from 100 to 599",
				     arr->string, c->where);
		if (*n == CONFIG_MAX_EXPECT)
			return failf(c, ip->val_off, "%s%s holds more than %d codes", arr->string, c->where,
				     CONFIG_MAX_EXPECT);
		codes[(*n)++] = (int)it->valuedouble;
	}
	return 0;
}

static bool scheme_is(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

/* libcurl has the last word on a url: what it cannot parse (a port past
 * 65535, a broken [ipv6] literal, a file:// url naming another host) would
 * otherwise fail on every probe, far from the line that is wrong. */
static int check_url_parses(struct ctx *c, const cJSON *it, const struct jpos *p, const char *url)
{
	CURLU *u = curl_url();
	CURLUcode rc;
	char why[128];

	if (u == NULL)
		return failf(c, p->val_off, "out of memory");
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	curl_url_cleanup(u);
	if (rc == CURLUE_OK)
		return 0;
	if (rc == CURLUE_OUT_OF_MEMORY)
		return failf(c, p->val_off, "out of memory");
	snprintf(why, sizeof(why), "%s", curl_url_strerror(rc));
	why[0] = (char)tolower((unsigned char)why[0]);
	return failf(c, p->val_off, "%s%s is not valid: %s", it->string, c->where, why);
}

static int take_url(struct ctx *c, const cJSON *it, const struct jpos *p, char **out)
{
	const char *u;

	if (take_string(c, it, p, false, out) < 0)
		return -EINVAL;
	u = *out;
	for (const char *s = u; *s; s++) {
		if (*s == ' ')
			return failf(c, p->val_off, "%s%s contains a space", it->string, c->where);
	}
	if (scheme_is(u, "file"))
		return 0;
	if (!scheme_is(u, "http") && !scheme_is(u, "https"))
		return failf(c, p->val_off, "%s%s must start with http://, https:// or file://",
			     it->string, c->where);
	u = strstr(u, "://") + 3;
	if (*u == '\0' || *u == '/' || *u == '?' || *u == '#')
		return failf(c, p->val_off, "%s%s has no host", it->string, c->where);
	return check_url_parses(c, it, p, *out);
}

static int take_proxy(struct ctx *c, const cJSON *it, const struct jpos *p, char **out)
{
	static const char *const schemes[] = {"http", "https", "socks4", "socks4a", "socks5", "socks5h"};
	const char *u;

	/* "" is meaningful (no proxy, whatever the environment says), so not take_string */
	if (cJSON_IsNull(it)) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(it))
		return failf(c, p->val_off, "proxy%s must be a string", c->where);
	u = it->valuestring;
	if (has_control(u) || strchr(u, ' ') != NULL)
		return failf(c, p->val_off, "proxy%s contains a space or control character", c->where);
	if (strstr(u, "://") != NULL) {
		bool ok = false;
		for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			ok = ok || scheme_is(u, schemes[i]);
		if (!ok)
			return failf(c, p->val_off, "proxy%s must be an http, https, socks4, socks4a, "
				     "socks5 or socks5h url", c->where);
	}
	free(*out);
	*out = strdup(u);
	if (*out == NULL)
		return failf(c, p->val_off, "out of memory");
	return 0;
}

static int take_host(struct ctx *c, const cJSON *it, const struct jpos *p, char **out)
{
	if (take_string(c, it, p, false, out) < 0)
		return -EINVAL;
	if (strstr(*out, "://") != NULL)
		return failf(c, p->val_off, "host%s must be a name or an address, not a url", c->where);
	for (const char *s = *out; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (!isalnum(ch) && ch < 0x80 && strchr(".-_:[]%", ch) == NULL)
			return failf(c, p->val_off, "host%s must be a name or an address", c->where);
	}
	return 0;
}

static int take_ca_file(struct ctx *c, const cJSON *it, const struct jpos *p, char **out)
{
	char *path;

	if (take_string(c, it, p, true, out) < 0)
		return -EINVAL;
	if (*out == NULL || c->base_dir == NULL)
		return 0;
	if ((*out)[0] != '/') {
		if (asprintf(&path, "%s/%s", c->base_dir, *out) < 0)
			return failf(c, p->val_off, "out of memory");
		free(*out);
		*out = path;
	}
	if (access(*out, R_OK) < 0) {
		char q[128];
		return failf(c, p->val_off, "cannot read ca_file %s%s: %s", quote(*out, q, sizeof(q)),
			     c->where, strerror(errno));
	}
	return 0;
}

/* Which kinds each target key applies to. */
#define K_HTTP (1u << TARGET_HTTP)
#define K_DNS (1u << TARGET_DNS)
#define K_TCP (1u << TARGET_TCP)
#define K_SP (1u << TARGET_STATUSPAGE)
#define K_ALL (K_HTTP | K_DNS | K_TCP | K_SP)

static const struct {
	const char *key;
	unsigned kinds;
} target_keys[] = {
	{"name", K_ALL}, {"kind", K_ALL}, {"url", K_HTTP | K_SP}, {"host", K_DNS | K_TCP},
	{"port", K_TCP}, {"method", K_HTTP}, {"headers", K_HTTP | K_SP},
	{"expect_status", K_HTTP}, {"expect_status_with_key", K_HTTP}, {"body_contains", K_HTTP},
	{"component", K_ALL}, {"role", K_ALL}, {"ip_family", K_ALL}, {"proxy", K_HTTP | K_SP},
	{"interval_s", K_ALL}, {"timeout_s", K_ALL}, {"slow_ms", K_ALL},
	{"body_cap", K_HTTP | K_SP}, {"reuse_connection", K_HTTP | K_SP},
	{"differential", K_HTTP | K_TCP}, {"components_url", K_SP}, {"ca_file", K_HTTP | K_SP},
};

static const char *const kind_names[] = {"http", "dns", "tcp", "statuspage"};

static int find_member(const cJSON *obj, const struct jpos *p, const char *key, const cJSON **it,
		       const struct jpos **ip)
{
	size_t i = 0;
	const cJSON *m;

	cJSON_ArrayForEach(m, obj) {
		if (m->string != NULL && strcmp(m->string, key) == 0) {
			*it = m;
			*ip = jpos_kid(p, i);
			return 1;
		}
		i++;
	}
	return 0;
}

static int take_target_member(struct ctx *c, const cJSON *it, const struct jpos *ip, struct target *t,
			      size_t *body_contains_off)
{
	const char *k = it->string;

	if (strcmp(k, "name") == 0 || strcmp(k, "kind") == 0)
		return 0; /* taken first */
	if (strcmp(k, "url") == 0)
		return take_url(c, it, ip, &t->url);
	if (strcmp(k, "host") == 0)
		return take_host(c, it, ip, &t->host);
	if (strcmp(k, "port") == 0) {
		if (!cJSON_IsNumber(it) || !is_integer_in(it->valuedouble, 1, 65535))
			return failf(c, ip->val_off, "port%s must be an integer from 1 to 65535", c->where);
		t->port = (int)it->valuedouble;
		return 0;
	}
	if (strcmp(k, "method") == 0) {
		if (!cJSON_IsString(it))
			return failf(c, ip->val_off, "method%s must be a string", c->where);
		if (strcasecmp(it->valuestring, "GET") != 0 && strcasecmp(it->valuestring, "HEAD") != 0)
			return failf(c, ip->val_off, "method%s must be GET or HEAD", c->where);
		free(t->method);
		t->method = strdup(strcasecmp(it->valuestring, "GET") == 0 ? "GET" : "HEAD");
		return t->method ? 0 : failf(c, ip->val_off, "out of memory");
	}
	if (strcmp(k, "headers") == 0)
		return take_headers(c, it, ip, t);
	if (strcmp(k, "expect_status") == 0)
		return take_statuses(c, it, ip, t->expect_status, &t->n_expect);
	if (strcmp(k, "expect_status_with_key") == 0)
		return take_statuses(c, it, ip, t->expect_status_with_key, &t->n_expect_with_key);
	if (strcmp(k, "body_contains") == 0) {
		*body_contains_off = jpos_key(ip);
		return take_string(c, it, ip, true, &t->body_contains);
	}
	if (strcmp(k, "component") == 0)
		return take_string(c, it, ip, true, &t->component);
	if (strcmp(k, "role") == 0) {
		if (cJSON_IsString(it) && strcmp(it->valuestring, "service") == 0)
			t->role = TARGET_ROLE_SERVICE;
		else if (cJSON_IsString(it) && strcmp(it->valuestring, "control") == 0)
			t->role = TARGET_ROLE_CONTROL;
		else
			return failf(c, ip->val_off, "role%s must be \"service\" or \"control\"", c->where);
		return 0;
	}
	if (strcmp(k, "ip_family") == 0) {
		const char *v = cJSON_IsString(it) ? it->valuestring : "";
		if (strcmp(v, "auto") == 0)
			t->ip_family = IP_FAMILY_AUTO;
		else if (strcmp(v, "v4") == 0)
			t->ip_family = IP_FAMILY_V4;
		else if (strcmp(v, "v6") == 0)
			t->ip_family = IP_FAMILY_V6;
		else
			return failf(c, ip->val_off, "ip_family%s must be \"auto\", \"v4\" or \"v6\"", c->where);
		return 0;
	}
	if (strcmp(k, "proxy") == 0)
		return take_proxy(c, it, ip, &t->proxy);
	if (strcmp(k, "interval_s") == 0)
		return take_interval(c, it, ip, &t->interval_s);
	if (strcmp(k, "timeout_s") == 0)
		return take_timeout(c, it, ip, &t->timeout_s);
	if (strcmp(k, "slow_ms") == 0) {
		if (take_number(c, it, ip, &t->slow_ms) < 0)
			return -EINVAL;
		if (!(t->slow_ms > 0 && t->slow_ms <= MAX_SLOW_MS))
			return failf(c, ip->val_off, "slow_ms%s must be more than 0 and at most 86400000",
				     c->where);
		return 0;
	}
	if (strcmp(k, "body_cap") == 0) {
		if (!cJSON_IsNumber(it) || !is_integer_in(it->valuedouble, 1, MAX_BODY_CAP))
			return failf(c, ip->val_off, "body_cap%s must be an integer from 1 to 1073741824",
				     c->where);
		t->body_cap = (size_t)it->valuedouble;
		return 0;
	}
	if (strcmp(k, "reuse_connection") == 0)
		return take_bool(c, it, ip, &t->reuse_connection);
	if (strcmp(k, "differential") == 0)
		return take_bool(c, it, ip, &t->differential);
	if (strcmp(k, "components_url") == 0) {
		if (cJSON_IsNull(it))
			return 0;
		return take_url(c, it, ip, &t->status_components_url);
	}
	if (strcmp(k, "ca_file") == 0)
		return take_ca_file(c, it, ip, &t->ca_file);
	return failf(c, jpos_key(ip), "internal error: key %s not handled", k);
}

static int parse_target(struct ctx *c, const cJSON *obj, const struct jpos *p, size_t idx, struct target *t)
{
	const cJSON *it;
	const struct jpos *ip;
	size_t i = 0, body_contains_off = NO_OFF;
	char q[128];

	t->kind = TARGET_HTTP;
	t->interval_s = t->timeout_s = t->slow_ms = UNSET;
	t->body_cap = CONFIG_DEFAULT_BODY_CAP;
	t->method = strdup("GET");
	if (t->method == NULL)
		return failf(c, p->val_off, "out of memory");
	snprintf(c->where, sizeof(c->where), " in targets[%zu]", idx);
	if (!cJSON_IsObject(obj))
		return failf(c, p->val_off, "targets[%zu] must be an object", idx);

	/* the name first, so that every message can say which target it is about,
	 * and the kind, against which every other key is checked */
	if (find_member(obj, p, "name", &it, &ip)) {
		if (take_string(c, it, ip, false, &t->name) < 0)
			return -EINVAL;
		snprintf(c->where, sizeof(c->where), " in target %s", quote(t->name, q, sizeof(q)));
	}
	if (check_repeated_keys(c, obj, p, false, "key") < 0)
		return -EINVAL;
	if (find_member(obj, p, "kind", &it, &ip)) {
		size_t k;
		for (k = 0; k < 4; k++) {
			if (cJSON_IsString(it) && strcmp(it->valuestring, kind_names[k]) == 0)
				break;
		}
		if (k == 4)
			return failf(c, ip->val_off, "kind%s must be \"http\", \"dns\", \"tcp\" or \"statuspage\"",
				     c->where);
		t->kind = (enum target_kind)k;
	}

	cJSON_ArrayForEach(it, obj) {
		size_t k, n = sizeof(target_keys) / sizeof(target_keys[0]);

		ip = jpos_kid(p, i++);
		for (k = 0; k < n; k++) {
			if (strcmp(target_keys[k].key, it->string) == 0)
				break;
		}
		if (k == n)
			return failf(c, jpos_key(ip), "unknown key %s%s", quote(it->string, q, sizeof(q)),
				     c->where);
		if (!(target_keys[k].kinds & (1u << t->kind)))
			return failf(c, jpos_key(ip), "key \"%s\" does not apply to kind %s%s",
				     target_keys[k].key, kind_names[t->kind], c->where);
		if (take_target_member(c, it, ip, t, &body_contains_off) < 0)
			return -EINVAL;
	}

	if (t->name == NULL)
		return failf(c, p->val_off, "missing key \"name\"%s", c->where);
	if ((t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE) && t->url == NULL)
		return failf(c, p->val_off, "missing key \"url\"%s", c->where);
	if ((t->kind == TARGET_DNS || t->kind == TARGET_TCP) && t->host == NULL)
		return failf(c, p->val_off, "missing key \"host\"%s", c->where);
	if (t->kind == TARGET_TCP && t->port == 0)
		return failf(c, p->val_off, "missing key \"port\"%s", c->where);
	if (t->body_contains != NULL && strcmp(t->method, "HEAD") == 0)
		return failf(c, body_contains_off, "body_contains%s needs method GET, not HEAD", c->where);
	return 0;
}

/* The address --metrics takes, read by the same parser: an IP literal and a
 * port (0: any free port), or a port alone (loopback). Never a name, which
 * would need a resolver at start and may resolve off loopback. */
static bool valid_metrics_addr(const char *s)
{
	struct sockaddr_storage addr;

	return metrics_server_parse_addr(s, &addr) == 0;
}

static int take_resolve(struct ctx *c, const cJSON *obj, const struct jpos *p, struct config *cfg)
{
	const cJSON *it;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(obj))
		return failf(c, p->val_off, "resolve must be an object of host names and addresses");
	if (check_repeated_keys(c, obj, p, true, "host") < 0)
		return -EINVAL;
	cfg->resolve = calloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*cfg->resolve));
	if (cfg->resolve == NULL)
		return failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		const struct jpos *ip = jpos_kid(p, i++);
		struct resolve_override *r;
		unsigned char buf[sizeof(struct in6_addr)];
		const char *host = it->string ? it->string : "";

		quote(host, q, sizeof(q));
		if (host[0] == '\0')
			return failf(c, jpos_key(ip), "empty host name in resolve");
		for (const char *s = host; *s; s++) {
			unsigned char ch = (unsigned char)*s;
			if (!isalnum(ch) && ch < 0x80 && strchr(".-_:", ch) == NULL)
				return failf(c, jpos_key(ip), "resolve host %s is not a host name", q);
		}
		if (!cJSON_IsString(it)
		    || (strcmp(it->valuestring, CONFIG_RESOLVE_FAIL) != 0
			&& inet_pton(AF_INET, it->valuestring, buf) != 1
			&& inet_pton(AF_INET6, it->valuestring, buf) != 1))
			return failf(c, ip->val_off, "resolve address for %s must be an ip address or \"fail\"",
				     q);
		r = &cfg->resolve[cfg->n_resolve++];
		r->host = strdup(host);
		r->address = strdup(it->valuestring);
		if (r->host == NULL || r->address == NULL)
			return failf(c, ip->val_off, "out of memory");
	}
	return 0;
}

static int parse_targets(struct ctx *c, const cJSON *arr, const struct jpos *p, struct config *cfg)
{
	const cJSON *it;
	const char **names;
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0, first = 0, repeat = 0;
	int rc;

	if (n == 0)
		return failf(c, p->val_off, "targets must not be empty");
	cfg->targets = calloc(n, sizeof(*cfg->targets));
	if (cfg->targets == NULL)
		return failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		/* counted first, so that config_free releases a half-built target */
		cfg->n_targets++;
		if (parse_target(c, it, jpos_kid(p, i), i, &cfg->targets[i]) < 0)
			return -EINVAL;
		i++;
	}
	c->where[0] = '\0';

	names = calloc(n, sizeof(*names));
	if (names == NULL)
		return failf(c, p->val_off, "out of memory");
	for (i = 0; i < n; i++)
		names[i] = cfg->targets[i].name;
	rc = find_repeat(names, n, true, &first, &repeat);
	free(names);
	if (rc < 0)
		return failf(c, p->val_off, "out of memory");
	if (rc > 0) {
		const struct jpos *ip;
		const cJSON *m;
		unsigned line, col;
		char q[128];
		size_t off1 = p->val_off, off2 = p->val_off;

		if (find_member(cJSON_GetArrayItem(arr, (int)first), jpos_kid(p, first), "name", &m, &ip))
			off1 = ip->val_off;
		if (find_member(cJSON_GetArrayItem(arr, (int)repeat), jpos_kid(p, repeat), "name", &m, &ip))
			off2 = ip->val_off;
		line_col(c->text, c->len, off1, &line, &col);
		return failf(c, off2, "duplicate target name %s (first at %u:%u)",
			     quote(cfg->targets[repeat].name, q, sizeof(q)), line, col);
	}
	return 0;
}

static void apply_defaults(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_targets; i++) {
		struct target *t = &cfg->targets[i];

		if (t->interval_s == UNSET) {
			/* status pages are polled politely, whatever the probes do */
			t->interval_s = cfg->interval_s;
			if (t->kind == TARGET_STATUSPAGE && t->interval_s < STATUSPAGE_MIN_INTERVAL_S)
				t->interval_s = STATUSPAGE_MIN_INTERVAL_S;
		}
		if (t->timeout_s == UNSET)
			t->timeout_s = cfg->timeout_s;
		if (t->slow_ms == UNSET) {
			switch (t->kind) {
			case TARGET_DNS:
			case TARGET_TCP: t->slow_ms = 300; break;
			case TARGET_HTTP: t->slow_ms = 2000; break;
			case TARGET_STATUSPAGE: t->slow_ms = 3000; break;
			}
		}
		if (t->ca_file == NULL && cfg->ca_file != NULL
		    && (t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE))
			t->ca_file = strdup(cfg->ca_file);
	}
	if (cfg->service == NULL) {
		/* the title names what is watched: the first service target's component */
		const char *s = cfg->targets[0].name;
		for (size_t i = 0; i < cfg->n_targets; i++) {
			const struct target *t = &cfg->targets[i];
			if (t->role == TARGET_ROLE_SERVICE) {
				s = t->component ? t->component : t->name;
				break;
			}
		}
		cfg->service = strdup(s);
	}
}

static int parse_root(struct ctx *c, const cJSON *root, const struct jpos *rp, struct config *cfg)
{
	const cJSON *it, *targets = NULL;
	const struct jpos *tp = NULL;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(root))
		return failf(c, rp->val_off, "the top level must be an object");
	if (check_repeated_keys(c, root, rp, false, "key") < 0)
		return -EINVAL;
	cJSON_ArrayForEach(it, root) {
		const struct jpos *ip = jpos_kid(rp, i++);
		const char *k = it->string;
		int rc;

		if (strcmp(k, "service") == 0) {
			rc = take_string(c, it, ip, false, &cfg->service);
		} else if (strcmp(k, "interval_s") == 0) {
			rc = take_interval(c, it, ip, &cfg->interval_s);
		} else if (strcmp(k, "timeout_s") == 0) {
			rc = take_timeout(c, it, ip, &cfg->timeout_s);
		} else if (strcmp(k, "theme") == 0) {
			rc = take_string(c, it, ip, true, &cfg->theme);
		} else if (strcmp(k, "metrics") == 0) {
			rc = take_string(c, it, ip, true, &cfg->metrics);
			if (rc == 0 && cfg->metrics != NULL && !valid_metrics_addr(cfg->metrics))
				rc = failf(c, ip->val_off, "metrics must be ADDR:PORT, e.g. 127.0.0.1:9464");
		} else if (strcmp(k, "resolve") == 0) {
			rc = take_resolve(c, it, ip, cfg);
		} else if (strcmp(k, "ca_file") == 0) {
			rc = take_ca_file(c, it, ip, &cfg->ca_file);
		} else if (strcmp(k, "targets") == 0) {
			targets = it;
			tp = ip;
			rc = cJSON_IsArray(it) ? 0 : failf(c, ip->val_off, "targets must be an array");
		} else {
			rc = failf(c, jpos_key(ip), "unknown key %s", quote(k, q, sizeof(q)));
		}
		if (rc < 0)
			return rc;
	}
	if (targets == NULL)
		return failf(c, rp->val_off, "missing key \"targets\"");
	if (parse_targets(c, targets, tp, cfg) < 0)
		return -EINVAL;
	apply_defaults(cfg);
	return 0;
}

static struct config *parse(const char *text, size_t len, const char *name, const char *source,
			    const char *base_dir, char *err, size_t errlen)
{
	struct ctx c = {.text = text, .len = len, .name = name, .err = err, .errlen = errlen,
			.base_dir = base_dir};
	struct scan sc = {.s = text, .len = len};
	struct jpos root = {0};
	struct config *cfg = NULL;
	cJSON *json = NULL;
	char *buf = NULL;
	const char *end = NULL;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (scan_document(&sc, &root) < 0) {
		failf(&c, sc.err_off, "%s%s", sc.empty ? "" : "syntax error: ", sc.err);
		goto out;
	}
	/* cJSON wants the text NUL-terminated; the scanner has made sure it holds no NUL */
	buf = malloc(len + 1);
	if (buf == NULL) {
		failf(&c, 0, "out of memory");
		goto out;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	json = cJSON_ParseWithOpts(buf, &end, 1);
	if (json == NULL) {
		failf(&c, end != NULL && end >= buf ? (size_t)(end - buf) : 0, "syntax error");
		goto out;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL) {
		failf(&c, 0, "out of memory");
		goto out;
	}
	cfg->interval_s = DEFAULT_INTERVAL_S;
	cfg->timeout_s = DEFAULT_TIMEOUT_S;
	cfg->source = strdup(source);
	if (cfg->source == NULL || parse_root(&c, json, &root, cfg) < 0 || cfg->service == NULL) {
		if (err != NULL && errlen > 0 && err[0] == '\0')
			failf(&c, 0, "out of memory");
		config_free(cfg);
		cfg = NULL;
	}
out:
	cJSON_Delete(json);
	free(buf);
	jpos_done(&root);
	return cfg;
}

struct config *config_parse(const char *text, size_t len, const char *name, char *err, size_t errlen)
{
	return parse(text, len, name, name, NULL, err, errlen);
}

/* Reads the whole file; a pipe works too (--config <(...)), so no size up front. */
static int read_all(FILE *f, char **text, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		size_t got;

		if (n == cap) {
			char *grown;
			if (cap >= MAX_FILE_SIZE) {
				free(buf);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 16384;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;
		free(buf);
		return -e;
	}
	if (n > MAX_FILE_SIZE) {
		free(buf);
		return -EFBIG;
	}
	*text = buf;
	*len = n;
	return 0;
}

struct config *config_load_file(const char *path, char *err, size_t errlen)
{
	struct config *cfg = NULL;
	char *text = NULL, *dir = NULL, *slash;
	size_t len = 0;
	struct stat st;
	FILE *f;
	int rc;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(EISDIR));
		goto out;
	}
	rc = read_all(f, &text, &len);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: file is too large (more than 4 MiB)", path);
		goto out;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
		goto out;
	}
	dir = strdup(path);
	if (dir == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	cfg = parse(text ? text : "", len, path, path, dir, err, errlen);
out:
	fclose(f);
	free(text);
	free(dir);
	return cfg;
}

struct config *config_load_preset(const char *name, char *err, size_t errlen)
{
	const struct preset *p = presets_find(name);
	char label[64];

	if (p == NULL) {
		char q[128];
		snprintf(err, errlen, "unknown preset %s (try openai, anthropic or github)",
			 quote(name ? name : "", q, sizeof(q)));
		return NULL;
	}
	snprintf(label, sizeof(label), "preset %s", p->name);
	return parse(p->json, strlen(p->json), label, label, NULL, err, errlen);
}

const char *const *config_preset_names(void)
{
	return presets_names();
}

const char *config_preset_description(const char *name)
{
	const struct preset *p = presets_find(name);

	return p ? p->description : NULL;
}

static void target_done(struct target *t)
{
	free(t->name);
	free(t->url);
	free(t->host);
	free(t->method);
	for (size_t i = 0; i < t->n_headers; i++) {
		free(t->headers[i].name);
		free(t->headers[i].value);
	}
	free(t->headers);
	free(t->body_contains);
	free(t->component);
	free(t->proxy);
	free(t->status_components_url);
	free(t->ca_file);
}

void config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->n_targets; i++)
		target_done(&cfg->targets[i]);
	free(cfg->targets);
	for (size_t i = 0; i < cfg->n_resolve; i++) {
		free(cfg->resolve[i].host);
		free(cfg->resolve[i].address);
	}
	free(cfg->resolve);
	free(cfg->service);
	free(cfg->source);
	free(cfg->theme);
	free(cfg->metrics);
	free(cfg->ca_file);
	free(cfg);
}

/* ---- secrets and the environment ---------------------------------------- */

char *config_expand_env(const char *value)
{
	struct varref r;
	size_t from = 0, cap, n = 0;
	char *out;

	if (value == NULL)
		return NULL;
	cap = strlen(value) + 1;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	for (;;) {
		int vr = next_var(value, from, &r);
		size_t lit = vr == VAR_FOUND ? r.start - from : strlen(value + from);
		const char *v = "";
		char name[256];
		size_t vl;

		if (vr == VAR_FOUND) {
			if (r.name_len >= sizeof(name))
				goto fail;
			memcpy(name, value + r.name_off, r.name_len);
			name[r.name_len] = '\0';
			v = getenv(name);
			if (v == NULL || v[0] == '\0')
				goto fail;
		} else if (vr == VAR_BAD_NAME) {
			/* not a reference: keep "${" and look again after it */
			lit = r.start + 2 - from;
		}
		vl = strlen(v);
		if (n + lit + vl + 1 > cap) {
			char *grown;
			cap = (n + lit + vl + 1) * 2;
			grown = realloc(out, cap);
			if (grown == NULL)
				goto fail;
			out = grown;
		}
		memcpy(out + n, value + from, lit);
		n += lit;
		memcpy(out + n, v, vl);
		n += vl;
		if (vr == VAR_FOUND)
			from = r.end;
		else if (vr == VAR_BAD_NAME)
			from = r.start + 2;
		else
			break;
	}
	out[n] = '\0';
	/* a variable holding a line break would inject a header */
	if (strpbrk(out, "\r\n") != NULL)
		goto fail;
	return out;
fail:
	free(out);
	return NULL;
}

static bool references_var(const char *value)
{
	struct varref r;

	return value != NULL && next_var(value, 0, &r) == VAR_FOUND;
}

static bool name_is_secret(const char *name)
{
	static const char *const words[] = {"auth", "cookie", "key", "token", "secret", "password",
					    "session", "credential"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasestr(name, words[i]) != NULL)
			return true;
	}
	return false;
}

bool config_header_is_secret(const struct header_kv *h)
{
	if (h == NULL || h->name == NULL)
		return false;
	return references_var(h->value) || name_is_secret(h->name);
}

/* Words that name an authorization scheme and are not themselves secret. */
static bool is_scheme_word(const char *w, size_t n)
{
	static const char *const words[] = {"Bearer", "Basic", "Token", "Bot", "Digest", "ApiKey"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
			return true;
	}
	return false;
}

bool config_header_has_literal_secret(const struct header_kv *h)
{
	struct varref r;
	size_t from = 0;
	bool scheme = false, other = false;
	const char *v;

	if (h == NULL || h->name == NULL || h->value == NULL)
		return false;
	v = h->value;
	/* the literal text outside ${...}: a credential unless it is only a scheme word */
	for (;;) {
		int vr = next_var(v, from, &r);
		size_t end = vr == VAR_FOUND ? r.start : strlen(v);
		size_t i = from;

		while (i < end) {
			size_t w;
			while (i < end && isspace((unsigned char)v[i]))
				i++;
			w = i;
			while (i < end && !isspace((unsigned char)v[i]))
				i++;
			if (i > w) {
				if (is_scheme_word(v + w, i - w))
					scheme = true;
				else
					other = true;
			}
		}
		if (vr != VAR_FOUND)
			break;
		from = r.end;
	}
	return other && (scheme || name_is_secret(h->name));
}

char *config_mask_url(const char *url)
{
	const char *auth, *end, *at = NULL, *colon;
	char *out;

	if (url == NULL)
		return NULL;
	auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	end = auth + strcspn(auth, "/?#");
	for (const char *s = auth; s < end; s++) {
		if (*s == '@')
			at = s;
	}
	if (at == NULL)
		return strdup(url);
	colon = memchr(auth, ':', (size_t)(at - auth));
	/* user:password@ keeps the user; a lone user@ is often a token */
	if (colon == NULL)
		colon = auth - 1;
	if (asprintf(&out, "%.*s****%s", (int)(colon + 1 - url), url, at) < 0)
		return NULL;
	return out;
}

static bool url_has_credential(const char *url)
{
	char *masked;
	bool differs;

	if (url == NULL)
		return false;
	masked = config_mask_url(url);
	differs = masked == NULL || strcmp(masked, url) != 0;
	free(masked);
	return differs;
}

bool config_has_literal_secret(const struct config *cfg)
{
	if (cfg == NULL)
		return false;
	for (size_t i = 0; i < cfg->n_targets; i++) {
		const struct target *t = &cfg->targets[i];

		for (size_t j = 0; j < t->n_headers; j++) {
			if (config_header_has_literal_secret(&t->headers[j]))
				return true;
		}
		if (url_has_credential(t->proxy) || url_has_credential(t->url)
		    || url_has_credential(t->status_components_url))
			return true;
	}
	return false;
}

bool config_target_has_key(const struct target *t)
{
	bool any = false;

	if (t == NULL)
		return false;
	for (size_t i = 0; i < t->n_headers; i++) {
		const char *v = t->headers[i].value;
		struct varref r;
		size_t from = 0;
		char name[256];

		while (v != NULL && next_var(v, from, &r) == VAR_FOUND) {
			const char *e;
			if (r.name_len >= sizeof(name))
				return false;
			memcpy(name, v + r.name_off, r.name_len);
			name[r.name_len] = '\0';
			e = getenv(name);
			if (e == NULL || e[0] == '\0')
				return false;
			any = true;
			from = r.end;
		}
	}
	return any;
}

int config_check_permissions(const struct config *cfg, const char *path, char *warn, size_t len)
{
	struct stat st;

	if (!config_has_literal_secret(cfg))
		return 0;
	if (stat(path, &st) < 0)
		return -errno;
	if ((st.st_mode & (S_IRGRP | S_IROTH)) == 0)
		return 0;
	snprintf(warn, len, "%s holds a literal credential and is readable by %s: run chmod 600 %s, "
		 "or take the key from the environment with ${VAR}", path,
		 (st.st_mode & S_IROTH) ? "others" : "its group", path);
	return 1;
}

const char *config_resolve_lookup(const struct config *cfg, const char *host)
{
	size_t hl;

	if (cfg == NULL || host == NULL)
		return NULL;
	hl = strlen(host);
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	for (size_t i = 0; i < cfg->n_resolve; i++) {
		const char *h = cfg->resolve[i].host;
		size_t rl = strlen(h);

		if (rl > 0 && h[rl - 1] == '.')
			rl--;
		if (rl == hl && strncasecmp(h, host, hl) == 0)
			return cfg->resolve[i].address;
	}
	return NULL;
}

/* ---- printing ----------------------------------------------------------- */

const char *target_kind_name(enum target_kind k)
{
	return (unsigned)k < 4 ? kind_names[k] : "unknown";
}

const char *target_role_name(enum target_role r)
{
	return r == TARGET_ROLE_CONTROL ? "control" : "service";
}

const char *target_ip_family_name(enum ip_family f)
{
	switch (f) {
	case IP_FAMILY_V4: return "v4";
	case IP_FAMILY_V6: return "v6";
	case IP_FAMILY_AUTO: break;
	}
	return "auto";
}

static void add_string_or_null(cJSON *obj, const char *key, const char *value)
{
	if (value != NULL)
		cJSON_AddStringToObject(obj, key, value);
	else
		cJSON_AddNullToObject(obj, key);
}

static void add_url(cJSON *obj, const char *key, const char *url)
{
	char *masked = url ? config_mask_url(url) : NULL;

	/* out of memory: print nothing rather than the unmasked URL */
	if (url != NULL && masked == NULL)
		return;
	add_string_or_null(obj, key, masked);
	free(masked);
}

static void add_statuses(cJSON *obj, const char *key, const int *codes, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, key);

	for (size_t i = 0; i < n && arr != NULL; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(codes[i]));
}

static cJSON *target_to_json(const struct target *t)
{
	cJSON *o = cJSON_CreateObject();
	bool web = t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "name", t->name);
	cJSON_AddStringToObject(o, "kind", target_kind_name(t->kind));
	if (web) {
		add_url(o, "url", t->url);
	} else {
		cJSON_AddStringToObject(o, "host", t->host);
		if (t->kind == TARGET_TCP)
			cJSON_AddNumberToObject(o, "port", t->port);
	}
	if (t->kind == TARGET_HTTP)
		cJSON_AddStringToObject(o, "method", t->method);
	if (web) {
		cJSON *h = cJSON_AddObjectToObject(o, "headers");
		for (size_t i = 0; i < t->n_headers && h != NULL; i++) {
			const struct header_kv *kv = &t->headers[i];
			cJSON_AddStringToObject(h, kv->name,
						config_header_has_literal_secret(kv) ? "****" : kv->value);
		}
	}
	if (t->kind == TARGET_HTTP) {
		add_statuses(o, "expect_status", t->expect_status, t->n_expect);
		add_statuses(o, "expect_status_with_key", t->expect_status_with_key, t->n_expect_with_key);
		add_string_or_null(o, "body_contains", t->body_contains);
	}
	add_string_or_null(o, "component", t->component);
	cJSON_AddStringToObject(o, "role", target_role_name(t->role));
	cJSON_AddStringToObject(o, "ip_family", target_ip_family_name(t->ip_family));
	if (web)
		add_url(o, "proxy", t->proxy);
	cJSON_AddNumberToObject(o, "interval_s", t->interval_s);
	cJSON_AddNumberToObject(o, "timeout_s", t->timeout_s);
	cJSON_AddNumberToObject(o, "slow_ms", t->slow_ms);
	if (web) {
		cJSON_AddNumberToObject(o, "body_cap", (double)t->body_cap);
		cJSON_AddBoolToObject(o, "reuse_connection", t->reuse_connection);
	}
	if (t->kind == TARGET_HTTP || t->kind == TARGET_TCP)
		cJSON_AddBoolToObject(o, "differential", t->differential);
	if (t->kind == TARGET_STATUSPAGE)
		add_url(o, "components_url", t->status_components_url);
	if (web)
		add_string_or_null(o, "ca_file", t->ca_file);
	return o;
}

cJSON *config_to_json(const struct config *cfg)
{
	cJSON *root, *resolve, *targets;

	if (cfg == NULL)
		return NULL;
	root = cJSON_CreateObject();
	if (root == NULL)
		return NULL;
	cJSON_AddStringToObject(root, "service", cfg->service);
	cJSON_AddNumberToObject(root, "interval_s", cfg->interval_s);
	cJSON_AddNumberToObject(root, "timeout_s", cfg->timeout_s);
	add_string_or_null(root, "theme", cfg->theme);
	add_string_or_null(root, "metrics", cfg->metrics);
	resolve = cJSON_AddObjectToObject(root, "resolve");
	for (size_t i = 0; i < cfg->n_resolve && resolve != NULL; i++)
		cJSON_AddStringToObject(resolve, cfg->resolve[i].host, cfg->resolve[i].address);
	add_string_or_null(root, "ca_file", cfg->ca_file);
	targets = cJSON_AddArrayToObject(root, "targets");
	for (size_t i = 0; i < cfg->n_targets && targets != NULL; i++)
		cJSON_AddItemToArray(targets, target_to_json(&cfg->targets[i]));
	return root;
}
