import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL, scrubUrl } from '@closewatch/conventions';
import type { ConnectionRecord, StoredSide } from '../store/store.js';

/** Quotes one word for a POSIX shell: single quotes, and `'\''` for a quote inside. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function stringAttr(side: StoredSide | null, key: string): string | undefined {
  const value = side?.attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The WebSocket URL a user would probe: the client's `url.full`, else the server's; a server-side
 * path is completed with `server.address`/`server.port`. Always scrubbed again; null when unknown.
 */
export function probeTargetUrl(record: Pick<ConnectionRecord, 'client' | 'server'>): string | null {
  const candidate = stringAttr(record.client, ATTR_URL_FULL) ?? stringAttr(record.server, ATTR_URL_FULL);
  if (candidate === undefined) return null;
  if (/^wss?:\/\//i.test(candidate)) return scrubUrl(candidate);
  if (/^https?:\/\//i.test(candidate)) return scrubUrl(candidate.replace(/^http/i, 'ws'));
  const side = record.server ?? record.client;
  const host = stringAttr(side, ATTR_SERVER_ADDRESS);
  if (host === undefined || !candidate.startsWith('/')) return null;
  const port = side?.attributes[ATTR_SERVER_PORT];
  const authority = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const scheme = port === 443 ? 'wss' : 'ws';
  const portPart = typeof port === 'number' && port !== 80 && port !== 443 ? `:${port}` : '';
  return scrubUrl(`${scheme}://${authority}${portPart}${candidate}`);
}

/** `closewatch probe '<scrubbed url>'`, ready to paste into a shell; null when the URL is unknown. */
export function probeCommand(record: Pick<ConnectionRecord, 'client' | 'server'>): string | null {
  const url = probeTargetUrl(record);
  return url === null ? null : `closewatch probe ${shellQuote(url)}`;
}
