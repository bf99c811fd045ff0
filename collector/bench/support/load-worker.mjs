// Load generator for the ingest benchmark, run in a worker thread so it does not share the collector's event loop.
// Sends `batches` OTLP requests of `batchSize` websocket.connection spans (client + server pairs) with
// `concurrency` requests in flight, and reports the elapsed time and the status codes seen. With `urls`,
// requests go round-robin over several collectors; with `serverSidesLater`, a batch carries the client
// sides of new connections and the server sides of the previous batch's, so the two sides of a connection
// arrive in different requests (at different collectors, with `urls`) and join in the store.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { ExportTraceServiceRequest } from '../../dist/ingest/otlp-schema.js';

const { url, urls = [url], format, batches, batchSize, concurrency, pregenerate, serverSidesLater = false } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const targets = urls.map((base) => new URL('/v1/traces', base));
const contentType = format === 'json' ? 'application/json' : 'application/x-protobuf';

function attributes(side, code) {
  const list = [
    ['websocket.close.code', { intValue: code }],
    ['websocket.close.was_clean', { boolValue: code === 1000 }],
    ['websocket.close.initiator', { stringValue: side }],
    ['websocket.phase', { stringValue: 'open' }],
    ['websocket.opened', { boolValue: true }],
    ['websocket.route', { stringValue: '/rooms/:id' }],
    ['url.full', { stringValue: 'wss://chat.example/rooms/42' }],
    ['websocket.handshake.duration_ms', { doubleValue: 41.5 }],
    ['websocket.open.duration_ms', { doubleValue: 120034.2 }],
    ['websocket.messages.sent', { intValue: 31 }],
    ['websocket.messages.received', { intValue: 57 }],
  ];
  if (side === 'client') list.push(['websocket.propagated', { boolValue: true }]);
  else list.push(['websocket.termination', { stringValue: code === 1000 ? 'close' : 'terminate' }]);
  return list.map(([key, value]) => ({ key, value }));
}

function span(traceId, spanId, parentSpanId, kind, startNs, code) {
  return {
    traceId,
    spanId,
    parentSpanId,
    name: 'websocket.connection',
    kind,
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + 120_000_000_000n),
    attributes: attributes(kind === 3 ? 'client' : 'server', code),
    events: [{ name: 'websocket.open', timeUnixNano: String(startNs + 41_000_000n) }],
  };
}

/** Server sides waiting for the next batch (serverSidesLater). */
let laterServers = [];

function batchObject() {
  const now = BigInt(Date.now() - 200_000) * 1_000_000n;
  const clients = [];
  const servers = [];
  const newServers = [];
  for (let i = 0; i < batchSize / 2; i++) {
    const traceId = randomBytes(16).toString('hex');
    const clientId = randomBytes(8).toString('hex');
    const code = i % 4 === 0 ? 1006 : 1000;
    clients.push(span(traceId, clientId, '', 3, now, code));
    newServers.push(span(traceId, randomBytes(8).toString('hex'), clientId, 2, now + 1_000_000n, code));
  }
  if (serverSidesLater) {
    // The first batch's server slots carry peers nobody waits for: server spans without a parent, final at once.
    servers.push(...(laterServers.length ? laterServers : newServers.map((s) => ({ ...s, parentSpanId: '' }))));
    laterServers = newServers;
  } else {
    servers.push(...newServers);
  }
  const scope = { name: '@closewatch/bench', version: '0.1.0' };
  const resource = (name) => ({ attributes: [{ key: 'service.name', value: { stringValue: name } }] });
  return {
    resourceSpans: [
      { resource: resource('chat-web'), scopeSpans: [{ scope, spans: clients }] },
      { resource: resource('chat-api'), scopeSpans: [{ scope, spans: servers }] },
    ],
  };
}

function encode(object) {
  if (format === 'json') return Buffer.from(JSON.stringify(object));
  for (const rs of object.resourceSpans) {
    for (const s of rs.scopeSpans[0].spans) {
      s.traceId = Buffer.from(s.traceId, 'hex');
      s.spanId = Buffer.from(s.spanId, 'hex');
      s.parentSpanId = Buffer.from(s.parentSpanId, 'hex');
    }
  }
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(object)).finish());
}

function post(body, index) {
  const target = targets[index % targets.length];
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bodies = pregenerate ? Array.from({ length: batches }, () => encode(batchObject())) : null;
const statuses = {};
let next = 0;
const started = performance.now();
async function lane() {
  while (next < batches) {
    const index = next++;
    const status = await post(bodies ? bodies[index] : encode(batchObject()), index);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
const elapsedMs = performance.now() - started;
agent.destroy();
parentPort.postMessage({ spans: batches * batchSize, elapsedMs, statuses });
