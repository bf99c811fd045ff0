import { apiGet } from '../api/client.js';
import type { PublicConfig } from '../api/types.js';
import { copyableCode } from '../components/copy-button.js';
import { errorMessage } from '../components/message.js';
import { h, replaceChildren } from '../dom.js';
import type { Page, PageContext } from './page.js';
import { browserSnippet, bundlerSnippet, nodeSnippet, prometheusSnippet } from './setup-snippets.js';
import { testConnectionPanel } from './test-connection.js';

function step(title: string, text: string, ...content: HTMLElement[]): HTMLElement {
  return h('section', { class: 'setup-step' }, h('h2', null, title), h('p', null, text), ...content);
}

async function renderSetup(ctx: PageContext): Promise<void> {
  let config: PublicConfig;
  try {
    config = await apiGet<PublicConfig>('/config/public', undefined, ctx.signal);
  } catch (error) {
    if (!ctx.signal.aborted) replaceChildren(ctx.root, errorMessage(error, 'the collector configuration'));
    return;
  }
  if (ctx.signal.aborted) return;
  replaceChildren(
    ctx.root,
    h(
      'p',
      { class: 'lead' },
      'Put an agent on each side of your WebSockets. With both sides, Closewatch can tell a proxy timeout from a server restart from a tab that went to sleep.',
    ),
    step(
      '1. Browser',
      'Add this tag before your application’s scripts. It wraps window.WebSocket and reports one record per connection.',
      copyableCode('Browser snippet', browserSnippet(config), 'snippet-browser'),
      h('p', null, 'Using a bundler instead:'),
      copyableCode('Bundler code', bundlerSnippet(config), 'snippet-bundler'),
    ),
    step(
      '2. Node server (ws)',
      'Start your server with the agent preloaded; it instruments the ws package.',
      copyableCode('Node command', nodeSnippet(config), 'snippet-node'),
    ),
    step(
      '3. Prometheus',
      'Scrape the collector for closewatch_ws_closes_total and friends.',
      copyableCode('Prometheus scrape config', prometheusSnippet(config), 'snippet-prometheus'),
    ),
    testConnectionPanel(config, ctx.signal),
  );
}

export const setupPage: Page = { title: 'Setup', refreshable: false, filtered: false, render: renderSetup };
