/* xalloc.c: allocation that ends the process when memory runs out, after
 * the fatal hook; see xalloc.h for when to use it and the error rule. */
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void xalloc_on_fatal(void (*hook)(void))
{
	fatal_hook = hook;
}

void xalloc_fail(void)
{
	void (*hook)(void) = fatal_hook;

	fatal_hook = NULL;
	if (hook)
		hook();
	fputs("isitdown: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		xalloc_fail();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		xalloc_fail();
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		xalloc_fail();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		xalloc_fail();
	return d;
}
