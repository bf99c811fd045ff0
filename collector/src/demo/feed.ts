import type { WebSocket } from 'ws';

/** A tick every this many ms. */
const TICK_MS = 200;

/**
 * /feed: pushes price ticks; after `ticks` of them the server ends the feed with a clean 1000.
 * `ticks` = Infinity keeps it going until the client leaves (or the heartbeat drops it).
 */
export function streamFeed(socket: WebSocket, ticks: number): void {
  let sent = 0;
  const timer = setInterval(function sendTick() {
    if (sent >= ticks) {
      clearInterval(timer);
      socket.close(1000, 'feed complete');
      return;
    }
    sent++;
    socket.send(JSON.stringify({ symbol: 'CWX', price: 100 + Math.round(Math.sin(sent) * 500) / 100, seq: sent }));
  }, TICK_MS);
  socket.on('close', function feedOnClose() {
    clearInterval(timer);
  });
}
