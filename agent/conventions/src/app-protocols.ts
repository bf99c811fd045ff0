/** Application protocols on top of WebSocket that agents and the classifier know (`websocket.app.protocol`). */
export const APP_PROTOCOLS = ['socket.io', 'engine.io', 'graphql-ws'] as const;
export type AppProtocol = (typeof APP_PROTOCOLS)[number];

export function isAppProtocol(value: unknown): value is AppProtocol {
  return typeof value === 'string' && (APP_PROTOCOLS as readonly string[]).includes(value);
}

/**
 * engine.io's close reasons (its Socket `close` event), which socket.io hands on as `disconnect` reasons
 * when it has none of its own. Both ends use them: the server's engine.io and engine.io-client.
 */
export const ENGINE_IO_PING_TIMEOUT = 'ping timeout';
export const ENGINE_IO_TRANSPORT_CLOSE = 'transport close';
export const ENGINE_IO_TRANSPORT_ERROR = 'transport error';
export const ENGINE_IO_FORCED_CLOSE = 'forced close';
export const ENGINE_IO_PARSE_ERROR = 'parse error';

/** socket.io's own `disconnect` reasons on the server. */
export const SOCKET_IO_SERVER_NAMESPACE_DISCONNECT = 'server namespace disconnect';
export const SOCKET_IO_CLIENT_NAMESPACE_DISCONNECT = 'client namespace disconnect';
export const SOCKET_IO_SERVER_SHUTTING_DOWN = 'server shutting down';
/** socket.io-client's own `disconnect` reasons. */
export const SOCKET_IO_IO_SERVER_DISCONNECT = 'io server disconnect';
export const SOCKET_IO_IO_CLIENT_DISCONNECT = 'io client disconnect';

/** Reasons saying the server side ended the session on purpose (a kick), on either end. */
export const APP_SERVER_DISCONNECT_REASONS: readonly string[] = [SOCKET_IO_SERVER_NAMESPACE_DISCONNECT, SOCKET_IO_IO_SERVER_DISCONNECT];
/** Reasons saying the client left on purpose, on either end. */
export const APP_CLIENT_DISCONNECT_REASONS: readonly string[] = [SOCKET_IO_CLIENT_NAMESPACE_DISCONNECT, SOCKET_IO_IO_CLIENT_DISCONNECT];

/** engine.io puts its protocol revision in every request's query (`EIO=4`); socket.io serves `/socket.io/` by default. */
const ENGINE_IO_QUERY = /[?&]EIO=\d/;
const SOCKET_IO_PATH = /\/socket\.io\/?(?:[?#]|$)/;

/**
 * The app protocol a WebSocket URL shows (a browser span, which carries no app attributes): engine.io's
 * `EIO=` query parameter, socket.io when the path is its default `/socket.io/`. Undefined otherwise.
 */
export function appProtocolOfUrl(url: unknown): AppProtocol | undefined {
  // includes() first: the classifier asks for every browser span, and few URLs are engine.io's.
  if (typeof url !== 'string' || !url.includes('EIO=') || !ENGINE_IO_QUERY.test(url)) return undefined;
  return SOCKET_IO_PATH.test(url) ? 'socket.io' : 'engine.io';
}
