// The Tributary web console: hash-routed tabs over the gateway's /admin views, its produce endpoint and its
// Server-Sent Events stream. Plain ES modules, no build step, nothing loaded from outside the broker.
import {api} from './api.js';
import {bytes, duration, h, number, replace, table} from './dom.js';

const REFRESH_MS = 3000;
const TAIL_MAX_ROWS = 500;

const $ = selector => document.querySelector(selector);
const sections = Object.fromEntries([...document.querySelectorAll('[data-view]')].map(s => [s.dataset.view, s]));

/** The current route: a tab and, for topics and groups, the selected item. */
function route() {
  const [tab, ...rest] = location.hash.replace(/^#/, '').split('/');
  const name = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return {tab: sections[tab] ? tab : 'cluster', name};
}

function link(tab, name) {
  return `#${tab}/${encodeURIComponent(name)}`;
}

function badge(text, kind = '') {
  return h('span', {class: `badge ${kind}`.trim()}, text);
}

function showError(error) {
  const banner = $('#error');
  if (error) {
    banner.textContent = error.message || String(error);
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

// ---- header

async function refreshHeader() {
  const cluster = await api.cluster();
  $('#cluster-id').textContent = cluster.cluster_id;
  $('#controller-id').textContent = `node ${cluster.controller_id}`;
  $('#member-count').textContent = String(cluster.members.length);
  return cluster;
}

// ---- views: each renders into its own section; refresh() is called on navigation and on every tick

const views = {
  cluster: {
    async refresh(section) {
      const cluster = await api.cluster();
      const rows = cluster.members.map(m => ({
        attrs: {'data-node': m.node_id},
        cells: [String(m.node_id), m.host, String(m.port), m.rack ?? '–',
          h('span', {}, m.node_id === cluster.controller_id ? badge('controller', 'accent') : null,
            m.self ? badge('this member') : null)],
      }));
      replace(section,
        h('h2', {}, 'Cluster members'),
        h('p', {class: 'muted'}, 'Kafka clients are told to connect to these addresses.'),
        table([{label: 'Node'}, {label: 'Host'}, {label: 'Port', class: 'num'}, {label: 'Rack'}, {label: 'Role'}],
          rows, {testid: 'members'}));
    },
  },

  topics: {
    showInternal: false,
    async refresh(section, name) {
      if (name) {
        return this.detail(section, name);
      }
      const topics = (await api.topics()).filter(t => this.showInternal || !t.internal);
      const toggle = h('label', {class: 'toggle'},
        h('input', {type: 'checkbox', checked: this.showInternal,
          onchange: e => {
            this.showInternal = e.target.checked;
            this.refresh(section, null).catch(showError);
          }}),
        ' Show internal topics');
      replace(section,
        h('div', {class: 'section-head'}, h('h2', {}, 'Topics'), toggle),
        table([{label: 'Topic'}, {label: 'Partitions', class: 'num'}, {label: 'Size', class: 'num'},
          {label: 'Retention', class: 'num'}, {label: 'Cleanup'}],
        topics.map(t => ({
          attrs: {'data-topic': t.name},
          cells: [h('span', {}, h('a', {href: link('topics', t.name)}, t.name),
            t.internal ? badge('internal') : null),
          String(t.partitions), bytes(t.size_bytes), duration(t.retention_ms), t.cleanup_policy ?? '–'],
        })), {testid: 'topics', empty: 'No topics yet.'}));
    },
    async detail(section, name) {
      const topic = await api.topic(name);
      const configs = Object.entries(topic.configs).sort(([a], [b]) => a.localeCompare(b));
      replace(section,
        h('a', {href: '#topics', class: 'back'}, '← All topics'),
        h('h2', {}, 'Topic ', h('span', {class: 'mono', 'data-testid': 'topic-name'}, topic.name),
          topic.internal ? badge('internal') : null),
        h('h3', {}, 'Partitions'),
        table([{label: 'Partition', class: 'num'}, {label: 'Leader', class: 'num'}, {label: 'Replicas'},
          {label: 'In sync'}, {label: 'Start offset', class: 'num'}, {label: 'End offset', class: 'num'},
          {label: 'Size', class: 'num'}],
        topic.partitions.map(p => {
          const outOfSync = p.replicas.filter(r => !p.isr.includes(r));
          return {
            attrs: {'data-partition': p.partition, class: outOfSync.length ? 'warn' : null},
            cells: [String(p.partition), String(p.leader), p.replicas.join(', '), p.isr.join(', '),
              number(p.log_start_offset), number(p.log_end_offset), bytes(p.size_bytes)],
          };
        }), {testid: 'partitions'}),
        h('details', {class: 'configs'}, h('summary', {}, `Configuration (${configs.length})`),
          table([{label: 'Key'}, {label: 'Value'}], configs.map(([k, v]) => [h('span', {class: 'mono'}, k), v]),
            {testid: 'configs'})));
    },
  },

  groups: {
    async refresh(section, name) {
      if (name) {
        return this.detail(section, name);
      }
      const groups = await api.groups();
      replace(section,
        h('h2', {}, 'Consumer groups'),
        table([{label: 'Group'}, {label: 'Protocol'}, {label: 'State'}, {label: 'Members', class: 'num'}],
          groups.map(g => ({
            attrs: {'data-group': g.group_id},
            cells: [h('a', {href: link('groups', g.group_id)}, g.group_id), g.type, stateBadge(g.state),
              String(g.members)],
          })), {testid: 'groups', empty: 'No consumer groups yet.'}));
    },
    async detail(section, id) {
      const group = await api.group(id);
      const lagKind = group.total_lag > 0 ? 'lagging' : 'caught-up';
      replace(section,
        h('a', {href: '#groups', class: 'back'}, '← All groups'),
        h('h2', {}, 'Group ', h('span', {class: 'mono', 'data-testid': 'group-name'}, group.group_id)),
        h('div', {class: 'cards'},
          h('div', {class: 'card'}, h('div', {class: 'label'}, 'State'), stateBadge(group.state)),
          h('div', {class: 'card'}, h('div', {class: 'label'}, 'Protocol'), h('div', {}, group.type)),
          h('div', {class: 'card'}, h('div', {class: 'label'}, 'Members'), h('div', {}, String(group.members.length))),
          h('div', {class: `card total-lag ${lagKind}`}, h('div', {class: 'label'}, 'Total lag'),
            h('div', {class: 'big', 'data-testid': 'total-lag'}, number(group.total_lag)))),
        h('h3', {}, 'Lag per partition'),
        table([{label: 'Topic'}, {label: 'Partition', class: 'num'}, {label: 'Committed', class: 'num'},
          {label: 'End offset', class: 'num'}, {label: 'Lag', class: 'num'}],
        group.offsets.map(o => ({
          attrs: {'data-partition': `${o.topic}-${o.partition}`},
          cells: [o.topic, String(o.partition), number(o.committed_offset), number(o.log_end_offset),
            h('span', {class: o.lag > 0 ? 'lag-value lagging' : 'lag-value'}, number(o.lag))],
        })), {testid: 'lag', empty: 'No committed offsets.'}),
        h('h3', {}, 'Members'),
        table([{label: 'Client id'}, {label: 'Host'}, {label: 'Assigned partitions'}, {label: 'Member id'}],
          group.members.map(m => [m.client_id, m.host,
            m.assignments.map(a => `${a.topic}-${a.partition}`).join(', ') || '–',
            h('span', {class: 'mono small'}, m.member_id)]), {testid: 'group-members', empty: 'No members.'}));
    },
  },

  mqtt: {
    async refresh(section) {
      const clients = await api.mqttClients();
      replace(section,
        h('h2', {}, 'MQTT clients'),
        h('p', {class: 'muted'}, 'Clients connected to this member\'s MQTT gateway (TCP and WebSocket).'),
        table([{label: 'Client id'}, {label: 'Username'}, {label: 'Remote address'}, {label: 'Protocol'},
          {label: 'Connected since'}, {label: 'Subscriptions', class: 'num'}],
        clients.map(c => ({
          attrs: {'data-client': c.client_id},
          cells: [h('span', {class: 'mono'}, c.client_id), c.username ?? 'anonymous', c.remote_address,
            `MQTT ${c.protocol_version}`, new Date(c.connected_since).toLocaleString(), String(c.subscriptions)],
        })), {testid: 'mqtt-clients', empty: 'No MQTT clients connected.'}));
    },
  },

  tail: createTail(),
  produce: createProduce(),
};

function stateBadge(state) {
  const kind = {Stable: 'ok', Empty: '', Dead: 'bad'}[state] ?? 'warn';
  return badge(state, kind);
}

/** Topic names for the pickers of the tail and produce views. */
async function topicOptions(select, keep) {
  const names = (await api.topics()).filter(t => !t.internal).map(t => t.name);
  const current = keep ?? select.value;
  replace(select, names.map(n => h('option', {value: n, selected: n === current}, n)));
  return names;
}

function createTail() {
  let source = null;
  let section = null;
  const els = {};

  function stop(reason) {
    if (source) {
      source.close();
      source = null;
    }
    els.start.disabled = false;
    els.stop.disabled = true;
    els.status.textContent = reason ?? 'Stopped.';
  }

  function start() {
    stop();
    const topic = els.topic.value;
    if (!topic) return;
    els.rows.replaceChildren();
    source = new EventSource(api.streamUrl(topic, els.from.value));
    els.start.disabled = true;
    els.stop.disabled = false;
    els.status.textContent = `Connecting to ${topic}…`;
    source.onopen = () => {
      els.status.textContent = `Following ${topic}.`;
    };
    source.onmessage = event => {
      const r = JSON.parse(event.data);
      els.rows.prepend(h('tr', {'data-offset': `${r.partition}-${r.offset}`},
        h('td', {class: 'num'}, String(r.partition)), h('td', {class: 'num'}, String(r.offset)),
        h('td', {}, new Date(r.timestamp).toLocaleTimeString()),
        h('td', {class: 'mono'}, r.key ?? '–'), h('td', {class: 'mono value'}, r.value ?? 'null')));
      while (els.rows.children.length > TAIL_MAX_ROWS) els.rows.lastElementChild.remove();
      els.count.textContent = `${els.rows.children.length} shown`;
    };
    source.addEventListener('error', event => {
      if (event.data) stop(`Stream ended: ${event.data}`);
      else if (source && source.readyState === EventSource.CONNECTING) els.status.textContent = 'Reconnecting…';
    });
  }

  return {
    async refresh(target) {
      if (section) {
        if (!source) await topicOptions(els.topic);
        return;
      }
      section = target;
      els.topic = h('select', {id: 'tail-topic', 'aria-label': 'Topic'});
      els.from = h('select', {id: 'tail-from', 'aria-label': 'Start from'},
        h('option', {value: 'latest'}, 'new records'), h('option', {value: 'earliest'}, 'the beginning'));
      els.start = h('button', {type: 'submit', id: 'tail-start', class: 'primary'}, 'Start');
      els.stop = h('button', {type: 'button', id: 'tail-stop', disabled: true, onclick: () => stop()}, 'Stop');
      els.status = h('span', {class: 'muted', id: 'tail-status', role: 'status'}, 'Pick a topic and start.');
      els.count = h('span', {class: 'muted'});
      els.rows = h('tbody', {});
      replace(section,
        h('h2', {}, 'Live tail'),
        h('form', {class: 'toolbar', onsubmit: e => {
          e.preventDefault();
          start();
        }}, h('label', {}, 'Topic ', els.topic), h('label', {}, 'from ', els.from), els.start, els.stop),
        h('p', {}, els.status, ' ', els.count),
        h('table', {'data-testid': 'tail'},
          h('thead', {}, h('tr', {}, h('th', {class: 'num'}, 'Partition'), h('th', {class: 'num'}, 'Offset'),
            h('th', {}, 'Time'), h('th', {}, 'Key'), h('th', {}, 'Value'))),
          els.rows));
      await topicOptions(els.topic);
    },
    live: false,
  };
}

function createProduce() {
  let section = null;
  const els = {};

  async function send(event) {
    event.preventDefault();
    const topic = els.topic.value.trim();
    if (!topic) return;
    els.send.disabled = true;
    try {
      const result = await api.produce(topic, {key: els.key.value, value: els.value.value,
        partition: els.partition.value.trim()});
      els.results.prepend(h('li', {class: 'ok', 'data-testid': 'produced'},
        `Sent to ${topic}, partition ${result.partition}, offset ${result.offset}.`));
    } catch (error) {
      els.results.prepend(h('li', {class: 'bad'}, error.message));
    } finally {
      els.send.disabled = false;
    }
  }

  return {
    async refresh(target) {
      if (!section) {
        section = target;
        els.topic = h('input', {id: 'produce-topic', list: 'produce-topics', required: true, autocomplete: 'off'});
        els.topics = h('datalist', {id: 'produce-topics'});
        els.partition = h('input', {id: 'produce-partition', type: 'number', min: 0, placeholder: 'any'});
        els.key = h('input', {id: 'produce-key', placeholder: 'none'});
        els.value = h('textarea', {id: 'produce-value', rows: 4, placeholder: 'Hello, Tributary'});
        els.send = h('button', {type: 'submit', id: 'produce-send', class: 'primary'}, 'Send');
        els.results = h('ul', {class: 'results'});
        replace(section,
          h('h2', {}, 'Produce a test message'),
          h('p', {class: 'muted'}, 'Sent as text through the HTTP gateway; answered once the log acknowledged it.'),
          h('form', {class: 'stack', onsubmit: send},
            h('label', {}, 'Topic', els.topic, els.topics),
            h('div', {class: 'row'}, h('label', {}, 'Partition', els.partition), h('label', {}, 'Key', els.key)),
            h('label', {}, 'Value', els.value),
            h('div', {}, els.send)),
          els.results);
      }
      const names = (await api.topics()).filter(t => !t.internal).map(t => t.name);
      replace(els.topics, names.map(n => h('option', {value: n})));
    },
    live: false,
  };
}

// ---- navigation and refresh

let refreshing = false;
let again = false;

async function refresh() {
  if (refreshing) {
    again = true; // navigated while a refresh was under way: redraw once it is done
    return;
  }
  refreshing = true;
  const {tab, name} = route();
  try {
    await refreshHeader();
    await views[tab].refresh(sections[tab], name);
    showError(null);
    $('#last-update').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    showError(error);
  } finally {
    refreshing = false;
  }
  if (again) {
    again = false;
    refresh();
  }
}

function navigate() {
  const {tab} = route();
  for (const [key, section] of Object.entries(sections)) section.hidden = key !== tab;
  for (const a of document.querySelectorAll('[data-tab]')) {
    a.classList.toggle('active', a.dataset.tab === tab);
    if (a.dataset.tab === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  refresh();
}

window.addEventListener('hashchange', navigate);
setInterval(() => {
  const {tab} = route();
  // Forms are not redrawn under the user's hands: the tail and produce views only refresh on navigation.
  if ($('#auto-refresh').checked && views[tab].live !== false) refresh();
}, REFRESH_MS);
navigate();
