/* readfile.h: a small file a person wrote, read whole into memory.
 *
 * For the config and the theme files: one reader, so that both refuse the
 * same things (a directory, a file past their size cap) with the same words.
 * It blocks while it reads, so it is for start-up and for files the user
 * names, not for the loop. (The event log has a reader of its own.) */
#ifndef ISITDOWN_READFILE_H
#define ISITDOWN_READFILE_H

#include <stddef.h>

/* Only a regular file: a FIFO or a device is refused at once, without waiting
 * for a writer. Without it a pipe works too (--config <(...)). */
#define READFILE_REGULAR 0x1u

/* Reads the whole of path into a malloc'd, NUL-terminated buffer that the
 * caller frees (*len does not count the NUL). Returns 0, or a negative errno
 * with one line "PATH: why" in err: "cannot open: ...", "cannot read: ..."
 * (a directory is "cannot read: Is a directory"), "not a regular file",
 * "file is too large (more than 4 MiB)" past max bytes, "out of memory". */
int readfile(const char *path, size_t max, unsigned flags, char **text, size_t *len, char *err,
	     size_t errlen);

#endif
