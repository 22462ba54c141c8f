/* lines.c: line mode. Each event becomes one line, written as soon as it
 * happens, so `isitdown | tee`, journald and grep see it at once. */
#include "lines.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snapshot_json.h"

struct lines_sink {
	FILE *out;
	bool json;
	bool reader_gone;
};

static void format_when(const struct event *ev, char *buf, size_t len)
{
	time_t t = (time_t)ev->time;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static void on_event(struct eventlog *log, const struct event *ev, void *data)
{
	struct lines_sink *s = data;

	if (s->json) {
		/* No fixed buffer: an official update's body may be long. */
		cJSON *o = eventlog_event_json(ev);
		char *text = o ? cJSON_PrintUnformatted(o) : NULL;

		if (text)
			fprintf(s->out, "%s\n", text);
		cJSON_free(text);
		cJSON_Delete(o);
	} else {
		/* Line mode has no width, so no name or text is cut; events are
		 * sanitized without newlines, and the detail is left out of the
		 * one-line form on purpose. */
		char when[32];

		format_when(ev, when, sizeof(when));
		if (ev->service)
			fprintf(s->out, "%s %-8s %-10s %s: %s\n", when, eventlog_severity_name(ev->severity),
				ev->component[0] ? ev->component : "-", ev->service, ev->text);
		else
			fprintf(s->out, "%s %-8s %-10s %s\n", when, eventlog_severity_name(ev->severity),
				ev->component[0] ? ev->component : "-", ev->text);
	}
	/* `isitdown --lines | head -1`: once the reader has gone, the pipeline
	 * waits for us, so stop the way SIGTERM does (main handles it: the log is
	 * flushed, exit status 0). SIGPIPE is ignored, so this is how we learn. */
	if (fflush(s->out) != 0 && errno == EPIPE && !s->reader_gone) {
		s->reader_gone = true;
		raise(SIGTERM);
	}
}

struct lines_sink *lines_attach(struct eventlog *log, FILE *out, bool json)
{
	struct lines_sink *sink = calloc(1, sizeof(*sink));

	if (!sink)
		return NULL;
	sink->out = out;
	sink->json = json;
	if (eventlog_on_event(log, on_event, sink) != 0) {
		free(sink);
		return NULL;
	}
	return sink;
}

void lines_detach(struct eventlog *log, struct lines_sink *sink)
{
	if (!sink)
		return;
	eventlog_off_event(log, on_event, sink);
	free(sink);
}
