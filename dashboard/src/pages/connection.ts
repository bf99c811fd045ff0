import { apiGet } from '../api/client.js';
import type { ConnectionDetail, MassDrop, MassDropList } from '../api/types.js';
import { massDropList } from '../components/mass-drop-list.js';
import { appLabel } from '../components/app-label.js';
import { copyableCode } from '../components/copy-button.js';
import { errorMessage, infoMessage } from '../components/message.js';
import { h, replaceChildren } from '../dom.js';
import { formatCode, formatMs, formatTime, humanizeId } from '../format.js';
import { pickFilters } from '../state/filters.js';
import { routeHref } from '../state/route.js';
import type { Page, PageContext } from './page.js';
import { sidePanel, timelineFrame } from './side-panel.js';
import { snapshotPanel, withSnapshot } from './snapshot-panel.js';

/** `graphql-ws 4401 Unauthorized: …` when the app protocol defines the code, else `1006 Abnormal Closure: …`. */
function closeCodeText(detail: ConnectionDetail, code: number | null): string {
  const app = detail.appCloseCode;
  if (app) return `${app.protocol} ${app.code} ${app.name}: ${app.meaning}`;
  return `${formatCode(code)}${detail.closeCode ? ` ${detail.closeCode.name}: ${detail.closeCode.meaning}` : ''}`;
}

/** Who reported the connection, in words: a browser close and a browser snapshot are told apart. */
const OBSERVED_BY_WORDS: Record<string, string> = {
  client: 'the client (its close record)',
  server: 'the server',
  both: 'both sides (the browser’s close record and the server)',
  server_snapshot: 'the server and the browser’s last snapshot (no browser close record)',
};

function verdict(detail: ConnectionDetail, filters: URLSearchParams): HTMLElement {
  const outcome = detail.outcome;
  if (outcome === null) {
    return infoMessage('Still joining', 'This connection is waiting for its other side; the cause is decided when it arrives or the join window passes.');
  }
  const cause = detail.cause;
  return h(
    'section',
    { class: 'verdict', 'aria-label': 'Why it closed' },
    h('p', { class: 'eyebrow' }, 'Cause'),
    h('h2', { 'data-field': 'cause-title' }, cause?.title ?? humanizeId(outcome.cause)),
    h(
      'p',
      { class: 'verdict-meta' },
      h('code', null, outcome.cause),
      ` · phase ${outcome.phase} · observed by `,
      h('span', { 'data-field': 'observed-by', 'data-observed-by': outcome.observedBy }, OBSERVED_BY_WORDS[outcome.observedBy] ?? outcome.observedBy),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Close code'),
      h('dd', { 'data-field': 'close-code' }, closeCodeText(detail, outcome.code)),
      h('dt', null, 'Close reason'),
      h('dd', { 'data-field': 'close-reason' }, outcome.reason === '' ? '(none)' : outcome.reason),
      ...(outcome.appProtocol === null ? [] : [h('dt', null, 'Framework'), h('dd', { 'data-field': 'app' }, appLabel(outcome, filters))]),
      h('dt', null, 'Service and route'),
      h('dd', null, `${outcome.service} ${outcome.route}`),
      h('dt', null, 'When'),
      h('dd', null, `${formatTime(outcome.startTimeMs)} → ${formatTime(outcome.endTimeMs)}`),
      h('dt', null, 'Handshake / open'),
      h('dd', null, `${formatMs(outcome.handshakeMs)} / ${formatMs(outcome.openMs)}`),
    ),
    h('h3', null, 'Evidence'),
    outcome.evidence.length > 0
      ? h('ul', { class: 'evidence', 'data-field': 'evidence' }, ...outcome.evidence.map((line) => h('li', null, line)))
      : h('p', { class: 'muted' }, 'No evidence sentences were recorded.'),
    cause ? h('h3', null, 'What it means') : null,
    cause ? h('p', { 'data-field': 'explanation' }, cause.explanation) : null,
    cause ? h('div', { class: 'remediation', 'data-field': 'remediation' }, h('h3', null, 'What to do'), h('p', null, cause.remediation)) : null,
  );
}

/** Window around a close searched for the mass drop it belongs to. */
const DROP_SEARCH_MS = 60_000;

/** The mass drops around a connection's end that its cause belongs to (none for other causes, or on failure). */
async function massDropsAround(detail: ConnectionDetail, signal: AbortSignal): Promise<MassDrop[]> {
  const outcome = detail.outcome;
  if (!outcome || (outcome.cause !== 'server_gone' && outcome.cause !== 'intermediary_dropped')) return [];
  const params = new URLSearchParams({
    from: String(outcome.endTimeMs - DROP_SEARCH_MS),
    to: String(outcome.endTimeMs + DROP_SEARCH_MS),
    cause: outcome.cause,
    route: outcome.route,
  });
  const list = await apiGet<MassDropList>('/mass-drops', params, signal).catch(() => null);
  return (list?.massDrops ?? []).filter(
    (drop) => drop.firstEndMs - DROP_SEARCH_MS <= outcome.endTimeMs && outcome.endTimeMs <= drop.lastEndMs + DROP_SEARCH_MS,
  );
}

async function renderConnection(ctx: PageContext): Promise<void> {
  const id = ctx.route.id;
  const back = h('p', null, h('a', { href: routeHref('explorer', pickFilters(ctx.route.params)) }, '← Back to connections'));
  if (id === null) {
    replaceChildren(ctx.root, back, infoMessage('No connection selected', 'Pick a connection in the Explorer.'));
    return;
  }
  let detail: ConnectionDetail;
  try {
    detail = await apiGet<ConnectionDetail>(`/closes/${encodeURIComponent(id)}`, undefined, ctx.signal);
  } catch (error) {
    if (!ctx.signal.aborted) replaceChildren(ctx.root, back, errorMessage(error, 'this connection'));
    return;
  }
  if (ctx.signal.aborted) return;
  const drops = await massDropsAround(detail, ctx.signal);
  if (ctx.signal.aborted) return;
  const snapshot = detail.client === null ? detail.snapshot : null;
  const frame = withSnapshot(timelineFrame([detail.client, detail.server]), snapshot);
  replaceChildren(
    ctx.root,
    back,
    h('h1', { class: 'page-title' }, 'Connection ', h('code', null, detail.id)),
    verdict(detail, pickFilters(ctx.route.params)),
    drops.length > 0 ? massDropList(drops, 'Mass drop around this close') : null,
    detail.probeCommand
      ? h(
          'section',
          { class: 'probe', 'aria-label': 'Probe' },
          h('p', null, 'Reproduce the handshake from a terminal: the probe prints what a browser hides (status line, headers, negotiation).'),
          copyableCode('Probe command', detail.probeCommand, 'probe-command'),
        )
      : null,
    h(
      'div',
      { class: 'sides' },
      snapshot ? snapshotPanel(snapshot, frame) : sidePanel('client', detail.client, frame),
      sidePanel('server', detail.server, frame),
    ),
  );
}

export const connectionPage: Page = { title: 'Connection', refreshable: false, filtered: false, render: renderConnection };
