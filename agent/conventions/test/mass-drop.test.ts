import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as A from '../src/attributes.js';
import { classifyClose, sideEndedAbruptly } from '../src/index.js';
import { browserOpen, serverOpen } from './sides.js';
import { CHAT_A, CHAT_B, clientDrop, fleet, serverDrop } from './scenarios/mass-drops.js';

const gone = (drop = clientDrop(), known = fleet(CHAT_A), options = {}) => classifyClose({ client: browserOpen(), fleet: known, massDrop: drop }, options);

test('a client drop below the minimum count is no mass drop (default 10)', () => {
  assert.equal(gone(clientDrop({ connections: 9 })).cause, 'unknown');
  assert.equal(gone(clientDrop({ connections: 10 })).cause, 'server_gone');
});

test('ends spread wider than the window are no mass drop (default 2 s)', () => {
  const spread = clientDrop({ firstEndMs: CHAT_A.lastSeenMs + 100, lastEndMs: CHAT_A.lastSeenMs + 2_200 });
  assert.equal(gone(spread).cause, 'unknown');
  assert.equal(gone(spread, fleet(CHAT_A), { massDropWindowMs: 3_000 }).cause, 'server_gone');
});

test('the thresholds are options: three connections count with massDropMinConnections 3', () => {
  assert.equal(gone(clientDrop({ connections: 3 }), fleet(CHAT_A), { massDropMinConnections: 3 }).cause, 'server_gone');
});

test('a server that reported any connection of the group is alive: no server_gone', () => {
  assert.equal(gone(clientDrop({ withServerSide: 1 })).cause, 'unknown');
});

test('no server instance silent since before the drop: no server_gone, and the evidence names the one that reports', () => {
  const result = gone(clientDrop(), fleet(CHAT_B));
  assert.equal(result.cause, 'unknown');
  assert.match(result.evidence.join(' '), /No server span: instance chat-b of service chat reports on this route, but none reported this connection/);
  assert.doesNotMatch(result.evidence.join(' '), /install/);
});

test('no agent known on the route: a mass drop of clients alone is not blamed on a server', () => {
  assert.equal(gone(clientDrop(), fleet()).cause, 'unknown');
});

test('an intermediary drop needs the server_instance group; a client_target group never decides it', () => {
  const both = { client: browserOpen(), server: serverOpen() };
  assert.equal(classifyClose({ ...both, massDrop: serverDrop() }).cause, 'intermediary_dropped');
  assert.equal(classifyClose({ ...both, massDrop: clientDrop() }).cause, 'connection_lost');
  assert.equal(classifyClose({ ...both, massDrop: serverDrop({ connections: 4 }) }).cause, 'connection_lost');
});

test('a server that terminated its connections itself is server_terminated, mass drop or not', () => {
  const result = classifyClose({ client: browserOpen(), server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }), massDrop: serverDrop() });
  assert.equal(result.cause, 'server_terminated');
});

test('a page going offline keeps its own cause inside a mass drop', () => {
  const offline = browserOpen({ [A.ATTR_BROWSER_ONLINE]: false });
  assert.equal(classifyClose({ client: offline, fleet: fleet(CHAT_A), massDrop: clientDrop() }).cause, 'client_offline');
});

test('sideEndedAbruptly: 1006 and socket ends count; terminate, a failed handshake and a clean close do not', () => {
  assert.equal(sideEndedAbruptly('client', browserOpen()), true);
  assert.equal(sideEndedAbruptly('server', serverOpen()), true);
  assert.equal(sideEndedAbruptly('server', serverOpen({ [A.ATTR_TERMINATION]: 'terminate' })), false);
  assert.equal(sideEndedAbruptly('client', browserOpen({ [A.ATTR_PHASE]: 'handshake', [A.ATTR_OPENED]: false })), false);
  assert.equal(sideEndedAbruptly('client', browserOpen({ [A.ATTR_CLOSE_CODE]: 1000, [A.ATTR_CLOSE_WAS_CLEAN]: true })), false);
});
