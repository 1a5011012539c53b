// A run that dies between renames leaves a committed journal; the next run finishes it. The
// death is simulated deterministically: rename(2) fails after a few files, as if the process had
// been killed there (write-output.test.ts kills real processes at whatever point they reach).
import type * as FsPromises from 'node:fs/promises'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const failAfter = { renames: Number.POSITIVE_INFINITY }

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>()
  let done = 0
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      // Journal writes (…journal.json.<pid>.tmp) are not counted: only the output's files.
      if (!from.includes('.k8s-codegen-journal.json') && done++ >= failAfter.renames)
        throw Object.assign(new Error('simulated death'), { code: 'EIO' })
      return actual.rename(from, to)
    },
  }
})

const { isOutputCurrent, recoverOutput, writeOutput } = await import('../src/write-output.js')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8s-codegen-interrupted-'))
  failAfter.renames = Number.POSITIVE_INFINITY
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a write interrupted between renames', () => {
  it('is completed by the next run: the new output, no temp file left', async () => {
    const out = join(dir, 'generated')
    const files = (v: string) => new Map([...'abcdef'].map((n) => [`${n}.ts`, `${n} ${v}\n`]))
    await writeOutput(out, files('v1'), 'key-1')
    failAfter.renames = 3
    await expect(writeOutput(out, files('v2'), 'key-2')).rejects.toMatchObject({
      message: expect.stringContaining('the next run completes it') as string,
    })
    // A mix on disk right now; the journal says how to finish.
    expect(await isOutputCurrent(out, 'key-1')).toBe(false)
    expect(await isOutputCurrent(out, 'key-2')).toBe(false)
    failAfter.renames = Number.POSITIVE_INFINITY
    await recoverOutput(out)
    expect(await isOutputCurrent(out, 'key-2')).toBe(true)
    expect((await readdir(out)).filter((n) => n.endsWith('.tmp') || n.includes('journal'))).toEqual(
      [],
    )
  })
})
