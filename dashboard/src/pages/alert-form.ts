import type { AlertRuleInput } from '../api/alerts.js';
import type { AlertRule } from '../api/types.js';
import { h } from '../dom.js';
import { humanizeId } from '../format.js';
import { CAUSE_IDS, PHASES } from '../state/filters.js';

const CONDITION_KINDS = [
  { value: 'rate_1006_above', label: '1006 rate above (percent)' },
  { value: 'cause_count_above', label: 'Closes of a cause above (count)' },
  { value: 'rate_increase', label: '1006 rate increased by a factor' },
] as const;
const SEVERITIES = ['critical', 'warning', 'info'] as const;
const TARGET_KINDS = ['webhook', 'slack', 'alertmanager'] as const;

const DEFAULT_RULE: AlertRuleInput = {
  name: '',
  enabled: true,
  filter: {},
  condition: { kind: 'rate_1006_above', threshold: 5 },
  window: '5m',
  for: '2m',
  minConnections: 20,
  severity: 'warning',
  labels: {},
  targets: [],
};

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null);
}

function input(id: string, value: string | number | undefined, type = 'text', extra: Record<string, string> = {}): HTMLInputElement {
  return h('input', { id, name: id, type, value: value === undefined ? '' : String(value), ...extra });
}

function select(id: string, options: Array<{ value: string; label: string }>, selected: string): HTMLSelectElement {
  const element = h('select', { id, name: id }, ...options.map((o) => h('option', { value: o.value }, o.label)));
  element.value = selected;
  return element;
}

/** `key=value` lines ↔ labels. */
function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** `<kind> <url>` lines ↔ targets. */
function targetsText(targets: AlertRule['targets']): string {
  return targets.map((t) => `${t.kind} ${t.url}`).join('\n');
}

export class AlertFormError extends Error {}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new AlertFormError(`Label line "${line}" must look like key=value.`);
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return labels;
}

function parseTargets(text: string): AlertRule['targets'] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [kind = '', url = '', ...rest] = line.split(/\s+/);
      if (!(TARGET_KINDS as readonly string[]).includes(kind) || url === '' || rest.length > 0) {
        throw new AlertFormError(`Target line "${line}" must look like "webhook https://…" (kinds: ${TARGET_KINDS.join(', ')}).`);
      }
      return { kind: kind as AlertRule['targets'][number]['kind'], url };
    });
}

function optionalNumber(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/** Create/edit form for one rule; `onSubmit` gets the rule as the API expects it. */
export function alertForm(rule: AlertRule | null, onSubmit: (input: AlertRuleInput) => Promise<void>, onCancel: () => void): HTMLFormElement {
  const base: AlertRuleInput = rule ?? DEFAULT_RULE;
  const name = input('rule-name', base.name, 'text', { required: 'true', maxlength: '200' });
  const enabled = h('input', { id: 'rule-enabled', type: 'checkbox', checked: base.enabled !== false });
  const service = input('rule-service', base.filter.service);
  const route = input('rule-route', base.filter.route);
  const code = input('rule-code', base.filter.code, 'number', { min: '1000', max: '4999' });
  const phase = select('rule-phase', [{ value: '', label: 'Any' }, ...PHASES.map((p) => ({ value: p, label: p }))], base.filter.phase ?? '');
  const cause = select('rule-cause', [{ value: '', label: 'Any' }, ...CAUSE_IDS.map((c) => ({ value: c, label: humanizeId(c) }))], base.filter.cause ?? '');
  const kind = select(
    'rule-kind',
    CONDITION_KINDS.map((k) => ({ value: k.value, label: k.label })),
    base.condition.kind,
  );
  const threshold = input('rule-threshold', base.condition.threshold, 'number', { step: 'any', min: '0' });
  const factor = input('rule-factor', base.condition.factor, 'number', { step: 'any', min: '1' });
  const windowInput = input('rule-window', base.window, 'text', { pattern: '\\d+[smhd]' });
  const forInput = input('rule-for', base.for, 'text', { pattern: '\\d+[smhd]' });
  const minConnections = input('rule-min', base.minConnections, 'number', { min: '0', step: '1' });
  const severity = select(
    'rule-severity',
    SEVERITIES.map((s) => ({ value: s, label: s })),
    base.severity,
  );
  const labels = h('textarea', { id: 'rule-labels', rows: '2', 'aria-describedby': 'rule-labels-hint' });
  labels.value = labelsText(base.labels);
  const targets = h('textarea', { id: 'rule-targets', rows: '2', 'aria-describedby': 'rule-targets-hint' });
  targets.value = targetsText(base.targets);
  const status = h('p', { class: 'form-status', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, rule ? 'Save rule' : 'Create rule');

  const form = h(
    'form',
    { class: 'alert-form', 'aria-label': rule ? `Edit rule ${rule.name}` : 'New alert rule' },
    h('h2', null, rule ? `Edit “${rule.name}”` : 'New alert rule'),
    field('rule-name', 'Name', name),
    h('div', { class: 'field inline' }, enabled, h('label', { for: 'rule-enabled' }, 'Enabled')),
    h(
      'fieldset',
      null,
      h('legend', null, 'Which connections'),
      field('rule-service', 'Service', service),
      field('rule-route', 'Route', route),
      field('rule-code', 'Close code', code),
      field('rule-phase', 'Phase', phase),
      field('rule-cause', 'Cause', cause),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Condition'),
      field('rule-kind', 'Kind', kind),
      field('rule-threshold', 'Threshold', threshold, 'Percent for the 1006 rate, a count for closes of a cause.'),
      field('rule-factor', 'Factor', factor, 'For “increased by a factor”: e.g. 2 = doubled against the previous window.'),
      field('rule-window', 'Window', windowInput),
      field('rule-for', 'For', forInput),
      field('rule-min', 'Minimum connections', minConnections),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Notification'),
      field('rule-severity', 'Severity', severity),
      field('rule-labels', 'Labels', labels, 'One key=value per line.'),
      field('rule-targets', 'Targets', targets, 'One per line: webhook|slack|alertmanager, a space, then the URL.'),
    ),
    status,
    h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', on: { click: onCancel } }, 'Cancel')),
  );
  form.addEventListener('submit', function alertFormOnSubmit(event) {
    // The listener's promise has no taker; the body handles its own failures.
    void (async () => {
      event.preventDefault();
      status.textContent = '';
      try {
        const filter: AlertRule['filter'] = {};
        if (service.value.trim()) filter.service = service.value.trim();
        if (route.value.trim()) filter.route = route.value.trim();
        if (code.value.trim()) filter.code = Number(code.value);
        if (phase.value) filter.phase = phase.value as NonNullable<AlertRule['filter']['phase']>;
        if (cause.value) filter.cause = cause.value as NonNullable<AlertRule['filter']['cause']>;
        const conditionKind = kind.value as AlertRule['condition']['kind'];
        const condition: AlertRule['condition'] =
          conditionKind === 'rate_increase'
            ? { kind: conditionKind, factor: optionalNumber(factor.value) ?? 2 }
            : { kind: conditionKind, threshold: optionalNumber(threshold.value) ?? 0 };
        const payload: AlertRuleInput = {
          name: name.value.trim(),
          enabled: enabled.checked,
          filter,
          condition,
          window: windowInput.value.trim(),
          for: forInput.value.trim(),
          minConnections: Number(minConnections.value || '0'),
          severity: severity.value as AlertRule['severity'],
          labels: parseLabels(labels.value),
          targets: parseTargets(targets.value),
        };
        submit.disabled = true;
        await onSubmit(payload);
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return form;
}
