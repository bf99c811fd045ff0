import assert from 'node:assert/strict';
import { test } from 'node:test';
import { otlpProtocol, tracesUrl } from '../src/otlp-exporter.js';
import { payloadSize } from '../src/payload-size.js';
import { statusFromResponseStart } from '../src/status-line.js';

test('the status of an upgrade answer is read from its first bytes, string or Buffer', () => {
  assert.equal(statusFromResponseStart('HTTP/1.1 401 Unauthorized\r\n\r\n'), 401);
  assert.equal(statusFromResponseStart(Buffer.from('HTTP/1.1 101 Switching Protocols\r\n')), 101);
  assert.equal(statusFromResponseStart(Buffer.from('HTTP/1.0 503 x')), 503);
  assert.equal(statusFromResponseStart('hello'), 0);
  assert.equal(statusFromResponseStart(undefined), 0);
});

test('message sizes count UTF-8 bytes, buffers, array buffers and fragment lists', () => {
  assert.equal(payloadSize('héllo'), 6);
  assert.equal(payloadSize(Buffer.alloc(7)), 7);
  assert.equal(payloadSize(new ArrayBuffer(3)), 3);
  assert.equal(payloadSize([Buffer.alloc(2), Buffer.alloc(5)]), 7);
  assert.equal(payloadSize(undefined), 0);
});

test('CLOSEWATCH_ENDPOINT wins, then the OTEL endpoint variables, then the local collector', () => {
  assert.equal(tracesUrl({ CLOSEWATCH_ENDPOINT: 'http://collector:4318/' }), 'http://collector:4318/v1/traces');
  assert.equal(
    tracesUrl({ CLOSEWATCH_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' }),
    'http://collector:4318/v1/traces',
  );
  assert.equal(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' }), undefined, 'left to the exporter, which appends /v1/traces itself');
  assert.equal(tracesUrl({}), 'http://127.0.0.1:4318/v1/traces');
});

test('the OTLP protocol: http/protobuf unless http/json is asked for', () => {
  assert.equal(otlpProtocol({}), 'http/protobuf');
  assert.equal(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), 'http/json');
  assert.equal(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }), 'http/protobuf');
});
