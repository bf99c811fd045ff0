import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAUSE_IDS, CAUSES, PHASES, describeCause, isCauseId } from '../src/index.js';

test('every cause id has a title, a paragraph of explanation and a concrete remediation', () => {
  assert.deepEqual(Object.keys(CAUSES), [...CAUSE_IDS]);
  for (const id of CAUSE_IDS) {
    const cause = CAUSES[id];
    assert.equal(cause.id, id);
    assert.ok(cause.title.length >= 5 && cause.title.length <= 70, `${id} title`);
    assert.ok(cause.explanation.length >= 150 && cause.explanation.length <= 900, `${id} explanation is ${cause.explanation.length} chars`);
    assert.ok(cause.remediation.length >= 100 && cause.remediation.length <= 900, `${id} remediation is ${cause.remediation.length} chars`);
    assert.ok(cause.phase === 'any' || (PHASES as readonly string[]).includes(cause.phase), `${id} phase`);
  }
});

test('handshake causes belong to the handshake phase, open causes to open', () => {
  for (const id of CAUSE_IDS) {
    if (id.startsWith('handshake_')) assert.equal(CAUSES[id].phase, 'handshake', id);
  }
  for (const id of ['client_offline', 'server_heartbeat_timeout', 'intermediary_timeout'] as const) assert.equal(CAUSES[id].phase, 'open', id);
  assert.equal(CAUSES.close_handshake_timeout.phase, 'closing');
  assert.equal(CAUSES.unknown.phase, 'any');
});

test('remediations name concrete numbers or settings', () => {
  assert.match(CAUSES.intermediary_timeout.remediation, /25 s/);
  assert.match(CAUSES.intermediary_timeout.remediation, /proxy_read_timeout/);
  assert.match(CAUSES.server_terminated.remediation, /closeWithDetail/);
  assert.match(CAUSES.handshake_auth_rejected.remediation, /verifyClient/);
  assert.match(CAUSES.server_rejected_frame.remediation, /maxPayload/);
  for (const id of CAUSE_IDS) assert.match(CAUSES[id].remediation, /\d|[a-z][A-Z]|\w[_./]\w|`/, `${id} remediation names nothing concrete`);
});

test('explanations say what the browser hides for causes it reports as 1006', () => {
  for (const id of ['handshake_auth_rejected', 'handshake_http_rejected', 'server_terminated', 'intermediary_timeout', 'client_offline'] as const) {
    assert.match(CAUSES[id].explanation, /1006/, id);
  }
});

test('describeCause returns the entry, and unknown for anything else', () => {
  assert.equal(describeCause('client_offline').title, CAUSES.client_offline.title);
  assert.equal(describeCause('no_such_cause').id, 'unknown');
  assert.equal(isCauseId('page_unload'), true);
  assert.equal(isCauseId('PAGE_UNLOAD'), false);
});
