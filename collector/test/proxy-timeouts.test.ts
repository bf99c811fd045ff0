import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyClose, KNOWN_INTERMEDIARY_TIMEOUTS } from '@closewatch/conventions';
import { loadConfig } from '../src/config/load-config.js';
import { classifyOptionsFor, parseProxyTimeout } from '../src/join/proxy-timeouts.js';

/** Both sides abrupt after `idleMs` of silence: what a proxy idle timeout looks like. */
function abruptBothSides(idleMs: number) {
  const start = 1_764_000_000_000;
  const end = start + idleMs + 500;
  return {
    client: {
      attributes: {
        'websocket.close.code': 1006,
        'websocket.close.was_clean': false,
        'websocket.opened': true,
        'websocket.phase': 'open',
        'websocket.idle_before_close_ms': idleMs,
      },
      events: [],
      startTimeMs: start,
      endTimeMs: end,
    },
    server: {
      attributes: {
        'websocket.close.code': 1006,
        'websocket.close.was_clean': false,
        'websocket.opened': true,
        'websocket.phase': 'open',
        'websocket.termination': 'socket_end',
        'websocket.idle_before_close_ms': idleMs,
      },
      events: [],
      startTimeMs: start,
      endTimeMs: end,
    },
  };
}

describe('configured proxy timeouts', () => {
  test('entries parse as name=duration[:idle|lifetime]', () => {
    assert.deepEqual(
      [parseProxyTimeout('edge-nginx=75s'), parseProxyTimeout('corp.proxy=10m:lifetime'), parseProxyTimeout('lb=1500ms'), parseProxyTimeout('cdn=1.5h')].map(
        (t) => t && [t.name, t.timeoutMs, t.kind],
      ),
      [
        ['edge-nginx (configured)', 75_000, 'idle'],
        ['corp.proxy (configured)', 600_000, 'lifetime'],
        ['lb (configured)', 1500, 'idle'],
        ['cdn (configured)', 5_400_000, 'idle'],
      ],
    );
    for (const bad of ['edge-nginx', '=75s', 'x=75', 'x=75min', 'x=0s', 'x=75s:forever', 'a b=1s']) assert.equal(parseProxyTimeout(bad), null, bad);
  });

  test('CLOSEWATCH_PROXY_TIMEOUTS is validated with a message naming the option and the bad entry', () => {
    assert.deepEqual(loadConfig({ env: { CLOSEWATCH_PROXY_TIMEOUTS: 'edge=75s, corp=10m:lifetime' } }).proxyTimeouts, ['edge=75s', 'corp=10m:lifetime']);
    assert.throws(() => loadConfig({ env: { CLOSEWATCH_PROXY_TIMEOUTS: 'edge=75s,oops' } }), /proxyTimeouts must be entries like "edge-nginx=75s".*got "oops"/);
  });

  test('a drop after a configured idle time is an intermediary_timeout naming that proxy; without it, connection_lost', () => {
    const sides = abruptBothSides(75_000);
    assert.equal(classifyClose(sides, classifyOptionsFor([])).cause, 'connection_lost');
    const configured = classifyClose(sides, classifyOptionsFor(['edge-nginx=75s']));
    assert.equal(configured.cause, 'intermediary_timeout');
    assert.match(configured.evidence.join(' '), /edge-nginx \(configured\)/);
  });

  test('the known product defaults still apply next to configured ones', () => {
    const options = classifyOptionsFor(['edge-nginx=75s']);
    assert.equal(options.intermediaryTimeouts?.length, KNOWN_INTERMEDIARY_TIMEOUTS.length + 1);
    assert.equal(classifyClose(abruptBothSides(60_000), options).cause, 'intermediary_timeout');
  });
});
