import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRoute } from '../src/index.js';

test('normalizeRoute strips the query and fragment and keeps fixed names', () => {
  assert.equal(normalizeRoute('/chat/lobby?token=abc#x'), '/chat/lobby');
  assert.equal(normalizeRoute('/api/v2/socket'), '/api/v2/socket');
});

test('normalizeRoute returns / for an empty path', () => {
  assert.equal(normalizeRoute(''), '/');
  assert.equal(normalizeRoute('/'), '/');
  assert.equal(normalizeRoute('?a=1'), '/');
  assert.equal(normalizeRoute(undefined), '/');
});

test('normalizeRoute takes the path of an absolute URL', () => {
  assert.equal(normalizeRoute('wss://chat.example.com:8443/rooms/42'), '/rooms/:id');
});

test('normalizeRoute replaces ids with a placeholder per kind', () => {
  const cases: Array<[string, string]> = [
    ['/rooms/12345', '/rooms/:id'],
    ['/rooms/-3.5', '/rooms/:id'],
    ['/users/550e8400-E29B-41d4-a716-446655440000', '/users/:uuid'],
    ['/docs/507f1f77bcf86cd799439011', '/docs/:id'],
    ['/blobs/deadbeef01', '/blobs/:id'],
    ['/blobs/0xff', '/blobs/:id'],
    ['/rooms/room-42', '/rooms/:id'],
    ['/orders/order_1001', '/orders/:id'],
    ['/inbox/jane.doe%40example.com', '/inbox/:email'],
    ['/inbox/jane@example.com', '/inbox/:email'],
    ['/logs/2024-05-01', '/logs/:date'],
    ['/logs/2024-05-01T10:00:00Z', '/logs/:date'],
    ['/s/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk', '/s/:token'],
    ['/s/Xk29fQa81zLm', '/s/:token'],
    ['/s/' + 'a'.repeat(60), '/s/:token'],
  ];
  for (const [path, route] of cases) assert.equal(normalizeRoute(path), route, path);
});

test('normalizeRoute keeps words and slugs that only look a little like ids', () => {
  assert.equal(normalizeRoute('/feed/facade/summer-party-2024'), '/feed/facade/summer-party-2024');
  assert.equal(normalizeRoute('/api/v2.1/h264/utf-8/en-US/oauth2'), '/api/v2.1/h264/utf-8/en-US/oauth2');
});

test('normalizeRoute collapses repeated and trailing slashes', () => {
  assert.equal(normalizeRoute('//rooms///7/'), '/rooms/:id');
});

test('normalizeRoute applies user patterns first, RegExp or string', () => {
  const patterns = [
    { pattern: /^\/tenants\/[^/]+/, replacement: '/tenants/:tenant' },
    { pattern: 'channel-[a-z]+', replacement: ':channel' },
  ];
  assert.equal(normalizeRoute('/tenants/acme/channel-news/5', { patterns }), '/tenants/:tenant/:channel/:id');
});

test('normalizeRoute ignores an invalid pattern instead of throwing', () => {
  assert.equal(normalizeRoute('/a/1', { patterns: [{ pattern: '([', replacement: 'x' }] }), '/a/:id');
});

test('normalizeRoute bounds the number of segments and the length', () => {
  const deep = '/' + Array.from({ length: 30 }, (_, i) => `s${String.fromCharCode(97 + (i % 26))}`).join('/');
  const bySegments = normalizeRoute(deep, { maxSegments: 4 });
  assert.equal(bySegments, '/sa/sb/sc/sd/*');
  const long = '/' + Array.from({ length: 20 }, () => 'segmentname').join('/');
  const byLength = normalizeRoute(long, { maxLength: 40, maxSegments: 100 });
  assert.ok(byLength.length <= 40, byLength);
  assert.ok(byLength.endsWith('/*'), byLength);
  assert.ok(byLength.startsWith('/segmentname/'), byLength);
});
