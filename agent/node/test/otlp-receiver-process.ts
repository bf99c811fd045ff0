import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnNode, waitFor, type ReceiverAnswer } from '@closewatch/test/harness';

/** A child under tsx can take a while to start on a saturated machine. */
const STARTUP_MS = 60_000;

const agentDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/otlp-receiver-process.ts', import.meta.url));

export interface ReceivedPost {
  index: number;
  /** Date.now() in the receiver when the POST had been read, before it was answered. */
  at: number;
  /** What the receiver answered. */
  status: number;
  path: string;
  contentType?: string;
  contentEncoding?: string;
  userAgent?: string;
  ingestKey?: string;
  /** The body, gunzipped when it came gzipped. */
  body: Buffer;
}

export interface ReceiverScript {
  /** Answers to the first POSTs, by index; null means the default 200. */
  answers?: (ReceiverAnswer | null)[];
  /** The answer to every later POST; null or absent means 200. */
  then?: ReceiverAnswer | null;
}

export interface ReceiverProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The traces URL: `${url}/v1/traces`. */
  tracesUrl: string;
  /** Every POST reported so far, in arrival order. */
  posts(): ReceivedPost[];
  waitForPosts(count: number, timeoutMs?: number): Promise<ReceivedPost[]>;
}

/** Starts the harness OTLP receiver in a child process answering as `script` says; stopped after the test. */
export async function startReceiverProcess(t: TestContext, script: ReceiverScript = {}): Promise<ReceiverProcess> {
  const child = spawnNode(['--import', 'tsx', fixture, JSON.stringify(script)], { cwd: agentDir, t });
  await child.waitForOutput(/listening http:\/\/\S+/, STARTUP_MS);
  const url = /listening (http:\/\/\S+)/.exec(child.stdout())![1];
  function posts(): ReceivedPost[] {
    return child
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('request '))
      .map((line) => {
        const parsed = JSON.parse(line.slice('request '.length)) as Omit<ReceivedPost, 'body'> & { body: string };
        return { ...parsed, body: Buffer.from(parsed.body, 'base64') };
      });
  }
  function waitForPosts(count: number, timeoutMs = 30_000): Promise<ReceivedPost[]> {
    return waitFor(() => posts().length >= count && posts(), { timeoutMs, message: `${count} POST(s) at the receiver process` });
  }
  return { url, tracesUrl: `${url}/v1/traces`, posts, waitForPosts };
}
