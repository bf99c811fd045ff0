import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_INTERMEDIARY_TIMEOUTS, matchIntermediaryTimeouts } from '../src/index.js';

const byId = (id: string) => KNOWN_INTERMEDIARY_TIMEOUTS.find((timeout) => timeout.id === id);

test('known defaults: nginx 60 s, AWS ALB 60 s, GCP 30 s lifetime, Cloudflare 100 s, Heroku 55 s', () => {
  assert.equal(byId('nginx')?.timeoutMs, 60_000);
  assert.equal(byId('aws_alb')?.timeoutMs, 60_000);
  assert.equal(byId('gcp_https_lb')?.timeoutMs, 30_000);
  assert.equal(byId('gcp_https_lb')?.kind, 'lifetime');
  assert.equal(byId('cloudflare')?.timeoutMs, 100_000);
  assert.equal(byId('heroku_router')?.timeoutMs, 55_000);
  assert.ok(byId('haproxy_debian_defaults'));
  for (const timeout of KNOWN_INTERMEDIARY_TIMEOUTS) {
    assert.ok(timeout.source.length > 10 && timeout.setting.length > 3, timeout.id);
  }
  assert.equal(new Set(KNOWN_INTERMEDIARY_TIMEOUTS.map((timeout) => timeout.id)).size, KNOWN_INTERMEDIARY_TIMEOUTS.length);
});

test('matchIntermediaryTimeouts finds every timeout within tolerance, closest first', () => {
  const at60 = matchIntermediaryTimeouts(60_400, 'idle').map((timeout) => timeout.id);
  assert.deepEqual(at60.sort(), ['aws_alb', 'nginx']);
  assert.deepEqual(
    matchIntermediaryTimeouts(55_300, 'idle').map((timeout) => timeout.id),
    ['heroku_router'],
  );
  assert.deepEqual(matchIntermediaryTimeouts(45_000, 'idle'), []);
  assert.deepEqual(matchIntermediaryTimeouts(30_100, 'idle'), []);
  assert.deepEqual(
    matchIntermediaryTimeouts(30_100, 'lifetime').map((timeout) => timeout.id),
    ['gcp_https_lb'],
  );
});

test('long timeouts get a relative tolerance', () => {
  assert.deepEqual(
    matchIntermediaryTimeouts(348_000, 'idle').map((timeout) => timeout.id),
    ['aws_nlb'],
  );
  assert.deepEqual(
    matchIntermediaryTimeouts(7_250_000, 'lifetime').map((timeout) => timeout.id),
    ['aws_api_gateway_max'],
  );
});

test('short timeouts get at most half their length as tolerance: 234 ms idle is no 2 s proxy cut', () => {
  const edge = [{ ...(byId('nginx') as (typeof KNOWN_INTERMEDIARY_TIMEOUTS)[number]), id: 'edge', timeoutMs: 2_000 }];
  assert.deepEqual(matchIntermediaryTimeouts(234, 'idle', edge), []);
  assert.deepEqual(matchIntermediaryTimeouts(999, 'idle', edge), []);
  assert.deepEqual(
    matchIntermediaryTimeouts(1_900, 'idle', edge).map((timeout) => timeout.id),
    ['edge'],
  );
  assert.deepEqual(
    matchIntermediaryTimeouts(2_900, 'idle', edge).map((timeout) => timeout.id),
    ['edge'],
  );
  assert.deepEqual(matchIntermediaryTimeouts(3_100, 'idle', edge), []);
});
