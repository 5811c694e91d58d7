// The live page in a real browser, as the team works an alert: accounts made with
// `probity users add`, `probity run` on loopback ports, events sent with the real `logger`,
// Debian's headless Chromium driven by playwright-core. An analyst logs in, sees history and
// a live alert, acknowledges it and is refused a reveal; an investigator reveals and
// dismisses it; the trail holds all three; a restarted daemon shows the same statuses.
// Usage: node live_page.mjs PATH_TO_PROBITY   (ctest: live_page_in_chromium)
// Screenshots go to $PROBITY_ARTEFACTS or the working directory (ctest: the build tree's
// tests/e2e); their paths are printed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const probity = process.argv[2];
const chromiumPath = '/usr/bin/chromium';
if (!probity || !existsSync(probity)) fail(`usage: node live_page.mjs PATH_TO_PROBITY`);
if (!existsSync(chromiumPath)) fail('Chromium is missing: apt-get install chromium');
const artefacts = resolve(process.env.PROBITY_ARTEFACTS || process.cwd());

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function freePort() {
  return new Promise(done => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitFor(what, condition, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try { if (await condition()) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const dir = mkdtempSync(join(tmpdir(), 'probity-live-'));
const stateDir = join(dir, 'state');
const [syslogPort, httpPort] = [await freePort(), await freePort()];
writeFileSync(join(dir, 'rules.yaml'), `
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  description: A staff member looked up a person they declared an association with.
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id} on {source.system}"
`);
writeFileSync(join(dir, 'probity.yaml'), `
state_dir: ${stateDir}
rules: [${join(dir, 'rules.yaml')}]
listeners: [{name: syslog, address: 127.0.0.1, port: ${syslogPort}}]
http: {address: 127.0.0.1, port: ${httpPort}}
`);
writeFileSync(join(dir, 'assoc.csv'), 'staff_id,party_id,party_name,kind,declared_on\n' +
  'PC1001,P0042117,Daniel Hartley,family,2023-05-02\n' +
  'PC1002,P0055501,Mary Colton,friend,2023-06-10\n' +
  'PC1003,P0066601,Joe Brannigan,business,2024-01-15\n');
const run = (...args) => execFileSync(probity, [...args, '--config', join(dir, 'probity.yaml')]);
run('state', 'import', 'associations', join(dir, 'assoc.csv'));
const passwords = { ana: 'analyst-password-1', ian: 'investigator-password-2' };
for (const [name, role] of [['ana', 'analyst'], ['ian', 'investigator']]) {
  const file = join(dir, `password-${name}`);
  writeFileSync(file, passwords[name] + '\n');
  run('users', 'add', name, '--role', role, '--password-file', file);
  rmSync(file);
}

const send = (user, subject) => execFileSync('logger', ['--tcp', '--octet-count', '--rfc5424',
  '-n', '127.0.0.1', '-P', String(syslogPort), '-t', 'audit', '--sd-id', 'access@32473',
  '--sd-param', `user.id="${user}"`, '--sd-param', 'source.system="PNC"', '--sd-param', 'action="query"',
  '--sd-param', `subject.id="${subject}"`, 'record consulted']);

let daemon, daemonLog = '';
async function startDaemon() {
  daemon = spawn(probity, ['run', '--config', join(dir, 'probity.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  daemon.stderr.on('data', d => { daemonLog += d; });
  await waitFor('probity /healthz', async () => (await fetch(`${base}/healthz`)).ok);
}
async function stopDaemon() {
  if (!daemon || daemon.exitCode !== null) return daemon ? daemon.exitCode : 0;
  const exited = new Promise(r => daemon.on('exit', c => r(c)));
  daemon.kill('SIGTERM');
  return exited;
}
async function storedAlerts() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find(l => l.startsWith('probity_alerts_stored_total'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const base = `http://127.0.0.1:${httpPort}`;
let browser, page;
try {
  await startDaemon();
  // History: two alerts raised before anyone logs in, and one look-up that is no alert.
  send('PC1001', 'P0042117');
  send('PC1002', 'P0055501');
  send('PC1001', 'P0999999');
  await waitFor('two stored alerts', async () => await storedAlerts() >= 2);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleErrors = [];
  // Refusals the test provokes (401 login, 429 throttled, 403 reveal) are logged by Chromium as failed loads.
  const expected = /status of (401|403|429)/;
  page.on('console', m => { if (m.type() === 'error' && !expected.test(m.text())) consoleErrors.push(m.text()); });
  page.on('pageerror', e => consoleErrors.push(String(e)));
  const rows = page.locator('#alerts tbody tr');
  const panel = page.locator('#detail');
  const rowFor = subject => rows.filter({ hasText: subject });

  async function login(account, password) {
    await page.locator('#login').waitFor();
    await page.fill('#login-account', account);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.locator('#app').waitFor();
    check(await page.textContent('#who-account') === account, 'the account is not shown');
  }

  // --- no session: the login form, a wrong password refused in words ---
  await page.goto(base + '/');
  await page.locator('#login').waitFor();
  check(!(await page.isVisible('#app')), 'the alert list is shown without a login');
  await page.fill('#login-account', 'ana');
  await page.fill('#login-password', 'not-her-password');
  await page.click('#login-submit');
  await waitFor('the login refusal', async () => /Wrong account or password/.test(await page.textContent('#login-error')));
  // Guessing: past five failures for one account the daemon says wait (429), and the page says so.
  for (let i = 0; i < 6; i++) {
    await page.fill('#login-account', 'mallory');
    await page.fill('#login-password', `guess-${i}`);
    await page.click('#login-submit');
    await waitFor('the login answer', async () => await page.isEnabled('#login-submit') &&
      (await page.textContent('#login-error')) !== '');
  }
  check(/Too many failed logins: try again in \d+ seconds/.test(await page.textContent('#login-error')),
        `no throttling message: ${await page.textContent('#login-error')}`);

  // --- the analyst: history, then a live alert ---
  await login('ana', passwords.ana);
  check(await page.textContent('#who-roles') === 'analyst', 'the roles are not shown');
  await waitFor('two history rows', async () => await rows.count() === 2);
  const listText = await page.textContent('#alerts tbody');
  check(listText.includes('P0042117') && listText.includes('P0055501'), `history is missing: ${listText}`);
  check(!/PC100\d/.test(listText), `a real staff id reached the list: ${listText}`);
  check(/^PSN-[0-9a-f]{12}$/.test((await rowFor('P0042117').locator('td.user').textContent()).trim()),
        'the user is not a pseudonym');
  check((await page.textContent('#f-status .count[data-status="new"]')) === '(2)', 'the status counts are not shown');
  await page.locator('#link.on').waitFor({ timeout: 10000 });

  send('PC1003', 'P0066601');
  const live = rowFor('P0066601');
  await live.waitFor({ timeout: 15000 });
  check(await rows.count() === 3, `expected three rows, got ${await rows.count()}`);
  check(await rows.first().textContent() === await live.textContent(), 'the live alert is not on top');
  check(/\bfresh\b/.test(await live.getAttribute('class')), 'the live alert is not highlighted');

  // --- its detail, opened from the keyboard; acknowledged ---
  await live.focus();
  await page.keyboard.press('Enter');
  await page.locator('#d-description').waitFor();
  const detailText = await panel.textContent();
  for (const want of ['A staff member looked up a person', 'lookup-of-declared-associate (version',
                      'P0066601', 'No changes yet', 'Repeats'])
    check(detailText.includes(want), `the detail lacks "${want}": ${detailText}`);
  check(!detailText.includes('PC1003'), 'the detail shows the real staff id without a reveal');
  check(await page.locator('#act-reveal').count() === 0, 'an analyst is offered a reveal');
  check(new URL(page.url()).searchParams.get('alert'), 'the open alert is not in the URL');
  await page.click('#act-acknowledge');
  await waitFor('the acknowledgement', async () => /acknowledge: new → acknowledged/.test(await page.textContent('#d-history')));
  await waitFor('the row status', async () => (await live.locator('td.status').textContent()) === 'acknowledged');

  // A page offering a reveal it should not (stale or forged): the server refuses and the
  // panel says why.
  await page.route('**/api/alerts/*', async route => {
    const response = await route.fetch();
    const body = await response.json();
    if (Array.isArray(body.actions)) body.actions.push('reveal');
    await route.fulfill({ response, json: body });
  });
  await page.click('#d-close');
  await live.click();
  await page.locator('#act-reveal').waitFor();
  await page.click('#act-reveal');
  await page.fill('#form-reason', 'PSD-2024-0173');
  await page.click('#form-submit');
  await waitFor('the 403 message', async () =>
    /HTTP 403.*account ana \(analyst\) may not reveal identities \(investigators only\)/.test(await page.textContent('#d-error')));
  check(!(await panel.textContent()).includes('PC1003'), 'a refused reveal showed an identity');
  await page.unroute('**/api/alerts/*');

  await page.click('#logout');
  await page.locator('#login').waitFor();
  check(await rows.count() === 0, 'the list stays on the page after logout');

  // --- the investigator: reveal, then dismiss as a false positive ---
  await login('ian', passwords.ian);
  await live.waitFor();
  await live.click();
  await page.locator('#act-reveal').waitFor();
  await page.click('#act-reveal');
  await page.fill('#form-reason', 'PSD-2024-0173');
  await page.click('#form-submit');
  await page.locator('#d-revealed').waitFor();
  check((await page.textContent('#d-message')).includes('PC1003'), 'the revealed message lacks the staff id');
  check(!(await page.textContent('#alerts tbody')).includes('PC1003'), 'the reveal leaked into the list');
  await page.click('#act-dismiss');
  await page.selectOption('#form-dismissal', 'false_positive');
  await page.click('#form-submit');
  await waitFor('the dismissal', async () => /dismiss: acknowledged → dismissed/.test(await page.textContent('#d-history')));
  const history = await page.locator('#d-history li').allTextContents();
  check(history.length === 2 && history[0].includes('ana') && history[1].includes('ian') &&
        history[1].includes('false positive'), `the history is not both changes: ${history.join(' | ')}`);
  await waitFor('the row status', async () => (await live.locator('td.status').textContent()) === 'dismissed');
  await page.screenshot({ path: join(artefacts, 'live-page-1400.png'), fullPage: true });

  // --- the consultation trail: the reveal and both changes, by whom, on which alert ---
  const alertId = new URL(page.url()).searchParams.get('alert');
  const trail = readFileSync(join(stateDir, 'consultations.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l));
  const recorded = (action, actor) => trail.some(r => r.action === action && r.target === alertId && r.actor === actor);
  check(recorded('alert.reveal', 'ian') && trail.find(r => r.action === 'alert.reveal').reason === 'PSD-2024-0173',
        'the reveal is not in the trail with its reason');
  check(recorded('alert.acknowledge', 'ana') && recorded('alert.dismiss', 'ian'), 'the triage is not in the trail');
  check(!recorded('alert.reveal', 'ana'), 'the refused reveal was recorded as one');

  // --- the filter lives in the URL: a reload shows the same view ---
  await page.check('#f-status input[value="dismissed"]');
  await waitFor('the dismissed-only list', async () => await rows.count() === 1);
  check(new URL(page.url()).searchParams.get('status') === 'dismissed', 'the filter is not in the URL');
  await page.reload();
  await page.locator('#d-description').waitFor();  // the open alert comes back too
  await waitFor('the reloaded filter', async () => await rows.count() === 1 &&
    await page.isChecked('#f-status input[value="dismissed"]'));
  await page.click('#f-clear');
  await waitFor('the whole list', async () => await rows.count() === 3);

  // --- 420 px: no sideways scrolling, the panel fits too ---
  await page.setViewportSize({ width: 420, height: 900 });
  await page.click('#d-close');
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 420, `the page is ${width} px wide at 420 px`);
  await page.screenshot({ path: join(artefacts, 'live-page-420.png'), fullPage: true });
  await live.click();
  await page.locator('#d-description').waitFor();
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 420, `the page with the panel open is ${width} px wide at 420 px`);
  await page.screenshot({ path: join(artefacts, 'live-page-420-detail.png') });
  await page.setViewportSize({ width: 1400, height: 900 });

  // Checked before the restart: while the daemon is down the browser rightly logs failed loads.
  check(!consoleErrors.length, `browser console errors: ${consoleErrors.join('; ')}`);

  // --- a restart: the same alerts and statuses after logging in again ---
  const code = await stopDaemon();
  check(code === 0, `probity exited ${code} on SIGTERM`);
  await startDaemon();
  await page.goto(base + '/');
  await login('ana', passwords.ana);
  await waitFor('three rows after the restart', async () => await rows.count() === 3);
  const statuses = {};
  for (const subject of ['P0042117', 'P0055501', 'P0066601'])
    statuses[subject] = (await rowFor(subject).locator('td.status').textContent()).trim();
  check(statuses.P0042117 === 'new' && statuses.P0055501 === 'new' && statuses.P0066601 === 'dismissed',
        `statuses after the restart: ${JSON.stringify(statuses)}`);
  await page.locator('#link.on').waitFor({ timeout: 10000 });

  for (const f of ['live-page-1400.png', 'live-page-420.png', 'live-page-420-detail.png'])
    console.log(`screenshot: ${join(artefacts, f)}`);
  console.log('PASS: login, history and live alerts, detail, acknowledge, refused and granted reveal, ' +
              'dismissal, trail, URL filter, 420 px layout, restart');
} catch (e) {
  if (page) {
    const shot = join(artefacts, 'live-page-failure.png');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`at ${page.url()}; screenshot: ${shot}`);
  }
  console.error(`FAIL: ${e.message}\n--- probity log ---\n${daemonLog}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  const code = await stopDaemon();
  if (code !== 0 && !process.exitCode) { console.error(`FAIL: probity exited ${code} on SIGTERM`); process.exitCode = 1; }
  rmSync(dir, { recursive: true, force: true });
}
