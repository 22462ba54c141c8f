/* panel_checklist.c: the troubleshooting steps, ticked from the measurements.
 *
 * The steps and their one-line results come from the monitor's checklist; the
 * detail view adds the advice and, per step, the measurements of the targets
 * that step looks at (taken from the same monitor, so what is shown is what
 * the diagnosis reasoned with). No header value is ever shown: a key is only
 * said to be set or not. */
#include "panel_checklist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "badges.h"
#include "panel.h"
#include "panel_status.h" /* PANEL_STATUS_WINDOW_S: both panels show the same window */
#include "proxyenv.h"

#define MARK_W 9
/* columns of detail worth keeping beside whole titles */
#define MIN_DETAIL_W 16

void panel_checklist_draw(struct panel_checklist *p, const struct screen_ctx *c, struct rect r, bool focused)
{
	const struct checklist *cl = monitor_checklist(c->m);
	int title_w = 0, n = (int)cl->n;

	if (rect_empty(r))
		return;
	if (n == 0) {
		screen_put(c, r.y, r.x, r.w, screen_attr(c, ROLE_DIM), "no steps yet");
		return;
	}
	/* the titles are short and say what each step is: the column fits the
	 * longest one whole, and the details get the rest of the width, unless
	 * that leaves them almost nothing (a narrow panel) */
	for (int i = 0; i < n; i++) {
		int w = screen_width(c, cl->steps[i].title);

		title_w = w > title_w ? w : title_w;
	}
	if (title_w > r.w - MARK_W - 1 - MIN_DETAIL_W)
		title_w = (r.w - MARK_W - 1) / 2;
	if (title_w < 6)
		title_w = r.w - MARK_W - 1;
	p->page = r.h;
	screen_scroll_clamp(&p->sel, &p->top, n, r.h);
	for (int k = 0; k < r.h && p->top + k < n; k++) {
		const struct checklist_step *st = &cl->steps[p->top + k];
		bool sel = focused && p->top + k == p->sel;
		enum theme_role role;
		const char *mark = badge_checklist_mark(c, st->result, &role);
		int y = r.y + k, x = r.x;
		attr_t text = sel ? screen_attr(c, ROLE_SELECTION) : screen_attr(c, ROLE_NORMAL);
		attr_t dim = sel ? screen_attr(c, ROLE_SELECTION) : screen_attr(c, ROLE_DIM);

		if (sel)
			screen_fill(c, (struct rect){r.x, y, r.w, 1}, screen_attr(c, ROLE_SELECTION));
		screen_put(c, y, x, r.w < MARK_W ? r.w : MARK_W, sel ? text : screen_attr(c, role), mark);
		x += MARK_W + 1;
		if (x >= r.x + r.w)
			continue;
		screen_put_fit(c, y, x, title_w < r.x + r.w - x ? title_w : r.x + r.w - x, text, st->title);
		x += title_w + 1;
		if (x < r.x + r.w)
			screen_put_fit(c, y, x, r.x + r.w - x, st->result == CHECKLIST_PASS || st->result == CHECKLIST_SKIP ?
				       dim : sel ? text : screen_attr(c, role), st->detail);
	}
}

void panel_checklist_title(const struct panel_checklist *p, const struct screen_ctx *c, char *buf, size_t len)
{
	const struct checklist *cl = monitor_checklist(c->m);
	size_t fail = 0, warn = 0;

	for (size_t i = 0; i < cl->n; i++) {
		fail += cl->steps[i].result == CHECKLIST_FAIL;
		warn += cl->steps[i].result == CHECKLIST_WARN;
	}
	if (fail || warn)
		snprintf(buf, len, "Checklist: %zu failed, %zu warning%s", fail, warn, warn == 1 ? "" : "s");
	else
		snprintf(buf, len, "Checklist");
}

unsigned panel_checklist_key(struct panel_checklist *p, const struct monitor *m, enum key_action a)
{
	int n = (int)monitor_checklist(m)->n, page = p->page > 1 ? p->page - 1 : 1;

	if (a == ACTION_ENTER)
		return n > 0 ? SCREEN_DETAIL : 0;
	return keys_move_selection(a, &p->sel, n, page) ? SCREEN_REDRAW : 0;
}

/* ---- measurements --------------------------------------------------------- */

static bool is_api(const struct target *t)
{
	return t->n_headers > 0 || t->n_expect_with_key > 0;
}

static void result_words(const struct sample *s, char *buf, size_t len)
{
	if (s->ok && s->http_status)
		snprintf(buf, len, "HTTP %ld", s->http_status);
	else if (s->ok)
		snprintf(buf, len, "ok");
	else if (s->error[0])
		snprintf(buf, len, "%s", s->error);
	else
		snprintf(buf, len, "%s", assess_outcome_text(s->outcome, s->http_status));
}

/* One line per target that passes `want`, built by `line`; "none" when no
 * target does. */
typedef bool (*line_fn)(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out);

static void per_target(const struct screen_ctx *c, struct screen_lines *out, line_fn line)
{
	size_t shown = 0;

	for (size_t i = 0; i < monitor_target_count(c->m); i++) {
		struct monitor_target_info ti;

		monitor_target_info(c->m, i, &ti);
		shown += line(c, &ti, out);
	}
	if (!shown)
		screen_lines_add(out, ROLE_DIM, 2, "no target measured this yet");
}

static bool line_control(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	enum theme_role role;
	const char *badge;
	char ms[24], res[SAMPLE_ERROR_LEN];

	if (ti->target->role != TARGET_ROLE_CONTROL)
		return false;
	badge = badge_target(c, ti->state, &role);
	if (!ti->last) {
		screen_lines_add(out, role, 2, "%s (%s): %s, no result yet", ti->target->name,
				 target_kind_name(ti->target->kind), badge);
		return true;
	}
	timefmt_ms_as(ti->last->total_ms, TIMEFMT_MS_COMPACT, ms, sizeof(ms));
	result_words(ti->last, res, sizeof(res));
	screen_lines_add(out, role, 2, "%s (%s): %s, %s in %s", ti->target->name, target_kind_name(ti->target->kind),
			 badge, res, ms);
	return true;
}

static bool line_dns(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	const struct sample *s = ti->last;
	char ms[24];

	if (!s || ti->target->kind == TARGET_STATUSPAGE)
		return false;
	if (s->outcome == OUTCOME_DNS_FAIL) {
		screen_lines_add(out, ROLE_STATE_MAJOR, 2, "%s: lookup failed: %s", ti->target->name, s->error);
		return true;
	}
	if (ti->target->kind == TARGET_DNS) {
		timefmt_ms_as(s->dns_ms >= 0 ? s->dns_ms : s->total_ms, TIMEFMT_MS_COMPACT, ms, sizeof(ms));
		screen_lines_add(out, ROLE_NORMAL, 2, "%s: %s -> %d IPv4, %d IPv6 in %s", ti->target->name,
				 ti->target->host ? ti->target->host : "?", s->n_addr_v4, s->n_addr_v6, ms);
		return true;
	}
	if (s->reused) {
		screen_lines_add(out, ROLE_DIM, 2, "%s: reused connection, no lookup", ti->target->name);
		return true;
	}
	if (s->dns_ms < 0)
		return false;
	timefmt_ms_as(s->dns_ms, TIMEFMT_MS_COMPACT, ms, sizeof(ms));
	screen_lines_add(out, s->dns_ms > CHECKLIST_DNS_SLOW_MS ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2,
			 "%s: lookup in %s%s%s", ti->target->name, ms, s->remote_ip[0] ? " -> " : "", s->remote_ip);
	return true;
}

static bool line_tcp(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	const struct sample *s = ti->last;
	char ms[24];

	if (!s || ti->target->kind == TARGET_DNS)
		return false;
	if (s->outcome == OUTCOME_CONNECT_FAIL || (s->outcome == OUTCOME_TIMEOUT && s->connect_ms < 0)) {
		screen_lines_add(out, ROLE_STATE_MAJOR, 2, "%s: no connection: %s", ti->target->name, s->error);
		return true;
	}
	if (s->connect_ms < 0)
		return false;
	timefmt_ms_as(s->connect_ms, TIMEFMT_MS_COMPACT, ms, sizeof(ms));
	screen_lines_add(out, ROLE_NORMAL, 2, "%s: connected to %s in %s", ti->target->name,
			 s->remote_ip[0] ? s->remote_ip : "?", ms);
	return true;
}

static bool line_tls(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	const struct sample *s = ti->last;
	char ms[24], left[24], day[16];

	if (!s)
		return false;
	if (s->outcome == OUTCOME_TLS_FAIL) {
		screen_lines_add(out, ROLE_STATE_MAJOR, 2, "%s: handshake failed: %s", ti->target->name, s->error);
		return true;
	}
	if (s->tls_ms < 0 && s->cert_expiry <= 0)
		return false;
	timefmt_ms_as(s->tls_ms, TIMEFMT_MS_COMPACT, ms, sizeof(ms));
	if (s->cert_expiry > 0) {
		time_t e = s->cert_expiry;
		struct tm tm;
		double rest = (double)s->cert_expiry - c->now;

		localtime_r(&e, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		timefmt_span(fabs(rest), left, sizeof(left));
		screen_lines_add(out, rest < CHECKLIST_CERT_WARN_S ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2,
				 "%s: handshake %s, certificate %s %s (%s %s)", ti->target->name, ms,
				 rest > 0 ? "expires" : "expired", day, left, rest > 0 ? "left" : "ago");
	} else {
		screen_lines_add(out, ROLE_NORMAL, 2, "%s: handshake %s", ti->target->name, ms);
	}
	return true;
}

static bool http_line(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out,
		      bool api)
{
	const struct sample *s = ti->last;
	char total[24], first[24], res[SAMPLE_ERROR_LEN];

	if (ti->target->kind != TARGET_HTTP || is_api(ti->target) != api)
		return false;
	if (!s) {
		screen_lines_add(out, ROLE_DIM, 2, "%s: no result yet", ti->target->name);
		return true;
	}
	if (!s->ok && s->http_status)
		snprintf(res, sizeof(res), "HTTP %ld (%s)", s->http_status,
			 assess_outcome_text(s->outcome, s->http_status));
	else
		result_words(s, res, sizeof(res));
	timefmt_ms_as(s->total_ms, TIMEFMT_MS_COMPACT, total, sizeof(total));
	timefmt_ms_as(s->ttfb_ms, TIMEFMT_MS_COMPACT, first, sizeof(first));
	screen_lines_add(out, s->ok ? ROLE_NORMAL : ROLE_STATE_MAJOR, 2, "%s: %s in %s (first byte %s)",
			 ti->target->name, res, total, first);
	return true;
}

static bool line_http(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	return http_line(c, ti, out, false);
}

static bool line_api(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	return http_line(c, ti, out, true);
}

static bool line_api_key(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	const struct sample *s = ti->last;

	if (!is_api(ti->target))
		return false;
	screen_lines_add(out, ROLE_NORMAL, 2, "%s: key %s; last answer %s%ld", ti->target->name,
			 config_target_has_key(ti->target) ? "set (value not shown)" : "not set",
			 s && s->http_status ? "HTTP " : "", s ? s->http_status : 0L);
	return true;
}

static bool line_rate(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	const struct sample *s = ti->last;

	if (!s || (ti->target->kind != TARGET_HTTP && ti->target->kind != TARGET_STATUSPAGE))
		return false;
	if (s->outcome == OUTCOME_RATE_LIMITED || s->http_status == 429) {
		if (s->retry_after_s >= 0)
			screen_lines_add(out, ROLE_STATE_DEGRADED, 2, "%s: HTTP 429, retry after %.0f s", ti->target->name,
					 s->retry_after_s);
		else
			screen_lines_add(out, ROLE_STATE_DEGRADED, 2, "%s: HTTP 429", ti->target->name);
	} else {
		screen_lines_add(out, ROLE_NORMAL, 2, "%s: last answer HTTP %ld", ti->target->name, s->http_status);
	}
	return true;
}

static bool line_latency(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	struct history_stats st;
	char last[24], p50[24], p95[24], lim[24];
	double base, limit;

	if (ti->target->kind == TARGET_STATUSPAGE)
		return false;
	history_stats(ti->history, c->now, PANEL_STATUS_WINDOW_S, &st);
	base = history_baseline_ms(ti->history);
	limit = assess_slow_limit(NULL, ti->target->slow_ms, base);
	timefmt_ms_as(ti->last && ti->last->ok ? ti->last->total_ms : -1, TIMEFMT_MS_COMPACT, last, sizeof(last));
	timefmt_ms_as(st.ok_count ? st.p50 : -1, TIMEFMT_MS_COMPACT, p50, sizeof(p50));
	timefmt_ms_as(st.ok_count ? st.p95 : -1, TIMEFMT_MS_COMPACT, p95, sizeof(p95));
	timefmt_ms_as(limit > 0 ? limit : -1, TIMEFMT_MS_COMPACT, lim, sizeof(lim));
	screen_lines_add(out, ti->state == ASSESS_DEGRADED ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2,
			 "%s: last %s, p50 %s, p95 %s (15 min); slow above %s", ti->target->name, last, p50, p95, lim);
	return true;
}

static bool line_clock(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	const struct sample *s = ti->last;
	double skew;

	if (!s || s->server_date <= 0)
		return false;
	skew = round((double)s->server_date - (s->t + fmax(s->total_ms, 0) / 1000.0));
	if (skew == 0)
		skew = 0; /* never "-0 s" */
	screen_lines_add(out, fabs(skew) > CHECKLIST_CLOCK_WARN_S ? ROLE_STATE_DEGRADED : ROLE_NORMAL, 2,
			 "%s: server clock %+.0f s from ours", ti->target->name, skew);
	return true;
}

static bool line_paths(const struct screen_ctx *c, const struct monitor_target_info *ti, struct screen_lines *out)
{
	if (!ti->direct.tried && !ti->proxy.tried)
		return false;
	screen_lines_add(out, ROLE_NORMAL, 2, "%s: direct %s, through the proxy %s", ti->target->name,
			 !ti->direct.tried ? "not tried" : ti->direct.ok ? "ok" : assess_outcome_text(ti->direct.outcome, 0),
			 !ti->proxy.tried ? "not tried" : ti->proxy.ok ? "ok" : assess_outcome_text(ti->proxy.outcome, 0));
	return true;
}

static void official_lines(const struct screen_ctx *c, struct screen_lines *out)
{
	const struct statuspage *sp = monitor_official(c->m);
	const char *err = monitor_official_error(c->m);
	size_t open = 0;

	if (err[0])
		screen_lines_add(out, ROLE_STATE_DEGRADED, 2, "last read failed: %s", err);
	if (!sp) {
		screen_lines_add(out, ROLE_DIM, 2, "no status page read");
		return;
	}
	screen_lines_add(out, ROLE_NORMAL, 2, "%s%s%s (indicator %s)", sp->name, sp->name[0] ? ": " : "",
			 sp->description[0] ? sp->description : "no description", statuspage_indicator_name(sp->indicator));
	for (size_t i = 0; i < sp->n_incidents; i++) {
		const struct sp_incident *inc = &sp->incidents[i];

		if (statuspage_state_is_closed(inc->state))
			continue;
		open++;
		screen_lines_add(out, ROLE_STATE_DEGRADED, 2, "incident: %s [%s, impact %s]", inc->name, inc->status,
				 statuspage_indicator_name(inc->impact));
	}
	for (size_t i = 0; i < sp->n_maintenances; i++) {
		const struct sp_incident *mn = &sp->maintenances[i];

		if (!statuspage_state_is_closed(mn->state))
			screen_lines_add(out, ROLE_STATE_MAINTENANCE, 2, "maintenance: %s [%s]", mn->name, mn->status);
	}
	if (!open)
		screen_lines_add(out, ROLE_NORMAL, 2, "no unresolved incidents");
	if (monitor_lag_text(c->m)[0])
		screen_lines_add(out, ROLE_NORMAL, 2, "%s", monitor_lag_text(c->m));
}

static void proxy_lines(const struct screen_ctx *c, struct screen_lines *out)
{
	struct proxyenv env;
	struct proxyenv_entry set[PROXYENV_VARS];
	size_t n;
	bool any;

	/* the same variables, read the same way, as the verdict weighs */
	monitor_proxy_env(c->m, &env);
	n = proxyenv_entries(&env, set, PROXYENV_VARS);
	any = n > 0;
	for (size_t i = 0; i < n; i++) {
		/* a proxy URL may carry a password: masked like the config's */
		char *masked = set[i].is_url ? config_mask_url(set[i].value) : strdup(set[i].value);

		screen_lines_add(out, ROLE_NORMAL, 2, "%s=%s", set[i].name, masked ? masked : "****");
		free(masked);
	}
	if (!any)
		screen_lines_add(out, ROLE_NORMAL, 2, "no proxy in the environment");
	for (size_t i = 0; i < monitor_target_count(c->m); i++) {
		struct monitor_target_info ti;

		monitor_target_info(c->m, i, &ti);
		if (ti.target->proxy) {
			char *masked = config_mask_url(ti.target->proxy);

			screen_lines_add(out, ROLE_NORMAL, 2, "%s: proxy %s", ti.target->name,
					 ti.target->proxy[0] ? (masked ? masked : "****") : "none (direct)");
			free(masked);
		}
	}
	per_target(c, out, line_paths);
}

static void measurements(const struct screen_ctx *c, const char *id, struct screen_lines *out)
{
	static const struct {
		const char *id;
		line_fn fn;
	} table[] = {
		{"internet", line_control}, {"dns", line_dns}, {"tcp", line_tcp}, {"tls", line_tls},
		{"http", line_http}, {"api", line_api}, {"api_key", line_api_key}, {"rate_limit", line_rate},
		{"latency", line_latency}, {"clock", line_clock},
	};

	if (strcmp(id, "official") == 0) {
		official_lines(c, out);
		return;
	}
	if (strcmp(id, "proxy") == 0) {
		proxy_lines(c, out);
		return;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].id, id) == 0) {
			per_target(c, out, table[i].fn);
			return;
		}
	}
	screen_lines_add(out, ROLE_DIM, 2, "no measurements for this step");
}

void panel_checklist_detail(const struct panel_checklist *p, const struct screen_ctx *c, struct screen_lines *out,
			    char *title, size_t tlen)
{
	const struct checklist *cl = monitor_checklist(c->m);
	const struct checklist_step *st;
	enum theme_role role;
	const char *mark;

	snprintf(title, tlen, "Checklist step");
	if (p->sel < 0 || (size_t)p->sel >= cl->n) {
		screen_lines_add(out, ROLE_DIM, 0, "nothing selected");
		return;
	}
	st = &cl->steps[p->sel];
	mark = badge_checklist_mark(c, st->result, &role);
	snprintf(title, tlen, "Step %d of %zu", p->sel + 1, cl->n);
	screen_lines_add(out, ROLE_TITLE, 0, "%s", st->title);
	screen_lines_add(out, role, 2, "%s: %s", mark, st->detail);
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_TITLE, 0, "advice");
	if (st->advice[0])
		screen_lines_add_text(out, ROLE_NORMAL, 2, st->advice);
	else
		screen_lines_add(out, ROLE_DIM, 2, "nothing to do");
	screen_lines_add(out, ROLE_NORMAL, 0, "%s", "");
	screen_lines_add(out, ROLE_TITLE, 0, "measurements");
	measurements(c, st->id, out);
}

/* ---- the panel's table for the screen (panel.h) ---- */

static void ops_title(const void *panel, const struct screen_ctx *c, char *buf, size_t len)
{
	panel_checklist_title(panel, c, buf, len);
}

static void ops_draw(void *panel, const struct screen_ctx *c, struct rect r, bool focused)
{
	panel_checklist_draw(panel, c, r, focused);
}

static unsigned ops_key(void *panel, const struct monitor *m, bool tiny, enum key_action a)
{
	(void)tiny;
	return panel_checklist_key(panel, m, a);
}

static void ops_detail(const void *panel, const struct screen_ctx *c, struct screen_lines *out, char *title,
		       size_t tlen)
{
	panel_checklist_detail(panel, c, out, title, tlen);
}

const struct panel_ops panel_checklist_ops = {
	.name = "checklist",
	.title = ops_title,
	.draw = ops_draw,
	.key = ops_key,
	.detail = ops_detail,
};
