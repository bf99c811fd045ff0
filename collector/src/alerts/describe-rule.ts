import type { AlertRule } from './rule.js';

function describeFilter(rule: AlertRule): string {
  const parts = Object.entries(rule.filter).map(([key, value]) => `${key}=${String(value)}`);
  return parts.length ? ` where ${parts.join(', ')}` : '';
}

/** The rule's condition in words: "1006 rate above 5% over 5m where service=chat". */
export function describeRuleCondition(rule: AlertRule): string {
  const scope = `over ${rule.window}${describeFilter(rule)}`;
  switch (rule.condition.kind) {
    case 'rate_1006_above':
      return `1006 rate above ${rule.condition.threshold}% ${scope}`;
    case 'cause_count_above':
      return `more than ${rule.condition.threshold} closes ${scope}`;
    case 'rate_increase':
      return `1006 rate up ${rule.condition.factor}× vs the previous ${rule.window} ${scope}`;
  }
}
