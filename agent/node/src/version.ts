import { createRequire } from 'node:module';

// package.json sits one level above both src/ (tsx) and dist/ (built).
const manifest = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** Instrumentation scope name: the package name (docs/design.md). */
export const PACKAGE_NAME: string = manifest.name;
/** Instrumentation scope version: the package version. */
export const PACKAGE_VERSION: string = manifest.version;
