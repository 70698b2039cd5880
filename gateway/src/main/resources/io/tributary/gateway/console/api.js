// The gateway's JSON endpoints, as the console uses them.

async function request(method, path, body, contentType) {
  const init = {method, headers: {Accept: 'application/vnd.kafka.v2+json, application/json'}};
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const message = json && json.message ? json.message : `${response.status} ${response.statusText}`;
    const error = new Error(`${method} ${path}: ${message}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

const get = path => request('GET', path);
const seg = encodeURIComponent;

export const api = {
  cluster: () => get('/admin/cluster'),
  topics: () => get('/admin/topics'),
  topic: name => get(`/admin/topics/${seg(name)}`),
  groups: () => get('/admin/groups'),
  group: id => get(`/admin/groups/${seg(id)}`),
  mqttClients: () => get('/admin/mqtt/clients'),
  /** Produces one text record; resolves to {partition, offset} or rejects with the record's error. */
  async produce(topic, {key, value, partition}) {
    const record = {value};
    if (key !== '') record.key = key;
    if (partition !== '') record.partition = Number(partition);
    const answer = await request('POST', `/topics/${seg(topic)}`, {records: [record]},
      'application/vnd.kafka.text.v2+json');
    const result = answer.offsets[0];
    if (result.error) throw new Error(result.error);
    return result;
  },
  streamUrl: (topic, from) => `/topics/${seg(topic)}/stream?format=text&from=${seg(from)}`,
};
