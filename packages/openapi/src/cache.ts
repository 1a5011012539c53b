import { chmod, mkdir, readFile, unlink } from 'node:fs/promises'
import { join, sep } from 'node:path'
import envPaths from 'env-paths'
import { removeStaleTempFiles, writeFailed, writeFileAtomic } from './_atomic-write.js'
import { enterCache } from './cache-trim.js'
import { OpenApiError } from './errors.js'
import { isSha512Hex, sha512Hex } from './hash.js'
import { VerifiedStamps } from './verified-stamps.js'

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

// Entries this process verified with `hasVerified` (path → size): a later `has` of the same entry
// in the same run trusts that verification instead of another stat. A warm fetch verifies every
// locked entry, then the generation it ends with checks the same entries again (the CLI's
// generation record, `verifyLockedSpecs`): ~1,400 stats at 1,000 CRDs. An entry found changed or
// dropped is forgotten.
const verifiedThisRun = new Map<string, number>()

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
  #ready: Promise<void> | undefined
  readonly #onDrop: ((hash: string) => void) | undefined
  readonly #stamps: VerifiedStamps

  #entered = false

  constructor(dir: string, options: { onDrop?: (hash: string) => void } = {}) {
    this.dir = dir
    this.#objects = join(dir, 'sha512')
    this.#stamps = new VerifiedStamps(join(dir, 'sha512.verified'))
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

  // Before the first look at an entry: a trim (cache-trim.ts) waits for this process to exit.
  #enter(): void {
    if (this.#entered) return
    this.#entered = true
    enterCache(this.dir)
  }

  /**
   * Whether an entry of `bytes` bytes (any size when omitted) exists, without reading it: the
   * cheap check of a warm run. Content is verified whenever an entry is read, and a corrupt entry
   * found then is deleted, so the next fetch downloads it again. An entry `hasVerified` found in
   * this process is taken as present without another stat.
   */
  has(hash: string, bytes?: number): boolean {
    const path = this.pathOf(hash)
    const verified = verifiedThisRun.get(path)
    if (verified !== undefined && (bytes === undefined || verified === bytes)) return true
    this.#enter()
    try {
      const stat = this.#stamps.stat(path)
      const found = stat !== undefined && (bytes === undefined || stat.size === BigInt(bytes))
      if (found) this.#stamps.markUsed(hash, path, stat, hash)
      return found
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
    const path = this.pathOf(hash)
    verifiedThisRun.delete(path)
    this.#enter()
    const stat = this.#stamps.stat(path)
    if (stat === undefined || stat.size !== BigInt(bytes)) return false
    if (!this.#stamps.isVerified(hash, stat, hash)) {
      if ((await this.#read(hash, false)) === undefined) {
        this.#stamps.forget(hash)
        return false
      }
      this.#stamps.record(hash, stat, hash)
    }
    // Marked (at most hourly) with its stamp carried over: the next run does not re-hash it.
    this.#stamps.markUsed(hash, path, stat, hash)
    verifiedThisRun.set(path, bytes)
    return true
  }

  /**
   * Records the verifications `hasVerified` made (a no-op when there were none), so the next
   * run reuses those entries without re-hashing them while they stay unchanged.
   */
  saveVerified(): Promise<void> {
    return this.#stamps.save()
  }

  /** The verified bytes stored for `hash`, or undefined when absent or corrupt (then deleted). */
  read(hash: string): Promise<Uint8Array | undefined> {
    return this.#read(hash, true)
  }

  // `mark`: mark the entry used once read (`hasVerified` marks it itself, keeping its stamp).
  async #read(hash: string, mark: boolean): Promise<Uint8Array | undefined> {
    const path = this.pathOf(hash)
    this.#enter()
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch {
      verifiedThisRun.delete(path)
      return undefined
    }
    if (sha512Hex(bytes) === hash) {
      if (mark) this.#markRead(hash, path)
      return bytes
    }
    verifiedThisRun.delete(path)
    await unlink(path).catch(() => undefined)
    this.#onDrop?.(hash)
    return undefined
  }

  /** Stores `bytes` under their SHA-512 and returns it; a no-op when already present. */
  async write(bytes: Uint8Array, hash = sha512Hex(bytes)): Promise<string> {
    this.#enter()
    await this.#ensureDir()
    await writeFileAtomic(this.pathOf(hash), bytes)
    return hash
  }

  // An entry read whole and hashed: marked used, a stamp it had carried over when the entry is
  // still the file it was stamped as (read() itself trusts no stamp).
  #markRead(hash: string, path: string): void {
    const stat = this.#stamps.stat(path)
    if (stat !== undefined) this.#stamps.markUsed(hash, path, stat, hash)
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
