import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, makeTempDir, waitFor, type TempDir } from '@closewatch/test/harness';
import { DEFAULT_CONFIG } from '../../collector/src/config.js';
import { startCollector, type RunningCollector } from '../../collector/src/start-collector.js';
import { newDashboardPage } from './dashboard-helpers.js';

let dir: TempDir;
let collector: RunningCollector;
let browser: Browser;

before(async () => {
  dir = makeTempDir('dashboard-setup');
  collector = await startCollector(
    { ...DEFAULT_CONFIG, port: 0, dataDir: dir.path, joinWindowMs: 1_000, sweepIntervalMs: 250, ingestKeys: ['pk_setup_test'] },
    { log: () => undefined },
  );
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await dir?.remove();
});

test('Setup shows snippets with this collector and its key, and a test connection becomes a record', async () => {
  const page = await newDashboardPage(browser);
  try {
    await page.goto(`${collector.url}/#/setup`);
    await page.waitForSelector('#snippet-browser');
    assert.equal(
      await page.textContent('#snippet-browser'),
      '<script src="http://127.0.0.1:4318/agent.js" data-endpoint="http://127.0.0.1:4318" data-key="pk_setup_test" data-service="my-web-app"></script>',
    );
    assert.match((await page.textContent('#snippet-node')) ?? '', /node --import @closewatch\/agent-node\/register server\.js/);
    assert.match((await page.textContent('#snippet-prometheus')) ?? '', /targets: \['127\.0\.0\.1:4318'\]/);

    await page.click('#send-test-connection');
    await page.waitForSelector('.test-connection .message', { timeout: 60_000 });
    assert.match((await page.textContent('.test-log')) ?? '', /Echo received; closing with 1000\..*Socket closed with code 1000\./);
    const link = page.locator('.test-connection a');
    assert.equal(await link.textContent(), 'Open the test connection');
    await link.click();
    await page.waitForSelector('[data-field="cause-title"]');
    assert.match((await page.textContent('[data-field="close-code"]')) ?? '', /^1000 Normal Closure/);
    assert.match((await page.textContent('.side-panel[data-side="client"] .side-meta')) ?? '', /^closewatch-setup-test · @closewatch\/agent-browser/);
    await waitFor(async () => page.url().includes('#/connection/'));
  } finally {
    await page.context().close();
  }
});
