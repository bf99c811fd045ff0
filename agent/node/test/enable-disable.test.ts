import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { startWsServer, waitFor } from '@closewatch/test/harness';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import WebSocket, { WebSocketServer } from 'ws';
import { WsInstrumentation } from '../src/index.js';

function snapshot(): Map<string, unknown> {
  const properties = new Map<string, unknown>();
  for (const name of ['emit', 'setSocket', 'send', 'ping', 'pong', 'close', 'terminate']) {
    properties.set(`WebSocket.${name}`, Object.getOwnPropertyDescriptor(WebSocket.prototype, name));
  }
  properties.set('WebSocket._req', Object.getOwnPropertyDescriptor(WebSocket.prototype, '_req'));
  for (const name of ['handleUpgrade', 'emit']) {
    properties.set(`WebSocketServer.${name}`, Object.getOwnPropertyDescriptor(WebSocketServer.prototype, name));
  }
  properties.set('http.Server.emit', Object.getOwnPropertyDescriptor(http.Server.prototype, 'emit'));
  properties.set('net.Socket.write', Object.getOwnPropertyDescriptor(net.Socket.prototype, 'write'));
  properties.set('net.Socket.end', Object.getOwnPropertyDescriptor(net.Socket.prototype, 'end'));
  return properties;
}

test('disable() puts back exactly what enable() replaced, and enable() again records again', async (t) => {
  const before = snapshot();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = new WsInstrumentation({ handleProcessExit: false });
  instrumentation.setTracerProvider(provider);
  t.after(async () => {
    instrumentation.disable();
    await provider.shutdown();
  });
  assert.notDeepEqual(snapshot(), before, 'enabled: prototypes are patched');
  instrumentation.disable();
  assert.deepEqual(snapshot(), before, 'disabled: the originals are back');
  assert.ok(http.Server.prototype.emit === EventEmitter.prototype.emit, 'http.Server emits through EventEmitter again');

  const server = await startWsServer({ t, onConnection: (ws) => ws.close(1000) });
  await new Promise((resolve) => new WebSocket(server.url).once('close', resolve));
  assert.equal(exporter.getFinishedSpans().length, 0, 'nothing is recorded while disabled');

  instrumentation.enable();
  await new Promise((resolve) => new WebSocket(server.url).once('close', resolve));
  const spans = await waitFor(() => exporter.getFinishedSpans().length >= 2 && exporter.getFinishedSpans(), { message: 'spans after enable()' });
  assert.deepEqual(spans.map((span) => span.kind).sort(), [1, 2], 'a SERVER and a CLIENT span');
});
