import { CLOSE_CODES } from '../close-codes.js';
import type { SideFacts } from './side-facts.js';

/** `850 ms`, `61.2 s`: durations as a reader wants them. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `1006 (Abnormal Closure)`. */
export function closeCode(code: number): string {
  const entry = CLOSE_CODES[code];
  if (entry) return `${code} (${entry.name})`;
  if (code >= 4000 && code <= 4999) return `${code} (application-defined)`;
  if (code >= 3000 && code <= 3999) return `${code} (registered by a library)`;
  return String(code);
}

/** `12.3 s after the connection started`. */
export function sinceStart(side: SideFacts, timeMs: number): string {
  return `${duration(Math.max(0, timeMs - side.startTimeMs))} after the connection started`;
}

/** ` with reason "…"`, or '' when there is none. */
export function withReason(side: SideFacts): string {
  return side.reason ? ` with reason "${side.reason}"` : '';
}

/** `the browser saw close code 1006 (Abnormal Closure)` plus who initiated, for one side. */
export function closeSeen(side: SideFacts): string {
  if (side.code === undefined) return `${side.who} reported no close code`;
  const by = side.initiator && side.initiator !== 'unknown' ? `, initiated by the ${side.initiator}` : '';
  return `${side.who} saw close code ${closeCode(side.code)}${withReason(side)}${by}`;
}

const LOWER_A = 0x61;
const LOWER_Z = 0x7a;
const ASCII_END = 0x80;
const ASCII_CASE_OFFSET = 0x20;

/** The text with its first letter in upper case; an ASCII first letter, as evidence has, skips the general toUpperCase. */
function capitalised(text: string): string {
  const first = text.charCodeAt(0);
  if (first >= LOWER_A && first <= LOWER_Z) return String.fromCharCode(first - ASCII_CASE_OFFSET) + text.slice(1);
  if (first < ASCII_END || text === '') return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function endsSentence(text: string): boolean {
  const last = text.charAt(text.length - 1);
  return last === '.' || last === '!' || last === '?';
}

/** Capitalises the first letter of a sentence and ends it with a full stop unless it has an ending already. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  // Read the ending before capitalising: only the first letter changes, and the joined string stays unflattened.
  return endsSentence(trimmed) ? capitalised(trimmed) : `${capitalised(trimmed)}.`;
}

/** Milliseconds from start to failure for a side that never opened. */
export function handshakeDuration(side: SideFacts): number {
  return side.handshakeMs ?? Math.max(0, side.endTimeMs - side.startTimeMs);
}
