// ws clients under the real agent (node --import @closewatch/agent-node/register held-clients.mjs <ws url> <count>):
// one connection that closes normally first (`warm-up closed`), then <count> connections held open
// (`open <n>` once all are), each printing `close <code>` when it ends. Stays up so the agent exports.
import WebSocket from 'ws';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);

function warmUp() {
  return new Promise(function closeNormally(resolve) {
    const ws = new WebSocket(url);
    ws.on('error', function ignoreWarmUpError() {});
    ws.on('open', () => ws.send('hello'));
    ws.on('message', () => ws.close(1000, 'warm-up done'));
    ws.on('close', resolve);
  });
}

function hold() {
  return new Promise(function openHeld(resolve) {
    const ws = new WebSocket(url);
    ws.on('error', function ignoreHeldError() {});
    ws.on('open', resolve);
    ws.on('close', function printClose(code) {
      console.log(`close ${code}`);
    });
  });
}

await warmUp();
console.log('warm-up closed');
await Promise.all(Array.from({ length: count }, hold));
console.log(`open ${count}`);
setInterval(() => {}, 60_000);
