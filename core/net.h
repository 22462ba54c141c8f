/* net.h: libcurl's multi-socket interface driven by a libuv loop.
 *
 * One struct net per program. Callers build a CURL easy handle, hand it to
 * net_add with a completion callback, and get it back, finished, in that
 * callback: the easy handle is theirs again (to read info from and clean up). */
#ifndef ISITDOWN_NET_H
#define ISITDOWN_NET_H

#include <curl/curl.h>
#include <uv.h>

struct net;

/* Called once per transfer when it ends, from the loop, never from inside a
 * libcurl callback; the handle is already out of the multi. */
typedef void (*net_done_fn)(CURL *easy, CURLcode result, void *data);

struct net *net_new(uv_loop_t *loop, char *err, size_t errlen);
/* Aborts transfers still running (their callbacks are not called), cleans up
 * the multi handle and closes every libuv handle; the memory goes when the
 * loop runs the close callbacks. */
void net_free(struct net *net);
int net_add(struct net *net, CURL *easy, net_done_fn done, void *data);
/* Aborts one transfer without calling its callback; the caller keeps the easy. */
void net_cancel(struct net *net, CURL *easy);

#endif
