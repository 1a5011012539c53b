// The stat data git keeps in its index to skip re-hashing a clean file, and its "racily clean"
// rule, in one place for every cache of this tool that trusts a stat (the cache's verified
// entries, the CLI's generation record). git `read-cache.c` ie_match_stat / match_stat_data
// compare a file's stat with the one recorded when its content was hashed; is_racy_stat /
// is_racy_timestamp distrust an entry whose mtime is not older than the index file's own
// timestamp, because an edit in the same clock tick as the hashing leaves the stat as it was
// (`Documentation/technical/racy-git.txt`). Here the reference is the file system's clock read
// before anything is stat'ed or read (`fileClock`): a file whose mtime or ctime is not older
// than it may have changed after it was read, and its stamp is never trusted. The clock is the
// one file times come from (the kernel's coarse clock, not `Date.now()`), so no guessed tick
// length is needed; ctime is compared too because mtime can be set back (`touch -d`) and ctime
// cannot.
import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, openSync, rmSync, statSync, type BigIntStats } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// A file system that stores whole seconds (ext3, HFS+; FAT stores every other second) stamps a
// change with the start of its tick: such a time stands for any instant up to 2 s later.
const WHOLE_SECOND = 1_000_000_000n
const WHOLE_SECOND_TICK = 2n * WHOLE_SECOND

/**
 * What a stat says about a file's content without reading it: `inode:device:size:mtime:ctime`
 * (nanoseconds). Two equal stamps of a file that was not racy (`isRacy`) when stamped mean the
 * same content.
 *
 * @example
 * statStamp(statSync('generated/index.ts', { bigint: true })) // '1234:2049:512:17…:17…'
 */
export function statStamp(stats: BigIntStats): string {
  return `${stats.ino}:${stats.dev}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

/**
 * The file system's clock now: the mtime of a file just created (and removed) in the OS temp
 * directory, so that reading it leaves nothing behind. Read it before stat'ing the files whose
 * stamps you mean to record.
 *
 * @example
 * const since = fileClock()
 */
export function fileClock(): bigint {
  const path = join(tmpdir(), `.k8s-codegen-clock-${process.pid}-${randomBytes(4).toString('hex')}`)
  const fd = openSync(path, 'wx', 0o600)
  try {
    return fstatSync(fd, { bigint: true }).mtimeNs
  } finally {
    closeSync(fd)
    rmSync(path, { force: true })
  }
}

const latest = (time: bigint): bigint =>
  time % WHOLE_SECOND === 0n ? time + WHOLE_SECOND_TICK - 1n : time

/**
 * Racily clean: the file's mtime or ctime is not older than `since` (a {@link fileClock} read
 * before the file was stat'ed and read), so it may have changed in the same tick without its
 * stat changing. Its stamp is not to be trusted; hash it again.
 *
 * @example
 * if (!isRacy(stats, since)) stamps.set(path, statStamp(stats))
 */
export function isRacy(stats: BigIntStats, since: bigint): boolean {
  return isMtimeRacy(stats.mtimeNs, since) || latest(stats.ctimeNs) >= since
}

/**
 * Whether `mtimeNs` is not older than `since` (a {@link fileClock}), allowing for a file system
 * that stores whole seconds: a write from `since` on may have left this very mtime.
 *
 * @example
 * if (!isMtimeRacy(stats.mtimeNs, since)) trust(stats)
 */
export function isMtimeRacy(mtimeNs: bigint, since: bigint): boolean {
  return latest(mtimeNs) >= since
}

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
