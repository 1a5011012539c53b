import type * as fsPromises from 'node:fs/promises'
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SpecCache, defaultCacheDir } from '../src/cache.js'
import { sha512Hex } from '../src/hash.js'
import { fileClock, isRacy } from '../src/stat-stamp.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-cache-'))
})
afterEach(async () => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
  await rm(dir, { recursive: true, force: true })
})

// Counts the entry reads of SpecCache (its content reads go through fs/promises readFile).
const reads = vi.hoisted(() => ({ paths: [] as string[] }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>()
  return {
    ...actual,
    readFile: ((path: string, ...rest: never[]) => {
      reads.paths.push(String(path))
      return actual.readFile(path, ...rest)
    }) as typeof actual.readFile,
  }
})

const bytes = new TextEncoder().encode('{"openapi":"3.0.0"}')

describe('SpecCache', () => {
  it('stores by SHA-512 with a 0700 directory and 0600 files', async () => {
    const cache = new SpecCache(join(dir, 'c'))
    const hash = await cache.write(bytes)
    expect(hash).toBe(sha512Hex(bytes))
    expect((await stat(join(dir, 'c'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, 'c', 'sha512'))).mode & 0o777).toBe(0o700)
    expect((await stat(cache.pathOf(hash))).mode & 0o777).toBe(0o600)
    expect(Buffer.from((await cache.read(hash))!)).toEqual(Buffer.from(bytes))
  })

  it.each([
    { given: 'the stored size', want: true },
    { given: 'any size', want: true },
    { given: 'another size', want: false },
    { given: 'a missing entry', want: false },
  ])('has() with $given → $want, without reading', async ({ given, want }) => {
    const cache = new SpecCache(dir)
    const hash = await cache.write(bytes)
    const size = {
      'the stored size': bytes.byteLength,
      'any size': undefined,
      'another size': 1,
      'a missing entry': bytes.byteLength,
    }[given]
    expect(cache.has(given === 'a missing entry' ? 'B'.repeat(128) : hash, size)).toBe(want)
  })

  // A warm fetch verifies every locked entry, then its generation checks them again with has():
  // within one run the verification stands (no second stat); an entry a read then finds gone or
  // corrupt is forgotten, and hasVerified always looks again.
  it.each([
    { given: 'verified in this run, then removed', after: 'nothing', want: [true, true] },
    { given: 'verified in this run, then removed', after: 'read', want: [false, false] },
    { given: 'verified in this run, then removed', after: 'hasVerified', want: [false, false] },
    { given: 'verified in this run, then corrupted', after: 'read', want: [false, false] },
  ])('has() of an entry $given, after $after → $want', async ({ given, after, want }) => {
    const cache = new SpecCache(dir)
    const hash = await cache.write(bytes)
    expect(await cache.hasVerified(hash, bytes.byteLength)).toBe(true)
    if (given.endsWith('removed')) await rm(cache.pathOf(hash))
    else await writeFile(cache.pathOf(hash), Buffer.alloc(bytes.byteLength, 0x20))
    if (after === 'read') await cache.read(hash)
    if (after === 'hasVerified') await cache.hasVerified(hash, bytes.byteLength)
    // Another instance of the same directory in the same run: the same verification.
    const other = new SpecCache(dir)
    expect([cache.has(hash, bytes.byteLength), other.has(hash)]).toEqual(want)
  })

  it('re-verifies on read and deletes a corrupt entry', async () => {
    const dropped: string[] = []
    const cache = new SpecCache(dir, { onDrop: (h) => dropped.push(h) })
    const hash = await cache.write(bytes)
    await writeFile(cache.pathOf(hash), 'tampered')
    expect(await cache.read(hash)).toBeUndefined()
    expect(dropped).toEqual([hash])
    await expect(stat(cache.pathOf(hash))).rejects.toThrow()
  })

  it('removes temp files of dead writers (a run killed mid-write) and keeps none of its own', async () => {
    await new SpecCache(dir).write(bytes)
    const leftover = join(dir, 'sha512', `.${'A'.repeat(128)}.999999999.0123abcd.tmp`)
    await writeFile(leftover, 'partial')
    await new SpecCache(dir).write(new TextEncoder().encode('other'))
    expect((await readdir(join(dir, 'sha512'))).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('names the path and errno when it cannot write', async () => {
    await writeFile(join(dir, 'file'), '')
    await expect(new SpecCache(join(dir, 'file', 'sub')).write(bytes)).rejects.toThrow(
      /K8S_CODEGEN_OPENAPI_WRITE_FAILED|cannot create the cache directory .*file\/sub\/sha512: ENOTDIR/,
    )
  })

  it('refuses a key that is not a SHA-512', () => {
    expect(() => new SpecCache(dir).pathOf('../../etc/passwd')).toThrow(
      'is not an uppercase hex SHA-512',
    )
  })
})

// Verification stamps: what lets a warm fetch skip re-hashing what it verified before.
describe('SpecCache.hasVerified across runs', () => {
  // Until the file system's clock has passed the entry's last change: a run started then may
  // stamp it (one started in the same tick may not).
  const settled = async (hash: string) => {
    const path = new SpecCache(dir).pathOf(hash)
    while (isRacy(await stat(path, { bigint: true }), fileClock()))
      await new Promise((resolve) => setTimeout(resolve, 1))
  }
  const run = async (hash: string, onDrop?: (hash: string) => void) => {
    const cache = new SpecCache(dir, onDrop === undefined ? {} : { onDrop })
    reads.paths.length = 0
    const verified = await cache.hasVerified(hash, bytes.byteLength)
    await cache.saveVerified()
    return { verified, entryReads: reads.paths.filter((p) => p.endsWith(hash)).length }
  }

  it.each([
    {
      given: 'an entry verified once and unchanged since',
      change: () => Promise.resolve(),
      want: { verified: true, entryReads: 0, dropped: 0 },
    },
    {
      given: 'an entry changed in place since (same size, other bytes)',
      change: (path: string) => writeFile(path, Buffer.alloc(bytes.byteLength, 0x20)),
      want: { verified: false, entryReads: 1, dropped: 1 },
    },
    {
      given: 'an entry rewritten with the same bytes (a new inode and ctime)',
      change: async (path: string) => {
        await rm(path)
        await writeFile(path, bytes)
      },
      want: { verified: true, entryReads: 1, dropped: 0 },
    },
  ])('$given → $want', async ({ change, want }) => {
    const hash = await new SpecCache(dir).write(bytes)
    await settled(hash)
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    await change(new SpecCache(dir).pathOf(hash))
    const dropped: string[] = []
    const second = await run(hash, (h) => dropped.push(h))
    expect({ ...second, dropped: dropped.length }).toEqual(want)
  })

  // Marking an entry used (its mtime, at most hourly: cache-trim.ts) must not cost the next run a
  // re-hash, and must not let an edit after the mark through either.
  const HOUR_AND_A_BIT = 3_700_000
  const lastUsedLongAgo = async (hash: string): Promise<string> => {
    const path = new SpecCache(dir).pathOf(hash)
    const past = new Date(Date.now() - HOUR_AND_A_BIT)
    await utimes(path, past, past)
    await settled(hash)
    return path
  }
  // Until the file system's clock has passed the entry's ctime (set by the mark).
  const clockPasses = async (path: string) => {
    while (fileClock() <= (await stat(path, { bigint: true })).ctimeNs)
      await new Promise((resolve) => setTimeout(resolve, 1))
  }
  it.each([
    {
      given: 'unchanged since the run that marked it used',
      change: () => Promise.resolve(),
      want: { verified: true, entryReads: 0, dropped: 0 },
    },
    {
      given: 'changed in place after the mark (same size)',
      change: (path: string) => writeFile(path, Buffer.alloc(bytes.byteLength, 0x20)),
      want: { verified: false, entryReads: 1, dropped: 1 },
    },
    {
      given: 'changed in place after the mark, its mtime then set back to the mark',
      change: async (path: string) => {
        const marked = await stat(path)
        await clockPasses(path)
        await writeFile(path, Buffer.alloc(bytes.byteLength, 0x20))
        await utimes(path, marked.atime, marked.mtime)
      },
      want: { verified: false, entryReads: 1, dropped: 1 },
    },
  ])('an entry marked used by a run, then $given → $want', async ({ change, want }) => {
    const hash = await new SpecCache(dir).write(bytes)
    const path = await lastUsedLongAgo(hash)
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    // Marked used: its mtime moved to about now.
    expect((await stat(path)).mtimeMs).toBeGreaterThan(Date.now() - HOUR_AND_A_BIT / 2)
    await change(path)
    const dropped: string[] = []
    const second = await run(hash, (h) => dropped.push(h))
    expect({ ...second, dropped: dropped.length }).toEqual(want)
  })

  it('an entry whose stamp held when a read marked it used is not re-hashed by the next run', async () => {
    const hash = await new SpecCache(dir).write(bytes)
    await settled(hash)
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    await lastUsedLongAgo(hash)
    // The stamp no longer holds (utimes above): verified again, stamped, then marked by a read.
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    const cache = new SpecCache(dir)
    expect(await cache.read(hash)).toEqual(Buffer.from(bytes))
    await cache.saveVerified()
    expect(await run(hash)).toEqual({ verified: true, entryReads: 0 })
  })

  it('stamps no entry changed in the same timestamp tick (racily clean): the next run reads it again', async () => {
    const hash = await new SpecCache(dir).write(bytes)
    // Each run in the tick the entry was changed: its mtime not older than the run's clock.
    const future = new Date(Date.now() + 3_600_000)
    await utimes(new SpecCache(dir).pathOf(hash), future, future)
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    await expect(stat(join(dir, 'sha512.verified'))).rejects.toThrow()
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
  })

  it('stamps nothing when the file system clock cannot be read (no temp directory): every run reads the entry', async () => {
    const hash = await new SpecCache(dir).write(bytes)
    await settled(hash)
    vi.stubEnv('TMPDIR', join(dir, 'no-such-dir'))
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    expect(await run(hash)).toEqual({ verified: true, entryReads: 1 })
    await expect(stat(join(dir, 'sha512.verified'))).rejects.toThrow()
  })

  const stampsFiles: Record<string, (hash: string) => string> = {
    'not JSON': () => '{"A',
    'an array': () => '[]',
    'a stamp for a key that is not a hash': () => '{"../x":"1:2:3:4"}',
    'a forged stamp for the entry': (hash) => JSON.stringify({ [hash]: '1:2:3:4' }),
  }
  it.each(
    Object.keys(stampsFiles).map((given) => ({
      given,
      want: { verified: false, entryReads: 1 },
    })),
  )(
    'a stamps file holding $given is ignored: a corrupt entry is read and dropped',
    async ({ given, want }) => {
      const hash = await new SpecCache(dir).write(bytes)
      await writeFile(join(dir, 'sha512.verified'), stampsFiles[given]!(hash))
      await writeFile(new SpecCache(dir).pathOf(hash), Buffer.alloc(bytes.byteLength, 0x20))
      expect(await run(hash)).toEqual(want)
    },
  )

  it('saves nothing when nothing was verified, and names only hashes in the stamps file', async () => {
    const hash = await new SpecCache(dir).write(bytes)
    await new SpecCache(dir).saveVerified()
    await expect(stat(join(dir, 'sha512.verified'))).rejects.toThrow()
    await settled(hash)
    await run(hash)
    expect(
      Object.keys(JSON.parse(await readFile(join(dir, 'sha512.verified'), 'utf8')) as object),
    ).toEqual([hash])
    expect((await stat(join(dir, 'sha512.verified'))).mode & 0o777).toBe(0o600)
  })
})

describe('defaultCacheDir', () => {
  it.each([
    { given: { K8S_CODEGEN_CACHE_DIR: '/x/y' }, want: '/x/y' },
    {
      given: { K8S_CODEGEN_CACHE_DIR: '' },
      want: expect.stringMatching(/k8s-codegen$/) as unknown,
    },
  ])('$given', ({ given, want }) => {
    expect(defaultCacheDir(given)).toEqual(want)
  })
})
