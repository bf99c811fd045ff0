import { appProtocolOfUrl, isAppProtocol, type AppProtocol } from './app-protocols.js';
import { ATTR_APP_PROTOCOL, ATTR_CLOSE_CODE, ATTR_CLOSE_REASON, ATTR_SUBPROTOCOL, ATTR_SUBPROTOCOLS_REQUESTED, ATTR_URL_FULL } from './attributes.js';
import type { CauseId } from './cause-ids.js';

/** A close code a known app protocol defines, and the cause it stands for. */
export interface AppCloseCodeInfo {
  protocol: AppProtocol;
  code: number;
  name: string;
  meaning: string;
  /** Who sends it: a server code closed by a client (or the reverse) is not this protocol's. */
  sentBy: 'server' | 'client';
  cause: CauseId;
  /** The reason text the library always sends with it, by which it is recognised without a subprotocol. */
  reason?: string;
}

type Entry = Omit<AppCloseCodeInfo, 'protocol' | 'code'>;

interface AppCloseCodeRegistry {
  protocol: AppProtocol;
  /** Subprotocols (Sec-WebSocket-Protocol) under which these codes are this protocol's. */
  subprotocols: readonly string[];
  codes: Readonly<Record<number, Entry>>;
}

/**
 * graphql-ws (`graphql-transport-ws`), from its `CloseCode` enum (graphql-ws 6.4, src/common.ts) and the
 * client's own 4499 (`client.terminate()`). Its server also closes with 4406 when the subprotocol is not
 * `graphql-transport-ws` at all, so the reason texts identify the codes without it.
 */
const GRAPHQL_WS: AppCloseCodeRegistry = {
  protocol: 'graphql-ws',
  subprotocols: ['graphql-transport-ws'],
  codes: {
    4400: {
      name: 'Bad Request',
      meaning: 'The server received a message it could not parse or validate.',
      sentBy: 'server',
      cause: 'server_rejected_frame',
      reason: 'Invalid message received',
    },
    4401: {
      name: 'Unauthorized',
      meaning: 'A Subscribe arrived before the server acknowledged the connection, or the server refused the connection parameters.',
      sentBy: 'server',
      cause: 'app_connect_rejected',
      reason: 'Unauthorized',
    },
    4403: {
      name: 'Forbidden',
      meaning: "The server's onConnect refused the connection (it returned false).",
      sentBy: 'server',
      cause: 'app_connect_rejected',
      reason: 'Forbidden',
    },
    4406: {
      name: 'Subprotocol Not Acceptable',
      meaning: 'The client did not speak graphql-transport-ws (an old subscriptions-transport-ws client, or no subprotocol at all).',
      sentBy: 'server',
      cause: 'handshake_subprotocol_mismatch',
      reason: 'Subprotocol not acceptable',
    },
    4408: {
      name: 'Connection Initialisation Timeout',
      meaning: 'No ConnectionInit message arrived within connectionInitWaitTimeout (3 s by default).',
      sentBy: 'server',
      cause: 'app_init_timeout',
      reason: 'Connection initialisation timeout',
    },
    4409: {
      name: 'Subscriber Already Exists',
      meaning: 'The client started a second subscription with an id still in use.',
      sentBy: 'server',
      cause: 'server_rejected_frame',
    },
    4429: {
      name: 'Too Many Initialisation Requests',
      meaning: 'The client sent ConnectionInit more than once.',
      sentBy: 'server',
      cause: 'server_rejected_frame',
      reason: 'Too many initialisation requests',
    },
    4500: {
      name: 'Internal Server Error',
      meaning: 'An exception on the server while handling the connection or a message.',
      sentBy: 'server',
      cause: 'server_terminated',
    },
    4004: {
      name: 'Bad Response',
      meaning: 'The client received a message from the server it could not parse or did not expect.',
      sentBy: 'client',
      cause: 'application_close',
    },
    4005: {
      name: 'Internal Client Error',
      meaning: 'An exception in the client, e.g. while building its connectionParams.',
      sentBy: 'client',
      cause: 'application_close',
    },
    4499: {
      name: 'Terminated',
      meaning: 'The client application called client.terminate(), usually because its own keep-alive found the socket unresponsive.',
      sentBy: 'client',
      cause: 'application_close',
      reason: 'Terminated',
    },
    4504: {
      name: 'Connection Acknowledgement Timeout',
      meaning: "The server did not acknowledge ConnectionInit within the client's connectionAckWaitTimeout.",
      sentBy: 'client',
      cause: 'app_init_timeout',
      reason: 'Connection acknowledgement timeout',
    },
  },
};

/** Every app protocol whose close codes are known. */
export const APP_CLOSE_CODES: readonly AppCloseCodeRegistry[] = [GRAPHQL_WS];

/** What a side knows that can tie a close code to an app protocol. */
export interface AppCloseCodeContext {
  /** `websocket.app.protocol`, when an agent recorded it. */
  appProtocol?: string;
  /** The negotiated subprotocol, then the requested ones. */
  subprotocols?: readonly string[];
  /** The close reason, matched against the texts the library always sends. */
  reason?: string;
}

function entryOf(registry: AppCloseCodeRegistry, code: number): AppCloseCodeInfo | undefined {
  const entry = registry.codes[code];
  return entry ? { protocol: registry.protocol, code, ...entry } : undefined;
}

/**
 * The meaning of a close code under the app protocol the connection spoke: named by the agent, by a
 * subprotocol, or, with neither, by the exact reason text the library sends with that code. Undefined when none applies.
 */
export function describeAppCloseCode(code: number | undefined, context: AppCloseCodeContext = {}): AppCloseCodeInfo | undefined {
  if (code === undefined || code < 4000 || code > 4999) return undefined;
  const subprotocols = context.subprotocols ?? [];
  for (const registry of APP_CLOSE_CODES) {
    const spoken = registry.protocol === context.appProtocol || subprotocols.some((name) => registry.subprotocols.includes(name));
    const entry = entryOf(registry, code);
    if (entry && (spoken || (entry.reason !== undefined && entry.reason === context.reason))) return entry;
  }
  return undefined;
}

/** The app protocol a negotiated subprotocol names (`graphql-transport-ws` → graphql-ws). */
export function appProtocolOfSubprotocol(subprotocol: unknown): AppProtocol | undefined {
  if (typeof subprotocol !== 'string' || subprotocol === '') return undefined;
  return APP_CLOSE_CODES.find((registry) => registry.subprotocols.includes(subprotocol))?.protocol;
}

/** The app protocol one side spoke: as its agent recorded it, else by its subprotocol, else by an engine.io URL. */
export function appProtocolOfAttributes(attributes: Readonly<Record<string, unknown>>): AppProtocol | undefined {
  const recorded = attributes[ATTR_APP_PROTOCOL];
  if (isAppProtocol(recorded)) return recorded;
  return appProtocolOfSubprotocol(attributes[ATTR_SUBPROTOCOL]) ?? appProtocolOfUrl(attributes[ATTR_URL_FULL]);
}

/**
 * `describeAppCloseCode` for one side's span attributes: its negotiated and requested subprotocols and
 * its close reason, for `code` (default: the side's own close code).
 */
export function appCloseCodeOfAttributes(
  attributes: Readonly<Record<string, unknown>>,
  appProtocol?: string,
  code: unknown = attributes[ATTR_CLOSE_CODE],
): AppCloseCodeInfo | undefined {
  if (typeof code !== 'number') return undefined;
  const negotiated = attributes[ATTR_SUBPROTOCOL];
  const requested = attributes[ATTR_SUBPROTOCOLS_REQUESTED];
  const subprotocols = [
    ...(typeof negotiated === 'string' && negotiated !== '' ? [negotiated] : []),
    ...(Array.isArray(requested) ? requested.map(String) : []),
  ];
  const reason = attributes[ATTR_CLOSE_REASON];
  return describeAppCloseCode(code, { appProtocol, subprotocols, reason: typeof reason === 'string' ? reason : undefined });
}
