// A socket.io 4 app (server), run under the real agent: node --import @closewatch/agent-node/register socket-io-app.mjs
// It serves a page (GET /) with the Closewatch snippet and socket.io's own browser bundle (/socket.io/socket.io.js),
// refuses clients whose auth token is "bad" in a middleware, kicks a client that emits "kick me" and
// shuts down on "shut down". It prints what socket.io and engine.io report, one line each.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const collectorUrl = process.env.COLLECTOR_URL ?? 'http://127.0.0.1:4318';
const page = `<!doctype html><title>socket.io page</title>
<script src="${collectorUrl}/agent.js" data-endpoint="${collectorUrl}" data-service="socket-io-web" data-flush-interval-ms="200"></script>
<script src="/socket.io/socket.io.js"></script>
<script>
  window.__events = [];
  window.start = function start(options) {
    const socket = io({ reconnection: false, ...options });
    window.__socket = socket;
    socket.on('connect', function onConnect() { window.__events.push('connect'); });
    socket.on('connect_error', function onConnectError(error) { window.__events.push('connect_error ' + error.message); });
    socket.on('disconnect', function onDisconnect(reason) { window.__events.push('disconnect ' + reason); });
    socket.io.on('open', function onOpen() {
      socket.io.engine.on('upgrade', function onUpgrade(transport) { window.__events.push('upgrade ' + transport.name); });
    });
  };
  window.dropPongs = function dropPongs() {
    const engine = window.__socket.io.engine;
    const sendPacket = engine._sendPacket;
    engine._sendPacket = function withoutPongs(type) { if (type !== 'pong') return sendPacket.apply(this, arguments); };
  };
</script>`;

const http = createServer(function servePage(req, res) {
  if (req.url === '/') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  }
});
const io = new Server(http, {
  pingInterval: Number(process.env.PING_INTERVAL_MS ?? 25_000),
  pingTimeout: Number(process.env.PING_TIMEOUT_MS ?? 20_000),
});
io.use(function requireToken(socket, next) {
  if (socket.handshake.auth?.token === 'bad') next(new Error('unauthorized'));
  else next();
});
io.engine.on('connection', function logEngineConnection(connection) {
  const logWebSocketClose = () => connection.transport.socket?.on('close', (code) => console.log(`ws close ${code}`));
  logWebSocketClose();
  connection.on('upgrade', logWebSocketClose);
  connection.on('close', (reason) => console.log(`engine close ${reason}`));
});
io.on('connection', function onConnection(socket) {
  console.log(`connection ${socket.conn.transport.name}`);
  socket.conn.on('upgrade', (transport) => console.log(`upgrade ${transport.name}`));
  socket.on('disconnect', (reason) => console.log(`disconnect ${reason}`));
  socket.on('kick me', () => socket.disconnect(true));
  socket.on('shut down', () => void io.close());
});
http.listen(0, '127.0.0.1', function printPort() {
  console.log(`listening ${http.address().port}`);
});
