import { apiGet, apiSend } from './client.js';
import type { AlertRule, AlertStateView } from './types.js';

function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const value = (body as Record<string, unknown> | null)?.[key] ?? (body as Record<string, unknown> | null)?.items;
  return Array.isArray(value) ? (value as T[]) : [];
}

/** A stored rule may come wrapped as `{ id, rule, createdAtMs }`; the page works with the rule itself. */
function unwrapRule(entry: unknown): AlertRule {
  const record = entry as { id?: string; rule?: AlertRule };
  return record.rule && typeof record.rule === 'object' ? { ...record.rule, id: record.rule.id ?? record.id ?? '' } : (entry as AlertRule);
}

export async function listAlertRules(signal?: AbortSignal): Promise<AlertRule[]> {
  return listOf<unknown>(await apiGet<unknown>('/alerts', undefined, signal), 'rules').map(unwrapRule);
}

export async function listAlertStates(signal?: AbortSignal): Promise<AlertStateView[]> {
  return listOf<AlertStateView>(await apiGet<unknown>('/alerts/states', undefined, signal), 'states');
}

export type AlertRuleInput = Omit<AlertRule, 'id' | 'description'>;

export async function saveAlertRule(rule: AlertRuleInput, id: string | null): Promise<AlertRule> {
  const body = await (id === null ? apiSend<unknown>('POST', '/alerts', rule) : apiSend<unknown>('PUT', `/alerts/${encodeURIComponent(id)}`, rule));
  return unwrapRule(body);
}

export function deleteAlertRule(id: string): Promise<unknown> {
  return apiSend('DELETE', `/alerts/${encodeURIComponent(id)}`);
}
