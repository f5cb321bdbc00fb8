// One Jest run, four layers. Nest 12 and a few of its dependencies ship ESM only; @swc/jest turns
// them (and our TypeScript, with legacy decorators and metadata) into CommonJS for Jest.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const esmPackages = [
  '@nestjs', '@fastify/cookie', 'cookie', 'file-type', 'strtok3', 'token-types', '@tokenizer', '@borewit',
  'uint8array-extras', 'content-disposition', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'minipass',
  'brace-expansion', 'balanced-match', '@isaacs', '@epic-web', 'nodemailer', 'smtp-server', 'marked',
  'temporal-polyfill', 'temporal-utils', 'fast-check', 'pure-rand', 'eta', 'ipv6-normalize', 'base32.js', 'punycode.js',
];
const base = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};
const withDb = {
  ...base,
  setupFiles: ['<rootDir>/test/support/pg-boss-timers.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  maxWorkers: 2,
  // A global option (Jest ignores it per project): generous, for tests that start processes.
  testTimeout: 90000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/eslint-rules/**/*.spec.ts'] },
    { ...withDb, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...withDb, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...withDb, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
};
