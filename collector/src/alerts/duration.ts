import { DURATION_UNIT_MS } from '@closewatch/conventions';

/** Formats milliseconds as the largest whole Prometheus duration unit ("300000" → "5m"). */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = DURATION_UNIT_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms === 0 ? '0s' : `${ms}ms`;
}
