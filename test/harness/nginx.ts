import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOnce, type CleanupScope } from './cleanup.js';
import { freePort } from './free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { waitForPort } from './wait-for-port.js';

export const nginxPath = process.env.CLOSEWATCH_NGINX ?? '/usr/sbin/nginx';

export interface NginxOptions {
  /** Port of the upstream (ws or http) server on 127.0.0.1; several ports are balanced round-robin. */
  upstreamPort: number | number[];
  /** nginx proxy_read_timeout: seconds, or an nginx time string like '1500ms'. Default 60s (nginx's own default). */
  proxyReadTimeout?: number | string;
  /** Port to listen on; default a free ephemeral port. */
  listenPort?: number;
  /** Raw nginx directives appended inside `location /`. */
  extraLocationConfig?: string;
  t?: CleanupScope;
}

export interface NginxHandle {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT */
  wsUrl: string;
  /** The temp dir holding nginx.conf and the logs; removed by close(). */
  dir: string;
  /** The error log and access log written so far. */
  logs(): { error: string; access: string };
  close(): Promise<void>;
}

function nginxTime(value: number | string): string {
  return typeof value === 'number' ? `${value}s` : value;
}

/** An `upstream` block balancing round-robin over several loopback ports (nginx's default), else none. */
function upstreamBlock(ports: number | number[]): string {
  if (typeof ports === 'number') return '';
  return `upstream balanced {\n${ports.map((port) => `    server 127.0.0.1:${port};\n`).join('')}  }`;
}

/** nginx.conf for a single-process nginx whose every writable path lives in `dir`. */
export function nginxConfig(dir: string, listenPort: number, options: NginxOptions): string {
  const runningAsRoot = process.getuid?.() === 0;
  const upstream = typeof options.upstreamPort === 'number' ? `127.0.0.1:${options.upstreamPort}` : 'balanced';
  return `${runningAsRoot ? 'user root root;\n' : ''}daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  ${upstreamBlock(options.upstreamPort)}
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout ${nginxTime(options.proxyReadTimeout ?? 60)};
      ${options.extraLocationConfig ?? ''}
    }
  }
}
`;
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A real nginx reverse proxy in front of 127.0.0.1:upstreamPort (or round-robin over several), configured for WebSocket upgrades. */
export async function startNginx(options: NginxOptions): Promise<NginxHandle> {
  const dir = makeTempDir('nginx');
  let nginx: ManagedProcess | undefined;
  let port = 0;
  let lastFailure = '';
  // Another process may take the probed free port before nginx binds it, so retry on a fresh port.
  for (let attempt = 1; !nginx && attempt <= 3; attempt++) {
    port = options.listenPort ?? (await freePort());
    const confPath = join(dir.path, 'nginx.conf');
    await writeFile(confPath, nginxConfig(dir.path, port, options));
    const candidate = spawnManaged(nginxPath, ['-p', dir.path, '-e', join(dir.path, 'error.log'), '-c', confPath]);
    try {
      await waitForPort(port, { isAlive: candidate.isRunning });
      // A connect alone does not prove nginx listens: another process may have won the race for the port.
      if (!candidate.isRunning()) throw new Error(`nginx exited after ${port} accepted a connection`);
      nginx = candidate;
    } catch (error) {
      await candidate.stop('SIGKILL');
      lastFailure = `${(error as Error).message}\n${candidate.stderr()}\n${readLog(join(dir.path, 'error.log'))}`;
      if (options.listenPort !== undefined || !/Address already in use/.test(lastFailure)) break;
    }
  }
  if (!nginx) {
    await dir.remove();
    throw new Error(`startNginx: nginx did not start: ${lastFailure}`);
  }
  const running = nginx;
  const close = runOnce(async function closeNginx() {
    await running.stop('SIGTERM');
    await dir.remove();
  });
  options.t?.after(close);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dir: dir.path,
    logs: () => ({ error: readLog(join(dir.path, 'error.log')), access: readLog(join(dir.path, 'access.log')) }),
    close,
  };
}
