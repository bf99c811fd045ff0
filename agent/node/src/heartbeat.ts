import { EVENT_PING_TIMEOUT, type CauseId } from '@closewatch/conventions';
import type { ConnectionRecord } from './connection-record.js';

const HEARTBEAT_TIMEOUT: CauseId = 'server_heartbeat_timeout';

/**
 * The ws README heartbeat: ping, and `terminate()` at the next tick when no pong came back.
 * A server terminate with a ping still unanswered is exactly that pattern.
 */
export function noteTerminateAfterPing(record: ConnectionRecord): void {
  if (record.side !== 'server' || record.lastPingSentAt === 0) return;
  if (record.lastPongReceivedAt >= record.lastPingSentAt) return;
  record.causeHint ??= HEARTBEAT_TIMEOUT;
  record.span.addEvent(EVENT_PING_TIMEOUT);
}
