// Subscribes with MQTT.js, offering the server topic aliases, and prints every message under the topic MQTT.js
// resolved, then how many PUBLISHes came with an alias and no topic name. Arguments: port, filter, message count,
// Topic Alias Maximum. Prints "subscribed" once the SUBACK is in; exits 1 on any error or after 30 s.
import mqtt from 'mqtt';

const [port, filter, count, aliasMaximum] = process.argv.slice(2);
const expected = Number(count);
let received = 0;
let aliasOnly = 0;
let aliasWithTopic = 0;

const fail = (why) => {
  console.log(`error ${why}`);
  process.exit(1);
};
setTimeout(() => fail(`timed out after ${received} of ${expected} messages`), 30_000).unref();

const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
  protocolVersion: 5,
  clientId: 'mqttjs-aliases',
  reconnectPeriod: 0,
  properties: { topicAliasMaximum: Number(aliasMaximum) },
});
client.on('error', (e) => fail(e.message));
client.on('packetreceive', (packet) => {
  // Seen before MQTT.js resolves the alias: an empty topic here means the alias stood alone on the wire.
  if (packet.cmd === 'publish' && packet.properties?.topicAlias !== undefined) {
    if (packet.topic === '') {
      aliasOnly++;
    } else {
      aliasWithTopic++;
    }
  }
});
client.on('connect', () => {
  client.subscribe(filter, { qos: 1 }, (err) => {
    if (err) {
      fail(err.message);
    }
    console.log('subscribed');
  });
});
client.on('message', (topic, payload) => {
  console.log(`message ${topic} ${payload.toString()}`);
  if (++received === expected) {
    console.log(`aliases ${aliasWithTopic} set, ${aliasOnly} used alone`);
    client.end(false, () => process.exit(0));
  }
});
