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
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `_name` marks a value left out on purpose (destructured away, an unused parameter).
const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }];

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
);
