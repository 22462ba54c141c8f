/* once.c: what --once prints: the verdict first (the line a monitoring system
 * shows), then the targets, the official status and the checklist with what to
 * do, in 80 columns; and, while it waits, a progress line on a terminal's
 * stderr that it erases before the answer. */
#include "once.h"

#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "perfdata.h"
#include "snapshot_json.h"
#include "textwrap.h"

#define WIDTH 80
#define NAME_MAX_COLS 24      /* the target column; the rest of a row takes 56 */
#define COMPONENT_MAX_COLS 40
#define ROLE_MARK " (control)"

static const char *ellipsis(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0 ? "\xe2\x80\xa6" : "...";
}

/* s, then spaces up to cols columns. */
static void put_padded(FILE *out, const char *s, int cols)
{
	int w = textwrap_width(s);

	fprintf(out, "%s%*s", s, w < cols ? cols - w : 0, "");
}

/* text from column col of the current line, wrapped at WIDTH; further lines
 * start at column indent. Ends the line. */
static void put_wrapped(FILE *out, int col, int indent, const char *text)
{
	const char *p = text, *next;
	int room = WIDTH - col;

	for (;;) {
		size_t n = textwrap_line(p, room > 20 ? room : 20, &next);

		fprintf(out, "%.*s\n", (int)n, p);
		p = next;
		if (!*p)
			break;
		fprintf(out, "%*s", indent, "");
		room = WIDTH - indent;
	}
}

static void print_ms(FILE *out, double ms)
{
	if (ms >= 100000)
		fprintf(out, " %7.0f", ms);
	else if (ms >= 0)
		fprintf(out, " %7.1f", ms);
	else
		fprintf(out, " %7s", "-");
}

/* The target's name as its row shows it: controls marked, cut to cols. */
static void name_cell(char *buf, size_t len, const struct target *t, int cols)
{
	bool control = t->role == TARGET_ROLE_CONTROL;
	int mark = control ? textwrap_width(ROLE_MARK) : 0;
	size_t used;

	textwrap_fit(buf, len, t->name, cols - mark, ellipsis());
	used = strlen(buf);
	if (control && used + sizeof(ROLE_MARK) <= len)
		memcpy(buf + used, ROLE_MARK, sizeof(ROLE_MARK));
}

static void print_targets(FILE *out, const struct monitor *m)
{
	size_t n = monitor_target_count(m);
	int cols = 6; /* "TARGET" */
	char name[256];

	for (size_t i = 0; i < n; i++) {
		struct monitor_target_info ti;
		int w;

		monitor_target_info(m, i, &ti);
		w = textwrap_width(ti.target->name) +
		    (ti.target->role == TARGET_ROLE_CONTROL ? textwrap_width(ROLE_MARK) : 0);
		if (w > cols)
			cols = w;
	}
	if (cols > NAME_MAX_COLS)
		cols = NAME_MAX_COLS;
	fputc('\n', out);
	put_padded(out, "TARGET", cols);
	fprintf(out, " %-10s %4s %7s %7s %7s %7s %7s\n", "STATE", "HTTP", "DNS", "CONNECT", "TLS", "TTFB",
		"TOTAL");
	for (size_t i = 0; i < n; i++) {
		struct monitor_target_info ti;
		const struct sample *s;

		monitor_target_info(m, i, &ti);
		s = ti.last;
		name_cell(name, sizeof(name), ti.target, cols);
		put_padded(out, name, cols);
		fprintf(out, " %-10s", ti.needs[0] ? "skipped" : assess_state_name(ti.state));
		if (s && s->http_status)
			fprintf(out, " %4ld", s->http_status);
		else
			fprintf(out, " %4s", "-");
		print_ms(out, s ? s->dns_ms : -1);
		print_ms(out, s ? s->connect_ms : -1);
		print_ms(out, s ? s->tls_ms : -1);
		print_ms(out, s ? s->ttfb_ms : -1);
		print_ms(out, s ? s->total_ms : -1);
		fputc('\n', out);
		/* what went wrong, under the row; a plain success needs no words */
		if (ti.needs[0]) {
			fprintf(out, "  skipped: %s\n", ti.needs);
		} else if (!s) {
			fprintf(out, "  no result\n");
		} else if (s->llm && s->ok && s->tokens_out >= 0) {
			fprintf(out, "  first token %.0f ms, %ld tokens", s->first_token_ms, s->tokens_out);
			if (s->tokens_per_s >= 0)
				fprintf(out, " at %.1f/s", s->tokens_per_s);
			fprintf(out, ", %s%s%s\n", s->llm_model[0] ? s->llm_model : "model not named",
				s->finish_reason[0] ? ", finish " : "", s->finish_reason);
			if (s->error[0]) {
				fprintf(out, "  ");
				put_wrapped(out, 2, 4, s->error);
			}
		} else if (s->error[0]) {
			fprintf(out, "  ");
			put_wrapped(out, 2, 4, s->error);
		} else if (!s->ok) {
			fprintf(out, "  ");
			put_wrapped(out, 2, 4, assess_outcome_text(s->outcome, s->http_status));
		}
	}
}

static void print_components(FILE *out, const struct monitor *m)
{
	size_t n = monitor_component_count(m);
	int cols = 9; /* "COMPONENT" */
	char name[256];

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct monitor_component_info ci;
		int w;

		monitor_component_info(m, i, &ci);
		w = textwrap_width(ci.name);
		if (w > cols)
			cols = w;
	}
	if (cols > COMPONENT_MAX_COLS)
		cols = COMPONENT_MAX_COLS;
	fputc('\n', out);
	put_padded(out, "COMPONENT", cols);
	fprintf(out, " %-14s %s\n", "STATE", "OFFICIAL");
	for (size_t i = 0; i < n; i++) {
		struct monitor_component_info ci;

		monitor_component_info(m, i, &ci);
		textwrap_fit(name, sizeof(name), ci.name, cols, ellipsis());
		put_padded(out, name, cols);
		fprintf(out, " %-14s %s\n", assess_component_name(ci.state),
			ci.official_known ? assess_official_name(ci.official) : "-");
	}
}

/* One row of the uptime table; false (and nothing printed) when no window of
 * it is known. */
static bool uptime_row(FILE *out, const struct monitor *m, const char *name, size_t target, const char *component,
		       int cols, double now)
{
	char cell[HISTORY_UPTIME_WINDOWS][16], fitted[256];
	bool any = false;

	for (size_t w = 0; w < HISTORY_UPTIME_WINDOWS; w++) {
		double r;
		int rc = component ? monitor_component_uptime(m, component, w, now, &r)
				   : monitor_target_uptime(m, target, w, now, &r);

		if (rc == 0) {
			history_uptime_text(r, cell[w], sizeof(cell[w]));
			any = true;
		} else {
			snprintf(cell[w], sizeof(cell[w]), "-");
		}
	}
	if (!any || !out)
		return any;
	textwrap_fit(fitted, sizeof(fitted), name, cols, ellipsis());
	put_padded(out, fitted, cols);
	for (size_t w = 0; w < HISTORY_UPTIME_WINDOWS; w++)
		fprintf(out, " %9s", cell[w]);
	fputc('\n', out);
	return true;
}

/* Uptime as measured here, from the history this and earlier runs kept;
 * nothing at all until a window is covered. */
static void print_uptime(FILE *out, const struct monitor *m)
{
	size_t n = monitor_target_count(m), nc = monitor_component_count(m);
	double now = (double)time(NULL), r;
	int cols = 6; /* "UPTIME" */
	bool any = false;

	for (size_t i = 0; i < n && !any; i++)
		for (size_t w = 0; w < HISTORY_UPTIME_WINDOWS && !any; w++)
			any = monitor_target_uptime(m, i, w, now, &r) == 0;
	if (!any)
		return;
	for (size_t i = 0; i < n; i++) {
		struct monitor_target_info ti;

		monitor_target_info(m, i, &ti);
		cols = textwrap_width(ti.target->name) > cols ? textwrap_width(ti.target->name) : cols;
	}
	for (size_t i = 0; i < nc; i++) {
		struct monitor_component_info ci;

		monitor_component_info(m, i, &ci);
		cols = textwrap_width(ci.name) > cols ? textwrap_width(ci.name) : cols;
	}
	if (cols > COMPONENT_MAX_COLS)
		cols = COMPONENT_MAX_COLS;
	fprintf(out, "\nUPTIME as measured here, by the probes of this run and the runs before\n");
	put_padded(out, "TARGET", cols);
	for (size_t w = 0; w < HISTORY_UPTIME_WINDOWS; w++)
		fprintf(out, " %9s", history_uptime_windows[w].name);
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		struct monitor_target_info ti;

		monitor_target_info(m, i, &ti);
		uptime_row(out, m, ti.target->name, i, NULL, cols, now);
	}
	any = false;
	for (size_t i = 0; i < nc; i++) {
		struct monitor_component_info ci;

		monitor_component_info(m, i, &ci);
		if (!any && uptime_row(NULL, m, ci.name, 0, ci.name, cols, now)) {
			put_padded(out, "COMPONENT", cols);
			fputc('\n', out);
			any = true;
		}
		if (any)
			uptime_row(out, m, ci.name, 0, ci.name, cols, now);
	}
}

static void print_official(FILE *out, const struct monitor *m)
{
	const struct statuspage *sp = monitor_official(m);
	char line[1024];

	if (sp) {
		snprintf(line, sizeof(line), "official status: %s (%s)", sp->description[0] ? sp->description : "-",
			 sp->indicator_raw[0] ? sp->indicator_raw : statuspage_indicator_name(sp->indicator));
		fputc('\n', out);
		put_wrapped(out, 0, 2, line);
		for (size_t i = 0; i < sp->n_incidents; i++) {
			if (statuspage_state_is_closed(sp->incidents[i].state))
				continue;
			snprintf(line, sizeof(line), "incident: %s [%s, impact %s]", sp->incidents[i].name,
				 sp->incidents[i].status, statuspage_indicator_name(sp->incidents[i].impact));
			fprintf(out, "  ");
			put_wrapped(out, 2, 4, line);
		}
		for (size_t i = 0; i < sp->n_maintenances; i++) {
			if (statuspage_state_is_closed(sp->maintenances[i].state))
				continue;
			snprintf(line, sizeof(line), "maintenance: %s [%s]", sp->maintenances[i].name,
				 sp->maintenances[i].status);
			fprintf(out, "  ");
			put_wrapped(out, 2, 4, line);
		}
	} else if (monitor_official_error(m)[0]) {
		snprintf(line, sizeof(line), "official status: unknown (%s)", monitor_official_error(m));
		fputc('\n', out);
		put_wrapped(out, 0, 2, line);
	}
	if (monitor_lag_text(m)[0])
		put_wrapped(out, 0, 2, monitor_lag_text(m));
}

/* Each step on a line (its detail wrapped under itself), and for a step that
 * failed or warns, what to do about it. */
static void print_checklist(FILE *out, const struct checklist *cl)
{
	static const char todo[] = "what to do: ";
	int title_cols = 0, detail_col;

	for (size_t i = 0; i < cl->n; i++) {
		int w = textwrap_width(cl->steps[i].title);

		if (w > title_cols)
			title_cols = w;
	}
	detail_col = 12 + title_cols + 2; /* "  [pending] " */
	fprintf(out, "\nCHECKLIST\n");
	for (size_t i = 0; i < cl->n; i++) {
		const struct checklist_step *st = &cl->steps[i];

		fprintf(out, "  [%-7s] ", checklist_result_name(st->result));
		put_padded(out, st->title, title_cols + 2);
		put_wrapped(out, detail_col, detail_col, st->detail);
		if ((st->result == CHECKLIST_FAIL || st->result == CHECKLIST_WARN) && st->advice[0]) {
			fprintf(out, "%12s%s", "", todo);
			put_wrapped(out, 12 + (int)strlen(todo), 12, st->advice);
		}
	}
}

/* The performance data after the status line's '|': each target's last total
 * time (an llm target's first token; its slow threshold as warning, its timeout as critical; U when it got
 * no answer) and how many targets fail. */
/* Each target's total time, then how many fail; prefix names the service
 * when several are watched ("OpenAI/api_total"), and mirrored controls are
 * counted once, by the service that probes them. */
static void perfdata_add(char *buf, size_t len, const struct monitor *m, const char *prefix, size_t *failing,
			 size_t *total)
{
	size_t n = monitor_target_count(m);
	char label[256];

	for (size_t i = 0; i < n; i++) {
		struct monitor_target_info ti;
		struct perfdata_value pv = {label, false, 0, "s", NAN, NAN, 0, NAN};

		monitor_target_info(m, i, &ti);
		/* a model's: its time to first token, which slow_ms is about */
		bool llm = ti.target->kind == TARGET_LLM;
		double ms = !ti.last ? -1 : llm ? ti.last->first_token_ms : ti.last->total_ms;

		snprintf(label, sizeof(label), llm ? "%s%s_first_token" : "%s%s_total", prefix, ti.target->name);
		if (ti.last && ti.last->ok && ms >= 0) {
			pv.known = true;
			pv.value = ms / 1000.0;
		}
		if (ti.last && !ti.last->ok)
			(*failing)++;
		if (ti.target->slow_ms > 0)
			pv.warn = ti.target->slow_ms / 1000.0;
		if (ti.target->timeout_s > 0)
			pv.crit = ti.target->timeout_s;
		perfdata_append(buf, len, &pv);
	}
	*total += n;
}

static void perfdata_done(char *buf, size_t len, size_t failing, size_t total)
{
	struct perfdata_value down = {"targets_failing", true, (double)failing, "", NAN, NAN, 0, (double)total};

	perfdata_append(buf, len, &down);
}

static void perfdata_text(char *buf, size_t len, const struct monitor *m)
{
	size_t failing = 0, total = 0;

	buf[0] = '\0';
	perfdata_add(buf, len, m, "", &failing, &total);
	perfdata_done(buf, len, failing, total);
}

/* The status line a monitoring system reads: whole, never wrapped. The
 * state's name stays (scripts grep it) unless the summary says it ("all
 * good"); the cause is in --json. */
static void print_status_line(FILE *out, const struct verdict *v, const char *perf)
{
	char status[1024];

	if (v->cause == VERDICT_CAUSE_OK)
		snprintf(status, sizeof(status), "%s - %s", diagnose_exit_word(v->state), v->summary);
	else
		snprintf(status, sizeof(status), "%s - %s: %s", diagnose_exit_word(v->state), diagnose_state_name(v->state),
			 v->summary);
	/* a '|' in a name would start the performance data early */
	for (char *p = status; *p; p++)
		if (*p == '|')
			*p = '/';
	fprintf(out, "%s | %s\n", status, perf);
}

/* Everything under the status line for one service. */
static void print_service(FILE *out, const struct monitor *m)
{
	print_targets(out, m);
	print_components(out, m);
	print_uptime(out, m);
	print_official(out, m);
	print_checklist(out, monitor_checklist(m));
}

void once_print_text(FILE *out, const struct monitor *m)
{
	const struct verdict *v = monitor_verdict(m);
	char perf[4096];

	perfdata_text(perf, sizeof(perf), m);
	print_status_line(out, v, perf);
	if (v->detail[0])
		put_wrapped(out, 0, 2, v->detail);
	print_service(out, m);
}

bool once_config_problem(const struct monitor *m, FILE *err)
{
	bool any = false;

	for (size_t i = 0; i < monitor_target_count(m); i++) {
		struct monitor_target_info ti;

		monitor_target_info(m, i, &ti);
		if (!ti.last || ti.last->outcome != OUTCOME_MODEL_NOT_FOUND)
			continue;
		fprintf(err, "isitdown: %s: the API knows no model \"%s\": check \"model\" in the config\n",
			ti.target->name, ti.target->model ? ti.target->model : "");
		any = true;
	}
	return any;
}

void once_print_fleet_text(FILE *out, const struct fleet *f)
{
	struct verdict overall;
	char perf[8192], prefix[128];
	size_t failing = 0, total = 0;

	perf[0] = '\0';
	for (size_t i = 0; i < fleet_count(f); i++) {
		snprintf(prefix, sizeof(prefix), "%s/", monitor_config(fleet_monitor(f, i))->service);
		perfdata_add(perf, sizeof(perf), fleet_monitor(f, i), prefix, &failing, &total);
	}
	perfdata_done(perf, sizeof(perf), failing, total);
	fleet_verdict(f, &overall, NULL);
	print_status_line(out, &overall, perf);
	for (size_t i = 0; i < fleet_count(f); i++) {
		const struct monitor *m = fleet_monitor(f, i);
		const struct verdict *v = monitor_verdict(m);

		fprintf(out, "\n== %s: %s - %s\n", monitor_config(m)->service, diagnose_state_name(v->state), v->summary);
		if (v->detail[0])
			put_wrapped(out, 0, 2, v->detail);
		print_service(out, m);
	}
}

static int print_doc(FILE *out, cJSON *doc)
{
	char *text;

	if (!doc)
		return -1;
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		return -1;
	fprintf(out, "%s\n", text);
	cJSON_free(text);
	return 0;
}

int once_print_json(FILE *out, const struct monitor *m)
{
	return print_doc(out, snapshot_json(m));
}

int once_print_fleet_json(FILE *out, const struct fleet *f)
{
	return print_doc(out, snapshot_fleet_json(f));
}

/* ---- progress on a terminal ---- */

#define PROGRESS_FIRST_MS 200 /* an answer quicker than this shows nothing */
#define PROGRESS_EVERY_MS 100

struct once_progress {
	uv_timer_t timer;
	const struct monitor *m;
	FILE *out;
	int shown;      /* columns of the line on the terminal; 0 when none */
	char last[128];
};

static void on_progress_tick(uv_timer_t *h)
{
	struct once_progress *p = h->data;
	size_t n = monitor_target_count(p->m), answered = 0, confirming = 0;
	char text[128];
	int w;

	for (size_t i = 0; i < n; i++) {
		struct monitor_target_info ti;

		monitor_target_info(p->m, i, &ti);
		if (ti.last)
			answered++;
		if (ti.state == ASSESS_CONFIRMING)
			confirming++;
	}
	if (confirming > 0)
		snprintf(text, sizeof(text), "probing %zu target%s%s %zu answered, %zu confirming", n,
			 n == 1 ? "" : "s", ellipsis(), answered, confirming);
	else
		snprintf(text, sizeof(text), "probing %zu target%s%s %zu answered", n, n == 1 ? "" : "s",
			 ellipsis(), answered);
	if (p->shown > 0 && strcmp(text, p->last) == 0)
		return;
	snprintf(p->last, sizeof(p->last), "%s", text);
	w = textwrap_width(text);
	/* written over in place; spaces, not an escape, cover a longer last line */
	fprintf(p->out, "\r%s%*s", text, p->shown > w ? p->shown - w : 0, "");
	fflush(p->out);
	if (w > p->shown)
		p->shown = w;
}

static void on_progress_closed(uv_handle_t *h)
{
	free(h->data);
}

struct once_progress *once_progress_start(uv_loop_t *loop, const struct monitor *m, FILE *out)
{
	struct once_progress *p;

	if (!isatty(fileno(out)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL; /* progress is a nicety: the answer comes without it */
	p->m = m;
	p->out = out;
	uv_timer_init(loop, &p->timer);
	p->timer.data = p;
	uv_timer_start(&p->timer, on_progress_tick, PROGRESS_FIRST_MS, PROGRESS_EVERY_MS);
	/* the monitor's own work keeps the loop alive, not the progress */
	uv_unref((uv_handle_t *)&p->timer);
	return p;
}

void once_progress_stop(struct once_progress *p)
{
	if (!p)
		return;
	if (p->shown > 0) {
		fprintf(p->out, "\r%*s\r", p->shown, "");
		fflush(p->out);
	}
	uv_timer_stop(&p->timer);
	uv_close((uv_handle_t *)&p->timer, on_progress_closed);
}
