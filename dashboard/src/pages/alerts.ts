import { deleteAlertRule, listAlertRules, listAlertStates, saveAlertRule } from '../api/alerts.js';
import { adminToken, ApiError, apiGet, setAdminToken } from '../api/client.js';
import type { AlertRule, AlertStateView, PublicConfig } from '../api/types.js';
import { dataGrid } from '../components/data-grid.js';
import { errorMessage, infoMessage } from '../components/message.js';
import { h, replaceChildren } from '../dom.js';
import { formatTime, humanizeId } from '../format.js';
import { alertForm } from './alert-form.js';
import type { Page, PageContext } from './page.js';

function conditionText(rule: AlertRule): string {
  const c = rule.condition;
  if (c.kind === 'rate_1006_above') return `1006 rate > ${c.threshold ?? '?'} % over ${rule.window} for ${rule.for}`;
  if (c.kind === 'cause_count_above')
    return `${rule.filter.cause ? humanizeId(rule.filter.cause) : 'closes'} > ${c.threshold ?? '?'} over ${rule.window} for ${rule.for}`;
  return `1006 rate × ${c.factor ?? '?'} vs previous ${rule.window} for ${rule.for}`;
}

function filterText(rule: AlertRule): string {
  const parts = Object.entries(rule.filter)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? 'all connections' : parts.join(', ');
}

function tokenPanel(config: PublicConfig | null): HTMLElement | null {
  if (config?.writesRefused) {
    return infoMessage(
      'Alert rules cannot be changed on this collector',
      'It listens beyond loopback and has no admin token, so it refuses every write. Set CLOSEWATCH_ADMIN_TOKEN (from a secret) and restart it; then enter the token here.',
    );
  }
  if (config !== null && !config.adminTokenRequired) return null;
  const token = h('input', { id: 'admin-token', type: 'password', autocomplete: 'off', value: adminToken() });
  const status = h('span', { role: 'status', class: 'muted' }, adminToken() ? 'Token entered for this tab.' : '');
  return h(
    'form',
    {
      class: 'token-panel',
      'aria-label': 'Admin token',
      on: {
        submit: (event: Event) => {
          event.preventDefault();
          setAdminToken(token.value.trim());
          status.textContent = token.value.trim() ? 'Token saved for this tab.' : 'Token cleared.';
        },
      },
    },
    h('p', null, 'Changing alert rules needs the collector’s admin token (CLOSEWATCH_ADMIN_TOKEN). It is kept in this tab only.'),
    h('div', { class: 'field inline' }, h('label', { for: 'admin-token' }, 'Admin token'), token, h('button', { type: 'submit' }, 'Use token'), status),
  );
}

async function renderAlerts(ctx: PageContext): Promise<void> {
  let rules: AlertRule[];
  let states: AlertStateView[];
  let config: PublicConfig | null;
  try {
    [rules, states, config] = await Promise.all([
      listAlertRules(ctx.signal),
      listAlertStates(ctx.signal).catch(() => []),
      apiGet<PublicConfig>('/config/public', undefined, ctx.signal).catch(() => null),
    ]);
  } catch (error) {
    if (ctx.signal.aborted) return;
    if (error instanceof ApiError && error.status === 404) {
      replaceChildren(
        ctx.root,
        infoMessage(
          'The alerts backend is not available',
          'This collector does not serve /api/v1/alerts yet, so alert rules cannot be listed or changed here. Prometheus rules from `closewatch alerts export` still work.',
        ),
      );
    } else {
      replaceChildren(ctx.root, errorMessage(error, 'alert rules'));
    }
    return;
  }
  if (ctx.signal.aborted) return;
  const stateOf = new Map(states.map((s) => [s.ruleId, s]));
  const editor = h('div', { class: 'editor' });
  const feedback = h('div', { role: 'status' });
  const rerender = (): void => void renderAlerts(ctx);

  const openForm = (rule: AlertRule | null): void => {
    replaceChildren(
      editor,
      alertForm(
        rule,
        async (input) => {
          await saveAlertRule(input, rule?.id ?? null);
          rerender();
        },
        () => replaceChildren(editor),
      ),
    );
    editor.querySelector<HTMLInputElement>('#rule-name')?.focus();
  };
  const remove = async (rule: AlertRule): Promise<void> => {
    if (!confirm(`Delete the alert rule “${rule.name}”?`)) return;
    try {
      await deleteAlertRule(rule.id);
      rerender();
    } catch (error) {
      replaceChildren(feedback, errorMessage(error, 'the deletion'));
    }
  };

  const table =
    rules.length === 0
      ? infoMessage(
          'No alert rules yet',
          config?.writesRefused
            ? 'Rules can also come from a file the collector loads at start: closewatch start --alerts-file rules.yml.'
            : 'Create one to be told when the 1006 rate or a cause rises.',
        )
      : dataGrid<AlertRule>(
          'Alert rules',
          [
            { header: 'Name', cell: (r) => r.name },
            {
              header: 'State',
              cell: (r) =>
                h(
                  'span',
                  { class: `state state-${stateOf.get(r.id)?.state ?? 'inactive'}` },
                  r.enabled === false ? 'disabled' : (stateOf.get(r.id)?.state ?? 'inactive'),
                ),
            },
            { header: 'Since', cell: (r) => (stateOf.get(r.id) ? formatTime(stateOf.get(r.id)!.sinceMs) : '—') },
            { header: 'Condition', cell: (r) => r.description ?? conditionText(r) },
            { header: 'Filter', cell: filterText },
            { header: 'Severity', cell: (r) => r.severity },
            { header: 'Last notification error', cell: (r) => stateOf.get(r.id)?.lastNotificationError ?? '—' },
            {
              header: 'Actions',
              cell: (r) =>
                h(
                  'span',
                  { class: 'actions' },
                  h('button', { type: 'button', 'aria-label': `Edit ${r.name}`, on: { click: () => openForm(r) } }, 'Edit'),
                  h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${r.name}`, on: { click: () => void remove(r) } }, 'Delete'),
                ),
            },
          ],
          rules,
          { 'data-table': 'alert-rules' },
        );

  replaceChildren(
    ctx.root,
    tokenPanel(config),
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', disabled: config?.writesRefused === true, on: { click: () => openForm(null) } }, 'New rule'),
    ),
    feedback,
    table,
    editor,
  );
}

export const alertsPage: Page = { title: 'Alerts', refreshable: false, filtered: false, render: renderAlerts };
