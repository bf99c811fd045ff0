import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_CLOSE_CODES, CAUSES, appProtocolOfSubprotocol, appProtocolOfUrl, describeAppCloseCode, isCauseId } from '../src/index.js';

test('appProtocolOfUrl: engine.io by its EIO query parameter, socket.io by its default path', () => {
  assert.equal(appProtocolOfUrl('wss://h/socket.io/?EIO=4&transport=websocket&sid=REDACTED'), 'socket.io');
  assert.equal(appProtocolOfUrl('ws://h/socket.io?EIO=3&transport=websocket'), 'socket.io');
  assert.equal(appProtocolOfUrl('wss://h/engine.io/?EIO=4&transport=websocket'), 'engine.io');
  assert.equal(appProtocolOfUrl('wss://h/rt/?transport=websocket&EIO=4'), 'engine.io');
  assert.equal(appProtocolOfUrl('wss://h/socket.io/'), undefined, 'no EIO, no engine.io');
  assert.equal(appProtocolOfUrl('wss://h/ws?NOTEIO=4'), undefined);
  assert.equal(appProtocolOfUrl(undefined), undefined);
});

test('appProtocolOfSubprotocol: graphql-transport-ws is graphql-ws; the legacy graphql-ws subprotocol is not', () => {
  assert.equal(appProtocolOfSubprotocol('graphql-transport-ws'), 'graphql-ws');
  assert.equal(appProtocolOfSubprotocol('graphql-ws'), undefined, 'subscriptions-transport-ws, a different protocol');
  assert.equal(appProtocolOfSubprotocol(''), undefined);
});

test("graphql-ws's close codes are all registered, each with a cause of the taxonomy", () => {
  const graphqlWs = APP_CLOSE_CODES.find((registry) => registry.protocol === 'graphql-ws');
  assert.ok(graphqlWs);
  // graphql-ws 6.4 CloseCode enum, plus the client's 4499 Terminated.
  assert.deepEqual(Object.keys(graphqlWs.codes).map(Number).sort(), [4004, 4005, 4400, 4401, 4403, 4406, 4408, 4409, 4429, 4499, 4500, 4504]);
  for (const entry of Object.values(graphqlWs.codes)) {
    assert.ok(isCauseId(entry.cause) && CAUSES[entry.cause], entry.name);
    assert.ok(entry.meaning.endsWith('.'), entry.name);
  }
});

test('describeAppCloseCode: by the subprotocol, by the recorded protocol, or by the exact reason text', () => {
  assert.equal(describeAppCloseCode(4401, { subprotocols: ['graphql-transport-ws'] })?.name, 'Unauthorized');
  assert.equal(describeAppCloseCode(4408, { appProtocol: 'graphql-ws' })?.cause, 'app_init_timeout');
  assert.equal(describeAppCloseCode(4406, { subprotocols: [], reason: 'Subprotocol not acceptable' })?.cause, 'handshake_subprotocol_mismatch');
  assert.equal(describeAppCloseCode(4401, { reason: 'token expired' }), undefined, "another application's 4401");
  assert.equal(describeAppCloseCode(4500, { reason: 'Internal server error' }), undefined, '4500 has no fixed reason text');
  assert.equal(describeAppCloseCode(1000, { subprotocols: ['graphql-transport-ws'] }), undefined);
  assert.equal(describeAppCloseCode(undefined, { subprotocols: ['graphql-transport-ws'] }), undefined);
});
