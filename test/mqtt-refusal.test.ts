// The words of the connection: every kind of failure MQTT.js reports, classified and named with the
// config key to check (a table, so that a new case is a line); URL masking; the backoff's schedule;
// the device.id warnings. The same errors against a real mosquitto are in mqtt-connection.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorWithReasonCode } from 'mqtt';
import { describeTrouble, refusedMqtt5, type Identity } from '../bridge/mqtt/refusal.js';
import { maskUrls, withoutCredentials } from '../bridge/mask-url.js';
import { Backoff, SCHEDULE } from '../bridge/mqtt/backoff.js';
import { identityWarnings } from '../bridge/config/identity.js';
import { resolveConfig } from '../bridge/config/load.js';

const who: Identity = { url: 'mqtt://broker:1883', user: 'speaker', credentials: 'config', clientId: 'librespot2mqtt_kitchen', deviceId: 'kitchen' };
const refusal = (code: number, message: string) => new ErrorWithReasonCode(`Connection refused: ${message}`, code);
const sysError = (code: string, message: string) => Object.assign(new Error(message), { code });

const CASES: Array<[string, unknown, Partial<Identity>, string, string]> = [
  ['3.1.1 bad user name or password', refusal(4, 'Bad username or password'), {}, 'login', 'the broker refused user "speaker": check mqtt.username / mqtt.password (Connection refused: Bad username or password)'],
  ['3.1.1 not authorized', refusal(5, 'Not authorized'), {}, 'login', 'the broker refused user "speaker": check mqtt.username / mqtt.password (Connection refused: Not authorized)'],
  ['MQTT 5 bad user name or password', refusal(0x86, 'Bad User Name or Password'), { credentials: 'file' }, 'login', 'the broker refused user "speaker": check mqtt.username / mqtt.password_file (Connection refused: Bad User Name or Password)'],
  ['MQTT 5 not authorized, credentials in the URL', refusal(0x87, 'Not authorized'), { credentials: 'url' }, 'login', 'the broker refused user "speaker": check the user and password in mqtt.url (Connection refused: Not authorized)'],
  ['no user name', refusal(5, 'Not authorized'), { user: undefined, credentials: 'none' }, 'login', 'the broker refused a login without user name: set mqtt.username and mqtt.password (Connection refused: Not authorized)'],
  ['3.1.1 server unavailable', refusal(3, 'Server unavailable'), {}, 'unavailable', 'the broker at mqtt://broker:1883 is not accepting clients now (Connection refused: Server unavailable)'],
  ['MQTT 5 server busy', refusal(0x89, 'Server busy'), {}, 'unavailable', 'the broker at mqtt://broker:1883 is not accepting clients now (Connection refused: Server busy)'],
  ['3.1.1 identifier rejected', refusal(2, 'Identifier rejected'), {}, 'client_id', 'the broker rejected client id "librespot2mqtt_kitchen": check device.id (or set mqtt.client_id) (Connection refused: Identifier rejected)'],
  ['MQTT 5 client id not valid, mqtt.client_id set', refusal(0x85, 'Client Identifier not valid'), { deviceId: undefined }, 'client_id', 'the broker rejected client id "librespot2mqtt_kitchen": check mqtt.client_id (Connection refused: Client Identifier not valid)'],
  ['session taken over', 0x8e, {}, 'takeover', 'another librespot2mqtt with device.id "kitchen" is connected to this broker: give each speaker its own device.id'],
  ['session taken over, mqtt.client_id set', 0x8e, { deviceId: undefined }, 'takeover', 'another client with client id "librespot2mqtt_kitchen" (mqtt.client_id) is connected to this broker: give each bridge its own mqtt.client_id'],
  ['banned', refusal(0x8a, 'Banned'), {}, 'login', 'the broker refused user "speaker": check mqtt.username / mqtt.password (Connection refused: Banned)'],
  ['other refusal', refusal(0x83, 'Implementation specific error'), {}, 'refused', 'the broker at mqtt://broker:1883 refused the connection (Connection refused: Implementation specific error)'],
  ['connection refused', sysError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.2:1883'), {}, 'unreachable', 'cannot reach the MQTT broker at mqtt://broker:1883 (connect ECONNREFUSED 10.0.0.2:1883): is it running? check mqtt.url'],
  ['host not found', sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND broker'), {}, 'unreachable', 'cannot find the host of the MQTT broker at mqtt://broker:1883 (host not found): check mqtt.url'],
  ['no CONNACK', new Error('connack timeout'), {}, 'unreachable', 'no MQTT answer from mqtt://broker:1883: is it an MQTT listener? (a TLS listener needs mqtts://)'],
  ['self-signed certificate', sysError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), { url: 'mqtts://broker:8883' }, 'tls', 'TLS with the broker at mqtts://broker:8883 failed: check mqtt.tls.ca (or mqtt.tls.reject_unauthorized: false for a self-signed broker you trust) (self-signed certificate)'],
  ['certificate for another name', sysError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), { url: 'mqtts://10.0.0.2:8883' }, 'tls', "the broker's TLS certificate does not name the host in mqtt.url (mqtts://10.0.0.2:8883): use the name it was issued for (Hostname/IP does not match certificate's altnames)"],
  ['TLS to a plain listener', sysError('ECONNRESET', 'read ECONNRESET'), { url: 'mqtts://broker:1883' }, 'tls', 'no TLS at mqtts://broker:1883: the port is not a TLS listener (mqtts:// usually needs port 8883; mqtt:// is plain) (read ECONNRESET)'],
  ['an error quoting a URL with a password', sysError('EPIPE', 'write EPIPE to mqtt://u:hunter2@broker'), {}, 'unreachable', 'cannot reach the MQTT broker at mqtt://broker:1883 (write EPIPE to mqtt://u:***@broker): is it running? check mqtt.url'],
];

describe('describeTrouble: one kind and one sentence per failure', () => {
  for (const [name, err, over, kind, text] of CASES)
    it(name, () => assert.deepEqual(describeTrouble(err, { ...who, ...over }), { kind, text }));

  it('MQTT 5 refused for its protocol version (3.1.1 code 1 or MQTT 5 0x84): only when we asked for MQTT 5', () => {
    assert.equal(refusedMqtt5(refusal(1, 'Unacceptable protocol version'), 5), true);
    assert.equal(refusedMqtt5(refusal(0x84, 'Unsupported Protocol Version'), 5), true);
    assert.equal(refusedMqtt5(refusal(1, 'Unacceptable protocol version'), 4), false);
    assert.equal(refusedMqtt5(refusal(5, 'Not authorized'), 5), false);
  });
});

describe('URL credentials', () => {
  it('masks the password wherever a URL appears in a text, and nothing else', () => {
    assert.equal(maskUrls('mqtt://speaker:s3cret@host:1883'), 'mqtt://speaker:***@host:1883');
    assert.equal(maskUrls('at wss://a:b@c/mqtt and mqtts://:only@d'), 'at wss://a:***@c/mqtt and mqtts://:***@d');
    assert.equal(maskUrls('mqtt://u:p@ss@host'), 'mqtt://u:***@host', 'an @ in the password');
    for (const plain of ['mqtt://host:1883', 'http://user@host', 'no url: here@there']) assert.equal(maskUrls(plain), plain);
  });

  it('takes them out of the URL (decoded) for MQTT.js', () => {
    assert.deepEqual(withoutCredentials('mqtt://speaker:p%40ss@host:1883'), { url: 'mqtt://host:1883', username: 'speaker', password: 'p@ss' });
    assert.deepEqual(withoutCredentials('mqtt://host:1883'), { url: 'mqtt://host:1883' });
  });
});

describe('backoff', () => {
  it('1 s doubling to the 30 s cap, each within ±25 %; starts over after reset', () => {
    for (const [random, factor] of [[0, 0.75], [0.5, 1], [1, 1.25]] as const) {
      const b = new Backoff(SCHEDULE, () => random);
      const expected = [1, 2, 4, 8, 16, 30, 30, 30].map((s) => Math.round(s * 1000 * factor));
      assert.deepEqual(Array.from({ length: 8 }, () => b.next()), expected);
      b.reset();
      assert.equal(b.next(), Math.round(1000 * factor));
    }
  });
});

describe('device.id warnings', () => {
  const cfgWith = (id: string) => resolveConfig({ device: { id } });
  it('a host name many machines share, or a container id, is named; a name of its own is not', () => {
    for (const id of ['raspberrypi', 'localhost', 'alpine', 'homeassistant'])
      assert.match(identityWarnings(cfgWith(id)).join(), new RegExp(`^device\\.id is "${id}", a host name that many machines share`));
    assert.match(identityWarnings(cfgWith('3f2a9c1d0b7e')).join(), /looks like a container id/);
    assert.deepEqual(identityWarnings(cfgWith('kitchen')), []);
  });
});
