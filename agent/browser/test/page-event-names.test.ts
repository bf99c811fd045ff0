// The agent names span events `browser.<type>` / `websocket.<type>` after the DOM event: those must stay conventions' names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as conventions from '@closewatch/conventions';

test('conventions name the span events of page events browser.<DOM event type> (browser.hidden / browser.visible for visibilitychange)', () => {
  assert.equal(conventions.EVENT_BROWSER_OFFLINE, 'browser.offline');
  assert.equal(conventions.EVENT_BROWSER_ONLINE, 'browser.online');
  assert.equal(conventions.EVENT_BROWSER_FREEZE, 'browser.freeze');
  assert.equal(conventions.EVENT_BROWSER_RESUME, 'browser.resume');
  assert.equal(conventions.EVENT_BROWSER_PAGEHIDE, 'browser.pagehide');
  assert.equal(conventions.EVENT_SECURITY_POLICY_VIOLATION, 'browser.securitypolicyviolation');
  assert.equal(conventions.EVENT_BROWSER_HIDDEN, 'browser.hidden');
  assert.equal(conventions.EVENT_BROWSER_VISIBLE, 'browser.visible');
});

test('conventions name the span events of socket events websocket.<DOM event type>', () => {
  assert.equal(conventions.EVENT_OPEN, 'websocket.open');
  assert.equal(conventions.EVENT_ERROR, 'websocket.error');
});
