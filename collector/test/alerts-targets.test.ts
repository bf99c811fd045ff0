import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { describe, test } from 'node:test';
import { postToTarget } from '../src/alerts/targets/post-to-target.js';
import { addressRefusal, alertTargetPolicy, targetUrlRefusal, type AlertTargetPolicy } from '../src/alerts/targets/target-policy.js';
import { fakeLookup } from './support/fake-lookup.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const exposed = (allowlist: string[] = [], lookup?: LookupFunction): AlertTargetPolicy =>
  alertTargetPolicy({ host: '0.0.0.0', alertTargetAllowlist: allowlist }, lookup);
const onLoopback = (lookup?: LookupFunction): AlertTargetPolicy => alertTargetPolicy({ host: '127.0.0.1', alertTargetAllowlist: [] }, lookup);

describe('alert target addresses', () => {
  test('link-local and metadata addresses are refused wherever the collector listens, in every spelling', () => {
    for (const policy of [exposed(), onLoopback()]) {
      for (const address of [
        '169.254.169.254',
        '169.254.0.1',
        'fe80::1',
        '[fe80::1]',
        'febf::1',
        'fd00:ec2::254',
        '::ffff:169.254.169.254',
        '100.100.100.200',
        '0.0.0.0',
        '::',
      ]) {
        assert.match(addressRefusal(address, policy) ?? '', /CLOSEWATCH_ALERT_TARGET_ALLOWLIST/, address);
      }
    }
    assert.match(addressRefusal('169.254.169.254', exposed())!, /^169\.254\.169\.254 is a link-local address/);
    assert.match(addressRefusal('fd00:ec2::254', exposed())!, /cloud metadata/);
  });

  test('loopback is refused only while the collector listens beyond loopback, unless allowlisted', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) {
      assert.equal(addressRefusal(address, onLoopback()), null, address);
      assert.match(addressRefusal(address, exposed()) ?? '', /loopback address, refused while the collector listens beyond loopback/, address);
    }
    assert.equal(addressRefusal('127.0.0.1', exposed(['127.0.0.1'])), null);
    assert.equal(addressRefusal('127.0.0.2', exposed(['127.0.0.0/8'])), null);
    assert.notEqual(addressRefusal('::1', exposed(['127.0.0.0/8'])), null);
    assert.equal(addressRefusal('169.254.169.254', exposed(['169.254.169.254/32'])), null);
  });

  test('private ranges (where Alertmanagers live) and public addresses stay allowed', () => {
    for (const address of ['10.0.0.5', '172.16.3.4', '192.168.1.10', 'fd00::2', 'fc00::1', '100.64.0.1', '192.0.2.2', '8.8.8.8', '2001:db8::1']) {
      assert.equal(addressRefusal(address, exposed()), null, address);
    }
  });

  test('a saved target is checked by scheme, literal address and what its host name resolves to', async () => {
    const lookup = fakeLookup({ 'metadata.internal.test': '169.254.169.254', 'am.monitoring.test': '10.1.2.3' });
    const policy = exposed([], lookup);
    const refusal = (url: string) => targetUrlRefusal(new URL(url), policy);
    assert.equal(await refusal('ftp://10.1.2.3/x'), 'must use http or https');
    assert.match((await refusal('http://169.254.169.254/latest/meta-data'))!, /^169\.254\.169\.254 is a link-local/);
    assert.match((await refusal('http://[fe80::1]:9093/'))!, /^fe80::1 is a link-local/);
    assert.match((await refusal('http://0xa9fea9fe/'))!, /^169\.254\.169\.254 is/);
    assert.match((await refusal('http://metadata.internal.test/'))!, /^metadata\.internal\.test resolves to 169\.254\.169\.254 is a link-local/);
    assert.match((await refusal('http://localhost:9093/'))!, /^localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    assert.equal(await refusal('http://am.monitoring.test:9093/'), null);
    assert.equal(await refusal('http://nowhere.invalid/'), null, 'a name that does not resolve now is checked again at send time');
    assert.equal(await targetUrlRefusal(new URL('http://localhost:9093/'), onLoopback()), null);
  });
});

const body = JSON.stringify({ status: 'firing' });

describe('posting a notice to a target', () => {
  test('a real receiver gets the POST; its response body is never part of the outcome', async (t) => {
    const receiver = await startWebhookReceiver(t, { answer: () => ({ status: 400, body: 'SECRET-FROM-TARGET' }) });
    const outcome = await postToTarget(receiver.url, body, onLoopback(), 2000);
    assert.deepEqual(outcome, { ok: false, problem: 'answered 400', retry: false });
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0].method, 'POST');
    assert.equal(receiver.received[0].body, body);
  });

  test('DNS rebinding: a name that resolved to an allowed address at save is refused when it resolves to loopback at send', async (t) => {
    const receiver = await startWebhookReceiver(t);
    const port = new URL(receiver.url).port;
    let answer = '192.0.2.10';
    const lookup = fakeLookup({ 'hooks.rebind.test': () => answer });
    const url = `http://hooks.rebind.test:${port}/hook`;
    assert.equal(await targetUrlRefusal(new URL(url), exposed([], lookup)), null);
    answer = '127.0.0.1';
    const outcome = await postToTarget(url, body, exposed([], lookup), 2000);
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.problem : '', /^hooks\.rebind\.test resolves to 127\.0\.0\.1 is a loopback address.*\(not sent\)$/);
    assert.equal(receiver.received.length, 0, 'nothing reached the loopback receiver');
    assert.deepEqual(await postToTarget(url, body, onLoopback(lookup), 2000), { ok: true }, 'the same name reaches it from a loopback collector');
    assert.equal(receiver.received.length, 1);
  });

  test('a 307 to a refused address is not followed; a 307 to an allowed one is, keeping the POST', async (t) => {
    const final = await startWebhookReceiver(t);
    const toMetadata = await startWebhookReceiver(t, { answer: () => ({ status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }) });
    const toFinal = await startWebhookReceiver(t, { answer: () => ({ status: 308, headers: { location: final.url } }) });
    const policy = exposed(['127.0.0.1']);
    const refused = await postToTarget(toMetadata.url, body, policy, 2000);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.problem : '', /^redirected to http:\/\/169\.254\.169\.254: 169\.254\.169\.254 is a link-local address.*\(not sent\)$/);
    assert.equal(!refused.ok && refused.retry, false);
    assert.deepEqual(await postToTarget(toFinal.url, body, policy, 2000), { ok: true });
    assert.equal(final.received.length, 1);
    assert.equal(final.received[0].method, 'POST');
    assert.equal(final.received[0].body, body);
  });

  test('a 302 is not followed (it would turn the POST into a GET)', async (t) => {
    const final = await startWebhookReceiver(t);
    const moved = await startWebhookReceiver(t, { answer: () => ({ status: 302, headers: { location: final.url } }) });
    const outcome = await postToTarget(moved.url, body, onLoopback(), 2000);
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.problem : '', /^answered 302 to http:\/\/127\.0\.0\.1:\d+; only 307 and 308 redirects are followed/);
    assert.equal(final.received.length, 0);
  });

  test('a redirect loop stops after 3 hops', async (t) => {
    const loop = await startWebhookReceiver(t, { answer: (request) => ({ status: 307, headers: { location: request.path } }) });
    const outcome = await postToTarget(loop.url, body, onLoopback(), 2000);
    assert.deepEqual(outcome, { ok: false, problem: 'more than 3 redirects', retry: false });
    assert.equal(loop.received.length, 4);
  });
});
