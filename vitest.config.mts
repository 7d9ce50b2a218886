import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql for type-graphql, Apollo and the tests.
    alias: { graphql: require.resolve('graphql', { paths: [require.resolve('type-graphql', { paths: ['packages/server'] })] }) },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The console's pages fetch after navigation; on a loaded 2-core machine that can take seconds, not the
    // default one (a poll that should fail still fails, later).
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    // CI also writes a JSON summary that .ci/run turns into its closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
