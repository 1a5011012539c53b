import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
