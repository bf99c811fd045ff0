import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toClassifyInput } from '../src/join/classifier-input.js';
import { buildOutcome, UNKNOWN_ROUTE } from '../src/join/connection-outcome.js';
import type { StoredSide } from '../src/store/store.js';

function side(kind: 'client' | 'server', attributes: StoredSide['attributes'], times = { start: 1000, end: 5000 }): StoredSide {
  return {
    side: kind,
    traceId: 'a'.repeat(32),
    spanId: kind === 'client' ? '1'.repeat(16) : '2'.repeat(16),
    parentSpanId: kind === 'client' ? null : '1'.repeat(16),
    service: kind === 'client' ? 'chat-web' : 'chat-api',
    resource: {},
    scope: { name: 'agent', version: '1' },
    startTimeMs: times.start,
    endTimeMs: times.end,
    attributes,
    events: [{ name: 'websocket.open', timeMs: times.start + 10 }],
    receivedAtMs: times.end + 1,
  };
}

const classification = { cause: 'server_terminated' as const, evidence: ['server called terminate()'] };

const pickApp = ({ appProtocol, appReason }: { appProtocol: string | null; appReason: string | null }) => ({ appProtocol, appReason });

describe('connection outcome', () => {
  it('takes code, reason, phase, route and service from the client when it reported them', () => {
    const client = side('client', {
      'websocket.close.code': 1006,
      'websocket.phase': 'open',
      'websocket.route': '/rooms/:id',
      'websocket.open.duration_ms': 3000,
    });
    const server = side(
      'server',
      {
        'websocket.close.code': 1011,
        'websocket.close.reason': 'bye',
        'websocket.phase': 'closing',
        'websocket.route': '/srv',
        'websocket.handshake.duration_ms': 12,
      },
      { start: 900, end: 6000 },
    );
    const outcome = buildOutcome({ client, server }, classification);
    assert.deepEqual(outcome, {
      cause: 'server_terminated',
      evidence: ['server called terminate()'],
      service: 'chat-web',
      route: '/rooms/:id',
      code: 1006,
      reason: 'bye',
      phase: 'open',
      observedBy: 'both',
      startTimeMs: 900,
      endTimeMs: 6000,
      handshakeMs: 12,
      openMs: 3000,
      appProtocol: null,
      appReason: null,
    });
  });

  it("falls back to the server's values, then to the URL and the opened flag", () => {
    const server = side('server', { 'url.full': 'wss://chat.example/rooms/12345?x=1', 'websocket.opened': true });
    const outcome = buildOutcome({ client: null, server }, classification);
    assert.equal(outcome.observedBy, 'server');
    assert.equal(outcome.service, 'chat-api');
    assert.equal(outcome.route, '/rooms/:id');
    assert.equal(outcome.code, null);
    assert.equal(outcome.phase, 'open');
    assert.equal(outcome.reason, '');
    const bare = buildOutcome({ client: side('client', {}), server: null }, classification);
    assert.equal(bare.route, UNKNOWN_ROUTE);
    assert.equal(bare.phase, 'handshake');
    assert.equal(bare.observedBy, 'client');
  });

  it('names the app protocol and the reason of the side that decided, not the peer\'s "transport close"', () => {
    const client = side('client', { 'websocket.app.protocol': 'socket.io', 'websocket.app.close_reason': 'ping timeout' });
    const server = side('server', { 'websocket.app.protocol': 'socket.io', 'websocket.app.close_reason': 'transport close' });
    assert.deepEqual(pickApp(buildOutcome({ client, server }, classification)), { appProtocol: 'socket.io', appReason: 'ping timeout' });
    const kick = side('server', { 'websocket.app.protocol': 'socket.io', 'websocket.app.close_reason': 'server namespace disconnect' });
    const kicked = side('client', { 'websocket.app.protocol': 'socket.io', 'websocket.app.close_reason': 'io server disconnect' });
    assert.equal(buildOutcome({ client: kicked, server: kick }, classification).appReason, 'server namespace disconnect', 'the server first');
  });

  it('a connect refusal is the reason, with its message; a browser alone gets the protocol from its URL', () => {
    const server = side('server', {
      'websocket.app.protocol': 'socket.io',
      'websocket.app.close_reason': 'transport close',
      'websocket.app.connect_error': 'unauthorized',
    });
    const browser = side('client', { 'url.full': 'wss://h/socket.io/?EIO=4&transport=websocket&sid=REDACTED' });
    assert.deepEqual(pickApp(buildOutcome({ client: browser, server }, classification)), {
      appProtocol: 'socket.io',
      appReason: 'connect_error: unauthorized',
    });
    assert.deepEqual(pickApp(buildOutcome({ client: browser, server: null }, classification)), { appProtocol: 'socket.io', appReason: null });
  });

  it("graphql-ws: the protocol from the subprotocol, the reason as its close code's name", () => {
    const server = side('server', {
      'websocket.subprotocol': 'graphql-transport-ws',
      'websocket.close.code': 4408,
      'websocket.close.reason': 'Connection initialisation timeout',
    });
    assert.deepEqual(pickApp(buildOutcome({ client: null, server }, classification)), {
      appProtocol: 'graphql-ws',
      appReason: '4408 Connection Initialisation Timeout',
    });
    const plain = side('server', { 'websocket.subprotocol': 'chat.v2', 'websocket.close.code': 4408 });
    assert.deepEqual(pickApp(buildOutcome({ client: null, server: plain }, classification)), { appProtocol: null, appReason: null });
  });

  it('gives the classifier the sides that arrived in its own shape', () => {
    const client = side('client', { 'websocket.close.code': 1006 });
    const input = toClassifyInput({ client, server: null });
    assert.deepEqual(input, { client: { attributes: client.attributes, events: client.events, startTimeMs: 1000, endTimeMs: 5000 } });
  });
});
