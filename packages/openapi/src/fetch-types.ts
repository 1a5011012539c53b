// The public shapes of a fetch: what it needs from a connection, the events it reports, its
// options and its result.
import type { GenerationOptions } from './generation-options.js'
import type { Lockfile, LockfileText } from './lockfile.js'

/**
 * The response shape of `@k8s-codegen/cluster`'s `Connection.request` (structural, so any
 * object with this shape works, e.g. a fake in tests).
 */
export interface SpecResponse {
  status: number
  headers: Record<string, string>
  body: Uint8Array
  url: string
}

/**
 * What `fetchSpecs` needs from a connection: `@k8s-codegen/cluster`'s `Connection` satisfies it.
 * `request(path)` takes an absolute API path and sends it under the server's own path prefix.
 *
 * @example
 * const source: SpecSource = await loadConnection({ context: 'prod' })
 */
export interface SpecSource {
  readonly server: string
  request(
    path: string,
    options?: { accept?: string; ifNoneMatch?: string; signal?: AbortSignal },
  ): Promise<SpecResponse>
}

/**
 * Progress events `fetchSpecs` reports through `onEvent` (the library never prints).
 *
 * @example
 * fetchSpecs(connection, { lockfile, onEvent: (e) => e.type === 'warning' && console.warn(e.message) })
 */
export type FetchEvent =
  | { type: 'root'; source: 'v3' | 'v2'; total: number }
  | { type: 'download'; key: string }
  | { type: 'done'; key: string; bytes: number; reused: boolean }
  | { type: 'unavailable'; key: string; status: number }
  | { type: 'failed'; key: string; error: Error }
  | { type: 'retry'; key: string; reason: string }
  | { type: 'warning'; message: string }

/**
 * Options of {@link fetchSpecs}.
 *
 * @example
 * const options: FetchOptions = { lockfile: 'k8s-codegen.lock.json', include: ['apps/*'] }
 */
export interface FetchOptions {
  /** Path of `k8s-codegen.lock.json`; read for the previous state, written when it changes. */
  lockfile: string
  /**
   * The lockfile as the caller read it ({@link readLockfileText}) under the lock it holds, so it
   * is read and parsed once; `null`: there is none. Default: read here.
   */
  lockfileText?: LockfileText | null | undefined
  /** Content-addressed cache; default {@link defaultCacheDir}. */
  cacheDir?: string | undefined
  /** Also keep the verified documents here (`<key>.json`, `<key>.discovery.json`) for offline CI. */
  specsDir?: string | undefined
  /** `auto` (default) uses `/openapi/v3` and falls back to `/openapi/v2` when it answers 404. */
  openapi?: 'auto' | 'v3' | 'v2' | undefined
  /** `--include` patterns ({@link GroupVersionFilters}); each must match a served group-version. */
  include?: readonly string[] | undefined
  /** `--exclude` patterns; each must match a served group-version. */
  exclude?: readonly string[] | undefined
  /**
   * The generation options to record in the lockfile (its `include`/`exclude` are this fetch's);
   * default: those the previous lockfile recorded.
   */
  generationOptions?: Partial<GenerationOptions> | undefined
  /**
   * `false`: a peek (`fetch --no-generate`). The recorded options stay as they were, and the
   * locked cluster group-versions `include`/`exclude` do not select are kept, so a later
   * `generate` makes what it made before. Default `true`: the filters and options are recorded.
   */
  record?: boolean | undefined
  /** Parallel downloads on the connection's keep-alive pool; default 8. */
  concurrency?: number | undefined
  onEvent?: ((event: FetchEvent) => void) | undefined
  signal?: AbortSignal | undefined
  /**
   * Called synchronously the moment the lockfile and `--specs-dir` are written, with what puts
   * them back (`FetchResult.undo`): a signal handler that runs before the fetch returns can undo.
   */
  onWritten?: ((undo: () => void) => void) | undefined
}

/**
 * What a fetch did. Failed group-versions make `fetchSpecs` throw instead (and leave the
 * lockfile untouched); unavailable ones are listed here and in the lockfile.
 *
 * @example
 * const { summary } = await fetchSpecs(connection, { lockfile })
 * console.log(`${summary.fetched} fetched, ${summary.reused} reused`)
 */
export interface FetchResult {
  source: 'v3' | 'v2'
  lockfile: Lockfile
  lockfilePath: string
  lockfileChanged: boolean
  /**
   * Puts the lockfile and the `--specs-dir` files back as they were before this fetch
   * (synchronously), for a run that fails or is interrupted after it: all or nothing. The cache
   * keeps what was downloaded: entries named by their content, which nothing reads unless locked.
   * Call it only while holding what keeps other runs from writing the lockfile (the CLI's lock).
   */
  undo: () => void
  cacheDir: string
  summary: {
    fetched: number
    reused: number
    unavailable: string[]
    bytes: number
    requests: number
    elapsedMs: number
  }
}
