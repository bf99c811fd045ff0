import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE_CODES, describeCloseCode, isValidCloseCode, isValidCloseCodeToSend, isValidWsCloseCode } from '../src/index.js';

test('the registry names every code of RFC 6455 §7.4.1 and IANA 1000–1015', () => {
  for (let code = 1000; code <= 1015; code++) {
    const info = describeCloseCode(code);
    assert.equal(info.range, 'standard', String(code));
    assert.ok(CLOSE_CODES[code], String(code));
    assert.ok(info.name.length > 3 && info.meaning.length > 20, String(code));
  }
  assert.equal(describeCloseCode(1000).name, 'Normal Closure');
  assert.equal(describeCloseCode(1006).name, 'Abnormal Closure');
  assert.equal(describeCloseCode(1009).name, 'Message Too Big');
  assert.equal(describeCloseCode(1012).name, 'Service Restart');
  assert.equal(describeCloseCode(1014).name, 'Bad Gateway');
});

test('1004, 1005, 1006 and 1015 are never sent in a close frame', () => {
  for (const code of [1004, 1005, 1006, 1015]) {
    const info = describeCloseCode(code);
    assert.equal(info.sentBy, 'never', String(code));
    assert.equal(info.wsMaySend, false, String(code));
    assert.equal(info.browserMaySend, false, String(code));
  }
});

test('who may send: 1010 only clients, 1011–1014 servers, the rest either side', () => {
  assert.equal(describeCloseCode(1010).sentBy, 'client');
  for (const code of [1011, 1012, 1013, 1014]) assert.equal(describeCloseCode(code).sentBy, 'server', String(code));
  for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009]) assert.equal(describeCloseCode(code).sentBy, 'either', String(code));
});

test('describeCloseCode covers every range', () => {
  const cases: Array<[number, string]> = [
    [0, 'invalid'],
    [999, 'invalid'],
    [1016, 'reserved'],
    [2999, 'reserved'],
    [3000, 'registered'],
    [3999, 'registered'],
    [4000, 'application'],
    [4999, 'application'],
    [5000, 'invalid'],
    [65535, 'invalid'],
    [-1, 'invalid'],
    [1000.5, 'invalid'],
    [Number.NaN, 'invalid'],
  ];
  for (const [code, range] of cases) {
    const info = describeCloseCode(code);
    assert.equal(info.range, range, String(code));
    assert.ok(info.meaning.length > 20, String(code));
  }
  assert.equal(describeCloseCode(3000).name, 'Unauthorized');
  assert.equal(describeCloseCode(3001).name, 'Registered (library / framework)');
  assert.equal(describeCloseCode(4321).name, 'Application');
  assert.equal(describeCloseCode(2000).sentBy, 'never');
});

test('isValidCloseCodeToSend is exactly what a browser close() accepts: 1000 or 3000–4999', () => {
  const accepted: number[] = [];
  for (let code = 0; code <= 6000; code++) if (isValidCloseCodeToSend(code)) accepted.push(code);
  assert.equal(accepted.length, 1 + 2000);
  assert.equal(accepted[0], 1000);
  assert.equal(accepted[1], 3000);
  assert.equal(accepted[accepted.length - 1], 4999);
  assert.equal(isValidCloseCodeToSend(1001), false);
  assert.equal(isValidCloseCodeToSend(3000.5), false);
});

test('isValidWsCloseCode matches ws isValidStatusCode: 1000–1014 except 1004–1006, and 3000–4999', () => {
  const standard: number[] = [];
  for (let code = 0; code < 3000; code++) if (isValidWsCloseCode(code)) standard.push(code);
  assert.deepEqual(standard, [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014]);
  assert.equal(isValidWsCloseCode(1015), false);
  assert.equal(isValidWsCloseCode(3000), true);
  assert.equal(isValidWsCloseCode(4999), true);
  assert.equal(isValidWsCloseCode(5000), false);
});

test('isValidCloseCode: 1000–1015 and 3000–4999, nothing else', () => {
  const valid: number[] = [];
  for (let code = -1; code <= 70_000; code++) if (isValidCloseCode(code)) valid.push(code);
  assert.equal(valid.length, 16 + 2000);
  assert.deepEqual([valid[0], valid[15], valid[16], valid.at(-1)], [1000, 1015, 3000, 4999]);
  assert.equal(isValidCloseCode(1006.7), false);
});
