import type { ProbeOptions } from './options.js';
import type { HeaderList } from './report.js';

const USER_AGENT = 'closewatch-probe/0.1 (+https://github.com/closewatch)';
/** Header values that must not end up in CI logs or shared reports. */
const SECRET_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization', 'x-api-key']);

export interface UpgradeRequest {
  /** Bytes to write to the socket. */
  wire: string;
  requestLine: string;
  headers: HeaderList;
}

/** The upgrade request a browser sends for `new WebSocket(url, protocols)`, with the user's extra headers. */
export function buildUpgradeRequest(options: ProbeOptions, key: string): UpgradeRequest {
  const { url } = options;
  const requestLine = `GET ${url.pathname}${url.search} HTTP/1.1`;
  const headers: HeaderList = [
    ['Host', url.host],
    ['Connection', 'Upgrade'],
    ['Pragma', 'no-cache'],
    ['Cache-Control', 'no-cache'],
    ['User-Agent', USER_AGENT],
    ['Upgrade', 'websocket'],
    ['Origin', options.origin],
    ['Sec-WebSocket-Version', '13'],
    ['Sec-WebSocket-Key', key],
    ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
  ];
  if (options.protocols.length > 0) headers.push(['Sec-WebSocket-Protocol', options.protocols.join(', ')]);
  if (options.cookie !== null) headers.push(['Cookie', options.cookie]);
  if (url.username || url.password) headers.push(['Authorization', basicAuth(url)]);
  for (const [name, value] of options.headers) replaceHeader(headers, name, value);
  const wire = `${requestLine}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`;
  return { wire, requestLine, headers };
}

/** The request as it may be shown: secret header values replaced by their length. */
export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map(([name, value]) => [name, SECRET_HEADERS.has(name.toLowerCase()) ? `<redacted, ${Buffer.byteLength(value)} bytes>` : value]);
}

function replaceHeader(headers: HeaderList, name: string, value: string): void {
  const index = headers.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
  if (index >= 0) headers[index] = [name, value];
  else headers.push([name, value]);
}

/** Userinfo in a ws URL becomes Basic auth, as browsers still do for WebSocket URLs. */
function basicAuth(url: URL): string {
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}
