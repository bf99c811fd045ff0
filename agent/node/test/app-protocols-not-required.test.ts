import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { ATTR_APP_PROTOCOL, ATTR_URL_FULL } from '@closewatch/conventions';
import WebSocket, { WebSocketServer } from 'ws';
import { captureSpans } from './span-capture.js';

/** The app protocols the agent recognises; it reads their frames and never loads their packages. */
const APP_PACKAGES = ['socket.io', 'socket.io-client', 'socket.io-parser', 'engine.io', 'engine.io-client', 'engine.io-parser', 'graphql-ws', 'graphql'];
const packageDir = new URL('..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

test('the agent declares no app protocol package as a dependency, and its source imports none', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of APP_PACKAGES) assert.equal(manifest[field]?.[name], undefined, `${name} in ${field}`);
  }
  const specifier = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;
  for (const file of sourceFiles(join(packageDir, 'src'))) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(specifier)) {
      const root = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      assert.ok(!APP_PACKAGES.includes(root), `${file} imports ${name}`);
    }
  }
});

test('an engine.io connection is recognised by the agent without any socket.io or engine.io module loaded', async (t) => {
  const capture = captureSpans(t);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  t.after(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as { port: number };
  // An engine.io URL and its open packet, spoken by hand: what the agent reads is the wire, not the library.
  wss.on('connection', (socket) => {
    socket.send('0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
    socket.on('message', () => socket.close());
  });
  const client = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=abc`);
  client.on('message', () => client.send('1'));
  await new Promise<void>((resolve) => client.once('close', () => resolve()));
  const spans = await capture.spans(2);
  for (const span of spans) {
    assert.equal(span.attributes[ATTR_APP_PROTOCOL], 'socket.io');
    assert.match(String(span.attributes[ATTR_URL_FULL]), /sid=REDACTED/);
  }
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  for (const name of APP_PACKAGES) {
    assert.ok(!loaded.some((path) => path.includes(`/node_modules/${name}/`)), `${name} was loaded`);
  }
});
