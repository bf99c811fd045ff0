import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { CollectorError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { AlertRule } from './rule.js';
import { checkRuleTargets } from './targets/check-rule-targets.js';
import type { AlertTargetPolicy } from './targets/target-policy.js';
import { validateRule } from './validate-rule.js';

/**
 * Reads `--alerts-file`: YAML (or JSON) `{ rules: [ { id, name, condition, ... } ] }`.
 * Throws `invalid_rule` naming the file, the rule and the field.
 */
export async function readRulesFile(path: string): Promise<AlertRule[]> {
  let document: unknown;
  try {
    document = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CollectorError('invalid_rule', `${path}: ${(error as Error).message}`);
  }
  const list = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) throw new CollectorError('invalid_rule', `${path}: expected a top-level "rules:" list`);
  const seen = new Set<string>();
  return list.map((entry: unknown, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) {
      throw new CollectorError('invalid_rule', `${path}: rules[${index}].id must be lowercase letters, digits and dashes`);
    }
    if (seen.has(id)) throw new CollectorError('invalid_rule', `${path}: rule id "${id}" appears twice`);
    seen.add(id);
    try {
      return validateRule(entry, id);
    } catch (error) {
      throw new CollectorError('invalid_rule', `${path}: rule "${id}": ${(error as Error).message}`);
    }
  });
}

/** Upserts the file's rules into the store (the file wins over API edits of the same id); targets are checked like the API's. */
export async function loadRulesFile(store: Store, path: string, nowMs: number, policy: AlertTargetPolicy): Promise<number> {
  const rules = await readRulesFile(path);
  for (const rule of rules) {
    try {
      await checkRuleTargets(rule, policy);
    } catch (error) {
      throw new CollectorError('invalid_rule', `${path}: rule "${rule.id}": ${(error as Error).message}`);
    }
  }
  for (const rule of rules) {
    const existing = await store.getAlertRule(rule.id);
    await store.putAlertRule({ id: rule.id, rule: { ...rule }, createdAtMs: existing?.createdAtMs ?? nowMs, updatedAtMs: nowMs });
  }
  return rules.length;
}
