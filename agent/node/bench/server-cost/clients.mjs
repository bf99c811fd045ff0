// The clients of server-cost.bench.ts, in a process of their own: `concurrency` at a time, each opens,
// sends `messages` messages one after another (each waits for its echo) and closes with 1000.
import WebSocket from 'ws';

function oneConnection(url, messages) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let left = messages;
    ws.on('open', () => (left > 0 ? ws.send('ping over ws') : ws.close(1000)));
    ws.on('message', () => {
      left -= 1;
      if (left > 0) ws.send('ping over ws');
      else ws.close(1000);
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });
}

async function run({ port, connections, concurrency, messages }) {
  const url = `ws://127.0.0.1:${port}/bench`;
  let started = 0;
  async function worker() {
    while (started < connections) {
      started += 1;
      await oneConnection(url, messages);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}

process.on('message', (job) => {
  run(job).then(
    () => process.send({ done: true }),
    (error) => process.send({ error: String(error) }),
  );
});
