import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, makeTempDir, waitFor, type TempDir } from '@closewatch/test/harness';
import { APP_PROTOCOL_SEED, seedConnections, seedId, STANDARD_SEED, startTestCollector, type TestCollector } from '../../collector/test/api-fixtures.js';
import { newDashboardPage, screenshot, WIDTHS } from './dashboard-helpers.js';

let dir: TempDir;
let collector: TestCollector;
let browser: Browser;

before(async () => {
  dir = makeTempDir('dashboard-app-protocols');
  collector = await startTestCollector(dir.path);
  await seedConnections(collector.store, [...APP_PROTOCOL_SEED, ...STANDARD_SEED]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await dir?.remove();
});

test('the connection page shows the framework with its reason, and a graphql-ws code in its own terms', async () => {
  const page = await newDashboardPage(browser);
  try {
    await page.goto(`${collector.url}/#/connection/${seedId(2)}`);
    const code = await page.waitForSelector('[data-field="close-code"]');
    assert.match((await code.textContent()) ?? '', /^graphql-ws 4401 Unauthorized: /);
    assert.equal((await page.textContent('[data-field="app"]'))?.trim(), 'graphql-ws · 4401 Unauthorized');
    await screenshot(page, 'connection-graphql-ws');
    await page.goto(`${collector.url}/#/connection/${seedId(0)}`);
    await page.waitForSelector('[data-field="app"]');
    assert.equal((await page.textContent('[data-field="app"]'))?.trim(), 'socket.io · ping timeout');
    assert.match((await page.textContent('[data-field="evidence"]')) ?? '', /"ping timeout"/);
    await screenshot(page, 'connection-socket-io');
    await page.click('[data-field="app"] a:has-text("ping timeout")');
    await waitFor(() => page.url().includes('#/explorer') && page.url().includes('app_reason=ping+timeout'));
    await waitFor(async () => (await page.$$('table[data-table="closes"] tbody tr')).length === 1);
    assert.equal(await page.inputValue('#filter-app_reason'), 'ping timeout');
  } finally {
    await page.context().close();
  }
});

test('the Explorer filters by framework and shows framework and reason in a column', async () => {
  const page = await newDashboardPage(browser);
  try {
    await page.goto(`${collector.url}/#/explorer`);
    await page.waitForSelector('table[data-table="closes"] tbody tr');
    await page.selectOption('#filter-app', 'socket.io');
    await waitFor(() => page.url().includes('app=socket.io'));
    await waitFor(async () => (await page.$$('table[data-table="closes"] tbody tr')).length === 2);
    assert.equal(await page.inputValue('#filter-app'), 'socket.io', 'the select shows the filter in the URL');
    const cells = await page.$$eval('table[data-table="closes"] tbody tr', (rows) => rows.map((row) => row.textContent ?? ''));
    assert.ok(
      cells.some((text) => text.includes('socket.io · connect_error: unauthorized')),
      cells.join('\n'),
    );
    assert.ok(
      cells.some((text) => text.includes('socket.io · ping timeout')),
      cells.join('\n'),
    );
    await screenshot(page, 'explorer-socket-io');
    const phone = await newDashboardPage(browser, WIDTHS.phone);
    await phone.goto(page.url());
    await phone.waitForSelector('table[data-table="closes"] tbody tr');
    await screenshot(phone, 'explorer-socket-io-phone');
    await phone.context().close();
    // The reason is a filter of its own in the bar, next to the framework, not only a link's URL parameter.
    const labels = await page.$$eval('form.filters label', (nodes) => nodes.map((node) => node.textContent ?? ''));
    assert.equal(labels.indexOf('Framework reason'), labels.indexOf('Framework') + 1, labels.join(', '));
    await page.fill('#filter-app_reason', 'ping timeout');
    await page.press('#filter-app_reason', 'Enter');
    await waitFor(() => page.url().includes('app_reason=ping+timeout'));
    await waitFor(async () => (await page.$$('table[data-table="closes"] tbody tr')).length === 1);
    assert.match((await page.textContent('table[data-table="closes"] tbody tr')) ?? '', /socket\.io · ping timeout/);
    await screenshot(page, 'explorer-socket-io-reason');
  } finally {
    await page.context().close();
  }
});
