import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Tests start emulated apiservers and kubectl; on a loaded 2-core machine the 5 s default
    // is too short (as in packages/cluster). A hang still fails, after a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
