import { trace } from '@opentelemetry/api';
import { exportState } from './agent-state.js';

interface Flushable {
  forceFlush(): Promise<void>;
}

/** The register path's own export queue, when the agent started one (otlp/own-export.ts). */
let ownExport: Flushable | undefined;

export function setOwnExport(queue: Flushable | undefined): void {
  ownExport = queue;
}

function flushableProvider(): Flushable | undefined {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown; forceFlush?: unknown };
  const delegate = (typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider) as Partial<Flushable>;
  return typeof delegate.forceFlush === 'function' ? (delegate as Flushable) : undefined;
}

/**
 * Exports every ended span now, through the agent's own export or else the global tracer provider,
 * waiting at most `timeoutMs`. Never rejects.
 */
export async function flushSpans(timeoutMs = 5000): Promise<void> {
  exportState.spansSinceFlush = false;
  const provider = ownExport ?? flushableProvider();
  if (!provider) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([provider.forceFlush().catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
