import { readFileSync, statSync, type BigIntStats } from 'node:fs'
import { chmod, mkdir, readFile, unlink } from 'node:fs/promises'
import { join, sep } from 'node:path'
import envPaths from 'env-paths'
import { removeStaleTempFiles, writeFailed, writeFileAtomic } from './_atomic-write.js'
import { OpenApiError } from './errors.js'
import { isSha512Hex, sha512Hex } from './hash.js'

/**
 * The cache directory used when none is given: `K8S_CODEGEN_CACHE_DIR` when set, else the OS
 * user cache dir (`~/.cache/k8s-codegen` on Linux, via env-paths).
 *
 * @example
 * defaultCacheDir({ K8S_CODEGEN_CACHE_DIR: '/tmp/c' }) // '/tmp/c'
 */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.K8S_CODEGEN_CACHE_DIR
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  return envPaths('k8s-codegen', { suffix: '' }).cache
}

// An entry verified once and unchanged since (same inode, size, mtime and ctime: the stat data
// git keeps in its index to skip re-hashing a clean file) need not be re-hashed to be reused.
// ctime cannot be set by a user, and any write or rename changes it. Like git's "racily clean"
// rule, a stamp is only recorded for an entry whose ctime is older than the coarsest common
// timestamp granularity (1 s file systems, coarse kernel clocks), so a change within the same
// tick as the verification cannot keep the stamp.
const STAMP_MIN_AGE_MS = 2_000
// The stamps file is hostile input like any file: past this size it is ignored (re-verify all).
const STAMPS_MAX_BYTES = 16 << 20

const stampOf = (stat: BigIntStats): string =>
  `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`

/**
 * A content-addressed store of verified bytes: an entry's name is the uppercase hex SHA-512 of
 * its content and nothing else, so identical documents from different clusters are stored once
 * and nothing about a cluster (least of all a credential) is ever written. Directory 0700, files
 * 0600, atomic writes; entries are re-verified on every read and a corrupt one is deleted. The
 * reuse check of a fetch (`hasVerified`) re-hashes an entry only when it changed since it was
 * last verified (`saveVerified` keeps those stamps in `sha512.verified` beside the entries).
 *
 * @example
 * const cache = new SpecCache('/tmp/k8s-codegen-cache')
 * const hash = await cache.write(bytes)
 * await cache.read(hash) // the same bytes, or undefined if missing or corrupt
 */
export class SpecCache {
  readonly dir: string
  readonly #objects: string
  readonly #stampsPath: string
  #ready: Promise<void> | undefined
  readonly #onDrop: ((hash: string) => void) | undefined
  // hash → stat stamp of the entry when it was last verified; loaded on first use.
  #stamps: Map<string, string> | undefined
  #stampsChanged = false

  constructor(dir: string, options: { onDrop?: (hash: string) => void } = {}) {
    this.dir = dir
    this.#objects = join(dir, 'sha512')
    this.#stampsPath = join(dir, 'sha512.verified')
    this.#onDrop = options.onDrop
  }

  /** The file an entry lives in. */
  pathOf(hash: string): string {
    if (!isSha512Hex(hash)) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
        `'${String(hash).slice(0, 32)}' is not an uppercase hex SHA-512, so it cannot name a cache entry`,
      )
    }
    // Concatenation, not join(): a validated hash has no separator or dot to normalize, and
    // join's character-by-character normalization, run cold, took ~10 ms over a warm run's
    // 64 lookups.
    return `${this.#objects}${sep}${hash}`
  }

  /**
   * Whether an entry of `bytes` bytes (any size when omitted) exists, without reading it: the
   * cheap check of a warm run. Content is verified whenever an entry is read, and a corrupt entry
   * found then is deleted, so the next fetch downloads it again.
   */
  has(hash: string, bytes?: number): boolean {
    try {
      const stat = statSync(this.pathOf(hash))
      return stat.isFile() && (bytes === undefined || stat.size === bytes)
    } catch {
      return false
    }
  }

  /**
   * Whether a verified entry of `bytes` bytes exists: read and re-hashed unless it is unchanged
   * (inode, size, mtime, ctime) since a verification recorded by `saveVerified`, so an entry
   * changed in place (same size, other bytes) is dropped (reported through `onDrop`) and fetched
   * again. What a fetch checks before it reuses an entry.
   */
  async hasVerified(hash: string, bytes: number): Promise<boolean> {
    let stat: BigIntStats | undefined
    try {
      stat = statSync(this.pathOf(hash), { bigint: true, throwIfNoEntry: false })
    } catch {
      return false
    }
    if (stat === undefined || !stat.isFile() || stat.size !== BigInt(bytes)) return false
    const stamps = this.#loadStamps()
    const stamp = stampOf(stat)
    if (stamps.get(hash) === stamp) return true
    if ((await this.read(hash)) === undefined) {
      this.#stampsChanged ||= stamps.delete(hash)
      return false
    }
    if (Date.now() - Number(stat.ctimeMs) >= STAMP_MIN_AGE_MS) {
      stamps.set(hash, stamp)
      this.#stampsChanged = true
    }
    return true
  }

  /**
   * Records the verifications `hasVerified` made (a no-op when there were none), so the next
   * run reuses those entries without re-hashing them while they stay unchanged.
   */
  async saveVerified(): Promise<void> {
    if (!this.#stampsChanged || this.#stamps === undefined) return
    this.#stampsChanged = false
    const text = JSON.stringify(
      Object.fromEntries([...this.#stamps].sort(([a], [b]) => (a < b ? -1 : 1))),
    )
    try {
      await this.#ensureDir()
      await writeFileAtomic(this.#stampsPath, `${text}\n`)
    } catch {
      // Stamps only save work: where they cannot be written, entries are verified by reading.
    }
    await removeStaleTempFiles(this.dir)
  }

  #loadStamps(): Map<string, string> {
    if (this.#stamps !== undefined) return this.#stamps
    this.#stamps = new Map()
    let parsed: unknown
    try {
      if ((statSync(this.#stampsPath, { throwIfNoEntry: false })?.size ?? 0) > STAMPS_MAX_BYTES)
        return this.#stamps
      parsed = JSON.parse(readFileSync(this.#stampsPath, 'utf8'))
    } catch {
      // Absent or unreadable: every entry is verified by reading it, as without stamps.
      return this.#stamps
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.#stamps
    for (const [hash, stamp] of Object.entries(parsed))
      if (isSha512Hex(hash) && typeof stamp === 'string') this.#stamps.set(hash, stamp)
    return this.#stamps
  }

  /** The verified bytes stored for `hash`, or undefined when absent or corrupt (then deleted). */
  async read(hash: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(hash)
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch {
      return undefined
    }
    if (sha512Hex(bytes) === hash) return bytes
    await unlink(path).catch(() => undefined)
    this.#onDrop?.(hash)
    return undefined
  }

  /** Stores `bytes` under their SHA-512 and returns it; a no-op when already present. */
  async write(bytes: Uint8Array, hash = sha512Hex(bytes)): Promise<string> {
    await this.#ensureDir()
    await writeFileAtomic(this.pathOf(hash), bytes)
    return hash
  }

  #ensureDir(): Promise<void> {
    this.#ready ??= (async () => {
      try {
        await mkdir(this.#objects, { recursive: true, mode: 0o700 })
        await chmod(this.#objects, 0o700)
      } catch (error) {
        throw writeFailed(this.#objects, 'create the cache directory', error)
      }
      await removeStaleTempFiles(this.#objects)
    })()
    return this.#ready
  }
}
