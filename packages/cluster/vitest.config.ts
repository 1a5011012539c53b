import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start TLS servers, proxies, exec plugins and kubectl; on a loaded 2-core machine
    // vitest's 5 s default timed out (issue 10). A hang still fails, after a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
