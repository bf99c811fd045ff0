// The agent names a page event's span event `browser.<type>`: that must stay conventions' name for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as conventions from '@closewatch/conventions';

test('conventions name the span events of offline, online, freeze, resume, pagehide and CSP reports browser.<DOM event type>', () => {
  assert.equal(conventions.EVENT_BROWSER_OFFLINE, 'browser.offline');
  assert.equal(conventions.EVENT_BROWSER_ONLINE, 'browser.online');
  assert.equal(conventions.EVENT_BROWSER_FREEZE, 'browser.freeze');
  assert.equal(conventions.EVENT_BROWSER_RESUME, 'browser.resume');
  assert.equal(conventions.EVENT_BROWSER_PAGEHIDE, 'browser.pagehide');
  assert.equal(conventions.EVENT_SECURITY_POLICY_VIOLATION, 'browser.securitypolicyviolation');
});
