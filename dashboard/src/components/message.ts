import { ApiError } from '../api/client.js';
import { h } from '../dom.js';

/** An API or network error as a visible message (never a blank panel). */
export function errorMessage(error: unknown, what: string): HTMLElement {
  const detail = error instanceof ApiError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
  const needsToken = error instanceof ApiError && (error.status === 401 || error.status === 403);
  const hint = needsToken ? h('p', null, 'Enter the admin token on the ', h('a', { href: '#/alerts' }, 'Alerts page'), ' for this tab.') : null;
  return h('div', { class: 'message error', role: 'alert' }, h('strong', null, `Could not load ${what}. `), detail, hint);
}

export function infoMessage(title: string, ...lines: Array<string | Node>): HTMLElement {
  return h('div', { class: 'message info', role: 'status' }, h('strong', null, title), ...lines.map((line) => h('p', null, line)));
}

export function loading(what: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}
