import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { makeTempDir } from '@closewatch/test/harness';
import { probe, probeJson, selfSignedCertificate } from './probe-run.js';

/** A ws server behind TLS with a certificate made for this test; closed after it. */
async function startSelfSignedWss(t: { after(fn: () => unknown): void }): Promise<{ url: string }> {
  const dir = makeTempDir('probe-tls');
  t.after(() => dir.remove());
  const files = selfSignedCertificate(dir.path);
  const server: Server = createServer({ key: readFileSync(files.key), cert: readFileSync(files.cert) });
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  t.after(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `wss://127.0.0.1:${(server.address() as { port: number }).port}/secure` };
}

test('a self-signed certificate: handshake_network_error, the certificate and the verification error in plain words', async (t) => {
  const { url } = await startSelfSignedWss(t);
  const { code, report } = await probeJson([url]);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_network_error');
  const tls = report.steps.tls;
  assert.equal(tls.status, 'failed', 'a browser stops at the certificate');
  assert.equal(tls.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.equal(tls.authorized, false);
  assert.equal(tls.verificationError?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.match(tls.verificationError?.message ?? '', /self-signed/);
  assert.match(tls.certificate?.subject ?? '', /CN=closewatch-probe-test/);
  assert.ok(tls.certificate?.subjectAltNames.includes('IP Address:127.0.0.1'), String(tls.certificate?.subjectAltNames));
  assert.match(tls.protocol ?? '', /^TLSv1\.[23]$/);
  assert.equal(report.steps.upgrade.status, 'not_reached', 'a browser would not send the upgrade');

  const { stdout } = await probe([url]);
  assert.match(stdout, /tls .*TLSv1\.[23]/);
  assert.match(stdout, /verification FAILED: the certificate is self-signed/);
  assert.match(stdout, /handshake_network_error/);
});

test('the same endpoint with --insecure opens: exit 0, with a note that a browser would refuse it', async (t) => {
  const { url } = await startSelfSignedWss(t);
  const { code, report, stdout } = await probeJson([url, '--insecure']);
  assert.equal(code, 0, stdout);
  assert.equal(report.verdict.ok, true);
  assert.equal(report.steps.tls.verificationError?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.equal(report.steps.tls.status, 'ok', '--insecure goes on');
  assert.equal(report.steps.upgrade.status, 'ok');
  assert.equal(report.steps.upgrade.acceptCheck, 'valid');
  assert.ok(
    report.notes.some((note) => note.includes('a browser would refuse')),
    report.notes.join('\n'),
  );
});

test('wss:// to a plain-HTTP port: the TLS error says the port does not speak TLS', async (t) => {
  const { startWsServer } = await import('@closewatch/test/harness');
  const ws = await startWsServer({ t });
  const { code, report } = await probeJson([ws.url.replace('ws://', 'wss://')]);
  assert.equal(code, 1);
  assert.equal(report.verdict.cause, 'handshake_network_error');
  assert.equal(report.steps.tls.status, 'failed');
  assert.match(report.steps.tls.error?.message ?? '', /plain HTTP|did not answer with TLS/);
});
