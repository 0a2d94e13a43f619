// The Alpine packaging for real, as far as this machine goes: shellcheck and BusyBox sh on every
// shell script; the release tarball (npm run release) into the APKBUILD's package() under BusyBox
// sh, and the installed launcher run from the $pkgdir; install.sh (the path without abuild) laying
// out the same files, keeping an edited configuration, and uninstalling.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ALPINE_DIR, buildPackage, busybox, repoFile, run, version, type Package } from './helpers/alpine.js';

/** Every shell script of the repository; bash ones by their shebang. */
async function shellScripts(): Promise<{ path: string; bash: boolean }[]> {
  const paths = [...(await readdir(ALPINE_DIR)).map((f) => `config/alpine/${f}`), '.ci/run', ...(await readdir(repoFile('test/rig'))).filter((f) => f.endsWith('.sh')).map((f) => `test/rig/${f}`)];
  return Promise.all(paths.map(async (path) => ({ path, bash: /^#!.*\bbash\b/.test(await readFile(repoFile(path), 'utf8')) })));
}

describe('shell scripts', () => {
  it('every one passes shellcheck (as sh unless it says bash) and parses under busybox sh', async (t: TestContext) => {
    const scripts = await shellScripts();
    t.diagnostic(scripts.map((s) => s.path).join(', '));
    for (const { path, bash } of scripts) {
      const sc = await run('shellcheck', [...(bash ? [] : ['-s', 'sh']), repoFile(path)]);
      assert.equal(sc.code, 0, `shellcheck ${path} (apt-get install shellcheck):\n${sc.stdout}${sc.stderr}`);
      if (bash) continue;
      const parse = await run('busybox', ['sh', '-n', repoFile(path)]);
      assert.equal(parse.code, 0, `busybox sh -n ${path} (apt-get install busybox): ${parse.stderr}`);
    }
  });

  it('the APKBUILD depends on nodejs and alsa-utils only (alsa-lib-dev and nodejs-dev only to build), and names the user and group the service runs as', async () => {
    const r = await busybox('. ./APKBUILD; echo "$depends|$makedepends|$pkgusers|$pkggroups|$arch"', {}, ALPINE_DIR);
    assert.equal(r.stdout.trim(), 'nodejs alsa-utils|alsa-lib-dev nodejs-dev|librespot2mqtt go-librespot|audio|all', r.stderr);
    const initd = await readFile(join(ALPINE_DIR, 'librespot2mqtt.initd'), 'utf8');
    assert.match(initd, /command_user:=librespot2mqtt:audio\}/);
  });
});

/** path → type and mode (and a symlink's target), relative to `root` */
async function tree(root: string, dir = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(join(root, dir))) {
    const rel = dir ? `${dir}/${name}` : name;
    const st = await lstat(join(root, rel));
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[rel] = `-> ${await readlink(join(root, rel))}`;
    else if (st.isDirectory()) {
      out[`${rel}/`] = mode;
      Object.assign(out, await tree(root, rel));
    } else out[rel] = mode;
  }
  return out;
}

const DIRS = ['etc/', 'etc/conf.d/', 'etc/init.d/', 'etc/librespot2mqtt/', 'usr/', 'usr/bin/', 'usr/lib/', 'usr/lib/librespot2mqtt/', 'usr/share/', 'usr/share/doc/', 'usr/share/doc/librespot2mqtt/', 'var/', 'var/lib/'];
const PACKAGE_TREE: Record<string, string> = {
  ...Object.fromEntries(DIRS.map((d) => [d, '755'])),
  'usr/lib/librespot2mqtt/librespot2mqtt.mjs': '755',
  'usr/bin/librespot2mqtt': '-> ../lib/librespot2mqtt/librespot2mqtt.mjs',
  'etc/librespot2mqtt/librespot2mqtt.yaml': '640',
  'etc/init.d/librespot2mqtt': '755',
  'etc/conf.d/librespot2mqtt': '644',
  'etc/init.d/go-librespot': '755',
  'etc/conf.d/go-librespot': '644',
  'usr/share/doc/librespot2mqtt/README.md': '644',
  'usr/share/doc/librespot2mqtt/librespot2mqtt.example.yaml': '644',
  'usr/share/doc/librespot2mqtt/librespot2mqtt.schema.json': '644',
  'usr/share/doc/librespot2mqtt/go-librespot.example.yml': '644',
  'var/lib/librespot2mqtt/': '750',
};

/** The package also holds the native mixer, compiled by build() (install.sh too, where a compiler is). */
const APK_TREE: Record<string, string> = { ...PACKAGE_TREE, 'usr/lib/librespot2mqtt/alsa_mixer.node': '755' };

describe('the APKBUILD', () => {
  let pkg: Package;
  before(async () => (pkg = await buildPackage()));
  after(() => rm(pkg.dir, { recursive: true, force: true }));

  it("build() + package() under busybox sh install the bundle, the native mixer, the launcher, the configuration and both services", async (t) => {
    assert.deepEqual(await tree(pkg.pkgdir), APK_TREE);
    // the addon loads (Node-API, alsa-lib) where the bundle looks for it
    const addon = join(pkg.pkgdir, 'usr/lib/librespot2mqtt/alsa_mixer.node');
    const load = await run(process.execPath, ['-e', `console.log(typeof require(${JSON.stringify(addon)}).Ctl)`]);
    assert.equal(load.stdout.trim(), 'function', load.stderr);
    const du = await run('du', ['-sk', pkg.pkgdir]);
    const tgz = await lstat(pkg.tarball);
    t.diagnostic(`installed footprint ${du.stdout.split('\t')[0]} KiB (plus nodejs and alsa-utils); release tarball ${(tgz.size / 1024).toFixed(0)} KiB`);
  });

  it('the installed launcher runs from the $pkgdir: --version, and check-config on the installed configuration', async () => {
    const launcher = join(pkg.pkgdir, 'usr/bin/librespot2mqtt');
    const v = await run(launcher, ['--version']);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout.trim(), await version());
    const cfg = join(pkg.pkgdir, 'etc/librespot2mqtt/librespot2mqtt.yaml');
    const check = await run(launcher, ['check-config', '--config', cfg]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /configuration OK/);
  });

  it('install.sh (no abuild) lays out the same files, keeps an edited configuration on update, and uninstalls', async () => {
    const root = await mkdtemp(join(tmpdir(), 'l2m-root-'));
    try {
      const install = (...args: string[]) => busybox(`sh ./install.sh ${args.join(' ')}`, { ROOT: root }, pkg.builddir);
      const first = await install();
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(await tree(root), APK_TREE);

      const cfg = join(root, 'etc/librespot2mqtt/librespot2mqtt.yaml');
      await appendFile(cfg, 'device: {id: kitchen}\n');
      const update = await install();
      assert.equal(update.code, 0, update.stderr);
      assert.match(update.stdout, /kept \/etc\/librespot2mqtt\/librespot2mqtt\.yaml: the new version is \/etc\/librespot2mqtt\/librespot2mqtt\.yaml\.new/);
      assert.match(await readFile(cfg, 'utf8'), /device: \{id: kitchen\}/);
      assert.deepEqual(await readFile(`${cfg}.new`), await readFile(join(pkg.pkgdir, 'etc/librespot2mqtt/librespot2mqtt.yaml')));

      const gone = await install('--uninstall');
      assert.equal(gone.code, 0, gone.stderr);
      const left = Object.keys(await tree(root)).filter((p) => !p.endsWith('/'));
      assert.deepEqual(left.sort(), ['etc/conf.d/go-librespot', 'etc/conf.d/librespot2mqtt', 'etc/librespot2mqtt/librespot2mqtt.yaml', 'etc/librespot2mqtt/librespot2mqtt.yaml.new']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('install.sh without a compiler installs all but the native mixer, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'l2m-nocc-'));
    try {
      // a fresh release folder: the one above holds the alsa_mixer.node that build() made
      const untar = await run('tar', ['-xzf', pkg.tarball, '-C', dir]);
      assert.equal(untar.code, 0, untar.stderr);
      const release = join(dir, basename(pkg.builddir));
      const root = await mkdtemp(join(dir, 'root-'));
      const r = await busybox('sh ./install.sh', { ROOT: root, CC: join(dir, 'no-compiler-here') }, release);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /the native ALSA mixer is not built \(no compiler or headers\): mixer\.backend alsa will use alsa-utils/);
      assert.deepEqual(await tree(root), PACKAGE_TREE);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's Alpine section", () => {
  let pkg: Package;
  before(async () => (pkg = await buildPackage()));
  after(() => rm(pkg.dir, { recursive: true, force: true }));

  it('every command parses under busybox sh; the ones that edit files do what the text says', async () => {
    const readme = await readFile(repoFile('README.md'), 'utf8');
    const section = /^## Install on Alpine \(Raspberry Pi\)\n([\s\S]*?)^## /m.exec(readme)?.[1];
    assert.ok(section, 'README has "## Install on Alpine (Raspberry Pi)"');
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 5, `${blocks.length} sh blocks`);
    for (const block of blocks) {
      const r = await run('busybox', ['sh', '-nc', block]);
      assert.equal(r.code, 0, `busybox sh -n:\n${block}\n${r.stderr}`);
    }
    // the package installed under a folder, then the README's install and sed lines on it (users and
    // services need the Pi: those lines are only parsed above)
    const root = await mkdtemp(join(tmpdir(), 'l2m-readme-'));
    try {
      const install = await busybox('sh ./install.sh', { ROOT: root }, pkg.builddir);
      assert.equal(install.code, 0, install.stderr);
      const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => /^(install|sed -i) /.test(l));
      assert.equal(lines.length, 4, lines.join('\n'));
      for (const line of lines) {
        const here = line.replace(/ -o go-librespot -g audio/, '').replace(/ \/(var|etc)\//g, ` ${root}/$1/`);
        const r = await busybox(here, {}, pkg.builddir);
        assert.equal(r.code, 0, `${here}\n${r.stderr}`);
      }
      const go = await readFile(join(root, 'var/lib/go-librespot/config.yml'), 'utf8');
      assert.match(go, /^device_name: Living Room$/m);
      assert.match(go, /^audio_device: hw:sndrpihifiberry$/m);
      assert.match(go, /^ {2}address: 127\.0\.0\.1 /m);
      assert.match(go, /^ {2}port: 3678 /m);
      assert.match(go, /^external_volume: true$/m);
      assert.doesNotMatch(go, /^mixer_device:/m, 'the bridge is the only ALSA writer');
      const cfg = join(root, 'etc/librespot2mqtt/librespot2mqtt.yaml');
      assert.match(await readFile(cfg, 'utf8'), /^ {2}url: mqtt:\/\/homeassistant\.local:1883 /m);
      assert.match(await readFile(cfg, 'utf8'), /^ {2}device: hw:sndrpihifiberry /m);
      const check = await run(join(root, 'usr/bin/librespot2mqtt'), ['check-config', '--config', cfg]);
      assert.equal(check.code, 0, check.stderr);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
