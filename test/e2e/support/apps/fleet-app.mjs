// A ws app run under the real agent (node --import @closewatch/agent-node/register fleet-app.mjs) whose
// paths end connections in known ways, one per cause (fleet-plan.ts): /normal echoes (the client closes
// with 1000), /app closes with 4002 on the first message, /crash terminate()s on it, /auth rejects the
// upgrade with 401, /upload takes at most 1 KiB a message (1009 above).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer();
const wss = new WebSocketServer({
  server,
  maxPayload: 1024,
  verifyClient: function rejectAuthPath(info, done) {
    if (info.req.url?.startsWith('/auth')) done(false, 401, 'token expired');
    else done(true);
  },
});
wss.on('connection', function fleetOnConnection(ws, req) {
  const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
  // ws reports an oversized message as an error before closing with 1009.
  ws.on('error', function ignoreRejectedFrame() {});
  ws.on('message', function fleetOnMessage(data) {
    if (path === '/app') ws.close(4002, 'room closed');
    else if (path === '/crash') ws.terminate();
    else ws.send(data);
  });
});
server.listen(0, '127.0.0.1', function printPort() {
  console.log(`listening ${server.address().port}`);
});
