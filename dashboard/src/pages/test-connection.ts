import { apiGet } from '../api/client.js';
import type { ClosePage, PublicConfig } from '../api/types.js';
import { h, replaceChildren } from '../dom.js';
import { formatCode } from '../format.js';
import { routeHref } from '../state/route.js';

/** service.name of test connections, so they are easy to find and filter out. */
export const TEST_SERVICE = 'closewatch-setup-test';
export const TEST_SOCKET_PATH = '/api/v1/test-socket';
const POLL_MS = 2_000;
/** Join window (30 s by default) plus the agent's flush and some slack. */
const GIVE_UP_MS = 90_000;

let agentLoading: Promise<void> | null = null;

/** Loads the collector's own browser agent once, configured to report test connections to this origin. */
function loadAgent(config: PublicConfig): Promise<void> {
  agentLoading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/agent.js';
    script.dataset.endpoint = location.origin;
    if (config.browserKey) script.dataset.key = config.browserKey;
    script.dataset.service = TEST_SERVICE;
    script.dataset.flushIntervalMs = '500';
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      agentLoading = null;
      reject(new Error('the browser agent (/agent.js) could not be loaded'));
    });
    document.head.appendChild(script);
  });
  return agentLoading;
}

/** Opens one WebSocket to the collector's echo endpoint, exchanges a message and closes with 1000. */
function exchangeOnce(log: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${TEST_SOCKET_PATH}`;
    const socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      log('Socket open; sending a message.');
      socket.send('hello from the Closewatch setup page');
    });
    socket.addEventListener('message', () => {
      log('Echo received; closing with 1000.');
      socket.close(1000, 'setup test done');
    });
    socket.addEventListener('error', () => log('The browser reported a WebSocket error (the detail is hidden from pages; the record will show it).'));
    socket.addEventListener('close', (event) => {
      log(`Socket closed with code ${formatCode(event.code)}.`);
      resolve();
    });
  });
}

async function waitForRecord(sinceMs: number, log: (line: string) => void, signal: AbortSignal): Promise<string | null> {
  const params = new URLSearchParams({ service: TEST_SERVICE, from: String(sinceMs - 5_000), limit: '1' });
  const deadline = Date.now() + GIVE_UP_MS;
  while (Date.now() < deadline && !signal.aborted) {
    const page = await apiGet<ClosePage>('/closes', params).catch(() => null);
    const item = page?.items.find((i) => i.startTimeMs >= sinceMs - 5_000);
    if (item) return item.id;
    log('Waiting for the collector to finalise the record…');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return null;
}

/** The "send a test connection" control: drives a real WebSocket through the real agent and links the record. */
export function testConnectionPanel(config: PublicConfig, signal: AbortSignal): HTMLElement {
  const output = h('ol', { class: 'test-log', 'aria-live': 'polite' });
  const result = h('div', { role: 'status' });
  const log = (line: string): void => void output.appendChild(h('li', null, line));
  const button = h('button', { type: 'button', class: 'primary', id: 'send-test-connection' }, 'Send a test connection');
  button.addEventListener('click', function testConnectionOnClick() {
    // The listener's promise has no taker; the body handles its own failures.
    void (async () => {
      button.disabled = true;
      replaceChildren(output);
      replaceChildren(result);
      const started = Date.now();
      try {
        await loadAgent(config);
        log('Browser agent loaded from /agent.js.');
        await exchangeOnce(log);
        const id = await waitForRecord(started, log, signal);
        replaceChildren(
          result,
          id
            ? h('p', { class: 'message success' }, 'Recorded. ', h('a', { href: routeHref('connection', undefined, id) }, 'Open the test connection'))
            : h('p', { class: 'message error' }, 'No record arrived. Check that this collector accepts ingest from this page (ingest key, allowed origins).'),
        );
      } catch (error) {
        replaceChildren(result, h('p', { class: 'message error' }, `Test failed: ${(error as Error).message}`));
      } finally {
        button.disabled = false;
      }
    })();
  });
  return h(
    'section',
    { class: 'test-connection', 'aria-labelledby': 'test-connection-title' },
    h('h2', { id: 'test-connection-title' }, 'Send a test connection'),
    h(
      'p',
      null,
      `Loads the browser agent, opens a WebSocket to ${TEST_SOCKET_PATH} on this collector, exchanges a message and closes it. The record appears under service “${TEST_SERVICE}”.`,
    ),
    button,
    output,
    result,
  );
}
