import { isValidCloseCodeToSend, isValidWsCloseCode } from './close-code-send.js';

/**
 * Where a code sits in the close-code space (RFC 6455 §7.4.2):
 * `standard` 1000–1015 defined by RFC 6455 / IANA; `reserved` 1016–2999 kept for the protocol;
 * `registered` 3000–3999 registered with IANA by libraries and frameworks; `application` 4000–4999
 * private use; `invalid` everything else (0–999, ≥5000, non-integers).
 */
export type CloseCodeRange = 'standard' | 'reserved' | 'registered' | 'application' | 'invalid';

/** Who may put the code in a close frame; `never` codes only appear in a local `close` event. */
export type CloseCodeSender = 'either' | 'client' | 'server' | 'never';

export interface CloseCodeInfo {
  code: number;
  name: string;
  meaning: string;
  range: CloseCodeRange;
  sentBy: CloseCodeSender;
  /** A browser's `WebSocket.close(code)` accepts it. */
  browserMaySend: boolean;
  /** ws's `close(code)` accepts it. */
  wsMaySend: boolean;
}

type RegistryEntry = Pick<CloseCodeInfo, 'name' | 'meaning' | 'sentBy'>;

/** RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number Registry". */
export const CLOSE_CODES: Readonly<Record<number, RegistryEntry>> = {
  1000: {
    name: 'Normal Closure',
    meaning: 'The purpose for which the connection was established has been fulfilled.',
    sentBy: 'either',
  },
  1001: {
    name: 'Going Away',
    meaning: 'An endpoint is going away: a server going down or restarting, or a browser navigating away from the page.',
    sentBy: 'either',
  },
  1002: {
    name: 'Protocol Error',
    meaning: 'An endpoint is terminating the connection because it received a frame that violates the WebSocket protocol.',
    sentBy: 'either',
  },
  1003: {
    name: 'Unsupported Data',
    meaning: 'An endpoint received a type of data it cannot accept, e.g. binary data where it only understands text.',
    sentBy: 'either',
  },
  1004: {
    name: 'Reserved',
    meaning: 'Reserved; no meaning is defined and it must not be sent.',
    sentBy: 'never',
  },
  1005: {
    name: 'No Status Received',
    meaning: 'The close frame carried no status code. Reported locally by the close event; never sent in a frame.',
    sentBy: 'never',
  },
  1006: {
    name: 'Abnormal Closure',
    meaning:
      'The connection closed without a close frame: the TCP connection dropped, the handshake failed, or the peer vanished. Reported locally; never sent in a frame. Browsers report it for every failure they do not explain.',
    sentBy: 'never',
  },
  1007: {
    name: 'Invalid Frame Payload Data',
    meaning: 'An endpoint received data inconsistent with the message type, e.g. invalid UTF-8 in a text message.',
    sentBy: 'either',
  },
  1008: {
    name: 'Policy Violation',
    meaning: 'An endpoint received a message that violates its policy; a generic code when no better one fits.',
    sentBy: 'either',
  },
  1009: {
    name: 'Message Too Big',
    meaning: 'An endpoint received a message too big to process (for ws: larger than maxPayload).',
    sentBy: 'either',
  },
  1010: {
    name: 'Mandatory Extension',
    meaning: 'The client expected the server to negotiate one or more extensions and the server did not.',
    sentBy: 'client',
  },
  1011: {
    name: 'Internal Error',
    meaning: 'The server met an unexpected condition that prevented it from fulfilling the request.',
    sentBy: 'server',
  },
  1012: {
    name: 'Service Restart',
    meaning: 'The server is restarting; the client may reconnect, ideally after a randomised delay.',
    sentBy: 'server',
  },
  1013: {
    name: 'Try Again Later',
    meaning: 'The server is overloaded or temporarily unable to serve; the client should reconnect later.',
    sentBy: 'server',
  },
  1014: {
    name: 'Bad Gateway',
    meaning: 'The server was acting as a gateway or proxy and received an invalid response from the upstream server.',
    sentBy: 'server',
  },
  1015: {
    name: 'TLS Handshake',
    meaning: 'The TLS handshake failed, e.g. the server certificate could not be verified. Reported locally; never sent in a frame.',
    sentBy: 'never',
  },
  3000: {
    name: 'Unauthorized',
    meaning: 'Registered with IANA: the endpoint is not authorised (an application-level 401).',
    sentBy: 'either',
  },
  3003: {
    name: 'Forbidden',
    meaning: 'Registered with IANA: the endpoint is authenticated but not allowed (an application-level 403).',
    sentBy: 'either',
  },
  3008: {
    name: 'Timeout',
    meaning: 'Registered with IANA: the endpoint timed out waiting for something (an application-level 408).',
    sentBy: 'either',
  },
};

function rangeOf(code: number): CloseCodeRange {
  if (!Number.isInteger(code)) return 'invalid';
  if (code >= 1000 && code <= 1015) return 'standard';
  if (code >= 1016 && code <= 2999) return 'reserved';
  if (code >= 3000 && code <= 3999) return 'registered';
  if (code >= 4000 && code <= 4999) return 'application';
  return 'invalid';
}

/** A code RFC 6455 gives a meaning or leaves to applications: 1000–1015 and 3000–4999. */
export function isValidCloseCode(code: number): boolean {
  const range = rangeOf(code);
  return range === 'standard' || range === 'registered' || range === 'application';
}

const RANGE_TEXT: Record<Exclude<CloseCodeRange, 'standard'>, RegistryEntry> = {
  reserved: {
    name: 'Reserved',
    meaning: 'Reserved for future revisions of the WebSocket protocol; no endpoint may send it.',
    sentBy: 'never',
  },
  registered: {
    name: 'Registered (library / framework)',
    meaning: 'A code registered with IANA for a library, framework or application; its meaning is defined by whoever registered it.',
    sentBy: 'either',
  },
  application: {
    name: 'Application',
    meaning: "A private-use code: its meaning is agreed between this application's client and server.",
    sentBy: 'either',
  },
  invalid: {
    name: 'Invalid',
    meaning: 'Not a valid close code: 0–999 are unused and codes from 5000 up are undefined by RFC 6455.',
    sentBy: 'never',
  },
};

/** Name, meaning, range and who may send it, for any number. */
export function describeCloseCode(code: number): CloseCodeInfo {
  const range = rangeOf(code);
  const entry = CLOSE_CODES[code] ?? RANGE_TEXT[range === 'standard' ? 'invalid' : range];
  return {
    code,
    ...entry,
    range,
    browserMaySend: isValidCloseCodeToSend(code),
    wsMaySend: isValidWsCloseCode(code),
  };
}
