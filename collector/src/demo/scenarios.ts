import type { CauseId } from '@closewatch/conventions';
import { openFleetClient, sendThen, whenOpen, type FleetClient } from './fleet-client.js';
import { CHAT_COMMANDS, CHAT_PROTOCOL, DEMO_ADMIN_TOKEN, FLEET_MAX_PAYLOAD_BYTES, OUTDATED_CHAT_PROTOCOL } from './fleet-routes.js';

/** Random numbers for one run (seeded in tests). */
export type Random = () => number;

export interface Scenario {
  id: string;
  /** Share of the fleet's connections, relative to the other weights. */
  weight: number;
  /** The cause the collector should find. */
  expectedCause: CauseId;
  /** Opens one client against the fleet server (`ws://127.0.0.1:PORT`) and drives it. */
  start(serverUrl: string, random: Random): FleetClient;
}

const ROOMS = ['lobby', 'support', 'release-42', 'ops', 'random'];

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)];
}

function between(min: number, max: number, random: Random): number {
  return Math.round(min + random() * (max - min));
}

function chatUrl(serverUrl: string, random: Random): string {
  return `${serverUrl}/chat/${pick(ROOMS, random)}`;
}

function chatter(random: Random): string[] {
  return Array.from({ length: between(1, 4, random) }, (_, i) => `message ${i + 1}`);
}

/** Sends a little chat, then `command` to make the server end the connection its way. */
function chatThenCommand(command: string) {
  return function startCommandedChat(serverUrl: string, random: Random): FleetClient {
    return whenOpen(openFleetClient(chatUrl(serverUrl, random), { protocols: [CHAT_PROTOCOL] }), (socket) =>
      sendThen(socket, chatter(random), between(50, 300, random), () => socket.send(command)),
    );
  };
}

/** The demo's mix: mostly healthy traffic, and one of each way a WebSocket ends badly. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'chat, client leaves (1000)',
    weight: 6,
    expectedCause: 'normal_closure',
    start: (serverUrl, random) =>
      whenOpen(openFleetClient(chatUrl(serverUrl, random), { protocols: [CHAT_PROTOCOL] }), (socket) =>
        sendThen(socket, chatter(random), between(100, 400, random), () => socket.close(1000, 'bye')),
      ),
  },
  {
    id: 'feed ends (server 1000)',
    weight: 2,
    expectedCause: 'normal_closure',
    start: (serverUrl, random) => openFleetClient(`${serverUrl}/feed?ticks=${between(2, 6, random)}`),
  },
  {
    id: 'admin with token (1000)',
    weight: 1,
    expectedCause: 'normal_closure',
    start: (serverUrl, random) =>
      whenOpen(openFleetClient(`${serverUrl}/admin?token=${DEMO_ADMIN_TOKEN}`), (socket) =>
        sendThen(socket, ['status'], between(100, 300, random), () => socket.close(1000, 'done')),
      ),
  },
  { id: 'session expired (4001)', weight: 2, expectedCause: 'application_close', start: chatThenCommand(CHAT_COMMANDS.expireSession) },
  { id: 'kicked by a moderator (4003)', weight: 1, expectedCause: 'application_close', start: chatThenCommand(CHAT_COMMANDS.kick) },
  {
    id: 'admin without token (401)',
    weight: 2,
    expectedCause: 'handshake_auth_rejected',
    start: (serverUrl) => openFleetClient(`${serverUrl}/admin`),
  },
  {
    id: 'outdated client (chat.v1)',
    weight: 1,
    expectedCause: 'handshake_subprotocol_mismatch',
    start: (serverUrl, random) => openFleetClient(chatUrl(serverUrl, random), { protocols: [OUTDATED_CHAT_PROTOCOL] }),
  },
  {
    id: 'unknown path (404)',
    weight: 1,
    expectedCause: 'handshake_http_rejected',
    start: (serverUrl) => openFleetClient(`${serverUrl}/socket.io/`),
  },
  {
    id: 'silent client (heartbeat)',
    weight: 1,
    expectedCause: 'server_heartbeat_timeout',
    start: (serverUrl) => openFleetClient(`${serverUrl}/feed`, { autoPong: false }),
  },
  { id: 'deploy restarts the server (1012)', weight: 1, expectedCause: 'server_shutdown', start: chatThenCommand(CHAT_COMMANDS.restart) },
  {
    id: 'client gives up while connecting',
    weight: 1,
    expectedCause: 'handshake_aborted_by_client',
    start: (serverUrl, random) => {
      const client = openFleetClient(chatUrl(serverUrl, random), { protocols: [CHAT_PROTOCOL] });
      client.socket.terminate();
      return client;
    },
  },
  { id: 'handler crash (terminate)', weight: 1, expectedCause: 'server_terminated', start: chatThenCommand(CHAT_COMMANDS.crash) },
  {
    id: 'oversized message (1009)',
    weight: 1,
    expectedCause: 'server_rejected_frame',
    start: (serverUrl, random) =>
      whenOpen(openFleetClient(chatUrl(serverUrl, random), { protocols: [CHAT_PROTOCOL] }), (socket) =>
        socket.send(Buffer.alloc(FLEET_MAX_PAYLOAD_BYTES * 2, 0x61)),
      ),
  },
  {
    id: 'client reset',
    weight: 1,
    expectedCause: 'connection_lost',
    start: (serverUrl, random) =>
      whenOpen(openFleetClient(chatUrl(serverUrl, random), { protocols: [CHAT_PROTOCOL] }), (socket) =>
        sendThen(socket, chatter(random), between(50, 200, random), () => socket.terminate()),
      ),
  },
];

/**
 * The scenarios in a shuffled order where each appears `weight` times, dealt again when used up:
 * every scenario shows up within one deck, whatever the rate.
 */
export function scenarioDeck(random: Random, scenarios: readonly Scenario[] = SCENARIOS): () => Scenario {
  let deck: Scenario[] = [];
  return function nextScenario(): Scenario {
    if (deck.length === 0) {
      deck = scenarios.flatMap((scenario) => Array.from({ length: scenario.weight }, () => scenario));
      for (let i = deck.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [deck[i], deck[j]] = [deck[j], deck[i]];
      }
    }
    return deck.pop()!;
  };
}

/** mulberry32: a small seeded generator, so a test run is reproducible. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return function nextRandom() {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
