import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { churn } from './load.js';
const agent = createBenchAgent({ instrumentClients: false });
const server = await startWsServer();
await churn(server.url, { workers: 8, durationMs: 1000 });
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 });
for (let i = 0; i < 4; i++) {
  const on = i % 2 === 1;
  if (on) agent.enable();
  await session.post('Profiler.start');
  const t0 = performance.now();
  const n = await churn(server.url, { workers: 8, limit: 1500 });
  const wall = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop');
  if (on) agent.disable();
  console.log(on ? 'agent' : 'base', n, (n / wall * 1000).toFixed(0), '/s');
  writeFileSync(`/tmp/cwexp/p${i}-${on ? 'agent' : 'base'}.cpuprofile`, JSON.stringify(profile));
}
await agent.shutdown(); await server.close();
