import type { StoredSide } from '../api/types.js';
import { h } from '../dom.js';
import { formatMs, formatTime } from '../format.js';

function attributeText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

export function attributeList(caption: string, attributes: Record<string, unknown>): HTMLElement {
  const keys = Object.keys(attributes).sort();
  if (keys.length === 0) return h('p', { class: 'muted' }, `No ${caption.toLowerCase()}.`);
  return h('dl', { class: 'attributes', 'aria-label': caption }, ...keys.flatMap((key) => [h('dt', null, key), h('dd', null, attributeText(attributes[key]))]));
}

/** Corrections below this are not worth a note (the collector's evidence uses the same threshold). */
const CLOCK_NOTE_MIN_MS = 1_000;

/** A time of the side on the collector's clock (the agent's clock may be off). */
function onCollectorClock(side: StoredSide, timeMs: number): number {
  return timeMs - (side.clockOffsetMs ?? 0);
}

/** Both sides' events on one time axis (the collector's clock): offsets from the earlier side's start, marks across both spans. */
export interface TimelineFrame {
  originMs: number;
  endMs: number;
}

export function timelineFrame(sides: Array<StoredSide | null>): TimelineFrame {
  const present = sides.filter((s): s is StoredSide => s !== null);
  return {
    originMs: Math.min(...present.map((s) => onCollectorClock(s, s.startTimeMs))),
    endMs: Math.max(...present.map((s) => onCollectorClock(s, s.endTimeMs))),
  };
}

function timeline(side: StoredSide, frame: TimelineFrame): HTMLElement {
  const spanMs = Math.max(1, frame.endMs - frame.originMs);
  const events = [...side.events].sort((a, b) => a.timeMs - b.timeMs);
  const since = (timeMs: number) => onCollectorClock(side, timeMs) - frame.originMs;
  return h(
    'ol',
    { class: 'timeline', 'aria-label': `${side.side} events` },
    h('li', { class: 'timeline-edge' }, h('span', { class: 'offset' }, `+${formatMs(since(side.startTimeMs))}`), ' span start'),
    ...events.map((event) => {
      const offset = since(event.timeMs);
      const position = Math.min(100, Math.max(0, (offset / spanMs) * 100));
      const attrs =
        event.attributes && Object.keys(event.attributes).length > 0
          ? h(
              'span',
              { class: 'event-attributes' },
              Object.entries(event.attributes)
                .map(([k, v]) => `${k}=${attributeText(v)}`)
                .join(' '),
            )
          : null;
      const mark = h('span', { class: 'timeline-mark' });
      // CSSOM, not a style attribute: the CSP allows the former only.
      mark.style.left = `${position}%`;
      const bar = h('span', { class: 'timeline-bar', 'aria-hidden': 'true' }, mark);
      return h('li', null, h('span', { class: 'offset' }, `+${formatMs(offset)}`), ' ', h('strong', null, event.name), ' ', attrs, bar);
    }),
    h('li', { class: 'timeline-edge' }, h('span', { class: 'offset' }, `+${formatMs(since(side.endTimeMs))}`), ' span end'),
  );
}

/** Says how far the agent's clock was off, when the collector corrected it by a second or more. */
function clockNote(side: StoredSide): HTMLElement | null {
  const offset = side.clockOffsetMs ?? 0;
  if (Math.abs(offset) < CLOCK_NOTE_MIN_MS) return null;
  return h(
    'p',
    { class: 'side-clock', 'data-field': 'clock-offset' },
    `This agent's clock was ${formatMs(Math.abs(offset))} ${offset > 0 ? 'ahead of' : 'behind'} the collector's: times above are as it sent them, the events below on the collector's clock.`,
  );
}

/** One side of a connection: who reported it, its attributes and its events. */
export function sidePanel(kind: 'client' | 'server', side: StoredSide | null, frame: TimelineFrame): HTMLElement {
  const title = kind === 'client' ? 'Client side' : 'Server side';
  if (side === null) {
    return h(
      'section',
      { class: 'side-panel missing', 'data-side': kind, 'aria-label': title },
      h('h2', null, title),
      h(
        'p',
        null,
        kind === 'client'
          ? 'No client span arrived. The evidence above says whether client agents report on this route and what that means for this connection.'
          : 'No server span arrived. The evidence above says which server instances report on this route and when each last did; only where none does is an agent missing.',
      ),
    );
  }
  return h(
    'section',
    { class: 'side-panel', 'data-side': kind, 'aria-label': title },
    h('h2', null, title),
    h(
      'p',
      { class: 'side-meta' },
      `${side.service} · ${side.scope.name} ${side.scope.version} · ${formatTime(side.startTimeMs)} → ${formatTime(side.endTimeMs)} (${formatMs(side.endTimeMs - side.startTimeMs)})`,
    ),
    clockNote(side),
    h('h3', null, 'Events'),
    h('p', { class: 'muted small' }, 'Offsets from the connection’s first span start (both sides on one axis).'),
    timeline(side, frame),
    h('h3', null, 'Attributes'),
    attributeList('Attributes', side.attributes),
    h('details', null, h('summary', null, 'Resource'), attributeList('Resource attributes', side.resource)),
  );
}
