import type { Connection } from '@k8s-codegen/cluster'
import type { FetchResult } from '@k8s-codegen/openapi'
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'
import { connectionOptions, type ConnectionArgs } from './connection-flags.js'
import type { CliContext } from './context.js'
import { CliError } from './errors.js'
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exit-codes.js'
import type { GenerationPlan } from './generation.js'
import { FetchProgress } from './progress.js'
import { withLocks, type HeldLocks } from './run-lock.js'

/**
 * Parsed `fetch` flags besides the generation ones.
 *
 * @example
 * const args: FetchArgs = { openapi: 'auto', concurrency: 8, strict: false, timeout: '10m', json: false }
 */
export interface FetchArgs extends ConnectionArgs {
  openapi: 'auto' | 'v3' | 'v2'
  concurrency: number
  strict: boolean
  /** The overall deadline, a duration as `--request-timeout` takes it; `0`: none. */
  timeout: string
  json: boolean
}

/**
 * The outcome of `runFetch`: `result` when the specs were fetched and locked, `error` otherwise,
 * and the exit code either implies. A later step (generation) runs only when `result` is set.
 *
 * @example
 * const outcome = await runFetch(args, plan, ctx)
 * if (outcome.result) console.log(outcome.result.summary.fetched)
 */
export interface FetchOutcome {
  exitCode: ExitCodeValue
  result?: FetchResult
  error?: unknown
  failed: { key: string; message: string }[]
  lockfile: string
  cacheDir: string
}

/**
 * Connects with the connection flags, fetches every selected group-version into the cache and
 * writes the lockfile (recording the plan's generation options), holding the lockfile and cache
 * locks (but those in `held`, which the caller's run holds already), rendering progress on stderr;
 * `onWritten` gets what puts the lockfile and `--specs-dir` back the moment they are written.
 * Never throws: errors become the outcome.
 *
 * @example
 * const outcome = await runFetch(args, await resolvePlan(args, ctx), ctx)
 */
export async function runFetch(
  args: FetchArgs,
  plan: GenerationPlan,
  ctx: CliContext,
  onWritten?: (undo: () => void) => void,
  held?: HeldLocks,
): Promise<FetchOutcome> {
  const { lockfile, cacheDir } = plan
  const progress = new FetchProgress(ctx, { quiet: args.json, verbose: (args.v ?? 0) >= 1 })
  let signal: AbortSignal | undefined
  let connection: Connection | undefined
  try {
    const [
      { loadConnection, parseDuration },
      { fetchSpecs, readLockfileText, mergeGenerationOptions },
    ] = await Promise.all([import('@k8s-codegen/cluster'), import('@k8s-codegen/openapi')])
    const deadlineMs = parseDuration(args.timeout)
    if (deadlineMs === undefined)
      throw new CliError(
        'K8S_CODEGEN_CLI_USAGE',
        `--timeout ${JSON.stringify(args.timeout)} is not a duration: use a number with a unit such as 90s or 10m (0 means no deadline)`,
      )
    // One deadline for the whole fetch: every request and every wait between retries stops at it.
    signal = deadlineMs > 0 ? AbortSignal.timeout(deadlineMs) : undefined
    connection = await loadConnection(connectionOptions(args, ctx))
    const source = connection
    const result = await withLocks(
      [
        { kind: 'file', path: lockfile, what: 'the lockfile' },
        { kind: 'directory', path: cacheDir, what: 'the spec cache' },
      ],
      async () => {
        // Flags and config, then what the lockfile recorded, as `generate` reads them. Read once:
        // the fetch compares with the same lockfile (~4 ms of a warm fetch at 1,000 CRDs).
        const read = await readLockfileText(lockfile)
        const options = mergeGenerationOptions(plan.given, read?.lockfile.options)
        return fetchSpecs(source, {
          lockfile,
          lockfileText: read ?? null,
          cacheDir,
          specsDir: plan.specsDir,
          openapi: args.openapi,
          include: options.include,
          exclude: options.exclude,
          generationOptions: options,
          record: plan.record,
          concurrency: args.concurrency,
          signal,
          onWritten,
          onEvent: (event) => progress.on(event),
        })
      },
      undefined,
      held,
    )
    progress.finish()
    const partial = args.strict && result.summary.unavailable.length > 0
    return {
      exitCode: partial ? ExitCode.partial : ExitCode.ok,
      result,
      failed: [],
      lockfile,
      cacheDir,
    }
  } catch (caught) {
    progress.finish()
    // The deadline can also stop the fetch between requests, as the signal's own TimeoutError.
    const error =
      signal?.aborted === true && !isK8sCodegenError(caught)
        ? new CliError(
            'K8S_CODEGEN_CLI_DEADLINE',
            `the fetch did not finish within --timeout ${args.timeout}; nothing was written (raise --timeout, or --request-timeout for slow single requests)`,
            { cause: caught },
          )
        : caught
    return { exitCode: exitCodeFor(error), error, failed: progress.failed, lockfile, cacheDir }
  } finally {
    await connection?.close()
  }
}
