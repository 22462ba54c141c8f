/* jsonpos.c: a strict JSON scanner that records positions, beside cJSON.
 *
 * The scanner checks the grammar and builds the position tree (struct
 * jsonpos, described in jsonpos.h) in one pass; cJSON then builds the values
 * from the same text. A struct jsonpos_doc owns both trees; the loaders
 * (config.c, tui/theme.c) only read them and write their messages through
 * jsonpos_fail. Nothing here keeps state between calls. */
#include "jsonpos.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 100
/* cJSON copies at most 63 characters of a number; a longer one fails there */
#define MAX_NUMBER_LEN 63

/* ---- the scanner -------------------------------------------------------- */

struct scan {
	const char *s;
	size_t len, pos;
	int depth;
	bool empty;   /* nothing but white space: not a syntax error as such */
	bool oom;     /* out of memory: not the text's fault */
	size_t err_off;
	char err[96];
};

static void pos_done(struct jsonpos *p)
{
	for (size_t i = 0; i < p->n_kids; i++)
		pos_done(&p->kids[i]);
	free(p->kids);
	p->kids = NULL;
	p->n_kids = p->cap_kids = 0;
}

static int pos_append(struct jsonpos *p, const struct jsonpos *kid)
{
	if (p->n_kids == p->cap_kids) {
		size_t cap = p->cap_kids ? p->cap_kids * 2 : 8;
		struct jsonpos *k = realloc(p->kids, cap * sizeof(*k));
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

static int scan_value(struct scan *sc, struct jsonpos *node);

static int scan_object(struct scan *sc, struct jsonpos *node)
{
	size_t comma = JSONPOS_NONE;

	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		struct jsonpos kid = {0};

		skip_ws(sc);
		if (comma != JSONPOS_NONE && sc->pos < sc->len && sc->s[sc->pos] == '}')
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
		if (scan_value(sc, &kid) < 0 || pos_append(node, &kid) < 0) {
			pos_done(&kid);
			if (sc->err[0] == '\0') {
				sc->oom = true;
				return scan_fail(sc, kid.key_off, "out of memory");
			}
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

static int scan_array(struct scan *sc, struct jsonpos *node)
{
	size_t comma = JSONPOS_NONE;

	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		struct jsonpos kid = {0};

		skip_ws(sc);
		if (comma != JSONPOS_NONE && sc->pos < sc->len && sc->s[sc->pos] == ']')
			return scan_fail(sc, comma, "trailing comma before ']'");
		kid.key_off = JSONPOS_NONE;
		kid.val_off = sc->pos;
		if (scan_value(sc, &kid) < 0 || pos_append(node, &kid) < 0) {
			pos_done(&kid);
			if (sc->err[0] == '\0') {
				sc->oom = true;
				return scan_fail(sc, kid.val_off, "out of memory");
			}
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

static int scan_value(struct scan *sc, struct jsonpos *node)
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

static int scan_document(struct scan *sc, struct jsonpos *root)
{
	if (has_bom(sc->s, sc->len))
		sc->pos = 3;
	skip_ws(sc);
	if (sc->pos >= sc->len) {
		sc->empty = true;
		return scan_fail(sc, sc->pos, "file is empty");
	}
	root->key_off = JSONPOS_NONE;
	root->val_off = sc->pos;
	if (scan_value(sc, root) < 0)
		return -1;
	skip_ws(sc);
	if (sc->pos < sc->len)
		return scan_unexpected(sc, "expected the end of the file after the top-level value");
	return 0;
}

/* ---- documents ---------------------------------------------------------- */

int jsonpos_parse(struct jsonpos_doc *doc, const char *text, size_t len, const char *name,
		  char *err, size_t errlen)
{
	struct scan sc = {.s = text, .len = len};
	const char *end = NULL;
	char *buf;

	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	doc->len = len;
	doc->name = name;
	doc->err = err;
	doc->errlen = errlen;
	doc->root.key_off = JSONPOS_NONE;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (scan_document(&sc, &doc->root) < 0) {
		jsonpos_fail(doc, sc.err_off, "%s%s", sc.empty || sc.oom ? "" : "syntax error: ", sc.err);
		return sc.oom ? -ENOMEM : -EINVAL;
	}
	/* cJSON wants the text NUL-terminated; the scanner has made sure it holds no NUL */
	buf = malloc(len + 1);
	if (buf == NULL) {
		jsonpos_fail(doc, 0, "out of memory");
		return -ENOMEM;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	doc->json = cJSON_ParseWithOpts(buf, &end, 1);
	if (doc->json == NULL)
		jsonpos_fail(doc, end != NULL && end >= buf ? (size_t)(end - buf) : 0, "syntax error");
	free(buf);
	return doc->json != NULL ? 0 : -EINVAL;
}

void jsonpos_doc_done(struct jsonpos_doc *doc)
{
	cJSON_Delete(doc->json);
	doc->json = NULL;
	pos_done(&doc->root);
}

void jsonpos_line_col(const struct jsonpos_doc *doc, size_t off, unsigned *line, unsigned *col)
{
	line_col(doc->text, doc->len, off, line, col);
}

int jsonpos_vfail(const struct jsonpos_doc *doc, size_t off, const char *fmt, va_list ap)
{
	unsigned line, col;
	int n;

	if (doc->err == NULL || doc->errlen == 0)
		return -EINVAL;
	line_col(doc->text, doc->len, off, &line, &col);
	n = snprintf(doc->err, doc->errlen, "%s:%u:%u: ", doc->name, line, col);
	if (n < 0 || (size_t)n >= doc->errlen)
		return -EINVAL;
	vsnprintf(doc->err + n, doc->errlen - (size_t)n, fmt, ap);
	return -EINVAL;
}

int jsonpos_fail(const struct jsonpos_doc *doc, size_t off, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = jsonpos_vfail(doc, off, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- walking the trees -------------------------------------------------- */

const struct jsonpos *jsonpos_kid(const struct jsonpos *p, size_t i)
{
	return i < p->n_kids ? &p->kids[i] : p;
}

size_t jsonpos_key_off(const struct jsonpos *p)
{
	return p->key_off != JSONPOS_NONE ? p->key_off : p->val_off;
}

int jsonpos_member(const cJSON *obj, const struct jsonpos *p, const char *key, const cJSON **it,
		   const struct jsonpos **ip)
{
	size_t i = 0;
	const cJSON *m;

	cJSON_ArrayForEach(m, obj) {
		if (m->string != NULL && strcmp(m->string, key) == 0) {
			*it = m;
			*ip = jsonpos_kid(p, i);
			return 1;
		}
		i++;
	}
	return 0;
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

int jsonpos_find_repeat(const char **keys, size_t n, bool nocase, size_t *first, size_t *repeat)
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

int jsonpos_check_repeats(const struct jsonpos_doc *doc, const cJSON *obj, const struct jsonpos *p,
			  bool nocase, const char *what, const char *where)
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
		return jsonpos_fail(doc, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		keys[i++] = it->string ? it->string : "";
	}
	rc = jsonpos_find_repeat(keys, i, nocase, &first, &repeat);
	if (rc <= 0) {
		free(keys);
		return rc < 0 ? jsonpos_fail(doc, p->val_off, "out of memory") : 0;
	}
	jsonpos_line_col(doc, jsonpos_key_off(jsonpos_kid(p, first)), &line, &col);
	jsonpos_quote(keys[repeat], q, sizeof(q));
	free(keys);
	return jsonpos_fail(doc, jsonpos_key_off(jsonpos_kid(p, repeat)),
			    "duplicate %s %s%s (first at %u:%u)", what, q, where ? where : "", line, col);
}

const char *jsonpos_quote(const char *s, char *buf, size_t n)
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
