import type { PublicConfig } from '../api/types.js';

/** The copy-paste snippets of the Setup page, built from the collector's own public config. */

function attribute(name: string, value: string): string {
  return ` ${name}="${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`;
}

export function browserSnippet(config: PublicConfig): string {
  const key = config.browserKey ? attribute('data-key', config.browserKey) : '';
  return `<script src="${config.agentUrl}"${attribute('data-endpoint', config.publicUrl)}${key} data-service="my-web-app"></script>`;
}

export function bundlerSnippet(config: PublicConfig): string {
  const key = config.browserKey ? `, key: ${JSON.stringify(config.browserKey)}` : '';
  return `import { init } from '@closewatch/agent-browser';\n\ninit({ endpoint: ${JSON.stringify(config.publicUrl)}${key}, service: 'my-web-app' });`;
}

export function nodeSnippet(config: PublicConfig): string {
  const header = config.ingestKeyRequired && config.browserKey ? ` OTEL_EXPORTER_OTLP_HEADERS=x-closewatch-key=${config.browserKey}` : '';
  return `npm install @closewatch/agent-node\nCLOSEWATCH_ENDPOINT=${config.publicUrl}${header} OTEL_SERVICE_NAME=my-ws-server \\\n  node --import @closewatch/agent-node/register server.js`;
}

export function prometheusSnippet(config: PublicConfig): string {
  let target = config.publicUrl;
  let scheme = 'http';
  try {
    const url = new URL(config.publicUrl);
    target = url.host;
    scheme = url.protocol.replace(':', '');
  } catch {
    // keep the configured text as it is
  }
  return `scrape_configs:\n  - job_name: closewatch\n    scheme: ${scheme}\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${target}']`;
}
