import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { buildSchema } from 'graphql';
import { CloseCode, createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { closeDetail, type CloseDetail } from './support/collector-api.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';
import { waitForOnlyClose } from './support/socket-io-apps.js';

const schema = buildSchema('type Query { hello: String }');

interface GraphqlServerOptions {
  connectionInitWaitTimeout?: number;
  /** Refuses connection parameters without this token by closing with 4401 Unauthorized. */
  requiredToken?: string;
}

/** A graphql-ws 6 server on a ws WebSocketServer (graphql-ws's own `useServer`), closed after the test. */
async function startGraphqlServer(t: TestContext, options: GraphqlServerOptions): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/graphql' });
  const server = useServer(
    {
      schema,
      roots: { query: { hello: () => 'world' } },
      connectionInitWaitTimeout: options.connectionInitWaitTimeout,
      onConnect(ctx) {
        if (options.requiredToken !== undefined && ctx.connectionParams?.token !== options.requiredToken) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        }
      },
    },
    wss,
  );
  await new Promise((resolve) => wss.once('listening', resolve));
  t.after(() => server.dispose());
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/graphql`;
}

/** A graphql-ws client on ws in this process (the agent's client instrumentation records it), never retrying. */
function graphqlClient(t: TestContext, url: string, connectionParams: () => unknown): Client {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: connectionParams as never, retryAttempts: 0, lazy: true });
  t.after(() => client.dispose());
  return client;
}

/** Runs `{ hello }` once; resolves with the data or the error/close event that ended it. */
function query(client: Client): Promise<{ data?: unknown; error?: unknown }> {
  return new Promise((resolve) => {
    let data: unknown;
    client.subscribe(
      { query: '{ hello }' },
      { next: (result) => (data = result.data), error: (error) => resolve({ error }), complete: () => resolve({ data }) },
    );
  });
}

async function scenario(t: TestContext, options: GraphqlServerOptions) {
  const collector = await startPipelineCollector(t, { joinWindowMs: 15_000 });
  startInProcessAgent(t, collector.url, 'graphql-api');
  const url = await startGraphqlServer(t, options);
  return { collectorUrl: collector.url, url };
}

const evidenceOf = (detail: CloseDetail) => detail.outcome?.evidence.join('\n') ?? '';

test('graphql-ws: 4401 at init is a refusal at connect, named as graphql-ws names it', async (t) => {
  const { collectorUrl, url } = await scenario(t, { requiredToken: 'letmein' });
  const { error } = await query(graphqlClient(t, url, () => ({ token: 'expired' })));
  assert.equal((error as { code?: number }).code, 4401);
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assert.equal(detail.server?.attributes['websocket.subprotocol'], 'graphql-transport-ws');
  assert.equal(detail.outcome?.code, 4401);
  assert.equal(detail.outcome?.cause, 'app_connect_rejected');
  assert.equal(detail.outcome?.appProtocol, 'graphql-ws');
  assert.equal(detail.outcome?.appReason, '4401 Unauthorized');
  assert.match(evidenceOf(detail), /In graphql-ws, 4401 Unauthorized/);
  const api = (await closeDetail(collectorUrl, detail.id)) as CloseDetail & { appCloseCode: { protocol: string; name: string } | null };
  assert.deepEqual([api.appCloseCode?.protocol, api.appCloseCode?.name], ['graphql-ws', 'Unauthorized']);
});

test('graphql-ws: a client too slow to send ConnectionInit gets 4408, app_init_timeout', async (t) => {
  const { collectorUrl, url } = await scenario(t, { connectionInitWaitTimeout: 300 });
  // connectionParams that never resolve: a token fetch that hangs, so ConnectionInit is never sent.
  const { error } = await query(graphqlClient(t, url, () => new Promise(() => undefined)));
  assert.equal((error as { code?: number }).code, 4408);
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assert.equal(detail.outcome?.cause, 'app_init_timeout');
  assert.equal(detail.outcome?.appReason, '4408 Connection Initialisation Timeout');
  assert.match(evidenceOf(detail), /connectionInitWaitTimeout/);
});

test('graphql-ws: a query that completes closes the lazy client cleanly, normal_closure', async (t) => {
  const { collectorUrl, url } = await scenario(t, {});
  const { data, error } = await query(graphqlClient(t, url, () => ({})));
  assert.equal(error, undefined);
  assert.deepEqual(data, { hello: 'world' });
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assert.equal(detail.outcome?.cause, 'normal_closure');
  assert.equal(detail.outcome?.code, 1000);
  assert.equal(detail.outcome?.appProtocol, 'graphql-ws');
  assert.equal(detail.outcome?.appReason, null);
  assert.equal(detail.client?.attributes['websocket.close.initiator'], 'client');
});
