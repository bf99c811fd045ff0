// The snippet every page downloads: within its size budget and free of any other SDK.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { snippetPath } from './agent-page.js';

/** The snippet's budget: 3.5 KB minified + gzip (3 KB before open-socket snapshots and app protocols; docs/design.md). */
const BUDGET_GZIP_BYTES = 3584;

/** What the collector sends for `/agent.js` to a browser (every browser accepts gzip): build.mjs's zopfli stream. */
function servedGzip(): Buffer {
  return readFileSync(`${snippetPath}.gz`);
}

test('the IIFE snippet is at most 3.5 KB minified + gzip, as served', () => {
  const gzipped = servedGzip().length;
  assert.ok(gzipped <= BUDGET_GZIP_BYTES, `closewatch.iife.js.gz is ${gzipped} bytes, budget ${BUDGET_GZIP_BYTES}`);
});

test('the served gzip stream is the minified snippet, and zlib level 9 stays within 4% of it', () => {
  const minified = readFileSync(snippetPath);
  assert.deepEqual(gunzipSync(servedGzip()), minified);
  // A gzip of the same bytes by any tool lands near the budget too: the margin is the encoder's, not hidden code.
  assert.ok(gzipSync(minified, { level: 9 }).length <= BUDGET_GZIP_BYTES * 1.04);
});

test('the snippet bundles no OpenTelemetry SDK and no source maps', () => {
  const source = readFileSync(snippetPath, 'utf8');
  assert.doesNotMatch(source, /@opentelemetry|sourceMappingURL/);
  assert.match(source, /websocket\.connection/);
});

test('the package version the spans carry matches package.json', async () => {
  const { AGENT_VERSION, AGENT_NAME } = await import('../src/version.js');
  const { BROWSER_AGENT_SCOPE } = await import('@closewatch/conventions');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  assert.equal(AGENT_NAME, pkg.name);
  assert.equal(AGENT_NAME, BROWSER_AGENT_SCOPE, 'the collector expands short keys of this scope');
  assert.equal(AGENT_VERSION, pkg.version);
});
