import type { Clock } from '../deps.js';
import type { AlertStateRecord, Store } from '../store/store.js';
import { PeriodicJob } from '../jobs/periodic-job.js';
import { parseDuration } from '@closewatch/conventions';
import { deliverNotice, DEFAULT_DELIVERY, type DeliveryOptions } from './notifiers/deliver.js';
import { dashboardLink, type AlertNotice } from './notice.js';
import { observeRule } from './observe-rule.js';
import type { AlertRule } from './rule.js';
import { initialState, transition } from './state-machine.js';
import { LOOPBACK_TARGET_POLICY, type AlertTargetPolicy } from './targets/target-policy.js';

export interface AlertEvaluatorOptions {
  store: Store;
  clock: Clock;
  publicUrl: string;
  /** How often rules are evaluated (default 30 s). */
  intervalMs?: number;
  delivery?: DeliveryOptions;
  /** Where notifications may go, checked again at every connection (default: a loopback collector's). */
  targetPolicy?: AlertTargetPolicy;
  /** Reports an evaluation or store failure; evaluation goes on at the next tick. */
  onError?: (error: unknown) => void;
  /** Called after each evaluation of a rule (feeds `closewatch_alerts_firing{rule}`). */
  onFiringChange?: (rule: AlertRule, isFiring: boolean) => void;
  /** Called at each tick with whether this instance is the leader (false also when the store failed to say). */
  onLeadership?: (isLeader: boolean) => void;
}

const LEADERSHIP = 'closewatch-alert-evaluator';

/**
 * Evaluates every enabled rule on a timer, on the leader instance only (store advisory lock),
 * moves each rule's state, keeps history, and sends notifications without waiting for them.
 */
export class AlertEvaluator {
  readonly #options: Required<Omit<AlertEvaluatorOptions, 'onError' | 'onFiringChange' | 'onLeadership'>> &
    Pick<AlertEvaluatorOptions, 'onError' | 'onFiringChange' | 'onLeadership'>;
  readonly #deliveries = new Set<Promise<void>>();
  /** Delivery failures to record on the rule's state at its next evaluation. */
  readonly #deliveryErrors = new Map<string, string | null>();
  readonly #job: PeriodicJob<void>;

  constructor(options: AlertEvaluatorOptions) {
    this.#options = { intervalMs: 30_000, delivery: DEFAULT_DELIVERY, targetPolicy: LOOPBACK_TARGET_POLICY, ...options };
    this.#job = new PeriodicJob(() => this.#evaluateIfLeader(), {
      intervalMs: this.#options.intervalMs,
      runAtStart: true,
      onError: (error) => this.#options.onError?.(error),
    });
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Waits for notifications still being delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#deliveries.size) await Promise.allSettled([...this.#deliveries]);
  }

  /** One evaluation round (or the one in progress); a failure is reported through onError, never thrown. */
  tick(): Promise<void> {
    return this.#job.runOnce().catch((error: unknown) => this.#options.onError?.(error));
  }

  async #evaluateIfLeader(): Promise<void> {
    const { store } = this.#options;
    let leader = false;
    try {
      leader = await store.tryAcquireLeadership(LEADERSHIP);
    } finally {
      this.#options.onLeadership?.(leader);
    }
    if (!leader) return;
    const [rules, states] = await Promise.all([store.listAlertRules(), store.listAlertStates()]);
    const byRule = new Map(states.map((state) => [state.ruleId, state]));
    for (const record of rules) {
      const rule = record.rule as unknown as AlertRule;
      if (rule.enabled === false) continue;
      try {
        await this.#evaluateRule(rule, byRule.get(rule.id));
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
  }

  async #evaluateRule(rule: AlertRule, previous: AlertStateRecord | undefined): Promise<void> {
    const { store, clock } = this.#options;
    const nowMs = clock.now();
    const observation = await observeRule(store, rule, nowMs);
    const { next, history, notify } = transition(previous ?? initialState(rule.id, nowMs), observation, nowMs, parseDuration(rule.for)!);
    next.details = { ...next.details, total: observation.total };
    if (this.#deliveryErrors.has(rule.id)) {
      next.lastNotificationError = this.#deliveryErrors.get(rule.id)!;
      this.#deliveryErrors.delete(rule.id);
    }
    await store.putAlertState(next, history ?? undefined);
    this.#options.onFiringChange?.(rule, next.state === 'firing');
    if (notify) this.#notify(rule, next, notify, nowMs, rule.targets);
    else if (next.state === 'firing')
      this.#notify(
        rule,
        next,
        'firing',
        nowMs,
        rule.targets.filter((t) => t.kind === 'alertmanager'),
      );
  }

  #notify(rule: AlertRule, state: AlertStateRecord, status: 'firing' | 'resolved', nowMs: number, targets: AlertRule['targets']): void {
    if (!targets.length) return;
    const firedAtMs = typeof state.details.firedAtMs === 'number' ? state.details.firedAtMs : state.sinceMs;
    const notice: AlertNotice = {
      rule,
      status,
      value: state.value,
      startsAtMs: firedAtMs,
      endsAtMs: status === 'resolved' ? nowMs : null,
      link: dashboardLink(this.#options.publicUrl, rule, nowMs, parseDuration(rule.window)!),
    };
    const delivery = Promise.all(targets.map((target) => deliverNotice(target, notice, this.#options.delivery, this.#options.targetPolicy))).then((errors) => {
      this.#deliveryErrors.set(rule.id, errors.find((error) => error !== null) ?? null);
    });
    this.#deliveries.add(delivery);
    void delivery.finally(() => this.#deliveries.delete(delivery));
  }
}
