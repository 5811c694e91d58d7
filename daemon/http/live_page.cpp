// The live page's HTML and style, where the information-security team works alerts: a
// login, the alert list with its filters, and the detail panel. The behaviour is
// live_page_script.cpp's; the data comes from /api and /events, never from these constants.
#include "http/live_page.h"

#include <array>

#include "http/live_page_script.h"

namespace probity::http {
namespace {

constexpr std::string_view kHtml = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Probity — alerts</title>
<link rel="stylesheet" href="/live.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<header>
  <h1>Probity <span>alerts</span></h1>
  <div id="status" role="status">
    <span id="link" class="pill off">signed out</span>
    <span id="health" class="pill">health: …</span>
  </div>
  <div id="who" hidden>
    <span id="who-account"></span> <small id="who-roles"></small>
    <button type="button" id="logout">Log out</button>
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
<section id="login" hidden>
  <form id="login-form">
    <h2>Log in to work alerts</h2>
    <label>Account <input id="login-account" name="account" autocomplete="username" required></label>
    <label>Password <input id="login-password" name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit" id="login-submit">Log in</button>
    <p id="login-error" class="error" role="alert"></p>
    <p class="hint">No account yet? An administrator creates one with
    <code>probity users add NAME --role analyst</code> (daemon stopped).</p>
  </form>
</section>
<main id="app" hidden>
  <div id="list-col">
    <form id="filters" aria-label="Filter alerts">
      <fieldset id="f-status"><legend>Status</legend>
        <label><input type="checkbox" name="status" value="new"> new <span class="count" data-status="new"></span></label>
        <label><input type="checkbox" name="status" value="acknowledged"> acknowledged <span class="count" data-status="acknowledged"></span></label>
        <label><input type="checkbox" name="status" value="dismissed"> dismissed <span class="count" data-status="dismissed"></span></label>
        <label><input type="checkbox" name="status" value="resolved"> resolved <span class="count" data-status="resolved"></span></label>
        <label><input type="checkbox" name="status" value="escalated"> escalated <span class="count" data-status="escalated"></span></label>
      </fieldset>
      <label>Severity
        <select id="f-severity">
          <option value="">any</option>
          <option value="low,medium,high,critical">low and above</option>
          <option value="medium,high,critical">medium and above</option>
          <option value="high,critical">high and above</option>
          <option value="critical">critical only</option>
        </select>
      </label>
      <label>Rule <input id="f-rule" placeholder="id or glob: lookup-*" size="14"></label>
      <label>Owner <input id="f-owner" list="owner-choices" placeholder="anyone" size="9"></label>
      <datalist id="owner-choices"><option value="mine"><option value="none"></datalist>
      <label>Since <input id="f-since" type="date"></label>
      <label>Until <input id="f-until" type="date"></label>
      <label>Text <input id="f-q" type="search" placeholder="search" size="12"></label>
      <span class="buttons"><button type="submit">Apply</button>
      <button type="button" id="f-clear">Clear</button></span>
    </form>
    <p id="list-error" class="error" role="alert"></p>
    <div id="list-box">
      <table id="alerts">
        <thead><tr><th>Event time</th><th>Severity</th><th>Status</th><th class="c-rule">Rule</th><th>User</th><th>Alert</th><th class="c-owner">Owner</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p id="empty">No alerts yet. New alerts appear here as they are raised.</p>
    <button type="button" id="older" hidden>Older alerts</button>
  </div>
  <aside id="detail" hidden aria-labelledby="d-title">
    <div class="d-head">
      <h2 id="d-title" tabindex="-1"></h2>
      <button type="button" id="d-close" aria-label="Close the alert">Close</button>
    </div>
    <div id="d-actions"></div>
    <form id="d-form" hidden></form>
    <p id="d-error" class="error" role="alert"></p>
    <div id="d-body"></div>
  </aside>
</main>
<footer>Staff identities are pseudonymised. An investigator may reveal one alert's real
identities with a reason; every reveal and every change is recorded in the consultation trail.</footer>
<script src="/live.js"></script>
</body>
</html>
)HTML";

constexpr std::string_view kStyle = R"CSS(
:root { --bg: #f6f7f9; --fg: #1d2330; --muted: #6b7385; --line: #dde1e8; --accent: #2e6da4;
        --critical: #8b0000; --high: #c0392b; --medium: #b9770e; --low: #2e6da4; --info: #6b7385; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: 8px 16px; justify-content: space-between;
         align-items: center; padding: 12px 20px; background: #1d2330; color: #fff; }
h1 { margin: 0; font-size: 18px; } h1 span { font-weight: normal; color: #aab2c5; }
#who { display: flex; gap: 8px; align-items: center; overflow-wrap: anywhere; }
#who small { color: #aab2c5; }
button { font: inherit; padding: 4px 12px; border: 1px solid #9aa3b5; border-radius: 4px;
         background: #fff; color: var(--fg); cursor: pointer; }
button:hover { background: #eef0f4; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
:focus-visible { outline: 3px solid #f0b429; outline-offset: 1px; }
input, select, textarea { font: inherit; max-width: 100%; min-width: 0; }
.pill { display: inline-block; padding: 2px 10px; border-radius: 10px; margin-left: 8px;
        background: #3a4255; font-size: 12px; }
.pill.on { background: #1e7d45; } .pill.off { background: #9a2c2c; }
#counters { display: flex; gap: 12px; padding: 12px 20px; flex-wrap: wrap; }
#counters div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px;
                min-width: 130px; flex: 1 1 130px; }
#counters b { display: block; font-size: 20px; } #counters small { color: var(--muted); }
#login { display: flex; justify-content: center; padding: 20px; }
#login form { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px;
              width: 100%; max-width: 380px; display: flex; flex-direction: column; gap: 10px; }
#login h2 { margin: 0; font-size: 16px; }
#login label { display: flex; flex-direction: column; gap: 2px; }
.error { color: #9a2c2c; font-weight: 600; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.error:empty { display: none; }
.hint { color: var(--muted); font-size: 12px; margin: 0; }
main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; padding: 0 20px; }
body.detail-open main { grid-template-columns: minmax(0, 1fr) minmax(340px, 42%); }
#filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: flex-end; margin-bottom: 8px;
           color: var(--muted); }
#filters label { display: flex; flex-direction: column; gap: 2px; }
#f-status { border: 1px solid var(--line); border-radius: 4px; padding: 2px 8px 6px; margin: 0;
            display: flex; flex-wrap: wrap; gap: 2px 10px; }
#f-status label { flex-direction: row; align-items: center; gap: 4px; color: var(--fg); }
.count { color: var(--muted); font-size: 12px; }
#list-box { max-width: 100%; overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top;
         overflow-wrap: break-word; }
th { background: #eef0f4; font-weight: 600; white-space: nowrap; }
td.severity, td.status { white-space: nowrap; }
td.time { min-width: 6.5em; }
td.message { min-width: 14em; overflow-wrap: anywhere; }
/* Beside the panel the list is narrow: the rule and owner are in the panel anyway. */
@media (max-width: 1599px) { body.detail-open .c-rule, body.detail-open .c-owner { display: none; } }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f2f5fa; }
tbody tr.selected { background: #e3edf9; }
td.severity { font-weight: 700; text-transform: uppercase; font-size: 12px; }
.sev-critical .severity { color: var(--critical); } .sev-high .severity { color: var(--high); }
.sev-medium .severity { color: var(--medium); } .sev-low .severity { color: var(--low); }
.sev-info .severity { color: var(--info); }
tr.sev-critical { box-shadow: inset 4px 0 var(--critical); }
td.id, td.rule { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
td.user { font-family: ui-monospace, monospace; }
tr.fresh, tr.fresh.selected { background: #fff3b0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600;
         background: #e5e8ee; color: var(--fg); margin-right: 4px; white-space: nowrap; }
.badge.system { background: #5b3f8c; color: #fff; }
.badge.st-new { background: #fde2e1; } .badge.st-acknowledged { background: #fff0c2; }
.badge.st-dismissed, .badge.st-resolved { background: #dff3e4; } .badge.st-escalated { background: #e1e6fd; }
.repeat { color: var(--muted); font-size: 12px; margin-left: 4px; }
#empty { color: var(--muted); }
#older { margin: 10px 0; }
#detail { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px;
          align-self: start; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto;
          overflow-wrap: anywhere; }
.d-head { display: flex; justify-content: space-between; gap: 8px; align-items: flex-start; }
.d-head h2 { margin: 0; font-size: 16px; }
#d-actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0; }
#d-form { display: flex; flex-direction: column; gap: 6px; border: 1px solid var(--line); border-radius: 4px;
          padding: 8px; background: #f8f9fb; }
#d-form label { display: flex; flex-direction: column; gap: 2px; }
#d-form textarea { min-height: 4em; }
#d-body h3 { font-size: 13px; margin: 14px 0 4px; color: var(--muted); text-transform: uppercase; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f5f8; border: 1px solid var(--line);
      border-radius: 4px; padding: 6px 8px; font-size: 12px; margin: 4px 0; max-width: 100%; }
ol.history { padding-left: 20px; margin: 0; } ol.history li { margin-bottom: 6px; }
ol.history .when { color: var(--muted); font-size: 12px; }
.revealed { background: #fff0f0; border-left: 4px solid #9a2c2c; padding-left: 6px; }
.banner { background: #9a2c2c; color: #fff; padding: 6px 10px; border-radius: 4px; margin: 8px 0; }
footer { margin: 20px; color: var(--muted); font-size: 12px; }
/* Narrow screens: the panel covers the page, and rows become cards. */
@media (max-width: 899px) {
  body.detail-open main { grid-template-columns: minmax(0, 1fr); }
  #detail { position: fixed; inset: 0; max-height: none; border-radius: 0; z-index: 10; }
}
@media (max-width: 700px) {
  header, #counters, main { padding-left: 10px; padding-right: 10px; }
  #counters div { min-width: 110px; flex-basis: 110px; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tbody tr { border-bottom: 2px solid var(--line); padding: 4px 0; }
  td, td.message { border: 0; padding: 2px 8px; display: grid; grid-template-columns: 80px minmax(0, 1fr);
                   gap: 8px; overflow-wrap: anywhere; min-width: 0; white-space: normal; }
  td > .badge { justify-self: start; }
  td::before { content: attr(data-label); color: var(--muted); font-size: 12px; font-weight: normal;
               text-transform: none; }
}
)CSS";

constexpr std::string_view kIcon =
    R"SVG(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d2330"/><path d="M4 12V4h5a2.5 2.5 0 0 1 0 5H4" fill="none" stroke="#fff" stroke-width="2"/></svg>)SVG";

const std::array<std::pair<std::string_view, StaticAsset>, 5> kAssets{{
    {"/", {"text/html; charset=utf-8", kHtml}},
    {"/live.js", {"text/javascript; charset=utf-8", live_page_script()}},
    {"/live.css", {"text/css; charset=utf-8", kStyle}},
    {"/favicon.svg", {"image/svg+xml", kIcon}},
    {"/favicon.ico", {"image/svg+xml", kIcon}},
}};

}  // namespace

const StaticAsset* live_page_asset(std::string_view path) {
  // The page keeps its filter in the query ("/?status=new"), so a reload must still find it.
  path = path.substr(0, path.find('?'));
  if (path == "/index.html") path = "/";
  for (const auto& [p, asset] : kAssets)
    if (p == path) return &asset;
  return nullptr;
}

}  // namespace probity::http
