// Installing the probe alone must pull nothing but the wire contract: no database bindings, no web server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const packageDir = new URL('../', import.meta.url);

test('@closewatch/probe depends on @closewatch/conventions alone, which depends on nothing', () => {
  const probe = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as { dependencies?: Record<string, string> };
  assert.deepEqual(Object.keys(probe.dependencies ?? {}), ['@closewatch/conventions']);
  const conventions = JSON.parse(readFileSync(new URL('../agent/conventions/package.json', packageDir), 'utf8')) as { dependencies?: Record<string, string> };
  assert.deepEqual(Object.keys(conventions.dependencies ?? {}), []);
});

test('every module of the probe imports only node: built-ins, its own files and @closewatch/conventions', () => {
  const srcDir = new URL('src/', packageDir);
  const foreign: string[] = [];
  for (const name of readdirSync(srcDir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(new URL(name, srcDir), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
      if (!specifier.startsWith('node:') && !specifier.startsWith('./') && specifier !== '@closewatch/conventions') foreign.push(`${name}: ${specifier}`);
    }
  }
  assert.deepEqual(foreign, []);
});
