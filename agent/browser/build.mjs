// Bundles the snippet served at /agent.js: one minified IIFE with @closewatch/conventions tree-shaken in.
// esbuild bundles and shortens the agent's internal members; terser then compresses harder than esbuild
// can (inlining single-use functions and constants), which the 3 KB min+gzip budget needs.
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { minify } from 'terser';

const bundled = await build({
  entryPoints: [new URL('./src/snippet.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
  // Members whose names end in `_` are the agent's own (never DOM, OTLP or public API names).
  mangleProps: /_$/,
  write: false,
  logLevel: 'warning',
});

const minified = await minify(bundled.outputFiles[0].text, {
  ecma: 2020,
  toplevel: true,
  compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
  format: { comments: false },
});

writeFileSync(new URL('./dist/closewatch.iife.js', import.meta.url), minified.code);
