/* config_secret.c: ${VAR} templates, literal credentials, masking, permissions.
 *
 * Works on a struct config that config.c built and the caller owns; it only
 * reads it. Expanded values are returned to the caller (the HTTP probe, which
 * hands them to curl and frees them) and never kept here, so a secret taken
 * from the environment is in memory only while a request is built. */
#include "config_secret.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

enum config_template config_template_check(const char *value)
{
	struct varref r;
	size_t from = 0;
	int vr;

	for (;;) {
		vr = next_var(value, from, &r);
		if (vr != VAR_FOUND)
			break;
		from = r.end;
	}
	if (vr == VAR_UNTERMINATED)
		return CONFIG_TEMPLATE_UNTERMINATED;
	if (vr == VAR_BAD_NAME)
		return CONFIG_TEMPLATE_BAD_NAME;
	return CONFIG_TEMPLATE_OK;
}

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

const char *config_target_needs(const struct target *t, char *buf, size_t len)
{
	bool secret = false;

	buf[0] = '\0';
	if (t->kind != TARGET_LLM)
		return buf;
	if (!t->url || strncasecmp(t->url, "https://", 8) != 0) {
		snprintf(buf, len, "needs https");
		return buf;
	}
	for (size_t i = 0; i < t->n_headers; i++) {
		const char *v = t->headers[i].value;
		struct varref r;
		size_t from = 0;

		secret = secret || config_header_is_secret(&t->headers[i]);
		while (v != NULL && next_var(v, from, &r) == VAR_FOUND) {
			char name[128];
			const char *e;

			snprintf(name, sizeof(name), "%.*s", (int)r.name_len, v + r.name_off);
			e = getenv(name);
			if (e == NULL || e[0] == '\0') {
				snprintf(buf, len, "needs %s", name);
				return buf;
			}
			from = r.end;
		}
	}
	if (!secret)
		snprintf(buf, len, "needs an API key header");
	return buf;
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

void config_secret_vars_free(char **vars)
{
	for (size_t i = 0; vars && vars[i]; i++)
		free(vars[i]);
	free(vars);
}

static bool listed(char *const *vars, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(vars[i]) == len && strncmp(vars[i], name, len) == 0)
			return true;
	return false;
}

char **config_secret_vars(const struct config *cfg)
{
	size_t n = 0, cap = 8;
	char **vars = calloc(cap + 1, sizeof(*vars));

	if (vars == NULL)
		return NULL;
	for (size_t i = 0; i < cfg->n_targets; i++) {
		const struct target *t = &cfg->targets[i];

		for (size_t h = 0; h < t->n_headers; h++) {
			const char *v = t->headers[h].value;
			struct varref r;
			size_t from = 0;

			if (!config_header_is_secret(&t->headers[h]))
				continue;
			while (next_var(v, from, &r) == VAR_FOUND) {
				from = r.end;
				if (listed(vars, n, v + r.name_off, r.name_len))
					continue;
				if (n == cap) {
					char **grown = realloc(vars, (cap * 2 + 1) * sizeof(*vars));

					if (grown == NULL)
						goto oom;
					vars = grown;
					cap *= 2;
				}
				vars[n] = strndup(v + r.name_off, r.name_len);
				if (vars[n] == NULL)
					goto oom;
				vars[++n] = NULL;
			}
		}
	}
	return vars;
oom:
	config_secret_vars_free(vars);
	return NULL;
}
