import { randomBytes } from 'node:crypto';
import express, { Router, type Request } from 'express';
import type { WiredDeps } from '../deps.js';
import { CollectorError } from '../errors.js';
import { requireAdmin } from '../api/require-admin.js';
import type { AlertRuleRecord, AlertStateRecord } from '../store/store.js';
import { describeRuleCondition } from './describe-rule.js';
import { checkRuleTargets } from './targets/check-rule-targets.js';
import type { AlertRule } from './rule.js';
import { validateRule } from './validate-rule.js';

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const HISTORY_LIMIT = 50;

function newRuleId(name: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'rule';
  return `${slug}-${randomBytes(3).toString('hex')}`;
}

function ruleIdParam(req: Request): string {
  const id = String(req.params.id);
  if (!RULE_ID.test(id)) throw new CollectorError('not_found', `No alert rule "${id}".`);
  return id;
}

/** An alert rule as `/api/v1/alerts` answers it. */
export interface AlertRuleView extends AlertRule {
  description: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  state: AlertStateRecord | null;
}

/** `GET /api/v1/alerts`. */
export interface AlertRuleList {
  items: AlertRuleView[];
}

/** `GET /api/v1/alerts/states`. */
export interface AlertStateList {
  items: AlertStateRecord[];
}

function present(record: AlertRuleRecord, state: AlertStateRecord | undefined): AlertRuleView {
  const rule = record.rule as unknown as AlertRule;
  return {
    ...rule,
    description: describeRuleCondition(rule),
    createdAt: new Date(record.createdAtMs).toISOString(),
    updatedAt: new Date(record.updatedAtMs).toISOString(),
    state: state ?? null,
  };
}

/**
 * `/api/v1/alerts`: alert rule CRUD (writes need the admin token and pass the CSRF check; targets are
 * checked against the alert target policy) and states.
 */
export function createAlertsRouter(deps: WiredDeps): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const admin = requireAdmin(deps);
  const { store, clock } = deps;

  async function statesByRule(): Promise<Map<string, AlertStateRecord>> {
    return new Map((await store.listAlertStates()).map((state) => [state.ruleId, state]));
  }

  async function existingRule(id: string): Promise<AlertRuleRecord> {
    const record = await store.getAlertRule(id);
    if (!record) throw new CollectorError('not_found', `No alert rule "${id}".`);
    return record;
  }

  router.get('/alerts', async function listRules(_req, res) {
    const [rules, states] = await Promise.all([store.listAlertRules(), statesByRule()]);
    res.json({ items: rules.map((record) => present(record, states.get(record.id))) } satisfies AlertRuleList);
  });

  router.get('/alerts/states', async function listStates(_req, res) {
    res.json({ items: await store.listAlertStates() } satisfies AlertStateList);
  });

  router.get('/alerts/:id', async function getRule(req, res) {
    const id = ruleIdParam(req);
    const [record, states, history] = await Promise.all([existingRule(id), statesByRule(), store.listAlertHistory(id, HISTORY_LIMIT)]);
    res.json({ ...present(record, states.get(id)), history });
  });

  router.post('/alerts', admin, json, async function createRule(req, res) {
    const body: unknown = req.body;
    const named = typeof body === 'object' && body !== null && 'name' in body ? body.name : undefined;
    const name = typeof named === 'string' ? named : 'rule';
    const rule = validateRule(body, newRuleId(name));
    await checkRuleTargets(rule, deps.alertTargets);
    const now = clock.now();
    const record: AlertRuleRecord = { id: rule.id, rule: { ...rule }, createdAtMs: now, updatedAtMs: now };
    await store.putAlertRule(record);
    res.status(201).location(`${req.baseUrl}/alerts/${rule.id}`).json(present(record, undefined));
  });

  router.put('/alerts/:id', admin, json, async function replaceRule(req, res) {
    const id = ruleIdParam(req);
    const existing = await existingRule(id);
    const rule = validateRule(req.body, id);
    await checkRuleTargets(rule, deps.alertTargets);
    const record: AlertRuleRecord = { id, rule: { ...rule }, createdAtMs: existing.createdAtMs, updatedAtMs: clock.now() };
    await store.putAlertRule(record);
    res.json(present(record, (await statesByRule()).get(id)));
  });

  router.delete('/alerts/:id', admin, async function deleteRule(req, res) {
    const id = ruleIdParam(req);
    if (!(await store.deleteAlertRule(id))) throw new CollectorError('not_found', `No alert rule "${id}".`);
    res.status(204).end();
  });

  return router;
}
