/* net.c: libcurl multi-socket on libuv.
 *
 * A struct net owns the CURLM, the list of transfers under way (a struct
 * transfer each, freed when the transfer ends, is cancelled or the net is
 * freed), one non-repeating uv_timer_t for curl's timeout and one struct
 * sock_ctx (an embedded uv_poll_t) per socket curl asks us to watch. A context is created in on_curl_socket, closed on CURL_POLL_REMOVE and
 * freed only in its close callback. Finished transfers are read after every
 * curl_multi_socket_action (timer path included) and handed to their owners. */
#include "net.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One transfer under way, from net_add until its callback, net_cancel or
 * net_free; also in the easy's CURLOPT_PRIVATE. */
struct transfer {
	CURL *easy;
	net_done_fn done;
	void *data;
	struct transfer *prev, *next;
};

struct net {
	uv_loop_t *loop;
	CURLM *multi;
	struct transfer *transfers; /* under way, doubly linked */
	uv_timer_t timer;
	unsigned open_handles; /* timer + live sock contexts; net is freed at zero */
	bool closing;
};

struct sock_ctx {
	uv_poll_t poll;
	curl_socket_t fd;
	struct net *net;
	int events; /* what curl last asked for, to re-arm after an error */
};

static void net_release(struct net *net)
{
	if (--net->open_handles == 0 && net->closing)
		free(net);
}

static void on_timer_closed(uv_handle_t *h)
{
	net_release(h->data);
}

static void on_sock_closed(uv_handle_t *h)
{
	struct sock_ctx *ctx = h->data;
	struct net *net = ctx->net;

	free(ctx);
	net_release(net);
}

/* Takes the transfer's easy out of the multi and forgets the transfer: the
 * easy is its owner's again, with no callback to come. */
static void transfer_end(struct net *net, struct transfer *tr)
{
	if (tr->prev)
		tr->prev->next = tr->next;
	else
		net->transfers = tr->next;
	if (tr->next)
		tr->next->prev = tr->prev;
	curl_multi_remove_handle(net->multi, tr->easy);
	curl_easy_setopt(tr->easy, CURLOPT_PRIVATE, NULL);
	free(tr);
}

static void drain_finished(struct net *net)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(net->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *easy = msg->easy_handle;
		CURLcode result = msg->data.result;
		struct transfer *tr = NULL;

		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&tr);
		if (tr) {
			net_done_fn done = tr->done;
			void *data = tr->data;

			transfer_end(net, tr);
			done(easy, result, data);
		} else {
			curl_multi_remove_handle(net->multi, easy);
		}
	}
}

static void socket_action(struct net *net, curl_socket_t fd, int flags)
{
	int still_running = 0;

	curl_multi_socket_action(net->multi, fd, flags, &still_running);
	drain_finished(net);
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
	struct sock_ctx *ctx = handle->data;
	struct net *net = ctx->net;
	int flags = 0;

	if (status < 0) {
		/* libuv reports POLLERR (a reset, say) as an error with no events.
		 * A bare CURL_CSELECT_ERR makes curl give up with "select/poll
		 * returned error"; letting it read or write too surfaces the real
		 * cause ("Connection reset by peer"). */
		flags = CURL_CSELECT_ERR;
		events = ctx->events;
	}
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	socket_action(net, ctx->fd, flags);
	/* libuv stops a poll handle after an error; curl only reports changes of
	 * interest, so re-arm if it still owns the socket. */
	if (status < 0 && !uv_is_closing((uv_handle_t *)handle) && ctx->events)
		uv_poll_start(handle, ctx->events, on_poll);
}

static void on_timeout(uv_timer_t *timer)
{
	socket_action(timer->data, CURL_SOCKET_TIMEOUT, 0);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct net *net = userp;

	if (timeout_ms < 0)
		uv_timer_stop(&net->timer);
	else
		uv_timer_start(&net->timer, on_timeout, (uint64_t)timeout_ms, 0);
	return 0;
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct net *net = userp;
	struct sock_ctx *ctx = socketp;

	if (what == CURL_POLL_REMOVE) {
		if (ctx) {
			uv_poll_stop(&ctx->poll);
			ctx->events = 0;
			curl_multi_assign(net->multi, fd, NULL);
			uv_close((uv_handle_t *)&ctx->poll, on_sock_closed);
		}
		return 0;
	}
	if (!ctx) {
		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return -1;
		ctx->fd = fd;
		ctx->net = net;
		if (uv_poll_init_socket(net->loop, &ctx->poll, fd) != 0) {
			free(ctx);
			return -1;
		}
		ctx->poll.data = ctx;
		net->open_handles++;
		curl_multi_assign(net->multi, fd, ctx);
	}
	ctx->events = 0;
	if (what & CURL_POLL_IN)
		ctx->events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		ctx->events |= UV_WRITABLE;
	if (uv_poll_start(&ctx->poll, ctx->events, on_poll) != 0)
		return -1;
	return 0;
}

struct net *net_new(uv_loop_t *loop, char *err, size_t errlen)
{
	const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
	struct net *net;

	if (!(info->features & CURL_VERSION_ASYNCHDNS)) {
		snprintf(err, errlen, "libcurl %s has no asynchronous resolver: name lookups would block",
			 info->version);
		return NULL;
	}
	net = calloc(1, sizeof(*net));
	if (!net) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	net->loop = loop;
	net->multi = curl_multi_init();
	if (!net->multi) {
		snprintf(err, errlen, "curl_multi_init failed");
		free(net);
		return NULL;
	}
	uv_timer_init(loop, &net->timer);
	net->timer.data = net;
	net->open_handles = 1;
	curl_multi_setopt(net->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(net->multi, CURLMOPT_SOCKETDATA, net);
	curl_multi_setopt(net->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(net->multi, CURLMOPT_TIMERDATA, net);
	/* Probes measure fresh connections; a pool would only hold idle sockets. */
	curl_multi_setopt(net->multi, CURLMOPT_MAXCONNECTS, 16L);
	return net;
}

int net_add(struct net *net, CURL *easy, net_done_fn done, void *data)
{
	struct transfer *tr = calloc(1, sizeof(*tr));

	if (!tr)
		return -1;
	tr->easy = easy;
	tr->done = done;
	tr->data = data;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, tr);
	if (curl_multi_add_handle(net->multi, easy) != CURLM_OK) {
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		free(tr);
		return -1;
	}
	tr->next = net->transfers;
	if (net->transfers)
		net->transfers->prev = tr;
	net->transfers = tr;
	return 0;
}

void net_cancel(struct net *net, CURL *easy)
{
	struct transfer *tr = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&tr);
	if (tr)
		transfer_end(net, tr);
}

void net_free(struct net *net)
{
	if (!net)
		return;
	/* Transfers still under way end without their callbacks; their easy
	 * handles are their owners' again. */
	while (net->transfers)
		transfer_end(net, net->transfers);
	/* Socket callbacks still arrive during curl_multi_cleanup (cached
	 * connections closing), so the machinery stays until after it. */
	curl_multi_cleanup(net->multi);
	net->multi = NULL;
	net->closing = true;
	uv_timer_stop(&net->timer);
	uv_close((uv_handle_t *)&net->timer, on_timer_closed);
}
