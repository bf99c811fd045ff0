import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { CAUSES } from '@closewatch/conventions';
import { launchChromium, makeTempDir, waitFor, type TempDir } from '@closewatch/test/harness';
import { NOW, seedConnections, seedId, STANDARD_SEED, startTestCollector, type TestCollector } from '../../collector/test/api-fixtures.js';
import { terminatedPair } from '../../collector/test/support/join-helpers.js';
import { otlpJsonBody } from '../../collector/test/support/otlp-fixtures.js';
import { chartTableRows, newDashboardPage, screenshot, statValue, WIDTHS } from './dashboard-helpers.js';

const HOUR = 3_600_000;

let dir: TempDir;
let collector: TestCollector;
let browser: Browser;

before(async () => {
  dir = makeTempDir('dashboard');
  collector = await startTestCollector(dir.path);
  await seedConnections(collector.store, STANDARD_SEED);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await dir?.remove();
});

describe('dashboard pages with seeded data', () => {
  test('Overview shows the seeded totals, the 1006 rate and every chart with its table', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/overview`);
      await page.waitForSelector('[data-stat="total"]');
      assert.equal(await statValue(page, 'total'), '10');
      assert.equal(await statValue(page, 'closes1006'), '6');
      assert.equal(await statValue(page, 'rate1006'), '60.0%');
      assert.equal(await statValue(page, 'observed-both'), '5');
      assert.deepEqual(await chartTableRows(page, 'rate-1006-by-phase'), [
        ['handshake', '100.0%'],
        ['open', '50.0%'],
        ['closing', '0.0%'],
      ]);
      const routes = await chartTableRows(page, 'top-routes');
      assert.deepEqual(routes[0], ['chat /rooms/:id', '100.0%']);
      assert.deepEqual((await chartTableRows(page, 'close-codes')).sort(), [
        ['1000', '3'],
        ['1006', '6'],
        ['1009', '1'],
      ]);
      const byCause = await chartTableRows(page, 'closes-by-cause');
      const header = await page.$$eval('table[data-chart-table="closes-by-cause"] thead th', (ths) => ths.map((th) => th.textContent));
      assert.ok(header.includes(CAUSES.intermediary_timeout.title), 'legend uses the taxonomy titles');
      const column = header.indexOf(CAUSES.intermediary_timeout.title);
      assert.equal(
        byCause.reduce((n, row) => n + Number(row[column]), 0),
        4,
      );
      const canvases = await page.$$eval('figure.chart canvas', (els) => els.map((c) => (c as HTMLCanvasElement).width));
      assert.equal(canvases.length, 6);
      assert.ok(
        canvases.every((w) => w > 0),
        'every chart was drawn with a size',
      );
      assert.equal(await page.getAttribute('nav a[aria-current="page"]', 'href'), '#/overview');
    } finally {
      await page.context().close();
    }
  });

  test('filters change the URL and the data', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/overview`);
      const phase = await page.waitForSelector('#filter-phase');
      await page.selectOption('#filter-phase', 'handshake');
      await waitFor(() => page.url().includes('phase=handshake'));
      await waitFor(async () => (await statValue(page, 'total').catch(() => '')) === '2');
      assert.ok(await phase.evaluate((el) => el.isConnected), 'the filter bar is kept across filter changes (focus stays put)');
      assert.equal(await page.textContent('.filter-panel summary'), 'Filters (1 set)');
      assert.equal(await statValue(page, 'rate1006'), '100.0%');
      await page.selectOption('#filter-phase', '');
      await waitFor(() => !page.url().includes('phase='));
      await page.fill('#filter-service', 'feed');
      await page.press('#filter-service', 'Enter');
      await waitFor(() => page.url().includes('service=feed'));
      await waitFor(async () => (await statValue(page, 'total').catch(() => '')) === '4');
      assert.equal(await statValue(page, 'rate1006'), '0.0%');
      await page.selectOption('#filter-range', 'now-7d');
      await waitFor(() => page.url().includes('from=now-7d'));
      await waitFor(async () => (await statValue(page, 'total').catch(() => '')) === '4');
      // The shared URL alone reproduces the view.
      const shared = await newDashboardPage(browser);
      await shared.goto(page.url());
      await shared.waitForSelector('[data-stat="total"]');
      assert.equal(await statValue(shared, 'total'), '4');
      assert.equal(await shared.inputValue('#filter-service'), 'feed');
      await shared.context().close();
    } finally {
      await page.context().close();
    }
  });

  test('Causes shows one card per seen cause with count, share, taxonomy text and a link', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/causes`);
      await page.waitForSelector('.cause-card');
      const cards = await page.$$eval('.cause-card', (els) => els.map((el) => el.getAttribute('data-cause')));
      assert.deepEqual([...cards].sort(), ['handshake_auth_rejected', 'intermediary_timeout', 'normal_closure', 'server_rejected_frame']);
      const card = page.locator('.cause-card[data-cause="intermediary_timeout"]');
      assert.equal(await card.locator('[data-field="count"]').textContent(), '4 closes');
      assert.equal(await card.locator('[data-field="share"]').textContent(), '40.0% of all');
      assert.equal(await card.locator('h2').textContent(), CAUSES.intermediary_timeout.title);
      assert.equal(await card.locator('.remediation p').textContent(), CAUSES.intermediary_timeout.remediation);
      assert.equal(await card.locator('canvas').count(), 1);
      await card.locator('a.button').click();
      await waitFor(() => page.url().includes('#/explorer') && page.url().includes('cause=intermediary_timeout'));
      await waitFor(async () => (await page.locator('table[data-table="closes"] tbody tr').count()) === 4);
    } finally {
      await page.context().close();
    }
  });

  test('Explorer lists the connections and the detail view shows both sides and the remediation', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/explorer`);
      await page.waitForSelector('table[data-table="closes"] tbody tr');
      const rows = await page.$$eval('table[data-table="closes"] tbody tr', (trs) =>
        trs.map((tr) => Array.from(tr.children).map((td) => td.textContent ?? '')),
      );
      assert.equal(rows.length, 10);
      assert.deepEqual(rows[0].slice(1, 6), ['chat', '/rooms/:id', '1006', CAUSES.intermediary_timeout.title, 'open']);
      assert.equal(rows[0][8], 'both');
      await page.click('table[data-table="closes"] td[data-label="Service"] a:text-is("feed")');
      await waitFor(() => page.url().includes('service=feed'));
      await waitFor(async () => (await page.locator('table[data-table="closes"] tbody tr').count()) === 4);
      await page.goBack();
      await waitFor(async () => (await page.locator('table[data-table="closes"] tbody tr').count()) === 10);
      await page.click('table[data-table="closes"] tbody tr:first-child a');
      await waitFor(() => page.url().includes(`#/connection/${seedId(0)}`));
      await page.waitForSelector('[data-field="cause-title"]');
      assert.equal(await page.textContent('[data-field="cause-title"]'), CAUSES.intermediary_timeout.title);
      assert.equal(await page.textContent('[data-field="remediation"] p'), CAUSES.intermediary_timeout.remediation);
      assert.match((await page.textContent('[data-field="close-code"]')) ?? '', /^1006 Abnormal Closure: /);
      assert.deepEqual(await page.$$eval('[data-field="evidence"] li', (lis) => lis.map((li) => li.textContent)), [
        'Both sides saw an abrupt end after 60 s idle.',
      ]);
      assert.equal(await page.textContent('#probe-command'), "closewatch probe 'wss://chat.example.com/rooms/42?room=42&token=REDACTED'");
      const client = page.locator('.side-panel[data-side="client"]');
      const server = page.locator('.side-panel[data-side="server"]');
      assert.match((await client.locator('.side-meta').textContent()) ?? '', /^chat-web · @closewatch\/agent-browser/);
      assert.match((await server.locator('.side-meta').textContent()) ?? '', /^chat · @closewatch\/agent-node/);
      assert.ok(((await client.locator('.timeline').textContent()) ?? '').includes('websocket.open'));
      assert.ok(((await server.locator('dl.attributes').first().textContent()) ?? '').includes('terminate'));
    } finally {
      await page.context().close();
    }
  });

  test('a connection seen by one side says which agent is missing', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/connection/${seedId(9)}`);
      await page.waitForSelector('.side-panel[data-side="client"].missing');
      assert.match((await page.textContent('.side-panel[data-side="client"]')) ?? '', /No client span arrived/);
      assert.equal(await page.textContent('#probe-command'), "closewatch probe 'ws://feed.example.com/upload'");
    } finally {
      await page.context().close();
    }
  });

  test('empty ranges show the first-run or no-match view, API errors show a message', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/overview?from=now-30d&to=now-20d`);
      await page.waitForSelector('[data-empty="first-run"]');
      assert.equal(await page.locator('figure.chart').count(), 0);
      await page.goto(`${collector.url}/#/explorer?service=nobody`);
      await page.waitForSelector('[data-empty="filtered"]');
      await page.goto(`${collector.url}/#/overview?from=last-tuesday`);
      await page.waitForSelector('.message.error');
      assert.match((await page.textContent('.message.error')) ?? '', /from="last-tuesday".*\(invalid_filter\)/);
    } finally {
      await page.context().close();
    }
  });

  test('pages can be reached with the keyboard alone', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/overview`);
      await page.waitForSelector('[data-stat="total"]');
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'Causes';
      }
      assert.ok(reached, 'Tab reaches the Causes link');
      await page.keyboard.press('Enter');
      await waitFor(() => page.url().includes('#/causes'));
      const unlabelled = await page.$$eval('input, select, textarea', (els) =>
        els.filter((el) => !el.id || !document.querySelector(`label[for="${el.id}"]`)).map((el) => el.outerHTML),
      );
      assert.deepEqual(unlabelled, []);
    } finally {
      await page.context().close();
    }
  });

  test('the auto-refresh toggle is visible, labelled and remembered', async () => {
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/overview`);
      await page.waitForSelector('#auto-refresh');
      assert.equal(await page.isChecked('#auto-refresh'), true);
      assert.equal(await page.textContent('label[for="auto-refresh"]'), 'Auto-refresh every 30 s');
      await page.uncheck('#auto-refresh');
      await page.reload();
      await page.waitForSelector('#auto-refresh');
      assert.equal(await page.isChecked('#auto-refresh'), false);
    } finally {
      await page.context().close();
    }
  });

  test('screenshots of every page at 1280 px and 390 px, light and dark', async () => {
    const pages = ['overview', 'causes', 'explorer', `connection/${seedId(0)}`, 'alerts', 'setup'];
    for (const [widthName, viewport] of Object.entries(WIDTHS)) {
      for (const scheme of ['light', 'dark'] as const) {
        if (scheme === 'dark' && widthName === 'phone') continue;
        const page = await newDashboardPage(browser, viewport, scheme);
        try {
          for (const name of pages) {
            await page.goto(`${collector.url}/#/${name}`);
            await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            assert.ok(overflow <= 0, `${name} at ${viewport.width} px scrolls sideways by ${overflow} px`);
            await screenshot(page, `dashboard-${name.split('/')[0]}-${viewport.width}${scheme === 'dark' ? '-dark' : ''}`);
          }
        } finally {
          await page.context().close();
        }
      }
    }
  });
});

describe('a connection whose browser clock is off', () => {
  test('the connection page says how far the browser clock was off and lays both sides on the collector clock', async () => {
    const [client, server] = terminatedPair(NOW - 65_000);
    const ahead = { ...client, startMs: client.startMs + 2 * HOUR, endMs: client.endMs + 2 * HOUR };
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      body: new Uint8Array(otlpJsonBody([ahead, server])),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    const page = await newDashboardPage(browser);
    try {
      await page.goto(`${collector.url}/#/connection/${client.traceId}-${client.spanId}`);
      await page.waitForSelector('.side-panel[data-side="client"] [data-field="clock-offset"]');
      assert.match((await page.textContent('.side-panel[data-side="client"] [data-field="clock-offset"]')) ?? '', /clock was 2\.0 h ahead of the collector's/);
      assert.equal(await page.locator('.side-panel[data-side="server"] [data-field="clock-offset"]').count(), 0);
      const starts = await page.$$eval('.timeline li.timeline-edge:first-child .offset', (spans) => spans.map((s) => s.textContent));
      assert.deepEqual(starts, ['+0 ms', '+0 ms'], 'both span starts on one axis: the client placed where the server received its upgrade');
      assert.ok(
        (await page.$$eval('[data-field="evidence"] li', (lis) => lis.map((li) => li.textContent ?? ''))).some((line) => line.includes('clock_offset_ms=')),
      );
      await screenshot(page, 'dashboard-connection-clock-offset-1280');
    } finally {
      await page.context().close();
    }
  });
});
