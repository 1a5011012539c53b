import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CODE_IDENTITY_FILE,
  builtCodeIdentity,
  codeIdentity,
} from '../../src/crd/conversion-cache.js'

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
