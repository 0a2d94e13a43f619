// Broken configurations, each with the exact message a user gets: where the problem is (file and
// line, environment variable, flag), what is accepted, and for a mistyped key the nearest known one.
// Run through loadChecked, as check-config and a start run them. An environment variable that sets
// nothing is a warning, not a problem: the real command line says it and goes on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadChecked, type Flag } from '../bridge/config/load.js';
import { envName, leaves } from '../bridge/config/env.js';
import { ConfigSchema } from '../bridge/config/schema.js';
import { CLI as CLI_ENTRY, cleanEnv, cli, start } from './helpers/process.js';
import { until } from './helpers/setup.js';

interface Case {
  name: string;
  /** the YAML file's text; {F} in it and in the expected messages is its path, {D} the test's folder */
  yaml?: string;
  env?: Record<string, string>;
  flags?: Flag[];
  problems: string[];
}

const flag = (name: string, path: string[], value: string): Flag => ({ flag: name, path, value });

const CASES: Case[] = [
  // unknown keys: the nearest known one, or where that key belongs, or the keys known there
  { name: 'a typo at the top', yaml: 'mqt:\n  url: mqtt://x:1883\n', problems: ['{F} line 1: mqt: unknown key; did you mean mqtt?'] },
  { name: 'a shortened key', yaml: 'mqtt:\n  url: mqtt://x:1883\n  user: speaker\n', problems: ['{F} line 3: mqtt.user: unknown key; did you mean username?'] },
  { name: 'two letters swapped', yaml: 'log:\n  levle: debug\n', problems: ['{F} line 2: log.levle: unknown key; did you mean level?'] },
  { name: 'a key of another section', yaml: 'url: mqtt://x:1883\n', problems: ['{F} line 1: url: unknown key here; did you mean mqtt.url or librespot.url?'] },
  { name: 'a key at the wrong level', yaml: 'mqtt:\n  max: 60\n', problems: ['{F} line 2: mqtt.max: unknown key here; did you mean volume.max?'] },
  {
    name: 'an unknown key with nothing near',
    yaml: 'mixer:\n  colour: blue\n',
    problems: ['{F} line 2: mixer.colour: unknown key; the keys of mixer are backend, device, control, switch and check_s'],
  },
  { name: 'a typo in a nested section', yaml: 'mqtt:\n  tls:\n    cafile: /etc/ca.pem\n', problems: ['{F} line 3: mqtt.tls.cafile: unknown key; did you mean ca?'] },
  // values: what is accepted and what was given
  { name: 'a number above its range', yaml: 'volume:\n  max: 150\n', problems: ['{F} line 2: volume.max: must be a whole number from 0 to 100, got 150'] },
  { name: 'a number below its range', yaml: 'librespot:\n  timeout_ms: 5\n', problems: ['{F} line 2: librespot.timeout_ms: must be a whole number from 100 to 60000, got 5'] },
  { name: 'a fraction where a whole number goes', yaml: 'mqtt:\n  keepalive: 2.5\n', problems: ['{F} line 2: mqtt.keepalive: must be a whole number from 5 to 3600, got 2.5'] },
  { name: 'words where a number goes', yaml: 'mqtt:\n  keepalive: sixty\n', problems: ['{F} line 2: mqtt.keepalive: must be a whole number from 5 to 3600, got "sixty"'] },
  { name: 'a value not in the list', yaml: 'mixer:\n  backend: pulse\n', problems: ['{F} line 2: mixer.backend: must be one of alsa, alsa-native, alsa-utils, none, got "pulse"'] },
  { name: 'yes is not a boolean in YAML 1.2', yaml: 'mqtt:\n  discovery: yes\n', problems: ['{F} line 2: mqtt.discovery: must be true or false, got "yes"'] },
  { name: 'a protocol version MQTT does not have', yaml: 'mqtt:\n  protocol_version: 3\n', problems: ['{F} line 2: mqtt.protocol_version: must be 4 (MQTT 3.1.1) or 5 (MQTT 5), got 3'] },
  { name: 'a log level that does not exist', yaml: 'log:\n  level: verbose\n', problems: ['{F} line 2: log.level: must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'] },
  { name: 'a log format that does not exist', yaml: 'log:\n  format: pretty\n', problems: ['{F} line 2: log.format: must be one of text, json, got "pretty"'] },
  { name: 'an empty client id', yaml: 'mqtt:\n  client_id: ""\n', problems: ['{F} line 2: mqtt.client_id: must be text of 1 to 64 characters, got ""'] },
  {
    name: 'a password YAML reads as a number: quoted, and never shown',
    yaml: 'mqtt:\n  username: speaker\n  password: 0123\n',
    problems: ['{F} line 3: mqtt.password: must be text, got a number: put it in quotes'],
  },
  {
    name: 'a device id with spaces',
    yaml: 'device:\n  id: Living Room\n',
    problems: ['{F} line 2: device.id: must be 1-64 of a-z, 0-9, _ and -, starting with a letter or digit, got "Living Room"'],
  },
  {
    name: 'the reserved device id',
    yaml: 'device:\n  id: all\n',
    problems: ['{F} line 2: device.id: "all" is reserved (<base_topic>/all/set reaches every bridge): pick another id, got "all"'],
  },
  { name: 'a wildcard in the base topic', yaml: 'mqtt:\n  base_topic: home/#\n', problems: ['{F} line 2: mqtt.base_topic: must not contain # or +, got "home/#"'] },
  { name: 'a section that is a single value', yaml: 'device: kitchen\n', problems: ['{F} line 1: device: must be a mapping of id and name, got "kitchen"'] },
  { name: 'a section that is a list', yaml: 'volume:\n  - 30\n  - 60\n', problems: ['{F} line 1: volume: must be a mapping of max, start and sync_spotify, got a list'] },
  // URLs: scheme, port range, shape
  { name: 'an http URL for MQTT', yaml: 'mqtt:\n  url: http://broker:1883\n', problems: ['{F} line 2: mqtt.url: must start with mqtt://, mqtts://, ws:// or wss://, got "http://broker:1883"'] },
  { name: 'a port above 65535', yaml: 'mqtt:\n  url: mqtt://broker:99999\n', problems: ['{F} line 2: mqtt.url: port 99999 is out of range: a port is 1 to 65535, got "mqtt://broker:99999"'] },
  { name: 'port 0', yaml: 'librespot:\n  url: http://127.0.0.1:0\n', problems: ['{F} line 2: librespot.url: port 0 is out of range: a port is 1 to 65535, got "http://127.0.0.1:0"'] },
  { name: 'a URL without a host', yaml: 'mqtt:\n  url: "mqtt://:1883"\n', problems: ['{F} line 2: mqtt.url: must be a URL like mqtt://192.168.1.10:1883, got "mqtt://:1883"'] },
  {
    name: 'credentials in a wrong URL are masked',
    yaml: 'mqtt:\n  url: mqtt://speaker:hunter2@broker:70000\n',
    problems: ['{F} line 2: mqtt.url: port 70000 is out of range: a port is 1 to 65535, got "mqtt://speaker:***@broker:70000"'],
  },
  {
    name: 'a path after go-librespot\'s address',
    yaml: 'librespot:\n  url: http://127.0.0.1:3678/status\n',
    problems: ['{F} line 2: librespot.url: must be http://host:port or https://host:port, without a path, got "http://127.0.0.1:3678/status"'],
  },
  // the environment and flags are named, not the file
  {
    name: 'an environment value is blamed on its variable, not on the file',
    yaml: 'volume:\n  max: 100\n',
    env: { LIBRESPOT2MQTT_VOLUME_MAX: '150' },
    problems: ['environment variable LIBRESPOT2MQTT_VOLUME_MAX: volume.max: must be a whole number from 0 to 100, got 150'],
  },
  {
    name: 'an environment boolean',
    env: { LIBRESPOT2MQTT_MQTT_DISCOVERY: 'maybe' },
    problems: ['environment variable LIBRESPOT2MQTT_MQTT_DISCOVERY: mqtt.discovery: must be true or false, got "maybe"'],
  },
  {
    name: 'a flag is blamed on the flag',
    yaml: 'mqtt:\n  url: mqtt://broker:1883\n',
    flags: [flag('--mqtt-url', ['mqtt', 'url'], 'ftp://broker')],
    problems: ['flag --mqtt-url: mqtt.url: must start with mqtt://, mqtts://, ws:// or wss://, got "ftp://broker"'],
  },
  {
    name: 'a flag over a wrong environment value: the flag wins, no problem left but the flag\'s',
    env: { LIBRESPOT2MQTT_LOG_LEVEL: 'loud' },
    flags: [flag('--log-level', ['log', 'level'], 'chatty')],
    problems: ['flag --log-level: log.level: must be one of fatal, error, warn, info, debug, trace, silent, got "chatty"'],
  },
  // several problems at once, each on its own line
  {
    name: 'every problem of a file, in the schema\'s order, each with its line',
    yaml: 'mqtt:\n  url: mqtt://broker\n  keepalive: 1\nvolume:\n  start: 120\nextra: true\n',
    problems: [
      '{F} line 3: mqtt.keepalive: must be a whole number from 5 to 3600, got 1',
      '{F} line 5: volume.start: must be a whole number from 0 to 100, got 120',
      '{F} line 6: extra: unknown key; the keys at the top are mqtt, device, librespot, mixer, volume, state_file, homeassistant and log',
    ],
  },
  // YAML syntax: line, column, the line itself and a caret
  {
    name: 'an unclosed quote is shown where it opens, not where YAML gives up',
    yaml: 'mqtt:\n  url: "mqtt://broker:1883\nlog:\n  level: info\n',
    problems: ['{F} line 2, column 8: this " is never closed\n    2 |   url: "mqtt://broker:1883\n      |        ^'],
  },
  {
    name: 'an unclosed bracket',
    yaml: 'mqtt: {url: mqtt://x:1883\nlog: {level: info}\n',
    problems: ['{F} line 1, column 7: this { is never closed (with })\n    1 | mqtt: {url: mqtt://x:1883\n      |       ^'],
  },
  {
    name: 'a tab as indentation',
    yaml: 'mqtt:\n\turl: mqtt://x:1883\n',
    problems: ['{F} line 2, column 1: Tabs are not allowed as indentation\n    2 | →url: mqtt://x:1883\n      | ^'],
  },
  {
    name: 'a key given twice',
    yaml: 'volume:\n  max: 60\n  max: 80\n',
    problems: ['{F} line 3, column 3: Map keys must be unique\n    3 |   max: 80\n      |   ^'],
  },
  {
    name: 'a key and a value on two levels',
    yaml: 'mqtt:\n  url: mqtt://x:1883\n    keepalive: 60\n',
    problems: ['{F} line 2, column 8: Nested mappings are not allowed in compact mappings\n    2 |   url: mqtt://x:1883\n      |        ^'],
  },
  { name: 'a file that is a list', yaml: '- mqtt\n- log\n', problems: ['{F} line 1: the file must hold a mapping (key: value lines like "mqtt:"), not a list'] },
  { name: 'a file that is one word', yaml: '\n\nspeaker\n', problems: ['{F} line 3: the file must hold a mapping (key: value lines like "mqtt:"), not a single value'] },
  // what a start needs: files readable, the state folder writable
  {
    name: 'a TLS file that is not there',
    yaml: 'mqtt:\n  url: mqtts://broker:8883\n  tls:\n    ca: {D}/missing-ca.pem\n',
    problems: ['{F} line 4: mqtt.tls.ca: cannot read {D}/missing-ca.pem: there is no such file'],
  },
  {
    name: 'a TLS key that is a folder',
    yaml: 'mqtt:\n  url: mqtts://broker:8883\n  tls:\n    key: {D}\n',
    problems: ['{F} line 4: mqtt.tls.key: cannot read {D}: it is a folder, not a file'],
  },
  // values that are each valid but do not fit together
  {
    name: 'a start volume above the cap',
    yaml: 'volume:\n  max: 60\n  start: 80\n',
    problems: ['{F} line 3: volume.start: 80 % is above volume.max (60 %): the start volume would be capped to 60 %; lower volume.start or raise volume.max'],
  },
  {
    name: 'TLS files with a plain broker URL',
    yaml: 'mqtt:\n  url: mqtt://broker:1883\n  tls:\n    ca: /etc/ssl/ca.pem\n',
    problems: ['{F} line 3: mqtt.tls: TLS files are given but mqtt.url is not mqtts:// or wss://: the connection would be plain and the files unused'],
  },
  {
    name: 'a password without a user name',
    env: { LIBRESPOT2MQTT_MQTT_PASSWORD: 'hunter2' },
    problems: ['mqtt.username: a password is given without mqtt.username: MQTT sends no password without a user name'],
  },
  {
    name: 'a state file under a file',
    yaml: 'state_file: {D}/a-file/state/kitchen.json\n',
    problems: ['{F} line 1: state_file: cannot write {D}/a-file/state/kitchen.json: {D}/a-file is a file, not a folder'],
  },
  {
    name: 'a state file from the environment',
    env: { LIBRESPOT2MQTT_STATE_FILE: '{D}/a-file/kitchen.json' },
    problems: ['environment variable LIBRESPOT2MQTT_STATE_FILE: state_file: cannot write {D}/a-file/kitchen.json: {D}/a-file is a file, not a folder'],
  },
  { name: 'no such configuration file', problems: ['{F}: cannot read the configuration file: there is no such file'] },
];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'l2m-config-errors-'));
  await writeFile(join(dir, 'a-file'), 'not a folder\n');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('broken configurations: each with its exact message', () => {
  it(`at least 30 cases (${CASES.length})`, () => assert.ok(CASES.length >= 30));

  CASES.forEach((c, n) =>
    it(c.name, async () => {
      const file = join(dir, `case-${n}.yaml`);
      const place = (text: string) => text.replaceAll('{F}', file).replaceAll('{D}', dir);
      if (c.yaml !== undefined) await writeFile(file, place(c.yaml));
      const usesFile = c.yaml !== undefined || c.problems.some((p) => p.startsWith('{F}'));
      const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, place(v)]));
      const err = await loadChecked({ file: usesFile ? file : undefined, env, flags: c.flags }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConfigError, `no ConfigError: ${String(err)}`);
      assert.deepEqual(err.problems, c.problems.map(place));
    }),
  );
});

describe('an environment variable with our prefix that sets nothing: a warning, and the bridge goes on', () => {
  const SETTINGS = leaves(ConfigSchema).map((l) => envName(l.path)).join(', ');
  const typo = `environment variable LIBRESPOT2MQTT_MQTT_UR is not a setting and is ignored; did you mean LIBRESPOT2MQTT_MQTT_URL? (the settings: ${SETTINGS})`;
  const nothing = `environment variable LIBRESPOT2MQTT_COLOUR is not a setting and is ignored (the settings: ${SETTINGS})`;
  const env = { LIBRESPOT2MQTT_MQTT_UR: 'mqtt://x:1883', LIBRESPOT2MQTT_COLOUR: 'blue' };

  it('named with the nearest setting and every setting there is', async () => {
    const warnings: string[] = [];
    const { cfg } = await loadChecked({ env, warn: (w) => warnings.push(w) });
    assert.deepEqual(warnings, [nothing, typo]);
    assert.equal(cfg.mqtt.url, 'mqtt://127.0.0.1:1883', 'the typo sets nothing');
  });

  it('check-config: exit 0, with the warnings', async () => {
    const r = await cli(['check-config'], cleanEnv(env));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `warning: ${nothing}\nwarning: ${typo}\n`);
  });

  it('run: the warnings in its log, and it runs', async () => {
    const p = start(process.execPath, [CLI_ENTRY, 'run', '--mqtt-url', 'mqtt://127.0.0.1:1', '--device-id', 'warned'], cleanEnv({ ...env, LIBRESPOT2MQTT_STATE_FILE: join(dir, 'warned.json') }));
    try {
      await until(() => p.err().includes('LIBRESPOT2MQTT_MQTT_UR is not a setting'), undefined, `the warning in ${p.err()}`);
      assert.match(p.err(), /WARN .*environment variable LIBRESPOT2MQTT_COLOUR is not a setting and is ignored/);
      assert.equal(p.child.exitCode, null, 'still running');
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });
});
