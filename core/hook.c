/* hook.c: the user's on_change command, spawned without blocking the loop.
 *
 * A struct hook owns one run at a time: the uv_process_t, a pipe for its stdout
 * and one for its stderr, and a timer for the time limit, all embedded in a
 * struct hook_run that is freed when the last of its four handles is closed.
 * The run is over when the process has exited and both pipes have reached
 * their end (a command that left a child holding the pipes open is killed at
 * the time limit like a slow one). The hook itself is freed when no run is
 * left and hook_free has been called. Everything happens on the loop's thread. */
#include "hook.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "timefmt.h"

extern char **environ;

#define LINE_MAX_BYTES 400

struct pipe_reader {
	uv_pipe_t pipe;
	struct hook_run *run;
	char line[LINE_MAX_BYTES + 1];
	size_t len;
	int open; /* reading: the handle is not closed yet */
};

struct hook_run {
	struct hook *hook;
	uv_process_t process;
	struct pipe_reader out, err;
	uv_timer_t timer;
	int open_handles;
	int exited;       /* the exit callback ran */
	int64_t exit_status;
	int term_signal;
	int killed;       /* the time limit was reached */
	unsigned lines;   /* output lines logged */
	unsigned dropped; /* output lines past HOOK_MAX_LINES */
	uint64_t started_ms;
};

struct pending {
	int set;
	char *service, *state, *previous_state, *cause, *summary;
	double since;
};

#define HOOK_SERVICES_MAX 64

struct hook {
	uv_loop_t *loop;
	char *command;
	char **withheld;
	struct eventlog *log;
	double timeout_s;
	struct hook_run *run; /* the running command, NULL when none */
	struct pending pending;
	char *service;         /* set by hook_watch */
	char last_state[32];   /* the last verdict state seen, "" before any */
	/* the same for each service when several are watched (events that
	 * name their service); past HOOK_SERVICES_MAX, they share the last */
	struct {
		char service[64];
		char state[32];
	} seen[HOOK_SERVICES_MAX];
	size_t n_seen;
	int watching;
	unsigned long runs;
	unsigned live_runs;   /* runs not freed yet (running or closing) */
	int freed;
};

static void pending_clear(struct pending *p)
{
	free(p->service);
	free(p->state);
	free(p->previous_state);
	free(p->cause);
	free(p->summary);
	memset(p, 0, sizeof(*p));
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int pending_set(struct pending *p, const struct hook_change *c)
{
	struct pending n = {.set = 1, .since = c->since};

	n.service = dup_or_empty(c->service);
	n.state = dup_or_empty(c->state);
	n.previous_state = dup_or_empty(c->previous_state);
	n.cause = dup_or_empty(c->cause);
	n.summary = dup_or_empty(c->summary);
	if (!n.service || !n.state || !n.previous_state || !n.cause || !n.summary) {
		pending_clear(&n);
		return UV_ENOMEM;
	}
	pending_clear(p);
	*p = n;
	return 0;
}

static void say(struct hook *h, enum event_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct hook *h, enum event_severity sev, const char *fmt, ...)
{
	char raw[LINE_MAX_BYTES + 64], clean[LINE_MAX_BYTES + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* the command's output is as untrusted as anything from the network */
	sanitize_into(clean, sizeof(clean), raw, SANITIZE_NUL_TERMINATED, 0);
	eventlog_addf(h->log, sev, EVENT_SRC_MONITOR, "", "", "%s", clean);
}

/* ------------------------------------------------------------ environment */

static int name_is(const char *entry, const char *name)
{
	size_t n = strlen(name);

	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static int withheld_entry(const char *entry, const char *const *withheld)
{
	if (strncmp(entry, "ISITDOWN_", 9) == 0)
		return 1;
	for (size_t i = 0; withheld && withheld[i]; i++)
		if (name_is(entry, withheld[i]))
			return 1;
	return 0;
}

static char *env_entry(const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 2;
	char *e = malloc(len);

	if (e)
		snprintf(e, len, "%s=%s", name, value);
	return e;
}

void hook_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

char **hook_env_build(char *const *base, const char *const *withheld, const struct hook_change *c)
{
	char since[TIMEFMT_ISO_LEN];
	size_t n = 0, k = 0;
	char **env;

	while (base && base[n])
		n++;
	env = calloc(n + 7, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (withheld_entry(base[i], withheld))
			continue;
		if (!(env[k++] = strdup(base[i])))
			goto oom;
	}
	if (!timefmt_iso_utc((time_t)c->since, since, sizeof(since)))
		since[0] = '\0';
	const char *vars[6][2] = {
		{"ISITDOWN_SERVICE", c->service ? c->service : ""},
		{"ISITDOWN_STATE", c->state ? c->state : ""},
		{"ISITDOWN_PREVIOUS_STATE", c->previous_state ? c->previous_state : ""},
		{"ISITDOWN_CAUSE", c->cause ? c->cause : ""},
		{"ISITDOWN_SUMMARY", c->summary ? c->summary : ""},
		{"ISITDOWN_SINCE", since},
	};
	for (size_t i = 0; i < 6; i++)
		if (!(env[k++] = env_entry(vars[i][0], vars[i][1])))
			goto oom;
	return env;
oom:
	hook_env_free(env);
	return NULL;
}

/* ------------------------------------------------------------ one run */

static void start_pending(struct hook *h);
static void maybe_free_hook(struct hook *h);

static void on_run_closed(uv_handle_t *handle)
{
	struct hook_run *run = handle->data;
	struct hook *h = run->hook;

	if (--run->open_handles > 0)
		return;
	free(run);
	h->live_runs--;
	if (h->freed)
		maybe_free_hook(h);
	else
		start_pending(h);
}

static void run_finish_if_done(struct hook_run *run)
{
	struct hook *h = run->hook;
	double took;

	if (!run->exited || run->out.open || run->err.open || h->run != run)
		return;
	h->run = NULL;
	took = (double)(uv_now(h->loop) - run->started_ms) / 1000.0;
	if (run->dropped)
		say(h, EVENT_INFO, "on_change hook: %u more lines of output not shown", run->dropped);
	if (run->killed)
		say(h, EVENT_WARNING, "on_change hook killed: still running after %.0f s", h->timeout_s);
	else if (run->term_signal)
		say(h, EVENT_WARNING, "on_change hook failed: killed by signal %d after %.1f s",
		    run->term_signal, took);
	else if (run->exit_status != 0)
		say(h, EVENT_WARNING, "on_change hook failed: exit status %lld after %.1f s",
		    (long long)run->exit_status, took);
	else
		say(h, EVENT_INFO, "on_change hook done in %.1f s", took);
	uv_timer_stop(&run->timer);
	uv_close((uv_handle_t *)&run->timer, on_run_closed);
	uv_close((uv_handle_t *)&run->process, on_run_closed);
}

static void emit_line(struct pipe_reader *r)
{
	struct hook_run *run = r->run;

	r->line[r->len] = '\0';
	if (r->len > 0) {
		if (run->lines < HOOK_MAX_LINES) {
			run->lines++;
			say(run->hook, EVENT_INFO, "on_change hook: %s", r->line);
		} else {
			run->dropped++;
		}
	}
	r->len = 0;
}

static void pipe_end(struct pipe_reader *r)
{
	if (!r->open)
		return;
	if (r->len)
		emit_line(r);
	r->open = 0;
	uv_close((uv_handle_t *)&r->pipe, on_run_closed);
	run_finish_if_done(r->run);
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	static char chunk[4096]; /* one thread, and on_read consumes it at once */

	(void)handle;
	(void)suggested;
	*buf = uv_buf_init(chunk, sizeof(chunk));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	/* the pipe is the reader's first member */
	struct pipe_reader *r = (struct pipe_reader *)stream;

	if (nread < 0) {
		pipe_end(r);
		return;
	}
	for (ssize_t i = 0; i < nread; i++) {
		char c = buf->base[i];

		if (c == '\n') {
			emit_line(r);
			continue;
		}
		if (r->len == LINE_MAX_BYTES)
			emit_line(r);
		r->line[r->len++] = c;
	}
}

static void on_exit_cb(uv_process_t *process, int64_t exit_status, int term_signal)
{
	struct hook_run *run = process->data;

	run->exited = 1;
	run->exit_status = exit_status;
	run->term_signal = term_signal;
	run_finish_if_done(run);
}

static void kill_group(struct hook_run *run)
{
	/* the command is its own process group's leader (UV_PROCESS_DETACHED):
	 * what it started goes with it */
	if (run->process.pid > 0)
		kill(-run->process.pid, SIGKILL);
}

static void on_timeout(uv_timer_t *timer)
{
	struct hook_run *run = timer->data;

	run->killed = 1;
	kill_group(run);
	/* a grandchild that escaped the group may still hold the pipes */
	pipe_end(&run->out);
	pipe_end(&run->err);
}

static int run_start(struct hook *h, const struct pending *p)
{
	struct hook_change c = {p->service, p->state, p->previous_state, p->cause, p->summary, p->since};
	struct hook_run *run = calloc(1, sizeof(*run));
	char *args[] = {"sh", "-c", h->command, NULL};
	uv_process_options_t opt = {0};
	uv_stdio_container_t stdio[3];
	char **env;
	int rc;

	if (!run)
		return UV_ENOMEM;
	env = hook_env_build(environ, (const char *const *)h->withheld, &c);
	if (!env) {
		free(run);
		return UV_ENOMEM;
	}
	run->hook = h;
	h->live_runs++;
	run->started_ms = uv_now(h->loop);
	uv_pipe_init(h->loop, &run->out.pipe, 0);
	uv_pipe_init(h->loop, &run->err.pipe, 0);
	uv_timer_init(h->loop, &run->timer);
	run->out.pipe.data = run->err.pipe.data = run->timer.data = run->process.data = run;
	run->out.run = run->err.run = run;
	run->open_handles = 4;

	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[1].data.stream = (uv_stream_t *)&run->out.pipe;
	stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[2].data.stream = (uv_stream_t *)&run->err.pipe;
	opt.file = "/bin/sh";
	opt.args = args;
	opt.env = env;
	opt.flags = UV_PROCESS_DETACHED;
	opt.stdio_count = 3;
	opt.stdio = stdio;
	opt.exit_cb = on_exit_cb;

	rc = uv_spawn(h->loop, &run->process, &opt);
	hook_env_free(env);
	if (rc < 0) {
		say(h, EVENT_WARNING, "on_change hook could not start: %s", uv_strerror(rc));
		/* uv_spawn leaves the process handle to be closed like the others */
		uv_close((uv_handle_t *)&run->process, on_run_closed);
		uv_close((uv_handle_t *)&run->out.pipe, on_run_closed);
		uv_close((uv_handle_t *)&run->err.pipe, on_run_closed);
		uv_close((uv_handle_t *)&run->timer, on_run_closed);
		return rc;
	}
	h->run = run;
	h->runs++;
	run->out.open = run->err.open = 1;
	uv_read_start((uv_stream_t *)&run->out.pipe, on_alloc, on_read);
	uv_read_start((uv_stream_t *)&run->err.pipe, on_alloc, on_read);
	uv_timer_start(&run->timer, on_timeout, (uint64_t)(h->timeout_s * 1000.0), 0);
	return 0;
}

static void start_pending(struct hook *h)
{
	struct pending p;

	if (h->run || !h->pending.set || h->freed)
		return;
	p = h->pending;
	memset(&h->pending, 0, sizeof(h->pending));
	run_start(h, &p);
	pending_clear(&p);
}

/* ------------------------------------------------------------ the hook */

struct hook *hook_new(uv_loop_t *loop, const char *command, struct eventlog *log,
		      const char *const *withheld, double timeout_s)
{
	struct hook *h = calloc(1, sizeof(*h));
	size_t n = 0;

	if (!h)
		return NULL;
	h->loop = loop;
	h->log = log;
	h->timeout_s = timeout_s > 0 ? timeout_s : HOOK_TIMEOUT_S;
	h->command = strdup(command);
	while (withheld && withheld[n])
		n++;
	h->withheld = calloc(n + 1, sizeof(*h->withheld));
	if (!h->command || !h->withheld)
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (!(h->withheld[i] = strdup(withheld[i])))
			goto oom;
	return h;
oom:
	h->freed = 1;
	maybe_free_hook(h);
	return NULL;
}

/* Where the last state of the event's service is kept. */
static char *last_state_of(struct hook *h, const char *service, size_t *len)
{
	size_t i;

	*len = sizeof(h->last_state);
	if (!service)
		return h->last_state;
	*len = sizeof(h->seen[0].state);
	for (i = 0; i < h->n_seen; i++)
		if (strncmp(h->seen[i].service, service, sizeof(h->seen[i].service) - 1) == 0)
			return h->seen[i].state;
	if (h->n_seen == HOOK_SERVICES_MAX)
		return h->seen[HOOK_SERVICES_MAX - 1].state;
	i = h->n_seen++;
	snprintf(h->seen[i].service, sizeof(h->seen[i].service), "%s", service);
	h->seen[i].state[0] = '\0';
	return h->seen[i].state;
}

static void on_event(struct eventlog *log, const struct event *ev, void *data)
{
	struct hook *h = data;
	struct hook_change c = {0};
	const char *summary;
	size_t n, last_len;
	char *last;

	(void)log;
	if (ev->source != EVENT_SRC_VERDICT || !ev->state)
		return;
	last = last_state_of(h, ev->service, &last_len);
	if (strcmp(ev->state, last) == 0)
		return;
	c.previous_state = last;
	c.state = ev->state;
	c.cause = ev->cause;
	c.service = ev->service ? ev->service : h->service;
	c.since = ev->time;
	/* a verdict event's text is "state: summary" */
	n = strlen(ev->state);
	summary = ev->text;
	if (strncmp(summary, ev->state, n) == 0 && strncmp(summary + n, ": ", 2) == 0)
		summary += n + 2;
	c.summary = summary;
	if ((last[0] == '\0' || strcmp(last, "unknown") == 0) &&
	    (strcmp(ev->state, "unknown") == 0 || strcmp(ev->state, "operational") == 0)) {
		snprintf(last, last_len, "%s", ev->state);
		return;
	}
	hook_fire(h, &c);
	snprintf(last, last_len, "%s", ev->state);
}

int hook_watch(struct hook *h, const char *service)
{
	free(h->service);
	h->service = strdup(service ? service : "");
	if (!h->service)
		return UV_ENOMEM;
	if (!h->watching && eventlog_on_event(h->log, on_event, h) != 0)
		return UV_ENOMEM;
	h->watching = 1;
	return 0;
}

int hook_fire(struct hook *h, const struct hook_change *change)
{
	int rc = pending_set(&h->pending, change);

	if (rc < 0)
		return rc;
	if (h->run)
		return 0;
	{
		struct pending p = h->pending;

		memset(&h->pending, 0, sizeof(h->pending));
		rc = run_start(h, &p);
		pending_clear(&p);
	}
	return rc;
}

unsigned long hook_runs(const struct hook *h)
{
	return h->runs;
}

int hook_running(const struct hook *h)
{
	return h->run != NULL || h->pending.set;
}

static void maybe_free_hook(struct hook *h)
{
	if (h->live_runs > 0)
		return;
	pending_clear(&h->pending);
	for (size_t i = 0; h->withheld && h->withheld[i]; i++)
		free(h->withheld[i]);
	free(h->withheld);
	free(h->command);
	free(h->service);
	free(h);
}

void hook_free(struct hook *h)
{
	struct hook_run *run;

	if (!h)
		return;
	h->freed = 1;
	if (h->watching)
		eventlog_off_event(h->log, on_event, h);
	h->watching = 0;
	pending_clear(&h->pending);
	run = h->run;
	if (!run) {
		maybe_free_hook(h);
		return;
	}
	/* the process handle closes at once: its exit is no longer waited for */
	kill_group(run);
	h->run = NULL;
	uv_timer_stop(&run->timer);
	if (run->out.open) {
		run->out.open = 0;
		uv_close((uv_handle_t *)&run->out.pipe, on_run_closed);
	}
	if (run->err.open) {
		run->err.open = 0;
		uv_close((uv_handle_t *)&run->err.pipe, on_run_closed);
	}
	uv_close((uv_handle_t *)&run->timer, on_run_closed);
	uv_close((uv_handle_t *)&run->process, on_run_closed);
}
