import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { nginxConfig, startNginx } from './nginx.js';
import { waitFor } from './wait-for.js';
import { startWsServer } from './ws-server.js';

test('nginx proxies a WebSocket echo to the upstream ws server', async (t) => {
  const upstream = await startWsServer({
    t,
    onConnection(socket) {
      socket.on('message', (data) => socket.send(`echo:${(data as Buffer).toString()}`));
    },
  });
  const nginx = await startNginx({ t, upstreamPort: upstream.port });
  const client = new WebSocket(`${nginx.wsUrl}/chat`);
  t.after(() => client.terminate());
  await once(client, 'open');
  client.send('hi');
  const [reply] = (await once(client, 'message')) as [Buffer];
  assert.equal(String(reply), 'echo:hi');
});

test('nginx close() stops the process and removes its directory', async (t) => {
  const upstream = await startWsServer({ t });
  const nginx = await startNginx({ upstreamPort: upstream.port });
  assert.ok(existsSync(`${nginx.dir}/nginx.conf`));
  await nginx.close();
  await nginx.close();
  assert.equal(existsSync(nginx.dir), false);
  const client = new WebSocket(nginx.wsUrl);
  const [error] = (await once(client, 'error')) as [NodeJS.ErrnoException];
  assert.equal(error.code, 'ECONNREFUSED');
});

test('nginxConfig keeps every writable path inside its directory', () => {
  const config = nginxConfig('/tmp/closewatch-nginx-x', 8080, { upstreamPort: 9000, proxyReadTimeout: '1500ms' });
  for (const directive of [
    'pid',
    'error_log',
    'access_log',
    'client_body_temp_path',
    'proxy_temp_path',
    'fastcgi_temp_path',
    'uwsgi_temp_path',
    'scgi_temp_path',
  ]) {
    assert.match(config, new RegExp(`${directive} /tmp/closewatch-nginx-x/`), directive);
  }
  assert.match(config, /proxy_read_timeout 1500ms;/);
  assert.match(config, /proxy_set_header Upgrade \$http_upgrade;/);
});

test("startNginx rejects with nginx's own message when the config is invalid, leaving nothing behind", async () => {
  const error: Error = await startNginx({ upstreamPort: 1, extraLocationConfig: 'no_such_directive on;' }).then(
    () => assert.fail('startNginx should reject'),
    (rejection: Error) => rejection,
  );
  assert.match(error.message, /unknown directive "no_such_directive"/);
  const confPath = /in (\S+\/nginx\.conf):\d+/.exec(error.message)?.[1];
  assert.ok(confPath, error.message);
  assert.equal(existsSync(dirname(confPath)), false);
});

test('nginx passes a 401 upgrade rejection through and logs it', async (t) => {
  const upstream = await startWsServer({ t, verifyClient: (_info, done) => done(false, 401) });
  const nginx = await startNginx({ t, upstreamPort: upstream.port });
  const client = new WebSocket(`${nginx.wsUrl}/secret`);
  const [, response] = (await once(client, 'unexpected-response')) as [unknown, IncomingMessage];
  assert.equal(response.statusCode, 401);
  response.destroy();
  await waitFor(() => nginx.logs().access.includes('"GET /secret HTTP/1.1" 401'), { message: 'access log line' });
});
