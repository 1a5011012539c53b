import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { SpecCache } from '../src/cache.js'
import {
  CACHE_TRIM,
  enterCache,
  leaveCache,
  lockedEntries,
  markUsed,
  trimCache,
} from '../src/cache-trim.js'
import { sha512Hex } from '../src/hash.js'
import type { Lockfile } from '../src/lockfile.js'

// Go's build cache is the model (cmd/go/internal/cache/cache.go `Trim`, `markUsed`): entries
// unused for 5 days (+ an hour) go, at most once a day, never what the run's lockfile names, and
// never while another run reads the cache. The clock is `now` and mtimes are set with utimes:
// nothing here sleeps.
const HOUR = 3_600_000
const DAY = 24 * HOUR
// Whole seconds, as trim.txt keeps them; the real clock, as the runs' announcements use it.
const NOW = Math.floor(Date.now() / 1000) * 1000

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cache-trim-'))
})
afterEach(() => {
  leaveCache(dir)
  rmSync(dir, { recursive: true, force: true })
})

const hashOf = (text: string): string => sha512Hex(new TextEncoder().encode(text))

// Writes `sub/name` last used `ageMs` before NOW.
function entry(sub: string, name: string, ageMs: number): string {
  mkdirSync(join(dir, sub), { recursive: true })
  const path = join(dir, sub, name)
  writeFileSync(path, name)
  const at = new Date(NOW - ageMs)
  utimesSync(path, at, at)
  return `${sub}/${name}`
}

// Writes `sub/name` (a JSON entry) used now.
function jsonEntry(sub: string, name: string, value: unknown): void {
  mkdirSync(join(dir, sub), { recursive: true })
  writeFileSync(join(dir, sub, name), JSON.stringify(value))
}

// A locked group-version entry naming `hash` as its document (and the discovery list and CRD
// facts when given).
const lockedGv = (hash: string, more: object = {}): object => ({
  group: 'example.dev',
  version: 'v1',
  status: 'ok',
  hash,
  bytes: 1,
  ...more,
})

// Writes document `hash` last used `ageMs` before NOW, named by a group-version's conversion
// entry used now: a document a `generate --crds` makes again, which a trim may remove.
function convertedDocument(hash: string, ageMs: number): string {
  jsonEntry('crd-group-versions', `${hashOf(hash)}.json`, lockedGv(hash))
  return entry('sha512', hash, ageMs)
}

const present = (rel: string): boolean => existsSync(join(dir, rel))

describe('trimCache', () => {
  it('removes what was unused for 5 days and an hour, keeps the rest', async () => {
    const old = hashOf('old')
    const locked = hashOf('locked')
    const rows = [
      { given: convertedDocument(old, 5 * DAY + 2 * HOUR), want: false },
      { given: convertedDocument(hashOf('recent'), 4 * DAY), want: true },
      // Under 5 days + the hour of imprecision in "last used".
      { given: convertedDocument(hashOf('edge'), 5 * DAY + HOUR / 2), want: true },
      { given: convertedDocument(locked, 30 * DAY), want: true },
      // Named by no conversion: downloaded by a fetch, never trimmed.
      { given: entry('sha512', hashOf('fetched'), 30 * DAY), want: true },
      { given: entry('crd-conversions', `${old}.json`, 6 * DAY), want: false },
      { given: entry('crd-files', `${old}.json`, 6 * DAY), want: false },
      { given: entry('crd-group-versions', `${old}.json`, 6 * DAY), want: false },
      { given: entry('generations', `${'a'.repeat(64)}.json`, 6 * DAY), want: false },
      { given: entry('generations', `${'b'.repeat(64)}.json`, DAY), want: true },
      // Temp files are their writers' to remove.
      { given: entry('sha512', `.${old}.123.tmp`, 30 * DAY), want: true },
      { given: entry('crd-files', `${old}.json.tmp-123`, 30 * DAY), want: true },
    ]
    const result = await trimCache(dir, { now: NOW, keep: () => new Set([`sha512/${locked}`]) })
    expect(rows.map(({ given }) => ({ given, kept: present(given) }))).toEqual(
      rows.map(({ given, want }) => ({ given, kept: want })),
    )
    expect(result).toEqual({ removed: 5 })
    expect(readFileSync(join(dir, 'trim.txt'), 'utf8')).toBe(String(NOW / 1000))
    expect(present('trim.lock')).toBe(false)
  })

  it.each([
    { given: 'trimmed an hour ago', trimmedAt: NOW - HOUR, want: { skipped: 'recent' } },
    { given: 'trimmed 25 hours ago', trimmedAt: NOW - 25 * HOUR, want: { removed: 1 } },
    // A clock set back, as Go's `d > -mtimeInterval`: trims again.
    { given: 'trimmed 2 hours in the future', trimmedAt: NOW + 2 * HOUR, want: { removed: 1 } },
    { given: 'a damaged trim.txt', trimmedAt: 'yesterday', want: { removed: 1 } },
  ])('at most once a day: $given', async ({ trimmedAt, want }) => {
    const rel = convertedDocument(hashOf('old'), 6 * DAY)
    writeFileSync(
      join(dir, 'trim.txt'),
      typeof trimmedAt === 'number' ? String(trimmedAt / 1000) : trimmedAt,
    )
    expect(await trimCache(dir, { now: NOW })).toEqual(want)
    expect(present(rel)).toBe('skipped' in want)
  })

  it.each([
    {
      given: "a CRD set's conversion record",
      name: (hash: string) =>
        jsonEntry('crd-conversions', `${hashOf('set')}.json`, {
          groupVersions: { 'apis/example.dev/v1': lockedGv(hashOf('other')), x: lockedGv(hash) },
        }),
      want: false,
    },
    {
      given: "a group-version's entry, as its discovery list",
      name: (hash: string) =>
        jsonEntry('crd-group-versions', `${hashOf('gv')}.json`, {
          ...lockedGv(hashOf('other')),
          discovery: { hash, bytes: 1 },
        }),
      want: false,
    },
    {
      given: "a group-version's entry, as its CRD facts",
      name: (hash: string) =>
        jsonEntry('crd-group-versions', `${hashOf('gv')}.json`, {
          ...lockedGv(hashOf('other')),
          crdFacts: { hash, bytes: 1 },
        }),
      want: false,
    },
    {
      given: 'an entry that is not a locked group-version',
      name: (hash: string) =>
        jsonEntry('crd-group-versions', `${hashOf('gv')}.json`, { ...lockedGv(hash), status: 'x' }),
      want: true,
    },
    {
      given: 'a damaged entry',
      name: () => entry('crd-conversions', 'C'.repeat(128), 0),
      want: true,
    },
    { given: 'nothing (a fetched document)', name: () => undefined, want: true },
  ])('an unused document named by $given is kept: $want', async ({ name, want }) => {
    const hash = hashOf('old')
    const rel = entry('sha512', hash, 6 * DAY)
    name(hash)
    await trimCache(dir, { now: NOW })
    expect(present(rel)).toBe(want)
  })

  it('does not ask for what to keep unless it trims', async () => {
    writeFileSync(join(dir, 'trim.txt'), String((NOW - HOUR) / 1000))
    let asked = 0
    await trimCache(dir, { now: NOW, keep: () => (asked++, new Set()) })
    expect(asked).toBe(0)
  })

  it.each([
    {
      given: 'a run of this host that is alive',
      host: hostname(),
      pid: process.ppid,
      age: 0,
      want: 'busy',
    },
    {
      given: 'a run of another host, 10 minutes ago',
      host: 'elsewhere',
      pid: 1,
      age: 10 * 60_000,
      want: 'busy',
    },
    {
      given: 'a run of this host that is gone (kill -9)',
      host: hostname(),
      pid: deadPid(),
      age: 0,
      want: 'trims',
    },
    {
      given: 'a run of another host, 2 hours ago',
      host: 'elsewhere',
      pid: 1,
      age: 2 * HOUR,
      want: 'trims',
    },
  ])('another run announced in the cache: $given', async ({ host, pid, age, want }) => {
    const rel = convertedDocument(hashOf('old'), 6 * DAY)
    mkdirSync(join(dir, 'runs'))
    const run = join(dir, 'runs', `${pid}-abc`)
    writeFileSync(run, `${pid} ${host}\n`)
    const at = new Date(NOW - age)
    utimesSync(run, at, at)
    const result = await trimCache(dir, { now: NOW })
    expect({ result, kept: present(rel), announced: existsSync(run) }).toEqual(
      want === 'busy'
        ? { result: { skipped: 'busy' }, kept: true, announced: true }
        : { result: { removed: 1 }, kept: false, announced: false },
    )
    // A skipped trim leaves no mark: the next run tries again.
    expect(present('trim.txt')).toBe(want !== 'busy')
  })

  it.each([
    { given: 'a trim at work', lockAge: 1_000, want: { skipped: 'busy' } },
    { given: 'the lock of a trim killed a minute ago', lockAge: 2 * 60_000, want: { removed: 1 } },
  ])('trim.lock of $given', async ({ lockAge, want }) => {
    const rel = convertedDocument(hashOf('old'), 6 * DAY)
    mkdirSync(join(dir, 'trim.lock'))
    const at = new Date(NOW - lockAge)
    utimesSync(join(dir, 'trim.lock'), at, at)
    expect(await trimCache(dir, { now: NOW })).toEqual(want)
    expect(present(rel)).toBe('skipped' in want)
  })

  it('forgets the verification stamps of the documents it removes', async () => {
    const kept = entry('sha512', hashOf('kept'), DAY).slice('sha512/'.length)
    const gone = convertedDocument(hashOf('gone'), 6 * DAY).slice('sha512/'.length)
    writeFileSync(join(dir, 'sha512.verified'), JSON.stringify({ [kept]: 's:k', [gone]: 's:g' }))
    expect(await trimCache(dir, { now: NOW })).toEqual({ removed: 1 })
    expect(JSON.parse(readFileSync(join(dir, 'sha512.verified'), 'utf8'))).toEqual({
      [kept]: 's:k',
    })
  })
})

describe('a run and a trim at once', () => {
  it('a run reading the cache keeps a trim from starting', async () => {
    const rel = convertedDocument(hashOf('old'), 6 * DAY)
    entry('sha512', hashOf('read'), 0)
    const reader = new SpecCache(dir)
    expect(reader.has(hashOf('read'))).toBe(true)
    const [announced] = readdirSync(join(dir, 'runs'))
    // The trim of another process sees this one's announcement as any other's: a copy under
    // another name is not this process's own.
    writeFileSync(
      join(dir, 'runs', 'other'),
      readFileSync(join(dir, 'runs', announced ?? 'missing')),
    )
    expect(await trimCache(dir, { now: NOW })).toEqual({ skipped: 'busy' })
    expect(present(rel)).toBe(true)
    rmSync(join(dir, 'runs', 'other'))
    leaveCache(dir)
    // Withdrawn, `runs/` with it: the cache is as the run found it.
    expect(present('runs')).toBe(false)
    expect(await trimCache(dir, { now: NOW })).toEqual({ removed: 1 })
  })

  it('a run that starts while a trim holds the cache waits for it to end', async () => {
    mkdirSync(join(dir, 'trim.lock'))
    // The trim ends in another process; this one blocks in enterCache until then.
    const trim = spawn(process.execPath, [
      '-e',
      `setTimeout(() => require('node:fs').rmdirSync(${JSON.stringify(join(dir, 'trim.lock'))}), 300)`,
    ])
    enterCache(dir)
    expect({ lock: present('trim.lock'), runs: readdirSync(join(dir, 'runs')).length }).toEqual({
      lock: false,
      runs: 1,
    })
    await new Promise((resolve) => trim.once('exit', resolve))
  })
})

describe('markUsed', () => {
  it.each([
    { given: 'used 30 minutes ago', ageMs: 30 * 60_000, want: NOW - 30 * 60_000 },
    { given: 'used an hour ago', ageMs: CACHE_TRIM.mtimeIntervalMs, want: NOW },
    { given: 'used 3 days ago', ageMs: 3 * DAY, want: NOW },
  ])('sets the mtime to now at most hourly: $given', ({ ageMs, want }) => {
    const path = join(dir, entry('sha512', hashOf('x'), ageMs))
    markUsed(path, statSync(path).mtimeMs, NOW)
    expect(statSync(path).mtimeMs).toBe(want)
  })

  it('a look-up of a document marks it used', () => {
    const hash = hashOf('x')
    const path = join(dir, entry('sha512', hash, 3 * DAY))
    expect(new SpecCache(dir).has(hash)).toBe(true)
    expect(statSync(path).mtimeMs).toBeGreaterThan(NOW - 3 * DAY)
  })
})

describe('lockedEntries', () => {
  it('names every document, discovery list, CRD facts and v2 document a lockfile locks', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(hashOf) as [string, string, string, string]
    const lockfile: Lockfile = {
      lockfileVersion: 2,
      source: 'v2',
      v2: { hash: d, bytes: 1 },
      groupVersions: {
        'apis/example.dev/v1': {
          group: 'example.dev',
          version: 'v1',
          status: 'ok',
          hash: a,
          bytes: 1,
          discovery: { hash: b, bytes: 1 },
          crdFacts: { hash: c, bytes: 1 },
        },
        'apis/gone.dev/v1': {
          group: 'gone.dev',
          version: 'v1',
          status: 'unavailable',
          httpStatus: 503,
        },
      },
    }
    expect([...lockedEntries(lockfile)].sort()).toEqual(
      [a, b, c, d].map((h) => `sha512/${h}`).sort(),
    )
  })
})

// The pid of a process that has exited.
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 2 ** 22 + 1
}
