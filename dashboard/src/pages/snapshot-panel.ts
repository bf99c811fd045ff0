import type { StoredSnapshot } from '../api/types.js';
import { h } from '../dom.js';
import { formatMs, formatTime } from '../format.js';
import type { TimelineFrame } from './side-panel.js';
import { attributeList } from './side-panel.js';

/** The snapshot's trigger in words (conventions' SNAPSHOT_TRIGGERS). */
const TRIGGER_WORDS: Record<string, string> = {
  hidden: 'the page became hidden',
  freeze: 'the page was frozen',
  offline: 'the browser went offline',
  interval: 'periodic',
};

/** The frame widened to hold the snapshot's time, so it sits on the same axis as both sides. */
export function withSnapshot(frame: TimelineFrame, snapshot: StoredSnapshot | null): TimelineFrame {
  if (snapshot === null) return frame;
  return { originMs: Math.min(frame.originMs, snapshot.takenAtMs), endMs: Math.max(frame.endMs, snapshot.takenAtMs) };
}

function snapshotTimeline(snapshot: StoredSnapshot, frame: TimelineFrame): HTMLElement {
  const spanMs = Math.max(1, frame.endMs - frame.originMs);
  const offset = snapshot.takenAtMs - frame.originMs;
  const trigger = String(snapshot.attributes['websocket.snapshot.trigger'] ?? '');
  const mark = h('span', { class: 'timeline-mark snapshot-mark' });
  // CSSOM, not a style attribute: the CSP allows the former only.
  mark.style.left = `${Math.min(100, Math.max(0, (offset / spanMs) * 100))}%`;
  return h(
    'ol',
    { class: 'timeline', 'aria-label': 'browser snapshot' },
    h(
      'li',
      { 'data-field': 'snapshot-event' },
      h('span', { class: 'offset' }, `+${formatMs(offset)}`),
      ' ',
      h('strong', null, 'websocket.snapshot'),
      ' ',
      h(
        'span',
        { class: 'event-attributes' },
        `${TRIGGER_WORDS[trigger] ?? trigger} · ${String(snapshot.attributes['browser.visibility_state'] ?? '?')}, ${snapshot.attributes['browser.online'] === false ? 'offline' : 'online'}`,
      ),
      h('span', { class: 'timeline-bar', 'aria-hidden': 'true' }, mark),
    ),
  );
}

/**
 * The client column when the browser's close record never came but its open-connection snapshot did
 * (docs/design.md "Open-connection snapshots"): what the page was doing, on the connection's axis.
 */
export function snapshotPanel(snapshot: StoredSnapshot, frame: TimelineFrame): HTMLElement {
  const title = 'Client side: browser snapshot';
  return h(
    'section',
    { class: 'side-panel snapshot', 'data-side': 'client', 'data-observed': 'snapshot', 'aria-label': title },
    h('h2', null, title),
    h(
      'p',
      { 'data-field': 'snapshot-note' },
      `No browser close record arrived. The browser's last snapshot of this open connection (${snapshot.count} received) is shown instead: its state while open, not how it closed.`,
    ),
    h('p', { class: 'side-meta' }, `${snapshot.service} · taken ${formatTime(snapshot.takenAtMs)}`),
    h('h3', null, 'Timeline'),
    snapshotTimeline(snapshot, frame),
    h('h3', null, 'Snapshot attributes'),
    attributeList('Snapshot attributes', snapshot.attributes),
  );
}
