// The connection page of a lost browser record: the browser's last open-connection snapshot sits in
// the client column on the connection's time axis, and "observed by" tells a browser snapshot from a
// browser close (docs/design.md "Open-connection snapshots"). Real collector, real Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/index.js';
import { clientSpan, otlpJsonBody, serverSpanFor, spanId } from '../../collector/test/support/otlp-fixtures.js';
import { waitForClose } from './support/collector-api.js';
import { newDashboardPage, screenshot, WIDTHS } from './dashboard-helpers.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

async function post(url: string, body: string, contentType: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });
  assert.equal(response.status, 200, await response.text());
}

test('a connection decided from a browser snapshot shows the snapshot on its timeline and "observed by" the server and the snapshot; a joined one the browser close', async (t) => {
  const collector = await startPipelineCollector(t);
  const now = Date.now();
  const lost = clientSpan({ startMs: now - 90_000, endMs: now - 500 }, { 'websocket.route': '/live' });
  const snapshotTime = String(BigInt(now - 20_000) * 1_000_000n);
  const snapshot = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'lost-record-web' } }] },
        scopeSpans: [
          {
            scope: { name: '@closewatch/agent-browser', version: '0.1.0' },
            spans: [
              {
                traceId: lost.traceId,
                spanId: spanId(),
                parentSpanId: lost.spanId,
                name: 'websocket.snapshot',
                kind: 3,
                startTimeUnixNano: snapshotTime,
                endTimeUnixNano: snapshotTime,
                attributes: [
                  { key: 'g', value: { stringValue: 'hidden' } },
                  { key: 'gms', value: { doubleValue: 60000 } },
                  { key: 'v', value: { stringValue: 'hidden' } },
                  { key: 'n', value: { boolValue: true } },
                  { key: 't', value: { stringValue: '4g' } },
                  { key: 'lms', value: { doubleValue: 3200 } },
                  { key: 'Lms', value: { doubleValue: 800 } },
                  { key: 'a', value: { intValue: '0' } },
                  { key: 'm', value: { intValue: '12' } },
                  { key: 'M', value: { intValue: '40' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  await post(`${collector.url}/v1/beacon`, JSON.stringify(snapshot), 'text/plain;charset=UTF-8');
  // The server's heartbeat ends the connection a while after the snapshot (the collector places a snapshot by its arrival).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  lost.endMs = Date.now() + 5;
  const server = serverSpanFor(lost, {
    'websocket.route': '/live',
    'websocket.close.code': 1006,
    'websocket.close.was_clean': false,
    'websocket.termination': 'terminate',
    'websocket.cause.hint': 'server_heartbeat_timeout',
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  });
  await post(`${collector.url}/v1/traces`, otlpJsonBody([server]).toString('utf8'), 'application/json');
  const joined = clientSpan({ startMs: now - 30_000, endMs: now - 1_000 }, { 'websocket.route': '/joined' });
  await post(
    `${collector.url}/v1/traces`,
    otlpJsonBody([joined, serverSpanFor(joined, { 'websocket.route': '/joined' })]).toString('utf8'),
    'application/json',
  );

  const detail = await waitForClose(collector.url, '/live', { observedBy: 'server_snapshot' });
  assert.equal(detail.outcome?.cause, 'client_suspended');
  const both = await waitForClose(collector.url, '/joined');

  for (const [name, viewport] of Object.entries(WIDTHS)) {
    const page = await newDashboardPage(browser, viewport);
    try {
      await page.goto(`${collector.url}/#/connection/${encodeURIComponent(detail.id)}`);
      const observed = await page.waitForSelector('[data-field="observed-by"]');
      assert.equal(await observed.getAttribute('data-observed-by'), 'server_snapshot');
      assert.equal((await observed.textContent())?.trim(), 'the server and the browser’s last snapshot (no browser close record)');
      const panel = await page.waitForSelector('[data-side="client"][data-observed="snapshot"]');
      assert.match((await panel.textContent()) ?? '', /No browser close record arrived\. The browser's last snapshot of this open connection \(1 received\)/);
      assert.match((await page.textContent('[data-field="snapshot-event"]')) ?? '', /websocket\.snapshot the page became hidden · hidden, online/);
      assert.match((await page.textContent('[data-field="evidence"]')) ?? '', /taken on hidden/);
      assert.match((await page.textContent('[data-side="server"]')) ?? '', /websocket\.termination/);
      await screenshot(page, `connection-lost-browser-record-${name}`);

      await page.goto(`${collector.url}/#/connection/${encodeURIComponent(both.id)}`);
      await page.waitForSelector('[data-side="client"]:not([data-observed])');
      assert.equal(await page.getAttribute('[data-field="observed-by"]', 'data-observed-by'), 'both');
      assert.match((await page.textContent('[data-field="observed-by"]')) ?? '', /browser’s close record/);
    } finally {
      await page.context().close();
    }
  }
});
