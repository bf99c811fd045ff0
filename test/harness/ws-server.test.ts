import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import WebSocket from 'ws';
import { startWsServer } from './ws-server.js';

function echo(socket: WebSocket): void {
  socket.on('message', function echoOnMessage(data, isBinary) {
    socket.send(data, { binary: isBinary });
  });
}

test('startWsServer echoes a message over a real loopback socket', async (t) => {
  const server = await startWsServer({ t, onConnection: echo });
  assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
  const client = new WebSocket(`${server.url}/echo`);
  t.after(() => client.terminate());
  await once(client, 'open');
  client.send('ping');
  const [reply] = (await once(client, 'message')) as [Buffer];
  assert.equal(String(reply), 'ping');
});

test('startWsServer passes verifyClient through, so a rejected upgrade gets its status', async (t) => {
  const server = await startWsServer({ t, verifyClient: (_info, done) => done(false, 401, 'Unauthorized') });
  const client = new WebSocket(server.url);
  const [, response] = (await once(client, 'unexpected-response')) as [unknown, IncomingMessage];
  assert.equal(response.statusCode, 401);
  response.destroy();
});

test('startWsServer passes handleProtocols through to the subprotocol negotiation', async (t) => {
  const server = await startWsServer({ t, handleProtocols: (protocols) => (protocols.has('closewatch.v1') ? 'closewatch.v1' : false) });
  const client = new WebSocket(server.url, ['other', 'closewatch.v1']);
  t.after(() => client.terminate());
  await once(client, 'open');
  assert.equal(client.protocol, 'closewatch.v1');
});

test('startWsServer with noServer routes upgrades through the default handler', async (t) => {
  const server = await startWsServer({ t, noServer: true, onConnection: echo });
  const client = new WebSocket(server.url);
  t.after(() => client.terminate());
  await once(client, 'open');
  client.send('hello');
  const [reply] = (await once(client, 'message')) as [Buffer];
  assert.equal(String(reply), 'hello');
});

test('startWsServer close() terminates open clients and is idempotent', async () => {
  const server = await startWsServer();
  const client = new WebSocket(server.url);
  await once(client, 'open');
  const closed = once(client, 'close');
  await Promise.all([server.close(), server.close()]);
  const [code] = (await closed) as [number];
  assert.equal(code, 1006);
  assert.equal(server.server.listening, false);
});

test('startWsServer refuses options the harness owns', async () => {
  await assert.rejects(startWsServer({ port: 1234 } as never), { name: 'TypeError', message: /"port"/ });
});
