// A file verified once (read and hashed) and unchanged since need not be hashed again: stamps
// (`stat-stamp.ts`, git's index check and racily-clean rule) of the files verified, kept in one
// file. Stamps are local state: they live in the cache, never beside committed files (another
// checkout has other inodes and times).
import { readFileSync, statSync, type BigIntStats } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { removeStaleTempFiles, writeFileAtomic } from './_atomic-write.js'
import { markUsed } from './cache-trim.js'
import { fileClock, isMtimeRacy, isRacy, statForStamp, statStamp } from './stat-stamp.js'

// The stamps file is hostile input like any file: past this size it is ignored (verify all).
// Where `markUsed` sets a verified file's mtime: this far before the run's clock (a whole-second
// file system's tick, `stat-stamp.ts`), so no write from the clock on can leave the same mtime.
const MARK_BEFORE_CLOCK_NS = 2_000_000_000n

const STAMPS_MAX_BYTES = 16 << 20

const stampOf = (stat: BigIntStats, content: string): string => `${statStamp(stat)}:${content}`

/**
 * Which files were verified and are unchanged since, kept in one JSON file (0600, written
 * atomically): `name → statStamp:content hash`. An absent, unreadable or malformed
 * stamps file only means every file is verified by reading it again.
 *
 * @example
 * const stamps = new VerifiedStamps(join(cacheDir, 'sha512.verified'))
 * const stat = stamps.stat(path)
 * if (stat && !stamps.isVerified(hash, stat, hash) && verify(readFileSync(path)))
 *   stamps.record(hash, stat, hash)
 * await stamps.save()
 */
export class VerifiedStamps {
  readonly #path: string
  #stamps: Map<string, string> | undefined
  #changed = false
  // The file system's clock when the first file was stat'ed; null when it cannot be read (then
  // nothing is stamped and every file is verified by reading it, as without stamps).
  #since: bigint | null | undefined

  constructor(path: string) {
    this.#path = path
  }

  /**
   * The stat of `path` to verify it under (undefined when it is not a file): taken after the file
   * system's clock, which tells the stamps {@link record} may keep (not racily clean).
   */
  stat(path: string): BigIntStats | undefined {
    if (this.#since === undefined) {
      try {
        this.#since = fileClock()
      } catch {
        this.#since = null
      }
    }
    return statForStamp(path)
  }

  /** True when `name` was verified with content hash `content` and `stat` is the same since. */
  isVerified(name: string, stat: BigIntStats, content: string): boolean {
    return this.#load().get(name) === stampOf(stat, content)
  }

  /**
   * Records that `name` (stat `stat`, from {@link stat}, taken before it was read) held `content`
   * when verified; ignored for a file changed since the clock {@link stat} read first (racily
   * clean, `isRacy`), which is verified again next time.
   */
  record(name: string, stat: BigIntStats, content: string): void {
    if (this.#since === undefined || this.#since === null || isRacy(stat, this.#since)) return
    const stamp = stampOf(stat, content)
    const stamps = this.#load()
    if (stamps.get(name) === stamp) return
    stamps.set(name, stamp)
    this.#changed = true
  }

  /**
   * Marks the verified file `name` used (its mtime, as cache-trim.ts `markUsed` does: at most
   * hourly) without losing its verification: `stat` is the one it is verified under. The mtime is
   * set to a whole-second tick before this run's clock, so any later write, which sets it to the
   * clock or after, still changes it; the stat after the mark is then stamped (its ctime, which
   * the mark itself set, may be this run's). A file not verified under `stat` is marked only.
   */
  markUsed(name: string, path: string, stat: BigIntStats, content: string): void {
    const since = this.#since
    if (since === undefined || since === null) {
      markUsed(path, Number(stat.mtimeMs))
      return
    }
    const verified = this.isVerified(name, stat, content)
    const at = new Date(Number((since - MARK_BEFORE_CLOCK_NS) / 1_000_000n))
    if (!markUsed(path, Number(stat.mtimeMs), Date.now(), at) || !verified) return
    const after = statForStamp(path)
    if (
      after === undefined ||
      after.ino !== stat.ino ||
      after.dev !== stat.dev ||
      after.size !== stat.size ||
      isMtimeRacy(after.mtimeNs, since)
    ) {
      this.forget(name)
      return
    }
    this.#load().set(name, stampOf(after, content))
    this.#changed = true
  }

  /** Forgets `name` (found changed or removed). */
  forget(name: string): void {
    if (this.#load().delete(name)) this.#changed = true
  }

  /** Forgets every name but `names` (what no longer exists keeps no stamp). */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.#load().keys()) if (!names.has(name)) this.forget(name)
  }

  /**
   * Writes the stamps when they changed. Never throws: stamps only save work, and where they
   * cannot be written every file is verified by reading it, as without them.
   */
  async save(): Promise<void> {
    if (!this.#changed || this.#stamps === undefined) return
    this.#changed = false
    const entries = [...this.#stamps].sort(([a], [b]) => (a < b ? -1 : 1))
    try {
      await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 })
      await writeFileAtomic(this.#path, `${JSON.stringify(Object.fromEntries(entries))}\n`)
    } catch {
      // see above: nothing is lost but the saving
    }
    await removeStaleTempFiles(dirname(this.#path))
  }

  #load(): Map<string, string> {
    if (this.#stamps !== undefined) return this.#stamps
    this.#stamps = new Map()
    let parsed: unknown
    try {
      if ((statSync(this.#path, { throwIfNoEntry: false })?.size ?? 0) > STAMPS_MAX_BYTES)
        return this.#stamps
      parsed = JSON.parse(readFileSync(this.#path, 'utf8'))
    } catch {
      return this.#stamps
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.#stamps
    for (const [name, stamp] of Object.entries(parsed))
      if (typeof stamp === 'string') this.#stamps.set(name, stamp)
    return this.#stamps
  }
}
