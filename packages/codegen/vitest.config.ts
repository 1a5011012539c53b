import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The first generate() loads typescript, openapi-typescript and prettier: slow on a busy machine.
    testTimeout: 60_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
  },
})
