import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built bin against the emulator; each run is a fresh node process, and
    // their setup fetches a whole profile: generous limits that hold on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
