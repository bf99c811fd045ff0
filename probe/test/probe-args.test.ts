import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProbeArgs } from '../src/args.js';
import { probe } from './probe-run.js';

const USAGE_ERRORS: Array<[args: string[], message: RegExp]> = [
  [[], /missing <ws-url>/],
  [['ws://a', 'ws://b'], /expected one <ws-url>, got 2/],
  [['ftp://example.com/'], /<ws-url> must be ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
  [['not a url'], /<ws-url> is not a URL/],
  [['ws://a', '--bogus'], /unknown option --bogus/],
  [['ws://a', '--hold', 'soon'], /--hold must be a positive duration/],
  [['ws://a', '--hold', '0s'], /--hold must be a positive duration/],
  [['ws://a', '--hold', '48h'], /--hold must be at most 24h/],
  [['ws://a', '--timeout', '-1'], /--timeout/],
  [['ws://a', '--ping', '1s'], /--ping needs --hold/],
  [['ws://a', '--header', 'no colon here'], /--header must look like 'Name: value'/],
  [['ws://a', '--header', 'Sec-WebSocket-Key: abc'], /--header Sec-WebSocket-Key is set by the probe itself/],
  [['ws://a', '--protocol', 'two words'], /--protocol must be a token/],
  [['ws://a', '--protocol', 'chat', '--protocol', 'chat'], /--protocol chat is given twice/],
  [['ws://a', '--origin', 'app.example'], /--origin must be an origin like https:\/\/app\.example\.com/],
  [['ws://a', '--origin'], /--origin needs a value/],
];

for (const [args, message] of USAGE_ERRORS) {
  test(`usage error for ${JSON.stringify(args)}: exit 2, the message names the problem`, async () => {
    const { code, stdout, stderr } = await probe(args);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, message);
    assert.match(stderr, /^closewatch probe: /);
  });
}

test('--help prints the usage with every option and the exit codes, exit 0', async () => {
  const { code, stdout } = await probe(['--help']);
  assert.equal(code, 0);
  for (const flag of ['--origin', '--protocol', '--header', '--cookie', '--timeout', '--insecure', '--hold', '--ping', '--json']) {
    assert.ok(stdout.includes(flag), `usage mentions ${flag}`);
  }
  assert.match(stdout, /Exit codes: 0 .* 1 .* 2 usage error/);
});

test("defaults: the endpoint's own origin, 10 s timeout, no hold, no pings", () => {
  const parsed = parseProbeArgs(['wss://api.example.com:8443/socket?room=1#frag']);
  assert.equal(parsed.help, false);
  if (parsed.help) return;
  const { options } = parsed;
  assert.equal(options.url.href, 'wss://api.example.com:8443/socket?room=1');
  assert.equal(options.origin, 'https://api.example.com:8443');
  assert.equal(options.timeoutMs, 10_000);
  assert.equal(options.holdMs, null);
  assert.equal(options.pingIntervalMs, null);
  assert.equal(options.insecure, false);
  assert.equal(options.json, false);
});

test('http(s) URLs are mapped to ws(s) as browsers do; durations take ms, s, m, h and bare seconds', () => {
  const parsed = parseProbeArgs([
    'https://example.com/ws',
    '--hold',
    '1.5m',
    '--ping',
    '25',
    '--timeout',
    '750ms',
    '--header',
    'X-A: 1',
    '--header',
    'X-B: two words',
  ]);
  assert.equal(parsed.help, false);
  if (parsed.help) return;
  assert.equal(parsed.options.url.protocol, 'wss:');
  assert.equal(parsed.options.holdMs, 90_000);
  assert.equal(parsed.options.pingIntervalMs, 25_000);
  assert.equal(parsed.options.timeoutMs, 750);
  assert.deepEqual(parsed.options.headers, [
    ['X-A', '1'],
    ['X-B', 'two words'],
  ]);
});
