// A file verified once (read and hashed) and unchanged since need not be hashed again: the stat
// data git keeps in its index to skip re-hashing a clean file (git `read-cache.c`
// ie_match_stat). Here: inode, size, mtime and ctime, in nanoseconds. ctime cannot be set by a
// user, and any write, rename or chmod changes it. Like git's "racily clean" rule
// (`is_racy_timestamp`), a stamp is only recorded for a file whose ctime is older than its file
// system's timestamp tick, so a change in the same tick as the verification can never keep a
// stamp: 100 ms where times have sub-second digits (Linux stamps files from a coarse clock that
// ticks every 1–10 ms), 3 s where they are whole seconds (ext3, HFS+, FAT's 2 s). Stamps are local
// state: they live in the cache, never beside committed files (another checkout has other inodes
// and times).
import { readFileSync, statSync, type BigIntStats } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { removeStaleTempFiles, writeFileAtomic } from './_atomic-write.js'

const FINE_TICK_MS = 100
const WHOLE_SECOND_TICK_MS = 3_000
// The stamps file is hostile input like any file: past this size it is ignored (verify all).
const STAMPS_MAX_BYTES = 16 << 20

const stampOf = (stat: BigIntStats, content: string): string =>
  `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${content}`

/**
 * The stat of `path` (nanosecond times), or undefined when it is not a file or cannot be read.
 *
 * @example
 * const stat = statForStamp('generated/index.ts')
 */
export function statForStamp(path: string): BigIntStats | undefined {
  try {
    const stat = statSync(path, { bigint: true, throwIfNoEntry: false })
    return stat?.isFile() === true ? stat : undefined
  } catch {
    return undefined
  }
}

/**
 * Which files were verified and are unchanged since, kept in one JSON file (0600, written
 * atomically): `name → inode:size:mtime:ctime:content hash`. An absent, unreadable or malformed
 * stamps file only means every file is verified by reading it again.
 *
 * @example
 * const stamps = new VerifiedStamps(join(cacheDir, 'sha512.verified'))
 * const stat = statForStamp(path)
 * if (stat && !stamps.isVerified(hash, stat, hash) && verify(readFileSync(path)))
 *   stamps.record(hash, stat, hash)
 * await stamps.save()
 */
export class VerifiedStamps {
  readonly #path: string
  #stamps: Map<string, string> | undefined
  #changed = false

  constructor(path: string) {
    this.#path = path
  }

  /** True when `name` was verified with content hash `content` and `stat` is the same since. */
  isVerified(name: string, stat: BigIntStats, content: string): boolean {
    return this.#load().get(name) === stampOf(stat, content)
  }

  /**
   * Records that `name` (stat `stat`, taken before it was read) held `content` when verified;
   * ignored for a file changed within its file system's last timestamp tick (racily clean),
   * which is verified again next time.
   */
  record(name: string, stat: BigIntStats, content: string): void {
    const tick = stat.ctimeNs % 1_000_000_000n === 0n ? WHOLE_SECOND_TICK_MS : FINE_TICK_MS
    if (Date.now() - Number(stat.ctimeMs) < tick) return
    const stamp = stampOf(stat, content)
    const stamps = this.#load()
    if (stamps.get(name) === stamp) return
    stamps.set(name, stamp)
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
