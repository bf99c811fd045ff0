const numberFormat = new Intl.NumberFormat('en-US');
const percentFormat = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A 0..1 share as a percentage with one decimal. */
export function formatPercent(share: number): string {
  return percentFormat.format(share);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local date and time to the second, e.g. `2026-11-25 14:03:07`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Axis label for a bucket start: time of day for short ranges, date and hour for long ones. */
export function formatTick(ms: number, rangeMs: number): string {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return rangeMs > 2 * 86_400_000 ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

export function formatCode(code: number | null): string {
  return code === null ? 'none' : String(code);
}

/** `handshake_auth_rejected` → `handshake auth rejected` where no title is known. */
export function humanizeId(id: string): string {
  return id.replaceAll('_', ' ');
}
