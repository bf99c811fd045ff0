import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { probeJson } from './probe-run.js';

/** A hand-written server answering the upgrade with `answer(key)` and then reading and ignoring everything. */
async function startRawServer(t: TestContext, answer: (key: string) => string): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer(function rawUpgrade(socket) {
    sockets.add(socket);
    socket.on('error', () => {});
    let head = '';
    socket.on('data', function readRequest(chunk) {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(head)?.[1];
      if (head.includes('\r\n\r\n') && key) socket.write(answer(key));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

test('a 101 with a wrong Sec-WebSocket-Accept: handshake_not_websocket, as a browser fails it', async (t) => {
  const url = await startRawServer(
    t,
    () => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n',
  );
  const { code, report } = await probeJson([url]);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_not_websocket');
  assert.equal(report.steps.upgrade.acceptCheck, 'invalid');
  assert.equal(report.steps.upgrade.error?.code, 'ACCEPT_MISMATCH');
});

test('a server that never answers the close frame: close_handshake_timeout after the hold', async (t) => {
  const url = await startRawServer(
    t,
    (key) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`,
  );
  const { code, report } = await probeJson([url, '--hold', '200ms']);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'close_handshake_timeout');
  assert.equal(report.steps.upgrade.acceptCheck, 'valid');
  assert.equal(report.steps.hold.end, 'hold_elapsed');
  assert.equal(report.steps.hold.closeHandshake, 'no_reply');
  assert.equal(report.steps.hold.closeCode, 1006);
  assert.equal(report.steps.hold.error?.code, 'CLOSE_NO_REPLY');
});
