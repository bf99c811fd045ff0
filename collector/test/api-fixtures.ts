import type { AttributeValue, CauseId, ObservedBy, Phase, SideEvent } from '@closewatch/conventions';
import { DEFAULT_CONFIG, type CollectorConfig } from '../src/config.js';
import { createApp } from '../src/create-app.js';
import type { Clock } from '../src/deps.js';
import { openStore } from '../src/store/open-store.js';
import type { ConnectionOutcome, IncomingSide, Store, StoredSide } from '../src/store/store.js';

/** The fixed "now" of every API and dashboard test: relative ranges (`now-24h`) give the same rows on any day. */
export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 3_600_000;

export interface SeedConnection {
  /** Hours before NOW the connection ended. */
  hoursAgo: number;
  service: string;
  route: string;
  url: string;
  code: number | null;
  reason?: string;
  cause: CauseId;
  phase: Phase;
  observedBy: ObservedBy;
  evidence?: string[];
  clientAttributes?: Record<string, AttributeValue>;
  serverAttributes?: Record<string, AttributeValue>;
  clientEvents?: SideEvent[];
  /** The outcome's app protocol and reason (what join/app-outcome.ts derives from the sides). */
  appProtocol?: string;
  appReason?: string;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function side(kind: 'client' | 'server', c: SeedConnection, index: number, startMs: number, endMs: number): StoredSide {
  const traceId = hex(index + 1, 32);
  const clientSpanId = hex(index + 1, 16);
  const attributes: Record<string, AttributeValue> = {
    'websocket.route': c.route,
    'url.full': kind === 'client' ? c.url : new URL(c.url).pathname + new URL(c.url).search,
    'server.address': new URL(c.url).hostname,
    'websocket.phase': c.phase,
    'websocket.close.reason': c.reason ?? '',
    ...(c.code === null ? {} : { 'websocket.close.code': c.code }),
    ...(kind === 'client' ? c.clientAttributes : { 'websocket.termination': c.code === 1006 ? 'terminate' : 'close', ...c.serverAttributes }),
  };
  return {
    side: kind,
    traceId,
    spanId: kind === 'client' ? clientSpanId : hex(index + 1001, 16),
    parentSpanId: kind === 'server' && c.observedBy === 'both' ? clientSpanId : null,
    service: kind === 'client' ? `${c.service}-web` : c.service,
    resource: { 'service.name': kind === 'client' ? `${c.service}-web` : c.service },
    scope: { name: kind === 'client' ? '@closewatch/agent-browser' : '@closewatch/agent-node', version: '0.1.0' },
    startTimeMs: startMs,
    endTimeMs: endMs,
    attributes,
    events: kind === 'client' ? (c.clientEvents ?? [{ name: 'websocket.open', timeMs: startMs + 40 }]) : [],
    receivedAtMs: endMs + 1_000,
  };
}

/** The connection id the seed gives the connection at `index` (the join key of docs/design.md). */
export function seedId(index: number): string {
  return `${hex(index + 1, 32)}-${hex(index + 1, 16)}`;
}

/** Stores connections the way ingest does (upsertSides, then finalize with their outcome). */
export async function seedConnections(store: Store, connections: SeedConnection[], now = NOW): Promise<string[]> {
  const ids: string[] = [];
  const incoming: IncomingSide[] = [];
  const outcomes: Array<{ id: string; outcome: ConnectionOutcome }> = [];
  connections.forEach((c, index) => {
    const id = seedId(index);
    const endMs = now - c.hoursAgo * HOUR;
    const startMs = endMs - 90_000;
    ids.push(id);
    if (c.observedBy !== 'server')
      incoming.push({ connectionId: id, joinDeadlineMs: endMs + 30_000, clockOffsetMs: 0, span: side('client', c, index, startMs, endMs) });
    if (c.observedBy !== 'client')
      incoming.push({ connectionId: id, joinDeadlineMs: endMs + 30_000, clockOffsetMs: 0, span: side('server', c, index, startMs + 5, endMs - 5) });
    outcomes.push({
      id,
      outcome: {
        cause: c.cause,
        evidence: c.evidence ?? [`seeded as ${c.cause}`],
        service: c.service,
        route: c.route,
        code: c.code,
        reason: c.reason ?? '',
        phase: c.phase,
        observedBy: c.observedBy,
        startTimeMs: startMs,
        endTimeMs: endMs,
        handshakeMs: c.phase === 'handshake' ? 120 : 40,
        openMs: c.phase === 'handshake' ? null : 89_960,
        appProtocol: c.appProtocol ?? null,
        appReason: c.appReason ?? null,
      },
    });
  });
  await store.upsertSides(incoming);
  await store.finalize(outcomes, now);
  return ids;
}

const chat = { service: 'chat', route: '/rooms/:id', url: 'wss://chat.example.com/rooms/42?room=42&token=s3cr3t' } as const;
const feed = { service: 'feed', route: '/live', url: 'ws://feed.example.com:8080/live' } as const;

/**
 * The standard data set. In the last 24 h: 10 connections, 6 with 1006 (rate 0.6); handshake 2/2,
 * open 4/8; chat /rooms/:id 6/6, feed 0/4. One more connection 3 days ago (outside the default range).
 */
export const STANDARD_SEED: SeedConnection[] = [
  {
    ...chat,
    hoursAgo: 1,
    code: 1006,
    cause: 'intermediary_timeout',
    phase: 'open',
    observedBy: 'both',
    evidence: ['Both sides saw an abrupt end after 60 s idle.'],
  },
  { ...chat, hoursAgo: 3, code: 1006, cause: 'intermediary_timeout', phase: 'open', observedBy: 'both' },
  { ...chat, hoursAgo: 5, code: 1006, cause: 'intermediary_timeout', phase: 'open', observedBy: 'both' },
  { ...chat, hoursAgo: 7, code: 1006, cause: 'intermediary_timeout', phase: 'open', observedBy: 'both' },
  {
    ...chat,
    hoursAgo: 2,
    code: 1006,
    cause: 'handshake_auth_rejected',
    phase: 'handshake',
    observedBy: 'both',
    evidence: ['The server answered the upgrade with 401.'],
  },
  { ...chat, hoursAgo: 10, code: 1006, cause: 'handshake_auth_rejected', phase: 'handshake', observedBy: 'server' },
  { ...feed, hoursAgo: 4, code: 1000, cause: 'normal_closure', phase: 'open', observedBy: 'client' },
  { ...feed, hoursAgo: 6, code: 1000, cause: 'normal_closure', phase: 'open', observedBy: 'client' },
  { ...feed, hoursAgo: 20, code: 1000, cause: 'normal_closure', phase: 'open', observedBy: 'client' },
  {
    ...feed,
    route: '/upload',
    url: 'ws://feed.example.com:8080/upload',
    hoursAgo: 12,
    code: 1009,
    cause: 'server_rejected_frame',
    phase: 'open',
    observedBy: 'server',
  },
  { ...chat, hoursAgo: 72, code: 1006, cause: 'client_offline', phase: 'open', observedBy: 'client' },
];

const socketIo = { service: 'chat', route: '/socket.io/', url: 'wss://chat.example.com/socket.io/?EIO=4&transport=websocket&sid=REDACTED' } as const;
const graphql = { service: 'api', route: '/graphql', url: 'wss://api.example.com/graphql' } as const;

/** socket.io and graphql-ws connections, with the app attributes the Node agent records on the server side. */
export const APP_PROTOCOL_SEED: SeedConnection[] = [
  {
    ...socketIo,
    hoursAgo: 1,
    code: 1005,
    cause: 'server_heartbeat_timeout',
    phase: 'open',
    observedBy: 'both',
    evidence: [
      'The socket.io server closed the connection with "ping timeout": its ping got no pong within pingTimeout (pingInterval 25.0 s, pingTimeout 20.0 s).',
    ],
    serverAttributes: {
      'websocket.app.protocol': 'socket.io',
      'websocket.app.close_reason': 'ping timeout',
      'websocket.app.ping_interval_ms': 25_000,
      'websocket.app.ping_timeout_ms': 20_000,
    },
    appProtocol: 'socket.io',
    appReason: 'ping timeout',
  },
  {
    ...socketIo,
    hoursAgo: 2,
    code: 1005,
    cause: 'app_connect_rejected',
    phase: 'open',
    observedBy: 'both',
    evidence: ['The server refused the client at its socket.io connect with CONNECT_ERROR "unauthorized".'],
    serverAttributes: { 'websocket.app.protocol': 'socket.io', 'websocket.app.close_reason': 'transport close', 'websocket.app.connect_error': 'unauthorized' },
    appProtocol: 'socket.io',
    appReason: 'connect_error: unauthorized',
  },
  {
    ...graphql,
    hoursAgo: 3,
    code: 4401,
    reason: 'Unauthorized',
    cause: 'app_connect_rejected',
    phase: 'open',
    observedBy: 'both',
    clientAttributes: { 'websocket.subprotocol': 'graphql-transport-ws' },
    serverAttributes: { 'websocket.subprotocol': 'graphql-transport-ws' },
    appProtocol: 'graphql-ws',
    appReason: '4401 Unauthorized',
  },
];

export const fixedClock: Clock = { now: () => NOW };

export interface TestCollector {
  url: string;
  store: Store;
  server: import('node:http').Server;
  close(): Promise<void>;
}

/** A real collector app (createApp) on a real DuckDB store in `dataDir`, listening on loopback. */
export async function startTestCollector(dataDir: string, config: Partial<CollectorConfig> = {}, clock: Clock = fixedClock): Promise<TestCollector> {
  const fullConfig: CollectorConfig = { ...DEFAULT_CONFIG, dataDir, databaseUrl: null, rateLimitPerSecond: 0, ...config };
  const store = await openStore(fullConfig);
  const log = process.env.CLOSEWATCH_DEBUG ? (message: string) => console.error(`[collector] ${message}`) : () => undefined;
  const app = createApp({ store, clock, config: fullConfig, log });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
