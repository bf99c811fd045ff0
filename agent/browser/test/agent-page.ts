// Serves a page with the built snippet on loopback and decodes what the snippet exported.
import { readFileSync } from 'node:fs';
import { completeBrowserAttributes, expandSnippetKeys } from '@closewatch/conventions';
import { serveStatic, type CleanupScope, type RecordedRequest, type RouteHandler, type StaticRoute, type StaticServer } from '@closewatch/test/harness';

export const snippetPath = new URL('../dist/closewatch.iife.js', import.meta.url).pathname;

export interface AgentPageOptions {
  t?: CleanupScope;
  /** `data-*` attributes of the snippet's script tag; null serves the page without the agent. */
  agent?: Record<string, string> | null;
  /** Forward WebSocket upgrades on the page's origin to this loopback port. */
  upgradeTo?: number;
  /** Extra response headers of the page (e.g. Content-Security-Policy). */
  headers?: Record<string, string>;
  /** More routes on the page's server, e.g. a scripted collector on the same origin. */
  routes?: Record<string, StaticRoute | RouteHandler>;
}

function scriptTag(attributes: Record<string, string>): string {
  const data = Object.entries(attributes)
    .map(([name, value]) => ` data-${name}="${value}"`)
    .join('');
  return `<script src="/agent.js"${data}></script>`;
}

/** A page at `/` with the snippet before everything else (unless `agent` is null), `/native` without it, and `/other`. */
export function serveAgentPage({ t, agent = {}, upgradeTo, headers, routes = {} }: AgentPageOptions): Promise<StaticServer> {
  const head = agent === null ? '' : scriptTag(agent);
  return serveStatic(
    {
      '/': { body: `<!doctype html><html><head>${head}</head><body>closewatch test page</body></html>`, headers },
      '/native': { body: '<!doctype html><html><head></head><body>closewatch test page</body></html>', headers },
      '/other': { body: '<!doctype html><html><body>another page</body></html>' },
      '/agent.js': { body: readFileSync(snippetPath), type: 'text/javascript' },
      ...routes,
    },
    { t, upgradeTo },
  );
}

export type PlainAttributes = Record<string, unknown>;

export interface ExportedSpan {
  path: string;
  traceId: string;
  spanId: string;
  /** Set on `websocket.snapshot` spans: the connection span's id. */
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** As the collector reads them: under docs/design.md's keys, completed (conventions' completeBrowserAttributes). */
  attributes: PlainAttributes;
  /** The attribute keys as they were on the wire. */
  wireKeys: string[];
  events: Array<{ name: string; timeUnixNano: string; attributes: PlainAttributes }>;
  resource: PlainAttributes;
  scope: { name: string; version: string };
}

export interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}

/** A span as the snippet sends it: attributes and events' attributes still OTLP key/value lists. */
type WireSpan = Omit<ExportedSpan, 'path' | 'attributes' | 'wireKeys' | 'events' | 'resource' | 'scope'> & {
  attributes?: OtlpKeyValue[];
  events?: Array<{ name: string; timeUnixNano: string; attributes?: OtlpKeyValue[] }>;
};

/** An OTLP/JSON export request body as the snippet sends it. */
interface OtlpRequestBody {
  resourceSpans: Array<{
    resource: { attributes?: OtlpKeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: WireSpan[] }>;
  }>;
}

function plainValue(value: Record<string, unknown>): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  const array = value.arrayValue as { values?: Array<Record<string, unknown>> };
  return (array.values ?? []).map(plainValue);
}

export function plainAttributes(list: OtlpKeyValue[] = []): PlainAttributes {
  return Object.fromEntries(list.map(({ key, value }) => [key, plainValue(value)]));
}

/** Every span in the recorded OTLP/JSON requests (traces and beacons), flattened. */
export function exportedSpans(requests: RecordedRequest[]): ExportedSpan[] {
  const spans: ExportedSpan[] = [];
  for (const request of requests) {
    const body = JSON.parse(request.body.toString('utf8')) as OtlpRequestBody;
    for (const resourceSpans of body.resourceSpans) {
      const resource = plainAttributes(resourceSpans.resource.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) {
          spans.push({
            ...span,
            path: request.path,
            attributes: completeBrowserAttributes(plainAttributes(span.attributes)),
            wireKeys: (span.attributes ?? []).map(({ key }) => key),
            events: (span.events ?? []).map((event) => ({
              ...event,
              attributes: expandSnippetKeys(plainAttributes(event.attributes)),
            })),
            resource,
            scope: scopeSpans.scope,
          });
        }
      }
    }
  }
  return spans;
}
