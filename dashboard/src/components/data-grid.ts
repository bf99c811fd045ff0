import { h, type Child } from '../dom.js';

export interface Column<T> {
  header: string;
  cell(row: T): Child;
  numeric?: boolean;
}

/** A plain table from column declarations; cells are text or nodes built with `h()`. */
export function dataGrid<T>(caption: string, columns: Array<Column<T>>, rows: T[], attrs: Record<string, string> = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h(
      'table',
      { class: 'data-table stacked-on-phone', ...attrs },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.header)))),
      h(
        'tbody',
        null,
        ...rows.map((row) => h('tr', null, ...columns.map((c) => h('td', { class: c.numeric ? 'num' : null, 'data-label': c.header }, c.cell(row))))),
      ),
    ),
  );
}
