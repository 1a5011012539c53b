import { cp, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { lockedEntries, parseLockfile } from '@k8s-codegen/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// A user's cache stays bounded (openapi cache-trim.ts, after Go's build cache): a `generate` or
// `fetch` finding the last trim a day old removes what no run used for 5 days — here every CRD
// set's conversion, file facts and group-version entry and every document a conversion made that
// the run's lockfile does not lock — and keeps everything that lockfile locks, whatever its age, so
// the next offline run still generates, and every document no conversion names (a fetch downloaded
// it: it may be all a user has of a cluster's spec). The age is set with utimes; nothing sleeps.
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const DAY = 86_400_000
let dir: string

const cli = (args: string[]): ReturnType<typeof runMain> =>
  runMain(args, { cwd: dir, env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') } })

async function entries(): Promise<string[]> {
  const out: string[] = []
  for (const sub of ['sha512', 'crd-conversions', 'crd-files', 'crd-group-versions', 'generations'])
    for (const name of await readdir(join(dir, 'cache', sub)).catch(() => []))
      if (!name.startsWith('.')) out.push(`${sub}/${name}`)
  return out.sort()
}

async function ageAll(days: number): Promise<void> {
  const at = new Date(Date.now() - days * DAY)
  for (const rel of await entries()) await utimes(join(dir, 'cache', rel), at, at)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-cache-bounded-'))
  await writeFile(join(dir, 'package.json'), '{}')
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the cache stays bounded', () => {
  it(
    'a run a day after the last trim removes what is unused for 5 days, never what its lockfile locks',
    { timeout: 120_000 },
    async () => {
      expect((await cli(['generate', '--crds', 'crds'])).code).toBe(0)
      // An earlier CRD set, converted a week ago and never used since, and a document another
      // project's fetch downloaded a week ago.
      const stray = `sha512/${'A'.repeat(128)}`
      const strayConversion = `crd-conversions/${'B'.repeat(128)}.json`
      const fetched = `sha512/${'C'.repeat(128)}`
      await writeFile(join(dir, 'cache', stray), 'stray')
      await writeFile(
        join(dir, 'cache', strayConversion),
        JSON.stringify({
          groupVersions: {
            'apis/stray.dev/v1': { status: 'ok', hash: 'A'.repeat(128), bytes: 5 },
          },
        }),
      )
      await writeFile(join(dir, 'cache', fetched), 'fetched')
      await ageAll(7)
      await rm(join(dir, 'cache', 'trim.txt'))
      const lock = parseLockfile(
        JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')),
        'k8s-codegen.lock.json',
      )
      const locked = [...lockedEntries(lock)].sort()
      const before = await entries()

      // What this run uses (its set's conversion record, its generation record) is marked used
      // and stays; what it does not (the set's group-version entries, answered for by the
      // set's record) goes with the strays.
      const run = await cli(['generate'])
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
      const after = await entries()
      const removed = before.filter((e) => !after.includes(e))
      expect({
        strays: [stray, strayConversion].every((e) => removed.includes(e)),
        fetched: after.includes(fetched),
        removed: removed.map((e) => e.split('/')[0]).sort(),
        locked: locked.every((e) => after.includes(e)),
        kept: after.map((e) => e.split('/')[0]).filter((sub, i, all) => all.indexOf(sub) === i),
      }).toEqual({
        strays: true,
        fetched: true,
        removed: ['crd-conversions', 'crd-group-versions', 'crd-group-versions', 'sha512'],
        locked: true,
        kept: ['crd-conversions', 'crd-files', 'generations', 'sha512'],
      })

      // Offline, with the record and every conversion gone (as 5 unused days leave them):
      // converted again from the files, the same output.
      for (const sub of ['generations', 'crd-conversions', 'crd-files', 'crd-group-versions'])
        await rm(join(dir, 'cache', sub), { recursive: true })
      const again = await cli(['generate', '--crds', 'crds'])
      expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' })
      expect(again.stdout).toContain('is up to date')

      // Trimmed less than a day ago: the next run does not look.
      await ageAll(7)
      expect((await cli(['generate'])).code).toBe(0)
      expect((await entries()).length).toBeGreaterThan(locked.length)
    },
  )
})
