import type * as fs from 'node:fs'
import { cp, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { fileClock, isRacy } from '@k8s-codegen/openapi'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { runMain } from './_cli.js'

// A run the generation record cannot answer (the lockfile's bytes changed) but whose output is
// current checks the output files against their stamps in that record: it reads only the files
// changed since, and keeps no other local state for them.
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

const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const GENERATE = ['generate', '--crds', 'crds', '--out', 'k8s', '--json']
const GENERATED = [
  'autoscaling/v1.ts',
  'example.dev/v1.ts',
  'example.dev/v1beta1.ts',
  'index.ts',
  'meta/v1.ts',
]

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-output-check-record-'))
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function generate(): Promise<{ upToDate: boolean; outputsRead: string[] }> {
  reads.paths.length = 0
  const result = await runMain(GENERATE, { cwd: dir, cacheDir: join(dir, 'cache') })
  expect(result.code, result.stderr).toBe(0)
  const out = join(dir, 'k8s')
  const outputsRead = reads.paths
    .filter((path) => path.startsWith(`${out}/`) && path.endsWith('.ts'))
    .map((path) => path.slice(out.length + 1))
  return { upToDate: (JSON.parse(result.stdout) as { upToDate: boolean }).upToDate, outputsRead }
}

// Other bytes, the same generation: what a `fetch` that found only a new server version does.
async function reformatLockfile(): Promise<void> {
  const path = join(dir, 'k8s-codegen.lock.json')
  await writeFile(path, `${JSON.stringify(JSON.parse(await readFile(path, 'utf8')))}\n`)
}

// Until the file system's clock has passed the output's last write, then a record of it: the
// record stamps the output files (in the tick of their write they would stay racy, always read).
async function recordedAfterTheWrite(): Promise<void> {
  for (const path of GENERATED)
    while (isRacy(await stat(join(dir, 'k8s', path), { bigint: true }), fileClock()))
      await new Promise((resolve) => setTimeout(resolve, 1))
  await rm(join(dir, 'cache', 'generations'), { recursive: true })
  expect(await generate()).toEqual({ upToDate: true, outputsRead: GENERATED })
}

describe('a run the record cannot answer reads only the output files changed since it', () => {
  it.each([
    { given: 'the lockfile reformatted', change: reformatLockfile, want: [] },
    {
      given: 'the lockfile reformatted, the record gone',
      change: async () => {
        await reformatLockfile()
        await rm(join(dir, 'cache', 'generations'), { recursive: true })
      },
      want: GENERATED,
    },
    {
      given: 'the lockfile reformatted, an output file touched (its content the same)',
      change: async () => {
        await reformatLockfile()
        const later = new Date(Date.now() + 5_000)
        await utimes(join(dir, 'k8s', 'index.ts'), later, later)
      },
      want: ['index.ts'],
    },
  ])('$given → reads $want', { timeout: 60_000 }, async ({ change, want }) => {
    expect((await generate()).upToDate).toBe(false)
    await recordedAfterTheWrite()
    await change()
    expect(await generate()).toEqual({ upToDate: true, outputsRead: want })
  })

  it('keeps no output state in the cache besides the record', { timeout: 60_000 }, async () => {
    await generate()
    await recordedAfterTheWrite()
    await reformatLockfile()
    await generate()
    expect((await readdir(join(dir, 'cache'))).sort()).not.toContain('outputs')
  })
})
