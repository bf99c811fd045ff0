// ESLint for the whole repository (docs/design.md, Decisions: lint and format). TypeScript files are
// linted with type information from each package's tsconfig.check.json, the same projects `tsc` checks.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typeCheckedProjects = [
  './agent/conventions/tsconfig.check.json',
  './agent/browser/tsconfig.check.json',
  './agent/node/tsconfig.check.json',
  './probe/tsconfig.check.json',
  './collector/tsconfig.check.json',
  './dashboard/tsconfig.check.json',
  './test/tsconfig.json',
];

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', '**/.turbo/', '**/.closewatch/', '**/coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: { project: typeCheckedProjects, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // A leading underscore marks a parameter a signature needs (Express tells error handlers by their four
      // parameters) or a property a rest pattern leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
    },
  },
  {
    // The agents' patches hand `arguments` to the original as the app passed it (docs/design.md: agents never
    // change the app's behaviour); rest parameters would also change the patched functions' length.
    files: ['agent/node/src/**', 'agent/browser/src/**'],
    rules: { 'prefer-rest-params': 'off' },
  },
  {
    files: ['agent/browser/src/**', 'agent/browser/test/pages/**', 'dashboard/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // CommonJS files (a .cjs fixture app, the .cts `--require` entry) load modules with require() by design.
    files: ['**/*.cjs', '**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
