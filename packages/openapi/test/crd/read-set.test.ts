import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CRD_READ_LIMITS } from '../../src/crd/read-limits.js'
import { CrdFileChanged, holdCrds, readCrdSet } from '../../src/crd/read-set.js'
import type { SchemaHolder } from '../../src/crd/load.js'
import { loadCrds } from '../../src/crd/load.js'

// A set read through cached facts parses nothing, yet yields what loadCrds yields; a CRD needed
// again is read from its file once more, and a file that changed in between is never taken for
// the one first read.
const FIXTURES = fileURLToPath(new URL('../fixtures/crds', import.meta.url))
const held: SchemaHolder = { hold: (schema) => () => structuredClone(schema) }

describe('readCrdSet', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-set-'))
    await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const read = () =>
    readCrdSet(['crds'], {
      cwd: dir,
      limits: DEFAULT_CRD_READ_LIMITS,
      cacheDir: join(dir, 'cache'),
      write: true,
      facts: true,
      schemas: held,
    })

  const rows: { given: string; between: () => Promise<void>; want: 'same' | 'changed' }[] = [
    { given: 'files unchanged since the first read', between: async () => {}, want: 'same' },
    {
      given: 'a file edited after the first read',
      between: async () => {
        const path = join(dir, 'crds/widgets.yaml')
        await writeFile(
          path,
          (await readFile(path, 'utf8')).replace('kind: Widget', 'kind: Widget # edited'),
        )
      },
      want: 'changed',
    },
  ]
  it.each(rows)('$given: $want', async ({ between, want }) => {
    const loaded = await loadCrds(['crds'], { cwd: dir })
    await read()
    const set = await read()
    expect(set.crds.every((c) => c.crd === undefined)).toBe(true)
    expect({ files: set.files, skipped: set.skipped, hashes: set.hashes }).toEqual({
      files: loaded.files,
      skipped: loaded.skipped,
      hashes: loaded.hashes,
    })
    await between()
    const holding = holdCrds(set.crds, DEFAULT_CRD_READ_LIMITS, held)
    if (want === 'changed') await expect(holding).rejects.toBeInstanceOf(CrdFileChanged)
    else {
      await holding
      expect(JSON.parse(JSON.stringify(set.crds.map((c) => c.crd)))).toEqual(
        JSON.parse(JSON.stringify(loaded.crds)),
      )
    }
  })
})
