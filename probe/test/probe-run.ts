import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runProbeCommand } from '../src/cli.js';
import type { ProbeReport } from '../src/report.js';

export interface ProbeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `closewatch probe` in-process with captured output, as the CLI would. */
export async function probe(args: string[]): Promise<ProbeRun> {
  let stdout = '';
  let stderr = '';
  const code = await runProbeCommand(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr };
}

/** Runs the probe with `--json` and parses the one object it prints. */
export async function probeJson(args: string[]): Promise<ProbeRun & { report: ProbeReport }> {
  const run = await probe([...args, '--json']);
  return { ...run, report: JSON.parse(run.stdout) as ProbeReport };
}

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl in `dir`. */
export function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=closewatch-probe-test',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  return { key, cert };
}
