import * as A from '../attributes.js';
import { appProtocolOfAttributes } from '../app-close-codes.js';
import type { AppProtocol } from '../app-protocols.js';
import { isCauseId, type CauseId } from '../cause-ids.js';
import type { AttributeValue, ConnectionSide, SideEvent } from '../classify-types.js';
import { INITIATORS, PHASES, TERMINATIONS, type Initiator, type Phase, type Side, type Termination } from '../phases.js';

/** One side's attributes read into typed facts, so rules never parse attributes themselves. */
export interface SideFacts {
  side: Side;
  /** 'the browser', 'the client' or 'the server', for evidence sentences. */
  who: string;
  startTimeMs: number;
  endTimeMs: number;
  code?: number;
  reason?: string;
  wasClean?: boolean;
  initiator?: Initiator;
  phase?: Phase;
  opened?: boolean;
  /** `http.response.status_code`, or the status of an `http_NNN` error.type. */
  status?: number;
  errorType?: string;
  termination?: Termination;
  hint?: CauseId;
  subprotocolsRequested: string[];
  subprotocol?: string;
  handshakeMs?: number;
  openMs?: number;
  idleMs?: number;
  propagated?: boolean;
  httpReachable?: boolean;
  online?: boolean;
  onlineAtStart?: boolean;
  wentOffline?: boolean;
  visibilityState?: string;
  wasHidden?: boolean;
  pageUnloading?: boolean;
  frozen?: boolean;
  /** The app protocol on top of WebSocket: as the agent recorded it, else from the subprotocol or the URL. */
  appProtocol?: AppProtocol;
  /** The app protocol's own close reason on this side (socket.io / engine.io). */
  appCloseReason?: string;
  /** The message of the app protocol's refusal at connect (socket.io CONNECT_ERROR). */
  appConnectError?: string;
  appPingIntervalMs?: number;
  appPingTimeoutMs?: number;
  /** The longest event-loop stall this side's agent saw shortly before the close. */
  eventLoopStallMs?: number;
  events: SideEvent[];
}

type Attributes = Record<string, AttributeValue | undefined>;

/** Each reader takes the value, not the key, so every attribute is looked up once at its own site in readSide. */
function numberValue(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function stringValue(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function booleanValue(value: AttributeValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

function stringList(value: AttributeValue | undefined): string[] {
  if (Array.isArray(value)) return value.map(String).filter((item) => item !== '');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  return [];
}

const HTTP_ERROR_TYPE = /^http_(\d{3})$/;

function statusOf(status: AttributeValue | undefined, errorType: string | undefined): number | undefined {
  const fromAttribute = numberValue(status);
  if (fromAttribute !== undefined || errorType === undefined) return fromAttribute;
  const fromError = HTTP_ERROR_TYPE.exec(errorType);
  return fromError ? Number(fromError[1]) : undefined;
}

const BROWSER_PREFIX = 'browser.';

/** `attributes` as the span has them: a client span without any throws here, as it always did. */
function looksLikeBrowser(attributes: Attributes, events: readonly SideEvent[]): boolean {
  for (const key of Object.keys(attributes)) if (key.startsWith(BROWSER_PREFIX)) return true;
  for (const event of events) if (event.name.startsWith(BROWSER_PREFIX)) return true;
  return false;
}

const byTime = (a: SideEvent, b: SideEvent) => a.timeMs - b.timeMs;

/**
 * True when sorting by time would keep every event where it is, so no sorted copy is needed. Anything
 * else (NaN times, null or empty slots) goes through the copy and sort, which treat it as they always did.
 */
function inTimeOrder(events: readonly (SideEvent | null | undefined)[]): boolean {
  for (let i = 1; i < events.length; i++) {
    const before = events[i - 1];
    const after = events[i];
    if (before == null || after == null || !(after.timeMs - before.timeMs >= 0)) return false;
  }
  return events.length !== 1 || events[0] !== undefined;
}

/** The events oldest first; agents record them in order, so the array is only copied when it is not. */
function eventsInTimeOrder(events: SideEvent[] | undefined): SideEvent[] {
  if (!Array.isArray(events)) return [];
  return inTimeOrder(events) ? events : [...events].sort(byTime);
}

export function readSide(side: Side, input: ConnectionSide): SideFacts {
  const attributes: Attributes = input.attributes ?? {};
  const errorType = stringValue(attributes[A.ATTR_ERROR_TYPE]);
  const hint = stringValue(attributes[A.ATTR_CAUSE_HINT]);
  const subprotocol = stringValue(attributes[A.ATTR_SUBPROTOCOL]);
  const events = eventsInTimeOrder(input.events);
  return {
    side,
    who: side === 'server' ? 'the server' : looksLikeBrowser(input.attributes, events) ? 'the browser' : 'the client',
    startTimeMs: input.startTimeMs,
    endTimeMs: input.endTimeMs,
    code: numberValue(attributes[A.ATTR_CLOSE_CODE]),
    reason: stringValue(attributes[A.ATTR_CLOSE_REASON]),
    wasClean: booleanValue(attributes[A.ATTR_CLOSE_WAS_CLEAN]),
    initiator: oneOf(INITIATORS, stringValue(attributes[A.ATTR_CLOSE_INITIATOR])),
    phase: oneOf(PHASES, stringValue(attributes[A.ATTR_PHASE])),
    opened: booleanValue(attributes[A.ATTR_OPENED]),
    status: statusOf(attributes[A.ATTR_HTTP_STATUS], errorType),
    errorType,
    termination: oneOf(TERMINATIONS, stringValue(attributes[A.ATTR_TERMINATION])),
    hint: isCauseId(hint) ? hint : undefined,
    subprotocolsRequested: stringList(attributes[A.ATTR_SUBPROTOCOLS_REQUESTED]),
    subprotocol,
    handshakeMs: numberValue(attributes[A.ATTR_HANDSHAKE_DURATION_MS]),
    openMs: numberValue(attributes[A.ATTR_OPEN_DURATION_MS]),
    idleMs: numberValue(attributes[A.ATTR_IDLE_BEFORE_CLOSE_MS]),
    propagated: booleanValue(attributes[A.ATTR_PROPAGATED]),
    httpReachable: booleanValue(attributes[A.ATTR_HANDSHAKE_HTTP_REACHABLE]),
    online: booleanValue(attributes[A.ATTR_BROWSER_ONLINE]),
    onlineAtStart: booleanValue(attributes[A.ATTR_BROWSER_ONLINE_AT_START]),
    wentOffline: booleanValue(attributes[A.ATTR_BROWSER_WENT_OFFLINE]),
    visibilityState: stringValue(attributes[A.ATTR_BROWSER_VISIBILITY_STATE]),
    wasHidden: booleanValue(attributes[A.ATTR_BROWSER_WAS_HIDDEN]),
    pageUnloading: booleanValue(attributes[A.ATTR_BROWSER_PAGE_UNLOADING]),
    frozen: booleanValue(attributes[A.ATTR_BROWSER_FROZEN]),
    appProtocol: appProtocolOfAttributes(attributes),
    appCloseReason: stringValue(attributes[A.ATTR_APP_CLOSE_REASON]),
    appConnectError: stringValue(attributes[A.ATTR_APP_CONNECT_ERROR]),
    appPingIntervalMs: numberValue(attributes[A.ATTR_APP_PING_INTERVAL_MS]),
    appPingTimeoutMs: numberValue(attributes[A.ATTR_APP_PING_TIMEOUT_MS]),
    eventLoopStallMs: numberValue(attributes[A.ATTR_EVENT_LOOP_STALL_MS]),
    events,
  };
}
