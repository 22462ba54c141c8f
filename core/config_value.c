/* config_value.c: checking one value of a config (see config_value.h).
 *
 * Pure checks on a cJSON value and its position; what is accepted is copied
 * into the struct config that config.c is building. Only config_take_ca_file
 * looks outside (whether the file is readable), and check_url_parses asks
 * libcurl, which has the last word on a url. */
#include "config_value.h"
#include "config_secret.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MIN_INTERVAL_S 0.1
#define MAX_INTERVAL_S 86400.0

int config_failf(struct config_ctx *c, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jsonpos_vfail(c->doc, off, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool has_control(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

int config_take_string(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, bool nullable, char **out)
{
	char *copy;

	if (nullable && cJSON_IsNull(it)) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return config_failf(c, p->val_off, "%s%s must be a string", it->string, c->where);
	if (it->valuestring[0] == '\0')
		return config_failf(c, p->val_off, "%s%s must not be empty", it->string, c->where);
	if (has_control(it->valuestring))
		return config_failf(c, p->val_off, "%s%s must not contain control characters", it->string, c->where);
	copy = strdup(it->valuestring);
	if (copy == NULL)
		return config_failf(c, p->val_off, "out of memory");
	free(*out);
	*out = copy;
	return 0;
}

int config_take_number(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, double *out)
{
	if (!cJSON_IsNumber(it))
		return config_failf(c, p->val_off, "%s%s must be a number", it->string, c->where);
	*out = it->valuedouble;
	return 0;
}

int config_take_bool(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, bool *out)
{
	if (!cJSON_IsBool(it))
		return config_failf(c, p->val_off, "%s%s must be true or false", it->string, c->where);
	*out = cJSON_IsTrue(it);
	return 0;
}

int config_take_interval(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, double *out)
{
	if (config_take_number(c, it, p, out) < 0)
		return -EINVAL;
	if (!(*out >= MIN_INTERVAL_S && *out <= MAX_INTERVAL_S))
		return config_failf(c, p->val_off, "%s%s must be from 0.1 to 86400 seconds", it->string, c->where);
	return 0;
}

int config_take_timeout(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, double *out)
{
	if (config_take_number(c, it, p, out) < 0)
		return -EINVAL;
	if (!(*out > 0 && *out <= MAX_INTERVAL_S))
		return config_failf(c, p->val_off, "%s%s must be more than 0 and at most 86400 seconds",
			     it->string, c->where);
	return 0;
}

bool config_is_integer_in(double v, double lo, double hi)
{
	return v >= lo && v <= hi && floor(v) == v;
}

static bool is_tchar(unsigned char ch)
{
	return isalnum(ch) || (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

int config_take_headers(struct config_ctx *c, const cJSON *obj, const struct jsonpos *p, struct target *t)
{
	const cJSON *it;
	size_t i = 0;
	char q[128];

	if (!cJSON_IsObject(obj))
		return config_failf(c, p->val_off, "headers%s must be an object", c->where);
	if (jsonpos_check_repeats(c->doc, obj, p, true, "header", c->where) < 0)
		return -EINVAL;
	t->headers = calloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*t->headers));
	if (t->headers == NULL)
		return config_failf(c, p->val_off, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		const struct jsonpos *ip = jsonpos_kid(p, i++);
		const char *name = it->string ? it->string : "";
		struct header_kv *h;
		int vr;

		jsonpos_quote(name, q, sizeof(q));
		if (name[0] == '\0')
			return config_failf(c, jsonpos_key_off(ip), "empty header name%s", c->where);
		for (const char *s = name; *s; s++) {
			if (!is_tchar((unsigned char)*s))
				return config_failf(c, jsonpos_key_off(ip), "header name %s%s is not valid", q, c->where);
		}
		if (!cJSON_IsString(it))
			return config_failf(c, ip->val_off, "header %s%s must be a string", q, c->where);
		for (const char *s = it->valuestring; *s; s++) {
			if (*s == '\r' || *s == '\n')
				return config_failf(c, ip->val_off, "header %s%s contains a line break", q, c->where);
			if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
				return config_failf(c, ip->val_off, "header %s%s contains a control character", q,
					     c->where);
		}
		vr = config_template_check(it->valuestring);
		if (vr == CONFIG_TEMPLATE_UNTERMINATED)
			return config_failf(c, ip->val_off, "header %s%s has a ${ without its }", q, c->where);
		if (vr == CONFIG_TEMPLATE_BAD_NAME)
			return config_failf(c, ip->val_off, "header %s%s has a bad variable name in ${...}", q,
				     c->where);
		h = &t->headers[t->n_headers];
		h->name = strdup(name);
		h->value = strdup(it->valuestring);
		t->n_headers++;
		if (h->name == NULL || h->value == NULL)
			return config_failf(c, ip->val_off, "out of memory");
	}
	return 0;
}

int config_take_statuses(struct config_ctx *c, const cJSON *arr, const struct jsonpos *p, int *codes, size_t *n)
{
	const cJSON *it;
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return config_failf(c, p->val_off, "%s%s must be an array of status codes", arr->string, c->where);
	*n = 0;
	cJSON_ArrayForEach(it, arr) {
		const struct jsonpos *ip = jsonpos_kid(p, i++);

		if (!cJSON_IsNumber(it) || !config_is_integer_in(it->valuedouble, 100, 599))
			return config_failf(c, ip->val_off, "%s%s must hold status codes from 100 to 599",
				     arr->string, c->where);
		if (*n == CONFIG_MAX_EXPECT)
			return config_failf(c, ip->val_off, "%s%s holds more than %d codes", arr->string, c->where,
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
static int check_url_parses(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, const char *url)
{
	CURLU *u = curl_url();
	CURLUcode rc;
	char why[128];

	if (u == NULL)
		return config_failf(c, p->val_off, "out of memory");
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	curl_url_cleanup(u);
	if (rc == CURLUE_OK)
		return 0;
	if (rc == CURLUE_OUT_OF_MEMORY)
		return config_failf(c, p->val_off, "out of memory");
	snprintf(why, sizeof(why), "%s", curl_url_strerror(rc));
	why[0] = (char)tolower((unsigned char)why[0]);
	return config_failf(c, p->val_off, "%s%s is not valid: %s", it->string, c->where, why);
}

int config_take_url(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out)
{
	const char *u;

	if (config_take_string(c, it, p, false, out) < 0)
		return -EINVAL;
	u = *out;
	for (const char *s = u; *s; s++) {
		if (*s == ' ')
			return config_failf(c, p->val_off, "%s%s contains a space", it->string, c->where);
	}
	if (scheme_is(u, "file"))
		return 0;
	if (!scheme_is(u, "http") && !scheme_is(u, "https"))
		return config_failf(c, p->val_off, "%s%s must start with http://, https:// or file://",
			     it->string, c->where);
	u = strstr(u, "://") + 3;
	if (*u == '\0' || *u == '/' || *u == '?' || *u == '#')
		return config_failf(c, p->val_off, "%s%s has no host", it->string, c->where);
	return check_url_parses(c, it, p, *out);
}

int config_take_proxy(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out)
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
		return config_failf(c, p->val_off, "proxy%s must be a string", c->where);
	u = it->valuestring;
	if (has_control(u) || strchr(u, ' ') != NULL)
		return config_failf(c, p->val_off, "proxy%s contains a space or control character", c->where);
	if (strstr(u, "://") != NULL) {
		bool ok = false;
		for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			ok = ok || scheme_is(u, schemes[i]);
		if (!ok)
			return config_failf(c, p->val_off, "proxy%s must be an http, https, socks4, socks4a, "
				     "socks5 or socks5h url", c->where);
	}
	free(*out);
	*out = strdup(u);
	if (*out == NULL)
		return config_failf(c, p->val_off, "out of memory");
	return 0;
}

int config_take_host(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out)
{
	if (config_take_string(c, it, p, false, out) < 0)
		return -EINVAL;
	if (strstr(*out, "://") != NULL)
		return config_failf(c, p->val_off, "host%s must be a name or an address, not a url", c->where);
	for (const char *s = *out; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (!isalnum(ch) && ch < 0x80 && strchr(".-_:[]%", ch) == NULL)
			return config_failf(c, p->val_off, "host%s must be a name or an address", c->where);
	}
	return 0;
}

int config_take_ca_file(struct config_ctx *c, const cJSON *it, const struct jsonpos *p, char **out)
{
	char *path;

	if (config_take_string(c, it, p, true, out) < 0)
		return -EINVAL;
	if (*out == NULL || c->base_dir == NULL)
		return 0;
	if ((*out)[0] != '/') {
		if (asprintf(&path, "%s/%s", c->base_dir, *out) < 0)
			return config_failf(c, p->val_off, "out of memory");
		free(*out);
		*out = path;
	}
	if (access(*out, R_OK) < 0) {
		char q[128];
		return config_failf(c, p->val_off, "cannot read ca_file %s%s: %s", jsonpos_quote(*out, q, sizeof(q)),
			     c->where, strerror(errno));
	}
	return 0;
}
