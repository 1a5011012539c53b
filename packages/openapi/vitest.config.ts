import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start fake servers and child processes; on a loaded 2-core machine vitest's 5 s
    // default timed out (issue 10). A hang still fails, after a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
