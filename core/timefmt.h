/* timefmt.h: reading and writing the time formats isitdown meets on the wire.
 *
 * Everything here is pure: no state, no allocation. Parsers accept text from the
 * network, so they check every character and report junk as an error instead of
 * guessing. All results are UTC seconds since the epoch (time_t). */
#ifndef ISITDOWN_TIMEFMT_H
#define ISITDOWN_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* Buffer sizes for the formatters, terminating NUL included. */
#define TIMEFMT_HMS_LEN 9        /* "HH:MM:SS" */
#define TIMEFMT_ISO_LEN 21       /* "YYYY-MM-DDTHH:MM:SSZ" */
#define TIMEFMT_HTTP_LEN 30      /* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* ISO 8601 / RFC 3339 as status pages write it: "YYYY-MM-DD", or
 * "YYYY-MM-DDTHH:MM:SS" with 0 to 9 fractional digits and a zone "Z" or
 * "+hh:mm" / "-hh:mm" (also "+hhmm"). A date alone means midnight UTC. The
 * fraction is dropped (truncated, not rounded). Returns 0 and sets *out, or -1. */
int timefmt_parse_iso8601(const char *s, time_t *out);

/* An RFC 7231 HTTP-date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the
 * obsolete RFC 850 form ("Sunday, 06-Nov-94 08:49:37 GMT", a two-digit year
 * read as the latest year not more than 50 years ahead) and asctime
 * ("Sun Nov  6 08:49:37 1994"). Returns 0 and sets *out, or -1. */
int timefmt_parse_http_date(const char *s, time_t *out);

/* A Retry-After header value, either delta-seconds or an HTTP-date, as the
 * number of seconds to wait from now (0 when the date has passed). Huge deltas
 * are capped at INT32_MAX seconds. Returns -1 for a value that is neither. */
long timefmt_retry_after(const char *value, time_t now);

/* Writers. Each writes into buf (at least the _LEN above) and returns buf; on a
 * too small buffer or a time that does not fit the format, buf gets "" (when
 * len > 0) and the function still returns buf, so it can sit in a printf. */
char *timefmt_local_hms(time_t t, char *buf, size_t len);
char *timefmt_iso_utc(time_t t, char *buf, size_t len);
char *timefmt_http_date(time_t t, char *buf, size_t len);
/* For sentences: "0.4 ms", "12 ms", "1.5 s" ("?" for a negative ms); and a
 * duration of either sign as "42 s", "7 min", "2 h 5 min", "3 d", rounded
 * to the nearest minute from a minute up (a Date header has whole seconds,
 * so two hours measure 7199.6 s). */
char *timefmt_ms(double ms, char *buf, size_t len);
/* The same milliseconds in the other places they are shown: the screen's
 * narrow columns ("0.84ms", "12.3ms", "245ms", "1.24s", "312s") and the
 * report's tables ("0.84 ms", "12.3 ms", "1.24 s"); "-" for a negative or
 * NaN value in both. TIMEFMT_MS_SENTENCE is timefmt_ms. */
enum timefmt_ms_style { TIMEFMT_MS_SENTENCE, TIMEFMT_MS_COMPACT, TIMEFMT_MS_TABLE };
char *timefmt_ms_as(double ms, enum timefmt_ms_style style, char *buf, size_t len);
char *timefmt_duration(double s, char *buf, size_t len);
/* A span for the screen, never negative: seconds up to two minutes, minutes
 * up to two hours, then "2 h 5 min" up to two days, then days: "90 s",
 * "12 min", "2 h 5 min", "3 d". */
char *timefmt_span(double s, char *buf, size_t len);
/* How long something lasted, to the second below an hour: "42 s",
 * "4 min 10 s", "2 h 5 min", "3 d 4 h" (truncated, never rounded up). */
char *timefmt_elapsed(double s, char *buf, size_t len);

#endif
