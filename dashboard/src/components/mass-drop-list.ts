import type { MassDrop } from '../api/types.js';
import { h } from '../dom.js';
import { formatMs, formatTime } from '../format.js';
import { routeHref } from '../state/route.js';

/** `instance 7f3a… of chat` or `chat` when the agent sent no instance id. */
function instanceText(drop: MassDrop): string {
  if (drop.service === '') return 'an unknown server';
  return drop.instance === '' ? `service ${drop.service}` : `instance ${drop.instance} of ${drop.service}`;
}

/** One sentence per drop, in the words of the evidence. */
export function massDropSentence(drop: MassDrop): string {
  const within = formatMs(drop.lastEndMs - drop.firstEndMs);
  if (drop.cause === 'server_gone') {
    const last = drop.lastSeenMs === null ? '' : `; its last span arrived ${formatTime(drop.lastSeenMs)}`;
    return `${drop.connections} connections to ${drop.target || drop.route} dropped within ${within}: ${instanceText(drop)} went away${last}.`;
  }
  return `${drop.connections} connections of ${instanceText(drop)} on ${drop.route} dropped within ${within} while the server kept running: something in between dropped them.`;
}

/** The closes of a drop in the Explorer: its cause, route and a range around it. */
function explorerLink(drop: MassDrop): string {
  const params = new URLSearchParams({ cause: drop.cause, route: drop.route, from: String(drop.firstEndMs - 60_000), to: String(drop.lastEndMs + 120_000) });
  return routeHref('explorer', params);
}

/** Mass drops as a list of events (newest last), each linking to its connections. */
export function massDropList(drops: readonly MassDrop[], title = 'Mass drops'): HTMLElement {
  return h(
    'section',
    { class: 'mass-drops', 'aria-label': title, 'data-field': 'mass-drops' },
    h('h2', null, title),
    h(
      'ol',
      { class: 'events' },
      ...drops.map((drop) =>
        h(
          'li',
          { 'data-cause': drop.cause },
          h('time', { datetime: new Date(drop.firstEndMs).toISOString() }, formatTime(drop.firstEndMs)),
          ' ',
          h('strong', null, drop.cause === 'server_gone' ? 'Server gone' : 'Dropped in between'),
          ' — ',
          massDropSentence(drop),
          ' ',
          h('a', { href: explorerLink(drop) }, 'Show connections'),
        ),
      ),
    ),
  );
}
