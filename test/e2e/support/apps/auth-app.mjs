// A ws app that requires `?token=letmein` and rejects every other upgrade with 401 in verifyClient.
// Run under the real agent: node --import @closewatch/agent-node/register auth-app.mjs
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  verifyClient: function requireToken(info, done) {
    const token = new URL(info.req.url ?? '/', 'http://app.invalid').searchParams.get('token');
    if (token === 'letmein') done(true);
    else done(false, 401, 'token missing or expired');
  },
});
wss.on('connection', function echoOnConnection(ws) {
  ws.on('message', function echoMessage(data, isBinary) {
    ws.send(data, { binary: isBinary });
  });
});
wss.on('listening', function printPort() {
  console.log(`listening ${wss.address().port}`);
});
