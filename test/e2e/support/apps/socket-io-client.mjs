// A socket.io-client 4 app in Node, run under the real agent: node --import @closewatch/agent-node/register socket-io-client.mjs <url>
// Environment: TRANSPORTS (default websocket), TOKEN (auth token), EMIT (an event to emit once connected),
// LEAVE=connect|upgrade (disconnect() then), DROP_PONGS=1 (stop answering engine.io pings). It prints
// what socket.io-client reports, one line each, and exits when nothing is left to do.
import { io } from 'socket.io-client';

const socket = io(process.argv[2], {
  transports: (process.env.TRANSPORTS ?? 'websocket').split(','),
  reconnection: false,
  auth: { token: process.env.TOKEN ?? 'ok' },
});
const leave = () => setTimeout(() => socket.disconnect(), 100);
socket.io.on('open', function onOpen() {
  const engine = socket.io.engine;
  const logWebSocketClose = () => engine.transport.ws?.on?.('close', (code) => console.log(`ws close ${code}`));
  logWebSocketClose();
  engine.on('upgrade', (transport) => {
    console.log(`upgrade ${transport.name}`);
    logWebSocketClose();
    if (process.env.LEAVE === 'upgrade') leave();
  });
});
socket.on('connect', function onConnect() {
  console.log(`connect ${socket.io.engine.transport.name}`);
  if (process.env.DROP_PONGS) {
    const engine = socket.io.engine;
    const sendPacket = engine._sendPacket;
    engine._sendPacket = function withoutPongs(type, ...rest) {
      if (type !== 'pong') sendPacket.call(this, type, ...rest);
    };
  }
  if (process.env.EMIT) setTimeout(() => socket.emit(process.env.EMIT), 100);
  if (process.env.LEAVE === 'connect') leave();
});
socket.on('connect_error', (error) => console.log(`connect_error ${error.message}`));
socket.on('disconnect', (reason) => console.log(`disconnect ${reason}`));
