/* report.c: the incident report, in Markdown or JSON.
 *
 * A report is written in one go from the monitor's accessors; it keeps no
 * state and owns nothing beyond one call. Every text that came from the
 * network is already sanitized by the monitor; here it is only escaped so that
 * Markdown shows it as written (and a status page cannot inject a table row or
 * an HTML tag into the report). Header values never reach this file: targets
 * are described by name, kind and masked URL only. The JSON form is the
 * --json snapshot with the report's own parts added (headline, phase
 * percentiles, masked URLs) and its event list cut to the last hour. */
#include "report.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
#include "snapshot_json.h"
#include "verdict_words.h"
#include "timefmt.h"

enum phase { PH_DNS, PH_CONNECT, PH_TLS, PH_TTFB, PH_TRANSFER, PH_TOTAL, PH_COUNT };

static const char *const phase_names[PH_COUNT] = {
	"DNS", "connect", "TLS", "first byte", "transfer", "total",
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- Markdown ------------------------------------------------------------- */

/* An underscore inside a word ("partial_outage") is never emphasis in
 * Markdown: left as it is, the text reads the same pasted as plain text. */
static bool intraword(const char *start, const char *p)
{
	return p > start && isalnum((unsigned char)p[-1]) && isalnum((unsigned char)p[1]);
}

/* Text as Markdown shows it literally; newlines become spaces (table cells,
 * list items). */
static void md(FILE *out, const char *s)
{
	for (const char *p = s; s && *p; p++) {
		if (*p == '\n' || *p == '\r')
			fputc(' ', out);
		else if (*p == '_' && intraword(s, p))
			fputc('_', out);
		else if (strchr("\\`*_[]<>|#", *p))
			fprintf(out, "\\%c", *p);
		else
			fputc(*p, out);
	}
}

/* A body of several lines as a block quote, each line escaped. */
static void md_quote(FILE *out, const char *s, const char *indent)
{
	fprintf(out, "%s> ", indent);
	for (; *s; s++) {
		if (*s == '\n') {
			fprintf(out, "\n%s> ", indent);
			continue;
		}
		if (strchr("\\`*_[]<>|#", *s))
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('\n', out);
}

static void fmt_local(double t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm)) {
		snprintf(buf, len, "-");
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- sections ------------------------------------------------------------- */

static void write_head(const struct monitor *m, FILE *out, double now)
{
	const struct config *cfg = monitor_config(m);
	char when[32], iso[TIMEFMT_ISO_LEN], last[32];

	fmt_local(now, when, sizeof(when));
	timefmt_iso_utc((time_t)now, iso, sizeof(iso));
	fmt_local(monitor_last_result(m), last, sizeof(last));
	fprintf(out, "# isitdown report: ");
	md(out, cfg->service ? cfg->service : "service");
	fprintf(out, "\n\n");
	fprintf(out, "- written: %s local time (%s)\n", when, iso);
	fprintf(out, "- configuration: ");
	md(out, cfg->source ? cfg->source : "-");
	fprintf(out, ", %zu targets\n", monitor_target_count(m));
	fprintf(out, "- probes so far: %lu, newest result: %s%s\n", monitor_probes_total(m), last,
		monitor_paused(m) ? " (probing is paused)" : "");
	fprintf(out, "- measured by: isitdown %s with libcurl %s\n", ISITDOWN_VERSION,
		curl_version_info(CURLVERSION_NOW)->version);
}

/* An outage as the verdict events tell it: from the first event in a partial
 * or major outage to the first one out of it (end 0: still going on). */
struct outage {
	double start, end;
	char state[24];
};

#define REPORT_OUTAGES_MAX 10

/* The newest outages in the log, oldest first; returns how many. */
static size_t find_outages(const struct monitor *m, struct outage *o, size_t max)
{
	struct eventlog *log = monitor_events(m);
	size_t n = 0;
	bool in = false;

	for (size_t i = eventlog_count(log); i-- > 0;) {
		const struct event *ev = eventlog_at(log, i);
		bool down;

		if (ev->source != EVENT_SRC_VERDICT || !ev->state)
			continue;
		down = strcmp(ev->state, "partial_outage") == 0 || strcmp(ev->state, "major_outage") == 0;
		if (down && !in) {
			if (n == max) {
				memmove(o, o + 1, (max - 1) * sizeof(*o));
				n--;
			}
			o[n] = (struct outage){ev->time, 0, ""};
			snprintf(o[n].state, sizeof(o[n].state), "%s", ev->state);
			n++;
		} else if (down && strcmp(ev->state, "major_outage") == 0) {
			/* the worst it got */
			snprintf(o[n - 1].state, sizeof(o[n - 1].state), "%s", ev->state);
		} else if (!down && in) {
			o[n - 1].end = ev->time;
		}
		in = down;
	}
	return n;
}

/* A paragraph a provider's support can act on, before the details. */
static void write_summary(const struct monitor *m, FILE *out, double now)
{
	const struct config *cfg = monitor_config(m);
	const struct verdict *v = monitor_verdict(m);
	struct outage o[REPORT_OUTAGES_MAX];
	size_t n = find_outages(m, o, REPORT_OUTAGES_MAX);
	char when[32], iso[TIMEFMT_ISO_LEN];

	fmt_local(now, when, sizeof(when));
	timefmt_iso_utc((time_t)now, iso, sizeof(iso));
	fprintf(out, "\n## Summary\n\nAt %s (%s), measured from this machine: ", when, iso);
	md(out, verdict_summary(v));
	fprintf(out, ". %d of %d ", v->n_service_down, v->n_service_known);
	md(out, cfg->service ? cfg->service : "service");
	fprintf(out, " targets with a result fail, and %d of %d control targets (other sites, to tell our "
		"network from the service) fail.", v->n_control_down, v->n_control_known);
	if (v->official_text[0]) {
		fprintf(out, " The official status page says: ");
		md(out, v->official_text);
		fprintf(out, ".");
	}
	if (n > 0) {
		char d[32];

		timefmt_iso_utc((time_t)o[n - 1].start, iso, sizeof(iso));
		if (o[n - 1].end > 0) {
			timefmt_elapsed(o[n - 1].end - o[n - 1].start, d, sizeof(d));
			fprintf(out, " The last outage began at %s and lasted %s.", iso, d);
		} else {
			timefmt_elapsed(now - o[n - 1].start, d, sizeof(d));
			fprintf(out, " The current outage began at %s, %s ago.", iso, d);
		}
	}
	fprintf(out, " Request identifiers and timings for each target follow.\n");
}

static void write_outages(const struct monitor *m, FILE *out, double now)
{
	struct outage o[REPORT_OUTAGES_MAX];
	size_t n = find_outages(m, o, REPORT_OUTAGES_MAX);

	fprintf(out, "\n## Outages\n\n");
	if (n == 0) {
		fprintf(out, "No outage in the event log.\n");
		return;
	}
	fprintf(out, "| start | end | duration | worst |\n|---|---|---:|---|\n");
	for (size_t i = 0; i < n; i++) {
		char a[TIMEFMT_ISO_LEN], b[TIMEFMT_ISO_LEN], d[32];

		timefmt_iso_utc((time_t)o[i].start, a, sizeof(a));
		if (o[i].end > 0)
			timefmt_iso_utc((time_t)o[i].end, b, sizeof(b));
		else
			snprintf(b, sizeof(b), "ongoing");
		timefmt_elapsed((o[i].end > 0 ? o[i].end : now) - o[i].start, d, sizeof(d));
		fprintf(out, "| %s | %s | %s | `%s` |\n", a, b, d, o[i].state);
	}
}

static void write_verdict(const struct monitor *m, FILE *out)
{
	const struct verdict *v = monitor_verdict(m);
	char head[96];

	verdict_lead(v, head, sizeof(head));
	fprintf(out, "\n## Verdict\n\n**");
	md(out, head);
	fprintf(out, "**: ");
	md(out, verdict_summary(v));
	fprintf(out, "\n\n- cause: %s", diagnose_cause_name(v->cause));
	if (v->target[0]) {
		fprintf(out, " (decided by target ");
		md(out, v->target);
		fprintf(out, ")");
	}
	fprintf(out, "\n");
	if (v->detail[0]) {
		fprintf(out, "- facts: ");
		md(out, v->detail);
		fprintf(out, "\n");
	}
	fprintf(out, "- service targets down: %d of %d with a result (%d configured)\n", v->n_service_down,
		v->n_service_known, v->n_service);
	fprintf(out, "- control targets down: %d of %d with a result (%d configured)\n", v->n_control_down,
		v->n_control_known, v->n_control);
	if (v->official_text[0]) {
		fprintf(out, "- official: ");
		md(out, v->official_text);
		fprintf(out, "\n");
	}
	if (monitor_lag_text(m)[0]) {
		fprintf(out, "- ");
		md(out, monitor_lag_text(m));
		fprintf(out, "\n");
	}
	if (v->have_skew) {
		/* rounded first, so a skew of -0.3 s does not read "-0 s" */
		double skew = round(v->clock_skew_s);

		fprintf(out, "- clock: server time minus ours %+.0f s\n", skew == 0 ? 0.0 : skew);
	}
	if (v->retry_after_s >= 0)
		fprintf(out, "- rate limited: the service asks to retry after %.0f s\n", v->retry_after_s);
}

static void write_checklist(const struct monitor *m, FILE *out)
{
	const struct checklist *cl = monitor_checklist(m);
	bool advice = false;

	fprintf(out, "\n## Checklist\n\n");
	if (cl->n == 0) {
		fprintf(out, "No steps yet.\n");
		return;
	}
	fprintf(out, "| # | step | result | finding |\n|---:|---|---|---|\n");
	for (size_t i = 0; i < cl->n; i++) {
		const struct checklist_step *st = &cl->steps[i];

		fprintf(out, "| %zu | ", i + 1);
		md(out, st->title);
		fprintf(out, " | %s | ", checklist_result_name(st->result));
		md(out, st->detail);
		fprintf(out, " |\n");
		advice = advice || st->advice[0];
	}
	if (!advice)
		return;
	fprintf(out, "\nAdvice:\n\n");
	for (size_t i = 0; i < cl->n; i++) {
		const struct checklist_step *st = &cl->steps[i];

		if (!st->advice[0])
			continue;
		fprintf(out, "- **");
		md(out, st->title);
		fprintf(out, "** (%s): ", checklist_result_name(st->result));
		md(out, st->advice);
		fprintf(out, "\n");
	}
}

static void sample_phases(const struct sample *s, double ph[PH_COUNT])
{
	ph[PH_DNS] = s->dns_ms;
	ph[PH_CONNECT] = s->connect_ms;
	ph[PH_TLS] = s->tls_ms;
	ph[PH_TTFB] = s->ttfb_ms;
	ph[PH_TRANSFER] = s->transfer_ms;
	ph[PH_TOTAL] = s->total_ms;
}

/* p50 and p95 of each phase over the successful probes of the window; -1
 * where the phase never happened. */
static int phase_percentiles(const struct history *h, double now, double p50[PH_COUNT], double p95[PH_COUNT])
{
	static const enum history_phase map[PH_COUNT] = {
		HISTORY_DNS, HISTORY_CONNECT, HISTORY_TLS, HISTORY_TTFB, HISTORY_TRANSFER, HISTORY_TOTAL,
	};

	for (int k = 0; k < PH_COUNT; k++) {
		struct history_summary sum;
		int rc = history_phase_stats(h, now, REPORT_WINDOW_S, map[k], &sum);

		if (rc < 0)
			return rc;
		p50[k] = sum.n ? sum.p50 : -1;
		p95[k] = sum.n ? sum.p95 : -1;
	}
	return 0;
}

/* A target's phases: the last probe's and p50 / p95 over the window (-1
 * where unknown). Returns -1 when the window has no answer to count. */
static int target_phases(const struct monitor_target_info *ti, double now, double last[PH_COUNT],
			 double p50[PH_COUNT], double p95[PH_COUNT])
{
	if (ti->last)
		sample_phases(ti->last, last);
	else
		for (int k = 0; k < PH_COUNT; k++)
			last[k] = -1;
	if (phase_percentiles(ti->history, now, p50, p95) != 0) {
		for (int k = 0; k < PH_COUNT; k++)
			p50[k] = p95[k] = -1;
		return -1;
	}
	return 0;
}

/* A name lookup has no connection, a TCP connect no TLS and no answer: rows
 * for phases a kind of target never has would only say "-". (An HTTP
 * target keeps its TLS row: "-" there says the request went in the clear.) */
static bool kind_has_phase(const struct target *t, enum phase k)
{
	switch (t->kind) {
	case TARGET_DNS: return k == PH_DNS || k == PH_TOTAL;
	case TARGET_TCP: return k == PH_DNS || k == PH_CONNECT || k == PH_TOTAL;
	case TARGET_HTTP:
	case TARGET_STATUSPAGE:
	case TARGET_LLM:
	case TARGET_KIND_COUNT:
		break;
	}
	return true;
}

/* A model's last answer, in its own words (sanitized when they came in); its
 * history, and so the 1 h columns below, keep the time to its first token. */
static void write_answer(FILE *out, const struct sample *s)
{
	fprintf(out, "- model answer: first token ");
	if (s->first_token_ms >= 0)
		fprintf(out, "%.1f ms", s->first_token_ms);
	else
		fprintf(out, "none");
	if (s->tokens_out >= 0)
		fprintf(out, ", %ld tokens", s->tokens_out);
	if (s->tokens_per_s >= 0)
		fprintf(out, " at %.1f/s", s->tokens_per_s);
	fprintf(out, "; model ");
	md(out, s->llm_model[0] ? s->llm_model : "not said");
	fprintf(out, ", finish reason ");
	md(out, s->finish_reason[0] ? s->finish_reason : "none");
	fprintf(out, " (the 1 h figures are times to the first token)\n");
}

static void write_target(const struct monitor *m, size_t i, FILE *out, double now)
{
	struct monitor_target_info ti;
	struct history_stats st;
	double last[PH_COUNT], p50[PH_COUNT], p95[PH_COUNT];
	const struct target *t;
	char a[32], b[32], c[32];

	monitor_target_info(m, i, &ti);
	t = ti.target;
	fprintf(out, "\n### ");
	md(out, t->name);
	fprintf(out, "\n\n- %s target, %s", target_kind_name(t->kind), target_role_name(t->role));
	if (t->component) {
		fprintf(out, ", component ");
		md(out, t->component);
	}
	fprintf(out, "\n");
	if (t->url) {
		char *u = config_mask_url(t->url);

		fprintf(out, "- URL: ");
		md(out, u ? u : "****");
		fprintf(out, "\n");
		free(u);
	} else if (t->host) {
		fprintf(out, "- host: ");
		md(out, t->host);
		if (t->kind == TARGET_TCP)
			fprintf(out, ", port %d", t->port);
		fprintf(out, "\n");
	}
	fmt_local(ti.state_since, a, sizeof(a));
	if (ti.needs[0])
		fprintf(out, "- skipped, never probed: %s\n", ti.needs);
	else
		fprintf(out, "- state: %s since %s; %lu probes, %lu failed\n", assess_state_name(ti.state), a,
			ti.probes, ti.failures);
	if (ti.last) {
		const struct sample *s = ti.last;

		fmt_local(s->t, a, sizeof(a));
		fprintf(out, "- last result at %s: ", a);
		if (s->http_status)
			fprintf(out, "HTTP %ld, ", s->http_status);
		md(out, s->error[0] ? s->error : assess_outcome_text(s->outcome, s->http_status));
		if (s->reused)
			fprintf(out, " (reused connection)");
		fprintf(out, "\n");
		if (s->remote_ip[0] || s->http_version) {
			fprintf(out, "- answered by: %s", s->remote_ip[0] ? s->remote_ip : "-");
			if (s->http_version)
				fprintf(out, ", HTTP/%s", s->http_version == 10 ? "1.0" : s->http_version == 11 ? "1.1" :
							   s->http_version == 20 ? "2" : "3");
			fprintf(out, "\n");
		}
		if (s->llm)
			write_answer(out, s);
		if (s->request_id[0]) {
			fprintf(out, "- request identifiers: ");
			md(out, s->request_id);
			fprintf(out, "\n");
		}
	} else {
		fprintf(out, "- no result yet\n");
	}
	if (history_stats(ti.history, now, REPORT_WINDOW_S, &st) == 0 && st.count > 0) {
		timefmt_ms_as(st.min, TIMEFMT_MS_TABLE, a, sizeof(a));
		timefmt_ms_as(st.max, TIMEFMT_MS_TABLE, b, sizeof(b));
		fprintf(out, "- last hour: %zu probes, %zu failed (%.1f%% loss), fastest %s, slowest %s\n",
			st.count, st.failures, st.loss * 100, st.ok_count ? a : "-", st.ok_count ? b : "-");
	}
	if (!ti.last && history_count(ti.history) == 0)
		return;
	if (target_phases(&ti, now, last, p50, p95) != 0)
		return;
	fprintf(out, "\n| phase | last | p50 (1 h) | p95 (1 h) |\n|---|---:|---:|---:|\n");
	for (int k = 0; k < PH_COUNT; k++) {
		if (!kind_has_phase(t, (enum phase)k))
			continue;
		timefmt_ms_as(last[k], TIMEFMT_MS_TABLE, a, sizeof(a));
		timefmt_ms_as(p50[k], TIMEFMT_MS_TABLE, b, sizeof(b));
		timefmt_ms_as(p95[k], TIMEFMT_MS_TABLE, c, sizeof(c));
		fprintf(out, "| %s | %s | %s | %s |\n", phase_names[k], a, b, c);
	}
}

static void write_targets(const struct monitor *m, FILE *out, double now)
{
	fprintf(out, "\n## Targets\n");
	if (monitor_component_count(m) > 0) {
		fprintf(out, "\n| component | state | official |\n|---|---|---|\n");
		for (size_t i = 0; i < monitor_component_count(m); i++) {
			struct monitor_component_info ci;

			monitor_component_info(m, i, &ci);
			fprintf(out, "| ");
			md(out, ci.name);
			fprintf(out, " | %s | %s |\n", assess_component_name(ci.state),
				ci.official_known ? assess_official_name(ci.official) : "-");
		}
	}
	for (size_t i = 0; i < monitor_target_count(m); i++)
		write_target(m, i, out, now);
}

static void write_incident(FILE *out, const struct sp_incident *inc, bool maintenance)
{
	char a[32], b[32];

	fprintf(out, "\n### ");
	md(out, inc->name[0] ? inc->name : "untitled");
	fprintf(out, "\n\n- status: ");
	md(out, inc->status[0] ? inc->status : statuspage_state_name(inc->state));
	fprintf(out, ", impact: %s\n", statuspage_indicator_name(inc->impact));
	fmt_local((double)inc->created_at, a, sizeof(a));
	fmt_local((double)inc->updated_at, b, sizeof(b));
	fprintf(out, "- created: %s, updated: %s\n", a, b);
	if (maintenance) {
		fmt_local((double)inc->scheduled_for, a, sizeof(a));
		fmt_local((double)inc->scheduled_until, b, sizeof(b));
		fprintf(out, "- scheduled: %s to %s\n", a, b);
	}
	if (inc->n_components > 0) {
		fprintf(out, "- components: ");
		for (size_t k = 0; k < inc->n_components; k++) {
			if (k)
				fprintf(out, ", ");
			md(out, inc->components[k]);
		}
		fprintf(out, "\n");
	}
	if (inc->shortlink[0]) {
		fprintf(out, "- link: ");
		md(out, inc->shortlink);
		fprintf(out, "\n");
	}
	for (size_t k = 0; k < inc->n_updates; k++) {
		const struct sp_update *u = &inc->updates[k];

		fmt_local((double)u->at, a, sizeof(a));
		fprintf(out, "\n- %s, ", a);
		md(out, u->status[0] ? u->status : statuspage_state_name(u->state));
		fprintf(out, ":\n\n");
		md_quote(out, u->body[0] ? u->body : "(no text)", "  ");
	}
}

static void write_official(const struct monitor *m, FILE *out)
{
	const struct statuspage *sp = monitor_official(m);
	const char *err = monitor_official_error(m);
	size_t shown = 0;

	fprintf(out, "\n## Official status\n\n");
	if (!sp) {
		if (err[0]) {
			fprintf(out, "The status page could not be read: ");
			md(out, err);
			fprintf(out, "\n");
		} else {
			fprintf(out, "No status page read (none configured, or not read yet).\n");
		}
		return;
	}
	fprintf(out, "- page: ");
	md(out, sp->name[0] ? sp->name : "-");
	if (sp->url[0]) {
		fprintf(out, " (");
		md(out, sp->url);
		fprintf(out, ")");
	}
	fprintf(out, "\n- status: ");
	md(out, sp->description[0] ? sp->description : "-");
	fprintf(out, " (indicator %s)\n", statuspage_indicator_name(sp->indicator));
	if (err[0]) {
		fprintf(out, "- the last read failed, this is the previous one: ");
		md(out, err);
		fprintf(out, "\n");
	}
	for (size_t i = 0; i < sp->n_components; i++) {
		const struct sp_component *c = &sp->components[i];

		if (c->is_group || c->status == SP_COMPONENT_OPERATIONAL)
			continue;
		if (!shown++)
			fprintf(out, "\nComponents not operational:\n\n");
		fprintf(out, "- ");
		if (c->group_name[0]) {
			md(out, c->group_name);
			fprintf(out, " / ");
		}
		md(out, c->name);
		fprintf(out, ": %s\n", statuspage_component_status_label(c->status));
	}
	if (sp->n_incidents == 0)
		fprintf(out, "\nNo unresolved incidents.\n");
	for (size_t i = 0; i < sp->n_incidents; i++)
		write_incident(out, &sp->incidents[i], false);
	for (size_t i = 0; i < sp->n_maintenances; i++)
		write_incident(out, &sp->maintenances[i], true);
}

static void write_events(const struct monitor *m, FILE *out, double now)
{
	struct eventlog *log = monitor_events(m);
	size_t n = 0;

	fprintf(out, "\n## Event log, last hour\n\n");
	while (n < eventlog_count(log) && eventlog_at(log, n)->time > now - REPORT_WINDOW_S)
		n++;
	if (n == 0) {
		fprintf(out, "No events.\n");
		return;
	}
	/* oldest first, as a story is read */
	for (size_t i = n; i-- > 0;) {
		const struct event *ev = eventlog_at(log, i);
		char when[32];

		fmt_local(ev->time, when, sizeof(when));
		fprintf(out, "- %s **%s** %s", when, eventlog_severity_name(ev->severity),
			eventlog_source_name(ev->source));
		if (ev->component[0]) {
			fprintf(out, " [");
			md(out, ev->component);
			fprintf(out, "]");
		}
		fprintf(out, ": ");
		md(out, ev->text);
		fprintf(out, "\n");
		if (ev->detail && ev->detail[0]) {
			fprintf(out, "\n");
			md_quote(out, ev->detail, "  ");
			fprintf(out, "\n");
		}
	}
}

int report_write_markdown(const struct monitor *m, FILE *out)
{
	double now = now_s();

	if (!m || !out)
		return -EINVAL;
	write_head(m, out, now);
	write_summary(m, out, now);
	write_verdict(m, out);
	write_checklist(m, out);
	write_targets(m, out, now);
	write_outages(m, out, now);
	write_official(m, out);
	write_events(m, out, now);
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_ms(cJSON *o, const char *key, double ms)
{
	if (ms >= 0 && !isnan(ms))
		cJSON_AddNumberToObject(o, key, round(ms * 1000.0) / 1000.0);
	else
		cJSON_AddNullToObject(o, key);
}

static const char *const phase_keys[PH_COUNT] = {"dns", "connect", "tls", "ttfb", "transfer", "total"};

/* Adds to each snapshot target its masked URL or host and the per-phase
 * last / p50 / p95 of the window. The snapshot lists targets in monitor order. */
static int json_targets(const struct monitor *m, cJSON *arr, double now)
{
	size_t i = 0;
	cJSON *o;

	cJSON_ArrayForEach(o, arr) {
		struct monitor_target_info ti;
		double last[PH_COUNT], p50[PH_COUNT], p95[PH_COUNT];
		cJSON *phases;

		if (i >= monitor_target_count(m))
			break;
		monitor_target_info(m, i++, &ti);
		if (ti.target->url) {
			char *u = config_mask_url(ti.target->url);

			if (!u)
				return -ENOMEM;
			cJSON_AddStringToObject(o, "url", u);
			free(u);
		} else if (ti.target->host) {
			cJSON_AddStringToObject(o, "host", ti.target->host);
			if (ti.target->kind == TARGET_TCP)
				cJSON_AddNumberToObject(o, "port", ti.target->port);
		}
		if (ti.last && ti.last->request_id[0])
			cJSON_AddStringToObject(o, "request_ids", ti.last->request_id);
		target_phases(&ti, now, last, p50, p95);
		phases = cJSON_AddObjectToObject(o, "phases_ms");
		if (!phases)
			return -ENOMEM;
		for (int k = 0; k < PH_COUNT; k++) {
			cJSON *ph = cJSON_AddObjectToObject(phases, phase_keys[k]);

			if (!ph)
				return -ENOMEM;
			json_ms(ph, "last", last[k]);
			json_ms(ph, "p50", p50[k]);
			json_ms(ph, "p95", p95[k]);
		}
	}
	return 0;
}

static cJSON *report_json(const struct monitor *m, double now)
{
	const struct verdict *v = monitor_verdict(m);
	cJSON *root = snapshot_json(m);
	cJSON *rep, *vo, *events;
	struct eventlog *log = monitor_events(m);
	char iso[TIMEFMT_ISO_LEN], head[96];

	if (!root)
		return NULL;
	rep = cJSON_AddObjectToObject(root, "report");
	if (!rep)
		goto fail;
	cJSON_AddStringToObject(rep, "written_at", timefmt_iso_utc((time_t)now, iso, sizeof(iso)));
	cJSON_AddNumberToObject(rep, "window_s", REPORT_WINDOW_S);
	cJSON_AddStringToObject(rep, "configuration", monitor_config(m)->source ? monitor_config(m)->source : "");
	cJSON_AddNumberToObject(rep, "probes_total", (double)monitor_probes_total(m));
	cJSON_AddBoolToObject(rep, "paused", monitor_paused(m));

	vo = cJSON_GetObjectItemCaseSensitive(root, "verdict");
	if (!vo)
		goto fail;
	verdict_headline(v, head, sizeof(head));
	cJSON_AddStringToObject(vo, "headline", head);
	cJSON_AddNumberToObject(vo, "service_down", v->n_service_down);
	cJSON_AddNumberToObject(vo, "service_known", v->n_service_known);
	cJSON_AddNumberToObject(vo, "service_targets", v->n_service);
	cJSON_AddNumberToObject(vo, "control_down", v->n_control_down);
	cJSON_AddNumberToObject(vo, "control_known", v->n_control_known);
	cJSON_AddNumberToObject(vo, "control_targets", v->n_control);
	if (v->official_text[0])
		cJSON_AddStringToObject(vo, "official", v->official_text);
	else
		cJSON_AddNullToObject(vo, "official");

	if (json_targets(m, cJSON_GetObjectItemCaseSensitive(root, "targets"), now) != 0)
		goto fail;

	/* the snapshot holds the whole log; a report tells the last hour */
	events = cJSON_CreateArray();
	if (!events)
		goto fail;
	for (size_t i = eventlog_count(log); i-- > 0;) {
		const struct event *ev = eventlog_at(log, i);

		if (ev->time > now - REPORT_WINDOW_S)
			cJSON_AddItemToArray(events, eventlog_event_json(ev));
	}
	if (!cJSON_ReplaceItemInObjectCaseSensitive(root, "events", events)) {
		cJSON_Delete(events);
		goto fail;
	}
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

int report_write_json(const struct monitor *m, FILE *out)
{
	cJSON *root;
	char *text;
	int rc = 0;

	if (!m || !out)
		return -EINVAL;
	root = report_json(m, now_s());
	text = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return -ENOMEM;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
		rc = -EIO;
	cJSON_free(text);
	if (fflush(out) != 0 || ferror(out))
		rc = -EIO;
	return rc;
}

/* ---- files ---------------------------------------------------------------- */

bool report_path_is_json(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
}

int report_check_path(const char *path)
{
	struct stat st;
	char *dir, *slash;
	int rc = 0;

	if (!path || !*path)
		return -EINVAL;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		return access(path, W_OK) == 0 ? 0 : -errno;
	}
	if (errno != ENOENT)
		return -errno;
	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) != 0)
		rc = -errno;
	else if (!S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	else if (access(dir, W_OK | X_OK) != 0)
		rc = -errno;
	free(dir);
	return rc;
}

/* Several services: each one's report in turn (Markdown, a rule between),
 * or {"services": [each one's report]}. */
static int write_services(const struct monitor *const *ms, size_t n, FILE *out, bool json)
{
	cJSON *root, *arr;
	char *text;
	int rc = 0;

	if (!json) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (i > 0 && fputs("\n---\n\n", out) == EOF)
				rc = -EIO;
			if (rc == 0)
				rc = report_write_markdown(ms[i], out);
		}
		return rc;
	}
	root = cJSON_CreateObject();
	arr = root ? cJSON_AddArrayToObject(root, "services") : NULL;
	for (size_t i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, report_json(ms[i], now_s()));
	text = arr ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return -ENOMEM;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF || fflush(out) != 0)
		rc = -EIO;
	cJSON_free(text);
	return rc;
}

int report_write_services_file(const struct monitor *const *ms, size_t n, const char *path)
{
	FILE *f;
	int rc;

	if (!ms || !n || !path || !*path)
		return -EINVAL;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	rc = write_services(ms, n, f, report_path_is_json(path));
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}

int report_write_file(const struct monitor *m, const char *path)
{
	FILE *f;
	int rc;

	if (!m || !path || !*path)
		return -EINVAL;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	rc = report_path_is_json(path) ? report_write_json(m, f) : report_write_markdown(m, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}
