import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// The browser agent bundles these into a ≤3.5 KB gzip snippet; they must not pull in the taxonomy or classifier.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const BROWSER_ENTRIES = ['attributes.ts', 'url-scrub.ts', 'correlation.ts', 'route.ts', 'traceparent.ts', 'close-reason.ts', 'close-code-send.ts'];
const HEAVY = [/^causes\//, /^classify\//, /^close-codes\.ts$/, /^intermediaries\.ts$/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((match) => resolve(dirname(file), `${match[1]}.ts`));
}

test('no source file imports a node: module or anything outside the package', () => {
  for (const file of sourceFiles(SRC)) {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? '');
    for (const specifier of imports) assert.ok(specifier.startsWith('.'), `${relative(SRC, file)} imports ${specifier}`);
  }
});

test('the browser subset never reaches the taxonomy, close-code texts or the classifier', () => {
  const seen = new Set<string>();
  const queue = BROWSER_ENTRIES.map((name) => join(SRC, name));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...relativeImports(file));
  }
  const reached = [...seen].map((file) => relative(SRC, file));
  assert.ok(reached.includes('url-parts.ts'), 'the import walk found nothing');
  for (const file of reached) assert.ok(!HEAVY.some((pattern) => pattern.test(file)), `browser subset reaches ${file}`);
});

test('esbuild drops the taxonomy and classifier from a bundle of the browser subset', async () => {
  const entry = `import { scrubUrl, normalizeRoute, formatTraceparent, randomTraceId, randomSpanId, truncateCloseReason, isValidCloseCodeToSend, ATTR_CLOSE_CODE, CORRELATION_PARAM } from './index.ts';
    globalThis.out = [scrubUrl, normalizeRoute, formatTraceparent, randomTraceId, randomSpanId, truncateCloseReason, isValidCloseCodeToSend, ATTR_CLOSE_CODE, CORRELATION_PARAM];`;
  const result = await build({
    stdin: { contents: entry, resolveDir: SRC, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  assert.match(code, /REDACTED/);
  for (const text of ['Upgrade rejected', 'Abnormal Closure', 'proxy_read_timeout', 'fallback.unknown']) {
    assert.ok(!code.includes(text), `bundle contains "${text}"`);
  }
});
