import { KNOWN_INTERMEDIARY_TIMEOUTS, parseDuration, type ClassifyOptions, type IntermediaryTimeout } from '@closewatch/conventions';

const ENTRY = /^([A-Za-z0-9][\w.-]{0,62})=([^:]+)(?::(idle|lifetime))?$/;

/**
 * Parses one `proxyTimeouts` entry, `name=duration[:idle|lifetime]` (e.g. `edge-nginx=75s`,
 * `corp-proxy=10m:lifetime`); null when malformed.
 */
export function parseProxyTimeout(entry: string): IntermediaryTimeout | null {
  const match = ENTRY.exec(entry.trim());
  if (!match) return null;
  const [, name, duration, kind] = match;
  const timeoutMs = parseDuration(duration!);
  if (timeoutMs === null || timeoutMs <= 0) return null;
  return {
    id: `configured_${name}`,
    name: `${name} (configured)`,
    setting: 'the timeout configured for it (closewatch proxyTimeouts)',
    timeoutMs,
    kind: (kind ?? 'idle') as IntermediaryTimeout['kind'],
    source: 'collector configuration (proxyTimeouts)',
  };
}

/** Classifier options for a collector: the team's own proxies first, then the known defaults; the mass-drop thresholds. */
export function classifyOptionsFor(proxyTimeouts: readonly string[], massDrop: { minConnections?: number; windowMs?: number } = {}): ClassifyOptions {
  const thresholds: ClassifyOptions = {};
  if (massDrop.minConnections !== undefined) thresholds.massDropMinConnections = massDrop.minConnections;
  if (massDrop.windowMs !== undefined) thresholds.massDropWindowMs = massDrop.windowMs;
  if (proxyTimeouts.length === 0) return thresholds;
  const configured = proxyTimeouts.map(parseProxyTimeout).filter((timeout): timeout is IntermediaryTimeout => timeout !== null);
  return { ...thresholds, intermediaryTimeouts: [...configured, ...KNOWN_INTERMEDIARY_TIMEOUTS] };
}
