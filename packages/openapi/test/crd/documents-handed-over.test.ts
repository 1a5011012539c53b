import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lockCrds } from '../../src/crd/lock.js'
import { loadSpecSet } from '../../src/load.js'
import type { StoredGroupVersion } from '../../src/types.js'

// `lockCrds` hands each group-version it converts to `onStored` as it stores it: what reading
// the stored entries back gives, key order included, so the caller need not read them back.

const corpus = (project: string): string =>
  fileURLToPath(new URL(`../../../cli/test/corpus/crds/${project}`, import.meta.url))

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crd-handed-over-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('converted group-versions handed over', () => {
  const rows: { given: string[]; want: string }[] = [
    { given: ['cert-manager'], want: 'as read back' },
    { given: ['gateway-api', 'keda'], want: 'as read back' },
  ]
  it.each(rows)('$given: each $want', async ({ given }) => {
    const name = given.join('+')
    const lockfile = join(dir, `${name}.lock.json`)
    const cacheDir = join(dir, `${name}-cache`)
    const handed: StoredGroupVersion[] = []
    const { groupVersions } = await lockCrds({
      crds: given.map(corpus),
      cwd: dir,
      lockfile,
      cacheDir,
      onStored: (gv) => handed.push(gv),
    })
    const read = await loadSpecSet({ lockfile, cacheDir })
    const json = (gv: StoredGroupVersion): string =>
      JSON.stringify([
        gv.key,
        gv.group,
        gv.version,
        gv.hash,
        gv.document,
        gv.discovery,
        gv.crdFacts,
      ])
    expect(handed.map((gv) => gv.key)).toEqual([...groupVersions].sort())
    expect(handed.map(json)).toEqual(read.groupVersions.map(json))
    expect(handed).toStrictEqual(
      read.groupVersions.map(
        ({ key, group, version, hash, bytes, document, discovery, crdFacts }) => ({
          key,
          group,
          version,
          hash,
          bytes,
          document,
          discovery,
          crdFacts,
        }),
      ),
    )
  })

  it('a run a conversion record answers converts nothing, so hands nothing over', async () => {
    const lockfile = join(dir, 'again.lock.json')
    const cacheDir = join(dir, 'again-cache')
    const options = { crds: [corpus('cert-manager')], cwd: dir, lockfile, cacheDir }
    await lockCrds(options)
    const handed: string[] = []
    await lockCrds({ ...options, onStored: (gv) => handed.push(gv.key) })
    expect(handed).toEqual([])
  })
})
