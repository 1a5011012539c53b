import type * as fs from 'node:fs'
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { fileClock, isRacy } from '@k8s-codegen/openapi'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { MANIFEST_NAME, isOutputCurrent, writeOutput } from '../src/write-output.js'

// Counts the generated files the check reads (it reads them with fs.readFileSync).
const reads = vi.hoisted(() => ({ paths: [] as string[] }))
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>()
  return {
    ...actual,
    readFileSync: ((path: string, ...rest: never[]) => {
      reads.paths.push(String(path))
      return actual.readFileSync(path, ...rest)
    }) as typeof actual.readFileSync,
  }
})

let dir: string
let out: string
let cacheDir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8s-codegen-output-stamps-'))
  out = join(dir, 'generated')
  cacheDir = join(dir, 'cache')
})
afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

const files = new Map([
  ['core/v1.ts', 'export type A = string\n'],
  ['apps/v1.ts', 'export type B = number\n'],
  ['index.ts', 'export {}\n'],
])

// Until the file system's clock has passed the last write of the output: a check started then
// may stamp its files (one started in the same tick may not).
async function settled(): Promise<void> {
  for (const path of files.keys())
    while (isRacy(await stat(join(out, path), { bigint: true }), fileClock()))
      await new Promise((resolve) => setTimeout(resolve, 1))
}

/** One no-op check: whether the output is current, and which generated files it read. */
async function check(options: { cacheDir?: string } = { cacheDir }) {
  reads.paths.length = 0
  const current = await isOutputCurrent(out, 'key-1', options)
  const read = reads.paths
    .filter((p) => p.startsWith(out))
    .map((p) => p.slice(out.length + 1))
    .filter((p) => files.has(p))
    .sort()
  return { current, read }
}

describe('a no-op output check hashes only what changed since the last check', () => {
  it.each([
    {
      given: 'nothing changed',
      change: () => Promise.resolve(),
      want: { current: true, read: [] },
    },
    {
      given: 'a generated file edited (same size)',
      change: () => writeFile(join(out, 'apps/v1.ts'), 'export type B = number\r'),
      want: { current: false, read: ['apps/v1.ts'] },
    },
    {
      given: 'a generated file removed',
      change: () => rm(join(out, 'index.ts')),
      want: { current: false, read: ['index.ts'] },
    },
  ])('$given → $want', async ({ change, want }) => {
    await writeOutput(out, files, 'key-1')
    // Checked after the write's tick: old enough to be stamped (a younger file is hashed again).
    await settled()
    expect(await check()).toEqual({ current: true, read: ['apps/v1.ts', 'core/v1.ts', 'index.ts'] })
    await change()
    // Only the changed file is read (a check stops at the first difference).
    expect(await check()).toEqual(want)
  })

  it.each([
    { given: 'without a cache dir (nowhere to keep stamps)', options: {} },
    { given: 'in the timestamp tick of the write (racily clean)', options: undefined },
  ])('$given every check reads every file', async ({ options }) => {
    await writeOutput(out, files, 'key-1')
    // Checked in the tick the files were changed: their mtime not older than the check's clock.
    const future = new Date(Date.now() + 3_600_000)
    if (options === undefined)
      for (const path of files.keys()) await utimes(join(out, path), future, future)
    const all = { current: true, read: ['apps/v1.ts', 'core/v1.ts', 'index.ts'] }
    expect(await check(options)).toEqual(all)
    expect(await check(options)).toEqual(all)
  })

  it('keeps stamps only for the files of the current manifest', async () => {
    await writeOutput(out, files, 'key-1')
    await settled()
    await check()
    await writeOutput(out, new Map([['index.ts', 'export {}\n']]), 'key-1')
    await check()
    const [stampsFile = ''] = await readdir(join(cacheDir, 'outputs'))
    const stamps = JSON.parse(
      await readFile(join(cacheDir, 'outputs', stampsFile), 'utf8'),
    ) as object
    expect(Object.keys(stamps)).toEqual(['index.ts'])
  })

  it('keeps its stamps in the cache, never in --out', async () => {
    await writeOutput(out, files, 'key-1')
    await settled()
    await check()
    expect((await readdir(out)).sort()).toEqual([MANIFEST_NAME, 'apps', 'core', 'index.ts'])
    expect(await readdir(join(cacheDir, 'outputs'))).toHaveLength(1)
  })
})
