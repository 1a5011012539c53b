import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The README test packs, installs and runs CLI commands and tsc in a scratch project: minutes
    // on a loaded 2-core machine. A hang still fails.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
})
