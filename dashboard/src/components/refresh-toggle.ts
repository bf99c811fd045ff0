import { h } from '../dom.js';
import { AUTO_REFRESH_MS, autoRefreshEnabled, setAutoRefresh } from '../state/auto-refresh.js';

/** The visible auto-refresh switch; `onChange` restarts or stops the timer. */
export function refreshToggle(onChange: (enabled: boolean) => void): HTMLElement {
  const input = h('input', { type: 'checkbox', id: 'auto-refresh', checked: autoRefreshEnabled() });
  input.addEventListener('change', function refreshOnToggle() {
    setAutoRefresh(input.checked);
    onChange(input.checked);
  });
  return h('div', { class: 'refresh-toggle' }, input, h('label', { for: 'auto-refresh' }, `Auto-refresh every ${AUTO_REFRESH_MS / 1000} s`));
}
