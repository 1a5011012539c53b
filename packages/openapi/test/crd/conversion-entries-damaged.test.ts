import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  readConversion,
  readConvertedGroupVersion,
  readCrdFileFacts,
  writeConversion,
  writeConvertedGroupVersion,
  writeCrdFileFacts,
  type ConversionRecord,
  type CrdFileFacts,
} from '../../src/crd/conversion-cache.js'
import type { LockedGroupVersion } from '../../src/lockfile.js'

// Every conversion entry is a shortcut: one that is missing, cut short (a run killed while
// writing it without the atomic rename, a full disk) or of another shape reads as absent, so the
// run converts again; a whole one reads back as written.
const KEY = 'A'.repeat(128)
const GV = 'apis/example.dev/v1'
const facts: CrdFileFacts = {
  skipped: 1,
  crds: [
    {
      index: 0,
      item: 2,
      name: 'widgets.example.dev',
      group: 'example.dev',
      kind: 'Widget',
      listKind: 'WidgetList',
      plural: 'widgets',
      served: ['v1'],
    },
  ],
}
const entry: LockedGroupVersion = {
  group: 'example.dev',
  version: 'v1',
  status: 'ok',
  hash: 'B'.repeat(128),
  bytes: 10,
  discovery: { hash: 'C'.repeat(128), bytes: 5 },
  crdFacts: { hash: 'D'.repeat(128), bytes: 5 },
}
const record: ConversionRecord = {
  groupVersions: { [GV]: entry },
  crds: 1,
  skipped: 1,
  files: ['crds/a.yaml'],
  baseline: 'shipped',
}

const KINDS = {
  facts: {
    dir: 'crd-files',
    write: (cache: string) => writeCrdFileFacts(cache, KEY, facts),
    read: (cache: string) => readCrdFileFacts(cache, KEY),
    whole: facts,
  },
  'group-version entry': {
    dir: 'crd-group-versions',
    write: (cache: string) => writeConvertedGroupVersion(cache, KEY, entry),
    read: (cache: string) => readConvertedGroupVersion(cache, GV, KEY),
    whole: entry,
  },
  'set record': {
    dir: 'crd-conversions',
    write: (cache: string) => writeConversion(cache, KEY, record),
    read: (cache: string) => readConversion(cache, KEY),
    whole: record,
  },
}

const DAMAGE: { given: string; damage: (text: string) => string | undefined; whole: boolean }[] = [
  { given: 'as written', damage: (text) => text, whole: true },
  { given: 'missing', damage: () => undefined, whole: false },
  { given: 'cut short', damage: (text) => text.slice(0, text.length >> 1), whole: false },
  { given: 'empty', damage: () => '', whole: false },
  { given: 'another JSON value', damage: () => '[]', whole: false },
  {
    given: 'a count that is not a number',
    damage: (text) => text.replace(/"(skipped|index|bytes|crds)":(\d+)/, '"$1":"$2"'),
    whole: false,
  },
  {
    given: 'a name that is not a string',
    damage: (text) => text.replace(/"(name|group|version|baseline)":"[^"]*"/, '"$1":7'),
    whole: false,
  },
]

describe('conversion entries read back', () => {
  let cache: string
  beforeEach(async () => {
    cache = await mkdtemp(join(tmpdir(), 'conversion-entries-'))
  })
  afterEach(async () => {
    await rm(cache, { recursive: true, force: true })
  })

  const rows = Object.entries(KINDS).flatMap(([kind, io]) =>
    DAMAGE.map((row) => ({ ...row, kind, io })),
  )
  it.each(rows)('$kind $given: whole $whole', async ({ io, damage, whole }) => {
    await io.write(cache)
    const [name] = await readdir(join(cache, io.dir))
    const path = join(cache, io.dir, name as string)
    const damaged = damage(await readFile(path, 'utf8'))
    if (damaged === undefined) await rm(path)
    else await writeFile(path, damaged)
    expect(await io.read(cache)).toEqual(whole ? io.whole : undefined)
  })
})

describe('conversion entries written', () => {
  it('again after the cache was deleted by another hand within one process', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'conversion-entries-'))
    try {
      await writeCrdFileFacts(cache, KEY, facts)
      await rm(cache, { recursive: true })
      await writeCrdFileFacts(cache, KEY, facts)
      expect(await readCrdFileFacts(cache, KEY)).toEqual(facts)
    } finally {
      await rm(cache, { recursive: true, force: true })
    }
  })
})
