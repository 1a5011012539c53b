import type { CommandModule } from 'yargs'
import { connectionFlags } from '../connection-flags.js'
import type { CliContext } from '../context.js'
import { exitCodeHelp } from '../exit-codes.js'
import { formatBytes } from '../progress.js'
import { runFetch, type FetchArgs, type FetchOutcome } from '../run-fetch.js'
import {
  checkLimitFlags,
  generateAfterFetch,
  generateStepFlags,
  reportFailure,
  resolveGenerationOptions,
  type GenerationArgs,
} from './generate.js'

/** Parsed flags of `fetch`: `out`, filters and generation options may come from the config file. */
type FetchFlags = Omit<FetchArgs, 'out' | 'include' | 'exclude' | 'cache-dir' | 'lockfile'> &
  GenerationArgs & { generate: boolean }

function errorInfo(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown }
  return {
    code: typeof e.code === 'string' ? e.code : 'K8S_CODEGEN_INTERNAL',
    message: String(e.message ?? error),
  }
}

/**
 * The `--json` document: exactly one on stdout, success or not.
 *
 * @example
 * ctx.stdout(`${JSON.stringify(fetchSummaryJson(outcome))}\n`)
 */
export function fetchSummaryJson(outcome: FetchOutcome): Record<string, unknown> {
  const r = outcome.result
  return {
    ok: outcome.exitCode === 0,
    exitCode: outcome.exitCode,
    source: r?.source ?? null,
    fetched: r?.summary.fetched ?? 0,
    reused: r?.summary.reused ?? 0,
    unavailable: r?.summary.unavailable ?? [],
    failed: outcome.failed,
    bytes: r?.summary.bytes ?? 0,
    requests: r?.summary.requests ?? null,
    elapsedMs: r?.summary.elapsedMs ?? null,
    lockfile: outcome.lockfile,
    lockfileChanged: r?.lockfileChanged ?? false,
    cacheDir: outcome.cacheDir ?? null,
    error: outcome.error === undefined ? null : errorInfo(outcome.error),
  }
}

/**
 * Prints the outcome of a fetch (summary on stdout, error on stderr) and sets the exit code.
 *
 * @example
 * reportFetch(await runFetch(args, ctx), args, ctx)
 */
export function reportFetch(
  outcome: FetchOutcome,
  args: Pick<FetchArgs, 'json' | 'strict'>,
  ctx: CliContext,
): void {
  ctx.exitCode = outcome.exitCode
  if (outcome.error !== undefined) {
    const { code, message } = errorInfo(outcome.error)
    ctx.stderr(`k8s-codegen fetch: error: ${message} [${code}]\n`)
  }
  if (args.json) {
    ctx.stdout(`${JSON.stringify(fetchSummaryJson(outcome))}\n`)
    return
  }
  const r = outcome.result
  if (!r) return
  const s = r.summary
  const unavailable =
    s.unavailable.length === 0 ? '0' : `${s.unavailable.length} (${s.unavailable.join(', ')})`
  ctx.stdout(
    `${s.fetched} fetched, ${s.reused} reused, ${unavailable} unavailable, 0 failed · ${formatBytes(s.bytes)} in ${(s.elapsedMs / 1000).toFixed(2)} s · ${s.requests} requests (OpenAPI ${r.source})\n` +
      `lockfile ${r.lockfilePath} ${r.lockfileChanged ? 'written' : 'unchanged'}\n`,
  )
  if (s.unavailable.length > 0 && args.strict) {
    ctx.stderr(`k8s-codegen fetch: ${s.unavailable.length} group-versions unavailable (--strict)\n`)
  }
}

/**
 * `k8s-codegen fetch`: download the cluster's OpenAPI documents into the verified cache and lock
 * them. The handler calls `runFetch()` and reports its outcome; further steps plug in between.
 *
 * @example
 * commands.push(fetchCommand(ctx))
 */
export function fetchCommand(ctx: CliContext): CommandModule<object, FetchFlags> {
  return {
    command: 'fetch',
    describe:
      "Download the cluster's OpenAPI documents into a SHA-512-verified cache and a lockfile",
    builder: (yargs) =>
      yargs
        .options(connectionFlags)
        .options({
          openapi: {
            choices: ['auto', 'v3', 'v2'] as const,
            default: 'auto' as const,
            describe:
              'Which OpenAPI endpoint to read; auto falls back to v2 when /openapi/v3 is 404',
          },
          include: {
            type: 'string',
            array: true,
            describe:
              "Only these group/version globs (core group = 'core'), e.g. 'apps/*' 'core/v1'",
          },
          exclude: { type: 'string', array: true, describe: 'Skip these group/version globs' },
          concurrency: {
            type: 'number',
            default: 8,
            describe: 'Parallel downloads over one keep-alive connection pool',
          },
          'cache-dir': {
            type: 'string',
            describe:
              'Content-addressed cache (default $K8S_CODEGEN_CACHE_DIR, else the OS user cache dir)',
          },
          out: {
            type: 'string',
            describe:
              'Output directory of generated code (default generated); the lockfile defaults to its parent',
          },
          lockfile: {
            type: 'string',
            describe: 'Lockfile path (default <parent of --out>/k8s-codegen.lock.json)',
          },
          'specs-dir': {
            type: 'string',
            describe: 'Also store the verified documents here, for offline regeneration in CI',
          },
          strict: {
            type: 'boolean',
            default: false,
            describe: 'Exit 3 when any group-version is unavailable or could not be generated',
          },
          json: {
            type: 'boolean',
            default: false,
            describe: 'Print one JSON summary on stdout and nothing else there',
          },
        })
        .options(generateStepFlags)
        .check((argv) => {
          if (
            !Number.isInteger(argv.concurrency) ||
            argv.concurrency < 1 ||
            argv.concurrency > 64
          ) {
            throw new Error(
              `--concurrency must be an integer from 1 to 64, got ${String(argv.concurrency)}`,
            )
          }
          return checkLimitFlags(argv)
        })
        .example(
          '$0 fetch',
          'Fetch from the current kubeconfig context into the cache; write ./k8s-codegen.lock.json',
        )
        .example(
          '$0 fetch --context prod --include apps --include core/v1',
          'Only apps/* and the core group',
        )
        .example(
          '$0 fetch --specs-dir specs --json',
          'Keep verified copies in ./specs and print a JSON summary',
        )
        .example('$0 fetch --server http://127.0.0.1:8001', 'Through `kubectl proxy`')
        .epilog(exitCodeHelp),
    handler: async (args) => {
      // Flags win over the config file (the same one `generate` and `check` read), which wins
      // over the defaults, so `fetch` and a later offline `generate` agree on --out and filters.
      let resolved
      try {
        resolved = { ...args, ...(await resolveGenerationOptions(args, ctx)), strict: args.strict }
      } catch (error) {
        reportFailure('fetch', error, args.json, ctx)
        return
      }
      const outcome = await runFetch(resolved, ctx)
      reportFetch(outcome, resolved, ctx)
      await generateAfterFetch(outcome.result !== undefined, resolved, ctx)
    },
  }
}
