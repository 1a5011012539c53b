// Keeps a user's cache bounded the way Go's build cache does (cmd/go/internal/cache/cache.go):
// an entry's mtime is set to now when it is used, at most once an hour (`markUsed`,
// `mtimeInterval`), so it says roughly when it was last used; at most once a day (`trimInterval`,
// the time of the last trim kept in `trim.txt`) a run removes the entries unused for 5 days
// (`trimLimit`, plus an hour for the imprecision of those mtimes: `Trim`, `trimSubdir`).
//
// Adapted to this cache:
// - what is trimmed: what can be made again — each CRD set's, file's and group-version's
//   conversion (`crd-conversions/`, `crd-files/`, `crd-group-versions/`), the documents those
//   conversions name (`sha512/`) and the generation records (`generations/`); never anything the
//   run's own lockfile names (its documents, discovery lists and CRD facts), whatever their mtime,
//   and never a temp file or a lock. A trimmed entry costs one slower run. A document no
//   conversion names was downloaded by `fetch` (or read from `--specs-dir`) and may be all a
//   user has of a cluster's spec: it is never trimmed, as Go never trims the downloads of its
//   module cache (only `go clean -modcache` removes them).
// - two runs at once: a removal never leaves half a file (an entry is written whole and renamed
//   into place, and unlinked whole), but a run could find an entry it needs gone between its
//   look-up and its read. So every run that reads entries announces itself (`enterCache`: a file
//   in `runs/`, removed when the process exits), and a trim runs only when it holds `trim.lock`
//   and no other run is announced; a run that announces itself while a trim holds the lock waits
//   for it. Each side writes its mark before it looks for the other's, so one of them always sees
//   the other. A run killed with `kill -9` leaves its file behind: it is ignored once its process
//   is gone (same host) or an hour old; a trim's lock left so is taken over after a minute.
import { randomBytes } from 'node:crypto'
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  rmdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { writeFileAtomic } from './_atomic-write.js'
import { isJsonObject } from './_canonical-json.js'
import type { Lockfile } from './lockfile.js'
import { VerifiedStamps } from './verified-stamps.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Go's constants (cmd/go/internal/cache/cache.go): an entry's mtime is refreshed at most once per
 * `mtimeIntervalMs`, the cache is scanned at most once per `trimIntervalMs`, and an entry unused
 * for `trimLimitMs` is removed.
 *
 * @example
 * CACHE_TRIM.trimLimitMs / 86_400_000 // 5 (days)
 */
export const CACHE_TRIM = {
  mtimeIntervalMs: HOUR,
  trimIntervalMs: DAY,
  trimLimitMs: 5 * DAY,
} as const

/** The cache's subdirectories whose entries are trimmed. */
const TRIMMED = ['sha512', 'crd-conversions', 'crd-files', 'crd-group-versions', 'generations']
// An entry: a SHA-512 (the documents), a key or a slot with `.json` (the others). Temp files
// (`.name.pid.tmp`, `name.tmp-…`) and locks never match.
const ENTRY = /^[0-9A-Za-z_-]{16,160}(\.json)?$/
const TRIM_FILE = 'trim.txt'
const TRIM_LOCK = 'trim.lock'
const RUNS = 'runs'
// A trim's lock is taken over when older than this (a trim lasts well under a second).
const TRIM_LOCK_STALE_MS = 60_000
// A run's announcement counts as live at most this long (a run on another host, in another pid
// namespace, cannot be asked whether it still runs).
const RUN_STALE_MS = HOUR

/**
 * Marks a cache entry used now, as Go's `markUsed`: sets its mtime (and atime) to `at` (default
 * `now`) when it is at least an hour older, so mtimes say roughly when each entry was last used
 * without a write on every use. Best effort: an entry gone or read-only stays as it is. Returns
 * whether it set them.
 *
 * @example
 * const stats = statSync(path)
 * markUsed(path, stats.mtimeMs)
 */
export function markUsed(
  path: string,
  mtimeMs: number,
  now: number = Date.now(),
  at: Date = new Date(now),
): boolean {
  if (now - mtimeMs < CACHE_TRIM.mtimeIntervalMs) return false
  try {
    utimesSync(path, at, at)
    return true
  } catch {
    // Another run removed it, or it is not ours to touch: the next use tries again.
    return false
  }
}

/**
 * Stats `path` and marks it used ({@link markUsed}); what a reader of an entry it did not stat
 * calls once it has read it.
 *
 * @example
 * const bytes = await readFile(path)
 * markRead(path)
 */
export function markRead(path: string, now: number = Date.now()): void {
  try {
    markUsed(path, statSync(path).mtimeMs, now)
  } catch {
    // Gone since it was read: nothing to mark.
  }
}

// The caches this process announced itself in (resolved dir → its file), withdrawn when the run
// says it is done with the cache (`leaveCache`) or, at the latest, when the process exits.
const announced = new Map<string, string>()

// Removes an announcement, and `runs/` with it when no other run is announced: a run leaves the
// cache as it found it.
function withdraw(file: string): void {
  rmSync(file, { force: true })
  try {
    rmdirSync(dirname(file))
  } catch {
    // Another run's announcement is in it.
  }
}

const leaveAll = (): void => {
  for (const file of announced.values()) withdraw(file)
}

function trimLockHeld(dir: string, now: number): boolean {
  try {
    return now - statSync(join(dir, TRIM_LOCK)).mtimeMs < TRIM_LOCK_STALE_MS
  } catch {
    return false
  }
}

/**
 * Announces that this process reads entries of the cache `dir` until it exits, so no trim runs
 * meanwhile, and waits (up to a minute) for a trim that holds the cache. Once per process and
 * cache; a cache that cannot be written is read unannounced (nothing can trim it either).
 *
 * @example
 * enterCache(cacheDir)
 * const bytes = await new SpecCache(cacheDir).read(hash)
 */
export function enterCache(cacheDir: string): void {
  const dir = resolve(cacheDir)
  if (announced.has(dir)) return
  const runs = join(dir, RUNS)
  const file = join(runs, `${process.pid}-${randomBytes(6).toString('hex')}`)
  // Another run leaving removes `runs/` when it is empty, maybe between the two steps: again.
  for (let attempt = 1; ; attempt++) {
    try {
      // Not recursive: a cache that does not exist yet is not created by a look-up (and holds
      // nothing a trim could take).
      mkdirSync(runs, { mode: 0o700 })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return
    }
    try {
      writeFileSync(file, `${process.pid} ${hostname()}\n`, { mode: 0o600 })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) return
    }
  }
  if (announced.size === 0) process.once('exit', leaveAll)
  announced.set(dir, file)
  // Written before looking: a trim that took its lock before this file existed is waited for; one
  // that takes it later sees the file.
  const until = Date.now() + TRIM_LOCK_STALE_MS
  while (trimLockHeld(dir, Date.now()) && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
  }
}

/**
 * Withdraws this process's announcement in `cacheDir` ({@link enterCache}), removing `runs/`
 * when it is empty: what a command calls when it is done with the cache (a process that goes
 * on running, as the CLI in a test or a long-lived program), so the cache is as it found it.
 *
 * @example
 * leaveCache(cacheDir)
 */
export function leaveCache(cacheDir: string): void {
  const dir = resolve(cacheDir)
  const file = announced.get(dir)
  if (file !== undefined) withdraw(file)
  announced.delete(dir)
  if (announced.size === 0) process.removeListener('exit', leaveAll)
}

// Whether another run announced in `runs/` may still be reading.
function othersRunning(dir: string, now: number): boolean {
  const runs = join(dir, RUNS)
  let names: string[]
  try {
    names = readdirSync(runs)
  } catch {
    return false
  }
  const own = announced.get(resolve(dir))
  const host = hostname()
  for (const name of names) {
    const file = join(runs, name)
    if (file === own) continue
    let live: boolean
    try {
      const stats = statSync(file)
      const [pid, from] = readFileSync(file, 'utf8').trim().split(' ')
      live = now - stats.mtimeMs < RUN_STALE_MS && !(from === host && !processExists(Number(pid)))
    } catch {
      continue
    }
    if (live) return true
    rmSync(file, { force: true })
  }
  return false
}

function processExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// Go's `skipTrim`: trimmed less than a day ago (and not more than an hour in the future: a clock
// set back, or a damaged file, trims again).
function trimmedRecently(dir: string, now: number): boolean {
  let text: string
  try {
    text = readFileSync(join(dir, TRIM_FILE), 'utf8')
  } catch {
    return false
  }
  if (!/^\d{1,15}\s*$/.test(text)) return false
  const since = now - Number(text.trim()) * 1000
  return since < CACHE_TRIM.trimIntervalMs && since > -CACHE_TRIM.mtimeIntervalMs
}

/**
 * What {@link trimCache} did: `skipped` says why it did not look (trimmed within the day, a trim
 * or another run at work, or it failed: a cache it cannot write, a lockfile it cannot read, so
 * what to keep is unknown); else how many entries it removed.
 *
 * @example
 * const result: CacheTrimResult = { skipped: 'recent' }
 */
export type CacheTrimResult =
  { skipped: 'recent' | 'busy' | 'failed' } | { skipped?: undefined; removed: number }

/**
 * The cache entries `lockfile` names (`sha512/<HASH>`: each group-version's document, discovery
 * list and CRD facts, and the v2 document they were split from): what a trim keeps for the run
 * that uses it.
 *
 * @example
 * await trimCache(cacheDir, { keep: () => lockedEntries(lockfile) })
 */
export function lockedEntries(lockfile: Lockfile | undefined): Set<string> {
  const keep = new Set<string>()
  if (lockfile?.v2 !== undefined) keep.add(`sha512/${lockfile.v2.hash}`)
  for (const gv of Object.values(lockfile?.groupVersions ?? {}))
    for (const hash of documentsOf(gv)) keep.add(`sha512/${hash}`)
  return keep
}

// The documents a locked group-version names (its document, discovery list and CRD facts), read
// defensively: a cache entry holding one may be of another version or damaged.
function documentsOf(gv: unknown): string[] {
  if (!isJsonObject(gv) || gv['status'] !== 'ok') return []
  return [gv, gv['discovery'], gv['crdFacts']].flatMap((named) =>
    isJsonObject(named) && typeof named['hash'] === 'string' ? [named['hash']] : [],
  )
}

// The documents the conversions in the cache name (a set's record: its group-versions; a
// group-version's entry: itself): those a later `generate --crds` makes again from its files.
function convertedDocuments(dir: string): Set<string> {
  const found = new Set<string>()
  for (const [sub, groupVersions] of [
    [
      'crd-conversions',
      (entry: Record<string, unknown>) => Object.values(asObject(entry['groupVersions'])),
    ],
    ['crd-group-versions', (entry: Record<string, unknown>) => [entry]],
  ] as const) {
    for (const name of entryNames(dir, sub)) {
      try {
        const entry: unknown = JSON.parse(readFileSync(join(dir, sub, name), 'utf8'))
        if (!isJsonObject(entry)) continue
        for (const gv of groupVersions(entry)) for (const hash of documentsOf(gv)) found.add(hash)
      } catch {
        // Gone or damaged: it names nothing.
      }
    }
  }
  return found
}

// The entries in `dir/sub` (none when it does not exist): never a temp file or a lock.
function entryNames(dir: string, sub: string): string[] {
  try {
    return readdirSync(join(dir, sub)).filter((name) => ENTRY.test(name))
  } catch {
    return []
  }
}

const asObject = (value: unknown): Record<string, unknown> => (isJsonObject(value) ? value : {})

/**
 * Removes the entries of cache `dir` unused for 5 days, at most once a day, as Go's
 * `DiskCache.Trim` (see the top of this file); never an entry `keep` names (asked only when a
 * trim is due: {@link lockedEntries} of the run's lockfile), and not while another run reads the
 * cache. Never throws: a cache that cannot be trimmed now is trimmed by a later run.
 *
 * @example
 * await trimCache(cacheDir, { keep: async () => lockedEntries(await getLockfile(path)) })
 */
export async function trimCache(
  dir: string,
  options: { keep?: () => Promise<ReadonlySet<string>> | ReadonlySet<string>; now?: number } = {},
): Promise<CacheTrimResult> {
  const now = options.now ?? Date.now()
  if (trimmedRecently(dir, now)) return { skipped: 'recent' }
  const lock = join(dir, TRIM_LOCK)
  try {
    mkdirSync(lock, { mode: 0o700 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { skipped: 'failed' }
    // Left by a trim killed half-way: taken over once stale.
    if (trimLockHeld(dir, now)) return { skipped: 'busy' }
    rmSync(lock, { recursive: true, force: true })
    return trimCache(dir, options)
  }
  try {
    // The lock is in place before the announcements are read: a run announced after this waits.
    if (othersRunning(dir, now)) return { skipped: 'busy' }
    const keep = (await options.keep?.()) ?? new Set<string>()
    // Written first, as Go does, so that runs starting now do not all trim again.
    await writeFileAtomic(join(dir, TRIM_FILE), `${Math.floor(now / 1000)}`)
    const cutoff = now - CACHE_TRIM.trimLimitMs - CACHE_TRIM.mtimeIntervalMs
    // Read before any conversion is removed: a document made again from CRD files goes with them.
    const converted = convertedDocuments(dir)
    const stamps = new VerifiedStamps(join(dir, 'sha512.verified'))
    let removed = 0
    for (const sub of TRIMMED) {
      for (const name of entryNames(dir, sub)) {
        if (keep.has(`${sub}/${name}`)) continue
        if (sub === 'sha512' && !converted.has(name)) continue
        const path = join(dir, sub, name)
        try {
          const stats = statSync(path)
          if (stats.isFile() && stats.mtimeMs < cutoff) {
            rmSync(path, { force: true })
            // A removed document keeps no verification stamp (the stamps file stays bounded too).
            if (sub === 'sha512') stamps.forget(name)
            removed++
          }
        } catch {
          // Gone already.
        }
      }
    }
    await stamps.save()
    return { removed }
  } catch {
    return { skipped: 'failed' }
  } finally {
    try {
      rmdirSync(lock)
    } catch {
      // Taken over as stale by another trim: it removes it.
    }
  }
}
