import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { attachTestSocket, TEST_SOCKET_PATH } from '../src/api/test-socket.js';

test('the Setup test socket echoes messages and other upgrade paths get a 404', async (t) => {
  const server = createServer((_req, res) => void res.end());
  const detach = attachTestSocket(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    detach();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as { port: number }).port;

  // The browser agent appends its correlation parameter; the path still matches.
  const socket = new WebSocket(`ws://127.0.0.1:${port}${TEST_SOCKET_PATH}?__cw=00-0123456789abcdef0123456789abcdef-0123456789abcdef-01`);
  await once(socket, 'open');
  socket.send('hello');
  const [data] = (await once(socket, 'message')) as [Buffer];
  assert.equal(data.toString(), 'hello');
  socket.close(1000, 'done');
  const [code] = (await once(socket, 'close')) as [number];
  assert.equal(code, 1000);

  const other = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
  other.on('error', () => undefined);
  const [, response] = (await once(other, 'unexpected-response')) as [unknown, { statusCode: number }];
  assert.equal(response.statusCode, 404);
  other.terminate();
});
