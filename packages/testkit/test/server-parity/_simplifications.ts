import { readFileSync } from 'node:fs'

/** The rows of the README's simplifications table, which a scenario's `want` may name. */
export const simplificationRows: readonly string[] =
  (
    readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split(
      '## Simplifications',
    )[1] ?? ''
  )
    .split('\n## ')[0]
    ?.split('\n')
    .filter((line) => line.startsWith('| ')) ?? []
