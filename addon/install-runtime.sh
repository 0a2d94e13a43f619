#!/bin/sh
# The add-on image's runtime layer: Node and alsa-utils (amixer, alsactl; it brings alsa-lib) from
# Alpine, nothing else, and the bundle in /usr/lib/librespot2mqtt with the dashboard card (found
# beside BUNDLE) and the native ALSA mixer (alsa_mixer.node) beside it when the build stage made one.
# usage: install-runtime.sh BUNDLE [ROOT]   (ROOT: the image uses /, the tests a throwaway folder)
set -eu

if [ $# -lt 1 ]; then
	echo "usage: install-runtime.sh BUNDLE [ROOT]" >&2
	exit 2
fi
bundle=$1
root=${2:-}

apk add --no-cache nodejs alsa-utils

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "install-runtime: Node $major is too old: the bridge needs 20 or newer" >&2
	exit 1
fi
for tool in amixer alsactl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "install-runtime: $tool is missing after installing alsa-utils" >&2
		exit 1
	fi
done

card="$(dirname "$bundle")/librespot2mqtt-card.js"
if [ ! -f "$card" ]; then
	echo "install-runtime: the dashboard card $card is missing (build-bundle.sh puts it beside the bundle)" >&2
	exit 1
fi
mkdir -p "$root/usr/lib/librespot2mqtt"
cp "$bundle" "$root/usr/lib/librespot2mqtt/librespot2mqtt.mjs"
# beside the bundle: where the add-on looks for it
cp "$card" "$root/usr/lib/librespot2mqtt/librespot2mqtt-card.js"
chmod 0644 "$root/usr/lib/librespot2mqtt/librespot2mqtt.mjs" "$root/usr/lib/librespot2mqtt/librespot2mqtt-card.js"
addon="$(dirname "$bundle")/alsa_mixer.node"
if [ -f "$addon" ]; then
	cp "$addon" "$root/usr/lib/librespot2mqtt/alsa_mixer.node"
	chmod 0755 "$root/usr/lib/librespot2mqtt/alsa_mixer.node"
fi
echo "install-runtime: librespot2mqtt $(node "$root/usr/lib/librespot2mqtt/librespot2mqtt.mjs" --version) on Node $(node --version)"
