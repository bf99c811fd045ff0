import { h } from '../dom.js';

/** A headline number with its label; `id` lets tests and links find it. */
export function statTile(id: string, label: string, value: string, note?: string): HTMLElement {
  return h(
    'div',
    { class: 'stat', 'data-stat': id },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    note ? h('div', { class: 'stat-note' }, note) : null,
  );
}
