import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startNginx, startWsServer } from '@closewatch/test/harness';
import { probe, probeJson } from './probe-run.js';

test('nginx with a 2 s proxy_read_timeout cuts an idle connection: --hold measures it as intermediary_timeout', async (t) => {
  const upstream = await startWsServer({ t });
  const nginx = await startNginx({ upstreamPort: upstream.port, proxyReadTimeout: 2, t });
  const { code, report, stdout } = await probeJson([`${nginx.wsUrl}/feed`, '--hold', '15s']);
  assert.equal(code, 1, stdout);
  assert.equal(report.verdict.cause, 'intermediary_timeout');
  const hold = report.steps.hold;
  assert.equal(hold.endedBy, 'remote');
  assert.equal(hold.end, 'tcp_fin');
  assert.equal(hold.closeCode, 1006);
  assert.equal(hold.closeHandshake, 'not_attempted');
  // The cut must come from the proxy's timer: well after open, well before the hold would have ended.
  assert.ok(hold.idleBeforeEndMs !== null && hold.idleBeforeEndMs >= 1_000 && hold.idleBeforeEndMs < 15_000, String(hold.idleBeforeEndMs));
  assert.ok(
    report.verdict.evidence.some((line) => /an idle timeout of about \d+ s/.test(line)),
    report.verdict.evidence.join('\n'),
  );
  assert.ok(
    report.verdict.evidence.some((line) => line.includes('nginx (Server: nginx')),
    report.verdict.evidence.join('\n'),
  );
});

test('the same nginx with --ping more often than its timeout stays up for the whole hold: exit 0', async (t) => {
  const upstream = await startWsServer({ t });
  const nginx = await startNginx({ upstreamPort: upstream.port, proxyReadTimeout: 2, t });
  const { code, stdout } = await probe([`${nginx.wsUrl}/feed`, '--hold', '3s', '--ping', '500ms']);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /hold .*stayed open [\d.]+ s; the probe closed with 1000 and the server answered/);
  assert.match(stdout, /pings sent \d+, answered \d+/);
  assert.match(stdout, /verdict\s+OK\s+The connection stayed open for 3\.0 s/);
});

test('an app closing with 4001 and a reason: application_close with the code and reason', async (t) => {
  const ws = await startWsServer({
    t,
    onConnection: (socket) => {
      socket.send('{"error":"token expired"}');
      socket.close(4001, 'session expired');
    },
  });
  const { code, report } = await probeJson([ws.url, '--hold', '10s']);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'application_close');
  const hold = report.steps.hold;
  assert.equal(hold.end, 'close_frame');
  assert.equal(hold.endedBy, 'remote');
  assert.equal(hold.closeCode, 4001);
  assert.equal(hold.closeReason, 'session expired');
  assert.equal(hold.closeHandshake, 'completed');
  assert.equal(hold.messagesReceived, 1);
  assert.equal(hold.firstMessage, '{"error":"token expired"}');

  const { stdout } = await probe([ws.url, '--hold', '10s']);
  assert.match(stdout, /server sent close 4001 \(.*\) "session expired"/);
  assert.match(stdout, /application_close/);
});

test('a server closing with 1000: normal_closure, and exit 1 because the connection did not stay up', async (t) => {
  const ws = await startWsServer({ t, onConnection: (socket) => socket.close(1000, 'bye') });
  const { code, report } = await probeJson([ws.url, '--hold', '10s']);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'normal_closure');
  assert.equal(report.steps.hold.closeCode, 1000);
});

test('a server calling terminate() right after open: server_terminated, not mistaken for a timeout', async (t) => {
  const ws = await startWsServer({ t, onConnection: (socket) => socket.terminate() });
  const { code, report } = await probeJson([ws.url, '--hold', '10s']);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'server_terminated');
  assert.ok(report.steps.hold.end === 'tcp_fin' || report.steps.hold.end === 'tcp_reset', String(report.steps.hold.end));
});

test('server pings during the hold are answered like a browser does, and counted', async (t) => {
  const ws = await startWsServer({
    t,
    onConnection: (socket) => {
      socket.ping('hb');
      socket.on('pong', () => socket.close(4000, 'pong received'));
    },
  });
  const { report } = await probeJson([ws.url, '--hold', '10s']);
  assert.equal(report.steps.hold.pingsReceived, 1);
  assert.equal(report.steps.hold.closeCode, 4000, 'the server saw our pong');
  assert.equal(report.steps.hold.closeReason, 'pong received');
});

test('permessage-deflate negotiated: the extension is reported and a compressed first message is shown inflated', async (t) => {
  const ws = await startWsServer({
    t,
    perMessageDeflate: { threshold: 0 },
    onConnection: (socket) => {
      socket.send('hello, compressed world');
      socket.close(4002, 'done');
    },
  });
  const { report } = await probeJson([ws.url, '--hold', '10s']);
  assert.match(report.steps.upgrade.extensions ?? '', /^permessage-deflate/);
  assert.equal(report.steps.upgrade.status, 'ok');
  assert.equal(report.steps.hold.firstMessage, 'hello, compressed world');
  assert.equal(report.steps.hold.closeCode, 4002);
});
