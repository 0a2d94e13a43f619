// The least an MQTT.js program does for one command and its answer, as ctl must: connect, subscribe
// to a reply topic, publish with MQTT 5's response topic, wait for the answer, disconnect. Bundled
// by bench/ctl.ts like ctl is: the floor under ctl's own work. Usage: node minimal-rr.mjs URL TOPIC PAYLOAD
import mqtt from 'mqtt';

const [url, topic, payload] = process.argv.slice(2);
const client = await mqtt.connectAsync(url!, { protocolVersion: 5, writeCache: false });
const inbox = `bench/minimal-rr/${process.pid}`;
await client.subscribeAsync(inbox, { qos: 1 });
const answered = new Promise((resolve) => client.once('message', resolve));
await client.publishAsync(topic!, payload!, { qos: 1, properties: { responseTopic: inbox } });
await answered;
await client.endAsync();
