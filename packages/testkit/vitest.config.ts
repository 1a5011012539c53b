import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers with TLS key generation, kubectl child processes and the 60-GV profile can take
    // seconds on 2 shared cores; these bound hangs, they assert no timing.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
