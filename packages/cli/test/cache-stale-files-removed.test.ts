// What a `generate` removes from the cache's generation state, and what it must leave: the temp
// of a generation or conversion record whose writer is gone (killed while writing it) for a
// minute, and the stamps files of the format before the generation record
// (`outputs/*.verified`), go; a temp whose writer still runs (another run at the same time) or
// is younger, another project's record and any file of another name stay. Two runs at once lose
// nothing of each other's.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runCli, runMain } from './_cli.js'

const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const HEX64 = 'ab'.repeat(32)
const HEX128 = 'CD'.repeat(64)

let root: string
let dead: number
let live: ChildProcess

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-cache-stale-'))
  // A pid no process has any more, and one that runs until the tests end.
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => gone.on('close', resolve))
  dead = gone.pid ?? 0
  live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)'], { stdio: 'ignore' })
})

afterAll(async () => {
  live?.kill('SIGKILL')
  await rm(root, { recursive: true, force: true })
})

let n = 0
async function project(): Promise<string> {
  const dir = join(root, `p${n++}`)
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
  return dir
}

const GENERATE = ['generate', '--crds', 'crds', '--out', 'k8s', '--json']
const generate = (dir: string, args: string[] = []) =>
  runMain([...GENERATE, ...args], { cwd: dir, cacheDir: join(dir, 'cache') })

function records(dir: string): string[] {
  return readdirSync(join(dir, 'cache', 'generations')).filter((f) =>
    /^[0-9a-f]{64}\.json$/.test(f),
  )
}

describe('stale files in the cache', () => {
  // `old`: last written an hour ago; a temp of a dead writer younger than a minute may be that
  // of a writer this process cannot see (another pid namespace) and stays.
  const rows = (): { given: string; old?: true; want: 'removed' | 'kept' }[] => [
    { given: `generations/${HEX64}.json.${dead}-0123abcd.tmp`, old: true, want: 'removed' },
    { given: `generations/${HEX64}.json.${dead}-4567abcd.tmp`, want: 'kept' },
    { given: `generations/${HEX64}.json.${live.pid}-0123abcd.tmp`, want: 'kept' },
    { given: `generations/${HEX64}.json`, want: 'kept' },
    { given: 'generations/notes.txt', want: 'kept' },
    { given: `crd-conversions/.${HEX128}.json.${dead}.0123abcd.tmp`, old: true, want: 'removed' },
    { given: `crd-conversions/.${HEX128}.json.${dead}.4567abcd.tmp`, want: 'kept' },
    { given: `crd-conversions/.${HEX128}.json.${live.pid}.0123abcd.tmp`, want: 'kept' },
    { given: `outputs/${HEX64}.verified`, want: 'removed' },
    { given: `outputs/.${HEX64}.verified.${dead}.0123abcd.tmp`, old: true, want: 'removed' },
    { given: `outputs/.${HEX64}.verified.${live.pid}.0123abcd.tmp`, want: 'kept' },
    { given: `crd-files/.${HEX128}.json.${dead}.0123abcd.tmp`, old: true, want: 'removed' },
    {
      given: `crd-group-versions/.${HEX128}.json.${dead}.0123abcd.tmp`,
      old: true,
      want: 'removed',
    },
    { given: 'sha512/notes.txt', want: 'kept' },
  ]
  it.each([
    { given: 'a run the record answers', args: [] },
    { given: 'a run that generates', args: ['--no-docs'] },
  ])('$given removes only what no run will read', { timeout: 120_000 }, async ({ args }) => {
    const dir = await project()
    expect((await generate(dir)).code).toBe(0)
    const [record] = records(dir)
    const anHourAgo = new Date(Date.now() - 3_600_000)
    for (const { given, old } of rows()) {
      await mkdir(dirname(join(dir, 'cache', given)), { recursive: true })
      await writeFile(join(dir, 'cache', given), 'x')
      if (old) await utimes(join(dir, 'cache', given), anHourAgo, anHourAgo)
    }
    const run = await generate(dir, args)
    expect(run.code, run.stderr).toBe(0)
    for (const { given, want } of rows())
      expect(existsSync(join(dir, 'cache', given)) ? 'kept' : 'removed', given).toBe(want)
    expect(records(dir)).toEqual(expect.arrayContaining([record, `${HEX64}.json`]))
  })

  it('an outputs directory left with nothing in it goes', { timeout: 120_000 }, async () => {
    const dir = await project()
    expect((await generate(dir)).code).toBe(0)
    await mkdir(join(dir, 'cache', 'outputs'))
    await writeFile(join(dir, 'cache', 'outputs', `${HEX64}.verified`), '{}\n')
    expect((await generate(dir)).code).toBe(0)
    expect(existsSync(join(dir, 'cache', 'outputs'))).toBe(false)
  })
})

describe('two runs at once, one cache', () => {
  it(
    'each keeps its record: the next run of either answers from it',
    { timeout: 180_000 },
    async () => {
      const cacheDir = join(root, 'shared-cache')
      const dirs = [await project(), await project()]
      const env = { K8S_CODEGEN_CACHE_DIR: cacheDir }
      // Stale files of a killed run, so both runs clean while the other writes.
      await mkdir(join(cacheDir, 'generations'), { recursive: true })
      const temp = join(cacheDir, 'generations', `${HEX64}.json.${dead}-0123abcd.tmp`)
      await writeFile(temp, 'x')
      await utimes(temp, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
      const runs = await Promise.all(dirs.map((cwd) => runCli(GENERATE, { cwd, env })))
      for (const run of runs) expect(run.code, run.stderr).toBe(0)
      const names = readdirSync(join(cacheDir, 'generations'))
      expect(names.filter((f) => f.endsWith('.json'))).toHaveLength(2)
      expect(names.filter((f) => f.endsWith('.tmp'))).toEqual([])
      const identity = (name: string): string => {
        const stats = statSync(join(cacheDir, 'generations', name), { bigint: true })
        return `${stats.ino}:${stats.mtimeNs}`
      }
      const before = names.map(identity)
      const again = await Promise.all(dirs.map((cwd) => runCli(GENERATE, { cwd, env })))
      for (const run of again) {
        expect(run.code, run.stderr).toBe(0)
        expect(JSON.parse(run.stdout)).toMatchObject({ upToDate: true, written: [] })
      }
      // Answered from the records: neither was written again.
      expect(names.map(identity)).toEqual(before)
    },
  )
})
