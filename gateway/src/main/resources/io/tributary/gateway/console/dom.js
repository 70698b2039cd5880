// Builds DOM nodes. Text always goes in as text nodes, never as markup, so data from the broker (topic names,
// keys, values, client ids) can never inject HTML.

/**
 * h('td', {class: 'num'}, 'text', child...) -> element. Attributes whose name starts with "on" become event
 * listeners; null and false children and attributes are skipped; arrays of children are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** A table: columns are {label, class?}; rows are arrays of cells (text or nodes) or {cells, attrs}. */
export function table(columns, rows, {empty = 'Nothing here yet.', testid} = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map(c => h('th', {class: c.class}, c.label))));
  const body = h('tbody', {}, rows.length === 0
    ? h('tr', {class: 'empty'}, h('td', {colspan: columns.length}, empty))
    : rows.map(row => {
      const {cells, attrs} = Array.isArray(row) ? {cells: row, attrs: {}} : row;
      return h('tr', attrs, cells.map((cell, i) => h('td', {class: columns[i].class}, cell)));
    }));
  return h('table', {'data-testid': testid}, head, body);
}

export function bytes(n) {
  if (n === null || n === undefined || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 0) return 'forever';
  const units = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]];
  for (const [label, size] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${label}`;
  }
  return `${ms} ms`;
}

export function number(n) {
  return n === null || n === undefined || n < 0 ? '–' : n.toLocaleString('en-US');
}
