// The snippet every page downloads: within its size budget and free of any other SDK.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { snippetPath } from './agent-page.js';

/** DESIGN budget for dist/closewatch.iife.js, minified + gzip. */
const BUDGET_GZIP_BYTES = 3 * 1024;

test('the IIFE snippet is at most 3 KB minified + gzip', () => {
  const gzipped = gzipSync(readFileSync(snippetPath), { level: 9 }).length;
  assert.ok(gzipped <= BUDGET_GZIP_BYTES, `closewatch.iife.js is ${gzipped} bytes gzip, budget ${BUDGET_GZIP_BYTES}`);
});

test('the snippet bundles no OpenTelemetry SDK and no source maps', () => {
  const source = readFileSync(snippetPath, 'utf8');
  assert.doesNotMatch(source, /@opentelemetry|sourceMappingURL/);
  assert.match(source, /websocket\.connection/);
});

test('the package version the spans carry matches package.json', async () => {
  const { AGENT_VERSION, AGENT_NAME } = await import('../src/version.js');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(AGENT_NAME, pkg.name);
  assert.equal(AGENT_VERSION, pkg.version);
});
