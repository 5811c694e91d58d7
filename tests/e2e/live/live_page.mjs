// The live page in a real browser: starts `probity run` on loopback ports, opens its page
// in Debian's headless Chromium (playwright-core), sends an access event with the real
// `logger`, and checks the alert appears live, pseudonymised, and survives a reload.
// Usage: node live_page.mjs PATH_TO_PROBITY   (ctest: live_page_in_chromium)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const probity = process.argv[2];
const chromiumPath = '/usr/bin/chromium';
if (!probity || !existsSync(probity)) fail(`usage: node live_page.mjs PATH_TO_PROBITY`);
if (!existsSync(chromiumPath)) fail('Chromium is missing: apt-get install chromium');

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function freePort() {
  return new Promise(resolve => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try { if (await check()) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const dir = mkdtempSync(join(tmpdir(), 'probity-live-'));
const [syslogPort, httpPort] = [await freePort(), await freePort()];
writeFileSync(join(dir, 'rules.yaml'), `
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id} on {source.system}"
`);
writeFileSync(join(dir, 'probity.yaml'), `
state_dir: ${join(dir, 'state')}
rules: [${join(dir, 'rules.yaml')}]
listeners: [{name: syslog, address: 127.0.0.1, port: ${syslogPort}}]
http: {address: 127.0.0.1, port: ${httpPort}}
`);
writeFileSync(join(dir, 'assoc.csv'),
  'staff_id,party_id,party_name,kind,declared_on\nPC1001,P0042117,Daniel Hartley,family,2023-05-02\n');
const run = (...args) => execFileSync(probity, [...args, '--config', join(dir, 'probity.yaml')]);
run('state', 'import', 'associations', join(dir, 'assoc.csv'));

const daemon = spawn(probity, ['run', '--config', join(dir, 'probity.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
let daemonLog = '';
daemon.stderr.on('data', d => { daemonLog += d; });
const base = `http://127.0.0.1:${httpPort}`;
let browser;
try {
  await waitFor('probity /healthz', async () => (await fetch(`${base}/healthz`)).ok);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', e => consoleErrors.push(String(e)));
  await page.goto(base + '/');
  await page.waitForSelector('#link.on', { timeout: 10000 });
  if (!(await page.isVisible('#empty'))) throw new Error('the empty-state message is not shown');

  const send = subject => execFileSync('logger', ['--tcp', '--octet-count', '--rfc5424', '-n', '127.0.0.1',
    '-P', String(syslogPort), '-t', 'audit', '--sd-id', 'access@32473', '--sd-param', 'user.id="PC1001"',
    '--sd-param', 'source.system="PNC"', '--sd-param', 'action="query"',
    '--sd-param', `subject.id="${subject}"`, 'record consulted']);
  send('P0999999');  // not an associate: no row
  send('P0042117');

  const row = page.locator('#alerts tbody tr');
  await row.first().waitFor({ timeout: 15000 });
  const cells = await row.first().locator('td').allTextContents();
  const text = cells.join(' | ');
  if (await row.count() !== 1) throw new Error(`expected one alert row, got ${await row.count()}: ${text}`);
  if (cells[1].toLowerCase() !== 'high') throw new Error(`severity cell is "${cells[1]}"`);
  if (cells[2] !== 'lookup-of-declared-associate') throw new Error(`rule cell is "${cells[2]}"`);
  if (!/^PSN-[0-9a-f]{12}$/.test(cells[3])) throw new Error(`user is not a pseudonym: "${cells[3]}"`);
  if (text.includes('PC1001')) throw new Error(`the real staff id reached the page: ${text}`);
  if (!text.includes('P0042117')) throw new Error(`the alert text is missing: ${text}`);

  await waitFor('the counters', async () => Number((await page.textContent('#c-received')).replace(/,/g, '')) >= 2);
  if ((await page.textContent('#health')).trim() !== 'healthy') throw new Error('health is not shown as healthy');
  await page.selectOption('#min-severity', 'critical');
  if (await row.first().isVisible()) throw new Error('the severity filter does not hide a high alert');
  await page.selectOption('#min-severity', 'info');
  await page.screenshot({ path: join(tmpdir(), 'probity-live-page.png'), fullPage: true });

  await page.reload();  // a new page gets the recent alerts again from the feed
  await page.locator('#alerts tbody tr').first().waitFor({ timeout: 10000 });
  if (consoleErrors.length) throw new Error(`browser console errors: ${consoleErrors.join('; ')}`);
  console.log('PASS: live page shows the alert live, pseudonymised, filterable, and after a reload');
} catch (e) {
  console.error(`FAIL: ${e.message}\n--- probity log ---\n${daemonLog}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  daemon.kill('SIGTERM');
  const code = await new Promise(r => daemon.on('exit', c => r(c)));
  if (code !== 0 && !process.exitCode) { console.error(`FAIL: probity exited ${code} on SIGTERM`); process.exitCode = 1; }
  rmSync(dir, { recursive: true, force: true });
}
