import { dirname, join, resolve } from 'node:path'
import type { FetchResult } from '@k8s-codegen/openapi'
import { connectionOptions, type ConnectionArgs } from './connection-flags.js'
import type { CliContext } from './context.js'
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exit-codes.js'
import { FetchProgress } from './progress.js'

/**
 * Parsed `fetch` flags.
 *
 * @example
 * const args: FetchArgs = { openapi: 'auto', concurrency: 8, out: 'generated', strict: false, json: false }
 */
export interface FetchArgs extends ConnectionArgs {
  openapi: 'auto' | 'v3' | 'v2'
  include?: string[] | undefined
  exclude?: string[] | undefined
  concurrency: number
  'cache-dir'?: string | undefined
  lockfile?: string | undefined
  out: string
  'specs-dir'?: string | undefined
  strict: boolean
  json: boolean
}

/**
 * The outcome of `runFetch`: `result` when the specs were fetched and locked, `error` otherwise,
 * and the exit code either implies. A later step (generation) runs only when `result` is set.
 *
 * @example
 * const outcome = await runFetch(args, ctx)
 * if (outcome.result) console.log(outcome.result.summary.fetched)
 */
export interface FetchOutcome {
  exitCode: ExitCodeValue
  result?: FetchResult
  error?: unknown
  failed: { key: string; message: string }[]
  lockfile: string
  cacheDir?: string
}

/**
 * `--lockfile`, else `k8s-codegen.lock.json` beside the `--out` directory.
 *
 * @example
 * lockfilePath({ out: 'src/k8s' }, '/work') // '/work/src/k8s-codegen.lock.json'
 */
export function lockfilePath(args: Pick<FetchArgs, 'lockfile' | 'out'>, cwd: string): string {
  if (args.lockfile !== undefined) return resolve(cwd, args.lockfile)
  return join(dirname(resolve(cwd, args.out)), 'k8s-codegen.lock.json')
}

/**
 * Connects with the connection flags, fetches every selected group-version into the cache and
 * writes the lockfile, rendering progress on stderr. Never throws: errors become the outcome.
 *
 * @example
 * reportFetch(await runFetch(args, ctx), args, ctx)
 */
export async function runFetch(args: FetchArgs, ctx: CliContext): Promise<FetchOutcome> {
  const lockfile = lockfilePath(args, ctx.cwd)
  const progress = new FetchProgress(ctx, { quiet: args.json })
  const [{ loadConnection }, { fetchSpecs, defaultCacheDir }] = await Promise.all([
    import('@k8s-codegen/cluster'),
    import('@k8s-codegen/openapi'),
  ])
  const cacheDir =
    args['cache-dir'] !== undefined ? resolve(ctx.cwd, args['cache-dir']) : defaultCacheDir(ctx.env)
  let connection: Awaited<ReturnType<typeof loadConnection>> | undefined
  try {
    connection = await loadConnection(connectionOptions(args, ctx))
    const result = await fetchSpecs(connection, {
      lockfile,
      cacheDir,
      specsDir: args['specs-dir'] === undefined ? undefined : resolve(ctx.cwd, args['specs-dir']),
      openapi: args.openapi,
      include: args.include,
      exclude: args.exclude,
      concurrency: args.concurrency,
      onEvent: (event) => progress.on(event),
    })
    progress.finish()
    const partial = args.strict && result.summary.unavailable.length > 0
    return {
      exitCode: partial ? ExitCode.partial : ExitCode.ok,
      result,
      failed: [],
      lockfile,
      cacheDir,
    }
  } catch (error) {
    progress.finish()
    return { exitCode: exitCodeFor(error), error, failed: progress.failed, lockfile, cacheDir }
  } finally {
    await connection?.close()
  }
}
