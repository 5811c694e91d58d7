// The live page for the information-security team: alerts arrive over Server-Sent
// Events and are prepended to a table; ingest health is read from /metrics every few
// seconds. Identities are the pseudonyms the daemon publishes; the page never sees more.
#include "http/live_page.h"

#include <array>

namespace probity::http {
namespace {

constexpr std::string_view kHtml = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Probity — live alerts</title>
<link rel="stylesheet" href="/live.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<header>
  <h1>Probity <span>live alerts</span></h1>
  <div id="status" role="status">
    <span id="link" class="pill off">connecting…</span>
    <span id="health" class="pill">health: …</span>
  </div>
</header>
<section id="counters" aria-label="Ingest counters">
  <div><b id="c-received">–</b><small>events received</small></div>
  <div><b id="c-rate">–</b><small>events/s</small></div>
  <div><b id="c-rejected">–</b><small>rejected</small></div>
  <div><b id="c-alerts">–</b><small>alerts stored</small></div>
  <div><b id="c-pending">–</b><small>emails pending</small></div>
  <div><b id="c-connections">–</b><small>senders connected</small></div>
</section>
<section id="controls">
  <label>Show
    <select id="min-severity">
      <option value="info">all severities</option>
      <option value="medium">medium and above</option>
      <option value="high">high and above</option>
      <option value="critical">critical only</option>
    </select>
  </label>
  <span id="shown"></span>
</section>
<table id="alerts">
  <thead><tr><th>Event time</th><th>Severity</th><th>Rule</th><th>User</th><th>Alert</th><th>Id</th></tr></thead>
  <tbody></tbody>
</table>
<p id="empty">No alerts yet. New alerts appear here as they are raised.</p>
<footer>Staff identities are pseudonymised. To open an alert's evidence:
<code>probity alerts show ID --reason "…"</code> (the consultation is recorded).</footer>
<script src="/live.js"></script>
</body>
</html>
)HTML";

constexpr std::string_view kScript = R"JS('use strict';
const order = {info: 0, low: 1, medium: 2, high: 3, critical: 4};
const tbody = document.querySelector('#alerts tbody');
const minSeverity = document.getElementById('min-severity');
let shown = 0;

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;  // never innerHTML: alert text comes from logs
  if (cls) td.className = cls;
  return td;
}

function applyFilter() {
  const min = order[minSeverity.value];
  shown = 0;
  for (const row of tbody.rows) {
    const visible = order[row.dataset.severity] >= min;
    row.hidden = !visible;
    if (visible) shown++;
  }
  document.getElementById('shown').textContent = tbody.rows.length ? `${shown} of ${tbody.rows.length} shown` : '';
  document.getElementById('empty').hidden = tbody.rows.length > 0;
}

function addAlert(a) {
  const row = document.createElement('tr');
  row.dataset.severity = a.severity in order ? a.severity : 'info';
  row.className = 'sev-' + row.dataset.severity + ' fresh';
  row.append(cell((a.event_time || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
             cell(a.severity, 'severity'), cell(a.rule_id, 'rule'), cell(a.user || '–', 'user'),
             cell(a.message || a.title, 'message'), cell(a.id, 'id'));
  row.title = a.title;
  tbody.prepend(row);
  while (tbody.rows.length > 1000) tbody.deleteRow(-1);
  setTimeout(() => row.classList.remove('fresh'), 4000);
  applyFilter();
}

function connect() {
  const link = document.getElementById('link');
  const source = new EventSource('/events');
  source.addEventListener('alert', e => addAlert(JSON.parse(e.data)));
  source.onopen = () => { link.textContent = 'live'; link.className = 'pill on'; };
  source.onerror = () => { link.textContent = 'reconnecting…'; link.className = 'pill off'; };
}

let lastReceived = null, lastTime = null;
async function refreshCounters() {
  try {
    const text = await (await fetch('/metrics', {cache: 'no-store'})).text();
    const sum = name => text.split('\n').filter(l => l.startsWith(name + ' ') || l.startsWith(name + '{'))
        .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const received = sum('probity_events_received_total');
    const now = performance.now();
    if (lastReceived !== null) {
      const rate = (received - lastReceived) / ((now - lastTime) / 1000);
      document.getElementById('c-rate').textContent = Math.max(0, Math.round(rate)).toLocaleString();
    }
    lastReceived = received; lastTime = now;
    document.getElementById('c-received').textContent = received.toLocaleString();
    document.getElementById('c-rejected').textContent = sum('probity_events_rejected_total').toLocaleString();
    document.getElementById('c-alerts').textContent = sum('probity_alerts_stored_total').toLocaleString();
    document.getElementById('c-pending').textContent = sum('probity_alerts_outbox_pending').toLocaleString();
    document.getElementById('c-connections').textContent = sum('probity_connections_open').toLocaleString();
    const health = await fetch('/healthz', {cache: 'no-store'});
    const h = document.getElementById('health');
    h.textContent = health.ok ? 'healthy' : 'unhealthy: ' + (await health.text()).trim();
    h.className = 'pill ' + (health.ok ? 'on' : 'off');
  } catch (e) {
    document.getElementById('health').textContent = 'daemon unreachable';
    document.getElementById('health').className = 'pill off';
  }
}

minSeverity.addEventListener('change', applyFilter);
applyFilter();
connect();
refreshCounters();
setInterval(refreshCounters, 2000);
)JS";

constexpr std::string_view kStyle = R"CSS(
:root { --bg: #f6f7f9; --fg: #1d2330; --muted: #6b7385; --line: #dde1e8;
        --critical: #8b0000; --high: #c0392b; --medium: #b9770e; --low: #2e6da4; --info: #6b7385; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; justify-content: space-between; align-items: center; padding: 12px 20px;
         background: #1d2330; color: #fff; }
h1 { margin: 0; font-size: 18px; } h1 span { font-weight: normal; color: #aab2c5; }
.pill { display: inline-block; padding: 2px 10px; border-radius: 10px; margin-left: 8px;
        background: #3a4255; font-size: 12px; }
.pill.on { background: #1e7d45; } .pill.off { background: #9a2c2c; }
#counters { display: flex; gap: 12px; padding: 12px 20px; flex-wrap: wrap; }
#counters div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px;
                min-width: 130px; }
#counters b { display: block; font-size: 20px; } #counters small { color: var(--muted); }
#controls { padding: 0 20px 8px; color: var(--muted); display: flex; gap: 16px; align-items: center; }
table { width: calc(100% - 40px); margin: 0 20px; border-collapse: collapse; background: #fff;
        border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef0f4; font-weight: 600; }
td.severity { font-weight: 700; text-transform: uppercase; font-size: 12px; }
tr.sev-critical td.severity { color: var(--critical); } tr.sev-high td.severity { color: var(--high); }
tr.sev-medium td.severity { color: var(--medium); } tr.sev-low td.severity { color: var(--low); }
tr.sev-info td.severity { color: var(--info); }
tr.sev-critical { border-left: 4px solid var(--critical); }
td.id, td.rule { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
td.user { font-family: ui-monospace, monospace; }
tr.fresh { background: #fff8d6; transition: background 2s; }
#empty { margin: 16px 20px; color: var(--muted); }
footer { margin: 20px; color: var(--muted); font-size: 12px; }
)CSS";

constexpr std::string_view kIcon =
    R"SVG(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d2330"/><path d="M4 12V4h5a2.5 2.5 0 0 1 0 5H4" fill="none" stroke="#fff" stroke-width="2"/></svg>)SVG";

const std::array<std::pair<std::string_view, StaticAsset>, 5> kAssets{{
    {"/", {"text/html; charset=utf-8", kHtml}},
    {"/live.js", {"text/javascript; charset=utf-8", kScript}},
    {"/live.css", {"text/css; charset=utf-8", kStyle}},
    {"/favicon.svg", {"image/svg+xml", kIcon}},
    {"/favicon.ico", {"image/svg+xml", kIcon}},
}};

}  // namespace

const StaticAsset* live_page_asset(std::string_view path) {
  if (path == "/index.html") path = "/";
  for (const auto& [p, asset] : kAssets)
    if (p == path) return &asset;
  return nullptr;
}

}  // namespace probity::http
