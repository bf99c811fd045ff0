import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, makeTempDir, waitFor, type TempDir } from '@closewatch/test/harness';
import { startTestCollector, type TestCollector } from '../../collector/test/api-fixtures.js';
import { newDashboardPage, screenshot, WIDTHS } from './dashboard-helpers.js';

const TOKEN = 'dashboard-admin-token';
let dir: TempDir;
let collector: TestCollector;
let browser: Browser;

before(async () => {
  dir = makeTempDir('dashboard-alerts');
  collector = await startTestCollector(dir.path, { adminToken: TOKEN });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await dir?.remove();
});

async function storedRules(): Promise<Array<Record<string, unknown>>> {
  return (await collector.store.listAlertRules()).map((record) => record.rule);
}

async function openAlerts(page: Page): Promise<void> {
  await page.goto(`${collector.url}/#/alerts`);
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
}

test('alert rules: writes need the admin token; create, edit and delete go through the real API', async () => {
  const page = await newDashboardPage(browser);
  page.on('dialog', (dialog) => void dialog.accept());
  try {
    await openAlerts(page);
    assert.match((await page.textContent('main')) ?? '', /No alert rules yet/);
    assert.equal(await page.locator('#admin-token').count(), 1, 'the token field is shown when the collector requires one');

    await page.click('text=New rule');
    await page.fill('#rule-name', 'Chat 1006 rate high');
    await page.fill('#rule-service', 'chat');
    await page.fill('#rule-threshold', '10');
    await page.fill('#rule-labels', 'team=realtime');
    await page.fill('#rule-targets', 'webhook http://127.0.0.1:9/hook');
    await screenshot(page, `dashboard-alerts-form-${WIDTHS.desktop.width}`);
    await page.click('button:has-text("Create rule")');
    await waitFor(async () => ((await page.textContent('.form-status')) ?? '').length > 0);
    assert.match((await page.textContent('.form-status')) ?? '', /admin token/);
    assert.deepEqual(await storedRules(), []);

    await page.fill('#admin-token', TOKEN);
    await page.click('button:has-text("Use token")');
    await page.click('button:has-text("Create rule")');
    await page.waitForSelector('table[data-table="alert-rules"]');
    const [rule] = await storedRules();
    assert.equal(rule?.name, 'Chat 1006 rate high');
    assert.deepEqual(rule?.filter, { service: 'chat' });
    assert.deepEqual(rule?.condition, { kind: 'rate_1006_above', threshold: 10 });
    assert.deepEqual(rule?.labels, { team: 'realtime' });
    assert.equal(await page.textContent('table[data-table="alert-rules"] td[data-label="Name"]'), 'Chat 1006 rate high');

    await page.click('button[aria-label="Edit Chat 1006 rate high"]');
    await page.fill('#rule-name', 'Chat 1006 rate very high');
    await page.fill('#rule-threshold', '25');
    await page.click('button:has-text("Save rule")');
    await waitFor(async () => (await page.textContent('table[data-table="alert-rules"] td[data-label="Name"]')) === 'Chat 1006 rate very high');
    assert.deepEqual((await storedRules())[0]?.condition, { kind: 'rate_1006_above', threshold: 25 });
    await screenshot(page, `dashboard-alerts-rules-${WIDTHS.desktop.width}`);

    await page.click('button[aria-label="Delete Chat 1006 rate very high"]');
    await waitFor(async () => (await page.locator('table[data-table="alert-rules"]').count()) === 0);
    assert.deepEqual(await storedRules(), []);
  } finally {
    await page.context().close();
  }
});

test('the Alerts page says so when the alerts backend is missing', async () => {
  const page = await newDashboardPage(browser);
  try {
    // Simulates a collector without the alerts module: its API answers 404 there.
    await page.route('**/api/v1/alerts', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"No API route GET /api/v1/alerts."}}' }),
    );
    await openAlerts(page);
    assert.match((await page.textContent('.message')) ?? '', /alerts backend is not available/);
  } finally {
    await page.context().close();
  }
});

test('alert rules on a collector beyond loopback without a token: the page says writes are refused and why', async () => {
  const exposedDir = makeTempDir('dashboard-alerts-exposed');
  const exposed = await startTestCollector(exposedDir.path, { host: '0.0.0.0' });
  const page = await newDashboardPage(browser);
  try {
    await page.goto(`${exposed.url}/#/alerts`);
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
    assert.match((await page.textContent('main')) ?? '', /Alert rules cannot be changed on this collector.*CLOSEWATCH_ADMIN_TOKEN/s);
    assert.equal(await page.locator('#admin-token').count(), 0, 'no token field: no token would be accepted');
    assert.equal(await page.locator('button:has-text("New rule")').isDisabled(), true);
    await screenshot(page, `dashboard-alerts-writes-refused-${WIDTHS.desktop.width}`);
  } finally {
    await page.context().close();
    await exposed.close();
    await exposedDir.remove();
  }
});
