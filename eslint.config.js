// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'generated/**',
      '**/generated/**',
      '**/.turbo/**',
      // Typed literals checked against generated output by packages/cli/test/crd-corpus.test.ts.
      'packages/cli/test/corpus/examples/**',
      // bench:client inputs, type-checked by scripts/bench/client.js (a type error fails it)
      // against generated output that may not exist when the linter runs.
      'scripts/bench/client-consumer/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    // Tests, examples, scripts and CLI entry points may print; library code never does.
    files: [
      '**/test/**',
      '**/examples/**',
      'scripts/**',
      '**/*.config.*',
      'packages/cli/src/**',
      'packages/testkit/src/bin/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    // What a CLI run loads. AsyncLocalStorage (Node 20) turns on promise hooks for the whole
    // process: every promise after it costs more (~10 ms of a warm fetch at 1,000 CRDs).
    files: [
      'packages/cli/src/**',
      'packages/openapi/src/**',
      'packages/cluster/src/**',
      'packages/proxy-url/src/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:async_hooks', 'async_hooks'].map((name) => ({
            name,
            message:
              'promise hooks slow every later promise of a CLI run: pass what the call chain needs explicitly',
          })),
        },
      ],
    },
  },
  {
    // Plain JS here is Node.js scripts (benches, demo, examples, bins, test fixtures).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
)
