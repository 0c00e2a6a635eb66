/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  // NestJS 12 ships ESM only: compile it to CommonJS like our own files.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['node_modules/(?!(@nestjs)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    {
      ...common,
      // The in-process suites once more with AUTH_MODE=jwt (built-server suites start their own processes).
      displayName: 'e2e-jwt',
      setupFiles: ['<rootDir>/test/support/jwt-mode.js'],
      testMatch: ['analytics', 'generate', 'history', 'hostile-input', 'openai-model', 'reliability', 'restart', 'sessions'].map(
        (name) => `<rootDir>/test/e2e/${name}.e2e.spec.ts`,
      ),
    },
  ],
};
