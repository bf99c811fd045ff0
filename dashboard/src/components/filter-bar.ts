import { h } from '../dom.js';
import { humanizeId } from '../format.js';
import { CAUSE_IDS, DEFAULT_FROM, PHASES, RANGE_PRESETS, SIDE_OPTIONS, withParam } from '../state/filters.js';
import { navigate, type Route } from '../state/route.js';

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function selectControl(id: string, options: Array<{ value: string; label: string }>, selected: string): HTMLSelectElement {
  const select = h('select', { id, name: id }, ...options.map((o) => h('option', { value: o.value }, o.label)));
  select.value = selected;
  return select;
}

/**
 * The filters every data page shares. They live in the URL: changing one navigates to the same page
 * with the new parameters (the cursor is dropped), so a view can be shared by copying the address.
 */
export function filterBar(route: Route, causeTitles: Record<string, string>): HTMLElement {
  const params = route.params;
  const apply = (key: string, value: string): void => {
    const next = withParam(withParam(params, key, value), 'cursor', null);
    navigate(route.page, next, route.id ?? undefined);
  };
  const from = params.get('from') ?? DEFAULT_FROM;
  const isPreset = !params.get('to') && RANGE_PRESETS.some((p) => p.from === from);
  const range = selectControl(
    'filter-range',
    [...RANGE_PRESETS.map((p) => ({ value: p.from, label: p.label })), ...(isPreset ? [] : [{ value: 'custom', label: 'Custom range' }])],
    isPreset ? from : 'custom',
  );
  range.addEventListener('change', function rangeOnChange() {
    if (range.value === 'custom') return;
    navigate(route.page, withParam(withParam(withParam(params, 'from', range.value), 'to', null), 'cursor', null));
  });

  const text = (key: string, label: string, placeholder: string): HTMLElement => {
    const input = h('input', { id: `filter-${key}`, name: key, type: 'text', value: params.get(key) ?? '', placeholder, autocomplete: 'off', spellcheck: 'false' });
    input.addEventListener('change', () => apply(key, input.value.trim()));
    return field(`filter-${key}`, label, input);
  };
  const choice = (key: string, label: string, values: readonly string[], labelOf: (v: string) => string): HTMLElement => {
    const select = selectControl(`filter-${key}`, [{ value: '', label: 'Any' }, ...values.map((v) => ({ value: v, label: labelOf(v) }))], params.get(key) ?? '');
    select.addEventListener('change', () => apply(key, select.value));
    return field(`filter-${key}`, label, select);
  };

  const active = [...params.keys()].filter((key) => key !== 'cursor' && key !== 'page' && (params.get(key) ?? '') !== '').length;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filters', on: { submit: (event: Event) => event.preventDefault() } },
    field('filter-range', 'Time range', range),
    text('from', 'From', DEFAULT_FROM),
    text('to', 'To', 'now'),
    text('service', 'Service', 'any'),
    text('route', 'Route', 'any, e.g. /rooms/:id'),
    text('code', 'Close code', 'any, e.g. 1006'),
    choice('phase', 'Phase', PHASES, (v) => v),
    choice('cause', 'Cause', CAUSE_IDS, (v) => causeTitles[v] ?? humanizeId(v)),
    choice('side', 'Observed by', SIDE_OPTIONS, (v) => (v === 'both' ? 'both sides' : `${v} side`)),
  );
  // Phones start with the filters folded so the data is visible without scrolling past them.
  const panel = h('details', { class: 'filter-panel', open: matchMedia('(min-width: 761px)').matches },
    h('summary', null, active === 0 ? 'Filters' : `Filters (${active} set)`), form);
  return panel;
}
