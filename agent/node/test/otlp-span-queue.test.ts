import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { freePort, spawnNode, waitFor } from '@closewatch/test/harness';
import { OtlpHttpSender, USER_AGENT } from '../src/otlp/otlp-http-sender.js';
import { OtlpSpanQueue } from '../src/otlp/span-queue.js';
import { startReceiverProcess, type ReceivedPost } from './otlp-receiver-process.js';
import { decodeRequest, encodeResource, encodeScope, encodeSpan, spanNames, stringAttributes, testSpans } from './otlp-test-spans.js';

// The agent's own exporter (docs/design.md; issue #20) against a receiver in another process: batches,
// bounded queue, retries as the SDK's OTLP exporter does them, and what is left at process exit.

/** Waits that only bound a hang; nothing passes or fails on them. */
const ARRIVAL_MS = 30_000;
/** Timers may fire a little early against another process's clock. */
const CLOCK_SLACK_MS = 100;
/** A scheduled delay no test waits for: only a flush or a full batch sends. */
const NEVER_MS = 3_600_000;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const exitFixture = fileURLToPath(new URL('./fixtures/span-queue-exit.mjs', import.meta.url));

const SCOPE = encodeScope('@closewatch/agent-node', '0.1.0');

/** Every diag warning while the test runs. */
function captureWarnings(t: TestContext): string[] {
  const warnings: string[] = [];
  const record = (message: string) => void warnings.push(message);
  const ignore = () => undefined;
  diag.setLogger({ error: record, warn: record, info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  t.after(() => diag.disable());
  return warnings;
}

function queueTo(t: TestContext, url: string, options: Partial<ConstructorParameters<typeof OtlpSpanQueue>[0]> = {}): OtlpSpanQueue {
  const queue = new OtlpSpanQueue({
    resource: encodeResource({ 'service.name': 'queue-test' }),
    scope: SCOPE,
    sender: new OtlpHttpSender({ url, headers: { 'x-closewatch-key': 'secret' } }),
    scheduledDelayMillis: NEVER_MS,
    ...options,
  });
  t.after(() => queue.shutdown());
  return queue;
}

function names(posts: ReceivedPost[]): string[] {
  return posts.flatMap((post) => spanNames(post.body));
}

test('429 then 503 with Retry-After: each retry waits the collector’s delay, and the spans are accepted exactly once', async (t) => {
  // Delays the backoff alone (at most 1.2 s, then 1.8 s) could not produce: seconds, then an HTTP date.
  const receiver = await startReceiverProcess(t, {
    answers: [
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': 'date+3' } },
    ],
  });
  const queue = queueTo(t, receiver.tracesUrl);
  const spans = testSpans(5, 'retried');
  for (const span of spans) queue.add(encodeSpan(span));
  await queue.forceFlush();
  assert.deepEqual({ exported: queue.exported, failed: queue.failed, unsent: queue.unsent }, { exported: 5, failed: 0, unsent: 0 });

  const posts = await receiver.waitForPosts(3, ARRIVAL_MS);
  assert.deepEqual(
    posts.map((post) => post.status),
    [429, 503, 200],
    'no post after the accepted one',
  );
  assert.ok(posts[1].at - posts[0].at >= 2000 - CLOCK_SLACK_MS, `retried ${posts[1].at - posts[0].at} ms after Retry-After: 2`);
  // The HTTP date has whole seconds: 3 s after the answer lands more than 2 s after it.
  assert.ok(posts[2].at - posts[1].at >= 2000 - CLOCK_SLACK_MS, `retried ${posts[2].at - posts[1].at} ms after a Retry-After date 3 s ahead`);
  for (const post of posts) assert.deepEqual(post.body, posts[0].body, 'every attempt posts the same body');
  const accepted = posts.filter((post) => post.status === 200);
  assert.deepEqual(
    names(accepted),
    spans.map((span) => span.name),
  );
  const [post] = accepted;
  assert.equal(post.path, '/v1/traces');
  assert.equal(post.contentType, 'application/x-protobuf');
  assert.equal(post.ingestKey, 'secret');
  assert.equal(post.userAgent, USER_AGENT);
  assert.deepEqual(stringAttributes(decodeRequest(post.body).resourceSpans[0].resource?.attributes), [['service.name', 'queue-test']]);
});

test('a collector that keeps answering 503: six attempts (five retries), then the spans count as failed, with one warning per run of failures', async (t) => {
  const warnings = captureWarnings(t);
  const receiver = await startReceiverProcess(t, { then: { status: 503, headers: { 'retry-after': '0' } } });
  const queue = queueTo(t, receiver.tracesUrl);
  for (const span of testSpans(3)) queue.add(encodeSpan(span));
  await queue.forceFlush();
  assert.deepEqual({ exported: queue.exported, failed: queue.failed, unsent: queue.unsent }, { exported: 0, failed: 3, unsent: 0 });
  assert.equal((await receiver.waitForPosts(6, ARRIVAL_MS)).length, 6);

  for (const span of testSpans(2, 'second', 2)) queue.add(encodeSpan(span));
  await queue.forceFlush();
  assert.equal(queue.failed, 5);
  assert.equal((await receiver.waitForPosts(12, ARRIVAL_MS)).length, 12);
  assert.equal(warnings.length, 1, `one line for the run of failures, got ${JSON.stringify(warnings)}`);
  assert.match(warnings[0], /3 span\(s\) could not be exported after 6 attempts \(HTTP 503\)/);
});

test('a refusal that is not retryable (400) is final at once: one post, spans failed', async (t) => {
  const receiver = await startReceiverProcess(t, { then: { status: 400, body: 'bad' } });
  const queue = queueTo(t, receiver.tracesUrl);
  for (const span of testSpans(2)) queue.add(encodeSpan(span));
  await queue.forceFlush();
  assert.deepEqual({ exported: queue.exported, failed: queue.failed }, { exported: 0, failed: 2 });
  await receiver.waitForPosts(1, ARRIVAL_MS);
  assert.equal(receiver.posts().length, 1);
});

test('no collector listening: ECONNREFUSED is retried with the backoff until the export timeout, then the send reports the failure', async () => {
  const port = await freePort();
  // Jitter fixed at 0: retries 1 s then 1.5 s after; within a 1.5 s timeout only the first fits.
  const sender = new OtlpHttpSender({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMillis: 1500, random: () => 0.5 });
  // The waits between retries are unref'd; here nothing else would keep the process alive meanwhile.
  const keepAlive = setInterval(() => undefined, 1000);
  const result = await sender.send(new Uint8Array([1, 2, 3])).finally(() => clearInterval(keepAlive));
  sender.shutdown();
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.retryable, 'still retryable: the timeout ran out, not the answer');
  assert.ok(!result.ok && /ECONNREFUSED/.test(result.reason), `reason: ${!result.ok && result.reason}`);
  assert.equal(result.attempts, 2);
});

test('a full queue drops the spans that do not fit, counts them, and says so once', async (t) => {
  const warnings = captureWarnings(t);
  const receiver = await startReceiverProcess(t);
  // The fourth span fills a batch, which leaves at once; four more fill the queue again; two are dropped.
  const queue = queueTo(t, receiver.tracesUrl, { maxQueueSize: 4, maxExportBatchSize: 4 });
  const spans = testSpans(10, 'full');
  for (const span of spans) queue.add(encodeSpan(span));
  assert.equal(queue.dropped, 2);
  await queue.forceFlush();
  assert.equal(queue.exported, 8);
  const posts = await receiver.waitForPosts(2, ARRIVAL_MS);
  assert.deepEqual(
    names(posts),
    spans.slice(0, 8).map((span) => span.name),
  );
  assert.deepEqual(warnings, ['Closewatch: dropped 2 span(s) because the export queue was full (maxQueueSize 4)']);
});

test('forceFlush resolves once the send was answered; a full batch and the scheduled delay send without it', async (t) => {
  const receiver = await startReceiverProcess(t);
  const flushed = queueTo(t, receiver.tracesUrl);
  for (const span of testSpans(3, 'flushed')) flushed.add(encodeSpan(span));
  assert.equal(receiver.posts().length, 0);
  await flushed.forceFlush();
  assert.equal(flushed.exported, 3, 'the flush waited for the accepted send');

  const fullBatch = queueTo(t, receiver.tracesUrl, { maxExportBatchSize: 2 });
  for (const span of testSpans(2, 'batch', 2)) fullBatch.add(encodeSpan(span));
  await waitFor(() => fullBatch.exported === 2, { timeoutMs: ARRIVAL_MS, message: 'the full batch exported' });

  const scheduled = queueTo(t, receiver.tracesUrl, { scheduledDelayMillis: 200 });
  scheduled.add(encodeSpan(testSpans(1, 'scheduled', 3)[0]));
  await waitFor(() => scheduled.exported === 1, { timeoutMs: ARRIVAL_MS, message: 'the scheduled export' });

  const posts = await receiver.waitForPosts(3, ARRIVAL_MS);
  assert.deepEqual(names(posts), ['flushed-0', 'flushed-1', 'flushed-2', 'batch-0', 'batch-1', 'scheduled-0']);
});

test('OTEL_EXPORTER_OTLP_COMPRESSION=gzip: the body goes gzipped, and decodes', async (t) => {
  const receiver = await startReceiverProcess(t);
  const sender = OtlpHttpSender.forTarget({ url: receiver.tracesUrl, protocol: 'http/protobuf', headers: {} }, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' });
  const queue = new OtlpSpanQueue({ resource: new Uint8Array(0), scope: SCOPE, sender, scheduledDelayMillis: NEVER_MS });
  t.after(() => queue.shutdown());
  queue.add(encodeSpan(testSpans(1, 'zipped')[0]));
  await queue.forceFlush();
  const [post] = await receiver.waitForPosts(1, ARRIVAL_MS);
  assert.equal(post.contentEncoding, 'gzip');
  assert.deepEqual(spanNames(post.body), ['zipped-0']);
});

test('a resource still being detected: nothing leaves before it is known, then it goes with the spans', async (t) => {
  const receiver = await startReceiverProcess(t);
  let resolveResource: (bytes: Uint8Array) => void = () => undefined;
  const resource = new Promise<Uint8Array>((resolve) => (resolveResource = resolve));
  const queue = queueTo(t, receiver.tracesUrl, { resource });
  queue.add(encodeSpan(testSpans(1, 'detected')[0]));
  const flushing = queue.forceFlush();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(receiver.posts().length, 0);
  assert.equal(queue.exported, 0, 'waiting for the resource');
  resolveResource(encodeResource({ 'host.name': 'detected-host' }));
  await flushing;
  const [post] = await receiver.waitForPosts(1, ARRIVAL_MS);
  assert.deepEqual(stringAttributes(decodeRequest(post.body).resourceSpans[0].resource?.attributes), [['host.name', 'detected-host']]);
});

test('takeUnsentRequest hands over the spans being retried and those queued, once', async (t) => {
  const receiver = await startReceiverProcess(t, { answers: [{ status: 503, headers: { 'retry-after': '5' } }] });
  const queue = queueTo(t, receiver.tracesUrl, { maxExportBatchSize: 2 });
  for (const span of testSpans(2, 'in-flight')) queue.add(encodeSpan(span));
  await receiver.waitForPosts(1, ARRIVAL_MS);
  queue.add(encodeSpan(testSpans(1, 'queued', 2)[0]));
  assert.equal(queue.unsent, 3);
  const body = queue.takeUnsentRequest();
  assert.ok(body);
  assert.deepEqual(spanNames(body), ['in-flight-0', 'in-flight-1', 'queued-0']);
  assert.deepEqual(stringAttributes(decodeRequest(body).resourceSpans[0].resource?.attributes), [['service.name', 'queue-test']]);
  assert.equal(queue.unsent, 0);
  assert.equal(queue.takeUnsentRequest(), undefined);
});

test('in a child process: spans queued before SIGTERM arrive when the handler flushes the queue', async (t) => {
  const receiver = await startReceiverProcess(t);
  const child = spawnNode([exitFixture], { cwd: repoRoot, t, env: { RECEIVER_TRACES_URL: receiver.tracesUrl, SPANS: '4', EXIT_HOW: 'flush' } });
  await child.waitForOutput('queued 4', ARRIVAL_MS);
  assert.equal(receiver.posts().length, 0, 'nothing sent before the signal');
  child.kill('SIGTERM');
  const exit = await child.exited;
  assert.equal(exit.code, 0, child.stderr());
  assert.match(child.stdout(), /flushed exported=4 failed=0/);
  const posts = await receiver.waitForPosts(1, ARRIVAL_MS);
  assert.deepEqual(names(posts), ['early-0', 'early-1', 'early-2', 'early-3']);
});

test('in a child process: at process.exit() the exit hook posts the spans being retried and those queued, in one body', async (t) => {
  const receiver = await startReceiverProcess(t, { answers: [{ status: 503, headers: { 'retry-after': '8' } }] });
  const child = spawnNode([exitFixture], {
    cwd: repoRoot,
    t,
    env: { RECEIVER_TRACES_URL: receiver.tracesUrl, SPANS: '2', BATCH: '2', LATE: '1', EXIT_HOW: 'exit' },
  });
  await child.waitForOutput('queued 3', ARRIVAL_MS);
  await receiver.waitForPosts(1, ARRIVAL_MS);
  child.kill('SIGTERM');
  const exit = await child.exited;
  assert.equal(exit.code, 0, child.stderr());
  assert.match(child.stdout(), /exit send accepted/);
  const posts = await receiver.waitForPosts(2, ARRIVAL_MS);
  assert.deepEqual(
    posts.map((post) => post.status),
    [503, 200],
  );
  assert.deepEqual(names(posts.slice(1)), ['early-0', 'early-1', 'late-0']);
});
