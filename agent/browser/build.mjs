// Bundles the snippet served at /agent.js: one minified IIFE with @closewatch/conventions tree-shaken in.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/snippet.ts', import.meta.url).pathname],
  outfile: new URL('./dist/closewatch.iife.js', import.meta.url).pathname,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
  // Members only the agent's own modules use (never DOM, OTLP or public API names), shortened to fit the budget.
  mangleProps: /^(nativeArgs|correlation|requestedUrl|attach|countSent|closeCalled|flushOnLeave)$/,
  logLevel: 'warning',
});
