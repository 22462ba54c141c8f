/* assess.c: the per-target state machine and the component combination.
 *
 * A struct assess is embedded in the monitor's per-target record, which owns
 * it; the monitor calls assess_update once per finished probe of that target.
 * One failed probe is not an outage: a first failure shows as confirming and
 * asks for a quick re-probe, fail_threshold failures in a row make the target
 * down, and ok_threshold passes in a row bring it back. The flap detector
 * counts changes between three levels (up, slow, failing) since the target
 * last held a level for the confirming count; flap_changes of them (within
 * flap_window_s) show as flapping, and holding a level ends it at once. The
 * rules are written down in assess.h and README.md. */
#include "assess.h"

#include <string.h>
#include <strings.h>

void assess_params_default(struct assess_params *p)
{
	p->fail_threshold = ASSESS_FAIL_THRESHOLD;
	p->ok_threshold = ASSESS_OK_THRESHOLD;
	p->slow_factor = ASSESS_SLOW_FACTOR;
	p->slow_floor_ms = ASSESS_SLOW_FLOOR_MS;
	p->flap_changes = ASSESS_FLAP_CHANGES;
	p->flap_window_s = ASSESS_FLAP_WINDOW_S;
	p->reprobe_s = ASSESS_REPROBE_S;
}

static void params_fill(struct assess_params *p, const struct assess_params *given)
{
	assess_params_default(p);
	if (!given)
		return;
	if (given->fail_threshold > 0)
		p->fail_threshold = given->fail_threshold;
	if (given->ok_threshold > 0)
		p->ok_threshold = given->ok_threshold;
	if (given->slow_factor > 0)
		p->slow_factor = given->slow_factor;
	if (given->slow_floor_ms > 0)
		p->slow_floor_ms = given->slow_floor_ms;
	if (given->flap_changes > 0)
		p->flap_changes = given->flap_changes;
	if (p->flap_changes > ASSESS_FLAP_SLOTS)
		p->flap_changes = ASSESS_FLAP_SLOTS;
	if (given->flap_window_s > 0)
		p->flap_window_s = given->flap_window_s;
	if (given->reprobe_s > 0)
		p->reprobe_s = given->reprobe_s;
}

void assess_init(struct assess *a, const struct assess_params *params)
{
	memset(a, 0, sizeof(*a));
	params_fill(&a->p, params);
	a->state = ASSESS_UNKNOWN;
	a->raw = ASSESS_UNKNOWN;
	a->settled = ASSESS_UNKNOWN;
	a->last_outcome = OUTCOME_OK;
}

double assess_slow_limit(const struct assess_params *p, double slow_ms, double baseline_ms)
{
	struct assess_params def;
	double limit = 0;

	if (!p) {
		assess_params_default(&def);
		p = &def;
	}
	if (baseline_ms > 0) {
		limit = p->slow_factor * baseline_ms;
		if (limit < p->slow_floor_ms)
			limit = p->slow_floor_ms;
	}
	if (slow_ms > 0 && (limit <= 0 || slow_ms < limit))
		limit = slow_ms;
	return limit;
}

bool assess_first_token_slow(const struct assess_params *p, double first_token_ms, double baseline_ms)
{
	double limit = baseline_ms > 0 ? assess_slow_limit(p, 0, baseline_ms) : 0;

	return limit > 0 && first_token_ms > limit;
}

bool assess_outcome_reachable(enum outcome o)
{
	switch (o) {
	case OUTCOME_OK:
	case OUTCOME_CHALLENGED:
	case OUTCOME_AUTH_REJECTED:
	case OUTCOME_RATE_LIMITED:
	case OUTCOME_MODEL_NOT_FOUND: /* the API answered: the name is the user's to fix */
	case OUTCOME_SLOW:
		return true;
	default:
		return false;
	}
}

static const char *server_error_text(long status)
{
	switch (status) {
	case 500: return "internal server error";
	case 502: return "bad gateway";
	case 503: return "service unavailable";
	case 504: return "gateway timeout";
	case 520: case 521: case 522: case 523: case 524:
		return "the CDN cannot reach the service";
	default: return "server error";
	}
}

const char *assess_outcome_text(enum outcome o, long http_status)
{
	switch (o) {
	case OUTCOME_OK: return "ok";
	case OUTCOME_DNS_FAIL: return "name does not resolve";
	case OUTCOME_CONNECT_FAIL: return "connection refused or unreachable";
	case OUTCOME_TLS_FAIL: return "TLS handshake or certificate failed";
	case OUTCOME_TIMEOUT: return "no answer in time";
	case OUTCOME_RECV_FAIL: return "connection dropped or answer malformed";
	case OUTCOME_HTTP_5XX: return server_error_text(http_status);
	case OUTCOME_RATE_LIMITED: return "rate limited";
	case OUTCOME_AUTH_REJECTED:
		return http_status == 403 ? "your key is not allowed" : "your key was rejected";
	case OUTCOME_CHALLENGED: return "reachable, challenged";
	case OUTCOME_HTTP_UNEXPECTED:
		if (http_status == 404)
			return "not found";
		if (http_status >= 300 && http_status < 400)
			return "unexpected redirect";
		return "unexpected answer";
	case OUTCOME_BODY_MISMATCH: return "answer not as expected";
	case OUTCOME_PROXY_FAIL: return "proxy failed";
	case OUTCOME_ERROR: return "probe failed";
	case OUTCOME_MODEL_ERROR: return "the model answered with an error";
	case OUTCOME_STREAM_STALLED: return "the answer stalled";
	case OUTCOME_MODEL_NOT_FOUND: return "no such model";
	case OUTCOME_SLOW: return "slow first token";
	case OUTCOME_COUNT: break;
	}
	return "probe failed";
}

/* The flap detector's levels: 0 nothing known, 1 up, 2 slow, 3 failing. */
static int level(enum assess_state s)
{
	switch (s) {
	case ASSESS_UP: return 1;
	case ASSESS_DEGRADED: return 2;
	case ASSESS_CONFIRMING:
	case ASSESS_DOWN: return 3;
	default: return 0;
	}
}

static void flip_record(struct assess *a, double now)
{
	a->flips[a->flip_next] = now;
	a->flip_next = (a->flip_next + 1) % ASSESS_FLAP_SLOTS;
	if (a->n_flips < ASSESS_FLAP_SLOTS)
		a->n_flips++;
	a->last_flip = now;
}

static void flips_clear(struct assess *a)
{
	a->n_flips = 0;
	a->flip_next = 0;
}

static int flips_within(const struct assess *a, double now)
{
	int n = 0;

	for (size_t i = 0; i < a->n_flips; i++) {
		if (now - a->flips[i] <= a->p.flap_window_s)
			n++;
	}
	return n;
}

static enum assess_state next_raw(const struct assess *a, bool reached, bool slow)
{
	enum assess_state good = slow ? ASSESS_DEGRADED : ASSESS_UP;

	switch (a->raw) {
	case ASSESS_DOWN:
		if (reached)
			return a->oks >= a->p.ok_threshold ? good : ASSESS_DOWN;
		return ASSESS_DOWN;
	default:
		if (reached)
			return good;
		return a->fails >= a->p.fail_threshold ? ASSESS_DOWN : ASSESS_CONFIRMING;
	}
}

/* The target has stayed at its level for the confirming count: down after
 * fail_threshold failures, up or slow after ok_threshold passes. */
static bool held(const struct assess *a)
{
	if (a->raw == ASSESS_DOWN)
		return a->fails >= a->p.fail_threshold;
	if (a->raw == ASSESS_CONFIRMING || a->raw == ASSESS_UNKNOWN)
		return false;
	return a->run >= a->p.ok_threshold;
}

/* Flap control: decides the shown state from the raw one. Holding a level
 * ends flapping and forgets the changes that led to it. */
static enum assess_state shown_state(struct assess *a, double now)
{
	if (held(a)) {
		flips_clear(a);
		return a->raw;
	}
	if (a->state == ASSESS_FLAPPING || flips_within(a, now) >= a->p.flap_changes)
		return ASSESS_FLAPPING;
	return a->raw;
}

static void count_result(struct assess *a, bool reached, double now)
{
	if (reached) {
		if (a->oks == 0)
			a->pass_start = now;
		a->oks++;
		a->fails = 0;
		a->fail_start = 0;
	} else {
		if (a->fails == 0)
			a->fail_start = now;
		a->fails++;
		a->oks = 0;
		a->pass_start = 0;
	}
}

struct assess_change assess_update(struct assess *a, const struct sample *s,
				   const struct assess_input *in)
{
	struct assess_change ch = { false, a->state, a->state, 0, 0 };
	double now;

	if (!s && !in)
		return ch;
	now = in ? in->now : s->t;

	if (s) {
		bool reached = s->ok || assess_outcome_reachable(s->outcome);
		bool slow = false;
		enum assess_state old_raw = a->raw;

		if (reached && in && in->median_ms > 0) {
			double limit = assess_slow_limit(&a->p, in->slow_ms, in->baseline_ms);

			slow = limit > 0 && in->median_ms > limit;
		}
		count_result(a, reached, now);
		a->raw = next_raw(a, reached, slow);
		if (a->raw != ASSESS_CONFIRMING)
			a->settled = a->raw;
		if (a->raw == ASSESS_DOWN && old_raw != ASSESS_DOWN)
			a->down_start = a->fail_start;
		if (level(old_raw) == level(a->raw)) {
			a->run++;
		} else {
			/* back from down: the passes that confirmed it are its run */
			a->run = old_raw == ASSESS_DOWN ? a->oks : 1;
			if (level(old_raw) != 0)
				flip_record(a, now);
		}
		a->last_outcome = s->outcome;
		a->last_http_status = s->http_status;
		a->n_samples++;
		/* confirm a failure, and a recovery, without waiting a whole interval */
		if (a->raw == ASSESS_CONFIRMING || (a->raw == ASSESS_DOWN && a->oks > 0))
			ch.reprobe_in_s = a->p.reprobe_s;
	}

	if (a->raw == ASSESS_UNKNOWN)
		return ch;
	ch.to = shown_state(a, now);
	if (ch.to != a->state) {
		ch.changed = true;
		if (a->state == ASSESS_DOWN && (ch.to == ASSESS_UP || ch.to == ASSESS_DEGRADED) &&
		    a->down_start > 0 && a->pass_start >= a->down_start)
			ch.outage_s = a->pass_start - a->down_start;
		if (ch.to != ASSESS_DOWN)
			a->down_start = 0;
		a->state = ch.to;
		a->since = now;
	}
	return ch;
}

static int official_rank(enum assess_component c)
{
	switch (c) {
	case ASSESS_COMPONENT_OPERATIONAL: return 1;
	case ASSESS_COMPONENT_DEGRADED: return 2;
	case ASSESS_COMPONENT_PARTIAL_OUTAGE: return 3;
	case ASSESS_COMPONENT_MAJOR_OUTAGE: return 4;
	default: return 0;
	}
}

static enum assess_component from_official(enum assess_official o)
{
	switch (o) {
	case ASSESS_OFFICIAL_OPERATIONAL: return ASSESS_COMPONENT_OPERATIONAL;
	case ASSESS_OFFICIAL_DEGRADED: return ASSESS_COMPONENT_DEGRADED;
	case ASSESS_OFFICIAL_PARTIAL: return ASSESS_COMPONENT_PARTIAL_OUTAGE;
	case ASSESS_OFFICIAL_MAJOR: return ASSESS_COMPONENT_MAJOR_OUTAGE;
	case ASSESS_OFFICIAL_MAINTENANCE: return ASSESS_COMPONENT_MAINTENANCE;
	default: return ASSESS_COMPONENT_UNKNOWN;
	}
}

enum assess_component assess_component_combine(const enum assess_state *states, size_t n,
					       enum assess_official official)
{
	size_t known = 0, down = 0, slow = 0;
	enum assess_component ours, theirs;

	for (size_t i = 0; states && i < n; i++) {
		switch (states[i]) {
		case ASSESS_UNKNOWN:
			break;
		case ASSESS_DOWN:
			known++;
			down++;
			break;
		case ASSESS_DEGRADED:
		case ASSESS_FLAPPING:
			known++;
			slow++;
			break;
		default:
			known++;
			break;
		}
	}
	if (known == 0)
		ours = ASSESS_COMPONENT_UNKNOWN;
	else if (down == known)
		ours = ASSESS_COMPONENT_MAJOR_OUTAGE;
	else if (down > 0)
		ours = ASSESS_COMPONENT_PARTIAL_OUTAGE;
	else if (slow > 0)
		ours = ASSESS_COMPONENT_DEGRADED;
	else
		ours = ASSESS_COMPONENT_OPERATIONAL;

	theirs = from_official(official);
	/* planned work explains whatever we see during it */
	if (theirs == ASSESS_COMPONENT_MAINTENANCE)
		return theirs;
	return official_rank(theirs) > official_rank(ours) ? theirs : ours;
}

const char *assess_state_name(enum assess_state s)
{
	switch (s) {
	case ASSESS_UNKNOWN: return "unknown";
	case ASSESS_UP: return "up";
	case ASSESS_CONFIRMING: return "confirming";
	case ASSESS_DEGRADED: return "degraded";
	case ASSESS_DOWN: return "down";
	case ASSESS_FLAPPING: return "flapping";
	}
	return "unknown";
}

const char *assess_official_name(enum assess_official o)
{
	switch (o) {
	case ASSESS_OFFICIAL_UNKNOWN: return "unknown";
	case ASSESS_OFFICIAL_OPERATIONAL: return "operational";
	case ASSESS_OFFICIAL_DEGRADED: return "degraded_performance";
	case ASSESS_OFFICIAL_PARTIAL: return "partial_outage";
	case ASSESS_OFFICIAL_MAJOR: return "major_outage";
	case ASSESS_OFFICIAL_MAINTENANCE: return "under_maintenance";
	}
	return "unknown";
}

const char *assess_component_name(enum assess_component c)
{
	switch (c) {
	case ASSESS_COMPONENT_OPERATIONAL: return "operational";
	case ASSESS_COMPONENT_DEGRADED: return "degraded";
	case ASSESS_COMPONENT_PARTIAL_OUTAGE: return "partial_outage";
	case ASSESS_COMPONENT_MAJOR_OUTAGE: return "major_outage";
	case ASSESS_COMPONENT_MAINTENANCE: return "maintenance";
	case ASSESS_COMPONENT_UNKNOWN: return "unknown";
	}
	return "unknown";
}

enum assess_official assess_official_from_string(const char *s)
{
	static const struct {
		const char *word;
		enum assess_official o;
	} words[] = {
		{ "operational", ASSESS_OFFICIAL_OPERATIONAL },
		{ "degraded_performance", ASSESS_OFFICIAL_DEGRADED },
		{ "partial_outage", ASSESS_OFFICIAL_PARTIAL },
		{ "major_outage", ASSESS_OFFICIAL_MAJOR },
		{ "under_maintenance", ASSESS_OFFICIAL_MAINTENANCE },
	};

	if (!s)
		return ASSESS_OFFICIAL_UNKNOWN;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(s, words[i].word) == 0)
			return words[i].o;
	}
	return ASSESS_OFFICIAL_UNKNOWN;
}
