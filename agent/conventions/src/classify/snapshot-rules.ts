import type { ClassifyContext } from './context.js';
import { intermediaryMatch } from './facts.js';
import { intermediaryDrop } from './mass-drop.js';
import type { ClassifyRule } from './rules.js';
import type { SideFacts } from './side-facts.js';
import { abruptEnding, heartbeatSignal, isAbrupt } from './signals.js';
import type { SnapshotFacts } from './snapshot-facts.js';
import { duration, sentence } from './wording.js';

/**
 * A visible, online snapshot counts as the page's state at the drop when it is at most the agent's
 * interval plus this old at the server's end: a server heartbeat finds a dead peer within two of its
 * intervals (ws's usual 30 s, socket.io's 25 s + 20 s), so 90 s covers the time from the drop to the end.
 */
export const SNAPSHOT_RECENT_SLACK_MS = 90_000;

/**
 * The server lost its peer (heartbeat, socket error or end, or a 1006), not the server's own decision
 * (terminate() by the app, a shutdown): the only ends the client's snapshot can explain.
 */
function serverLostPeer(server: SideFacts): boolean {
  if (heartbeatSignal(server) !== null) return true;
  if (server.termination === 'socket_error' || server.termination === 'socket_end') return true;
  return server.termination === undefined && isAbrupt(server);
}

/** No browser close came, the server lost its peer, and a browser agent was there to take snapshots. */
function decidesFromSnapshot(ctx: ClassifyContext): boolean {
  return ctx.client === undefined && ctx.server !== undefined && ctx.snapshot !== undefined && serverLostPeer(ctx.server);
}

function snapshotOf(ctx: ClassifyContext): SnapshotFacts | null {
  return decidesFromSnapshot(ctx) ? (ctx.snapshot ?? null) : null;
}

function isRecent(snapshot: SnapshotFacts): boolean {
  return snapshot.ageMs <= (snapshot.intervalMs ?? 0) + SNAPSHOT_RECENT_SLACK_MS;
}

/**
 * A visible, online page (or none that reported) says only that the path failed: a mass drop of the
 * server's connections at that moment names what failed, so it decides instead (its row comes later).
 */
function pathUnexplained(ctx: ClassifyContext): boolean {
  return intermediaryDrop(ctx) === undefined;
}

const isSuspended = (snapshot: SnapshotFacts) => snapshot.frozen === true || snapshot.visibilityState === 'hidden';
const isOffline = (snapshot: SnapshotFacts) => snapshot.online === false;
const isVisibleOnline = (snapshot: SnapshotFacts) => !isSuspended(snapshot) && !isOffline(snapshot);

function age(snapshot: SnapshotFacts): string {
  return snapshot.ageMs >= 0 ? `${duration(snapshot.ageMs)} before the server's end` : `${duration(-snapshot.ageMs)} after the server's end`;
}

/** `the page was hidden, online (4g); last message received 2.0 s and sent 5.1 s before it; 0 bytes buffered`. */
function pageState(snapshot: SnapshotFacts): string {
  const visibility = snapshot.frozen ? 'frozen' : (snapshot.visibilityState ?? 'of unknown visibility');
  const network = snapshot.online === false ? 'offline' : snapshot.online === true ? 'online' : 'of unknown connectivity';
  const parts = [`the page was ${visibility} and ${network}${snapshot.effectiveType ? ` (effective type ${snapshot.effectiveType})` : ''}`];
  const received =
    snapshot.sinceLastReceivedMs === undefined ? 'nothing received yet' : `last message received ${duration(snapshot.sinceLastReceivedMs)} before it`;
  const sent = snapshot.sinceLastSentMs === undefined ? 'nothing sent yet' : `last sent ${duration(snapshot.sinceLastSentMs)} before it`;
  parts.push(`${received}, ${sent}`);
  if (snapshot.bufferedAmount !== undefined) parts.push(`${snapshot.bufferedAmount} bytes waiting to be sent`);
  return parts.join('; ');
}

/** What the snapshot says, the missing close record, and how the server saw the end. */
function snapshotEvidence(ctx: ClassifyContext): string[] {
  const snapshot = snapshotOf(ctx) as SnapshotFacts;
  const server = ctx.server as SideFacts;
  const trigger = snapshot.trigger ? `, taken on ${snapshot.trigger}` : '';
  const facts = [
    `the browser's last snapshot of this connection (${snapshot.count} received${trigger}) is from ${age(snapshot)}: ${pageState(snapshot)}`,
    'no browser close record arrived within the join window: the page was killed, crashed or suspended before it could send one',
  ];
  const heartbeat = heartbeatSignal(server);
  if (heartbeat) facts.push(heartbeat);
  facts.push(abruptEnding(server));
  return facts.map(sentence);
}

/**
 * Rows for a connection whose browser close record never came (docs/design.md "Open-connection
 * snapshots"): the last snapshot says what the page was doing. They run before the server-only rows
 * (heartbeat, connection lost), whose answer is the server's consequence of the client's state.
 */
export const SNAPSHOT_RULES: readonly ClassifyRule[] = [
  {
    id: 'snapshot.offline',
    cause: 'client_offline',
    when: (ctx) => {
      const snapshot = snapshotOf(ctx);
      return snapshot !== null && isOffline(snapshot);
    },
    evidence: snapshotEvidence,
  },
  {
    id: 'snapshot.suspended',
    cause: 'client_suspended',
    when: (ctx) => {
      const snapshot = snapshotOf(ctx);
      return snapshot !== null && isSuspended(snapshot);
    },
    evidence: snapshotEvidence,
  },
  // Visible and online shortly before: the path between them failed; an idle time matching a proxy's timeout names it.
  {
    id: 'snapshot.intermediary_timeout',
    cause: 'intermediary_timeout',
    when: (ctx) => {
      const snapshot = snapshotOf(ctx);
      return snapshot !== null && isVisibleOnline(snapshot) && isRecent(snapshot) && pathUnexplained(ctx) && intermediaryMatch(ctx) !== null;
    },
    evidence: (ctx) => [sentence(intermediaryMatch(ctx) as string), ...snapshotEvidence(ctx)],
  },
  {
    id: 'snapshot.network',
    cause: 'connection_lost',
    when: (ctx) => {
      const snapshot = snapshotOf(ctx);
      return snapshot !== null && isVisibleOnline(snapshot) && isRecent(snapshot) && pathUnexplained(ctx);
    },
    evidence: (ctx) => [
      ...snapshotEvidence(ctx),
      'The page was visible and online shortly before, so the network path between them failed (a dropped route, a proxy or NAT that forgot the connection).',
    ],
  },
  // Visible and online long before the end, and nothing since: the page stopped reporting; what followed is not known.
  {
    id: 'snapshot.stale',
    cause: 'unknown',
    when: (ctx) => {
      const snapshot = snapshotOf(ctx);
      return snapshot !== null && !isRecent(snapshot) && pathUnexplained(ctx);
    },
    evidence: (ctx) => {
      const snapshot = snapshotOf(ctx) as SnapshotFacts;
      const due = snapshot.intervalMs ? `, though one was due every ${duration(snapshot.intervalMs)}` : '';
      return [
        ...snapshotEvidence(ctx),
        sentence(
          `no snapshot followed it${due}: the page stopped reporting (closed without pagehide, crashed, or lost its network), so what ended the connection is not known`,
        ),
      ];
    },
  },
  // A browser agent propagated trace context, yet neither a close record nor any snapshot came.
  {
    id: 'snapshot.missing',
    cause: 'unknown',
    when: (ctx) => decidesFromSnapshot(ctx) && ctx.snapshot === null && pathUnexplained(ctx),
    evidence: (ctx) => [
      'The browser agent propagated trace context for this connection, but neither its close record nor any snapshot of it arrived: the page went away (killed, crashed, or its device slept) before its first snapshot, its snapshots are off, or its agent predates snapshots.',
      ...[heartbeatSignal(ctx.server as SideFacts), abruptEnding(ctx.server as SideFacts)].filter((text): text is string => text !== null).map(sentence),
    ],
  },
];
