import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, makeTempDir, type TempDir } from '@closewatch/test/harness';
import { seedConnections, seedId, startTestCollector, type TestCollector } from '../../collector/test/api-fixtures.js';
import { newDashboardPage } from './dashboard-helpers.js';

const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const SCRIPT = '</script><script>window.__xss=(window.__xss||0)+1</script>';

let dir: TempDir;
let collector: TestCollector;
let browser: Browser;

before(async () => {
  dir = makeTempDir('dashboard-xss');
  collector = await startTestCollector(dir.path);
  await seedConnections(collector.store, [
    {
      hoursAgo: 1,
      service: `svc${IMG}`,
      route: `/r/${SCRIPT}`,
      url: `wss://evil.example/r?q=${encodeURIComponent(IMG)}`,
      code: 4000,
      reason: `${IMG}${SCRIPT}`,
      cause: 'application_close',
      phase: 'open',
      observedBy: 'client',
      evidence: [`The reason was ${IMG}`, SCRIPT],
      clientAttributes: { [`x.${IMG}`]: SCRIPT },
      clientEvents: [{ name: IMG, timeMs: Date.UTC(2026, 10, 25, 10, 59, 0), attributes: { note: SCRIPT } }],
    },
  ]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await dir?.remove();
});

test('the dashboard is served with a strict Content-Security-Policy', async () => {
  for (const path of ['/', '/app.js', '/app.css']) {
    const response = await fetch(`${collector.url}${path}`);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('markup in a stored close reason, route, service, evidence and attributes renders as text and never runs', async () => {
  const page = await newDashboardPage(browser);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  try {
    for (const view of ['#/overview', '#/causes', '#/explorer', `#/connection/${seedId(0)}`]) {
      await page.goto(`${collector.url}/${view}`);
      await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
      for (const details of await page.$$('details')) await details.evaluate((el) => (el.open = true));
      assert.equal(await page.evaluate(() => document.querySelectorAll('main img, main script').length), 0, view);
    }
    assert.equal(await page.textContent('[data-field="close-reason"]'), `${IMG}${SCRIPT}`);
    assert.deepEqual(await page.$$eval('[data-field="evidence"] li', (lis) => lis.map((li) => li.textContent)), [`The reason was ${IMG}`, SCRIPT]);
    assert.ok(((await page.textContent('.side-panel[data-side="client"] .timeline')) ?? '').includes(IMG));
    await page.goto(`${collector.url}/#/explorer`);
    await page.waitForSelector('table[data-table="closes"] tbody tr');
    assert.equal(await page.textContent('table[data-table="closes"] tbody td[data-label="Route"]'), `/r/${SCRIPT}`);
    assert.equal(await page.textContent('table[data-table="closes"] tbody td[data-label="Service"]'), `svc${IMG}`);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.deepEqual(dialogs, []);

    // The CSP itself is enforced: an inline script added to the page is refused.
    const inline = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }),
      );
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.appendChild(script);
      return { ran: (window as unknown as { __inline?: number }).__inline, directive: await violation };
    });
    assert.equal(inline.ran, undefined);
    assert.match(inline.directive, /^script-src/);
  } finally {
    await page.context().close();
  }
});
