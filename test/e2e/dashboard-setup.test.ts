import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, makeTempDir, type TempDir } from '@closewatch/test/harness';
import { DEFAULT_CONFIG } from '../../collector/src/config.js';
import { startCollector, type RunningCollector } from '../../collector/src/start-collector.js';
import { startTestCollector, type TestCollector } from '../../collector/test/api-fixtures.js';
import { newDashboardPage } from './dashboard-helpers.js';

let keyedDir: TempDir;
let keyed: TestCollector;
let dir: TempDir;
let collector: RunningCollector;
let browser: Browser;

before(async () => {
  keyedDir = makeTempDir('dashboard-setup-keyed');
  keyed = await startTestCollector(keyedDir.path, { ingestKeys: ['pk_setup_test', 'pk_other'], publicUrl: 'https://cw.example.com:8443' });
  dir = makeTempDir('dashboard-setup');
  collector = await startCollector({ ...DEFAULT_CONFIG, port: 0, dataDir: dir.path, joinWindowMs: 1_000, sweepIntervalMs: 250 }, { log: () => undefined });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await keyed?.close();
  await dir?.remove();
  await keyedDir?.remove();
});

test("Setup's snippets carry the collector's public URL and its first browser key", async () => {
  const page = await newDashboardPage(browser);
  try {
    await page.goto(`${keyed.url}/#/setup`);
    await page.waitForSelector('#snippet-browser');
    assert.equal(
      await page.textContent('#snippet-browser'),
      '<script src="https://cw.example.com:8443/agent.js" data-endpoint="https://cw.example.com:8443" data-key="pk_setup_test" data-service="my-web-app"></script>',
    );
    assert.match((await page.textContent('#snippet-bundler')) ?? '', /init\(\{ endpoint: "https:\/\/cw\.example\.com:8443", key: "pk_setup_test"/);
    assert.match(
      (await page.textContent('#snippet-node')) ?? '',
      /CLOSEWATCH_ENDPOINT=https:\/\/cw\.example\.com:8443 OTEL_EXPORTER_OTLP_HEADERS=x-closewatch-key=pk_setup_test/,
    );
    assert.match((await page.textContent('#snippet-prometheus')) ?? '', /scheme: https\n.*\n.*\n.*targets: \['cw\.example\.com:8443'\]/);
  } finally {
    await page.context().close();
  }
});

test('"Send a test connection" drives a real socket through the agent into a record joined from both sides', async () => {
  const page = await newDashboardPage(browser);
  try {
    await page.goto(`${collector.url}/#/setup`);
    await page.click('#send-test-connection');
    await page.waitForSelector('.test-connection .message', { timeout: 60_000 });
    assert.match((await page.textContent('.test-log')) ?? '', /Echo received; closing with 1000\..*Socket closed with code 1000\./);
    const link = page.locator('.test-connection a');
    assert.equal(await link.textContent(), 'Open the test connection');
    await link.click();
    await page.waitForSelector('[data-field="cause-title"]');
    assert.match((await page.textContent('[data-field="close-code"]')) ?? '', /^1000 Normal Closure/);
    assert.match((await page.textContent('.side-panel[data-side="client"] .side-meta')) ?? '', /^closewatch-setup-test · @closewatch\/agent-browser/);
    assert.match((await page.textContent('.side-panel[data-side="server"] .side-meta')) ?? '', /^closewatch-collector · @closewatch\/collector\/test-socket/);
    assert.match((await page.textContent('.verdict-meta')) ?? '', /observed by both/);
  } finally {
    await page.context().close();
  }
});
