// ESLint flat config: `npm run lint`. Formatting is Prettier's job (`npm run
// format:check`); nothing here is about layout.
//
// - ts/ (the published library) is linted with type information
//   (typescript-eslint's recommendedTypeChecked): the API is Promise-based
//   throughout, and a floating or misused Promise is the bug class worth a
//   type-aware pass.
// - __test__/, vitest.config.ts: typescript-eslint's recommended rules
//   without type information (they are not in tsconfig.json's project).
// - bench/, examples/, scripts/ (.mjs): ESLint's recommended rules with Node
//   globals; their types are checked by `npm run typecheck` (tsconfig.check.json).
// - The layers of docs/architecture.md ("What each layer may import") as
//   no-restricted-imports rules, one set per layer.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `_name` marks a value left out on purpose (destructured away, an unused parameter).
const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }];

// What each TypeScript layer must not import (docs/architecture.md).
const CLI = ['**/cli/**', '**/cli.js', '**/demo.js'];
const STUDY = ['**/study/**'];
const MODELS = ['**/space.js', '**/svc.js', '**/model_selection/**', '**/bayes/**', '**/genetic/**'];
const INTEROP = ['**/interop/**'];
const layer = (files, forbidden, why) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message: `${why} (docs/architecture.md, "What each layer may import").` }] }] },
});

export default defineConfig(
  {
    ignores: ['dist/', 'native/', 'target/', 'docs/api/', 'npm/', 'node_modules/', 'bench/.venv/', '**/*.d.ts', '**/*.d.cts'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    // The dashboard page: plain browser scripts (no modules, no build step), ECharts as a global.
    files: ['assets/dashboard/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, echarts: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: { '@typescript-eslint/no-unused-vars': unusedVars },
  },
  {
    files: ['ts/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Matters of taste, off so that the code as written passes:
      // - methods are async for a uniform Promise interface (storages, samplers)
      //   even where one implementation has nothing to await;
      '@typescript-eslint/require-await': 'off',
      // - untyped data (JSON, YAML, database rows, native results) is checked
      //   by hand where it enters, not by typing every intermediate value;
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // - error messages interpolate user values of unknown type on purpose.
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['__test__/**/*.ts'],
    rules: {
      // Tests poke at wrong inputs on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  layer(
    ['ts/errors.ts', 'ts/checks.ts', 'ts/matrix.ts', 'ts/labels.ts', 'ts/seed.ts', 'ts/native.ts', 'ts/csv.ts', 'ts/table.ts', 'ts/concurrency.ts', 'ts/datasets.ts', 'ts/datasets_api.ts'],
    [...MODELS, ...STUDY, ...INTEROP, ...CLI],
    'the base files import only each other and native.ts',
  ),
  layer(
    ['ts/space.ts', 'ts/svc.ts', 'ts/model_selection/**/*.ts', 'ts/bayes/**/*.ts', 'ts/genetic/**/*.ts'],
    [...STUDY, ...INTEROP, ...CLI],
    'the estimators and searches never import the study runtime or the CLI',
  ),
  layer(['ts/study/**/*.ts'], ['**/model_selection/**', ...INTEROP, ...CLI], 'the study runtime never imports the scikit-learn searches, the Optuna interop or the CLI'),
  layer(
    ['ts/interop/**/*.ts'],
    ['**/model_selection/**', '**/bayes/**', '**/genetic/**', ...CLI],
    'the Optuna interop imports the base files, space.ts and the study runtime (types, distributions, storages) only',
  ),
  layer(
    ['ts/plots/**/*.ts'],
    [
      '**/space.js',
      '**/svc.js',
      '**/model_selection/**',
      '**/bayes/**',
      '**/genetic/**',
      '**/storage/**',
      '**/samplers/**',
      '**/pruners/**',
      ...INTEROP,
      ...CLI,
      '**/dashboard/**',
      '**/report/**',
      '**/importance/**',
    ],
    'the plots import the base files and the study runtime types (types.ts, constraints.ts) only',
  ),
  layer(
    ['ts/report/**/*.ts'],
    ['**/model_selection/**', '**/bayes/**', '**/genetic/**', ...INTEROP, ...CLI, '**/dashboard/**'],
    'the report imports the base files, the study runtime, ts/plots and ts/importance only',
  ),
  layer(
    ['ts/dashboard/**/*.ts'],
    ['**/model_selection/**', '**/bayes/**', '**/genetic/**', ...INTEROP, ...CLI, '**/report/**'],
    'the dashboard imports the base files, the study runtime, ts/plots and ts/importance only',
  ),
  layer(
    ['ts/importance/**/*.ts'],
    ['**/svc.js', '**/model_selection/**', '**/bayes/**', '**/genetic/**', '**/storage/**', '**/pruners/**', ...INTEROP, ...CLI, '**/plots/**', '**/dashboard/**', '**/report/**'],
    'parameter importance imports the base files, space.ts and the study runtime (types, distributions, the intersection space) only',
  ),
);
