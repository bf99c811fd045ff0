import { CollectorError } from '../../errors.js';
import type { AlertRule } from '../rule.js';
import { targetUrlRefusal, type AlertTargetPolicy } from './target-policy.js';

/** Refuses a rule (400 `invalid_rule`, naming the target) whose target reaches a refused address. */
export async function checkRuleTargets(rule: AlertRule, policy: AlertTargetPolicy): Promise<void> {
  for (const [index, target] of rule.targets.entries()) {
    const refusal = await targetUrlRefusal(new URL(target.url), policy);
    if (refusal !== null) throw new CollectorError('invalid_rule', `targets[${index}].url ${target.url} is refused: ${refusal}`);
  }
}
