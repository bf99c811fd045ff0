import { startWsServer } from '@closewatch/test/harness';
import { ProxyTracerProvider } from '@opentelemetry/api';
import { createBenchAgent } from './bench-agent.js';
import { WsInstrumentation } from '../src/index.js';
import { churn } from './load.js';
const server = await startWsServer();
let agent: { enable(): void } = createBenchAgent({ instrumentClients: false });
if (process.env.NOOP) { const i = new WsInstrumentation({ enabled: false, instrumentClients: false, handleProcessExit: false }); i.setTracerProvider(new ProxyTracerProvider()); agent = i; }
if (process.env.AGENT) agent.enable();
await churn(server.url, { workers: 8, limit: 2000 });
const c0 = process.cpuUsage();
const n = await churn(server.url, { workers: 8, limit: 6000 });
const c = process.cpuUsage(c0);
console.log((process.env.AGENT ? 'agent' : 'base ') + (process.env.NOOP ? ' noop' : ''), ((c.user + c.system) / n).toFixed(1), 'us cpu per conn');
process.exit(0);
