// Builders of realistic spans for classifier tests: one browser, Node client or server side each.
import * as A from '../src/attributes.js';
import type { AttributeValue, ConnectionSide } from '../src/index.js';

export const T0 = Date.UTC(2026, 0, 12, 9, 30);

type Attrs = Record<string, AttributeValue | undefined>;
type EventSpec = [name: string, offsetMs: number, attributes?: Record<string, AttributeValue>];
export interface Timing {
  /** Start, in ms after T0. */
  at?: number;
  /** Span duration in ms. */
  lasted?: number;
  events?: EventSpec[];
}

function makeSide(base: Attrs, attributes: Attrs, timing: Timing): ConnectionSide {
  const start = T0 + (timing.at ?? 0);
  return {
    attributes: { ...base, ...attributes },
    startTimeMs: start,
    endTimeMs: start + (timing.lasted ?? 1000),
    events: (timing.events ?? []).map(([name, offset, eventAttributes]) => ({
      name,
      timeMs: start + offset,
      ...(eventAttributes ? { attributes: eventAttributes } : {}),
    })),
  };
}

const BROWSER_STATE: Attrs = {
  [A.ATTR_PROPAGATED]: true,
  [A.ATTR_BROWSER_ONLINE]: true,
  [A.ATTR_BROWSER_ONLINE_AT_START]: true,
  [A.ATTR_BROWSER_VISIBILITY_STATE]: 'visible',
  [A.ATTR_BROWSER_WAS_HIDDEN]: false,
  [A.ATTR_URL_FULL]: 'wss://app.example.com/ws?room=7',
  [A.ATTR_ROUTE]: '/ws',
};

const ABRUPT: Attrs = { [A.ATTR_CLOSE_CODE]: 1006, [A.ATTR_CLOSE_WAS_CLEAN]: false, [A.ATTR_CLOSE_INITIATOR]: 'unknown' };

/** A browser connection that opened and then dropped with 1006 after two minutes. */
export function browserOpen(attributes: Attrs = {}, timing: Timing = {}): ConnectionSide {
  return makeSide({ ...BROWSER_STATE, ...ABRUPT, [A.ATTR_OPENED]: true, [A.ATTR_PHASE]: 'open', [A.ATTR_HANDSHAKE_DURATION_MS]: 35 }, attributes, {
    lasted: 120_000,
    ...timing,
  });
}

/** A browser connection that never opened: error event, then close 1006. */
export function browserFailed(attributes: Attrs = {}, timing: Timing = {}): ConnectionSide {
  const lasted = timing.lasted ?? 300;
  return makeSide({ ...BROWSER_STATE, ...ABRUPT, [A.ATTR_OPENED]: false, [A.ATTR_PHASE]: 'handshake', [A.ATTR_HANDSHAKE_DURATION_MS]: lasted }, attributes, {
    ...timing,
    lasted,
  });
}

/** A ws client in Node whose handshake failed with `errorType`. */
export function nodeClientFailed(errorType: string, attributes: Attrs = {}, timing: Timing = {}): ConnectionSide {
  const lasted = timing.lasted ?? 40;
  return makeSide(
    { ...ABRUPT, [A.ATTR_OPENED]: false, [A.ATTR_PHASE]: 'handshake', [A.ATTR_ERROR_TYPE]: errorType, [A.ATTR_HANDSHAKE_DURATION_MS]: lasted },
    attributes,
    { ...timing, lasted },
  );
}

/** A ws server connection that opened and whose socket ended without a close frame. */
export function serverOpen(attributes: Attrs = {}, timing: Timing = {}): ConnectionSide {
  return makeSide(
    { ...ABRUPT, [A.ATTR_OPENED]: true, [A.ATTR_PHASE]: 'open', [A.ATTR_TERMINATION]: 'socket_end', [A.ATTR_HANDSHAKE_DURATION_MS]: 2 },
    attributes,
    { at: 10, lasted: 119_985, ...timing },
  );
}

/** A ws server that answered the upgrade with `status` (verifyClient, abortHandshake). */
export function serverRejected(status: number, attributes: Attrs = {}, timing: Timing = {}): ConnectionSide {
  return makeSide({ [A.ATTR_OPENED]: false, [A.ATTR_PHASE]: 'handshake', [A.ATTR_HTTP_STATUS]: status, [A.ATTR_TERMINATION]: 'abort_handshake' }, attributes, {
    at: 10,
    lasted: 3,
    ...timing,
  });
}
