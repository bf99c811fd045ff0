import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedAccept } from '../src/accept-key.js';
import { dechunk } from '../src/chunked-body.js';
import { decodeClosePayload, encodeClientFrame, encodeClosePayload, OPCODE, readFrame } from '../src/frame-codec.js';
import { parseResponseHead } from '../src/response-head.js';

test('Sec-WebSocket-Accept for the RFC 6455 sample key', () => {
  assert.equal(expectedAccept('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('client frames are masked and decode back to their payload, for 7-, 16- and 64-bit lengths', () => {
  for (const size of [0, 125, 126, 65_535, 65_536]) {
    const payload = Buffer.alloc(size, 0x61);
    const wire = encodeClientFrame(OPCODE.binary, payload);
    assert.equal(wire[1] & 0x80, 0x80, 'mask bit set');
    const read = readFrame(wire);
    assert.ok('frame' in read, `size ${size} decodes`);
    assert.equal(read.bytesUsed, wire.length);
    assert.equal(read.frame.opcode, OPCODE.binary);
    assert.ok(read.frame.fin);
    assert.ok(read.frame.payload.equals(payload));
  }
});

test('a frame split across reads is incomplete until its last byte arrives', () => {
  const wire = encodeClientFrame(OPCODE.text, Buffer.from('hello'));
  for (let cut = 0; cut < wire.length; cut++) assert.ok('incomplete' in readFrame(wire.subarray(0, cut)), `cut at ${cut}`);
  assert.ok('frame' in readFrame(wire));
});

test('close payloads carry code and reason; an empty one means 1005', () => {
  assert.deepEqual(decodeClosePayload(encodeClosePayload(4001, 'session expired')), { code: 4001, reason: 'session expired' });
  assert.deepEqual(decodeClosePayload(Buffer.alloc(0)), { code: 1005, reason: '' });
});

test('RSV2/RSV3 without a negotiated extension is a protocol error', () => {
  const frame = Buffer.from([0x80 | 0x20 | OPCODE.text, 0]);
  assert.ok('error' in readFrame(frame));
});

test('the response head parser waits for the blank line, then splits status, headers and the rest', () => {
  const bytes = Buffer.from('HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\nX-A: b\r\n\r\nnope!');
  assert.equal(parseResponseHead(bytes.subarray(0, 30)).state, 'incomplete');
  const parsed = parseResponseHead(bytes);
  assert.equal(parsed.state, 'complete');
  if (parsed.state !== 'complete') return;
  assert.equal(parsed.head.statusCode, 401);
  assert.equal(parsed.head.statusText, 'Unauthorized');
  assert.deepEqual(parsed.head.headers, [
    ['Content-Length', '5'],
    ['X-A', 'b'],
  ]);
  assert.equal(parsed.head.rest.toString(), 'nope!');
});

test('an answer that is not HTTP is recognised from its first bytes', () => {
  assert.equal(parseResponseHead(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')).state, 'invalid');
});

test('a chunked body decodes as far as its bytes go', () => {
  assert.deepEqual(dechunk(Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n')), { body: Buffer.from('hello world'), complete: true });
  assert.deepEqual(dechunk(Buffer.from('5\r\nhel')), { body: Buffer.from('hel'), complete: false });
});
