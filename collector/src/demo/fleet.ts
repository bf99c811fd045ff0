// The demo fleet process: run as `node --import @closewatch/agent-node/register fleet.js <connections-per-second>`,
// so both the ws server and the ws clients are recorded by the real Node agent and exported to the collector.
import WebSocket from 'ws';
import { pickScenario } from './fleet-scenarios.js';
import { startFleetServer } from './fleet-server.js';

const rate = Math.max(0.1, Number(process.argv[2] ?? 5));
const { port } = await startFleetServer();

function launchConnection(): void {
  const scenario = pickScenario();
  const socket = new WebSocket(`ws://127.0.0.1:${port}${scenario.path}`, scenario.protocols);
  socket.on('error', () => {});
  scenario.drive(socket);
}

setInterval(launchConnection, 1000 / rate);
process.stdout.write(`fleet: ws server on 127.0.0.1:${port}, ${rate} connections/s\n`);
