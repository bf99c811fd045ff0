// Bundles the dashboard into dist/{index.html,prefetch.js,app.js,app.css} (hash-free names; the collector serves them with no-cache).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const root = new URL('.', import.meta.url).pathname;
const dist = `${root}dist`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { app: `${root}src/main.ts`, 'app-style': `${root}src/styles/app.css` },
  outdir: dist,
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  entryNames: '[name]',
});
// Classic (non-module) script that runs before the bundle and starts the first page's API calls.
await build({
  entryPoints: { prefetch: `${root}src/prefetch.ts` },
  outdir: dist,
  bundle: true,
  format: 'iife',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(`${dist}/app-style.css`, `${dist}/app.css`);
rmSync(`${dist}/app-style.css`);
copyFileSync(`${root}src/index.html`, `${dist}/index.html`);
