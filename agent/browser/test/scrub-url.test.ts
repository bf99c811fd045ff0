// The browser's URL-API scrubber must redact exactly what conventions' scrubUrl redacts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrubUrl } from '@closewatch/conventions';
import { scrubParsedUrl } from '../src/scrub-url.js';

const urls = [
  'wss://app.example.com/rooms/42?room=42',
  'wss://user:pass@app.example.com/live?token=abc&x=1',
  'ws://127.0.0.1:8080/ws?api_key=k&sessionId=s&Authorization=b&page=2',
  'wss://app.example.com/feed?__cw=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01&v=3',
  'wss://app.example.com/feed#fragment',
  'wss://app.example.com/feed',
  'ws://h/p?mySecretValue=1&signature=2&plain=3',
  'wss://h/socket.io/?EIO=4&transport=websocket&sid=Zx9Q-live&side=left&SID=x',
];

/** The same URL up to how a query is serialised (URLSearchParams vs the text as written). */
function comparable(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.username}:${parsed.password}@${parsed.host}${parsed.pathname}?${[...parsed.searchParams].map(([k, v]) => `${k}=${v}`).join('&')}${parsed.hash}`;
}

for (const url of urls) {
  test(`scrubParsedUrl agrees with scrubUrl: ${url}`, () => {
    assert.equal(comparable(scrubParsedUrl(new URL(url))), comparable(scrubUrl(url)));
  });
}

test('secrets, userinfo, fragment and __cw never survive', () => {
  const scrubbed = scrubParsedUrl(new URL(urls[1]));
  assert.equal(scrubbed, 'wss://app.example.com/live?token=REDACTED&x=1');
  assert.equal(scrubParsedUrl(new URL(urls[3])), 'wss://app.example.com/feed?v=3');
  assert.equal(scrubParsedUrl(new URL(urls[4])), 'wss://app.example.com/feed');
});
