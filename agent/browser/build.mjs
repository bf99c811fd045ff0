// Bundles the snippet served at /agent.js: one minified IIFE with @closewatch/conventions tree-shaken in.
// The snippet's budget is 3.5 KB min+gzip (test/bundle.test.ts); what this file does beyond bundling is for it.
import { readFile, writeFile } from 'node:fs/promises';
import * as conventions from '@closewatch/conventions';
import { build } from 'esbuild';
import { gzipAsync } from '@gfx/zopfli';
import { minify } from 'terser';

const IMPORT_FROM_CONVENTIONS = /^import[^;]*from '@closewatch\/conventions';$/gm;

/**
 * Writes conventions' string constants (attribute keys, event names) into the agent's code as literals:
 * esbuild keeps each as a shared variable, and `{ [ATTR_X]: value }` then costs ~190 B more gzip than
 * `{ 'websocket.x': value }`. Attribute keys become the snippet's short wire keys (conventions'
 * SNIPPET_KEYS, which the collector expands on ingest); the ESM package keeps the full keys of docs/design.md.
 * The values are read from conventions itself, so they stay the contract's.
 */
const inlineConventions = {
  name: 'inline-conventions',
  setup(build) {
    build.onLoad({ filter: /[/\\]src[/\\][^/\\]+\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const imports = source.match(IMPORT_FROM_CONVENTIONS) ?? [];
      const code = source.replace(IMPORT_FROM_CONVENTIONS, '').replace(/\b[A-Z][A-Z0-9_]+\b/g, (name) => {
        const value = name.startsWith('ATTR_') ? (conventions.SNIPPET_KEYS[conventions[name]] ?? conventions[name]) : conventions[name];
        return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(fewestSubstrings(value)) : name;
      });
      return { loader: 'ts', contents: imports.join('\n') + code };
    });
  },
};

/** A word list for substring matching without the words that contain another one: they match nothing more. */
function fewestSubstrings(words) {
  return words.filter((word) => !words.some((other) => other !== word && word.includes(other)));
}

const bundled = await build({
  entryPoints: [new URL('./src/snippet.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
  // Members whose names end in `_` are the agent's own (never DOM, OTLP or public API names).
  mangleProps: /_$/,
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  plugins: [inlineConventions],
  write: false,
  logLevel: 'warning',
});

// terser compresses harder than esbuild (inlining single-use functions and constants).
const minified = await minify(bundled.outputFiles[0].text, {
  ecma: 2020,
  toplevel: true,
  compress: { passes: 4, unsafe: true, unsafe_arrows: true, unsafe_comps: true, pure_getters: true, sequences: false },
  format: { comments: false },
});

await writeFile(new URL('./dist/closewatch.iife.js', import.meta.url), minified.code);
// What pages download: the collector serves this gzip stream to every browser (Content-Encoding: gzip).
// Zopfli finds a smaller deflate encoding than zlib's level 9 (~1.5% here) for the same bytes.
const gzipped = await gzipAsync(Buffer.from(minified.code), { numiterations: 15 });
await writeFile(new URL('./dist/closewatch.iife.js.gz', import.meta.url), gzipped);
