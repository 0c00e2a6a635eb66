// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Libraries the core (domain and services) must not see: they belong in adapters. */
export const ADAPTER_LIBRARIES = ['typeorm', 'better-sqlite3', 'pg', '@langchain/*', 'langchain', 'langchain/*', 'cache-manager', '@nestjs/cache-manager', 'keyv', '@keyv/*', 'cacheable', 'express', 'openid-client'];

const focusedTests = ['describe', 'it', 'test'].map((object) => ({ object, property: 'only', message: 'Focused tests must not be committed.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'client/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always'],
      'no-restricted-properties': ['error', ...focusedTests],
    },
  },
  {
    files: ['src/**/domain/**/*.ts', 'src/**/*.service.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ADAPTER_LIBRARIES, message: 'The core speaks to ports; this library belongs in an adapter.' }] },
      ],
    },
  },
  {
    // Input the validator passes must be input the stores take: these let through values they refuse.
    files: ['src/**/*.dto.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'class-validator', importNames: ['IsInt', 'IsNumber'], message: 'Use IsSafeInt (common/http/validators): 2^53 and 1e300 pass IsInt.' },
            { name: 'class-validator', importNames: ['IsISO8601', 'IsDateString', 'IsDate'], message: 'Use IsIsoMoment (common/http/validators): the queries read dates with parseIsoMoment.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { ...globals.node } },
  },
);
