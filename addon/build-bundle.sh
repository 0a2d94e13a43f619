#!/bin/sh
# The add-on image's build stage: the tagged source → npm ci (exactly the lockfile) → npm run bundle
# → OUT_DIR/librespot2mqtt.mjs, checked to be the expected version, and beside it the dashboard card
# and alsa_mixer.node, the native ALSA mixer that npm run build compiles where alsa-lib's and Node's
# headers are.
# usage: build-bundle.sh SOURCE_TARBALL_URL OUT_DIR [EXPECTED_VERSION]
# On Alpine (the image) nodejs and npm come from apk; elsewhere (the tests) they must be installed.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: build-bundle.sh SOURCE_TARBALL_URL OUT_DIR [EXPECTED_VERSION]" >&2
	exit 2
fi
source_url=$1
out=$2
expected=${3:-}

if command -v apk >/dev/null 2>&1; then
	apk add --no-cache nodejs npm nodejs-dev alsa-lib-dev gcc musl-dev
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsSL "$source_url" -o "$work/source.tar.gz"
mkdir "$work/src"
tar -xzf "$work/source.tar.gz" -C "$work/src"
# a GitHub archive holds one folder, <repo>-<tag>/
cd "$work/src"/*/

version=$(node -p 'require("./package.json").version')
if [ -n "$expected" ] && [ "$version" != "$expected" ]; then
	echo "build-bundle: the source is version $version, the add-on is $expected" >&2
	exit 1
fi
# no install scripts: the bundle needs none (esbuild finds its binary package without them)
npm ci --ignore-scripts --no-audit --no-fund
npm run bundle
built=$(node dist/librespot2mqtt.mjs --version)
if [ "$built" != "$version" ]; then
	echo "build-bundle: the bundle says $built, package.json $version" >&2
	exit 1
fi
mkdir -p "$out"
cp dist/librespot2mqtt.mjs "$out/librespot2mqtt.mjs"
# the dashboard card, as the repository ships it: the add-on puts it into Home Assistant's www/
cp card/librespot2mqtt-card.js "$out/librespot2mqtt-card.js"
echo "build-bundle: $out/librespot2mqtt.mjs and librespot2mqtt-card.js ($version)"
if [ -f dist/alsa_mixer.node ]; then
	cp dist/alsa_mixer.node "$out/alsa_mixer.node"
	echo "build-bundle: $out/alsa_mixer.node (the native ALSA mixer)"
fi
