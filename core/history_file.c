/* history_file.c: the history file (see history_file.h): loading it at start,
 * and a small writer driven by one uv_fs_t whose steps either append the
 * queued records or rewrite the whole file (open a temporary file, write,
 * close, rename over the file, reopen it for appending). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "config_secret.h"
#include "history_file.h"
#include "paths.h"
#include "readfile.h"

#define MAGIC "isitdownHIST"
#define MAGIC_LEN 12
#define VERSION 1u
#define HEADER_LEN 16
#define REC_H_LEN 16
#define REC_S_LEN 36
#define FLAG_OK 0x1u
#define FLAG_REUSED 0x2u
#define TIME_MIN 1000000000u /* 2001: an earlier record is not one of ours */
#define NO_ID 0xffu

enum step {
	STEP_IDLE,
	STEP_APPEND,      /* writing the queue */
	STEP_CLOSE_OLD,   /* closing the append descriptor before a rewrite */
	STEP_TMP_OPEN,
	STEP_TMP_WRITE,
	STEP_TMP_CLOSE,
	STEP_RENAME,
	STEP_REOPEN,
};

struct bytes {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

struct history_file {
	uv_loop_t *loop;
	char *path, *tmp_path;
	size_t n;
	char **keys;
	struct history *const *hists; /* borrowed until close */
	size_t max_bytes;
	bool writing, broken, closing;
	history_file_warn_fn warn;
	void *warn_data;
	int lock_fd, fd, tmp_fd;
	size_t size;          /* of the file, as far as we wrote it */
	size_t loaded;
	enum step step;
	uv_fs_t req;
	uv_buf_t buf;
	struct bytes queue;   /* records not yet handed to a write */
	struct bytes out;     /* the write in flight: appended records or the whole file */
	struct bytes final;   /* the whole file, to write at the end */
	size_t out_off;
};

static void warnf(struct history_file *hf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warnf(struct history_file *hf, const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;

	if (!hf->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hf->warn(hf->warn_data, msg);
}

/* --- bytes ------------------------------------------------------------- */

static unsigned char *bytes_room(struct bytes *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	b->len += n;
	return b->p + b->len - n;
}

static void bytes_free(struct bytes *b)
{
	free(b->p);
	*b = (struct bytes){0};
}

static void put_u16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_f32(unsigned char *p, float f)
{
	uint32_t v;

	memcpy(&v, &f, sizeof(v));
	put_u32(p, v);
}

static unsigned get_u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float get_f32(const unsigned char *p)
{
	uint32_t v = get_u32(p);
	float f;

	memcpy(&f, &v, sizeof(f));
	return f;
}

/* --- records ----------------------------------------------------------- */

static void encode_header(struct bytes *b)
{
	unsigned char *p = bytes_room(b, HEADER_LEN);

	if (!p)
		return;
	memcpy(p, MAGIC, MAGIC_LEN);
	put_u32(p + MAGIC_LEN, VERSION);
}

static void encode_target(struct bytes *b, size_t id, const char *key)
{
	size_t len = strlen(key);
	unsigned char *p;

	if (len > 255)
		len = 255;
	p = bytes_room(b, 3 + len);
	if (!p)
		return;
	p[0] = 'T';
	p[1] = (unsigned char)id;
	p[2] = (unsigned char)len;
	memcpy(p + 3, key, len);
}

static void encode_hour(struct bytes *b, size_t id, const struct history_hour *hr)
{
	unsigned char *p = bytes_room(b, REC_H_LEN);

	if (!p)
		return;
	memset(p, 0, REC_H_LEN);
	p[0] = 'H';
	p[1] = (unsigned char)id;
	put_u32(p + 4, hr->hour);
	put_u32(p + 8, hr->count);
	put_u32(p + 12, hr->failures);
}

static void encode_sample(struct bytes *b, size_t id, const struct history_record *r)
{
	unsigned char *p = bytes_room(b, REC_S_LEN);

	if (!p)
		return;
	p[0] = 'S';
	p[1] = (unsigned char)id;
	p[2] = (unsigned char)r->outcome;
	p[3] = (unsigned char)((r->ok ? FLAG_OK : 0) | (r->reused ? FLAG_REUSED : 0));
	put_u32(p + 4, r->t_s);
	put_u16(p + 8, r->t_ms);
	put_u16(p + 10, r->http_status);
	for (int k = 0; k < HISTORY_NPHASES; k++)
		put_f32(p + 12 + 4 * k, history_record_ms(r, (enum history_phase)k));
}

static bool ms_valid(float v)
{
	return v == -1.0f || (v >= 0 && v <= 1e9f);
}

/* A sample record read back; false when it cannot be one of ours. */
static bool decode_sample(const unsigned char *p, uint32_t latest, struct history_record *r)
{
	float ms[HISTORY_NPHASES];

	memset(r, 0, sizeof(*r));
	if (p[2] >= OUTCOME_COUNT || (p[3] & ~(FLAG_OK | FLAG_REUSED)) != 0)
		return false;
	r->t_s = get_u32(p + 4);
	if (r->t_s < TIME_MIN || r->t_s > latest || get_u16(p + 8) > 999 || get_u16(p + 10) > 999)
		return false;
	for (int k = 0; k < HISTORY_NPHASES; k++) {
		ms[k] = get_f32(p + 12 + 4 * k);
		if (!ms_valid(ms[k]))
			return false;
	}
	r->t_ms = get_u16(p + 8);
	r->http_status = get_u16(p + 10);
	r->outcome = p[2];
	r->ok = (p[3] & FLAG_OK) != 0;
	r->reused = (p[3] & FLAG_REUSED) != 0;
	r->total_ms = ms[HISTORY_TOTAL];
	r->dns_ms = ms[HISTORY_DNS];
	r->connect_ms = ms[HISTORY_CONNECT];
	r->tls_ms = ms[HISTORY_TLS];
	r->ttfb_ms = ms[HISTORY_TTFB];
	r->transfer_ms = ms[HISTORY_TRANSFER];
	return true;
}

char *history_file_key(const struct target *t)
{
	char *where = NULL, *key = NULL;

	if (t->url)
		where = config_mask_url(t->url);
	else if (asprintf(&where, "%s:%d", t->host ? t->host : "", t->port) < 0)
		where = NULL;
	if (!where)
		return NULL;
	if (asprintf(&key, "%s\n%s\n%s", target_kind_name(t->kind), t->name ? t->name : "", where) < 0)
		key = NULL;
	free(where);
	return key;
}

int history_file_default_path(const char *state_dir, const char *service, char *buf, size_t len)
{
	char dir[PATH_MAX], slug[64];
	size_t n = 0;
	int rc = paths_state_dir(state_dir, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	for (const char *c = service ? service : ""; *c && n < sizeof(slug) - 1; c++) {
		bool word = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');

		if (*c >= 'A' && *c <= 'Z')
			slug[n++] = (char)(*c - 'A' + 'a');
		else if (word)
			slug[n++] = *c;
		else if (n > 0 && slug[n - 1] != '-')
			slug[n++] = '-';
	}
	while (n > 0 && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	if (snprintf(buf, len, "%s/history/%s.bin", dir, n ? slug : "service") >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* --- loading ----------------------------------------------------------- */

/* What one load found, besides the records it pushed. */
struct load_result {
	size_t records;
	size_t damaged_at;    /* offset of the first bad byte; 0: none */
	bool foreign;         /* not a history file at all */
	bool torn;            /* a record cut short at the end */
};

static size_t target_of_key(const struct history_file *hf, const unsigned char *key, size_t len)
{
	for (size_t i = 0; i < hf->n; i++)
		if (strlen(hf->keys[i]) == len && memcmp(hf->keys[i], key, len) == 0)
			return i;
	return SIZE_MAX;
}

static void load_records(struct history_file *hf, const unsigned char *p, size_t len, struct load_result *res)
{
	size_t map[256], off = HEADER_LEN;
	bool declared[256] = {false};
	uint32_t latest = (uint32_t)fmin((double)time(NULL) + 86400.0, (double)UINT32_MAX);

	if (len < HEADER_LEN || memcmp(p, MAGIC, MAGIC_LEN) != 0 || get_u32(p + MAGIC_LEN) != VERSION) {
		res->foreign = len > 0;
		return;
	}
	while (off < len) {
		const unsigned char *r = p + off;
		size_t left = len - off, need, id;

		switch (r[0]) {
		case 'T': need = left >= 3 ? 3u + r[2] : 3; break;
		case 'H': need = REC_H_LEN; break;
		case 'S': need = REC_S_LEN; break;
		default: res->damaged_at = off; return;
		}
		if (need > left) {
			res->torn = true;
			return;
		}
		id = r[1];
		if (r[0] == 'T') {
			if (declared[id] || id == NO_ID || r[2] == 0) {
				res->damaged_at = off;
				return;
			}
			declared[id] = true;
			map[id] = target_of_key(hf, r + 3, r[2]);
		} else if (!declared[id]) {
			res->damaged_at = off;
			return;
		} else if (r[0] == 'H') {
			uint32_t hour = get_u32(r + 4), count = get_u32(r + 8), failures = get_u32(r + 12);

			if (r[2] || r[3] || count == 0 || failures > count || hour > latest / 3600) {
				res->damaged_at = off;
				return;
			}
			if (map[id] != SIZE_MAX)
				history_add_hour(hf->hists[map[id]], hour, count, failures);
		} else {
			struct history_record rec;
			const struct history_record *last;

			if (!decode_sample(r, latest, &rec)) {
				res->damaged_at = off;
				return;
			}
			if (map[id] != SIZE_MAX) {
				last = history_last(hf->hists[map[id]]);
				/* the rings want time order; a record out of it is
				 * dropped (two runs' records interleaved, a clock step) */
				if (!last || history_record_t(last) <= history_record_t(&rec)) {
					history_push_record(hf->hists[map[id]], &rec);
					res->records++;
				}
			}
		}
		off += need;
	}
}

/* Moves a file that is not ours, or damaged, out of the way, keeping it for
 * whoever wants to look. */
static void set_aside(struct history_file *hf, const char *why)
{
	char aside[PATH_MAX];

	if (snprintf(aside, sizeof(aside), "%s.damaged", hf->path) >= (int)sizeof(aside)) {
		warnf(hf, "the history file %s %s; it is left as it is", hf->path, why);
		return;
	}
	if (!hf->writing) {
		warnf(hf, "the history file %s %s; it is read as far as it goes", hf->path, why);
		return;
	}
	if (rename(hf->path, aside) != 0) {
		warnf(hf, "the history file %s %s, and cannot be set aside: %s", hf->path, why, strerror(errno));
		hf->writing = false;
		return;
	}
	warnf(hf, "the history file %s %s: set aside as %s; history starts afresh from what it held before",
	      hf->path, why, aside);
}

static void load(struct history_file *hf)
{
	struct load_result res = {0};
	char *text = NULL, err[PATH_MAX + 64], why[64];
	size_t len = 0;
	int rc = readfile(hf->path, hf->max_bytes + (hf->max_bytes >> 2), READFILE_REGULAR, &text, &len, err,
			  sizeof(err));

	if (rc == -ENOENT)
		return;
	if (rc == -EFBIG) {
		free(text);
		set_aside(hf, "is larger than a history file grows");
		return;
	}
	if (rc < 0) {
		warnf(hf, "cannot read the history: %s", err);
		hf->writing = false; /* never write over what we could not read */
		return;
	}
	load_records(hf, (const unsigned char *)text, len, &res);
	free(text);
	hf->loaded = res.records;
	if (res.foreign) {
		set_aside(hf, "is not an isitdown history file");
	} else if (res.damaged_at) {
		snprintf(why, sizeof(why), "is damaged at byte %zu", res.damaged_at);
		set_aside(hf, why);
	}
}

/* --- writing ----------------------------------------------------------- */

static void on_fs(uv_fs_t *req);
static void finish_close(struct history_file *hf);

/* The whole file as it is to be: every target's tally beyond its records,
 * then as many of its newest records as keep the file within half its cap
 * (the other half is room to append to before the next rewrite). */
static void build_file(const struct history_file *hf, struct bytes *b)
{
	size_t n = hf->n < HISTORY_FILE_MAX_TARGETS ? hf->n : HISTORY_FILE_MAX_TARGETS;
	size_t fixed = HEADER_LEN, budget;
	struct history_hour *hours = malloc(HISTORY_HOURS * sizeof(*hours));

	if (!hours) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		fixed += 3 + strlen(hf->keys[i]) + HISTORY_HOURS * REC_H_LEN;
	budget = hf->max_bytes / 2 > fixed ? (hf->max_bytes / 2 - fixed) / REC_S_LEN / (n ? n : 1) : 0;
	encode_header(b);
	for (size_t i = 0; i < n; i++) {
		const struct history *h = hf->hists[i];
		size_t count = history_count(h), keep = count < budget ? count : budget;
		size_t nh = history_hours(h, hours);

		encode_target(b, i, hf->keys[i]);
		/* the tally less the records written as themselves */
		for (size_t k = count - keep; k < count; k++) {
			const struct history_record *r = history_at(h, k);

			for (size_t j = 0; r && j < nh; j++)
				if (hours[j].hour == r->t_s / 3600 && hours[j].count > 0) {
					hours[j].count--;
					hours[j].failures -= !r->ok && hours[j].failures > 0;
					break;
				}
		}
		for (size_t j = 0; j < nh; j++)
			if (hours[j].count > 0)
				encode_hour(b, i, &hours[j]);
		for (size_t k = count - keep; k < count; k++) {
			const struct history_record *r = history_at(h, k);

			if (r)
				encode_sample(b, i, r);
		}
	}
	free(hours);
}

static void fail(struct history_file *hf, const char *what, ssize_t err)
{
	warnf(hf, "cannot write the history file %s: %s: %s; history is no longer kept", hf->path, what,
	      uv_strerror((int)err));
	hf->broken = true;
	hf->step = STEP_IDLE;
	bytes_free(&hf->queue);
	bytes_free(&hf->out);
	if (hf->tmp_fd >= 0) {
		uv_fs_t req;

		uv_fs_close(NULL, &req, hf->tmp_fd, NULL);
		uv_fs_req_cleanup(&req);
		unlink(hf->tmp_path);
		hf->tmp_fd = -1;
	}
}

static void write_out(struct history_file *hf, int fd)
{
	hf->buf = uv_buf_init((char *)hf->out.p + hf->out_off, (unsigned)(hf->out.len - hf->out_off));
	uv_fs_write(hf->loop, &hf->req, fd, &hf->buf, 1, -1, on_fs);
}

static void start_rewrite(struct history_file *hf)
{
	bytes_free(&hf->out);
	/* queued records are in the rings, so in the new file */
	bytes_free(&hf->queue);
	build_file(hf, &hf->out);
	if (hf->out.oom) {
		bytes_free(&hf->out);
		fail(hf, "building it", UV_ENOMEM);
		return;
	}
	hf->out_off = 0;
	if (hf->fd >= 0) {
		hf->step = STEP_CLOSE_OLD;
		uv_fs_close(hf->loop, &hf->req, hf->fd, on_fs);
		hf->fd = -1;
		return;
	}
	hf->step = STEP_TMP_OPEN;
	uv_fs_open(hf->loop, &hf->req, hf->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600, on_fs);
}

/* The next thing to do once nothing is in flight. */
static void kick(struct history_file *hf)
{
	if (hf->step != STEP_IDLE)
		return;
	if (hf->closing) {
		finish_close(hf);
		return;
	}
	if (hf->broken || !hf->writing)
		return;
	if (hf->fd < 0 || hf->size + hf->queue.len > hf->max_bytes) {
		start_rewrite(hf);
		return;
	}
	if (hf->queue.len == 0)
		return;
	bytes_free(&hf->out);
	hf->out = hf->queue;
	hf->queue = (struct bytes){0};
	hf->out_off = 0;
	hf->step = STEP_APPEND;
	write_out(hf, hf->fd);
}

static void on_fs(uv_fs_t *req)
{
	struct history_file *hf = req->data;
	ssize_t result = req->result;
	enum step step = hf->step;

	uv_fs_req_cleanup(req);
	hf->step = STEP_IDLE;
	if (result < 0 && step != STEP_CLOSE_OLD && step != STEP_TMP_CLOSE) {
		static const char *const what[] = {
			[STEP_APPEND] = "appending", [STEP_TMP_OPEN] = "creating its new copy",
			[STEP_TMP_WRITE] = "writing its new copy", [STEP_RENAME] = "renaming its new copy",
			[STEP_REOPEN] = "reopening it",
		};

		fail(hf, what[step] ? what[step] : "writing", result);
		kick(hf);
		return;
	}
	switch (step) {
	case STEP_APPEND:
		hf->out_off += (size_t)result;
		hf->size += (size_t)result;
		if (hf->out_off < hf->out.len) {
			hf->step = STEP_APPEND;
			write_out(hf, hf->fd);
			return;
		}
		bytes_free(&hf->out);
		break;
	case STEP_CLOSE_OLD:
		hf->step = STEP_TMP_OPEN;
		uv_fs_open(hf->loop, &hf->req, hf->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600, on_fs);
		return;
	case STEP_TMP_OPEN:
		hf->tmp_fd = (int)result;
		hf->step = STEP_TMP_WRITE;
		write_out(hf, hf->tmp_fd);
		return;
	case STEP_TMP_WRITE:
		hf->out_off += (size_t)result;
		hf->step = hf->out_off < hf->out.len ? STEP_TMP_WRITE : STEP_TMP_CLOSE;
		if (hf->step == STEP_TMP_WRITE)
			write_out(hf, hf->tmp_fd);
		else
			uv_fs_close(hf->loop, &hf->req, hf->tmp_fd, on_fs);
		return;
	case STEP_TMP_CLOSE:
		hf->tmp_fd = -1;
		hf->step = STEP_RENAME;
		uv_fs_rename(hf->loop, &hf->req, hf->tmp_path, hf->path, on_fs);
		return;
	case STEP_RENAME:
		hf->size = hf->out.len;
		bytes_free(&hf->out);
		hf->step = STEP_REOPEN;
		uv_fs_open(hf->loop, &hf->req, hf->path, O_WRONLY | O_APPEND | O_CLOEXEC, 0600, on_fs);
		return;
	case STEP_REOPEN:
		hf->fd = (int)result;
		break;
	case STEP_IDLE:
		break;
	}
	kick(hf);
}

/* The lock that makes this run the file's one writer; false, with the reason
 * reported, when another isitdown has it or it cannot be taken. */
static bool take_lock(struct history_file *hf)
{
	char lock_path[PATH_MAX], dir[PATH_MAX];
	char *slash;
	int rc;

	if (snprintf(lock_path, sizeof(lock_path), "%s.lock", hf->path) >= (int)sizeof(lock_path)) {
		warnf(hf, "the history file's name is too long: history is not kept");
		return false;
	}
	snprintf(dir, sizeof(dir), "%s", hf->path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		rc = paths_mkdir_p(dir);
		if (rc < 0) {
			warnf(hf, "cannot create %s: %s; history is not kept", dir, strerror(-rc));
			return false;
		}
	}
	hf->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (hf->lock_fd < 0) {
		warnf(hf, "cannot open %s: %s; history is not kept", lock_path, strerror(errno));
		return false;
	}
	if (flock(hf->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			warnf(hf, "another isitdown keeps the history in %s: this one reads it, and adds nothing",
			      hf->path);
		else
			warnf(hf, "cannot lock %s: %s; history is not kept", lock_path, strerror(errno));
		close(hf->lock_fd);
		hf->lock_fd = -1;
		return false;
	}
	return true;
}

struct history_file *history_file_open(uv_loop_t *loop, const char *path, size_t n, const char *const *keys,
				       struct history *const *hists, const struct history_file_options *o)
{
	struct history_file *hf = calloc(1, sizeof(*hf));

	if (!hf)
		return NULL;
	hf->loop = loop;
	hf->fd = hf->lock_fd = hf->tmp_fd = -1;
	hf->req.data = hf;
	hf->hists = hists;
	hf->n = n;
	hf->max_bytes = o && o->max_bytes ? o->max_bytes : HISTORY_FILE_MAX;
	if (o) {
		hf->warn = o->warn;
		hf->warn_data = o->warn_data;
	}
	hf->path = strdup(path);
	hf->keys = calloc(n ? n : 1, sizeof(*hf->keys));
	if (!hf->path || !hf->keys || asprintf(&hf->tmp_path, "%s.tmp", path) < 0) {
		hf->tmp_path = NULL;
		goto oom;
	}
	for (size_t i = 0; i < n; i++)
		if (!(hf->keys[i] = strdup(keys[i])))
			goto oom;
	hf->writing = !(o && o->read_only) && loop && take_lock(hf);
	load(hf);
	kick(hf); /* the first rewrite: without a cut-short tail or gone targets */
	return hf;
oom:
	hf->closing = true;
	finish_close(hf);
	return NULL;
}

void history_file_append(struct history_file *hf, size_t i, const struct history_record *r)
{
	if (!hf || !hf->writing || hf->broken || hf->closing || i >= hf->n || i >= HISTORY_FILE_MAX_TARGETS || !r)
		return;
	encode_sample(&hf->queue, i, r);
	if (hf->queue.oom) {
		fail(hf, "queueing a record", UV_ENOMEM);
		return;
	}
	kick(hf);
}

size_t history_file_loaded(const struct history_file *hf)
{
	return hf ? hf->loaded : 0;
}

bool history_file_writing(const struct history_file *hf)
{
	return hf && hf->writing && !hf->broken;
}

const char *history_file_path(const struct history_file *hf)
{
	return hf ? hf->path : NULL;
}

/* The end: the whole file written at once, as the rewrite on the loop does
 * it, but blocking. */
static void rewrite_now(struct history_file *hf)
{
	int fd = open(hf->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0) {
		warnf(hf, "cannot write the history file %s: %s", hf->tmp_path, strerror(errno));
		return;
	}
	while (off < hf->final.len) {
		ssize_t n = write(fd, hf->final.p + off, hf->final.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (close(fd) != 0 || off < hf->final.len || rename(hf->tmp_path, hf->path) != 0) {
		warnf(hf, "cannot write the history file %s: %s", hf->path, strerror(errno));
		unlink(hf->tmp_path);
	}
}

/* The end, with nothing in flight: what is queued goes out now, or the whole
 * file built at history_file_close when the queue would not fit. */
static void finish_close(struct history_file *hf)
{
	if (hf->final.len > 0 && !hf->broken) {
		if (hf->fd >= 0)
			close(hf->fd);
		hf->fd = -1;
		rewrite_now(hf);
	}
	if (hf->fd >= 0) {
		uv_fs_t req;
		size_t off = 0;

		while (!hf->broken && off < hf->queue.len) {
			uv_buf_t b = uv_buf_init((char *)hf->queue.p + off, (unsigned)(hf->queue.len - off));
			int rc = uv_fs_write(NULL, &req, hf->fd, &b, 1, -1, NULL);

			uv_fs_req_cleanup(&req);
			if (rc <= 0)
				break;
			off += (size_t)rc;
		}
		uv_fs_close(NULL, &req, hf->fd, NULL);
		uv_fs_req_cleanup(&req);
	}
	if (hf->lock_fd >= 0)
		close(hf->lock_fd);
	for (size_t i = 0; hf->keys && i < hf->n; i++)
		free(hf->keys[i]);
	free(hf->keys);
	free(hf->path);
	free(hf->tmp_path);
	bytes_free(&hf->queue);
	bytes_free(&hf->out);
	bytes_free(&hf->final);
	free(hf);
}

void history_file_close(struct history_file *hf)
{
	if (!hf)
		return;
	hf->closing = true;
	/* past the cap: the file is rebuilt while the histories are still there */
	if (hf->writing && !hf->broken && hf->size + hf->queue.len > hf->max_bytes) {
		build_file(hf, &hf->final);
		bytes_free(&hf->queue);
		if (hf->final.oom)
			bytes_free(&hf->final);
	}
	hf->hists = NULL;
	kick(hf);
}
