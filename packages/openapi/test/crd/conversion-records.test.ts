import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CODE_IDENTITY_FILE,
  builtCodeIdentity,
  codeIdentity,
  hasConversions,
  writeConversion,
} from '../../src/crd/conversion-cache.js'

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

// The converter's identity changes with any module source of the code it covers, and with
// nothing else there (declarations, source maps, the identity file a build writes).
describe('codeIdentity', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'code-identity-test-'))
    await mkdir(join(dir, 'chunks'))
    await writeFile(join(dir, 'bin.js'), 'main()\n')
    await writeFile(join(dir, 'chunks', 'a.js'), 'export const a = 1\n')
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const rows: { given: string; edit: (dir: string) => Promise<void>; want: 'same' | 'other' }[] = [
    {
      given: 'a chunk edited',
      edit: (d) => writeFile(join(d, 'chunks', 'a.js'), 'export const a = 2\n'),
      want: 'other',
    },
    {
      given: 'a chunk added',
      edit: (d) => writeFile(join(d, 'chunks', 'b.js'), ''),
      want: 'other',
    },
    {
      given: 'a JSON module edited',
      edit: (d) => writeFile(join(d, 'data.json'), '{}'),
      want: 'other',
    },
    {
      given: 'a declaration file added',
      edit: (d) => writeFile(join(d, 'bin.d.ts'), ''),
      want: 'same',
    },
    {
      given: 'a source map added',
      edit: (d) => writeFile(join(d, 'bin.js.map'), ''),
      want: 'same',
    },
    {
      given: 'the identity file written',
      edit: (d) => writeFile(join(d, CODE_IDENTITY_FILE), builtCodeIdentity(join(d, 'chunks'))),
      want: 'same',
    },
  ]
  it.each(rows)('$given: $want identity', async ({ edit, want }) => {
    const dirs = [join(dir, 'chunks'), dir]
    const before = codeIdentity(dirs)
    await edit(dir)
    expect(codeIdentity(dirs) === before ? 'same' : 'other').toBe(want)
  })
})
