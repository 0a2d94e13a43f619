// The add-on as the Supervisor and the add-on linter read it: addon/config.yaml against the linter's
// own JSON Schema (plus its "no default values" rule), one version everywhere, no other config.* file
// in the repository, the Configuration tab texts, the icons, the security rating DOCS.md states, and
// the option table: every option is a bridge config key and converts back to itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { ADDON_OPTIONS, configToOptions, optionsToConfig, supervisorType, type AddonOption } from '../bridge/addon/options.js';
import { REPOSITORY_URL } from '../bridge/addon/manifest.js';
import { ConfigSchema } from '../bridge/config/schema.js';
import { leaves } from '../bridge/config/env.js';
import { VERSION } from '../bridge/version.js';

const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const text = (path: string) => readFileSync(repoFile(path), 'utf8');
const manifest = parseYaml(text('addon/config.yaml')) as Record<string, unknown>;
const SCHEMA_TEXT = text('test/fixtures/ha-addon-config.schema.json');
const linterSchema = JSON.parse(SCHEMA_TEXT) as { properties: Record<string, { default?: unknown; items?: { pattern?: string } }> };

/** The linter's checks that ajv can make (see test/fixtures/ha-addon-config.schema.SOURCE.md). */
function lint(config: Record<string, unknown>): string[] {
  const schema = structuredClone(linterSchema);
  // Python named groups (?P<name>…) do not compile in JavaScript; the same pattern without the names
  schema.properties.services!.items!.pattern = schema.properties.services!.items!.pattern!.replace(/\(\?P<\w+>/g, '(');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
  ajv.addFormat('email', /^[^@\s]+@[^@\s]+$/);
  const validate = ajv.compile(schema);
  const problems = validate(config) ? [] : validate.errors!.map((e) => `${e.instancePath || '(top)'} ${e.message}`);
  // the linter's own rule on top of the schema: a key written with its default value is an error
  for (const [key, value] of Object.entries(config))
    if ('default' in (schema.properties[key] ?? {}) && isDeepStrictEqual(schema.properties[key]!.default, value))
      problems.push(`'${key}' should be removed, it uses a default value`);
  return problems;
}

describe('addon/config.yaml and the add-on linter', () => {
  it('the schema is the linter v2.21.0 file, unchanged', () => {
    const blob = createHash('sha1').update(`blob ${Buffer.byteLength(SCHEMA_TEXT)}\0`).update(SCHEMA_TEXT).digest('hex');
    assert.equal(blob, 'eae69c9971aeff3b25d6f2a44854cba5932bfbb8');
    assert.equal(createHash('sha256').update(SCHEMA_TEXT).digest('hex'), '298b68b5809693adc6313615ef977b3df18656fa086b9580bf6a7050dbead80e');
  });

  it('validates, with no key written at its default value', () => assert.deepEqual(lint(manifest), []));

  it('the check fails where the linter would', () => {
    assert.match(lint({ ...manifest, init: true }).join('\n'), /'init' should be removed, it uses a default value/);
    assert.match(lint({ ...manifest, services: ['mqtt:demand'] }).join('\n'), /\/services\/0 must match pattern/);
    assert.match(lint({ ...manifest, startup: 'later' }).join('\n'), /\/startup must be equal to one of the allowed values/);
    const { version: _, ...noVersion } = manifest;
    assert.match(lint(noVersion).join('\n'), /must have required property 'version'/);
  });

  it('what the issue asks for: slug, arch, the MQTT service, the HA API, startup; a quoted version', () => {
    assert.equal(manifest.slug, 'librespot2mqtt');
    assert.deepEqual(manifest.arch, ['aarch64', 'amd64']);
    assert.deepEqual(manifest.services, ['mqtt:need']);
    assert.equal(manifest.homeassistant_api, true);
    assert.equal(manifest.startup, 'services');
    assert.match(text('addon/config.yaml'), /^version: "[^"]+"$/m);
    assert.equal(manifest.image, undefined, 'no prebuilt image: the Supervisor builds addon/ (DOCS.md says why)');
  });

  it('repository.yaml names the repository; the URLs agree', () => {
    const repo = parseYaml(text('repository.yaml')) as Record<string, unknown>;
    assert.equal(typeof repo.name, 'string');
    assert.equal(REPOSITORY_URL, (JSON.parse(text('package.json')) as { homepage: string }).homepage, 'written once: package.json');
    assert.equal(repo.url, REPOSITORY_URL);
    assert.equal(manifest.url, REPOSITORY_URL);
    assert.ok(text('addon/Dockerfile').includes(`ARG L2M_SOURCE=${REPOSITORY_URL}/archive/refs/tags/v\${BUILD_VERSION}.tar.gz`));
    assert.ok(text('addon/Dockerfile').includes(`org.opencontainers.image.source="${REPOSITORY_URL}"`));
    assert.ok(text('config/alpine/APKBUILD').includes(`url="${REPOSITORY_URL}"`));
    // no file names the project's repository any other way
    const own = new RegExp(`https?://github\\.com/${new URL(REPOSITORY_URL).pathname.split('/')[1]}/[^\\s"')]*`, 'g');
    const files = execFileSync('git', ['ls-files'], { cwd: repoFile(''), encoding: 'utf8' }).split('\n').filter((f) => f && !f.startsWith('test/fixtures/'));
    for (const f of files)
      for (const [url] of text(f).matchAll(own)) assert.ok(url === REPOSITORY_URL || url.startsWith(`${REPOSITORY_URL}/`), `${f}: ${url}`);
  });
});

describe('one version everywhere', () => {
  it('package.json = addon/config.yaml = the top entry of addon/CHANGELOG.md = the bridge', () => {
    const pkg = JSON.parse(text('package.json')) as { version: string };
    const changelogTop = /^## (\S+)/m.exec(text('addon/CHANGELOG.md'))?.[1];
    assert.deepEqual({ config: manifest.version, changelog: changelogTop, bridge: VERSION }, { config: pkg.version, changelog: pkg.version, bridge: pkg.version });
  });
});

describe('only addon/config.yaml looks like an add-on manifest', () => {
  // the Supervisor's store/data.py: path.glob("**/config.*"), suffix .yaml/.yml/.json, parts
  // starting with "." and folders named rootfs skipped
  const looksLikeManifest = (path: string) => {
    const parts = path.split('/');
    const name = parts.at(-1)!;
    return name.startsWith('config.') && /\.(ya?ml|json)$/.test(name) && !parts.slice(0, -1).some((p) => p.startsWith('.') || p === 'rootfs');
  };

  it('no other file in the repository is named config.{yaml,yml,json} or config.*.{yaml,yml,json}', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoFile(''), encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(files.includes('addon/config.yaml'), 'git lists the repository');
    assert.deepEqual(files.filter(looksLikeManifest), ['addon/config.yaml']);
  });

  it('the rule is the Supervisor’s', () => {
    for (const bad of ['config/config.schema.json', 'test/fixtures/config.yaml', 'x/config.example.yml']) assert.ok(looksLikeManifest(bad), bad);
    for (const ok of ['tsconfig.json', 'config/go-librespot.example.yml', '.devcontainer/config.json', 'addon/rootfs/etc/config.yaml']) assert.ok(!looksLikeManifest(ok), ok);
  });
});

describe('the Configuration tab, icons, documentation', () => {
  it('translations/en.yaml names every option and nothing else', () => {
    const tr = parseYaml(text('addon/translations/en.yaml')) as { configuration: Record<string, { name: string; description: string }> };
    assert.deepEqual(Object.keys(tr.configuration).sort(), Object.keys(manifest.schema as object).sort());
    for (const [k, v] of Object.entries(tr.configuration)) assert.ok(v.name && v.description, k);
  });

  it('icon.png is a square PNG (128 px), logo.png a wide one (250×100), both small', () => {
    const size = (path: string) => {
      const png = readFileSync(repoFile(path));
      assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${path} is a PNG`);
      assert.equal(png.subarray(12, 16).toString(), 'IHDR');
      assert.ok(png.length < 8192, `${path}: ${png.length} bytes`);
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    assert.deepEqual(size('addon/icon.png'), [128, 128]);
    assert.deepEqual(size('addon/logo.png'), [250, 100]);
  });

  it('DOCS.md lists every option, and the security rating it states is the Supervisor’s arithmetic', () => {
    const docs = text('addon/DOCS.md');
    for (const o of ADDON_OPTIONS) assert.ok(docs.includes(`| \`${o.key}\``) || docs.includes(`\`${o.key}\`,`) || docs.includes(`, \`${o.key}\``), `DOCS.md options table lacks ${o.key}`);
    const stated = Number(/security rating is (\d)/.exec(docs)?.[1]);
    assert.equal(stated, securityRating(manifest));
  });
});

/** supervisor apps/utils.py rating_security, for what a config.yaml can say (no signing, no apparmor.txt). */
function securityRating(c: Record<string, unknown>): number {
  let rating = 5;
  if (c.apparmor === false) rating -= 1;
  if (c.ingress) rating += 2;
  else if (c.auth_api) rating += 1;
  const risky = ['BPF', 'CHECKPOINT_RESTORE', 'DAC_READ_SEARCH', 'NET_ADMIN', 'NET_RAW', 'PERFMON', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO'];
  if (((c.privileged as string[] | undefined) ?? []).some((p) => risky.includes(p)) || c.kernel_modules) rating -= 1;
  if (c.hassio_role === 'manager') rating -= 1;
  else if (c.hassio_role === 'admin') rating -= 2;
  if (c.host_network) rating -= 1;
  if (c.host_pid) rating -= 2;
  if (c.host_uts && ((c.privileged as string[] | undefined) ?? []).includes('SYS_ADMIN')) rating -= 1;
  if (c.docker_api || c.full_access) rating = 1;
  return Math.max(Math.min(8, rating), 1);
}

describe('options ↔ bridge config', () => {
  const configKeys = leaves(ConfigSchema).map((l) => l.path.join('.'));

  it('every option is one bridge config key, no two share one, and the manifest holds exactly the table', () => {
    for (const o of ADDON_OPTIONS) assert.ok(configKeys.includes(o.path.join('.')), `${o.key} → ${o.path.join('.')}`);
    assert.equal(new Set(ADDON_OPTIONS.map((o) => o.key)).size, ADDON_OPTIONS.length);
    assert.equal(new Set(ADDON_OPTIONS.map((o) => o.path.join('.'))).size, ADDON_OPTIONS.length);
    assert.deepEqual(manifest.schema, Object.fromEntries(ADDON_OPTIONS.map((o) => [o.key, supervisorType(o)])));
    assert.deepEqual(manifest.options, Object.fromEntries(ADDON_OPTIONS.filter((o) => o.default !== undefined).map((o) => [o.key, o.default])));
  });

  it('the issue’s options are there: go-librespot URL, device name/id, mixer backend/device/control, max/start volume, log level', () => {
    const mapped = ADDON_OPTIONS.map((o) => o.path.join('.'));
    for (const k of ['librespot.url', 'device.name', 'device.id', 'mixer.backend', 'mixer.device', 'mixer.control', 'volume.max', 'volume.start', 'log.level'])
      assert.ok(mapped.includes(k), k);
  });

  it('every type is in the Supervisor’s schema language (apps/options.py RE_SCHEMA_ELEMENT)', () => {
    const element =
      /^(?:bool|email|url|port|device(?:\(subsystem=[a-z]+\))?|str(?:\(\d*,\d*\))?|password(?:\(\d*,\d*\))?|int(?:\(-?\d*,-?\d*\))?|float(?:\([\d.-]*,[\d.-]*\))?|match\(.+\)|list\([^)]+\))\??$/;
    for (const o of ADDON_OPTIONS) assert.match(supervisorType(o), element, o.key);
    assert.equal(supervisorType(ADDON_OPTIONS.find((o) => o.key === 'max_volume')!), 'int(0,100)?', 'the range comes from the zod schema');
  });

  it('the defaults are a valid bridge config (with the one required option set)', () => {
    const r = ConfigSchema.safeParse(optionsToConfig({ ...(manifest.options as object), librespot_url: 'http://192.168.1.50:3678' }));
    assert.ok(r.success, JSON.stringify(!r.success && r.error.issues));
  });

  /** any value the Supervisor could let through for the option's type */
  const valueFor = (o: AddonOption): fc.Arbitrary<string | number | boolean> => {
    const t = supervisorType(o).replace(/\?$/, '');
    const list = /^list\((.+)\)$/.exec(t);
    if (list) return fc.constantFrom(...list[1]!.split('|'));
    const int = /^int\((-?\d+),(-?\d+)\)$/.exec(t);
    if (int) return fc.integer({ min: Number(int[1]), max: Number(int[2]) });
    if (t === 'bool') return fc.boolean();
    return fc.string({ minLength: 1 });
  };
  const someOptions = fc.record(Object.fromEntries(ADDON_OPTIONS.map((o) => [o.key, valueFor(o)])), { requiredKeys: [] });

  it('options → config → options is the identity', () =>
    fc.assert(fc.property(someOptions, (opts) => assert.deepEqual(configToOptions(optionsToConfig(opts)), { ...opts }))));

  it('config → options → config is the identity (for the keys the add-on exposes)', () =>
    fc.assert(
      fc.property(someOptions, (opts) => {
        const config = optionsToConfig(opts);
        assert.deepEqual(optionsToConfig(configToOptions(config)), config);
      }),
    ));
});
