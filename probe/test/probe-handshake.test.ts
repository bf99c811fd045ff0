import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { freePort, startWsServer } from '@closewatch/test/harness';
import { probe, probeJson } from './probe-run.js';

function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

test('an endpoint that accepts the upgrade opens: exit 0, valid accept key, open verdict', async (t) => {
  const ws = await startWsServer({ t });
  const { code, report } = await probeJson([`${ws.url}/live`]);
  assert.equal(code, 0);
  assert.equal(report.exitCode, 0);
  assert.equal(report.verdict.ok, true);
  assert.equal(report.verdict.cause, null);
  assert.equal(report.steps.upgrade.status, 'ok');
  assert.equal(report.steps.upgrade.response?.statusCode, 101);
  assert.equal(report.steps.upgrade.acceptCheck, 'valid');
  assert.equal(report.steps.tls.status, 'skipped');
  assert.equal(report.steps.hold.end, 'hold_elapsed');
  assert.equal(report.steps.hold.closeHandshake, 'completed');
});

test('verifyClient answering 401: handshake_auth_rejected with the status line and body a browser hides', async (t) => {
  const ws = await startWsServer({
    t,
    verifyClient: (_info, done) => done(false, 401, 'Unauthorized', { 'X-Reason': 'missing session cookie' }),
  });
  const { code, stdout } = await probe([`${ws.url}/socket`]);
  assert.equal(code, 1);
  assert.match(stdout, /upgrade .*HTTP\/1\.1 401 Unauthorized/);
  assert.match(stdout, /< X-Reason: missing session cookie/);
  assert.match(stdout, /< body \(12 bytes\):\n\s+<\s+Unauthorized/);
  assert.match(stdout, /verdict\s+PROBLEM\s+handshake_auth_rejected: /);
  assert.match(stdout, /^exit 1$/m);

  const { report } = await probeJson([`${ws.url}/socket`]);
  assert.equal(report.verdict.cause, 'handshake_auth_rejected');
  assert.equal(report.steps.upgrade.error?.code, 'HTTP_401');
  assert.equal(report.steps.upgrade.response?.bodyStart, 'Unauthorized');
  assert.equal(report.steps.hold.status, 'not_reached');
});

test('403 for a foreign --origin: handshake_auth_rejected; the allowed origin opens', async (t) => {
  const ws = await startWsServer({
    t,
    verifyClient: (info, done) => (info.origin === 'https://app.example' ? done(true) : done(false, 403, 'Forbidden origin')),
  });
  const rejected = await probeJson([ws.url, '--origin', 'https://evil.example']);
  assert.equal(rejected.code, 1);
  assert.equal(rejected.report.verdict.cause, 'handshake_auth_rejected');
  assert.equal(rejected.report.steps.upgrade.response?.statusCode, 403);
  assert.deepEqual(
    rejected.report.steps.upgrade.request?.headers.find(([name]) => name === 'Origin'),
    ['Origin', 'https://evil.example'],
  );
  const accepted = await probeJson([ws.url, '--origin', 'https://app.example/some/page']);
  assert.equal(accepted.code, 0);
  assert.equal(accepted.report.verdict.ok, true);
});

test('a plain HTTP server answering 200 HTML: handshake_not_websocket with the page start', async (t) => {
  const server = createHttpServer(function servePage(_request, response) {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html>\n<title>shop</title>\n');
  });
  const port = await listen(server);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { code, stdout } = await probe([`ws://127.0.0.1:${port}/ws`]);
  assert.equal(code, 1);
  assert.match(stdout, /HTTP\/1\.1 200 OK/);
  assert.match(stdout, /<\s+<!doctype html>/);
  assert.match(stdout, /handshake_not_websocket/);
  const { report } = await probeJson([`ws://127.0.0.1:${port}/ws`]);
  assert.equal(report.verdict.cause, 'handshake_not_websocket');
  assert.equal(report.steps.upgrade.response?.bodyStart, '<!doctype html>\n<title>shop</title>\n');
});

test('a 301 redirect: handshake_not_websocket, the Location shown because browsers do not follow it', async (t) => {
  const server = createHttpServer(function redirect(_request, response) {
    response.writeHead(301, { Location: 'wss://example.test/socket' });
    response.end();
  });
  const port = await listen(server);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { code, report } = await probeJson([`ws://127.0.0.1:${port}/socket`]);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_not_websocket');
  assert.equal(report.steps.upgrade.response?.statusCode, 301);
  assert.ok(
    report.verdict.evidence.some((line) => line.includes('Location: wss://example.test/socket')),
    report.verdict.evidence.join('\n'),
  );
});

test('a server that accepts TCP but never answers the upgrade: handshake_timeout after --timeout', async (t) => {
  const sockets = new Set<Socket>();
  const server = createNetServer(function neverAnswer(socket) {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  const port = await listen(server);
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const { code, report, stdout } = await probeJson([`ws://127.0.0.1:${port}/`, '--timeout', '500ms']);
  assert.equal(code, 1, stdout);
  assert.equal(report.verdict.cause, 'handshake_timeout');
  assert.equal(report.steps.tcp.status, 'ok');
  assert.equal(report.steps.upgrade.status, 'failed');
  assert.equal(report.steps.upgrade.error?.code, 'TIMEOUT');
  assert.equal(report.steps.upgrade.response, null);
});

test('a port with nothing listening: handshake_network_error with ECONNREFUSED', async () => {
  const port = await freePort();
  const { code, report } = await probeJson([`ws://127.0.0.1:${port}/`]);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_network_error');
  assert.equal(report.steps.tcp.status, 'failed');
  assert.equal(report.steps.tcp.error?.code, 'ECONNREFUSED');
  assert.equal(report.steps.upgrade.status, 'not_reached');
  const { stdout } = await probe([`ws://127.0.0.1:${port}/`]);
  assert.match(stdout, /tcp .*connection refused: nothing is listening on that port/);
});

test('the server choosing no subprotocol: handshake_subprotocol_mismatch, although it answered 101', async (t) => {
  const ws = await startWsServer({ t, handleProtocols: () => false });
  const { code, report } = await probeJson([ws.url, '--protocol', 'chat.v2']);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_subprotocol_mismatch');
  assert.equal(report.steps.upgrade.response?.statusCode, 101);
  assert.equal(report.steps.upgrade.acceptCheck, 'valid');
  assert.equal(report.steps.upgrade.error?.code, 'SUBPROTOCOL_MISSING');
  assert.deepEqual(report.steps.upgrade.requestedSubprotocols, ['chat.v2']);
});

test('repeated --protocol offers every name; the one the server picks is reported', async (t) => {
  const ws = await startWsServer({ t, handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false) });
  const { code, report, stdout } = await probeJson([ws.url, '--protocol', 'chat.v1', '--protocol', 'chat.v2']);
  assert.equal(code, 0, stdout);
  assert.equal(report.steps.upgrade.subprotocol, 'chat.v2');
  assert.deepEqual(
    report.steps.upgrade.request?.headers.find(([name]) => name === 'Sec-WebSocket-Protocol'),
    ['Sec-WebSocket-Protocol', 'chat.v1, chat.v2'],
  );
});

test('--cookie and --header reach the server; their values are redacted in the report', async (t) => {
  let seen: { cookie?: string; tenant?: string } = {};
  const ws = await startWsServer({
    t,
    verifyClient: (info, done) => {
      seen = { cookie: info.req.headers.cookie, tenant: info.req.headers['x-tenant'] as string };
      done(info.req.headers.cookie === 'session=s3cret');
    },
  });
  const { code, report, stdout } = await probeJson([`${ws.url}/?token=abc`, '--cookie', 'session=s3cret', '--header', 'X-Tenant: blue']);
  assert.equal(code, 0, stdout);
  assert.deepEqual(seen, { cookie: 'session=s3cret', tenant: 'blue' });
  assert.ok(!stdout.includes('s3cret'), 'the cookie value must not be printed');
  assert.ok(!stdout.includes('token=abc'), 'secret query values must not be printed');
  assert.equal(report.steps.upgrade.request?.requestLine, 'GET /?token=REDACTED HTTP/1.1');
});

test('a port browsers refuse (6000, X11): handshake_blocked_by_browser whatever answers there', async () => {
  const { code, report } = await probeJson(['ws://127.0.0.1:6000/']);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_blocked_by_browser');
  assert.match(report.verdict.evidence[0], /port 6000 .*SecurityError/);
});

test('a host name is resolved and every address tried in order until one accepts', async (t) => {
  const ws = await startWsServer({ t });
  const { code, report, stdout } = await probeJson([`ws://localhost:${ws.port}/`]);
  assert.equal(code, 0, stdout);
  assert.equal(report.steps.dns.status, 'ok');
  assert.equal(report.steps.dns.host, 'localhost');
  assert.ok(
    report.steps.dns.addresses.some((entry) => entry.address === '127.0.0.1'),
    JSON.stringify(report.steps.dns.addresses),
  );
  assert.equal(report.steps.tcp.address, '127.0.0.1');
  assert.equal(report.steps.tcp.attempts.at(-1)?.error, null);
});

test('a server that closes the connection on the upgrade request without answering: handshake_network_error, NO_RESPONSE', async (t) => {
  const server = createNetServer(function hangUp(socket) {
    socket.on('error', () => {});
    socket.once('data', () => socket.end());
  });
  const port = await listen(server);
  t.after(() => server.close());
  const { code, report } = await probeJson([`ws://127.0.0.1:${port}/`]);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_network_error');
  assert.equal(report.steps.upgrade.error?.code, 'NO_RESPONSE');
  assert.match(report.steps.upgrade.error?.message ?? '', /closed the connection \(FIN\) without answering/);
});
