import {
  ATTR_APP_CLOSE_REASON,
  ATTR_APP_CONNECT_ERROR,
  ATTR_APP_PROTOCOL,
  ENGINE_IO_TRANSPORT_CLOSE,
  ENGINE_IO_TRANSPORT_ERROR,
  appCloseCodeOfAttributes,
  appProtocolOfAttributes,
  isAppProtocol,
  type AppProtocol,
  type AttributeValue,
} from '@closewatch/conventions';
import type { ConnectionOutcome, ConnectionRecord, StoredSide } from '../store/store.js';
import { cutText } from '../well-formed-text.js';

type Sides = Pick<ConnectionRecord, 'client' | 'server'>;
type Attributes = StoredSide['attributes'];

/** An app reason is a filter value and a label on the dashboard: an app's CONNECT_ERROR text is cut to this (on a whole code point). */
const MAX_APP_REASON_LENGTH = 256;
/** engine.io's reasons for "the other end closed": the side that decided has the telling one. */
const PASSIVE_REASONS = new Set([ENGINE_IO_TRANSPORT_CLOSE, ENGINE_IO_TRANSPORT_ERROR]);

const text = (value: AttributeValue | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Server first: it decides most app-level closes (heartbeat, kick, shutdown, refusal). */
function attributesOf(sides: Sides): Attributes[] {
  const present: Attributes[] = [];
  if (sides.server) present.push(sides.server.attributes);
  if (sides.client) present.push(sides.client.attributes);
  return present;
}

function protocolOf(all: Attributes[]): AppProtocol | undefined {
  for (const attributes of all) {
    const recorded = attributes[ATTR_APP_PROTOCOL];
    if (isAppProtocol(recorded)) return recorded;
  }
  for (const attributes of all) {
    const derived = appProtocolOfAttributes(attributes);
    if (derived) return derived;
  }
  return undefined;
}

/** `4401 Unauthorized`: the close code as the app protocol names it, when it defines the code. */
function namedCloseCode(attributes: Attributes, protocol: AppProtocol | undefined): string | undefined {
  const entry = appCloseCodeOfAttributes(attributes, protocol);
  return entry && `${entry.code} ${entry.name}`;
}

function reasonOf(all: Attributes[], protocol: AppProtocol | undefined): string | undefined {
  for (const attributes of all) {
    const refusal = text(attributes[ATTR_APP_CONNECT_ERROR]);
    if (refusal !== undefined) return `connect_error: ${refusal}`;
  }
  for (const attributes of all) {
    const named = namedCloseCode(attributes, protocol);
    if (named !== undefined) return named;
  }
  const reasons = all.map((attributes) => text(attributes[ATTR_APP_CLOSE_REASON])).filter((reason): reason is string => reason !== undefined);
  return reasons.find((reason) => !PASSIVE_REASONS.has(reason)) ?? reasons[0];
}

/**
 * The app protocol a connection spoke and its own word on the close, for the outcome's `app_protocol` and
 * `app_reason` columns: a connect refusal, else the close code as the protocol names it (graphql-ws
 * `4401 Unauthorized`), else the framework's reason of the side that decided (socket.io's `ping timeout`
 * over the peer's `transport close`). Both null for plain WebSocket.
 */
export function appOutcome(sides: Sides): Pick<ConnectionOutcome, 'appProtocol' | 'appReason'> {
  const all = attributesOf(sides);
  const protocol = protocolOf(all);
  const reason = reasonOf(all, protocol);
  return { appProtocol: protocol ?? null, appReason: reason === undefined ? null : cutText(reason, MAX_APP_REASON_LENGTH) };
}
