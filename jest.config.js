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
  // NestJS 12 and openid-client 6 (with its oauth4webapi and jose) ship ESM only: compile them to CommonJS like our own files.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['node_modules/(?!(@nestjs|openid-client|oauth4webapi|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

const e2e = ['<rootDir>/test/e2e/**/*.spec.ts'];

/**
 * The e2e suite once more on PostgreSQL and Redis (a scratch database and a key namespace per test
 * app), when both are configured. Left out: suites that start their own servers or stores (their
 * store is part of what they test) and those about the process or the client, not the stores.
 */
const sharedStores = (process.env.TEST_POSTGRES_URL || process.env.TEST_DATABASE_URL) && process.env.TEST_REDIS_URL;
const ownStores = ['process', 'restart', 'accounts-adoption', 'slow-clients', 'web-client', 'redis-faults', 'store-faults', 'two-instances', 'shared-windows', 'health-docs', 'coordination'];

module.exports = {
  // Booting an app on PostgreSQL in a hook takes seconds on a busy 2-core machine; 5 s failed there.
  // A global option: inside `projects` Jest ignores it (a test there timed out at the default 5 s).
  testTimeout: 15_000,
  // Each test file loads its own copy of Nest, TypeORM and LangChain, and a worker keeps ~45 MB of every
  // one: past ~100 files a worker spent its time in GC and the last suites timed out. A worker over
  // this limit after a file is replaced (and with a limit set, Jest uses a worker even on one core).
  workerIdleMemoryLimit: '1GB',
  // A handle some suite leaves open (not found yet) once kept Jest alive after a green run: CI must not wait on it.
  forceExit: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: e2e },
    ...(sharedStores
      ? [
          {
            ...common,
            displayName: 'e2e-shared',
            testMatch: e2e,
            testPathIgnorePatterns: ownStores.map((name) => `/test/e2e/${name}\\.e2e\\.spec\\.ts$`),
            setupFiles: ['<rootDir>/test/support/shared-stores.js'],
          },
        ]
      : []),
    {
      ...common,
      // The in-process suites once more with AUTH_MODE=jwt (built-server suites start their own processes).
      displayName: 'e2e-jwt',
      setupFiles: ['<rootDir>/test/support/jwt-mode.js'],
      testMatch: [
        'analytics',
        'bulk-sessions',
        'generate',
        'history',
        'hostile-input',
        'metrics',
        'openai-api',
        'openai-model',
        'reliability',
        'restart',
        'session-organise',
        'session-settings',
        'sessions',
        'sharing',
        'summary-memory',
        'templates',
        'transfer',
      ].map(
        (name) => `<rootDir>/test/e2e/${name}.e2e.spec.ts`,
      ),
    },
  ],
};
