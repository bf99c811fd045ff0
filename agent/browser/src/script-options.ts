import type { AgentOptions } from './options.js';

/** `a.example.com, /\.example\.com$/` → a string and a RegExp. */
function parsePropagateTo(list: string): Array<string | RegExp> {
  return list.split(',').map(function propagateTarget(entry) {
    const target = entry.trim();
    return /^\/.+\/$/.test(target) ? new RegExp(target.slice(1, -1)) : target;
  });
}

/**
 * The snippet's options from its `data-*` attributes (`data-endpoint`, `data-key`, `data-service`,
 * `data-version`, `data-environment`, `data-propagate-to`, `data-sample-rate`, `data-flush-interval-ms`).
 * The endpoint defaults to the origin the script came from: the collector itself serves `/agent.js`.
 */
export function readScriptOptions(script: HTMLScriptElement): AgentOptions {
  const data = script.dataset;
  return {
    ...data,
    endpoint: data.endpoint || new URL(script.src).origin,
    propagateTo: data.propagateTo ? parsePropagateTo(data.propagateTo) : undefined,
    sampleRate: data.sampleRate ? Number(data.sampleRate) : undefined,
    flushIntervalMs: Number(data.flushIntervalMs),
  };
}
