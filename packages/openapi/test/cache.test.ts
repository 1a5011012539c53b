import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SpecCache, defaultCacheDir } from '../src/cache.js'
import { sha512Hex } from '../src/hash.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-cache-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
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
