/*
 * alsa_mixer.node: alsa-lib's control interface (hctl) for Node, in plain C against Node-API so
 * one source builds on glibc and musl (Alpine) with only the system compiler.
 *
 * Element level on purpose, like `amixer cget/cset`: the simple-mixer layer cannot give the dB
 * scale of the HifiBerry AMP's suffix-less 'Master' (docs: alsa-mixer notes, section 1).
 * Change events come from the control's poll descriptors watched by libuv (uv_poll) on Node's own
 * loop: no thread, no child process, no timer. A card that goes away reports POLLERR/POLLHUP (or
 * a failing snd_hctl_handle_events), which is delivered as an error and ends the watch.
 *
 *   const ctl = new Ctl('hw:sndrpihifiberry')        throws {code: 'device'}
 *   ctl.controls()                  → names of the MIXER elements, in the driver's order
 *   ctl.info(name)                  → {type, channels, min, max, db: {min, max, mute} | null}
 *   ctl.read(name) / write(name, values[])          raw values (booleans as 0/1)
 *   ctl.readDb(name) / writeDb(name, dB, dir)       dB per channel (-Infinity = mute point)
 *   ctl.watch((err, names) => ...)  names: the elements that changed; err: the card is gone
 *   ctl.unwatch()
 *   ctl.close()
 * Errors carry code 'device' | 'control' | 'io' (the bridge's MixerError codes) and errno.
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <alsa/asoundlib.h>
#include <node_api.h>
#include <uv.h>

#define TLV_WORDS 64

typedef struct ctl ctl_t;

/* the uv_poll handles of one watch; freed once libuv has closed them all */
typedef struct {
	ctl_t *ctl; /* NULL once the watch is stopped */
	int count, open;
	struct pollfd *pfds;
	uv_poll_t *polls;
} watch_t;

struct ctl {
	snd_hctl_t *hctl;
	char *device;
	napi_env env;
	napi_ref callback;
	napi_async_context async;
	watch_t *watch;
	/* names of the elements changed while snd_hctl_handle_events runs */
	const char **changed;
	size_t nchanged, cap;
};

/* ---- errors ---- */

static napi_value throw_error(napi_env env, const char *code, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static napi_value make_error(napi_env env, const char *code, int err, const char *msg)
{
	napi_value c, m, e, n;
	napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &c);
	napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
	napi_create_error(env, c, m, &e);
	napi_create_int32(env, err < 0 ? -err : err, &n);
	napi_set_named_property(env, e, "errno", n);
	return e;
}

static napi_value throw_error(napi_env env, const char *code, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	napi_throw(env, make_error(env, code, err, msg));
	return NULL;
}

/* an I/O error that means the card went away counts as 'device', like a failed open */
static const char *io_code(int err)
{
	return err == -ENODEV || err == -EBADFD || err == -ENXIO ? "device" : "io";
}

/* ---- arguments ---- */

#define ARGS(n)                                                                                \
	size_t argc = (n);                                                                     \
	napi_value argv[(n) > 0 ? (n) : 1], self;                                              \
	ctl_t *ctl;                                                                            \
	if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok ||                \
	    napi_unwrap(env, self, (void **)&ctl) != napi_ok)                                  \
		return throw_error(env, "io", 0, "not a Ctl");                                 \
	if (!ctl->hctl)                                                                        \
		return throw_error(env, "io", 0, "ALSA device '%s' is closed", ctl->device);

static int get_string(napi_env env, napi_value v, char *buf, size_t size)
{
	size_t len;
	return napi_get_value_string_utf8(env, v, buf, size, &len) == napi_ok && len < size - 1;
}

static snd_hctl_elem_t *find_elem(napi_env env, ctl_t *ctl, napi_value name_v, snd_ctl_elem_info_t *info)
{
	char name[128];
	snd_ctl_elem_id_t *id;
	snd_hctl_elem_t *elem;
	int err;
	if (!get_string(env, name_v, name, sizeof(name))) {
		throw_error(env, "control", 0, "control name must be a string of at most %zu bytes", sizeof(name) - 2);
		return NULL;
	}
	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_name(id, name);
	elem = snd_hctl_find_elem(ctl->hctl, id);
	if (!elem) {
		throw_error(env, "control", -ENOENT, "ALSA device '%s' has no control '%s'", ctl->device, name);
		return NULL;
	}
	if ((err = snd_hctl_elem_info(elem, info)) < 0) {
		throw_error(env, io_code(err), err, "ALSA device '%s', control '%s': %s", ctl->device, name, snd_strerror(err));
		return NULL;
	}
	return elem;
}

/* ARGS, then the element named by the first argument: its info (ei) and room for its value (val) */
#define ELEM_ARGS(n)                                                                           \
	ARGS(n);                                                                               \
	snd_ctl_elem_info_t *ei;                                                               \
	snd_ctl_elem_value_t *val;                                                             \
	snd_hctl_elem_t *elem;                                                                 \
	snd_ctl_elem_info_alloca(&ei);                                                         \
	snd_ctl_elem_value_alloca(&val);                                                       \
	if (!(elem = find_elem(env, ctl, argv[0], ei)))                                        \
		return NULL;

static int is_number_type(snd_ctl_elem_type_t t)
{
	return t == SND_CTL_ELEM_TYPE_INTEGER || t == SND_CTL_ELEM_TYPE_BOOLEAN;
}

/* the dB part of an element's TLV: the DB_SCALE / DB_MINMAX words, or NULL (none, or a kind
 * the bridge does not map, as the alsa-utils backend does) */
static unsigned int *db_tlv(snd_hctl_elem_t *elem, snd_ctl_elem_info_t *info, unsigned int *buf)
{
	unsigned int *db;
	if (!snd_ctl_elem_info_is_tlv_readable(info) || snd_hctl_elem_tlv_read(elem, buf, TLV_WORDS) < 0)
		return NULL;
	if (snd_tlv_parse_dB_info(buf, TLV_WORDS, &db) <= 0)
		return NULL;
	switch (db[0]) {
	case SND_CTL_TLVT_DB_SCALE:
	case SND_CTL_TLVT_DB_MINMAX:
	case SND_CTL_TLVT_DB_MINMAX_MUTE:
		return db;
	default:
		return NULL;
	}
}

/* snd_hctl_elem_read or _write; false (an error thrown) when it fails */
static int elem_io(napi_env env, ctl_t *ctl, snd_hctl_elem_t *elem, snd_ctl_elem_value_t *val, int write)
{
	int err = write ? snd_hctl_elem_write(elem, val) : snd_hctl_elem_read(elem, val);
	if (err < 0)
		throw_error(env, io_code(err), err, "%s '%s' on ALSA device '%s': %s", write ? "writing" : "reading", snd_hctl_elem_get_name(elem),
			    ctl->device, snd_strerror(err));
	return err >= 0;
}

/* ---- methods ---- */

static napi_value ctl_controls(napi_env env, napi_callback_info info)
{
	ARGS(0);
	napi_value list, s;
	uint32_t i = 0;
	napi_create_array(env, &list);
	for (snd_hctl_elem_t *e = snd_hctl_first_elem(ctl->hctl); e; e = snd_hctl_elem_next(e)) {
		if (snd_hctl_elem_get_interface(e) != SND_CTL_ELEM_IFACE_MIXER)
			continue;
		napi_create_string_utf8(env, snd_hctl_elem_get_name(e), NAPI_AUTO_LENGTH, &s);
		napi_set_element(env, list, i++, s);
	}
	return list;
}

static void set_number(napi_env env, napi_value obj, const char *key, double v)
{
	napi_value n;
	napi_create_double(env, v, &n);
	napi_set_named_property(env, obj, key, n);
}

static napi_value ctl_info(napi_env env, napi_callback_info info)
{
	ELEM_ARGS(1);
	unsigned int buf[TLV_WORDS], *db;
	napi_value out, v, dbv;
	snd_ctl_elem_type_t type;
	long min = 0, max = 1;
	type = snd_ctl_elem_info_get_type(ei);
	if (type == SND_CTL_ELEM_TYPE_INTEGER) {
		min = snd_ctl_elem_info_get_min(ei);
		max = snd_ctl_elem_info_get_max(ei);
	}
	napi_create_object(env, &out);
	napi_create_string_utf8(env, snd_ctl_elem_type_name(type), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, out, "type", v);
	set_number(env, out, "channels", snd_ctl_elem_info_get_count(ei));
	set_number(env, out, "min", min);
	set_number(env, out, "max", max);
	db = type == SND_CTL_ELEM_TYPE_INTEGER ? db_tlv(elem, ei, buf) : NULL;
	if (db) {
		/* 0.01 dB units; DB_SCALE: min, step | mute flag; DB_MINMAX(_MUTE): min, max */
		int lo = (int)db[2], hi, mute;
		if (db[0] == SND_CTL_TLVT_DB_SCALE) {
			hi = lo + (int)(db[3] & 0xffff) * (int)(max - min);
			mute = (db[3] & 0x10000) != 0;
		} else {
			hi = (int)db[3];
			mute = db[0] == SND_CTL_TLVT_DB_MINMAX_MUTE;
		}
		napi_create_object(env, &dbv);
		set_number(env, dbv, "min", lo / 100.0);
		set_number(env, dbv, "max", hi / 100.0);
		napi_get_boolean(env, mute, &v);
		napi_set_named_property(env, dbv, "mute", v);
	} else {
		napi_get_null(env, &dbv);
	}
	napi_set_named_property(env, out, "db", dbv);
	return out;
}

static napi_value ctl_read(napi_env env, napi_callback_info info)
{
	ELEM_ARGS(1);
	napi_value list, n;
	unsigned int count;
	if (!is_number_type(snd_ctl_elem_info_get_type(ei)))
		return throw_error(env, "control", 0, "control '%s' on '%s' is %s, not INTEGER or BOOLEAN", snd_hctl_elem_get_name(elem),
				   ctl->device, snd_ctl_elem_type_name(snd_ctl_elem_info_get_type(ei)));
	if (!elem_io(env, ctl, elem, val, 0))
		return NULL;
	count = snd_ctl_elem_info_get_count(ei);
	napi_create_array_with_length(env, count, &list);
	for (unsigned int i = 0; i < count; i++) {
		napi_create_int64(env, snd_ctl_elem_value_get_integer(val, i), &n);
		napi_set_element(env, list, i, n);
	}
	return list;
}

static napi_value ctl_write(napi_env env, napi_callback_info info)
{
	ELEM_ARGS(2);
	napi_value n;
	uint32_t len;
	unsigned int count;
	int64_t v;
	if (!is_number_type(snd_ctl_elem_info_get_type(ei)))
		return throw_error(env, "control", 0, "control '%s' is not INTEGER or BOOLEAN", snd_hctl_elem_get_name(elem));
	count = snd_ctl_elem_info_get_count(ei);
	if (napi_get_array_length(env, argv[1], &len) != napi_ok || len != count)
		return throw_error(env, "io", 0, "'%s' takes %u values", snd_hctl_elem_get_name(elem), count);
	for (uint32_t i = 0; i < len; i++) {
		if (napi_get_element(env, argv[1], i, &n) != napi_ok || napi_get_value_int64(env, n, &v) != napi_ok)
			return throw_error(env, "io", 0, "values must be numbers");
		snd_ctl_elem_value_set_integer(val, i, (long)v);
	}
	elem_io(env, ctl, elem, val, 1);
	return NULL;
}

/* the element's dB scale, or NULL with an error thrown */
static unsigned int *db_of(napi_env env, ctl_t *ctl, snd_hctl_elem_t *elem, snd_ctl_elem_info_t *ei, unsigned int *buf)
{
	unsigned int *db = snd_ctl_elem_info_get_type(ei) == SND_CTL_ELEM_TYPE_INTEGER ? db_tlv(elem, ei, buf) : NULL;
	if (!db)
		throw_error(env, "control", 0, "control '%s' on ALSA device '%s' has no dB scale", snd_hctl_elem_get_name(elem), ctl->device);
	return db;
}

static napi_value ctl_read_db(napi_env env, napi_callback_info info)
{
	ELEM_ARGS(1);
	unsigned int buf[TLV_WORDS], *db;
	napi_value list, n;
	long gain;
	int err;
	if (!(db = db_of(env, ctl, elem, ei, buf)))
		return NULL;
	if (!elem_io(env, ctl, elem, val, 0))
		return NULL;
	napi_create_array(env, &list);
	for (unsigned int i = 0; i < snd_ctl_elem_info_get_count(ei); i++) {
		if ((err = snd_tlv_convert_to_dB(db, snd_ctl_elem_info_get_min(ei), snd_ctl_elem_info_get_max(ei),
						 snd_ctl_elem_value_get_integer(val, i), &gain)) < 0)
			return throw_error(env, "io", err, "dB of '%s': %s", snd_hctl_elem_get_name(elem), snd_strerror(err));
		napi_create_double(env, gain == SND_CTL_TLV_DB_GAIN_MUTE ? -INFINITY : gain / 100.0, &n);
		napi_set_element(env, list, i, n);
	}
	return list;
}

/* every channel to the step at or below (dir < 0) or at or above (dir > 0) the given dB */
static napi_value ctl_write_db(napi_env env, napi_callback_info info)
{
	ELEM_ARGS(3);
	unsigned int buf[TLV_WORDS], *db;
	double dB;
	int32_t dir;
	long raw;
	int err;
	if (!(db = db_of(env, ctl, elem, ei, buf)))
		return NULL;
	if (napi_get_value_double(env, argv[1], &dB) != napi_ok || isnan(dB) || napi_get_value_int32(env, argv[2], &dir) != napi_ok)
		return throw_error(env, "io", 0, "writeDb(name, dB, dir): dB and dir must be numbers");
	if ((err = snd_tlv_convert_from_dB(db, snd_ctl_elem_info_get_min(ei), snd_ctl_elem_info_get_max(ei),
					   isinf(dB) ? (dB < 0 ? SND_CTL_TLV_DB_GAIN_MUTE : 1000000L) : lround(dB * 100), &raw, dir)) < 0)
		return throw_error(env, "io", err, "raw value for %.2f dB on '%s': %s", dB, snd_hctl_elem_get_name(elem), snd_strerror(err));
	for (unsigned int i = 0; i < snd_ctl_elem_info_get_count(ei); i++)
		snd_ctl_elem_value_set_integer(val, i, raw);
	elem_io(env, ctl, elem, val, 1);
	return NULL;
}

/* ---- watching ---- */

static void on_poll_closed(uv_handle_t *h)
{
	watch_t *w = h->data;
	if (--w->open == 0) {
		free(w->polls);
		free(w->pfds);
		free(w);
	}
}

static void stop_polls(ctl_t *ctl)
{
	watch_t *w = ctl->watch;
	if (!w)
		return;
	ctl->watch = NULL;
	w->ctl = NULL;
	for (int i = 0; i < w->count; i++)
		uv_close((uv_handle_t *)&w->polls[i], on_poll_closed);
}

static void forget_callback(ctl_t *ctl)
{
	stop_polls(ctl);
	if (ctl->callback) {
		napi_delete_reference(ctl->env, ctl->callback);
		napi_async_destroy(ctl->env, ctl->async);
		ctl->callback = NULL;
	}
}

static void note_change(ctl_t *ctl, const char *name)
{
	for (size_t i = 0; i < ctl->nchanged; i++)
		if (!strcmp(ctl->changed[i], name))
			return;
	if (ctl->nchanged == ctl->cap) {
		size_t cap = ctl->cap ? ctl->cap * 2 : 8;
		const char **more = realloc(ctl->changed, cap * sizeof(*more));
		if (!more)
			return;
		ctl->changed = more;
		ctl->cap = cap;
	}
	/* copied: a removed element is freed right after its callback */
	if ((ctl->changed[ctl->nchanged] = strdup(name)))
		ctl->nchanged++;
}

static int on_elem_event(snd_hctl_elem_t *elem, unsigned int mask)
{
	(void)mask; /* value, info, TLV or removal: the owner re-reads in each case */
	note_change(snd_hctl_get_callback_private(snd_hctl_elem_get_hctl(elem)), snd_hctl_elem_get_name(elem));
	return 0;
}

static int on_hctl_event(snd_hctl_t *hctl, unsigned int mask, snd_hctl_elem_t *elem)
{
	if (mask & SND_CTL_EVENT_MASK_ADD) {
		snd_hctl_elem_set_callback(elem, on_elem_event);
		note_change(snd_hctl_get_callback_private(hctl), snd_hctl_elem_get_name(elem));
	}
	return 0;
}

static void clear_changes(ctl_t *ctl)
{
	for (size_t i = 0; i < ctl->nchanged; i++)
		free((void *)ctl->changed[i]);
	ctl->nchanged = 0;
}

/* calls the watch callback as (err, names) on Node's loop, with the usual async bookkeeping; the
 * callback may close the Ctl and let it be collected, so ctl is not touched after the call */
static void deliver(ctl_t *ctl, int err)
{
	napi_env env = ctl->env;
	napi_handle_scope scope;
	napi_value cb, recv, argv[2], s, result, exc;
	napi_open_handle_scope(env, &scope);
	napi_get_reference_value(env, ctl->callback, &cb);
	napi_get_global(env, &recv); /* napi_make_callback needs an object */
	napi_create_array(env, &argv[1]);
	if (err) {
		char msg[300];
		snprintf(msg, sizeof(msg), "ALSA device '%s' went away (%s)", ctl->device, snd_strerror(err));
		argv[0] = make_error(env, "device", err, msg);
	} else {
		napi_get_null(env, &argv[0]);
		for (size_t i = 0; i < ctl->nchanged; i++) {
			napi_create_string_utf8(env, ctl->changed[i], NAPI_AUTO_LENGTH, &s);
			napi_set_element(env, argv[1], (uint32_t)i, s);
		}
		clear_changes(ctl);
	}
	if (napi_make_callback(env, ctl->async, recv, cb, 2, argv, &result) == napi_pending_exception &&
	    napi_get_and_clear_last_exception(env, &exc) == napi_ok)
		napi_fatal_exception(env, exc);
	napi_close_handle_scope(env, scope);
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
	watch_t *w = handle->data;
	ctl_t *ctl = w->ctl;
	unsigned short revents = 0;
	int err;
	if (!ctl)
		return;
	for (int i = 0; i < w->count; i++)
		w->pfds[i].revents = 0;
	/* uv reports POLLERR as status UV_EBADF; plugins compute their own revents from this */
	w->pfds[handle - w->polls].revents =
		status < 0 ? POLLERR : ((events & UV_READABLE) ? POLLIN : 0) | ((events & UV_DISCONNECT) ? POLLHUP : 0);
	err = snd_hctl_poll_descriptors_revents(ctl->hctl, w->pfds, (unsigned int)w->count, &revents);
	if (err >= 0 && (revents & (POLLERR | POLLHUP)))
		err = -ENODEV;
	else if (err >= 0 && (revents & POLLIN))
		err = snd_hctl_handle_events(ctl->hctl);
	if (err < 0) {
		/* the watch ends here: the owner re-opens the device when it is back */
		clear_changes(ctl);
		stop_polls(ctl);
		deliver(ctl, err);
	} else if (ctl->nchanged) {
		deliver(ctl, 0);
	}
}

static napi_value ctl_watch(napi_env env, napi_callback_info info)
{
	ARGS(1);
	napi_valuetype t;
	napi_value name;
	watch_t *w;
	uv_loop_t *loop;
	int n, err;
	if (napi_typeof(env, argv[0], &t) != napi_ok || t != napi_function)
		return throw_error(env, "io", 0, "watch(callback): callback must be a function");
	if (ctl->callback)
		return throw_error(env, "io", 0, "ALSA device '%s' is already watched", ctl->device);
	if ((n = snd_hctl_poll_descriptors_count(ctl->hctl)) <= 0)
		return throw_error(env, "io", n, "ALSA device '%s' has no poll descriptors", ctl->device);
	if (napi_get_uv_event_loop(env, &loop) != napi_ok)
		return throw_error(env, "io", 0, "no libuv loop");
	w = calloc(1, sizeof(*w));
	if (!w || !(w->pfds = calloc((size_t)n, sizeof(*w->pfds))) || !(w->polls = calloc((size_t)n, sizeof(*w->polls)))) {
		if (w)
			free(w->pfds);
		free(w);
		return throw_error(env, "io", -ENOMEM, "out of memory");
	}
	w->count = snd_hctl_poll_descriptors(ctl->hctl, w->pfds, (unsigned int)n);
	for (int i = 0; i < w->count; i++) {
		if ((err = uv_poll_init(loop, &w->polls[i], w->pfds[i].fd)) < 0) {
			w->count = i; /* only these need closing */
			ctl->watch = w;
			w->ctl = ctl;
			stop_polls(ctl);
			if (i == 0)
				free(w->polls), free(w->pfds), free(w);
			return throw_error(env, "io", err, "uv_poll_init: %s", uv_strerror(err));
		}
		w->polls[i].data = w;
		w->open++;
		uv_poll_start(&w->polls[i], UV_READABLE | UV_DISCONNECT, on_poll);
	}
	w->ctl = ctl;
	ctl->watch = w;
	napi_create_reference(env, argv[0], 1, &ctl->callback);
	napi_create_string_utf8(env, "alsa_mixer:watch", NAPI_AUTO_LENGTH, &name);
	napi_async_init(env, self, name, &ctl->async);
	return NULL;
}

static napi_value ctl_unwatch(napi_env env, napi_callback_info info)
{
	ARGS(0);
	(void)argv;
	forget_callback(ctl);
	return NULL;
}

/* ---- lifetime ---- */

static void ctl_release(ctl_t *ctl)
{
	forget_callback(ctl);
	clear_changes(ctl);
	if (ctl->hctl)
		snd_hctl_close(ctl->hctl);
	ctl->hctl = NULL;
}

static napi_value ctl_close(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	napi_value self;
	ctl_t *ctl;
	if (napi_get_cb_info(env, info, &argc, NULL, &self, NULL) == napi_ok && napi_unwrap(env, self, (void **)&ctl) == napi_ok)
		ctl_release(ctl);
	return NULL;
}

static void ctl_finalize(napi_env env, void *data, void *hint)
{
	ctl_t *ctl = data;
	(void)env, (void)hint;
	ctl_release(ctl);
	free(ctl->changed);
	free(ctl->device);
	free(ctl);
}

static napi_value ctl_new(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1], self;
	char device[256];
	ctl_t *ctl;
	int err;
	if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok || argc < 1 || !get_string(env, argv[0], device, sizeof(device)))
		return throw_error(env, "device", 0, "new Ctl(device): device must be a string");
	if (!(ctl = calloc(1, sizeof(*ctl))) || !(ctl->device = strdup(device))) {
		free(ctl);
		return throw_error(env, "io", -ENOMEM, "out of memory");
	}
	ctl->env = env;
	if ((err = snd_hctl_open(&ctl->hctl, device, SND_CTL_NONBLOCK)) < 0 || (err = snd_hctl_load(ctl->hctl)) < 0) {
		if (ctl->hctl)
			snd_hctl_close(ctl->hctl);
		free(ctl->device);
		free(ctl);
		return throw_error(env, "device", err, "cannot open ALSA device '%s': %s (is the card there? is the user in group 'audio'?)", device,
				   snd_strerror(err));
	}
	snd_hctl_set_callback_private(ctl->hctl, ctl);
	snd_hctl_set_callback(ctl->hctl, on_hctl_event);
	for (snd_hctl_elem_t *e = snd_hctl_first_elem(ctl->hctl); e; e = snd_hctl_elem_next(e))
		snd_hctl_elem_set_callback(e, on_elem_event);
	if (napi_wrap(env, self, ctl, ctl_finalize, NULL, NULL) != napi_ok) {
		ctl_finalize(env, ctl, NULL);
		return throw_error(env, "io", 0, "napi_wrap failed");
	}
	return self;
}

/* alsa-lib prints its errors on stderr by default; here each one becomes a thrown, specific error */
static void quiet(const char *file, int line, const char *function, int err, const char *fmt, ...)
{
	(void)file, (void)line, (void)function, (void)err, (void)fmt;
}

NAPI_MODULE_INIT()
{
	napi_property_descriptor methods[] = {
		{ "controls", NULL, ctl_controls, NULL, NULL, NULL, napi_default_method, NULL },
		{ "info", NULL, ctl_info, NULL, NULL, NULL, napi_default_method, NULL },
		{ "read", NULL, ctl_read, NULL, NULL, NULL, napi_default_method, NULL },
		{ "write", NULL, ctl_write, NULL, NULL, NULL, napi_default_method, NULL },
		{ "readDb", NULL, ctl_read_db, NULL, NULL, NULL, napi_default_method, NULL },
		{ "writeDb", NULL, ctl_write_db, NULL, NULL, NULL, napi_default_method, NULL },
		{ "watch", NULL, ctl_watch, NULL, NULL, NULL, napi_default_method, NULL },
		{ "unwatch", NULL, ctl_unwatch, NULL, NULL, NULL, napi_default_method, NULL },
		{ "close", NULL, ctl_close, NULL, NULL, NULL, napi_default_method, NULL },
	};
	napi_value cons;
	snd_lib_error_set_handler(quiet);
	if (napi_define_class(env, "Ctl", NAPI_AUTO_LENGTH, ctl_new, NULL, sizeof(methods) / sizeof(methods[0]), methods, &cons) != napi_ok ||
	    napi_set_named_property(env, exports, "Ctl", cons) != napi_ok)
		return NULL;
	return exports;
}
