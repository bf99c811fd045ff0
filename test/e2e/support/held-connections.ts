import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { spawnNode, type CleanupScope, type ManagedProcess } from '../../harness/index.js';
import { connectFromPage, openAgentPage, waitForPageOpen } from './agent-page.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ECHO_APP = fileURLToPath(new URL('./apps/echo-app.mjs', import.meta.url));
const HELD_CLIENTS = fileURLToPath(new URL('./apps/held-clients.mjs', import.meta.url));

/** Runs a Node script under the real agent (`--import @closewatch/agent-node/register`), exporting within ~100 ms. */
function underAgent(t: CleanupScope, script: string, args: string[], collectorUrl: string, service: string): ManagedProcess {
  return spawnNode(['--import', '@closewatch/agent-node/register', script, ...args], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: collectorUrl, OTEL_SERVICE_NAME: service, OTEL_BSP_SCHEDULE_DELAY: '100' },
  });
}

/** The echo app (support/apps/echo-app.mjs) under the agent, listening on loopback. */
export async function startEchoApp(t: CleanupScope, collectorUrl: string, service: string): Promise<{ process: ManagedProcess; port: number }> {
  const app = underAgent(t, ECHO_APP, [], collectorUrl, service);
  await app.waitForOutput(/listening \d+/, 30_000);
  return { process: app, port: Number(/listening (\d+)/.exec(app.stdout())?.[1]) };
}

/** A Node process holding `count` connections to `url` under the agent, after one normal warm-up close. */
export async function holdFromNode(t: CleanupScope, collectorUrl: string, url: string, count: number): Promise<ManagedProcess> {
  const clients = underAgent(t, HELD_CLIENTS, [url, String(count)], collectorUrl, 'held-node-clients');
  await clients.waitForOutput(`open ${count}`, 30_000);
  return clients;
}

/** `count` pages with the browser agent, each holding one open connection to `url`. */
export async function holdFromPages(t: CleanupScope, browser: Browser, collectorUrl: string, url: string, count: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const { page } = await openAgentPage(browser, { collectorUrl, service: 'held-pages', t });
    await connectFromPage(page, url);
    await waitForPageOpen(page);
    pages.push(page);
  }
  return pages;
}

/** How many `close <code>` lines the held clients printed with this code. */
export function nodeCloses(clients: ManagedProcess, code: number): number {
  return clients
    .stdout()
    .split('\n')
    .filter((line) => line === `close ${code}`).length;
}
