/* diagnose_facts.c: facts about one target or sample, read the same way by the
 * verdict and the checklist: its name for a person, whether it connected, how it
 * failed in words, whether a path works, and text from the network made safe. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "sanitize.h"
#include "timefmt.h"

#include "diagnose_internal.h"

/* Network text (titles, descriptions, errors) without escape sequences or
 * control bytes, so nothing in it can drive a terminal or break a log line. */
void dx_clean(char *dst, size_t len, const char *src)
{
	sanitize_into(dst, len, src, SANITIZE_NUL_TERMINATED, 0);
}

bool diagnose_host_is_ip(const char *host)
{
	char tmp[64];
	unsigned char addr[16];
	size_t n;

	if (!host || !*host)
		return false;
	n = strlen(host);
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		if (n - 2 >= sizeof(tmp))
			return false;
		memcpy(tmp, host + 1, n - 2);
		tmp[n - 2] = '\0';
	} else {
		if (n >= sizeof(tmp))
			return false;
		memcpy(tmp, host, n + 1);
	}
	return inet_pton(AF_INET, tmp, addr) == 1 || inet_pton(AF_INET6, tmp, addr) == 1;
}

bool dx_nonempty(const char *s)
{
	return s && *s;
}

const char *dx_name_of(const struct diagnose_target *t)
{
	if (dx_nonempty(t->name))
		return t->name;
	if (dx_nonempty(t->host))
		return t->host;
	return "a target";
}

const char *dx_host_of(const struct diagnose_target *t)
{
	return dx_nonempty(t->host) ? t->host : dx_name_of(t);
}

bool dx_is_service(const struct diagnose_target *t)
{
	return t->role == TARGET_ROLE_SERVICE && t->kind != TARGET_STATUSPAGE;
}

bool dx_is_control(const struct diagnose_target *t)
{
	return t->role == TARGET_ROLE_CONTROL;
}

bool dx_by_name(const struct diagnose_target *t)
{
	return !diagnose_host_is_ip(t->host);
}

enum diagnose_health diagnose_target_health(const struct diagnose_target *t)
{
	enum assess_state s = t->state;

	if (s == ASSESS_CONFIRMING)
		s = t->settled;
	switch (s) {
	case ASSESS_UP:
	case ASSESS_DEGRADED:
		return DIAGNOSE_PASS;
	case ASSESS_DOWN:
		return DIAGNOSE_FAIL;
	case ASSESS_FLAPPING:
		return DIAGNOSE_FLAP;
	default:
		return DIAGNOSE_PENDING;
	}
}

bool dx_connected(const struct sample *s)
{
	return s->reused || s->connect_ms >= 0 || s->tls_ms >= 0 || s->ttfb_ms >= 0 ||
	       s->http_status > 0;
}

/* The sample that says how a target failed: the last one, or while it
 * recovers (its last probe passed) the last failed one. */
const struct sample *dx_failed_sample(const struct diagnose_target *t)
{
	const struct sample *s = t->last;

	if (s && (s->ok || assess_outcome_reachable(s->outcome)) && t->last_failure)
		s = t->last_failure;
	return s;
}

/* "http://user:secret@proxy.corp:3128/" -> "proxy.corp:3128": never show credentials. */
void dx_proxy_display(char *buf, size_t len, const char *url)
{
	const char *p = url, *at, *end;

	if (!url) {
		sanitize_snprintf(buf, len, "the proxy");
		return;
	}
	if (strstr(p, "://"))
		p = strstr(p, "://") + 3;
	/* the last '@': a password may hold an unescaped '/' or '@' */
	at = strrchr(p, '@');
	if (at)
		p = at + 1;
	end = p + strcspn(p, "/?#");
	sanitize_into(buf, len, p, (size_t)(end - p), 0);
}

/* "service unavailable, HTTP 503" or "no answer in time". */
void dx_failure_words(char *buf, size_t len, const struct diagnose_target *t)
{
	const struct sample *s = t->last;

	if (!s)
		sanitize_snprintf(buf, len, "no answer");
	else if (s->ok || assess_outcome_reachable(s->outcome))
		/* still down, recovering: the last probe passed */
		sanitize_snprintf(buf, len, "not answering reliably");
	else if (s->http_status > 0)
		sanitize_snprintf(buf, len, "%s, HTTP %ld", assess_outcome_text(s->outcome, s->http_status),
		    s->http_status);
	else
		sanitize_snprintf(buf, len, "%s", assess_outcome_text(s->outcome, 0));
}

static int path_runs(const struct diagnose_path *p)
{
	return p->runs > 0 ? p->runs : p->tried ? 1 : 0;
}

static int path_oks(const struct diagnose_path *p)
{
	return p->runs > 0 ? p->oks : p->tried && p->ok ? 1 : 0;
}

bool diagnose_path_works(const struct diagnose_path *p)
{
	return p && path_oks(p) >= 2;
}

bool diagnose_path_fails(const struct diagnose_path *p)
{
	return p && path_runs(p) - path_oks(p) >= 2;
}

/* One path works and the other fails, each at least twice: one result of
 * each under random loss proves nothing. */
bool dx_path_split(const struct diagnose_path *good, const struct diagnose_path *bad)
{
	return diagnose_path_works(good) && diagnose_path_fails(bad);
}
