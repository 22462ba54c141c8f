/* text.h: UTF-8 text measured in terminal columns, and text cut to a width
 * at a word boundary.
 *
 * No curses here, so that the rules can be unit-tested: the screen draws with
 * them (screen_put, screen_put_fit) and the panels only ask for a width.
 * `utf8` says whether the terminal's locale is UTF-8; without it a character
 * outside ASCII is drawn as its ASCII look-alike (text_ascii_for), whose
 * width is what counts. */
#ifndef ISITDOWN_TEXT_H
#define ISITDOWN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The next code point of *p, which is advanced; malformed bytes read as
 * U+FFFD. *p must be below end. */
uint32_t text_next_cp(const char **p, const char *end);
/* What a character looks like on a terminal that only shows ASCII. */
const char *text_ascii_for(uint32_t cp);
bool text_is_control(uint32_t cp);
/* Columns of one code point as drawn; 0 for a control character, which is
 * dropped. A character the locale does not know takes one column ('?'). */
int text_cp_width(uint32_t cp, bool utf8);
/* Columns of s as drawn (NULL: 0). */
int text_width(const char *s, bool utf8);
/* The ellipsis a cut ends with: "…", or "..." without UTF-8. */
const char *text_ellipsis(bool utf8);

/* How much of s to draw in w columns. When s fits, all of it (*cut false).
 * Otherwise the text up to the end of the last whole word that leaves room
 * for the ellipsis, without the spaces, the trailing punctuation (",;:(")
 * and a trailing run of punctuation-only words ("->", "-") before it; *cut
 * is then true and the caller draws text_ellipsis() after the bytes
 * returned. Only a first word wider than w itself is cut inside, at a
 * character boundary, since nothing else would fit, and so is a run without
 * spaces of 24 columns or more (a URL, an identifier) that the cut falls
 * in, rather than leave its room empty. A w too small for the
 * ellipsis gives what fits of the first characters, *cut false. Words are
 * separated by spaces. Returns a byte count of s. */
size_t text_fit(const char *s, int w, bool utf8, bool *cut);

#endif
