const STORAGE_KEY = 'closewatch.autoRefresh';
/** Often enough to watch an incident, rarely enough not to load the store. */
export const AUTO_REFRESH_MS = 30_000;

export function autoRefreshEnabled(): boolean {
  return localStorage.getItem(STORAGE_KEY) !== 'off';
}

export function setAutoRefresh(enabled: boolean): void {
  localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off');
}
