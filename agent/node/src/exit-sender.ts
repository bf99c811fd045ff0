// Worker thread started at process exit (docs/design.md, "Spans at process exit"): posts one OTLP body
// while the exiting main thread waits on `done`, then tells it how the post went.
import http from 'node:http';
import https from 'node:https';
import { workerData } from 'node:worker_threads';
import type { ExitSend } from './exit-send.js';

const { url, headers, contentType, body, done, timeoutMs } = workerData as ExitSend;
const flag = new Int32Array(done);

function finish(outcome: number): void {
  Atomics.store(flag, 0, outcome);
  Atomics.notify(flag, 0);
}

try {
  const payload = Buffer.from(body);
  const target = new URL(url);
  const request = (target.protocol === 'https:' ? https : http).request(
    target,
    { method: 'POST', timeout: timeoutMs, headers: { ...headers, 'content-type': contentType, 'content-length': payload.length } },
    (response) => {
      response.resume();
      response.once('end', () => finish((response.statusCode ?? 0) < 300 ? 1 : 2));
    },
  );
  request.once('error', () => finish(3));
  request.once('timeout', () => request.destroy());
  request.end(payload);
} catch {
  finish(3);
}
