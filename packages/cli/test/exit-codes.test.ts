import { readFile } from 'node:fs/promises'

import { describe, expect, it } from 'vitest'

import { EXIT_CODES, ExitCode } from '../src/exit-codes.js'

// The compiler checks EXIT_CODES covers every error code (`satisfies Record<ErrorCode, …>`);
// this checks the README documents each, with the same exit code (undici checks its error codes
// are all declared the same way).
describe('EXIT_CODES', () => {
  it.each(Object.entries(EXIT_CODES))('%s (exit %i) is in the README table', async (code, exit) => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
    expect(readme).toMatch(new RegExp(`^\\| \`${code}\` +\\| ${exit} +\\|$`, 'm'))
  })

  it('maps to documented exit codes only', () => {
    const documented = new Set<number>(Object.values(ExitCode))
    expect(Object.values(EXIT_CODES).every((exit) => documented.has(exit))).toBe(true)
  })
})
