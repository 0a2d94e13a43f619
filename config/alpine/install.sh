#!/bin/sh
# Installs librespot2mqtt from this release folder (npm run release) without building an .apk: the
# same files as the Alpine package (alpine/APKBUILD's package() lays them out), the same user.
#   ./install.sh              install or update, as root (an edited /etc file is kept; the new one
#                             is written beside it as *.new)
#   ./install.sh --uninstall  remove the program and its services; configuration and state stay
# ROOT=/some/dir installs under that folder instead of / (no user, no apk; for images and tests).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=${ROOT:-}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# package() from the APKBUILD, with the variables abuild would give it
# shellcheck disable=SC2034
(
	srcdir="$here/alpine"
	pkgdir="$stage"
	# shellcheck source=/dev/null
	. "$here/alpine/APKBUILD"
	builddir="$here"
	cd "$builddir"
	# the native ALSA mixer, where it can be compiled (apk add gcc musl-dev alsa-lib-dev nodejs-dev);
	# without it the bridge uses amixer and alsactl
	if [ ! -f alsa_mixer.node ] && ! build 2>/dev/null; then
		echo "install.sh: the native ALSA mixer is not built (no compiler or headers): mixer.backend alsa will use alsa-utils" >&2
	fi
	package
)

# kept on uninstall and never overwritten: what the owner configures, and the state
kept() {
	case $1 in
	./etc/librespot2mqtt/* | ./etc/conf.d/* | ./var/lib/*) return 0 ;;
	*) return 1 ;;
	esac
}

if [ "${1:-}" = --uninstall ]; then
	if [ -z "$root" ]; then
		for svc in librespot2mqtt go-librespot; do
			rc-service -q "$svc" stop 2>/dev/null || true
			rc-update -q del "$svc" 2>/dev/null || true
		done
	fi
	(cd "$stage" && find . ! -type d) | while read -r f; do
		kept "$f" || rm -f "$root/${f#./}"
	done
	rm -rf "$root/usr/lib/librespot2mqtt" "$root/usr/share/doc/librespot2mqtt"
	echo "librespot2mqtt removed; kept: /etc/librespot2mqtt, /etc/conf.d, /var/lib/librespot2mqtt"
	exit 0
fi

if [ -z "$root" ]; then
	apk add nodejs alsa-utils
	sh "$here/alpine/librespot2mqtt.pre-install"
fi
(cd "$stage" && find . -type d) | while read -r d; do
	[ -d "$root/${d#./}" ] || mkdir -m "$(stat -c %a "$stage/$d")" "$root/${d#./}"
done
(cd "$stage" && find . ! -type d) | while read -r f; do
	to="$root/${f#./}"
	if kept "$f" && [ -e "$to" ]; then
		if ! cmp -s "$stage/$f" "$to"; then
			cp -a "$stage/$f" "$to.new"
			echo "kept ${to#"$root"}: the new version is ${to#"$root"}.new"
		fi
		continue
	fi
	rm -f "$to"
	cp -a "$stage/$f" "$to"
done
if [ -z "$root" ]; then
	sh "$here/alpine/librespot2mqtt.post-install"
fi
