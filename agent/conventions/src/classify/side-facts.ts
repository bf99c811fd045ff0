import * as A from '../attributes.js';
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
  events: SideEvent[];
}

type Attributes = Record<string, AttributeValue | undefined>;

function num(attributes: Attributes, key: string): number | undefined {
  const value = attributes[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function str(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' ? value : undefined;
}

function bool(attributes: Attributes, key: string): boolean | undefined {
  const value = attributes[key];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return (values as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

function stringList(attributes: Attributes, key: string): string[] {
  const value = attributes[key];
  if (Array.isArray(value)) return value.map(String).filter((item) => item !== '');
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return [];
}

function statusOf(attributes: Attributes, errorType: string | undefined): number | undefined {
  const status = num(attributes, A.ATTR_HTTP_STATUS);
  if (status !== undefined) return status;
  const fromError = /^http_(\d{3})$/.exec(errorType ?? '');
  return fromError ? Number(fromError[1]) : undefined;
}

function looksLikeBrowser(side: ConnectionSide): boolean {
  return (
    Object.keys(side.attributes).some((key) => key.startsWith('browser.')) ||
    side.events.some((event) => event.name.startsWith('browser.'))
  );
}

export function readSide(side: Side, input: ConnectionSide): SideFacts {
  const attributes = input.attributes ?? {};
  const errorType = str(attributes, A.ATTR_ERROR_TYPE);
  const hint = str(attributes, A.ATTR_CAUSE_HINT);
  const events = Array.isArray(input.events) ? [...input.events].sort((a, b) => a.timeMs - b.timeMs) : [];
  return {
    side,
    who: side === 'server' ? 'the server' : looksLikeBrowser({ ...input, events }) ? 'the browser' : 'the client',
    startTimeMs: input.startTimeMs,
    endTimeMs: input.endTimeMs,
    code: num(attributes, A.ATTR_CLOSE_CODE),
    reason: str(attributes, A.ATTR_CLOSE_REASON),
    wasClean: bool(attributes, A.ATTR_CLOSE_WAS_CLEAN),
    initiator: oneOf(INITIATORS, str(attributes, A.ATTR_CLOSE_INITIATOR)),
    phase: oneOf(PHASES, str(attributes, A.ATTR_PHASE)),
    opened: bool(attributes, A.ATTR_OPENED),
    status: statusOf(attributes, errorType),
    errorType,
    termination: oneOf(TERMINATIONS, str(attributes, A.ATTR_TERMINATION)),
    hint: isCauseId(hint) ? hint : undefined,
    subprotocolsRequested: stringList(attributes, A.ATTR_SUBPROTOCOLS_REQUESTED),
    subprotocol: str(attributes, A.ATTR_SUBPROTOCOL),
    handshakeMs: num(attributes, A.ATTR_HANDSHAKE_DURATION_MS),
    openMs: num(attributes, A.ATTR_OPEN_DURATION_MS),
    idleMs: num(attributes, A.ATTR_IDLE_BEFORE_CLOSE_MS),
    propagated: bool(attributes, A.ATTR_PROPAGATED),
    httpReachable: bool(attributes, A.ATTR_HANDSHAKE_HTTP_REACHABLE),
    online: bool(attributes, A.ATTR_BROWSER_ONLINE),
    onlineAtStart: bool(attributes, A.ATTR_BROWSER_ONLINE_AT_START),
    wentOffline: bool(attributes, A.ATTR_BROWSER_WENT_OFFLINE),
    visibilityState: str(attributes, A.ATTR_BROWSER_VISIBILITY_STATE),
    wasHidden: bool(attributes, A.ATTR_BROWSER_WAS_HIDDEN),
    pageUnloading: bool(attributes, A.ATTR_BROWSER_PAGE_UNLOADING),
    frozen: bool(attributes, A.ATTR_BROWSER_FROZEN),
    events,
  };
}
