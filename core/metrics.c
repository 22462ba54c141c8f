/* metrics.c: the Prometheus exposition text of a monitor.
 *
 * Stateless: each call reads the monitor through its accessors and writes one
 * complete text, family after family (the format wants every line of a
 * family together), each with its HELP and TYPE lines even when it has no
 * series yet. Label values come from the config (target and component names,
 * which a config can make hostile: quotes, backslashes, any Unicode) and from
 * fixed vocabularies; they are sanitized and escaped here. Counters start at
 * 0 for every label set they can take, so rate() sees the first increase. */
#include "metrics.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build_config.h"
#include "sanitize.h"

/* service="...",target="...",component="...",role="..." for one target */
#define TARGET_LABELS_LEN (4 * (2 * METRICS_LABEL_MAX + 1) + 80)

/* Every target of every service, flat: series k is target idx[k] of
 * services[svc[k]]. */
struct out {
	FILE *f;
	const struct monitor *const *services;
	size_t n_services;
	size_t n;
	size_t *svc, *idx;
	char (*labels)[TARGET_LABELS_LEN];
	char (*service_label)[2 * METRICS_LABEL_MAX + 16]; /* "service=\"X\"," per service, "" with one */
};

static void info(const struct out *o, size_t k, struct monitor_target_info *ti)
{
	monitor_target_info(o->services[o->svc[k]], o->idx[k], ti);
}

size_t metrics_escape_label(char *dst, size_t dstlen, const char *value)
{
	char clean[METRICS_LABEL_MAX + 1];
	size_t n = 0;

	if (dstlen == 0)
		return 0;
	sanitize_into(clean, sizeof(clean), value, SANITIZE_NUL_TERMINATED, SANITIZE_KEEP_NEWLINES);
	/* whole characters only (clean is valid UTF-8), so a cut never splits one */
	for (const unsigned char *p = (const unsigned char *)clean; *p;) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : *p == '\n' ? "\\n" : NULL;
		size_t k = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;

		if (n + (esc ? 2 : k) >= dstlen)
			break;
		if (esc) {
			memcpy(dst + n, esc, 2);
			n += 2;
		} else {
			memcpy(dst + n, p, k);
			n += k;
		}
		p += k;
	}
	dst[n] = '\0';
	return n;
}

static void family(struct out *o, const char *name, const char *type, const char *help)
{
	fprintf(o->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void label(FILE *f, const char *name, const char *value)
{
	char esc[2 * METRICS_LABEL_MAX + 1];

	metrics_escape_label(esc, sizeof(esc), value ? value : "");
	fprintf(f, "%s=\"%s\"", name, esc);
}

static const struct sample *last_of(const struct out *o, size_t i, struct monitor_target_info *ti)
{
	info(o, i, ti);
	return ti->last;
}

static bool is_web(const struct target *t)
{
	return t->kind == TARGET_HTTP || t->kind == TARGET_STATUSPAGE || t->kind == TARGET_LLM;
}

static double seconds(double ms)
{
	return ms > 0 ? ms / 1000.0 : 0;
}

/* Model probes: time to first token and tokens per second of the last
 * answer, for llm targets (the families only when the config has one). */
static void llm_families(struct out *o)
{
	struct monitor_target_info ti;
	const struct sample *s;
	bool any = false;

	for (size_t i = 0; i < o->n && !any; i++) {
		info(o, i, &ti);
		any = ti.target->kind == TARGET_LLM;
	}
	if (!any)
		return;
	family(o, "isitdown_llm_first_token_seconds", "gauge",
	       "Time from the start of the last model probe to its first token, in seconds");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && ti.target->kind == TARGET_LLM && s->first_token_ms >= 0)
			fprintf(o->f, "isitdown_llm_first_token_seconds{%s} %.6f\n", o->labels[i],
				seconds(s->first_token_ms));
	}
	family(o, "isitdown_llm_tokens_per_second", "gauge",
	       "Tokens per second of the last model answer, after its first token");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && ti.target->kind == TARGET_LLM && s->tokens_per_s >= 0)
			fprintf(o->f, "isitdown_llm_tokens_per_second{%s} %.3f\n", o->labels[i], s->tokens_per_s);
	}
}

static void probe_families(struct out *o)
{
	static const char *const phases[] = {"resolve", "connect", "tls", "processing", "transfer"};
	struct monitor_target_info ti;
	const struct sample *s;

	family(o, "probe_success", "gauge", "Whether the last probe of the target succeeded");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s)
			fprintf(o->f, "probe_success{%s} %d\n", o->labels[i], s->ok ? 1 : 0);
	}

	family(o, "probe_duration_seconds", "gauge", "How long the last probe took, in seconds");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && s->total_ms >= 0)
			fprintf(o->f, "probe_duration_seconds{%s} %.6f\n", o->labels[i], seconds(s->total_ms));
	}

	family(o, "probe_http_duration_seconds", "gauge",
	       "Duration of the phases of the last HTTP probe, in seconds (0: the phase did not happen)");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (!s || !is_web(ti.target))
			continue;
		const double v[] = {s->dns_ms, s->connect_ms, s->tls_ms, s->ttfb_ms, s->transfer_ms};

		for (size_t k = 0; k < 5; k++)
			fprintf(o->f, "probe_http_duration_seconds{%s,phase=\"%s\"} %.6f\n", o->labels[i],
				phases[k], seconds(v[k]));
	}

	family(o, "probe_http_status_code", "gauge", "HTTP status of the last probe (0: no answer)");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && is_web(ti.target))
			fprintf(o->f, "probe_http_status_code{%s} %ld\n", o->labels[i], s->http_status);
	}

	family(o, "probe_http_version", "gauge", "HTTP version of the last answer (0: no answer)");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && is_web(ti.target))
			fprintf(o->f, "probe_http_version{%s} %.1f\n", o->labels[i], s->http_version / 10.0);
	}

	family(o, "probe_ssl_earliest_cert_expiry", "gauge",
	       "When the certificate of the last TLS probe expires, in seconds since the epoch");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && s->cert_expiry > 0)
			fprintf(o->f, "probe_ssl_earliest_cert_expiry{%s} %lld\n", o->labels[i],
				(long long)s->cert_expiry);
	}

	family(o, "probe_dns_lookup_time_seconds", "gauge", "How long the last DNS probe took to resolve, in seconds");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s && ti.target->kind == TARGET_DNS && s->dns_ms >= 0)
			fprintf(o->f, "probe_dns_lookup_time_seconds{%s} %.6f\n", o->labels[i], seconds(s->dns_ms));
	}

	llm_families(o);

	family(o, "isitdown_last_probe_timestamp_seconds", "gauge",
	       "When the last probe of the target started, in seconds since the epoch");
	for (size_t i = 0; i < o->n; i++) {
		s = last_of(o, i, &ti);
		if (s)
			fprintf(o->f, "isitdown_last_probe_timestamp_seconds{%s} %.3f\n", o->labels[i], s->t);
	}
}

static void counter_families(struct out *o)
{
	struct monitor_target_info ti;

	family(o, "isitdown_probes_total", "counter", "Probes of the target that ended, since start");
	for (size_t i = 0; i < o->n; i++) {
		info(o, i, &ti);
		fprintf(o->f, "isitdown_probes_total{%s} %lu\n", o->labels[i], ti.probes);
	}

	family(o, "isitdown_uptime_ratio", "gauge",
	       "Share of the target's probes that passed over the window, once the history covers it");
	for (size_t i = 0; i < o->n; i++) {
		info(o, i, &ti);
		for (size_t w = 0; w < HISTORY_UPTIME_WINDOWS; w++) {
			double r;

			if (history_uptime(ti.history, (double)time(NULL), history_uptime_windows[w].seconds, &r) == 0)
				fprintf(o->f, "isitdown_uptime_ratio{%s,window=\"%s\"} %.6f\n", o->labels[i],
					history_uptime_windows[w].name, r);
		}
	}

	family(o, "isitdown_probe_failures_total", "counter", "Failed probes of the target since start, by reason");
	for (size_t i = 0; i < o->n; i++) {
		info(o, i, &ti);
		for (int k = OUTCOME_OK + 1; k < OUTCOME_COUNT; k++)
			fprintf(o->f, "isitdown_probe_failures_total{%s,reason=\"%s\"} %lu\n", o->labels[i],
				outcome_name((enum outcome)k), ti.outcomes[k]);
	}
}

static void state_families(struct out *o)
{
	struct monitor_target_info ti;
	struct monitor_component_info ci;
	bool has_page = false;

	family(o, "isitdown_target_state", "gauge",
	       "The assessed state of the target (one series per state, 1 for the current one)");
	for (size_t i = 0; i < o->n; i++) {
		info(o, i, &ti);
		has_page = has_page || ti.target->kind == TARGET_STATUSPAGE;
		for (int k = ASSESS_UNKNOWN; k <= ASSESS_FLAPPING; k++)
			fprintf(o->f, "isitdown_target_state{%s,state=\"%s\"} %d\n", o->labels[i],
				assess_state_name((enum assess_state)k), ti.state == (enum assess_state)k);
	}

	family(o, "isitdown_component_state", "gauge",
	       "The state of the component, our probes and the official page together (one-hot)");
	for (size_t s = 0; s < o->n_services; s++)
		for (size_t i = 0; i < monitor_component_count(o->services[s]); i++) {
			monitor_component_info(o->services[s], i, &ci);
			for (int k = ASSESS_COMPONENT_OPERATIONAL; k <= ASSESS_COMPONENT_UNKNOWN; k++) {
				fprintf(o->f, "isitdown_component_state{%s", o->service_label[s]);
				label(o->f, "component", ci.name);
				fprintf(o->f, ",state=\"%s\"} %d\n", assess_component_name((enum assess_component)k),
					ci.state == (enum assess_component)k);
			}
		}

	family(o, "isitdown_component_official_state", "gauge",
	       "The status the official page gives the component (one-hot; unknown: not read or not listed)");
	for (size_t s = 0; has_page && s < o->n_services; s++)
		for (size_t i = 0; i < monitor_component_count(o->services[s]); i++) {
			monitor_component_info(o->services[s], i, &ci);
			for (int k = ASSESS_OFFICIAL_UNKNOWN; k <= ASSESS_OFFICIAL_MAINTENANCE; k++) {
				fprintf(o->f, "isitdown_component_official_state{%s", o->service_label[s]);
				label(o->f, "component", ci.name);
				fprintf(o->f, ",state=\"%s\"} %d\n", assess_official_name((enum assess_official)k),
					ci.official == (enum assess_official)k);
			}
		}

	family(o, "isitdown_official_indicator", "gauge",
	       "The official status page's overall indicator (one-hot; none: all operational)");
	for (size_t s = 0; has_page && s < o->n_services; s++) {
		const struct statuspage *sp = monitor_official(o->services[s]);

		for (int k = SP_INDICATOR_NONE; k <= SP_INDICATOR_UNKNOWN; k++) {
			enum sp_indicator cur = sp ? sp->indicator : SP_INDICATOR_UNKNOWN;

			fprintf(o->f, "isitdown_official_indicator{%sindicator=\"%s\"} %d\n", o->service_label[s],
				statuspage_indicator_name((enum sp_indicator)k), cur == (enum sp_indicator)k);
		}
	}

	family(o, "isitdown_verdict", "gauge", "The current verdict, is it down or is it just me (always 1)");
	for (size_t s = 0; s < o->n_services; s++) {
		const struct verdict *v = monitor_verdict(o->services[s]);

		fprintf(o->f, "isitdown_verdict{%sstate=\"%s\",cause=\"%s\"} 1\n", o->service_label[s],
			diagnose_state_name(v->state), diagnose_cause_name(v->cause));
	}
}

static void out_free(struct out *o)
{
	free(o->svc);
	free(o->idx);
	free(o->labels);
	free(o->service_label);
}

static int out_init(struct out *o, const struct monitor *const *services, size_t n_services)
{
	size_t k = 0;

	o->services = services;
	o->n_services = n_services;
	for (size_t s = 0; s < n_services; s++)
		o->n += monitor_target_count(services[s]);
	o->svc = calloc(o->n ? o->n : 1, sizeof(*o->svc));
	o->idx = calloc(o->n ? o->n : 1, sizeof(*o->idx));
	o->labels = calloc(o->n ? o->n : 1, sizeof(*o->labels));
	o->service_label = calloc(n_services ? n_services : 1, sizeof(*o->service_label));
	if (!o->svc || !o->idx || !o->labels || !o->service_label)
		return -ENOMEM;
	for (size_t s = 0; s < n_services; s++) {
		char esc[2 * METRICS_LABEL_MAX + 1];

		if (n_services > 1) {
			metrics_escape_label(esc, sizeof(esc), monitor_config(services[s])->service);
			snprintf(o->service_label[s], sizeof(o->service_label[s]), "service=\"%s\",", esc);
		}
		for (size_t i = 0; i < monitor_target_count(services[s]); i++, k++) {
			struct monitor_target_info ti;
			char name[2 * METRICS_LABEL_MAX + 1], comp[2 * METRICS_LABEL_MAX + 1];

			o->svc[k] = s;
			o->idx[k] = i;
			monitor_target_info(services[s], i, &ti);
			metrics_escape_label(name, sizeof(name), ti.target->name);
			metrics_escape_label(comp, sizeof(comp), ti.target->component ? ti.target->component : "");
			snprintf(o->labels[k], sizeof(o->labels[k]), "%starget=\"%s\",component=\"%s\",role=\"%s\"",
				 o->service_label[s], name, comp, target_role_name(ti.target->role));
		}
	}
	return 0;
}

int metrics_render_services(const struct monitor *const *services, size_t n_services, char **out, size_t *len)
{
	struct out o = {0};
	int rc = 0;

	*out = NULL;
	*len = 0;
	if (out_init(&o, services, n_services) != 0) {
		out_free(&o);
		return -ENOMEM;
	}
	o.f = open_memstream(out, len);
	if (!o.f) {
		out_free(&o);
		return -ENOMEM;
	}
	probe_families(&o);
	counter_families(&o);
	state_families(&o);
	family(&o, "isitdown_build_info", "gauge", "The version of isitdown that serves these metrics");
	fputs("isitdown_build_info{", o.f);
	label(o.f, "version", ISITDOWN_VERSION);
	fputs("} 1\n", o.f);
	if (ferror(o.f))
		rc = -ENOMEM;
	if (fclose(o.f) != 0)
		rc = -ENOMEM;
	out_free(&o);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc;
}

int metrics_render(const struct monitor *m, char **out, size_t *len)
{
	return metrics_render_services(&m, 1, out, len);
}
