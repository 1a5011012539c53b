import { createHash } from 'node:crypto'
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sealCodeCache, unsealCodeCache } from '../src/code-cache.js'
import { runCli } from './_cli.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('a sealed code cache', () => {
  it('gives back the data it sealed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (data) => {
        expect(unsealCodeCache(sealCodeCache(data))).toEqual(Buffer.from(data))
      }),
    )
  })

  it('is refused with any byte changed, cut off or added', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (data, at, delta) => {
          const sealed = sealCodeCache(data)
          const changed = Buffer.from(sealed)
          const index = at % changed.length
          changed[index] = ((changed[index] ?? 0) + delta) % 256
          expect(unsealCodeCache(changed)).toBeUndefined()
          expect(unsealCodeCache(sealed.subarray(0, index))).toBeUndefined()
          expect(unsealCodeCache(Buffer.concat([sealed, Buffer.from([delta])]))).toBeUndefined()
        },
      ),
    )
  })

  it.each([
    { given: 'an empty file', want: Buffer.alloc(0) },
    { given: 'another format', want: Buffer.from(`K8SCGV8-1${'\0'.repeat(36)}`) },
  ])('is refused as $given', ({ want }) => {
    expect(unsealCodeCache(want)).toBeUndefined()
  })
})

// The CLI runs its argument parser and its cluster client (dist/chunks/yargs.cjs, cluster.cjs)
// through the code cache kept in the OS temp directory; each run here has its own (TMPDIR).
// `connection` loads both and contacts no server.
describe(
  'the code cache of the argument parser and the cluster client',
  { timeout: 120_000 },
  () => {
    let root: string
    let runs = 0
    const uid = process.getuid?.()
    const CACHE_FILES = [
      /^cluster\.cjs\.[0-9a-f]{16}\.[0-9a-f]{64}\.[0-9a-f]{16}\.connection\.v8$/,
      /^yargs\.cjs\.[0-9a-f]{16}\.[0-9a-f]{64}\.[0-9a-f]{16}\.connection\.v8$/,
    ]
    // This build's cluster client: its install (a SHA-256 of its path) and content, as the cache
    // names them.
    const CLUSTER = fileURLToPath(new URL('../dist/chunks/cluster.cjs', import.meta.url))
    const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex')
    const install = sha256(CLUSTER).slice(0, 16)

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'cli-code-cache-'))
    })
    afterAll(async () => {
      await rm(root, { recursive: true, force: true })
    })

    /** A temp directory of its own, and the code cache directory the CLI keeps in it. */
    async function fresh(): Promise<{ tmp: string; dir: string }> {
      const tmp = join(root, `t${runs++}`)
      await mkdir(tmp)
      return { tmp, dir: join(tmp, `k8s-codegen-code-cache${uid === undefined ? '' : `-${uid}`}`) }
    }

    async function connection(tmp: string): Promise<string> {
      const run = await runCli(['connection', '--server', 'https://127.0.0.1:6443', '--json'], {
        env: { TMPDIR: tmp, TMP: tmp, TEMP: tmp },
        cwd: root,
      })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toBe('')
      return run.stdout
    }

    async function cacheFiles(dir: string): Promise<string[]> {
      return (await readdir(dir)).sort()
    }

    it('is written by the first run, private to the user, and then used as it is', async () => {
      const { tmp, dir } = await fresh()
      const first = await connection(tmp)
      const names = await cacheFiles(dir)
      expect(names).toHaveLength(CACHE_FILES.length)
      CACHE_FILES.forEach((pattern, i) => expect(names[i]).toMatch(pattern))
      if (uid !== undefined) expect((await stat(dir)).mode & 0o777).toBe(0o700)
      const before = []
      for (const name of names) {
        const file = join(dir, name)
        const bytes = await readFile(file)
        expect(unsealCodeCache(bytes)).toBeDefined()
        const { mode, mtimeMs } = await stat(file)
        if (uid !== undefined) expect(mode & 0o777).toBe(0o600)
        before.push({ file, bytes, mtimeMs })
      }
      expect(await connection(tmp)).toBe(first)
      // Accepted: not written again.
      for (const { file, bytes, mtimeMs } of before) {
        expect(await readFile(file)).toEqual(bytes)
        expect((await stat(file)).mtimeMs).toBe(mtimeMs)
      }
    })

    it('is one per command', async () => {
      const { tmp, dir } = await fresh()
      await connection(tmp)
      const run = await runCli(['--version'], { env: { TMPDIR: tmp, TMP: tmp, TEMP: tmp } })
      expect(run.code).toBe(0)
      const names = await cacheFiles(dir)
      expect(names.filter((name) => name.endsWith('.other.v8'))).toEqual([
        expect.stringMatching(/^yargs\.cjs\.[0-9a-f]{16}\.[0-9a-f]{64}\.[0-9a-f]{16}\.other\.v8$/),
      ])
      expect(names).toHaveLength(CACHE_FILES.length + 1)
    })

    const damages: { given: string; damage: (bytes: Buffer) => Buffer }[] = [
      {
        given: 'a changed byte',
        damage: (bytes) => {
          const changed = Buffer.from(bytes)
          const at = Math.floor(changed.length / 2)
          changed[at] = ((changed[at] ?? 0) + 1) % 256
          return changed
        },
      },
      { given: 'cut short', damage: (bytes) => bytes.subarray(0, bytes.length - 100) },
      { given: 'not a cache at all', damage: () => Buffer.from('garbage') },
    ]
    it.each(damages)('with $given is ignored and written anew', async ({ damage }) => {
      const { tmp, dir } = await fresh()
      const clean = await connection(tmp)
      const names = await cacheFiles(dir)
      for (const name of names) {
        const file = join(dir, name)
        await writeFile(file, damage(await readFile(file)))
      }
      expect(await connection(tmp)).toBe(clean)
      expect(await cacheFiles(dir)).toEqual(names)
      for (const name of names)
        expect(unsealCodeCache(await readFile(join(dir, name)))).toBeDefined()
    })

    // Another install (a project's, a global one) of another version runs beside this one: each
    // replacing the other's cache would make every run of either compile everything.
    const neighbours: {
      given: string
      name: () => string | Promise<string>
      want: 'kept' | 'removed'
    }[] = [
      {
        given: 'an earlier build at the same install',
        name: () => `cluster.cjs.${install}.${'0'.repeat(64)}.${'0'.repeat(16)}.connection.v8`,
        want: 'removed',
      },
      {
        given: 'another build installed elsewhere',
        name: () =>
          `cluster.cjs.${'1'.repeat(16)}.${'0'.repeat(64)}.${'0'.repeat(16)}.connection.v8`,
        want: 'kept',
      },
      {
        given: 'another runtime of this build',
        name: async () =>
          `cluster.cjs.${install}.${sha256(await readFile(CLUSTER))}.${'0'.repeat(16)}.connection.v8`,
        want: 'kept',
      },
      {
        given: 'a build of the naming without the install',
        name: () => `cluster.cjs.${'0'.repeat(64)}.${'0'.repeat(16)}.connection.v8`,
        want: 'removed',
      },
    ]
    it.each(neighbours)('beside the cache of $given: $want', async ({ name, want }) => {
      const { tmp, dir } = await fresh()
      await mkdir(dir, { mode: 0o700 })
      const other = await name()
      await writeFile(join(dir, other), sealCodeCache(Buffer.from('other')), { mode: 0o600 })
      await connection(tmp)
      const names = await cacheFiles(dir)
      expect(names.includes(other) ? 'kept' : 'removed').toBe(want)
      const own = names.filter((n) => n !== other)
      expect(own).toHaveLength(CACHE_FILES.length)
      CACHE_FILES.forEach((pattern, i) => expect(own[i]).toMatch(pattern))
    })

    // Bounded as Go's build cache: unused 5 days (and an hour) is removed by the next run that
    // writes a cache; a file in use has its mtime set, at most hourly. Ages are set with utimes.
    it.each([
      { given: 'unused for 6 days', ageMs: 6 * DAY, want: false },
      { given: 'used 4 days ago', ageMs: 4 * DAY, want: true },
    ])("removes another runtime's cache $given: $want", async ({ ageMs, want }) => {
      const { tmp, dir } = await fresh()
      await mkdir(dir, { mode: 0o700 })
      // This build's bundle at this install under another runtime key: only its age can remove it.
      const other = `cluster.cjs.${install}.${sha256(await readFile(CLUSTER))}.${'1'.repeat(16)}.connection.v8`
      await writeFile(join(dir, other), sealCodeCache(Buffer.from('other')), { mode: 0o600 })
      const at = new Date(Date.now() - ageMs)
      await utimes(join(dir, other), at, at)
      await connection(tmp)
      expect((await cacheFiles(dir)).includes(other)).toBe(want)
    })

    it.each([
      { given: 'used 2 hours ago', ageMs: 2 * HOUR, marked: true },
      { given: 'used 10 minutes ago', ageMs: 10 * 60_000, marked: false },
    ])('a cache $given is marked used when used: $marked', async ({ ageMs, marked }) => {
      const { tmp, dir } = await fresh()
      await connection(tmp)
      const at = new Date(Date.now() - ageMs)
      for (const name of await cacheFiles(dir)) await utimes(join(dir, name), at, at)
      await connection(tmp)
      for (const name of await cacheFiles(dir))
        expect((await stat(join(dir, name))).mtimeMs - at.getTime() > ageMs / 2).toBe(marked)
    })

    it.skipIf(uid === undefined)(
      'is neither read nor written in a directory others can write',
      async () => {
        const { tmp, dir } = await fresh()
        await mkdir(dir)
        await chmod(dir, 0o777)
        const clean = await connection(tmp)
        expect(await cacheFiles(dir)).toEqual([])
        await chmod(dir, 0o700)
        expect(await connection(tmp)).toBe(clean)
        expect(await cacheFiles(dir)).toHaveLength(CACHE_FILES.length)
      },
    )
  },
)
