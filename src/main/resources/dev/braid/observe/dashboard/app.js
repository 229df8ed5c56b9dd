// Braid's dashboard. Plain DOM and SVG, no library. Everything that comes from a run (task ids,
// titles, commands, output, event data) is put in the page with textContent or as an attribute
// value, never parsed as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const STATES = ['running', 'pending', 'succeeded', 'failed', 'blocked', 'skipped'];
const LOG_KEEP_CHARS = 1 << 20;
const MAX_CONFLICT_EDGES = 4000;

const S = {
  runs: [],
  runId: null,
  followLatest: true,
  detail: null, // the run's view from /api/runs/RUN
  tasks: [], // task rows, in plan order
  pos: new Map(), // task id -> position in tasks
  attempts: new Map(), // task id -> attempt rows
  rows: new Map(), // task id -> <tr>
  nodes: [], // position -> graph node <g>
  selected: null, // task id shown in the detail panel
  log: null, // {source, taskId, attempt}
  events: null,
  lastSeq: 0,
  dirty: false,
  historyTimer: null,
  rendered: false,
  view: [], // task ids the table lists (after the filter)
  tableTop: 0,
  scrollPending: false,
};

// ------------------------------------------------------------------ DOM helpers

function $(id) {
  return document.getElementById(id);
}

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'cls') e.className = v;
      else if (k === 'on') for (const [ev, f] of Object.entries(v)) e.addEventListener(ev, f);
      else e.setAttribute(k, v);
    }
  }
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function tip(node, text) {
  const t = svg('title');
  t.textContent = text;
  node.append(t);
  return node;
}

function enc(s) {
  return encodeURIComponent(s);
}

async function getJson(url) {
  const r = await fetch(url, {cache: 'no-store', credentials: 'same-origin'});
  if (!r.ok) throw new Error(url + ': ' + r.status + ' ' + (await r.text()));
  return r.json();
}

// ------------------------------------------------------------------ formatting

function dur(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return '–';
  if (ms < 1000) return Math.round(ms) + 'ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + String(Math.round(s % 60)).padStart(2, '0') + 's';
  return Math.floor(m / 60) + 'h ' + String(m % 60).padStart(2, '0') + 'm';
}

function minutes(m) {
  return m === null || m === undefined ? '–' : dur(m * 60000);
}

function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString() : '–';
}

function dateTime(ms) {
  return ms ? new Date(ms).toLocaleString() : '–';
}

function pct(p) {
  return p === null || p === undefined ? '–' : (Math.round(p * 10) / 10) + '%';
}

function actualMs(taskId) {
  let sum = 0;
  let any = false;
  for (const a of S.attempts.get(taskId) || []) {
    if (a.ended_at) {
      sum += a.ended_at - a.started_at;
      any = true;
    }
  }
  return any ? sum : null;
}

function message(text) {
  const m = $('message');
  m.hidden = !text;
  m.textContent = text || '';
}

// ------------------------------------------------------------------ loading

async function start() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('run')) {
    S.runId = hash.get('run');
    S.followLatest = false;
  }
  $('run-select').addEventListener('change', e => selectRun(e.target.value, false));
  $('close-detail').addEventListener('click', closeDetail);
  $('filter').addEventListener('input', applyFilter);
  $('tasks-box').addEventListener('scroll', onTableScroll);
  $('log-attempt').addEventListener('change', e => openLog(S.selected, Number(e.target.value)));
  window.addEventListener('hashchange', () => {
    const id = new URLSearchParams(location.hash.slice(1)).get('run');
    if (id && id !== S.runId) selectRun(id, false);
  });
  try {
    await loadHistory();
    const id = S.runId || (S.runs[0] && S.runs[0].run_id);
    if (id) await loadRun(id);
    else message('No runs in this state directory yet: start one with braid run. This page will show it.');
  } catch (e) {
    message(String(e.message || e));
  }
  connectEvents();
  setInterval(tick, 1000);
  markRendered();
}

function markRendered() {
  if (S.rendered) return;
  S.rendered = true;
  performance.mark('braid-rendered');
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('braid-painted')));
}

async function loadHistory() {
  S.runs = await getJson('/api/runs');
  performance.mark('braid-history');
  renderHistory();
}

async function selectRun(id, follow) {
  S.followLatest = follow;
  if (!follow) history.replaceState(null, '', '#run=' + enc(id));
  closeDetail();
  await loadRun(id);
}

async function loadRun(id) {
  let d;
  try {
    d = await getJson('/api/runs/' + enc(id));
  } catch (e) {
    message('No run ' + id + ' here.');
    return;
  }
  performance.mark('braid-data');
  message(d.plan_problem ? d.plan_problem + ': no plan graph or estimates.' : null);
  S.runId = id;
  S.detail = d;
  S.lastSeq = Math.max(S.lastSeq, d.last_seq);
  S.tasks = d.tasks;
  S.pos = new Map(d.tasks.map((t, i) => [t.task_id, i]));
  S.attempts = new Map();
  for (const a of d.attempts) {
    if (!S.attempts.has(a.task_id)) S.attempts.set(a.task_id, []);
    S.attempts.get(a.task_id).push(a);
  }
  renderRunHeader();
  renderTable();
  performance.mark('braid-table');
  renderGraph();
  performance.mark('braid-graph');
  renderLive();
  performance.mark('braid-gantt');
  renderRunSelect();
}

// ------------------------------------------------------------------ live updates

function connectEvents() {
  if (S.events) S.events.close();
  const es = new EventSource('/api/events?after=' + S.lastSeq);
  S.events = es;
  es.onopen = () => {
    $('live').className = 'live on';
  };
  es.onerror = () => {
    $('live').className = 'live off';
  };
  es.addEventListener('update', e => apply(JSON.parse(e.data)));
}

function apply(u) {
  const ev = u.event;
  S.lastSeq = Math.max(S.lastSeq, ev.seq);
  if (u.report) upsertHistory(u.report);
  else if (u.run) scheduleHistory();
  if (ev.run_id !== S.runId) {
    if (ev.type === 'run.started' && (S.followLatest || !S.runId)) {
      S.followLatest = true;
      closeDetail();
      loadRun(ev.run_id);
    }
    return;
  }
  if (u.run) {
    S.detail.run = u.run;
    if (u.report) S.detail.report = u.report;
    renderRunHeader();
  }
  if (u.task) {
    const id = u.task.task_id;
    if (!S.pos.has(id)) {
      S.pos.set(id, S.tasks.length);
      S.tasks.push(u.task);
      applyFilter();
    } else {
      S.tasks[S.pos.get(id)] = u.task;
    }
    S.attempts.set(id, u.attempts || []);
    updateTask(id);
    if (S.selected === id) detailUpdate(u);
  }
  scheduleRender();
}

function scheduleRender() {
  if (S.dirty) return;
  S.dirty = true;
  requestAnimationFrame(() => {
    S.dirty = false;
    renderLive();
  });
}

function scheduleHistory() {
  clearTimeout(S.historyTimer);
  S.historyTimer = setTimeout(() => loadHistory().catch(() => {}), 300);
}

// A finished run's figures come with its last event: `braid run --dashboard` stops serving
// right after, so there may be nothing left to fetch them from.
function upsertHistory(report) {
  const i = S.runs.findIndex(r => r.run_id === report.run_id);
  if (i >= 0) S.runs[i] = report;
  else S.runs.unshift(report);
  renderHistory();
}

function tick() {
  if (S.detail && S.detail.run.status === 'running') renderLive();
}

// ------------------------------------------------------------------ header, counts, ETA

function renderRunHeader() {
  const r = S.detail.run;
  const badge = $('run-status');
  badge.textContent = r.status;
  badge.className = 'badge ' + r.status;
  $('run-plan').textContent = r.manifest + ' · ' + r.agents + (r.agents === 1 ? ' agent' : ' agents');
}

function renderRunSelect() {
  const sel = $('run-select');
  sel.replaceChildren();
  const ids = S.runs.map(r => r.run_id);
  if (S.runId && !ids.includes(S.runId)) ids.unshift(S.runId);
  for (const id of ids) {
    const o = el('option', {value: id, text: id});
    if (id === S.runId) o.selected = true;
    sel.append(o);
  }
}

function counts() {
  const c = Object.fromEntries(STATES.map(s => [s, 0]));
  for (const t of S.tasks) c[t.state] = (c[t.state] || 0) + 1;
  return c;
}

// Time left, as the terminal's live view computes it: the estimated work not done yet, spread
// over the agents, scaled by how actual times compared with estimates so far. Null until a task
// has finished.
function eta() {
  let doneEst = 0;
  let doneActual = 0;
  let leftEst = 0;
  for (const t of S.tasks) {
    const est = t.est_minutes === null ? 30 : t.est_minutes;
    if (t.state === 'pending' || t.state === 'running') {
      leftEst += est;
    } else if (t.state === 'succeeded') {
      const a = actualMs(t.task_id);
      if (a !== null) {
        doneEst += est;
        doneActual += a / 60000;
      }
    }
  }
  if (doneEst <= 0) return null;
  return (leftEst / Math.max(1, S.detail.run.agents)) * (doneActual / doneEst) * 60000;
}

function renderCounts() {
  const c = counts();
  const box = $('counts');
  box.replaceChildren();
  for (const s of STATES) {
    box.append(el('span', {cls: 'count ' + s, 'data-state': s}, el('b', {text: String(c[s])}), ' ' + s));
  }
  const total = S.tasks.length || 1;
  const done = c.succeeded + c.skipped;
  $('progress').style.width = (100 * done) / total + '%';
  renderFigures();
}

function renderFigures() {
  const r = S.detail.run;
  const rep = S.detail.report || {};
  const f = $('figures');
  f.replaceChildren();
  const add = (label, value) => f.append(el('span', {cls: 'figure'}, label + ' ', el('b', {text: value})));
  if (r.status === 'running') {
    add('elapsed', dur(Date.now() - r.started_at));
    const left = eta();
    add('ETA', left === null ? 'after the first task' : dur(left));
  } else {
    add('makespan', dur((rep.makespan_seconds || 0) * 1000));
    add('serial', dur((rep.serial_seconds || 0) * 1000));
    add('savings', pct(rep.savings_percent));
    if (rep.predicted_makespan_minutes !== undefined) {
      add('predicted', minutes(rep.predicted_makespan_minutes));
      add('prediction error', pct(rep.prediction_error_percent));
    }
  }
}

function renderLive() {
  if (!S.detail) return;
  renderCounts();
  renderGantt();
}

// ------------------------------------------------------------------ task table

function taskRow(t) {
  const tr = el('tr', {'data-task-id': t.task_id, on: {click: () => openDetail(t.task_id)}});
  for (let i = 0; i < 8; i++) tr.append(el('td'));
  fillRow(tr, t);
  return tr;
}

function fillRow(tr, t) {
  const cells = tr.children;
  cells[0].textContent = t.task_id;
  cells[1].textContent = t.title || '';
  cells[2].textContent = t.state;
  cells[2].className = 'state ' + t.state;
  cells[3].textContent = String(t.attempts);
  cells[4].textContent = t.slot === null ? '' : String(t.slot);
  cells[5].textContent = minutes(t.est_minutes);
  cells[6].textContent = dur(actualMs(t.task_id));
  cells[7].textContent = t.reason || '';
}

// The table draws only the rows in view (and a margin): a run of thousands of tasks stays quick.
const ROW_H = 25;

function renderTable() {
  applyFilter();
}

function applyFilter() {
  const q = $('filter').value.trim().toLowerCase();
  S.view = S.tasks
    .filter(t => !q || t.task_id.toLowerCase().includes(q) || (t.title || '').toLowerCase().includes(q) || t.state === q)
    .map(t => t.task_id);
  $('task-count').textContent = q ? S.view.length + ' of ' + S.tasks.length + ' tasks' : S.tasks.length + ' tasks';
  drawRows();
}

function drawRows() {
  const body = document.querySelector('#tasks tbody');
  const first = Math.max(0, Math.floor(S.tableTop / ROW_H) - 20);
  const last = Math.min(S.view.length, first + 60);
  S.rows = new Map();
  const frag = document.createDocumentFragment();
  const spacer = rows => {
    const tr = el('tr', {cls: 'spacer'}, el('td', {colspan: '8'}));
    tr.style.height = rows * ROW_H + 'px';
    return tr;
  };
  if (first > 0) frag.append(spacer(first));
  for (let i = first; i < last; i++) {
    const t = S.tasks[S.pos.get(S.view[i])];
    const tr = taskRow(t);
    S.rows.set(t.task_id, tr);
    frag.append(tr);
  }
  if (last < S.view.length) frag.append(spacer(S.view.length - last));
  body.replaceChildren(frag);
}

function onTableScroll(e) {
  S.tableTop = e.target.scrollTop;
  if (S.scrollPending) return;
  S.scrollPending = true;
  requestAnimationFrame(() => {
    S.scrollPending = false;
    drawRows();
  });
}

function updateTask(id) {
  const t = S.tasks[S.pos.get(id)];
  const tr = S.rows.get(id);
  if (tr) fillRow(tr, t);
  const node = S.nodes[S.pos.get(id)];
  if (node) node.setAttribute('class', 'node ' + t.state);
}

// ------------------------------------------------------------------ Gantt

function renderGantt() {
  const box = $('gantt');
  const run = S.detail.run;
  const all = [];
  for (const list of S.attempts.values()) all.push(...list);
  if (!all.length) {
    box.replaceChildren(el('p', {cls: 'muted', text: 'No task has started yet.'}));
    return;
  }
  const now = S.detail.run.status === 'running' ? Date.now() : null;
  const t0 = Math.min(run.started_at, ...all.map(a => a.started_at));
  let actualEnd = t0 + 1;
  let estEnd = t0 + 1;
  let lanes = run.agents;
  for (const a of all) {
    actualEnd = Math.max(actualEnd, a.ended_at || now || a.started_at);
    const t = S.tasks[S.pos.get(a.task_id)];
    if (t && t.est_minutes !== null) estEnd = Math.max(estEnd, a.started_at + t.est_minutes * 60000);
    lanes = Math.max(lanes, a.slot);
  }
  if (run.ended_at) actualEnd = Math.max(actualEnd, run.ended_at);
  // Estimates far beyond what happened are cut off, so the actual bars stay readable.
  const span = Math.max(actualEnd, Math.min(estEnd, t0 + 4 * (actualEnd - t0))) - t0;
  const left = 48;
  // The window's width, not the box's: reading a box's size would force a layout of the page.
  const width = Math.max(600, window.innerWidth - 80);
  const laneH = 26;
  const top = 20;
  const height = top + lanes * laneH + 4;
  const x = ms => left + ((ms - t0) / span) * (width - left - 8);
  const g = svg('svg', {width, height, class: 'gantt'});
  for (let i = 0; i <= 5; i++) {
    const ms = t0 + (span * i) / 5;
    g.append(svg('line', {x1: x(ms), x2: x(ms), y1: top - 4, y2: height, class: 'grid'}));
    const label = svg('text', {x: x(ms) + 2, y: 12, class: 'axis'});
    label.textContent = '+' + dur(ms - t0);
    g.append(label);
  }
  for (let lane = 1; lane <= lanes; lane++) {
    const label = svg('text', {x: 4, y: top + (lane - 1) * laneH + 16, class: 'lane'});
    label.textContent = 'slot ' + lane;
    g.append(label);
  }
  const clipEnd = t0 + span;
  for (const a of all) {
    const t = S.tasks[S.pos.get(a.task_id)];
    const y = top + (a.slot - 1) * laneH;
    const end = a.ended_at || now || a.started_at;
    if (t && t.est_minutes !== null) {
      const estStop = Math.min(clipEnd, a.started_at + t.est_minutes * 60000);
      g.append(svg('rect', {x: x(a.started_at), y: y + 2, width: Math.max(1, x(estStop) - x(a.started_at)), height: laneH - 6, class: 'est'}));
    }
    const bar = svg('rect', {
      x: x(a.started_at), y: y + 5, width: Math.max(2, x(end) - x(a.started_at)), height: laneH - 12,
      class: 'bar ' + a.state, 'data-task-id': a.task_id,
    });
    tip(bar, a.task_id + ' #' + a.attempt + ': ' + a.state + ', ' + dur(end - a.started_at) +
      (t && t.est_minutes !== null ? ' (estimate ' + minutes(t.est_minutes) + ')' : ''));
    bar.addEventListener('click', () => openDetail(a.task_id));
    g.append(bar);
  }
  box.replaceChildren(g);
}

// ------------------------------------------------------------------ plan graph

function renderGraph() {
  const box = $('graph');
  const note = $('graph-note');
  S.nodes = [];
  const graph = S.detail.graph;
  if (!graph) {
    box.replaceChildren();
    note.textContent = 'The plan file cannot be read, so there is no graph.';
    return;
  }
  const columns = [];
  S.tasks.forEach((t, i) => {
    (columns[t.level] = columns[t.level] || []).push(i);
  });
  // Long chains make many columns: narrower nodes keep the graph within reach.
  const narrow = columns.length > 40;
  const W = narrow ? 80 : 150;
  const H = 22;
  const GX = narrow ? 24 : 50;
  const GY = 8;
  const chars = narrow ? 10 : 20;
  const at = [];
  columns.forEach((col, level) => col.forEach((i, row) => {
    at[i] = {x: 10 + level * (W + GX), y: 10 + row * (H + GY)};
  }));
  const width = 20 + columns.length * (W + GX);
  const height = 20 + Math.max(...columns.map(c => (c ? c.length : 0))) * (H + GY);
  const g = svg('svg', {width, height, class: 'graph'});
  const edges = svg('g', {class: 'edges'});
  for (const [from, to] of graph.depends_on) {
    const a = at[from];
    const b = at[to];
    const mx = (a.x + W + b.x) / 2;
    edges.append(svg('path', {d: `M${a.x + W},${a.y + H / 2} C${mx},${a.y + H / 2} ${mx},${b.y + H / 2} ${b.x},${b.y + H / 2}`, class: 'dep'}));
  }
  const drawn = graph.conflicts.slice(0, MAX_CONFLICT_EDGES);
  for (const [p, q] of drawn) {
    const a = at[p];
    const b = at[q];
    const bend = a.x === b.x ? 40 : 0;
    edges.append(svg('path', {d: `M${a.x + W / 2},${a.y + H / 2} Q${(a.x + b.x) / 2 + W / 2 + bend},${(a.y + b.y) / 2 + H / 2} ${b.x + W / 2},${b.y + H / 2}`, class: 'conflict'}));
  }
  g.append(edges);
  S.tasks.forEach((t, i) => {
    const node = svg('g', {class: 'node ' + t.state, transform: `translate(${at[i].x},${at[i].y})`, 'data-task-id': t.task_id});
    node.append(svg('rect', {width: W, height: H, rx: 4}));
    const label = svg('text', {x: 6, y: 15});
    label.textContent = t.task_id.length > chars ? t.task_id.slice(0, chars - 1) + '…' : t.task_id;
    node.append(label);
    tip(node, t.task_id + (t.title ? ': ' + t.title : '') + ' (' + t.state + ')');
    node.addEventListener('click', () => openDetail(t.task_id));
    S.nodes[i] = node;
    g.append(node);
  });
  box.replaceChildren(g);
  note.textContent =
    graph.conflicts.length > drawn.length
      ? graph.conflicts.length + ' conflicts; the first ' + drawn.length + ' are drawn (a task\'s detail lists all of its own).'
      : '';
}

// ------------------------------------------------------------------ history

function renderHistory() {
  const body = document.querySelector('#history tbody');
  const frag = document.createDocumentFragment();
  for (const r of S.runs) {
    const c = r.counts || {};
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    const tr = el('tr', {'data-run-id': r.run_id, on: {click: () => selectRun(r.run_id, false)}});
    const cells = [
      r.run_id, r.status, dateTime(Date.parse(r.started_at)), String(r.agents),
      (c.succeeded || 0) + '/' + total, dur(r.makespan_seconds * 1000), dur(r.serial_seconds * 1000),
      pct(r.savings_percent), minutes(r.predicted_makespan_minutes), pct(r.prediction_error_percent), r.manifest,
    ];
    cells.forEach((v, i) => tr.append(el('td', {text: v, cls: i === 1 ? 'state ' + r.status : null})));
    frag.append(tr);
  }
  body.replaceChildren(frag);
  renderErrorChart();
  if (S.detail) renderRunSelect();
}

function renderErrorChart() {
  const box = $('error-chart');
  const runs = S.runs.filter(r => r.prediction_error_percent !== undefined && r.prediction_error_percent !== null).slice().reverse();
  if (!runs.length) {
    box.replaceChildren(el('p', {cls: 'muted', text: 'No run with a prediction yet.'}));
    return;
  }
  const W = 16;
  const H = 60;
  const max = Math.max(10, ...runs.map(r => Math.abs(r.prediction_error_percent)));
  const g = svg('svg', {width: runs.length * W + 10, height: 2 * H + 4, class: 'errors'});
  g.append(svg('line', {x1: 0, x2: runs.length * W + 10, y1: H + 2, y2: H + 2, class: 'grid'}));
  runs.forEach((r, i) => {
    const e = r.prediction_error_percent;
    const h = (Math.abs(e) / max) * H;
    const bar = svg('rect', {x: 5 + i * W, y: e >= 0 ? H + 2 - h : H + 2, width: W - 4, height: Math.max(1, h), class: e >= 0 ? 'slower' : 'faster'});
    tip(bar, r.run_id + ': ' + pct(Math.abs(e)) + (e >= 0 ? ' slower' : ' faster') + ' than predicted');
    g.append(bar);
  });
  box.replaceChildren(g);
}

// ------------------------------------------------------------------ task detail

async function openDetail(id) {
  S.selected = id;
  const aside = $('detail');
  aside.hidden = false;
  $('detail-title').textContent = id;
  let d;
  try {
    d = await getJson('/api/runs/' + enc(S.runId) + '/tasks/' + enc(id));
  } catch (e) {
    $('detail-fields').replaceChildren(el('dd', {text: String(e.message || e)}));
    return;
  }
  if (S.selected !== id) return;
  renderDetailFields(d.task, d.plan, d.plan_problem);
  $('prompt-box').hidden = !d.prompt;
  $('prompt').textContent = d.prompt || '';
  renderDetailAttempts(d.attempts);
  const list = $('detail-events');
  list.replaceChildren(...d.events.map(eventItem));
  const last = d.attempts.length ? d.attempts[d.attempts.length - 1].attempt : null;
  openLog(id, last);
}

function closeDetail() {
  S.selected = null;
  $('detail').hidden = true;
  closeLog();
}

function field(dl, name, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return;
  dl.append(el('dt', {text: name}));
  if (Array.isArray(value)) {
    const ul = el('ul');
    for (const v of value) ul.append(el('li', {text: v}));
    dl.append(el('dd', null, ul));
  } else {
    dl.append(el('dd', {text: String(value)}));
  }
}

function renderDetailFields(task, plan, problem) {
  const dl = $('detail-fields');
  dl.replaceChildren();
  const status = el('dd');
  status.append(el('span', {cls: 'state ' + task.state, text: task.state}));
  dl.append(el('dt', {text: 'status'}), status);
  field(dl, 'note', task.reason);
  field(dl, 'exit code', task.exit_code);
  if (plan) {
    field(dl, 'title', plan.title);
    field(dl, 'command', plan.command);
    field(dl, 'agent', plan.agent);
    field(dl, 'description', plan.description);
    field(dl, 'depends on', plan.depends_on);
    field(dl, 'conflicts with', plan.conflicts.map(c => c.task_id + ' (' + c.reasons + ')'));
    field(dl, 'file scope', plan.file_scope);
    field(dl, 'estimate', minutes(plan.est_minutes));
    field(dl, 'risk', plan.risk);
    field(dl, 'priority', plan.priority);
    field(dl, 'retries', plan.retries);
    field(dl, 'timeout', plan.timeout);
  } else {
    field(dl, 'plan', problem);
  }
}

function renderDetailAttempts(attempts) {
  const body = document.querySelector('#detail-attempts tbody');
  body.replaceChildren();
  const sel = $('log-attempt');
  const chosen = S.log ? S.log.attempt : null;
  sel.replaceChildren();
  for (const a of attempts) {
    const took = (a.ended_at || (a.state === 'running' ? Date.now() : null)) - a.started_at;
    const tr = el('tr');
    [String(a.attempt), String(a.slot), time(a.started_at), a.ended_at || a.state === 'running' ? dur(took) : '–',
      a.state, a.exit_code === null ? '' : String(a.exit_code), a.reason || '']
      .forEach((v, i) => tr.append(el('td', {text: v, cls: i === 4 ? 'state ' + a.state : null})));
    body.append(tr);
    const o = el('option', {value: String(a.attempt), text: 'attempt ' + a.attempt});
    if (a.attempt === chosen) o.selected = true;
    sel.append(o);
  }
  sel.hidden = !attempts.length;
}

function eventItem(ev) {
  const li = el('li');
  li.append(el('span', {cls: 'at', text: time(ev.at)}), ' ', el('b', {text: ev.type}));
  if (ev.data && typeof ev.data === 'object') {
    const dl = el('dl', {cls: 'data'});
    for (const [k, v] of Object.entries(ev.data)) {
      dl.append(el('dt', {text: k}), el('dd', {text: typeof v === 'object' ? JSON.stringify(v) : String(v)}));
    }
    li.append(dl);
  } else if (ev.data !== null && ev.data !== undefined) {
    li.append(' ', el('span', {text: String(ev.data)}));
  }
  return li;
}

function detailUpdate(u) {
  $('detail-events').append(eventItem(u.event));
  renderDetailFieldsFromRow(u.task);
  renderDetailAttempts(u.attempts || []);
  const attempts = u.attempts || [];
  const newest = attempts.length ? attempts[attempts.length - 1].attempt : null;
  // Follow a new attempt unless the user chose an older one to read.
  if (newest !== null && (!S.log || (S.log.attempt !== newest && S.log.followNewest))) openLog(S.selected, newest);
}

function renderDetailFieldsFromRow(task) {
  const dd = $('detail-fields').querySelector('dd .state');
  if (dd) {
    dd.textContent = task.state;
    dd.className = 'state ' + task.state;
  }
}

// ------------------------------------------------------------------ log tail

function closeLog() {
  if (S.log && S.log.source) S.log.source.close();
  S.log = null;
}

function openLog(taskId, attempt) {
  closeLog();
  const pre = $('log');
  pre.replaceChildren();
  const state = $('log-state');
  state.classList.remove('lost');
  const raw = $('log-raw');
  if (attempt === null || attempt === undefined) {
    state.textContent = 'not started yet';
    raw.hidden = true;
    S.log = {source: null, taskId, attempt: null, followNewest: true};
    return;
  }
  const attempts = S.attempts.get(taskId) || [];
  const newest = attempts.length ? attempts[attempts.length - 1].attempt : attempt;
  const base = '/api/runs/' + enc(S.runId) + '/tasks/' + enc(taskId) + '/log';
  raw.href = base + '?attempt=' + attempt;
  raw.hidden = false;
  state.textContent = 'following';
  const source = new EventSource(base + '/stream?attempt=' + attempt);
  S.log = {source, taskId, attempt, followNewest: attempt === newest};
  source.addEventListener('chunk', e => {
    const c = JSON.parse(e.data);
    if (c.skipped > 0 && !pre.firstChild) pre.append(el('span', {cls: 'muted', text: '[' + c.skipped + ' earlier bytes: see raw]\n'}));
    if (c.text) {
      const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(document.createTextNode(c.text));
      if (pre.textContent.length > LOG_KEEP_CHARS) {
        while (pre.firstChild && pre.textContent.length > LOG_KEEP_CHARS / 2) pre.firstChild.remove();
      }
      if (stick) pre.scrollTop = pre.scrollHeight;
    }
  });
  source.addEventListener('end', e => {
    source.close();
    // A log that gave nothing: the server says whether the task printed nothing or the log is lost.
    const end = JSON.parse(e.data);
    state.textContent = end.note || 'attempt over';
    state.classList.toggle('lost', end.empty === 'lost');
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) state.textContent = 'disconnected';
  };
}

document.addEventListener('DOMContentLoaded', start);
