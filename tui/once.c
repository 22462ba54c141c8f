/* once.c: what --once prints: the verdict first (the line a monitoring system
 * shows), then the targets, the official status and the checklist. */
#include "once.h"

#include <string.h>

#include "snapshot_json.h"

static const char *state_word(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OPERATIONAL: return "OK";
	case VERDICT_DEGRADED: return "WARNING";
	case VERDICT_MAINTENANCE: return "WARNING";
	case VERDICT_PARTIAL_OUTAGE:
	case VERDICT_MAJOR_OUTAGE: return "CRITICAL";
	case VERDICT_LOCAL_PROBLEM:
	case VERDICT_UNKNOWN: break;
	}
	return "UNKNOWN";
}

static void print_ms(FILE *out, double ms)
{
	if (ms >= 0)
		fprintf(out, " %8.1f", ms);
	else
		fprintf(out, " %8s", "-");
}

void once_print_text(FILE *out, const struct monitor *m)
{
	const struct verdict *v = monitor_verdict(m);
	const struct checklist *cl = monitor_checklist(m);
	const struct statuspage *sp = monitor_official(m);

	fprintf(out, "%s - %s: %s (%s)\n", state_word(v->state), diagnose_state_name(v->state), v->summary,
		diagnose_cause_name(v->cause));
	if (v->detail[0])
		fprintf(out, "%s\n", v->detail);
	fprintf(out, "\n%-18s %-10s %-8s %-11s %5s %8s %8s %8s %8s %8s  %s\n", "TARGET", "KIND", "ROLE", "STATE",
		"HTTP", "DNS", "CONNECT", "TLS", "TTFB", "TOTAL", "RESULT");
	for (size_t i = 0; i < monitor_target_count(m); i++) {
		struct monitor_target_info ti;
		const struct sample *s;

		monitor_target_info(m, i, &ti);
		s = ti.last;
		fprintf(out, "%-18.18s %-10s %-8s %-11s", ti.target->name, target_kind_name(ti.target->kind),
			target_role_name(ti.target->role), assess_state_name(ti.state));
		if (s && s->http_status)
			fprintf(out, " %5ld", s->http_status);
		else
			fprintf(out, " %5s", "-");
		print_ms(out, s ? s->dns_ms : -1);
		print_ms(out, s ? s->connect_ms : -1);
		print_ms(out, s ? s->tls_ms : -1);
		print_ms(out, s ? s->ttfb_ms : -1);
		print_ms(out, s ? s->total_ms : -1);
		if (!s)
			fprintf(out, "  no result\n");
		else if (s->error[0])
			fprintf(out, "  %s\n", s->error);
		else
			fprintf(out, "  %s\n", assess_outcome_text(s->outcome, s->http_status));
	}
	if (monitor_component_count(m) > 0) {
		fprintf(out, "\n%-24s %-16s %s\n", "COMPONENT", "STATE", "OFFICIAL");
		for (size_t i = 0; i < monitor_component_count(m); i++) {
			struct monitor_component_info ci;

			monitor_component_info(m, i, &ci);
			fprintf(out, "%-24.24s %-16s %s\n", ci.name, assess_component_name(ci.state),
				ci.official_known ? assess_official_name(ci.official) : "-");
		}
	}
	if (sp) {
		fprintf(out, "\nofficial status: %s (%s)\n", sp->description[0] ? sp->description : "-",
			sp->indicator_raw[0] ? sp->indicator_raw : statuspage_indicator_name(sp->indicator));
		for (size_t i = 0; i < sp->n_incidents; i++)
			if (!statuspage_state_is_closed(sp->incidents[i].state))
				fprintf(out, "  incident: %s [%s, impact %s]\n", sp->incidents[i].name,
					sp->incidents[i].status, statuspage_indicator_name(sp->incidents[i].impact));
		for (size_t i = 0; i < sp->n_maintenances; i++)
			if (!statuspage_state_is_closed(sp->maintenances[i].state))
				fprintf(out, "  maintenance: %s [%s]\n", sp->maintenances[i].name,
					sp->maintenances[i].status);
	} else if (monitor_official_error(m)[0]) {
		fprintf(out, "\nofficial status: unknown (%s)\n", monitor_official_error(m));
	}
	if (monitor_lag_text(m)[0])
		fprintf(out, "%s\n", monitor_lag_text(m));
	fprintf(out, "\nCHECKLIST\n");
	for (size_t i = 0; i < cl->n; i++) {
		const struct checklist_step *st = &cl->steps[i];

		fprintf(out, "  [%-7s] %-28s %s\n", checklist_result_name(st->result), st->title, st->detail);
	}
}

int once_print_json(FILE *out, const struct monitor *m)
{
	cJSON *doc = snapshot_json(m);
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
