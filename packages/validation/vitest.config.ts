import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // As in the other packages: a shared 2-core machine under load runs the CEL cost rows (2,000
    // elements, cel-go's limits) for seconds; the default 5 s is a timing, not a check.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
