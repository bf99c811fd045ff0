import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, SECRET_PARAM_NAMES, SECRET_PARAM_WORDS, scrubUrl } from '../src/index.js';

test('scrubUrl drops userinfo and keeps ws scheme, host, port and path', () => {
  assert.equal(scrubUrl('wss://alice:s3cret@chat.example.com:8443/rooms/1'), 'wss://chat.example.com:8443/rooms/1');
  assert.equal(scrubUrl('ws://alice@127.0.0.1:9000/'), 'ws://127.0.0.1:9000/');
  assert.equal(scrubUrl('//alice:pw@host/path'), '//host/path');
  assert.equal(scrubUrl('wss://h/users/jane@example.com?by=bob@example.com'), 'wss://h/users/jane@example.com?by=bob@example.com');
  assert.equal(scrubUrl('wss:\\\\alice:pw@host\\p'), 'wss:\\\\host\\p');
});

test('scrubUrl redacts the value of every built-in secret parameter name', () => {
  for (const word of SECRET_PARAM_WORDS) {
    const scrubbed = scrubUrl(`wss://h/p?${word}=hunter2&room=7`);
    assert.equal(scrubbed, `wss://h/p?${word}=${REDACTED}&room=7`, word);
  }
});

test('scrubUrl matches secret names case-insensitively and inside longer names', () => {
  const scrubbed = scrubUrl('wss://h/p?ACCESS_TOKEN=a&X-Api-Key=b&sessionId=c&AuthHeader=d&mySig=e&userJWT=f&page=2');
  assert.equal(
    scrubbed,
    `wss://h/p?ACCESS_TOKEN=${REDACTED}&X-Api-Key=${REDACTED}&sessionId=${REDACTED}&AuthHeader=${REDACTED}&mySig=${REDACTED}&userJWT=${REDACTED}&page=2`,
  );
});

test("scrubUrl redacts engine.io's sid, as a whole name only", () => {
  assert.ok(SECRET_PARAM_NAMES.includes('sid'));
  assert.equal(scrubUrl('wss://h/socket.io/?EIO=4&transport=websocket&sid=Zx9Q-live-session'), `wss://h/socket.io/?EIO=4&transport=websocket&sid=${REDACTED}`);
  assert.equal(scrubUrl('wss://h/p?SID=a&side=left&inside=1&sidebar=open'), `wss://h/p?SID=${REDACTED}&side=left&inside=1&sidebar=open`);
});

test('scrubUrl redacts percent-encoded secret names and names given in options', () => {
  assert.equal(scrubUrl('/p?%74oken=x'), `/p?%74oken=${REDACTED}`);
  assert.equal(scrubUrl('/p?tenant=acme&otp=123456', { secretParams: ['OTP'] }), `/p?tenant=acme&otp=${REDACTED}`);
});

test('scrubUrl removes the __cw correlation parameter and the fragment', () => {
  const url = 'wss://h/ws?__cw=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01&room=1#access_token=abc';
  assert.equal(scrubUrl(url), 'wss://h/ws?room=1');
  assert.equal(scrubUrl('wss://h/ws?__cw=x'), 'wss://h/ws');
});

test('scrubUrl leaves other query text byte for byte', () => {
  assert.equal(scrubUrl('/search?q=a+b%20c&lang=de&flag'), '/search?q=a+b%20c&lang=de&flag');
});

test('scrubUrl handles relative input', () => {
  assert.equal(scrubUrl('/socket?token=abc'), `/socket?token=${REDACTED}`);
  assert.equal(scrubUrl('socket'), 'socket');
});

test('scrubUrl never throws on malformed input and leaks no credentials', () => {
  assert.equal(scrubUrl('ws://u:p@[::1/bad?token=%E0%A4%A&x=%'), `ws://[::1/bad?token=${REDACTED}&x=%`);
  assert.equal(scrubUrl('user:pass@host/path?key=1'), `host/path?key=${REDACTED}`);
  assert.equal(scrubUrl('wss://h/p\n?tok\ten=1'), `wss://h/p?token=${REDACTED}`);
  assert.equal(scrubUrl(undefined), '');
  assert.equal(scrubUrl('/p?=token=abc&q=a=b'), `/p?=${REDACTED}&q=a=b`);
  assert.equal(scrubUrl('/p?sig=YWJj=='), `/p?sig=${REDACTED}`);
  assert.equal(scrubUrl(42), '');
  assert.equal(scrubUrl(''), '');
});

test('scrubUrl accepts a URL object', () => {
  assert.equal(scrubUrl(new URL('wss://a:b@h/p?secret=1')), `wss://h/p?secret=${REDACTED}`);
});

test('scrubUrl never throws and never leaks a secret placed in userinfo or a secret parameter (seeded fuzz)', () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const schemes = ['wss://', 'ws://', 'https://', '//', '', 'ws:\\\\', 'WSS://'];
  const hosts = ['h', 'h:8443', '[::1]', '[::1', 'xn--bcher-kva.example', '%zz', ''];
  const paths = ['', '/', '/a/b', '/a%2Fb', '/@/x', '/..//.', '/%E0%A4%A'];
  const noise = ['', '&', '&&', '=', '%', '%%41', '#', '#x=1', '?', '+', ' ', '\t', '\u0000', '😀'];
  for (let i = 0; i < 2000; i++) {
    const userinfo = random() < 0.5 ? pick(['hunter2@', 'u:hunter2@', 'u:hunter2@x@']) : '';
    const secretName = pick(['token', 'Api_Key', 'X-AUTH', 'sessionid', 'jwt', 'mySig']);
    const query = `?${pick(noise)}${secretName}=hunter2${pick(noise)}&q=${pick(noise)}`;
    const input = `${pick(schemes)}${userinfo}${pick(hosts)}${pick(paths)}${query}`;
    const scrubbed = scrubUrl(input);
    assert.equal(typeof scrubbed, 'string');
    const beforeFragment = input.split('#')[0] ?? '';
    if (beforeFragment.includes('=hunter2')) assert.ok(!scrubbed.includes('hunter2'), `${JSON.stringify(input)} → ${JSON.stringify(scrubbed)}`);
  }
});
