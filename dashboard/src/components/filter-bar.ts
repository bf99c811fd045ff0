import { h } from '../dom.js';
import { humanizeId } from '../format.js';
import { APP_PROTOCOLS, CAUSE_IDS, DEFAULT_FROM, PHASES, RANGE_PRESETS, SIDE_OPTIONS, withParam } from '../state/filters.js';
import { currentRoute, navigate } from '../state/route.js';

const TEXT_FILTERS = [
  { key: 'from', label: 'From', placeholder: DEFAULT_FROM },
  { key: 'to', label: 'To', placeholder: 'now' },
  { key: 'service', label: 'Service', placeholder: 'any' },
  { key: 'route', label: 'Route', placeholder: 'any, e.g. /rooms/:id' },
  { key: 'code', label: 'Close code', placeholder: 'any, e.g. 1006' },
] as const;
/** Shown after the Framework select, so the two framework filters sit together. */
const APP_REASON_FILTER = { key: 'app_reason', label: 'Framework reason', placeholder: 'any, e.g. ping timeout' } as const;
const CUSTOM_RANGE = 'custom';

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function selectControl(id: string, options: Array<{ value: string; label: string }>, name = id): HTMLSelectElement {
  return h('select', { id, name }, ...options.map((o) => h('option', { value: o.value }, o.label)));
}

/** Navigates to the current page with one filter changed (and paging reset). */
function applyFilter(key: string, value: string): void {
  const route = currentRoute();
  const next = withParam(withParam(withParam(route.params, key, value), 'cursor', null), 'page', null);
  navigate(route.page, next, route.id ?? undefined);
}

function applyRange(from: string): void {
  const route = currentRoute();
  navigate(route.page, withParam(withParam(withParam(withParam(route.params, 'from', from), 'to', null), 'cursor', null), 'page', null));
}

/**
 * The filters every data page shares. They live in the URL: changing one navigates to the same page
 * with the new parameters, so a view can be shared by copying the address. The bar is built once
 * per page and kept across filter changes (focus stays where the user is); `syncFilterBar` updates it.
 */
export function filterBar(causeTitles: Record<string, string>): HTMLElement {
  const range = selectControl(
    'filter-range',
    RANGE_PRESETS.map((p) => ({ value: p.from, label: p.label })),
  );
  range.addEventListener('change', function rangeOnChange() {
    if (range.value !== CUSTOM_RANGE) applyRange(range.value);
  });
  const text = ({ key, label, placeholder }: { key: string; label: string; placeholder: string }): HTMLElement => {
    const input = h('input', { id: `filter-${key}`, name: key, type: 'text', placeholder, autocomplete: 'off', spellcheck: 'false' });
    input.addEventListener('change', () => applyFilter(key, input.value.trim()));
    return field(`filter-${key}`, label, input);
  };
  const choice = (key: string, label: string, values: readonly string[], labelOf: (v: string) => string): HTMLElement => {
    // Named by the filter key, so syncFilterBar shows the URL's value in it after each navigation.
    const select = selectControl(`filter-${key}`, [{ value: '', label: 'Any' }, ...values.map((v) => ({ value: v, label: labelOf(v) }))], key);
    select.addEventListener('change', () => applyFilter(key, select.value));
    return field(`filter-${key}`, label, select);
  };
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filters', on: { submit: (event: Event) => event.preventDefault() } },
    field('filter-range', 'Time range', range),
    ...TEXT_FILTERS.map(text),
    choice('phase', 'Phase', PHASES, (v) => v),
    choice('cause', 'Cause', CAUSE_IDS, (v) => causeTitles[v] ?? humanizeId(v)),
    choice('side', 'Observed by', SIDE_OPTIONS, (v) => (v === 'both' ? 'both sides' : `${v} side`)),
    choice('app', 'Framework', APP_PROTOCOLS, (v) => v),
    text(APP_REASON_FILTER),
  );
  // Phones start with the filters folded so the data is visible without scrolling past them.
  const panel = h('details', { class: 'filter-panel', open: matchMedia('(min-width: 761px)').matches }, h('summary', null, 'Filters'), form);
  syncFilterBar(panel, currentRoute().params);
  return panel;
}

/** Shows `params` in the bar's controls. */
export function syncFilterBar(panel: HTMLElement, params: URLSearchParams): void {
  const from = params.get('from') ?? DEFAULT_FROM;
  const isPreset = !params.get('to') && RANGE_PRESETS.some((p) => p.from === from);
  const range = panel.querySelector<HTMLSelectElement>('#filter-range');
  if (range) {
    range.querySelector(`option[value="${CUSTOM_RANGE}"]`)?.remove();
    if (!isPreset) range.appendChild(h('option', { value: CUSTOM_RANGE }, 'Custom range'));
    range.value = isPreset ? from : CUSTOM_RANGE;
  }
  for (const control of panel.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]')) {
    if (control.id !== 'filter-range') control.value = params.get(control.name) ?? '';
  }
  const active = [...params.keys()].filter((key) => key !== 'cursor' && key !== 'page' && (params.get(key) ?? '') !== '').length;
  const summary = panel.querySelector('summary');
  if (summary) summary.textContent = active === 0 ? 'Filters' : `Filters (${active} set)`;
}
