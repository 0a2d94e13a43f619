// The start-up baseline: the least an MQTT.js program does to say it is there: connect, publish
// "online" retained. Bundled by the bench like the daemon is. Usage: node minimal-mqtt.mjs URL TOPIC
import mqtt from 'mqtt';

const [url, topic] = process.argv.slice(2);
const client = mqtt.connect(url!);
client.on('connect', () => client.publish(topic!, 'online', { qos: 1, retain: true }));
