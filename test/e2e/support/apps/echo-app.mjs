// A plain ws echo app on loopback, run under the real agent to be killed or proxied in mass-drop tests:
// node --import @closewatch/agent-node/register echo-app.mjs   (prints `listening <port>`)
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
wss.on('connection', function echoOnConnection(ws) {
  ws.on('message', function echoMessage(data, isBinary) {
    ws.send(data, { binary: isBinary });
  });
});
wss.on('listening', function printPort() {
  console.log(`listening ${wss.address().port}`);
});
