import * as A from '../../src/attributes.js';
import type { FleetFacts, KnownInstance, MassDropFacts } from '../../src/index.js';
import { browserOpen, serverOpen, T0 } from '../sides.js';
import type { Scenario } from './scenario.js';

/** The browser's drop ends 120 s after T0 (browserOpen lasts two minutes). */
export const DROP_AT = T0 + 120_000;

export const CHAT_A: KnownInstance = { service: 'chat', instance: 'chat-a', lastSeenMs: DROP_AT - 4_000 };
export const CHAT_B: KnownInstance = { service: 'chat', instance: 'chat-b', lastSeenMs: DROP_AT + 9_000 };

/** Twelve clients of wss://app.example.com/ws lost their connection within 40 ms, none with a server side. */
export function clientDrop(overrides: Partial<MassDropFacts> = {}): MassDropFacts {
  return {
    group: 'client_target',
    route: '/ws',
    target: 'app.example.com/ws',
    connections: 12,
    firstEndMs: DROP_AT - 10,
    lastEndMs: DROP_AT + 30,
    withServerSide: 0,
    ...overrides,
  };
}

/** Twelve connections of chat-b on /ws whose server saw the socket end within 40 ms. */
export function serverDrop(overrides: Partial<MassDropFacts> = {}): MassDropFacts {
  return {
    group: 'server_instance',
    route: '/ws',
    instance: CHAT_B,
    connections: 12,
    firstEndMs: DROP_AT - 10,
    lastEndMs: DROP_AT + 30,
    withServerSide: 12,
    ...overrides,
  };
}

export function fleet(...serverInstances: KnownInstance[]): FleetFacts {
  return { serverInstances };
}

export const MASS_DROP_SCENARIOS: Scenario[] = [
  {
    name: 'twelve browsers lost their connection at once, no server reported them, chat-a stopped reporting before: the server went away',
    input: { client: browserOpen(), fleet: fleet(CHAT_A), massDrop: clientDrop() },
    cause: 'server_gone',
    rule: 'mass.server_gone',
    mentions: [
      'within 40 ms, 12 connections to app.example.com/ws ended abruptly',
      'instance chat-a of service chat (serving /ws) stopped reporting',
      new Date(CHAT_A.lastSeenMs).toISOString(),
      'SIGKILL',
    ],
  },
  {
    name: 'a server drop where another instance kept reporting names both',
    input: { client: browserOpen(), fleet: fleet(CHAT_A, CHAT_B), massDrop: clientDrop() },
    cause: 'server_gone',
    rule: 'mass.server_gone',
    mentions: ['instance chat-a of service chat (serving /ws) stopped reporting', 'service chat reports from other instances on /ws (chat-b'],
  },
  {
    name: 'twelve connections of chat-b ended abruptly at once and the server saw it: an intermediary dropped them',
    input: { client: browserOpen(), server: serverOpen({ [A.ATTR_ERROR_TYPE]: 'ECONNRESET', [A.ATTR_TERMINATION]: 'socket_error' }), massDrop: serverDrop() },
    cause: 'intermediary_dropped',
    rule: 'mass.intermediary_dropped',
    mentions: ['12 connections of instance chat-b of service chat on /ws', 'the server kept running', 'ECONNRESET', 'proxy'],
  },
  {
    name: 'a server alone saw its socket end in the same intermediary drop',
    input: { server: serverOpen(), massDrop: serverDrop() },
    cause: 'intermediary_dropped',
    rule: 'mass.intermediary_dropped',
    mentions: ['the client did not report', 'socket_end'],
  },
  {
    name: 'a browser alone, the route served by chat-a, which stopped reporting before it ended (no mass drop)',
    input: { client: browserOpen(), fleet: fleet(CHAT_A) },
    cause: 'unknown',
    rule: 'fallback.unknown',
    mentions: ['No server span: instance chat-a of service chat stopped reporting', 'before this connection ended'],
  },
  {
    name: 'a browser alone, no server agent known on the route: the evidence says to install one',
    input: { client: browserOpen(), fleet: fleet() },
    cause: 'unknown',
    rule: 'fallback.unknown',
    mentions: ['no server agent has reported a connection on this route', 'install the Node agent'],
  },
];
