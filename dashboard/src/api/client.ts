import { API_BASE } from './api-base.js';
import { apiUrl } from './page-queries.js';
import { takePrefetched } from './prefetched.js';

/** Errors from the API keep the catalog's code and message so pages can show them as text. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export { API_BASE };
const ADMIN_TOKEN_KEY = 'closewatch.adminToken';

/** The admin token the user typed on the Alerts page; kept for the tab's session only. */
export function adminToken(): string {
  return sessionStorage.getItem(ADMIN_TOKEN_KEY) ?? '';
}

export function setAdminToken(token: string): void {
  if (token === '') sessionStorage.removeItem(ADMIN_TOKEN_KEY);
  else sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, prefetched?: Promise<Response>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Reads carry the token too: a collector may require it for reads (readRequiresToken).
  const token = adminToken();
  if (token !== '') headers['x-closewatch-token'] = token;
  if (method !== 'GET') headers['x-closewatch-csrf'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await (prefetched ??
      fetch(`${API_BASE}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'same-origin',
        signal: signal ?? null,
      }));
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', `The collector could not be reached (${(error as Error).message}).`);
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** GET `path` with query parameters (empty values dropped). */
export function apiGet<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const url = apiUrl(path, params);
  return request<T>('GET', url.slice(API_BASE.length), undefined, signal, takePrefetched(url));
}

/** A write: sends the CSRF header and, when entered, the admin token. */
export function apiSend<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body);
}
