import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own dynalite and loopback servers on random ports, so files can run in parallel.
    pool: 'forks',
    restoreMocks: true,
    // Local machines run Node 20; the SDK's notice that Node 22 will be required is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
