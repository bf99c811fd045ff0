import {
  ATTR_BYTES_RECEIVED,
  ATTR_BYTES_SENT,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_CLOSE_REASON,
  ATTR_CLOSE_WAS_CLEAN,
  ATTR_HANDSHAKE_DURATION_MS,
  ATTR_MESSAGES_RECEIVED,
  ATTR_MESSAGES_SENT,
  ATTR_OPEN_DURATION_MS,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SUBPROTOCOL,
  ATTR_TERMINATION,
  ATTR_URL_FULL,
  EVENT_OPEN,
  RESOURCE_SERVICE_NAME,
  SPAN_KIND_SERVER,
  SPAN_NAME_CONNECTION,
  randomSpanId,
  scrubUrl,
  type Initiator,
} from '@closewatch/conventions';

/** What the test socket observed of one connection, as its own server side. */
export interface TestSocketObservation {
  traceId: string;
  parentSpanId: string;
  service: string;
  route: string;
  /** Path and query as the browser asked for it (the correlation parameter is removed here). */
  url: string;
  serverAddress: string;
  serverPort: number;
  upgradeAtMs: number;
  openAtMs: number;
  closeAtMs: number;
  code: number;
  reason: string;
  wasClean: boolean;
  initiator: Initiator;
  messages: number;
  bytes: number;
}

type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

function value(v: string | number | boolean, integer = false): OtlpValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return integer ? { intValue: String(Math.round(v)) } : { doubleValue: v };
}

function nanos(ms: number): string {
  return `${BigInt(Math.round(ms)) * 1_000_000n}`;
}

/** The observation as an OTLP/JSON export request with one `websocket.connection` SERVER span. */
export function testSocketExport(o: TestSocketObservation): unknown {
  const attributes: Array<[string, OtlpValue]> = [
    [ATTR_ROUTE, value(o.route)],
    [ATTR_URL_FULL, value(scrubUrl(o.url))],
    [ATTR_SERVER_ADDRESS, value(o.serverAddress)],
    [ATTR_SERVER_PORT, value(o.serverPort, true)],
    [ATTR_PHASE, value('open')],
    [ATTR_OPENED, value(true)],
    [ATTR_SUBPROTOCOL, value('')],
    [ATTR_CLOSE_CODE, value(o.code, true)],
    [ATTR_CLOSE_REASON, value(o.reason)],
    [ATTR_CLOSE_WAS_CLEAN, value(o.wasClean)],
    [ATTR_CLOSE_INITIATOR, value(o.initiator)],
    [ATTR_TERMINATION, value('close')],
    [ATTR_HANDSHAKE_DURATION_MS, value(o.openAtMs - o.upgradeAtMs)],
    [ATTR_OPEN_DURATION_MS, value(o.closeAtMs - o.openAtMs)],
    [ATTR_MESSAGES_RECEIVED, value(o.messages, true)],
    [ATTR_MESSAGES_SENT, value(o.messages, true)],
    [ATTR_BYTES_RECEIVED, value(o.bytes, true)],
    [ATTR_BYTES_SENT, value(o.bytes, true)],
  ];
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: RESOURCE_SERVICE_NAME, value: value(o.service) }] },
        scopeSpans: [
          {
            scope: { name: '@closewatch/collector/test-socket', version: '0.1.0' },
            spans: [
              {
                traceId: o.traceId,
                spanId: randomSpanId(),
                parentSpanId: o.parentSpanId,
                name: SPAN_NAME_CONNECTION,
                kind: SPAN_KIND_SERVER,
                startTimeUnixNano: nanos(o.upgradeAtMs),
                endTimeUnixNano: nanos(o.closeAtMs),
                attributes: attributes.map(([key, v]) => ({ key, value: v })),
                events: [{ name: EVENT_OPEN, timeUnixNano: nanos(o.openAtMs), attributes: [] }],
              },
            ],
          },
        ],
      },
    ],
  };
}
