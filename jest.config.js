/** Jest runs TypeScript through SWC; ESM-only packages (hyparquet) are transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer|hyparquet-compressors|hysnappy|fzstd|marked|azure-kusto-data|dt-sql-parser|antlr4ng|antlr4-c3)/)'],
  // office-addin-mock imports office-addin-manifest for one enum; the real module pulls ESM-only code.
  // thrift (under @databricks/sql) requires uuid 13, which is ESM only; Jest on Node 20 cannot require ESM, so the
  // CommonJS uuid 8 (the same parse/stringify/v4) stands in under Jest. Node itself loads the real one.
  moduleNameMapper: { '^office-addin-manifest$': '<rootDir>/test/stubs/office-addin-manifest.ts', '^uuid$': '<rootDir>/node_modules/uuid/dist/index.js' },
  testTimeout: 60000,
  // Builds the command line once for the run, and makes the run's folder for the harness page's build-once lock.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/after-each-file.ts'],
};
