/* xalloc.h: allocation that cannot fail, for the few places where running out
 * of memory leaves nothing sensible to do (parsing a status page of capped
 * size, wording its changes).
 *
 * The project's one rule on errors: core functions return 0 or a negative
 * errno (libuv's convention; UV_E* where libuv's codes are what is at hand),
 * constructors return NULL and say why in an err buffer, and out of memory is
 * an error like any other, returned, except through these functions, which
 * end the process. Before they do, the hook set with xalloc_on_fatal runs
 * (the full screen gives the terminal back there), then "isitdown: out of
 * memory" is written and the process aborts. */
#ifndef ISITDOWN_XALLOC_H
#define ISITDOWN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

/* Called once before the process ends for want of memory; NULL clears it. */
void xalloc_on_fatal(void (*hook)(void));

/* Ends the process for want of memory (the hook first). */
__attribute__((noreturn)) void xalloc_fail(void);

#endif
