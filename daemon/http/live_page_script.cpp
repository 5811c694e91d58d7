// The live page's behaviour (/live.js): the login, the alert list (history from /api/alerts,
// then live from /events), the filter kept in the URL, the detail panel with its actions,
// and the ingest counters from /metrics. Not for access decisions: the API makes them all.
#include "http/live_page_script.h"

namespace probity::http {
namespace {

constexpr std::string_view kScript = R"JS('use strict';
// Every value from the API goes in as text (textContent, append of strings), never as
// HTML: alert messages, fields and names come from logs an insider may write.
const $ = id => document.getElementById(id);
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['new', 'acknowledged', 'dismissed', 'resolved', 'escalated'];
const ROLES = [[1, 'analyst'], [2, 'investigator'], [4, 'admin']];
const PAGE = 50;
const FILTER_KEYS = ['status', 'severity', 'rule', 'owner', 'since', 'until', 'q'];

let session = null;      // {account, roles, csrf} while logged in
let filter = {};         // the URL's filter: key -> string
const rows = new Map();  // alert id -> {summary, json, tr}
let next = null;         // the list's next page (before=), null at the end
let listToken = 0;       // a newer list load makes older answers stale
let source = null;       // the EventSource while streaming
let streamWasDown = false;
let openId = null;       // the alert in the panel
let detail = null;       // its last detail JSON
let revealed = null;     // its stored alert after a reveal: this panel only, never the list
let countsTimer = null;

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-') || k.startsWith('aria-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);  // strings become text
  return e;
}

const text = v => (v === null || v === undefined) ? '' : (typeof v === 'string' ? v : JSON.stringify(v));
const time = t => text(t).replace('T', ' ').replace(/\.\d+/, '');
const roleNames = bits => ROLES.filter(([b]) => bits & b).map(([, n]) => n).join(', ') || 'no role';
const label = s => text(s).replace(/_/g, ' ');

async function api(method, path, body) {
  const init = {method, cache: 'no-store', credentials: 'same-origin', headers: {}};
  if (method === 'POST') {
    init.headers['Content-Type'] = 'application/json';
    if (session) init.headers['X-CSRF-Token'] = session.csrf;
    init.body = JSON.stringify(body || {});
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    return {status: 0, data: {error: 'the daemon cannot be reached'}};
  }
  let data;
  try { data = await res.json(); } catch { data = {}; }
  if (res.status === 401 && session && path !== '/api/login') {
    showLogin('Your session has ended: log in again.');
  }
  return {status: res.status, data: data || {}, retryAfter: res.headers.get('Retry-After')};
}

function errorText(r, what) {
  const why = r.data && typeof r.data.error === 'string' ? r.data.error : 'no reason given';
  if (r.status === 0) return `${what}: ${why}.`;
  return `${what} (HTTP ${r.status}): ${why}`;
}

// ---- login ----

function showLogin(message) {
  session = null;
  stopStream();
  clearList();
  closeDetail();
  $('app').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  setLink(false, 'signed out');
  $('login-error').textContent = message || '';
  $('login-account').focus();
}

function loggedIn(s) {
  session = s;
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('who-account').textContent = s.account;
  $('who-roles').textContent = roleNames(s.roles);
  readFilter();
  const wanted = filter.alert;
  loadList(true).then(() => {
    connect();
    if (wanted) openDetail(wanted, false);
  });
}

$('login-form').addEventListener('submit', async e => {
  e.preventDefault();
  const submit = $('login-submit');
  submit.disabled = true;
  $('login-error').textContent = '';
  const r = await api('POST', '/api/login', {account: $('login-account').value, password: $('login-password').value});
  submit.disabled = false;
  $('login-password').value = '';
  if (r.status === 200) return loggedIn(r.data);
  if (r.status === 401) $('login-error').textContent = 'Wrong account or password.';
  else if (r.status === 429) $('login-error').textContent =
      `Too many failed logins: try again in ${r.retryAfter || 'a few'} seconds.`;
  else $('login-error').textContent = errorText(r, 'Login failed');
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/logout', {});
  showLogin('Logged out.');
});

// ---- the filter, kept in the URL so a reload or a restart shows the same view ----

function readFilter() {
  const p = new URLSearchParams(location.search);
  filter = {};
  for (const k of [...FILTER_KEYS, 'alert']) if (p.get(k)) filter[k] = p.get(k);
  const statuses = (filter.status || '').split(',');
  for (const box of document.querySelectorAll('#f-status input')) box.checked = statuses.includes(box.value);
  const sev = $('f-severity');
  if (filter.severity && ![...sev.options].some(o => o.value === filter.severity))
    sev.append(el('option', {value: filter.severity}, filter.severity));
  sev.value = filter.severity || '';
  for (const k of ['rule', 'owner', 'since', 'until', 'q']) $('f-' + k).value = filter[k] || '';
}

function writeURL() {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filter[k]) p.set(k, filter[k]);
  if (openId) p.set('alert', openId);
  const qs = p.toString();
  history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
}

function filterFromForm() {
  filter = {};
  const statuses = [...document.querySelectorAll('#f-status input:checked')].map(b => b.value);
  if (statuses.length) filter.status = statuses.join(',');
  if ($('f-severity').value) filter.severity = $('f-severity').value;
  for (const k of ['rule', 'owner', 'since', 'until', 'q']) {
    const v = $('f-' + k).value.trim();
    if (v) filter[k] = v;
  }
  writeURL();
  loadList(true);
}

// The API's parameters: "mine" is this account.
function apiParams() {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filter[k]) p.set(k, k === 'owner' && filter[k] === 'mine' ? session.account : filter[k]);
  return p;
}

$('filters').addEventListener('submit', e => { e.preventDefault(); filterFromForm(); });
$('filters').addEventListener('change', () => filterFromForm());
$('f-clear').addEventListener('click', () => {
  for (const box of document.querySelectorAll('#f-status input')) box.checked = false;
  for (const k of ['severity', 'rule', 'owner', 'since', 'until', 'q']) $('f-' + k).value = '';
  filterFromForm();
});

function globMatch(glob, s) {
  const re = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try { return new RegExp('^' + re + '$').test(s); } catch { return true; }
}

// The server's filter, for alerts that arrive live: is this one in the view?
function matchesExceptStatus(a) {
  if (filter.severity && !filter.severity.split(',').includes(a.severity)) return false;
  if (filter.rule && !globMatch(filter.rule, text(a.rule_id))) return false;
  if (filter.owner) {
    const owner = filter.owner === 'mine' ? session.account : filter.owner;
    if (owner === 'none' ? a.owner : a.owner !== owner) return false;
  }
  const day = text(a.event_time).slice(0, 10);
  if (filter.since && day < filter.since.slice(0, 10)) return false;
  if (filter.until && day > filter.until.slice(0, 10)) return false;
  if (filter.q) {
    const q = filter.q.toLowerCase();
    if (![a.id, a.rule_id, a.title, a.message, a.user].some(v => text(v).toLowerCase().includes(q))) return false;
  }
  return true;
}
const matches = a => matchesExceptStatus(a) && (!filter.status || filter.status.split(',').includes(a.status));

// ---- the list: history from /api/alerts, then live from /events ----

function clearList() {
  rows.clear();
  next = null;
  $('alerts').tBodies[0].replaceChildren();
  $('older').hidden = true;
  updateEmpty();
}

function updateEmpty() {
  const empty = $('empty');
  empty.hidden = rows.size > 0;
  empty.textContent = Object.keys(filter).some(k => FILTER_KEYS.includes(k))
      ? 'No alerts match this filter.' : 'No alerts yet. New alerts appear here as they are raised.';
}

function showCounts(counts, complete) {
  for (const span of document.querySelectorAll('#f-status .count')) {
    const n = counts ? counts[span.dataset.status] : undefined;
    span.textContent = n === undefined ? '' : `(${n}${complete ? '' : '+'})`;
  }
}

async function loadList(reset) {
  const token = ++listToken;
  const p = apiParams();
  p.set('limit', String(PAGE));
  if (!reset && next) p.set('before', next);
  $('older').disabled = true;
  const r = await api('GET', '/api/alerts?' + p.toString());
  $('older').disabled = false;
  if (token !== listToken || !session) return;
  if (r.status !== 200) {
    $('list-error').textContent = errorText(r, 'The alerts could not be loaded');
    return;
  }
  $('list-error').textContent = '';
  if (reset) clearList();
  for (const a of r.data.alerts || []) upsert(a, false);
  next = r.data.next || null;
  $('older').hidden = !next;
  showCounts(r.data.counts, r.data.counts_complete !== false);
  updateEmpty();
}

$('older').addEventListener('click', () => loadList(false));

// Counts over the whole filter change with every live alert; one small query, at most
// once a second, keeps them right without guessing.
function refreshCountsSoon() {
  if (countsTimer) return;
  countsTimer = setTimeout(async () => {
    countsTimer = null;
    if (!session) return;
    const p = apiParams();
    p.set('limit', '1');
    const r = await api('GET', '/api/alerts?' + p.toString());
    if (r.status === 200) showCounts(r.data.counts, r.data.counts_complete !== false);
  }, 1000);
}

function cell(name, value, cls) {
  const td = el('td', {'data-label': name}, value);
  if (cls) td.className = cls;
  return td;
}

function renderRow(a) {
  const sev = SEVERITIES.includes(a.severity) ? a.severity : 'info';
  const tr = el('tr', {tabIndex: 0, class: 'sev-' + sev});
  tr.dataset.id = text(a.id);
  const what = el('span', {}, text(a.message || a.title));
  const alertCell = el('td', {'data-label': 'Alert', class: 'message'});
  alertCell.append(el('span', {}, a.internal ? el('span', {class: 'badge system', title: "the daemon's own alert"}, 'system') : null, what,
                   a.count > 1 ? el('span', {class: 'repeat'}, `×${a.count}`) : null));
  tr.append(cell('Event time', time(a.event_time), 'time'), cell('Severity', text(a.severity), 'severity'),
            cell('Status', el('span', {class: 'badge st-' + text(a.status)}, label(a.status)), 'status'),
            cell('Rule', text(a.rule_id), 'rule c-rule'), cell('User', text(a.user) || '–', 'user'), alertCell,
            cell('Owner', text(a.owner) || '–', 'owner c-owner'));
  if (a.id === openId) tr.classList.add('selected');
  return tr;
}

function highlight(tr) {
  tr.classList.add('fresh');
  setTimeout(() => tr.classList.remove('fresh'), 10000);
}

// Adds or replaces the row for `a` (ids sort in raise order, newest first on the page).
function upsert(a, live) {
  if (!a || typeof a.id !== 'string') return;
  const tbody = $('alerts').tBodies[0];
  const json = JSON.stringify(a);
  const known = rows.get(a.id);
  if (live) refreshCountsSoon();
  if (known) {
    if (known.json === json) return;
    if (!matches(a) && a.id !== openId) {
      known.tr.remove();
      rows.delete(a.id);
      updateEmpty();
      return;
    }
    const tr = renderRow(a);
    const focused = document.activeElement === known.tr;
    known.tr.replaceWith(tr);
    if (focused) tr.focus();
    rows.set(a.id, {summary: a, json, tr});
    if (live) highlight(tr);
  } else {
    if (!matches(a)) return;
    // Older than the loaded pages: the "older" button will reach it in its place.
    if (live && next && a.id < next) return;
    const tr = renderRow(a);
    let before = null;
    for (const r of tbody.rows) if (r.dataset.id < a.id) { before = r; break; }
    tbody.insertBefore(tr, before);
    rows.set(a.id, {summary: a, json, tr});
    if (live) highlight(tr);
  }
  updateEmpty();
  if (live && a.id === openId && detail && !formOpen() &&
      (detail.status !== a.status || detail.owner !== a.owner || detail.count !== a.count))
    openDetail(a.id, false);  // someone else worked it: show the change
}

function setLink(on, what) {
  $('link').textContent = what;
  $('link').className = 'pill ' + (on ? 'on' : 'off');
}

function stopStream() {
  if (source) source.close();
  source = null;
}

function connect() {
  stopStream();
  const es = new EventSource('/events');
  source = es;
  es.addEventListener('alert', e => {
    let a;
    try { a = JSON.parse(e.data); } catch { return; }
    upsert(a, true);
  });
  es.onopen = () => {
    setLink(true, 'live');
    if (streamWasDown) loadList(true);  // catch up on what was raised while the link was down
    streamWasDown = false;
  };
  es.onerror = async () => {
    if (source !== es) return;
    streamWasDown = true;
    setLink(false, 'reconnecting…');
    if (es.readyState !== EventSource.CLOSED) return;  // the browser retries by itself
    // Refused (no session, or too many streams): ask why before trying again.
    source = null;
    const r = await api('GET', '/api/session');
    if (r.status === 200 && session) setTimeout(() => { if (session && !source) connect(); }, 3000);
  };
}

// ---- the detail panel ----

const tbodyEl = $('alerts').tBodies[0];
tbodyEl.addEventListener('click', e => {
  const tr = e.target.closest('tr');
  if (tr && tr.dataset.id) openDetail(tr.dataset.id, false);
});
tbodyEl.addEventListener('keydown', e => {
  const tr = e.target.closest('tr');
  if (!tr) return;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    openDetail(tr.dataset.id, true);
  } else if (e.key === 'ArrowDown' && tr.nextElementSibling) {
    e.preventDefault();
    tr.nextElementSibling.focus();
  } else if (e.key === 'ArrowUp' && tr.previousElementSibling) {
    e.preventDefault();
    tr.previousElementSibling.focus();
  }
});

function selectRow() {
  for (const r of rows.values()) r.tr.classList.toggle('selected', r.summary.id === openId);
}

async function openDetail(id, focusPanel) {
  if (id !== openId) {
    revealed = null;
    detail = null;
    closeForm();
    $('d-error').textContent = '';
    $('d-title').textContent = 'Loading…';
    $('d-actions').replaceChildren();
    $('d-body').replaceChildren();
  }
  openId = id;
  writeURL();
  selectRow();
  $('detail').hidden = false;
  document.body.classList.add('detail-open');
  const r = await api('GET', '/api/alerts/' + encodeURIComponent(id));
  if (openId !== id) return;
  if (r.status !== 200) {
    $('d-error').textContent = errorText(r, 'The alert could not be loaded');
    return;
  }
  renderDetail(r.data);
  if (focusPanel) $('d-title').focus();
}

function closeDetail() {
  const was = openId;
  openId = null;
  detail = null;
  revealed = null;
  closeForm();
  $('detail').hidden = true;
  document.body.classList.remove('detail-open');
  if (session) writeURL();
  selectRow();
  const row = was && rows.get(was);
  if (row) row.tr.focus();
}

$('d-close').addEventListener('click', closeDetail);
document.addEventListener('keydown', e => {
  if (e.key === 'Escape' && openId) {
    if (formOpen()) closeForm(); else closeDetail();
  }
});

function facts(pairs) {
  const dl = el('dl', {class: 'facts'});
  for (const [k, v, cls] of pairs) dl.append(el('dt', {}, k), el('dd', cls ? {class: cls} : {}, v));
  return dl;
}

function section(title, ...content) {
  return [el('h3', {}, title), ...content];
}

function historyItem(h) {
  const change = h.from === h.to ? label(h.action) : `${label(h.action)}: ${label(h.from)} → ${label(h.to)}`;
  const li = el('li', {}, el('span', {class: 'when'}, `${time(h.at)} · ${text(h.by)}`), el('br'), change);
  const extra = [];
  if (h.owner) extra.push('owner ' + text(h.owner));
  if (h.dismissal) extra.push(label(h.dismissal));
  if (h.reference) extra.push('reference ' + text(h.reference));
  if (extra.length) li.append(' (' + extra.join(', ') + ')');
  if (h.text) li.append(el('div', {}, text(h.text)));
  return li;
}

function renderDetail(d) {
  detail = d;
  const r = revealed;  // the real identities, when this panel revealed them
  const shown = r ? {message: r.message, user: r.user_id, fields: r.fields, events: r.events} : d;
  const mark = r ? 'revealed' : '';
  $('d-title').replaceChildren(d.internal ? el('span', {class: 'badge system'}, 'system') : '', text(d.title || d.rule_id));
  renderActions(d.actions || []);
  const body = [];
  if (r) body.push(el('p', {class: 'banner', id: 'd-revealed'},
      'Identities revealed for this panel only; the reveal is recorded in the consultation trail.'));
  body.push(facts([
    ['Status', el('span', {class: 'badge st-' + text(d.status)}, label(d.status))],
    ['Severity', text(d.severity)],
    ['Owner', text(d.owner) || 'nobody yet'],
    ['User', text(shown.user) || '–', mark],
    ['Rule', `${text(d.rule_id)} (version ${text(d.rule_version) || '–'})`],
    ['Event time', time(d.event_time)],
    ['Raised', time(d.raised_at)],
    ['Repeats', `${text(d.count)} (last seen ${time(d.last_seen)})`],
    ['Alert id', text(d.id)],
  ]));
  body.push(...section('Message', el('p', {id: 'd-message', class: mark}, text(shown.message))));
  body.push(...section('Why it matters', el('p', {id: 'd-description'}, text(d.description) || 'The rule gives no description.')));
  const fields = shown.fields && typeof shown.fields === 'object' ? Object.entries(shown.fields) : [];
  body.push(...section('Fields', fields.length ? facts(fields.map(([k, v]) => [k, text(v), mark])) : el('p', {}, 'None.')));
  const events = Array.isArray(shown.events) ? shown.events : [];
  body.push(...section(`Evidence (${events.length} event${events.length === 1 ? '' : 's'})`,
      ...events.map(e => el('pre', {class: mark}, typeof e === 'string' ? e : JSON.stringify(e, null, 2)))));
  const history = Array.isArray(d.history) ? d.history : [];
  body.push(...section('History', history.length ? el('ol', {class: 'history', id: 'd-history'}, ...history.map(historyItem))
                                                 : el('p', {id: 'd-history'}, 'No changes yet.')));
  $('d-body').replaceChildren(...body);
}

// The inputs each action needs: [name, label, kind, required, options].
const FORMS = {
  acknowledge: [],
  assign: [['owner', 'Owner (account name)', 'text', true], ['text', 'Note (optional)', 'textarea', false]],
  note: [['text', 'Note', 'textarea', true]],
  dismiss: [['dismissal', 'Outcome', 'select', true, ['false_positive', 'benign', 'duplicate']],
            ['text', 'Explanation (required unless false positive)', 'textarea', false]],
  resolve: [['text', 'Resolution', 'textarea', true]],
  escalate: [['reference', 'Case or complaint reference (e.g. CO/00123/26)', 'text', true],
             ['text', 'Note (optional)', 'textarea', false]],
  reopen: [['text', 'Why it is reopened', 'textarea', true]],
  reveal: [['reason', 'Reason: a case reference (PSD-2024-0173) or 15+ characters', 'text', true]],
};

function renderActions(actions) {
  const bar = $('d-actions');
  bar.replaceChildren();
  for (const name of actions) {
    if (typeof name !== 'string') continue;
    const b = el('button', {type: 'button', id: 'act-' + name, 'data-action': name}, label(name));
    b.addEventListener('click', () => startAction(name));
    bar.append(b);
  }
}

const formOpen = () => !$('d-form').hidden;
function closeForm() {
  $('d-form').hidden = true;
  $('d-form').replaceChildren();
}

function startAction(name) {
  $('d-error').textContent = '';
  const inputs = FORMS[name] || [];
  if (!inputs.length) return submitAction(name, {});  // nothing to ask: acknowledge
  const form = $('d-form');
  form.replaceChildren(el('strong', {}, label(name) + (name === 'reveal' ? ' identities' : '')));
  for (const [field, what, kind, required, options] of inputs) {
    let input;
    if (kind === 'select') input = el('select', {}, ...options.map(o => el('option', {value: o}, label(o))));
    else if (kind === 'textarea') input = el('textarea', {maxLength: 4000});
    else input = el('input', {type: 'text'});
    input.id = 'form-' + field;
    input.name = field;
    input.required = required;
    if (name === 'assign' && field === 'owner') input.value = session.account;
    form.append(el('label', {}, what, input));
  }
  form.append(el('span', {}, el('button', {type: 'submit', class: 'primary', id: 'form-submit'}, label(name)), ' ',
                 el('button', {type: 'button', id: 'form-cancel', onclick: closeForm}, 'Cancel')));
  form.dataset.action = name;
  form.hidden = false;
  form.querySelector('input, select, textarea').focus();
}

$('d-form').addEventListener('submit', e => {
  e.preventDefault();
  const body = {};
  for (const input of $('d-form').querySelectorAll('input, select, textarea'))
    if (input.value.trim()) body[input.name] = input.value.trim();
  submitAction($('d-form').dataset.action, body);
});

async function submitAction(name, body) {
  const id = openId;
  for (const b of document.querySelectorAll('#d-actions button, #d-form button')) b.disabled = true;
  const r = await api('POST', `/api/alerts/${encodeURIComponent(id)}/${name}`, body);
  for (const b of document.querySelectorAll('#d-actions button, #d-form button')) b.disabled = false;
  if (openId !== id || !session) return;
  if (r.status !== 200) {
    $('d-error').textContent = errorText(r, `${label(name)} refused`);
    return;
  }
  closeForm();
  if (name === 'reveal') {
    revealed = r.data;
    renderDetail(detail);
    return;
  }
  renderDetail(r.data);
  const summary = {};
  for (const k of ['id', 'event_time', 'raised_at', 'severity', 'rule_id', 'title', 'message', 'user', 'status',
                   'owner', 'count', 'last_seen', 'internal'])
    summary[k] = r.data[k];
  upsert(summary, false);
  refreshCountsSoon();
}

// ---- the status strip: ingest counters and health, for everyone ----

let lastReceived = null, lastTime = null;
async function refreshCounters() {
  try {
    const metrics = await (await fetch('/metrics', {cache: 'no-store'})).text();
    const sum = name => metrics.split('\n').filter(l => l.startsWith(name + ' ') || l.startsWith(name + '{'))
        .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const received = sum('probity_events_received_total');
    const now = performance.now();
    if (lastReceived !== null) {
      const rate = (received - lastReceived) / ((now - lastTime) / 1000);
      $('c-rate').textContent = Math.max(0, Math.round(rate)).toLocaleString();
    }
    lastReceived = received;
    lastTime = now;
    $('c-received').textContent = received.toLocaleString();
    $('c-rejected').textContent = sum('probity_events_rejected_total').toLocaleString();
    $('c-alerts').textContent = sum('probity_alerts_stored_total').toLocaleString();
    $('c-pending').textContent = sum('probity_alerts_outbox_pending').toLocaleString();
    $('c-connections').textContent = sum('probity_connections_open').toLocaleString();
    const health = await fetch('/healthz', {cache: 'no-store'});
    $('health').textContent = health.ok ? 'healthy' : 'unhealthy: ' + (await health.text()).trim();
    $('health').className = 'pill ' + (health.ok ? 'on' : 'off');
  } catch {
    $('health').textContent = 'daemon unreachable';
    $('health').className = 'pill off';
  }
}

(async () => {
  const r = await api('GET', '/api/session');
  if (r.status === 200) loggedIn(r.data);
  else showLogin(r.status === 401 ? '' : errorText(r, 'The session could not be checked'));
})();
refreshCounters();
setInterval(refreshCounters, 2000);
)JS";

}  // namespace

std::string_view live_page_script() { return kScript; }

}  // namespace probity::http
