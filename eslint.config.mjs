// ESLint (flat config): the import boundaries of the monorepo and the promises nobody awaited.
// Formatting is Prettier's (.prettierrc); both run in `npm test` before jest.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const apps = ['server', 'worker', 'cli', 'dashboard'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/.data/**',
      'bench/results/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'apps/dashboard/vite.config.mts',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    // tsconfig's paths (@journeyline/*) resolve as the compiler resolves them
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx'],
    },
    rules: {
      // A promise nobody awaits fails silently: await it, return it, or say `void` on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // An app imports only libs; a lib never imports an app; the benchmarks start apps, never import them.
      // The libs form a graph without cycles (journey at the bottom, platform at the top).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...apps.map((app) => ({
              target: `./apps/${app}`,
              from: apps.filter((other) => other !== app).map((other) => `./apps/${other}`),
              message: 'an app never imports another app: move the shared code into a lib (libs/platform for wiring)',
            })),
            { target: './libs', from: './apps', message: 'a lib never imports an app' },
            { target: './bench', from: './apps', message: 'a benchmark starts an app as a process (dist/apps/*/src/main.js), never imports it' },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure TypeScript: no framework, no I/O, no other lib.
    files: ['libs/journey/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', '@journeyline/*', 'node:*', 'fs', 'path', 'pg', 'better-sqlite3', 'kafkajs', 'luxon'],
              message: 'libs/journey is pure: no framework, no I/O, no other lib (see its README)',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
