// The servers both server-cost benches measure, bare ws first: the one table, so their figures name
// the same variants.
import { fileURLToPath } from 'node:url';

export interface ServerVariant {
  name: string;
  /** Node options of the echo server for this variant. */
  execArgv: string[];
  env?: Record<string, string>;
  /** issue #20's bound on the median CPU ratio, per connection and per message; none where there is none. */
  target?: { connections: number; messages: number };
}

const REGISTER = ['--import', '@closewatch/agent-node/register'];
const APP_PROVIDER = fileURLToPath(new URL('./app-provider.mjs', import.meta.url));

export const SERVER_VARIANTS: ServerVariant[] = [
  { name: 'bare ws', execArgv: [] },
  { name: 'register (export included)', execArgv: REGISTER, target: { connections: 1.15, messages: 1.03 } },
  { name: 'register, always_off sampler (the agent without spans)', execArgv: REGISTER, env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  { name: "app's own provider (batch + OTLP proto)", execArgv: ['--import', APP_PROVIDER, ...REGISTER] },
];
