import { randomUUID } from 'node:crypto';
import { RESOURCE_SERVICE_INSTANCE_ID } from '@closewatch/conventions';
import { diag } from '@opentelemetry/api';
import {
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  type Resource,
  type ResourceDetector,
} from '@opentelemetry/resources';
import type { Env } from '../otlp-target.js';

const NAMED_DETECTORS: Record<string, ResourceDetector> = {
  host: hostDetector,
  os: osDetector,
  serviceinstance: serviceInstanceIdDetector,
  process: processDetector,
  env: envDetector,
};

/** The detectors the NodeSDK runs: `OTEL_NODE_RESOURCE_DETECTORS` (all, none, or names), else env, process and host. */
function detectorsFrom(env: Env): ResourceDetector[] {
  const listed = env.OTEL_NODE_RESOURCE_DETECTORS?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (!listed || listed.length === 0) return [envDetector, processDetector, hostDetector];
  if (listed.includes('all')) return Object.values(NAMED_DETECTORS);
  if (listed.includes('none')) return [];
  return listed.flatMap((name) => {
    const detector = NAMED_DETECTORS[name];
    if (!detector) diag.warn(`Invalid resource detector "${name}" specified in the environment variable OTEL_NODE_RESOURCE_DETECTORS`);
    return detector ? [detector] : [];
  });
}

/**
 * The resource of the agent's spans, built as the NodeSDK built it for the register path: a fresh
 * `service.instance.id` (the collector's fleet knowledge keys on it) merged with what the detectors
 * find, the environment's `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` among them (`detect`
 * false: the NodeSDK detects them itself).
 */
export function agentResource(env: Env, detect = true): Resource {
  const own = resourceFromAttributes({ [RESOURCE_SERVICE_INSTANCE_ID]: randomUUID() });
  return detect ? own.merge(detectResources({ detectors: detectorsFrom(env) })) : own;
}

/** The attributes known at once: everything but what detectors still look up asynchronously. */
export function immediateAttributes(resource: Resource): Resource['attributes'] {
  const attributes: Resource['attributes'] = {};
  for (const [key, value] of resource.getRawAttributes()) {
    if (value !== undefined && !(value instanceof Promise)) attributes[key] = value;
  }
  return attributes;
}

/** The resource's attributes once every detector has answered. */
export async function settledAttributes(resource: Resource): Promise<Resource['attributes']> {
  try {
    await resource.waitForAsyncAttributes?.();
  } catch {
    // A detector that fails leaves its attributes out, as in the SDK.
  }
  return resource.attributes;
}
