import type { Connection } from './connection.js';

/** The connection record of each socket the page created through the wrapper. */
export const connectionsBySocket = new WeakMap<WebSocket, Connection>();

/** Connections not yet ended: browser-state changes are written into each of them. */
export const liveConnections = new Set<Connection>();
