import { demoScenario } from '@evidence-ledger/samples';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ForgingProxy, startForgingProxy } from './support/forging-proxy';
import { call } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';
import { postScenario } from './support/post-scenario';

// The auditor's console in a real browser (Debian's chromium, driven by playwright-core)
// against the real service over SQLite, seeded by the demo scenario. Every verdict the page
// shows is computed by the page itself; the forging proxy shows a lying server is caught.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CONSOLE_BUILD = join(__dirname, '..', 'apps', 'console', 'dist', 'index.html');
const SHOTS = join(tmpdir(), 'evidence-ledger-console-e2e');
const CHANGE = 'github.com/acme/pay#481';

describe('the auditor console, in chromium', () => {
  const scenario = demoScenario();
  let ledger: RunningLedger;
  let proxy: ForgingProxy;
  let browser: Browser;
  let auditor: string;
  let producer: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    if (!existsSync(CONSOLE_BUILD)) throw new Error('the console is not built: run npm run build');
    mkdirSync(SHOTS, { recursive: true });
    ledger = await startLedger(newSite(`sqlite:${join(mkdtempSync(join(tmpdir(), 'console-e2e-')), 'ledger.db')}`), {
      LEDGER_FORENSICS_POLL_MS: '20',
    });
    const key = async (name: string, role: string) =>
      (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name, role } })).body.key as string;
    producer = await key('gateway', 'producer');
    auditor = await key('auditor', 'auditor');
    for (const status of await postScenario(ledger.url, { producer, admin: ledger.adminKey }, scenario.events)) expect(status).toBe(201);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
      if ((await call(`${ledger.url}/v1/forensics/status`, { key: auditor })).body.forensics[0].lag === 0) break;
    }
    proxy = await startForgingProxy(ledger.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await ledger?.close();
  });

  afterEach(() => {
    expect(cspViolations).toEqual([]);
  });

  async function openConsole(base: string = ledger.url, path = '/console/'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });

  it('is served at /console/ under a strict Content-Security-Policy, with no API key', async () => {
    for (const path of ['/console/', `/console/changes/${encodeURIComponent(CHANGE)}`]) {
      const res = await fetch(`${ledger.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(await res.text()).toContain('<div id="root"></div>');
    }
    expect((await fetch(`${ledger.url}/console/assets/missing.js`)).status).toBe(404);
    // A path climbing out of the build is a client route like any other: the page, not the file.
    const climbing = await fetch(`${ledger.url}/console/..%2f..%2f..%2fpackage.json`);
    expect(await climbing.text()).toContain('<div id="root"></div>');
  });

  it('refuses a wrong key with a clear message', async () => {
    const page = await openConsole();
    await signIn(page, 'elk_not_a_key_of_this_ledger');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This API key was refused');
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await shot(page, 'wrong-key');
    await page.close();
  });

  it('is usable from the keyboard alone: the key field has focus, Enter signs in, Tab reaches the pages', async () => {
    const page = await openConsole();
    expect(await page.evaluate('document.activeElement.id')).toBe('api-key');
    await page.keyboard.type(auditor);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const reached: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      reached.push(String(await page.evaluate('document.activeElement.textContent')));
    }
    expect(reached).toEqual(['Overview', 'Changes', 'Exceptions', 'AI inventory']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Changes' }).waitFor();
    await page.close();
  });

  it('shows a producer key no auditor page, even by its address', async () => {
    const page = await openConsole();
    await signIn(page, producer);
    await page.getByRole('heading', { name: 'No auditor pages for this key' }).waitFor();
    expect(await page.getByRole('link', { name: 'Changes' }).count()).toBe(0);
    await page.goto(`${ledger.url}/console/changes/${encodeURIComponent(CHANGE)}`);
    await page.getByRole('heading', { name: 'No auditor pages for this key' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await shot(page, 'producer');
    await page.close();
  });

  it('signs an auditor in, verifies the latest checkpoint in the page, and signs out', async () => {
    const page = await openConsole();
    await signIn(page, auditor);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Verified', { exact: true }).waitFor();
    expect(await page.getByTestId('tree-size').textContent()).toBe(String(scenario.events.length));
    expect(await page.getByTestId('fingerprint').textContent()).toBe(ledger.runtime.signer.keyId);
    expect(await page.getByTestId('lag').textContent()).toBe('0');
    const byRule = new Map<string, number>();
    for (const x of (await call(`${ledger.url}/v1/exceptions?limit=1000`, { key: auditor })).body.exceptions)
      byRule.set(x.rule, (byRule.get(x.rule) ?? 0) + 1);
    const rows = await page
      .getByTestId('exceptions-by-rule')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.textContent));
    expect(rows).toEqual([...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => `${rule}${n}`));
    // The key is in this tab's sessionStorage, nowhere else.
    expect(await page.evaluate('[sessionStorage.length, localStorage.length, document.cookie]')).toEqual([1, 0, '']);
    expect(page.url()).not.toContain(auditor);
    await shot(page, 'overview');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('browses changes with the API filters, opens a timeline whose every step is Verified, and replays it as of a point', async () => {
    const page = await openConsole();
    await signIn(page, auditor);
    await page.getByRole('link', { name: 'Changes' }).click();
    await page.getByRole('heading', { name: 'Changes' }).waitFor();
    await page.getByRole('link', { name: CHANGE }).waitFor();
    const all = await page.locator('tbody tr').count();
    expect(all).toBeGreaterThan(5);
    await shot(page, 'changes');
    await page.getByLabel('Repository').fill('github.com/acme/pay');
    await page.getByLabel('Exceptions').selectOption('true');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(`document.querySelectorAll('tbody tr').length < ${all}`);
    const repos = await page.locator('tbody tr td:first-child').allTextContents();
    expect(repos.length).toBeGreaterThan(0);
    for (const id of repos) expect(id.startsWith('github.com/acme/pay#')).toBe(true);
    for (const cell of await page.locator('td.exceptions').allTextContents()) expect(cell).not.toBe('0');
    expect(await page.locator('tbody tr').count()).toBe(await page.locator('td.exceptions').count());

    await page.getByRole('link', { name: CHANGE }).click();
    await page.getByRole('heading', { name: `Change ${CHANGE}` }).waitFor();
    await page.getByTestId('step-summary').waitFor();
    const expected = (await call(`${ledger.url}/v1/changes/${encodeURIComponent(CHANGE)}/timeline`, { key: auditor })).body.steps.length;
    const verdicts = await page.getByTestId('step-verdict').allTextContents();
    expect(verdicts).toEqual(Array(expected).fill('Verified'));
    expect(await page.getByTestId('step-summary').textContent()).toBe(`all ${expected} verified in this browser`);
    await shot(page, 'timeline');
    // A reload of the client route serves the page again, and the session survives it.
    await page.reload();
    await page.getByTestId('step-summary').waitFor();
    expect(await page.getByTestId('step-verdict').allTextContents()).toEqual(Array(expected).fill('Verified'));

    // Replay as of entry 16: the state then, exactly the steps up to it, each verified.
    const replay = (await call(`${ledger.url}/v1/changes/${encodeURIComponent(CHANGE)}/replay?asOf=16`, { key: auditor })).body;
    expect(replay.steps.length).toBeLessThan(expected);
    await page.getByLabel('Replay as of (entry sequence or RFC 3339 time)').fill('16');
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByTestId('replaying').waitFor();
    await page.waitForFunction(`document.querySelectorAll('[data-testid=step]').length === ${replay.steps.length}`);
    const sequences = (await page.locator('[data-testid=step] td:first-child').allTextContents()).map(Number);
    expect(sequences).toEqual(replay.steps.map((s: { sequence: number }) => s.sequence));
    expect(Math.max(...sequences)).toBeLessThanOrEqual(16);
    expect(await page.getByTestId('step-verdict').allTextContents()).toEqual(Array(replay.steps.length).fill('Verified'));
    expect(await page.getByText(replay.state.status, { exact: true }).count()).toBeGreaterThan(0);
    await shot(page, 'replay');
    await page.close();
  });

  it('shows NOT verified when the server answers a proof with one byte flipped', async () => {
    const page = await openConsole(proxy.url, `/console/changes/${encodeURIComponent(CHANGE)}`);
    await signIn(page, auditor);
    await page.getByTestId('step-summary').waitFor();
    const verdicts = await page.getByTestId('step-verdict').allTextContents();
    expect(verdicts[0]).toBe('NOT verified: the inclusion proof does not lead to the signed root: the entry or the proof was altered');
    expect(verdicts.slice(1).every((v) => v === 'Verified')).toBe(true);
    expect(await page.getByTestId('step-summary').textContent()).toBe(`1 of ${verdicts.length} NOT verified`);
    await shot(page, 'forged-proof');
    await page.close();
  });

  it('looks up one entry: its bytes, leaf hash, inclusion proof and chain link, each verified; a forged proof is NOT verified', async () => {
    const entry = (await call(`${ledger.url}/v1/entries/16`, { key: auditor })).body;
    const page = await openConsole();
    await signIn(page, auditor);
    await page.getByRole('link', { name: 'Entries' }).click();
    await page.getByLabel('Entry sequence').fill('16');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'Entry 16' }).waitFor();
    await page.getByTestId('inclusion-verdict').waitFor();
    expect(await page.getByTestId('leaf-verdict').textContent()).toBe('Verified');
    expect(await page.getByTestId('inclusion-verdict').textContent()).toMatch(/^Verified leaf 16 of a tree of \d+/);
    expect(await page.getByTestId('chain-verdict').textContent()).toBe('Verified');
    expect(await page.getByTestId('canonical').textContent()).toBe(Buffer.from(entry.canonical, 'base64').toString('utf8'));
    expect(page.url()).toBe(`${ledger.url}/console/entries/16`);
    await shot(page, 'entry');
    await page.close();

    const forged = await openConsole(proxy.url, '/console/entries/16');
    await signIn(forged, auditor);
    await forged.getByTestId('inclusion-verdict').waitFor();
    expect(await forged.getByTestId('inclusion-verdict').textContent()).toMatch(
      /^NOT verified: the inclusion proof does not lead to the signed root/,
    );
    expect(await forged.getByTestId('leaf-verdict').textContent()).toBe('Verified');
    await forged.close();
  });

  it('shows the exceptions, AI inventory, approvals and spend tables, filtered by the API, each row linking to its change', async () => {
    const page = await openConsole();
    await signIn(page, auditor);
    const api = async (path: string, rows: string) => (await call(`${ledger.url}${path}`, { key: auditor })).body[rows] as unknown[];
    const rowsOf = (table: string) => page.getByTestId(`${table}-table`).locator('tbody tr');

    await page.getByRole('link', { name: 'Exceptions' }).click();
    await rowsOf('exceptions').first().waitFor();
    expect(await rowsOf('exceptions').count()).toBe((await api('/v1/exceptions?limit=50', 'exceptions')).length);
    await shot(page, 'exceptions');
    const rule = 'merged-without-independent-approval';
    await page.getByLabel('Rule').fill(rule);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const expected = await api(`/v1/exceptions?rule=${rule}`, 'exceptions');
    await page.waitForFunction(`document.querySelectorAll('[data-testid=exceptions-table] tbody tr').length === ${expected.length}`);
    for (const cell of await rowsOf('exceptions').locator('td:nth-child(2)').allTextContents()) expect(cell).toBe(rule);
    await rowsOf('exceptions').first().getByRole('link').click();
    await page.getByTestId('step-summary').waitFor();

    await page.getByRole('link', { name: 'AI inventory' }).click();
    await rowsOf('models').first().waitFor();
    expect(await rowsOf('models').count()).toBe((await api('/v1/inventory/models?limit=50', 'models')).length);
    await page.getByRole('link', { name: 'Approvals' }).click();
    await rowsOf('approvals').first().waitFor();
    expect(await rowsOf('approvals').count()).toBe((await api('/v1/approvals?limit=50', 'approvals')).length);
    await page.getByRole('link', { name: 'Spend' }).click();
    await rowsOf('spend').first().waitFor();
    expect(await rowsOf('spend').count()).toBe((await api('/v1/spend', 'spend')).length);
    await page.close();
  });

  it('orders an evidence pack, follows its progress, and downloads the zip', async () => {
    const page = await openConsole();
    await signIn(page, auditor);
    await page.getByRole('link', { name: 'Evidence packs' }).click();
    await page.getByRole('heading', { name: 'Order a pack' }).waitFor();
    await page.getByLabel('Framework').selectOption('soc2');
    await page.getByRole('button', { name: 'Order pack' }).click();
    await page.getByTestId('pack-status').filter({ hasText: 'ready' }).first().waitFor({ timeout: 60_000 });
    const [pack] = (await call(`${ledger.url}/v1/evidence-packs`, { key: auditor })).body.packs;
    expect(pack).toMatchObject({ framework: 'soc2', status: 'ready' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download the soc2 pack ${pack.id}` }).click(),
    ]);
    const zip = readFileSync(await download.path());
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(createHash('sha256').update(zip).digest('hex')).toBe(pack.sha256);
    expect(await page.getByTestId('pack-digest').textContent()).toBe(`SHA-256 ${pack.sha256}`);
    expect(download.suggestedFilename()).toBe(`evidence-pack-soc2-${pack.id}.zip`);
    await shot(page, 'packs');
    await page.close();
  }, 90_000);

  it('has no serious or critical accessibility violation on any page (axe-core)', async () => {
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const page = await openConsole();
    const audit = async (name: string) => {
      // Evaluated through the debugging protocol, which the page's CSP does not govern.
      await page.evaluate(axe);
      // `axe` is the global the script above defines (page code, so given as text).
      const found = await page.evaluate<{ id: string; impact: string }[]>(
        "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))",
      );
      const violations = found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      expect({ page: name, violations }).toEqual({ page: name, violations: [] });
    };
    await audit('sign in');
    await signIn(page, auditor);
    await page.getByText('Verified', { exact: true }).waitFor();
    await audit('overview');
    await page.getByRole('link', { name: 'Changes' }).click();
    await page.getByRole('link', { name: CHANGE }).waitFor();
    await audit('changes');
    await page.getByRole('link', { name: CHANGE }).click();
    await page.getByTestId('step-summary').waitFor();
    await audit('timeline');
    for (const [link, table] of [
      ['Exceptions', 'exceptions'],
      ['AI inventory', 'models'],
      ['Approvals', 'approvals'],
      ['Spend', 'spend'],
    ]) {
      await page.getByRole('link', { name: link }).click();
      await page.getByTestId(`${table}-table`).waitFor();
      await audit(link);
    }
    await page.getByRole('link', { name: 'Entries' }).click();
    await page.getByLabel('Entry sequence').fill('3');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('chain-verdict').waitFor();
    await audit('entry');
    await page.getByRole('link', { name: 'Evidence packs' }).click();
    await page.getByRole('heading', { name: 'Order a pack' }).waitFor();
    await audit('evidence packs');
    await page.close();
  });
});
