import { ATTR_PROPAGATED, ATTR_SUBPROTOCOLS_REQUESTED, ATTR_URL_FULL } from '@closewatch/conventions';
import { createConnection, type Connection, type OtlpSpan } from './connection.js';
import { correlationSuffix, matchesPropagateTo } from './correlation.js';
import { scrubParsedUrl } from './scrub-url.js';

/** URL schemes the WebSocket constructor accepts, once http/https became ws/wss. */
const WEBSOCKET_SCHEME = /^wss?:$/;
/** The URL parser strips or encodes these, so an appended suffix could not be removed byte for byte. */
const UNSAFE_TO_EXTEND = /[\s#]/;

/**
 * Describes a `new WebSocket(url, protocols)` call before it reaches the native constructor. The URL
 * is only read when it is a string or URL, so the app's own objects are never stringified twice.
 */
export function openConnection(args: unknown[], propagateTo: Array<string | RegExp>, sink: (span: OtlpSpan, closeCode?: number) => void): Connection {
  const connection = createConnection(sink);
  const attributes = connection.attributes_;
  const [requested, protocols] = args;
  // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- the snippet's shortest ToString of a string or URL
  const text = typeof requested == 'string' || requested instanceof URL ? '' + requested : undefined;
  // Anything else (no argument, a Symbol, an object with toString) goes to the native constructor untouched.
  if (text != undefined) {
    try {
      const url = new URL(text, location.href);
      url.protocol = url.protocol.replace('http', 'ws');
      attributes[ATTR_URL_FULL] = scrubParsedUrl(url);
      connection.requestedUrl_ = url.href;
      if (WEBSOCKET_SCHEME.test(url.protocol) && !UNSAFE_TO_EXTEND.test(text) && matchesPropagateTo(url, propagateTo)) {
        connection.correlation_ = correlationSuffix(text, connection.traceId_, connection.spanId_);
        connection.requestedUrl_ += connection.correlation_;
        connection.nativeArgs_ = [text + connection.correlation_, ...args.slice(1)];
        attributes[ATTR_PROPAGATED] = true;
      }
    } catch {
      // Not a URL: the native constructor throws its SyntaxError; keep the text before any query or userinfo.
      attributes[ATTR_URL_FULL] = text.replace(/[?#].*|^.*@/g, '');
    }
  }
  // Only strings and arrays are read: iterating the app's own iterable would exhaust it.
  attributes[ATTR_SUBPROTOCOLS_REQUESTED] = [protocols ?? []].flat().filter((protocol) => typeof protocol == 'string');
  return connection;
}
