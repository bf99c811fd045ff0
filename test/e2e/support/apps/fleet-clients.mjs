// ws clients run under the real agent (node --import @closewatch/agent-node/register fleet-clients.mjs
// <app ws url> <plan json>): connects to each path of the plan as often as it says, `concurrency` at a
// time, in rounds over the paths, or until `durationMs` passed when given. Prints `done <json>` with the
// connections that ended, per path, then stays up so the agent's exporter can finish its retries.
import WebSocket from 'ws';

const [appUrl, planJson] = process.argv.slice(2);
const { counts, concurrency = 8, durationMs } = JSON.parse(planJson);
const made = Object.fromEntries(Object.keys(counts).map((path) => [path, 0]));
const started = Date.now();

/** The next path to connect to, rounds over the plan; null when done. */
const queue = [];
if (durationMs === undefined) {
  const left = { ...counts };
  while (Object.values(left).some((n) => n > 0)) {
    for (const path of Object.keys(left)) if (left[path]-- > 0) queue.push(path);
  }
}
let round = 0;
function nextPath() {
  if (durationMs === undefined) return queue.shift() ?? null;
  if (Date.now() - started >= durationMs) return null;
  const paths = Object.keys(counts);
  return paths[round++ % paths.length];
}

function connectOnce(path) {
  return new Promise(function runConnection(resolve) {
    const ws = new WebSocket(`${appUrl}${path}`);
    const limit = setTimeout(() => ws.terminate(), 10_000);
    ws.on('error', function ignoreConnectionError() {});
    ws.on('open', function sendOnOpen() {
      ws.send(path === '/upload' ? 'x'.repeat(2048) : 'hello');
    });
    ws.on('message', function closeNormally() {
      if (path === '/normal') ws.close(1000, 'done');
    });
    ws.on('close', function connectionEnded() {
      clearTimeout(limit);
      made[path]++;
      resolve();
    });
  });
}

async function lane() {
  for (let path = nextPath(); path !== null; path = nextPath()) await connectOnce(path);
}
await Promise.all(Array.from({ length: concurrency }, lane));
console.log(`done ${JSON.stringify(made)}`);
setInterval(() => {}, 60_000);
