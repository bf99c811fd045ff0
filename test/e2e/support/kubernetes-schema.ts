import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

/** The kinds deploy/kubernetes uses, each with its model (the Kubernetes 1.27 OpenAPI schema, compiled by kubernetes-models). */
const MODELS: Record<string, new (data: object) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Service': Service,
};

/** Wraps `value` so every property the validator reads is crossed off `unread`. */
function tracked(value: unknown, path: string, unread: Set<string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  for (const key of Object.keys(value)) unread.add(`${path}.${key}`);
  return new Proxy(value, {
    get(target, property, receiver) {
      const child: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !Object.hasOwn(target, property)) return child;
      unread.delete(`${path}.${property}`);
      return tracked(child, `${path}.${property}`, unread);
    },
  });
}

/**
 * Problems of one manifest against the Kubernetes API schema: what the schema's validator rejects, and
 * fields it never looked at (the schemas allow unknown fields, which the API server would drop or refuse
 * with strict field validation: a typo such as `readinesProbe` would silently disable the probe).
 */
export function kubernetesProblems(manifest: { apiVersion?: unknown; kind?: unknown }): string[] {
  const Model = MODELS[`${String(manifest.apiVersion)} ${String(manifest.kind)}`];
  if (!Model) return [`${String(manifest.apiVersion)} ${String(manifest.kind)} is not a kind these checks know`];
  const model = new Model(manifest) as unknown as Record<string, unknown> & { validate(): void };
  const unread = new Set<string>();
  for (const key of Object.keys(model)) model[key] = tracked(model[key], key, unread);
  try {
    model.validate();
  } catch (error) {
    return [(error as Error).message];
  }
  return [...unread].map((path) => `unknown field ${path}`);
}
