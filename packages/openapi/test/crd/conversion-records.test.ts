import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hasConversions, writeConversion } from '../../src/crd/conversion-cache.js'

// A cold run skips hashing every CRD file for a record key only when no record can be found.
describe('hasConversions', () => {
  let cacheDir: string
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'conversion-records-test-'))
  })
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true })
  })

  const record = { groupVersions: {}, crds: 0, skipped: 0, files: [], baseline: 'shipped' }
  const rows: { given: string; setup: (dir: string) => Promise<void>; want: boolean }[] = [
    {
      given: 'no cache directory yet',
      setup: () => rm(cacheDir, { recursive: true }),
      want: false,
    },
    { given: 'a cache without conversions', setup: async () => {}, want: false },
    {
      given: 'only a write cut short (a temporary file)',
      setup: async (dir) => {
        await mkdir(join(dir, 'crd-conversions'))
        await writeFile(join(dir, 'crd-conversions', `.${'A'.repeat(128)}.json.1.0badf00d.tmp`), '')
      },
      want: false,
    },
    {
      given: 'a stored record',
      setup: (dir) => writeConversion(dir, 'B'.repeat(128), record),
      want: true,
    },
  ]
  it.each(rows)('$given: $want', async ({ setup, want }) => {
    await setup(cacheDir)
    expect(await hasConversions(cacheDir)).toBe(want)
  })
})
