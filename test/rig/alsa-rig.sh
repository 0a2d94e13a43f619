#!/usr/bin/env bash
# Copied from the project's shared tools, alsa-rig.sh. Changes for this repo:
#   * pulseaudio is off by default (ALSA_RIG_PULSE=0): the bridge does not need it;
#   * a "card gone" knob in the simmixer plugin (see <state>.gone below), so tests can
#     make a card vanish at run time and come back.
# alsa-rig.sh - a REAL ALSA mixer on a machine with no sound card (CI, containers,
# VMs whose kernel has no sound support), for testing code that reads, sets and
# watches ALSA mixer controls through alsa-lib (amixer, alsactl, libasound).
#
# Two back-ends, three ordinary ALSA ctl device names (amixer -D NAME, alsactl monitor NAME,
# snd_ctl_open/snd_mixer_attach(NAME)):
#   amp    simulated HifiBerry AMP / AMP+ (TAS5713): 'Master' (no mute switch,
#          0..248, -100 dB..+24 dB in 0.5 dB steps) and 'Channels'
#   amp2   simulated HifiBerry AMP2 / AMP4 / AMP100 / DAC+ (PCM512x):
#          'Digital Playback Volume' (0..207, -103.5 dB..0 dB) + 'Digital Playback Switch'
#          (both: an alsa-lib external ctl plugin compiled here, state in a file,
#          inotify for change events; no daemon)
#   pulse  PulseAudio's ALSA ctl plugin over a null sink: 'Master Playback Volume'
#          (0..65536, no dB info) + 'Master Playback Switch'; a pulseaudio daemon
#          runs in the background (skip it with ALSA_RIG_PULSE=0)
#
# usage:  bash alsa-rig.sh [start|stop|status|reset|env]      (default: start)
#   start   install what is missing (apt-get, needs root), build the plugin,
#           write the ALSA config, start pulseaudio, self-test, print 'ready'.
#           Idempotent: a second run only checks and prints 'ready'.
#   stop    stop the pulseaudio this script started (by its PID file)
#   reset   put the simulated mixers back to their power-on values
#   env     print the environment a client needs (also written to $ALSA_RIG_DIR/env.sh)
#
# clients need:  ALSA_CONFIG_PATH  (system alsa.conf + the rig's asoundrc)
#                PULSE_SERVER      (only for the 'pulse' device)
# e.g.   source "$ALSA_RIG_DIR/env.sh"; amixer -D amp2 cget name='Digital Playback Volume'
#
# knobs: ALSA_RIG_DIR (default ${TMPDIR:-/tmp}/alsa-rig), ALSA_RIG_PULSE=0|1 (default 0)
#
# simulated state: $ALSA_RIG_DIR/state/amp and .../amp2, one line per element,
# "<element index> <value> [<right value>]" (amp: 0 Master, 1 Channels; amp2: 0 Digital
# Playback Volume, 1 Digital Playback Switch, 2 Analogue Playback Volume, 3 Analogue
# Playback Boost Volume).  A test may write the file itself (printf '0 150 150' > ...):
# every process that has the control open gets a VALUE event, as with a real card.
# Card gone: while the file $ALSA_RIG_DIR/state/<dev>.gone exists, opening <dev> fails with
# ENODEV, reads and writes fail, and open controls report POLLERR (as when a USB card is
# unplugged); remove the file and the device opens again.
#
# root is needed only to apt-get install and to create the empty /dev/snd that
# 'alsactl monitor' insists on; everything else runs as any user.
set -euo pipefail

RIG="${ALSA_RIG_DIR:-${TMPDIR:-/tmp}/alsa-rig}"
WANT_PULSE="${ALSA_RIG_PULSE:-0}"
CMD="${1:-start}"

log() { echo "alsa-rig: $*" >&2; }
die() { log "error: $*"; exit 1; }

alsa_conf() {
  local f
  for f in /usr/share/alsa/alsa.conf /usr/local/share/alsa/alsa.conf /etc/alsa/alsa.conf; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

write_env() {
  local conf
  conf="$(alsa_conf)" || die "alsa.conf not found (is libasound2 installed?)"
  {
    echo "export ALSA_RIG_DIR='$RIG'"
    echo "export ALSA_CONFIG_PATH='$conf:$RIG/asoundrc'"
    if [ "$WANT_PULSE" = 1 ]; then
      echo "export PULSE_SERVER='unix:$RIG/pulse/run/native'"
      # any 256-byte cookie (the server takes anonymous clients); stops libpulse
      # complaining when HOME has none
      echo "export PULSE_COOKIE='$RIG/pulse/cookie'"
    fi
  } > "$RIG/env.sh.tmp"
  mv "$RIG/env.sh.tmp" "$RIG/env.sh"
}

pulse_pid() {
  local pid
  [ -f "$RIG/pulse/pid" ] || return 1
  pid="$(cat "$RIG/pulse/pid")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pulseaudio ] || return 1
  echo "$pid"
}

stop_pulse() {
  local pid
  if pid="$(pulse_pid)"; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "pulseaudio $pid stopped"
  fi
  rm -f "$RIG/pulse/pid"
}

case "$CMD" in
  stop) stop_pulse; exit 0 ;;
  env) [ -f "$RIG/env.sh" ] || die "not started"; cat "$RIG/env.sh"; exit 0 ;;
  reset)
    # rewrite (not delete) so that open controls see the change as events
    mkdir -p "$RIG/state/amp.tmp" "$RIG/state/amp2.tmp"
    printf '0 200\n1 200 200\n' > "$RIG/state/amp.tmp/reset" && mv "$RIG/state/amp.tmp/reset" "$RIG/state/amp"
    printf '0 207 207\n1 1 1\n2 1 1\n3 0 0\n' > "$RIG/state/amp2.tmp/reset" && mv "$RIG/state/amp2.tmp/reset" "$RIG/state/amp2"
    log "simulated mixers reset"; exit 0 ;;
  status)
    if pid="$(pulse_pid)"; then log "pulseaudio running, pid $pid"; else log "pulseaudio not running"; fi
    if [ -f "$RIG/lib/libasound_module_ctl_simmixer.so" ]; then log "simmixer plugin built"; else log "simmixer plugin not built"; fi
    exit 0 ;;
  start) ;;
  *) die "unknown command $CMD (start|stop|status|reset|env)" ;;
esac

t_start=$(date +%s%N)

# ---------------------------------------------------------------- 1. packages
pkgs=(alsa-utils libasound2-dev gcc libc6-dev)
[ "$WANT_PULSE" = 1 ] && pkgs+=(libasound2-plugins pulseaudio pulseaudio-utils)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    die "missing packages: ${missing[*]} (install them as root: apt-get install -y --no-install-recommends ${missing[*]})"; fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >"${TMPDIR:-/tmp}/alsa-rig-apt.log" 2>&1; then
    "${SUDO[@]}" apt-get update >>"${TMPDIR:-/tmp}/alsa-rig-apt.log" 2>&1
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >>"${TMPDIR:-/tmp}/alsa-rig-apt.log" 2>&1 \
      || die "apt-get install failed, see ${TMPDIR:-/tmp}/alsa-rig-apt.log"
  fi
fi

mkdir -p "$RIG/src" "$RIG/lib" "$RIG/state" "$RIG/pulse/run" "$RIG/pulse/home"
chmod 700 "$RIG/pulse/run"
[ -s "$RIG/pulse/cookie" ] || head -c 256 /dev/urandom > "$RIG/pulse/cookie"

# ------------------------------------------------- 2. the simulated-mixer plugin
cat > "$RIG/src/simmixer.c.new" <<'EOF_SIMMIXER_C'
/*
 * simmixer: an ALSA external control (ctl) plugin that simulates the mixer
 * of a HifiBerry amplifier, for tests on machines without a sound card.
 *
 * State lives in a small text file shared by every process that opens the
 * control, so a change made by one process (amixer sset ...) is seen by the
 * others.  The poll descriptor is an epoll set of an inotify watch on the
 * file's folder and an eventfd that stays readable while events are queued
 * (level-triggered, like a kernel control device), so snd_mixer / snd_hctl /
 * snd_ctl event loops (amixer events, alsactl monitor, a daemon) get VALUE
 * events exactly as with a kernel card.
 *
 * asoundrc:
 *   ctl_type.simmixer { lib "/abs/path/libasound_module_ctl_simmixer.so" }
 *   ctl.amp { type simmixer state "/abs/path/state" profile "tas5713" }
 *
 * profiles:
 *   tas5713  HifiBerry AMP / AMP+ : 'Master' (mono, 0..248, -100 dB + 0.5 dB
 *            steps, min = mute, NO switch) and 'Channels' (stereo, same scale)
 *   pcm512x  HifiBerry AMP2 / AMP4 / AMP100 / DAC+ : 'Digital Playback Volume'
 *            (stereo, 0..207, -103.5 dB + 0.5 dB steps, min = mute, 207 = 0 dB),
 *            'Digital Playback Switch' (stereo), 'Analogue Playback Volume',
 *            'Analogue Playback Boost Volume'
 */
#include <alsa/asoundlib.h>
#include <alsa/control_external.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXCH 2
#define MAXEL 8

struct elem_def {
	const char *name;
	int type; /* SND_CTL_ELEM_TYPE_INTEGER / BOOLEAN */
	int count;
	long min, max, def;
	int db_min, db_step, db_mute; /* 0.01 dB units; db_step 0 = no TLV */
};

static const struct elem_def tas5713_elems[] = {
	{ "Master", SND_CTL_ELEM_TYPE_INTEGER, 1, 0, 248, 200, -10000, 50, 1 },
	{ "Channels", SND_CTL_ELEM_TYPE_INTEGER, 2, 0, 248, 200, -10000, 50, 1 },
};

static const struct elem_def pcm512x_elems[] = {
	{ "Digital Playback Volume", SND_CTL_ELEM_TYPE_INTEGER, 2, 0, 207, 207, -10350, 50, 1 },
	{ "Digital Playback Switch", SND_CTL_ELEM_TYPE_BOOLEAN, 2, 0, 1, 1, 0, 0, 0 },
	{ "Analogue Playback Volume", SND_CTL_ELEM_TYPE_INTEGER, 2, 0, 1, 1, -600, 600, 0 },
	{ "Analogue Playback Boost Volume", SND_CTL_ELEM_TYPE_INTEGER, 2, 0, 1, 0, 0, 80, 0 },
};

struct sim {
	snd_ctl_ext_t ext;
	const struct elem_def *defs;
	int nel;
	char state[PATH_MAX];
	char base[NAME_MAX + 1];
	int ifd;  /* inotify */
	int efd;  /* eventfd: readable while events are pending */
	int epfd; /* epoll set of both: the poll descriptor handed to alsa-lib */
	int signalled;
	int subscribed;
	long cache[MAXEL][MAXCH];
	unsigned int pending; /* bit mask of elements with a queued VALUE event */
};

/* state file: one line per element, "<idx> <v0> [<v1>]" */
static void load_file(struct sim *s, long out[MAXEL][MAXCH])
{
	int i, c;
	for (i = 0; i < s->nel; i++)
		for (c = 0; c < MAXCH; c++)
			out[i][c] = s->defs[i].def;
	FILE *f = fopen(s->state, "r");
	if (!f)
		return;
	int idx;
	long v0, v1;
	char line[128];
	while (fgets(line, sizeof(line), f)) {
		int n = sscanf(line, "%d %ld %ld", &idx, &v0, &v1);
		if (n < 2 || idx < 0 || idx >= s->nel)
			continue;
		out[idx][0] = v0;
		out[idx][1] = n == 3 ? v1 : v0;
	}
	fclose(f);
}

static int save_file(struct sim *s, long vals[MAXEL][MAXCH])
{
	/* the temporary file lives in a sub-folder so that writing it does not
	 * wake the inotify watchers of the state file's folder */
	char tmp[PATH_MAX + 64];
	snprintf(tmp, sizeof(tmp), "%s.tmp", s->state);
	mkdir(tmp, 0755);
	snprintf(tmp, sizeof(tmp), "%s.tmp/%d", s->state, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -errno;
	for (int i = 0; i < s->nel; i++) {
		if (s->defs[i].count == 2)
			fprintf(f, "%d %ld %ld\n", i, vals[i][0], vals[i][1]);
		else
			fprintf(f, "%d %ld\n", i, vals[i][0]);
	}
	if (fclose(f) != 0 || rename(tmp, s->state) != 0) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

/* the "card gone" knob: while <state>.gone exists the device behaves as unplugged */
static int gone(const struct sim *s)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s.gone", s->state);
	return access(path, F_OK) == 0;
}

/* keep the eventfd readable exactly while events are pending */
static void sync_signal(struct sim *s)
{
	uint64_t one = 1;
	if (s->pending && !s->signalled) {
		if (write(s->efd, &one, sizeof(one)) == sizeof(one))
			s->signalled = 1;
	} else if (!s->pending && s->signalled) {
		if (read(s->efd, &one, sizeof(one)) == sizeof(one))
			s->signalled = 0;
	}
}

/* drain inotify, re-read the file, queue events for elements that changed */
static void refresh(struct sim *s)
{
	char buf[4096];
	int hit = 0;
	ssize_t n;
	while ((n = read(s->ifd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->len && strcmp(ev->name, s->base) == 0)
				hit = 1;
			p += sizeof(*ev) + ev->len;
		}
	}
	if (!hit) {
		sync_signal(s);
		return;
	}
	long now[MAXEL][MAXCH];
	load_file(s, now);
	for (int i = 0; i < s->nel; i++) {
		if (memcmp(now[i], s->cache[i], sizeof(now[i])) != 0) {
			memcpy(s->cache[i], now[i], sizeof(now[i]));
			if (s->subscribed)
				s->pending |= 1u << i;
			if (getenv("SIMMIXER_DEBUG"))
				fprintf(stderr, "[simmixer %d] file change elem %d\n", (int)getpid(), i);
		}
	}
	sync_signal(s);
}

static void sim_close(snd_ctl_ext_t *ext)
{
	struct sim *s = ext->private_data;
	if (s->ifd >= 0)
		close(s->ifd);
	if (s->efd >= 0)
		close(s->efd);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
}

static int sim_elem_count(snd_ctl_ext_t *ext)
{
	return ((struct sim *)ext->private_data)->nel;
}

static int sim_elem_list(snd_ctl_ext_t *ext, unsigned int offset, snd_ctl_elem_id_t *id)
{
	struct sim *s = ext->private_data;
	if (offset >= (unsigned int)s->nel)
		return -EINVAL;
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_name(id, s->defs[offset].name);
	return 0;
}

static snd_ctl_ext_key_t sim_find_elem(snd_ctl_ext_t *ext, const snd_ctl_elem_id_t *id)
{
	struct sim *s = ext->private_data;
	unsigned int numid = snd_ctl_elem_id_get_numid(id);
	if (numid > 0 && numid <= (unsigned int)s->nel)
		return numid - 1;
	const char *name = snd_ctl_elem_id_get_name(id);
	for (int i = 0; i < s->nel; i++)
		if (strcmp(name, s->defs[i].name) == 0)
			return i;
	return SND_CTL_EXT_KEY_NOT_FOUND;
}

static int sim_get_attribute(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int *type,
			     unsigned int *acc, unsigned int *count)
{
	struct sim *s = ext->private_data;
	const struct elem_def *d = &s->defs[key];
	*type = d->type;
	*acc = SND_CTL_EXT_ACCESS_READWRITE;
	if (d->db_step)
		*acc |= SND_CTL_EXT_ACCESS_TLV_READ | SND_CTL_EXT_ACCESS_TLV_CALLBACK;
	*count = d->count;
	return 0;
}

static int sim_get_integer_info(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *imin,
				long *imax, long *istep)
{
	struct sim *s = ext->private_data;
	*imin = s->defs[key].min;
	*imax = s->defs[key].max;
	*istep = 0;
	return 0;
}

static int sim_read_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct sim *s = ext->private_data;
	long now[MAXEL][MAXCH];
	if (gone(s))
		return -ENODEV;
	load_file(s, now);
	for (int c = 0; c < s->defs[key].count; c++)
		value[c] = now[key][c];
	return 0;
}

static int sim_write_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct sim *s = ext->private_data;
	const struct elem_def *d = &s->defs[key];
	long now[MAXEL][MAXCH];
	int changed = 0, err;
	char lock[PATH_MAX + 8];
	if (gone(s))
		return -ENODEV;
	snprintf(lock, sizeof(lock), "%s.lock", s->state);
	/* read-only, so that closing it raises no IN_CLOSE_WRITE */
	int lfd = open(lock, O_CREAT | O_RDONLY | O_CLOEXEC, 0644);
	if (lfd >= 0)
		flock(lfd, LOCK_EX);
	load_file(s, now);
	for (int c = 0; c < d->count; c++) {
		long v = value[c];
		if (v < d->min || v > d->max) {
			err = -EINVAL;
			goto out;
		}
		if (now[key][c] != v) {
			now[key][c] = v;
			changed = 1;
		}
	}
	if (d->count == 1)
		now[key][1] = now[key][0];
	err = changed ? save_file(s, now) : 0;
	if (getenv("SIMMIXER_DEBUG"))
		fprintf(stderr, "[simmixer %d] write elem %d changed %d\n", (int)getpid(), (int)key, changed);
	if (err == 0 && changed) {
		memcpy(s->cache[key], now[key], sizeof(now[key]));
		if (s->subscribed) /* the kernel notifies the writer too */
			s->pending |= 1u << key;
		sync_signal(s);
	}
out:
	if (lfd >= 0)
		close(lfd);
	return err < 0 ? err : changed;
}

static int sim_tlv(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int op_flag,
		   unsigned int numid, unsigned int *tlv, unsigned int tlv_size)
{
	struct sim *s = ext->private_data;
	const struct elem_def *d = &s->defs[key];
	(void)numid;
	if (op_flag != 0 || !d->db_step)
		return -ENXIO;
	if (tlv_size < 4 * sizeof(unsigned int))
		return -ENOMEM;
	tlv[0] = SND_CTL_TLVT_DB_SCALE;
	tlv[1] = 2 * sizeof(unsigned int);
	tlv[2] = (unsigned int)d->db_min;
	tlv[3] = (d->db_step & 0xffff) | (d->db_mute ? 0x10000 : 0);
	return 0;
}

static void sim_subscribe_events(snd_ctl_ext_t *ext, int subscribe)
{
	struct sim *s = ext->private_data;
	s->subscribed = !!subscribe;
	if (!subscribe)
		s->pending = 0;
	sync_signal(s);
}

static int sim_read_event(snd_ctl_ext_t *ext, snd_ctl_elem_id_t *id, unsigned int *event_mask)
{
	struct sim *s = ext->private_data;
	if (!s->pending)
		refresh(s);
	for (int i = 0; i < s->nel; i++) {
		if (s->pending & (1u << i)) {
			s->pending &= ~(1u << i);
			snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
			snd_ctl_elem_id_set_numid(id, i + 1);
			snd_ctl_elem_id_set_name(id, s->defs[i].name);
			*event_mask = SND_CTL_EVENT_MASK_VALUE;
			if (getenv("SIMMIXER_DEBUG"))
				fprintf(stderr, "[simmixer %d] event elem %d\n", (int)getpid(), i);
			sync_signal(s);
			return 1;
		}
	}
	return -EAGAIN;
}

static int sim_poll_revents(snd_ctl_ext_t *ext, struct pollfd *pfd, unsigned int nfds,
			    unsigned short *revents)
{
	struct sim *s = ext->private_data;
	(void)pfd;
	(void)nfds;
	refresh(s);
	*revents = gone(s) ? POLLERR | POLLHUP : s->pending ? POLLIN : 0;
	return 0;
}

static const snd_ctl_ext_callback_t sim_callback = {
	.close = sim_close,
	.elem_count = sim_elem_count,
	.elem_list = sim_elem_list,
	.find_elem = sim_find_elem,
	.get_attribute = sim_get_attribute,
	.get_integer_info = sim_get_integer_info,
	.read_integer = sim_read_integer,
	.write_integer = sim_write_integer,
	.subscribe_events = sim_subscribe_events,
	.read_event = sim_read_event,
	.poll_revents = sim_poll_revents,
};

SND_CTL_PLUGIN_DEFINE_FUNC(simmixer)
{
	snd_config_iterator_t i, next;
	const char *state = NULL, *profile = "tas5713";
	struct sim *s;
	int err;

	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id;
		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") || !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "state")) {
			if (snd_config_get_string(n, &state) < 0)
				return -EINVAL;
			continue;
		}
		if (!strcmp(id, "profile")) {
			if (snd_config_get_string(n, &profile) < 0)
				return -EINVAL;
			continue;
		}
		SNDERR("simmixer: unknown field %s", id);
		return -EINVAL;
	}
	if (!state || state[0] != '/') {
		SNDERR("simmixer: 'state' must be an absolute file path");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ifd = s->efd = s->epfd = -1;
	if (!strcmp(profile, "tas5713")) {
		s->defs = tas5713_elems;
		s->nel = sizeof(tas5713_elems) / sizeof(tas5713_elems[0]);
	} else if (!strcmp(profile, "pcm512x")) {
		s->defs = pcm512x_elems;
		s->nel = sizeof(pcm512x_elems) / sizeof(pcm512x_elems[0]);
	} else {
		SNDERR("simmixer: unknown profile %s", profile);
		free(s);
		return -EINVAL;
	}
	snprintf(s->state, sizeof(s->state), "%s", state);
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", state);
	char *slash = strrchr(dir, '/');
	snprintf(s->base, sizeof(s->base), "%s", slash + 1);
	if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	s->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->ifd < 0 || inotify_add_watch(s->ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		err = -errno;
		SNDERR("simmixer: cannot watch %s", dir);
		goto fail;
	}
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	ev.data.fd = s->ifd;
	if (s->efd < 0 || s->epfd < 0 || epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->ifd, &ev) < 0) {
		err = -errno;
		goto fail;
	}
	ev.data.fd = s->efd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->efd, &ev) < 0) {
		err = -errno;
		goto fail;
	}
	if (gone(s)) {
		err = -ENODEV;
		goto fail;
	}
	load_file(s, s->cache);

	s->ext.version = SND_CTL_EXT_VERSION;
	s->ext.card_idx = 0;
	snprintf(s->ext.id, sizeof(s->ext.id), "sndrpihifiberry");
	snprintf(s->ext.driver, sizeof(s->ext.driver), "simmixer");
	snprintf(s->ext.name, sizeof(s->ext.name), "simmixer %s", profile);
	snprintf(s->ext.longname, sizeof(s->ext.longname), "Simulated HifiBerry mixer (%s)", profile);
	snprintf(s->ext.mixername, sizeof(s->ext.mixername), "simmixer %s", profile);
	s->ext.poll_fd = s->epfd;
	s->ext.callback = &sim_callback;
	s->ext.private_data = s;
	s->ext.tlv.c = sim_tlv;

	err = snd_ctl_ext_create(&s->ext, name, mode);
	if (err < 0)
		goto fail;
	*handlep = s->ext.handle;
	return 0;
fail:
	if (s->ifd >= 0)
		close(s->ifd);
	if (s->efd >= 0)
		close(s->efd);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
	return err;
}

SND_CTL_PLUGIN_SYMBOL(simmixer)
EOF_SIMMIXER_C
if ! cmp -s "$RIG/src/simmixer.c.new" "$RIG/src/simmixer.c" || [ ! -f "$RIG/lib/libasound_module_ctl_simmixer.so" ]; then
  mv "$RIG/src/simmixer.c.new" "$RIG/src/simmixer.c"
  gcc -O2 -Wall -DPIC -fPIC -shared -o "$RIG/lib/libasound_module_ctl_simmixer.so.tmp" "$RIG/src/simmixer.c" -lasound \
    || die "building the simmixer plugin failed"
  mv "$RIG/lib/libasound_module_ctl_simmixer.so.tmp" "$RIG/lib/libasound_module_ctl_simmixer.so"
  log "simmixer plugin built"
else
  rm -f "$RIG/src/simmixer.c.new"
fi

# ---------------------------------------------------------- 3. ALSA config
cat > "$RIG/asoundrc.tmp" <<EOF_ASOUNDRC
# written by alsa-rig.sh; load it with
#   ALSA_CONFIG_PATH=<system alsa.conf>:$RIG/asoundrc
ctl_type.simmixer { lib "$RIG/lib/libasound_module_ctl_simmixer.so" }
ctl.amp  { type simmixer state "$RIG/state/amp"  profile "tas5713" }
ctl.amp2 { type simmixer state "$RIG/state/amp2" profile "pcm512x" }
EOF_ASOUNDRC
mv "$RIG/asoundrc.tmp" "$RIG/asoundrc"
write_env
# shellcheck disable=SC1091
source "$RIG/env.sh"

# alsactl monitor (alsa-utils >= 1.2.6) quits at once when /dev/snd is missing;
# amixer does not care.  Only root can create it.
if [ ! -d /dev/snd ]; then
  if [ "$(id -u)" = 0 ]; then mkdir -p /dev/snd && log "created empty /dev/snd (for alsactl monitor)";
  else log "note: /dev/snd is missing and we are not root: 'alsactl monitor' will not run, use 'stdbuf -oL amixer -D DEV events'"; fi
fi

# ---------------------------------------------------------- 4. pulseaudio
if [ "$WANT_PULSE" = 1 ]; then
  if ! pulse_pid >/dev/null || ! pactl info >/dev/null 2>&1; then
    stop_pulse
    rm -f "$RIG/pulse/run/native"
    # -n: no default.pa (it would probe for hardware); anonymous auth, no shm,
    # never exit when idle; its own HOME/XDG_RUNTIME_DIR so nothing else is touched
    HOME="$RIG/pulse/home" XDG_RUNTIME_DIR="$RIG/pulse/run" nohup setsid pulseaudio -n \
      --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no --disable-shm=yes \
      --log-target=stderr --log-level=error \
      --load="module-native-protocol-unix auth-anonymous=1 socket=$RIG/pulse/run/native" \
      --load="module-null-sink sink_name=rig sink_properties=device.description=alsa-rig" \
      </dev/null >"$RIG/pulse/log" 2>&1 &
    echo $! > "$RIG/pulse/pid"
    for _ in $(seq 1 200); do pactl info >/dev/null 2>&1 && break; sleep 0.05; done
    pactl info >/dev/null 2>&1 || die "pulseaudio did not come up, see $RIG/pulse/log"
    log "pulseaudio started, pid $(cat "$RIG/pulse/pid")"
  fi
fi

# ---------------------------------------------------------- 5. self-test
amixer -D amp cget name=Master >/dev/null || die "amixer -D amp failed"
amixer -D amp2 cget name='Digital Playback Volume' >/dev/null || die "amixer -D amp2 failed"
if [ "$WANT_PULSE" = 1 ]; then amixer -D pulse cget name='Master Playback Volume' >/dev/null || die "amixer -D pulse failed"; fi

log "up in $(( ($(date +%s%N) - t_start) / 1000000 )) ms; devices: amp amp2$([ "$WANT_PULSE" = 1 ] && echo ' pulse')"
cat "$RIG/env.sh"
echo ready
