import { appProtocolOfUrl, type AppProtocol } from '@closewatch/conventions';
import type { ConnectionRecord } from './connection-record.js';
import { coarseNow } from './coarse-clock.js';

/** engine.io packet types (engine.io-protocol v4): the first character of a text frame. */
const OPEN = 0x30; // '0'
const PING = 0x32; // '2'
const PONG = 0x33; // '3'
const MESSAGE = 0x34; // '4'
const LAST_PACKET_TYPE = 0x36; // '6' noop
/** socket.io packet types (socket.io-protocol v5), right after engine.io's '4'. */
const SIO_CONNECT = 0x30;
const SIO_DISCONNECT = 0x31;
const SIO_CONNECT_ERROR = 0x34;
const SIO_LAST_PACKET_TYPE = 0x36;
const OPEN_BRACE = 0x7b;
/** A CONNECT_ERROR message is the app's text: kept to what a close reason may hold, roughly. */
const MAX_CONNECT_ERROR_LENGTH = 256;

/**
 * What the agent reads of one engine.io connection over a ws WebSocket (socket.io rides on it): only
 * the first one or two characters of text frames, plus the JSON of the rare packets that carry what
 * the close needs (engine.io's open packet, socket.io's CONNECT_ERROR). Times are coarse-clock times.
 */
export class EngineIoSession {
  protocol: AppProtocol;
  /** engine.io protocol 4 (the server pings); protocol 3 clients ping instead and are not timed. */
  readonly serverPings: boolean;
  /** The ws server that accepted it (server side), to tell a shutdown. */
  server: object | undefined = undefined;
  pingIntervalMs = 0;
  pingTimeoutMs = 0;
  /** Server side: the last ping sent and pong received. Client side: the last ping received. */
  lastPingAt = 0;
  lastPongAt = 0;
  /** Client side: the longest gap seen between two pings, the server's pingInterval as it is kept. */
  longestPingGapMs = 0;
  /** socket.io DISCONNECT packets, each way. */
  disconnectSentAt = 0;
  disconnectReceivedAt = 0;
  /** A text frame engine.io cannot decode reached the server. */
  parseErrorAt = 0;
  /** socket.io CONNECT_ERROR's message. */
  connectError: string | undefined = undefined;

  constructor(protocol: AppProtocol, serverPings: boolean) {
    this.protocol = protocol;
    this.serverPings = serverPings;
  }
}

/** engine.io writes `EIO=<revision>` into every request: a session only for those URLs, by one `includes` for the rest. */
export function engineIoSessionFor(url: string): EngineIoSession | undefined {
  const protocol = appProtocolOfUrl(url);
  if (protocol === undefined) return undefined;
  return new EngineIoSession(protocol, !/[?&]EIO=3(?:&|$)/.test(url));
}

function readOpenPacket(session: EngineIoSession, json: string): void {
  try {
    const open = JSON.parse(json) as { pingInterval?: unknown; pingTimeout?: unknown };
    if (typeof open.pingInterval === 'number') session.pingIntervalMs = open.pingInterval;
    if (typeof open.pingTimeout === 'number') session.pingTimeoutMs = open.pingTimeout;
  } catch {
    // Not engine.io's open packet after all.
  }
}

/** `text` cut to `max` UTF-16 units without splitting a surrogate pair (a lone half is not valid text). */
function cutOnCodePoint(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** `44{"message":"unauthorized"}` or `44/admin,{"message":…}`: the message, cut to a bounded length on a whole code point. */
function readConnectError(session: EngineIoSession, text: string): void {
  const brace = text.indexOf('{');
  if (brace < 0) return;
  try {
    const message = (JSON.parse(text.slice(brace)) as { message?: unknown }).message;
    if (typeof message === 'string') session.connectError = cutOnCodePoint(message, MAX_CONNECT_ERROR_LENGTH);
  } catch {
    // A CONNECT_ERROR without a JSON payload says nothing more.
  }
}

function textOf(frame: string | Uint8Array): string {
  return typeof frame === 'string' ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.length).toString('utf8');
}

/** socket.io packets inside an engine.io message: the second character of the frame. */
function noteSocketIoPacket(session: EngineIoSession, type: number, sent: boolean, frame: string | Uint8Array): void {
  if (type < SIO_CONNECT || type > SIO_LAST_PACKET_TYPE) return;
  if (session.protocol !== 'socket.io') session.protocol = 'socket.io';
  if (type === SIO_DISCONNECT) {
    if (sent) session.disconnectSentAt = coarseNow();
    else session.disconnectReceivedAt = coarseNow();
  } else if (type === SIO_CONNECT_ERROR) {
    readConnectError(session, textOf(frame));
  }
}

/** Frames after a close frame went either way tell nothing about why the close began. */
function closing(record: ConnectionRecord): boolean {
  return record.closeSentAt !== 0 || record.closeReceivedAt !== 0;
}

/** A text frame the peer sent (ws hands text over as a Buffer): only its first bytes are read. */
export function noteEngineIoReceived(session: EngineIoSession, record: ConnectionRecord, data: unknown, isBinary: unknown): void {
  if (isBinary !== false || !(data instanceof Uint8Array) || data.length === 0 || closing(record)) return;
  const type = data[0];
  if (type === PING) {
    // engine.io 4: the server pings; the client's `2probe` while upgrading is no heartbeat.
    if (record.side === 'client' && session.serverPings && data.length === 1) noteServerPing(session);
  } else if (type === PONG) {
    if (record.side === 'server' && data.length === 1) session.lastPongAt = coarseNow();
  } else if (type === MESSAGE) {
    if (data.length > 1) noteSocketIoPacket(session, data[1], false, data);
  } else if (type === OPEN) {
    if (record.side === 'client' && data[1] === OPEN_BRACE) readOpenPacket(session, textOf(data).slice(1));
  } else if (type < OPEN || type > LAST_PACKET_TYPE) {
    if (record.side === 'server') session.parseErrorAt = coarseNow();
  }
}

function noteServerPing(session: EngineIoSession): void {
  const now = coarseNow();
  if (session.lastPingAt !== 0) session.longestPingGapMs = Math.max(session.longestPingGapMs, now - session.lastPingAt);
  session.lastPingAt = now;
}

/** A frame this side sends: engine.io writes its packets as strings (binary messages are not read). */
export function noteEngineIoSent(session: EngineIoSession, record: ConnectionRecord, data: unknown): void {
  if (typeof data !== 'string' || data.length === 0 || closing(record)) return;
  const type = data.charCodeAt(0);
  if (type === PING) {
    if (record.side === 'server' && session.serverPings && data.length === 1) session.lastPingAt = coarseNow();
  } else if (type === MESSAGE) {
    if (data.length > 1) noteSocketIoPacket(session, data.charCodeAt(1), true, data);
  } else if (type === OPEN) {
    if (record.side === 'server' && data.charCodeAt(1) === OPEN_BRACE) readOpenPacket(session, data.slice(1));
  }
}
