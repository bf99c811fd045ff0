import { CLOSE_SERVICE_RESTART, truncateCloseReason, type CauseId } from '@closewatch/conventions';
import { liveConnections, liveServers } from './agent-state.js';
import type { ConnectionRecord } from './connection-record.js';
import { flushSpans } from './flush-spans.js';
import type { ShutdownOptions, ShutdownResult } from './types.js';
import type { WsSocketInternals } from './ws-internals.js';

const SERVER_SHUTDOWN: CauseId = 'server_shutdown';

function closed(ws: WsSocketInternals): Promise<void> {
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
  });
}

function waitAtMost(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function openServerSockets(): [ConnectionRecord, WsSocketInternals][] {
  const open: [ConnectionRecord, WsSocketInternals][] = [];
  for (const record of liveConnections) {
    if (record.side === 'server' && record.websocket) open.push([record, record.websocket]);
  }
  return open;
}

/**
 * Restart without 1006s: stops every instrumented WebSocketServer from accepting, closes every
 * server-side connection with `code` (default 1012 Service Restart), terminates those that have not
 * finished the closing handshake within `timeoutMs`, and exports the spans.
 */
export async function shutdownGracefully({
  code = CLOSE_SERVICE_RESTART,
  reason = 'server restart',
  timeoutMs = 5000,
}: ShutdownOptions = {}): Promise<ShutdownResult> {
  const startedAt = Date.now();
  for (const server of [...liveServers]) {
    try {
      server.close();
    } catch {
      // A server that cannot close still gets its connections closed below.
    }
  }
  const connections = openServerSockets();
  const closing = connections.map(([record, ws]) => {
    record.causeHint ??= SERVER_SHUTDOWN;
    const done = closed(ws);
    try {
      ws.close(code, truncateCloseReason(reason));
    } catch {
      ws.terminate();
    }
    return done;
  });
  await waitAtMost(timeoutMs, Promise.all(closing));
  const terminating: Promise<void>[] = [];
  for (const [record, ws] of connections) {
    if (record.ended) continue;
    terminating.push(closed(ws));
    ws.terminate();
  }
  await waitAtMost(timeoutMs, Promise.all(terminating));
  const terminated = terminating.length;
  await flushSpans(Math.max(100, timeoutMs - (Date.now() - startedAt)));
  return { closed: connections.length - terminated, terminated };
}
