import type { BigIntStats } from 'node:fs'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileClock, isRacy, statStamp } from '../src/stat-stamp.js'

const S = 1_000_000_000n
// Times of a file (ns since the epoch); only what the racy rule reads.
const times = (mtimeNs: bigint, ctimeNs = mtimeNs) => ({ mtimeNs, ctimeNs }) as BigIntStats

// git read-cache.c is_racy_stat: racy when the recorded time is not older than the reference.
describe('isRacy: a stamp is distrusted when the file may have changed in the tick of its read', () => {
  const since = 1_700_000_000n * S + 500_000_000n
  it.each([
    { given: 'mtime and ctime a tick before the clock', stats: times(since - 1n), want: false },
    { given: 'mtime equal to the clock (same tick)', stats: times(since), want: true },
    { given: 'mtime after the clock', stats: times(since + 4_000_000n), want: true },
    {
      given: 'mtime set back (touch -d), ctime after the clock',
      stats: times(since - 3600n * S, since + 1n),
      want: true,
    },
    {
      given: 'whole-second times (ext3, HFS+), the second of the clock',
      stats: times(1_700_000_000n * S),
      want: true,
    },
    {
      given: "whole-second times, FAT's 2 s tick before the clock's second",
      stats: times(1_699_999_999n * S),
      want: true,
    },
    {
      given: 'whole-second times, older than a 2 s tick',
      stats: times(1_699_999_998n * S),
      want: false,
    },
  ])('$given → $want', ({ stats, want }) => {
    expect(isRacy(stats, since)).toBe(want)
  })
})

describe('statStamp and fileClock on a real file', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openapi-stat-stamp-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('a file written after the clock was read is racy; its stamp names its size', async () => {
    const path = join(dir, 'a.json')
    const since = fileClock()
    await writeFile(path, '{"a":1}')
    const first = await stat(path, { bigint: true })
    expect(isRacy(first, since)).toBe(true)
    await rm(path)
    await writeFile(path, '{"a":22}')
    const second = await stat(path, { bigint: true })
    expect(statStamp(second)).not.toBe(statStamp(first))
    expect(statStamp(second)).toBe(statStamp(await stat(path, { bigint: true })))
  })

  it('leaves nothing in the temp directory', async () => {
    const ours = async () =>
      (await readdir(tmpdir())).filter((f) => f.startsWith(`.k8s-codegen-clock-${process.pid}-`))
    fileClock()
    expect(await ours()).toEqual([])
  })
})
