import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'

import type { CommandModule, Options } from 'yargs'
import { connectionFlags } from '../connection-flags.js'
import type { CliContext } from '../context.js'
import { ExitCode, exitCodeFor, exitCodeHelp, type ExitCodeValue } from '../exit-codes.js'
import {
  assertPlannedOutputFree,
  checkLimitFlags,
  crdsStepOptions,
  crdsSummary,
  generationFlags,
  generationJson,
  generationText,
  generationWarnings,
  keptOnFailure,
  resolvePlan,
  runGeneration,
  writeTargets,
  type GenerationArgs,
  type GenerationOutcome,
  type GenerationPlan,
} from '../generation.js'
import { formatBytes } from '../progress.js'
import { errorInfo, report, reportFailure } from '../report.js'
import type { CrdsOutcome } from '../crds-step.js'
import { withRunLocks, type HeldLocks } from '../run-lock.js'
import { onInterrupt } from '../interrupt.js'
import { MANIFEST_NAME, settleOutputsNow } from '../output-in-progress.js'
import { assertWritable } from '../writable.js'
import { runFetch, type FetchArgs, type FetchOutcome } from '../run-fetch.js'

/** Parsed flags of `fetch`: connection, fetch and generation flags. */
type FetchFlags = FetchArgs & GenerationArgs & { generate: boolean }

/**
 * Flags of `fetch` itself (besides the connection and generation ones).
 *
 * @example
 * yargs.options(fetchFlags)
 */
export const fetchFlags = {
  openapi: {
    choices: ['auto', 'v3', 'v2'] as const,
    default: 'auto' as const,
    describe: 'Which OpenAPI endpoint to read; auto falls back to v2 when /openapi/v3 is 404',
  },
  concurrency: {
    type: 'number',
    default: 8,
    describe: 'Parallel downloads over one keep-alive connection pool',
  },
  strict: {
    type: 'boolean',
    default: false,
    describe: 'Exit 3 when any group-version is unavailable or could not be generated',
  },
  timeout: {
    type: 'string',
    default: '10m',
    describe:
      'Give up the whole fetch after this long, retries included (e.g. 90s, 10m; 0 = no deadline); exit 2',
  },
  generate: {
    type: 'boolean',
    default: true,
    describe: 'Generate TypeScript into --out after fetching (--no-generate stops at the specs)',
  },
  'specs-dir': {
    type: 'string',
    describe: 'Also store the verified documents here, for offline regeneration in CI',
  },
} as const satisfies Record<string, Options>

// `changed`: the run as a whole left another lockfile (the download, a `--crds` step, the
// options a generation recorded), as the text's `lockfile … written` says.
function fetchJson(
  outcome: FetchOutcome,
  generation: GenerationOutcome | undefined,
  generationError: unknown,
  putBack: boolean,
  changed: boolean,
): Record<string, unknown> {
  const r = outcome.result
  return {
    source: r?.source ?? null,
    fetched: r?.summary.fetched ?? 0,
    reused: r?.summary.reused ?? 0,
    unavailable: r?.summary.unavailable ?? [],
    failed: outcome.failed,
    bytes: r?.summary.bytes ?? 0,
    requests: r?.summary.requests ?? null,
    elapsedMs: r?.summary.elapsedMs ?? null,
    lockfile: outcome.lockfile,
    lockfileChanged: changed,
    lockfilePutBack: putBack,
    cacheDir: outcome.cacheDir,
    generation:
      generation !== undefined
        ? generationJson(generation)
        : generationError !== undefined
          ? { ok: false, error: errorInfo(generationError) }
          : null,
  }
}

function fetchText(
  outcome: FetchOutcome,
  generation: GenerationOutcome | undefined,
  putBack: boolean,
  changed: boolean,
): string {
  const r = outcome.result
  if (!r) return ''
  const s = r.summary
  const unavailable =
    s.unavailable.length === 0 ? '0' : `${s.unavailable.length} (${s.unavailable.join(', ')})`
  return (
    `${s.fetched} fetched, ${s.reused} reused, ${unavailable} unavailable, 0 failed · ${formatBytes(s.bytes)} in ${(s.elapsedMs / 1000).toFixed(2)} s · ${s.requests} requests (OpenAPI ${r.source})\n` +
    `lockfile ${r.lockfilePath} ${lockfileState(changed || (putBack && r.lockfileChanged), putBack)}\n` +
    (generation === undefined ? '' : generationText(generation))
  )
}

// Thrown to the lockfile's lock once a failed run is reported: the lock then removes the
// directories it created, as for any failed run.
class RunFailed extends Error {}

// The fetch, then the `--crds` step (`--no-generate`) or the generation, reported; the exit code.
// All or nothing: a step after the fetch that fails, or SIGINT/SIGTERM before the output is
// committed, puts the lockfile and `--specs-dir` back as they were (the cache keeps what was
// downloaded: entries named by their content).
async function fetchThenGenerate(
  ctx: CliContext,
  args: FetchFlags,
  plan: GenerationPlan,
  held: HeldLocks,
): Promise<ExitCodeValue> {
  const run: RunState = { undo: undefined, finished: false }
  const done = onInterrupt(
    (signal) => `k8s-codegen fetch: interrupted by ${signal}: ${keptOnSignal(plan, run)}\n`,
  )
  try {
    return await fetchThenGenerateSteps(ctx, args, plan, held, run)
  } finally {
    done()
  }
}

/** What a signal must settle: `undo` puts the lockfile and `--specs-dir` back once written. */
interface RunState {
  undo: (() => void) | undefined
  /** Every step succeeded: only the report remains, and a signal keeps what the run wrote. */
  finished: boolean
}

// What a signal leaves, settled synchronously: the output once committed is the new one (with
// the fetched lockfile); before that, the previous one and the lockfile and `--specs-dir` put back.
function keptOnSignal(plan: GenerationPlan, { undo, finished }: RunState): string {
  if (undo === undefined)
    return 'nothing was written (documents downloaded so far stay in the cache)'
  if (finished)
    return `the run had finished: kept the fetched lockfile ${plan.lockfile} and everything else it wrote`
  if (settleOutputsNow() === 'new')
    return `kept the fetched lockfile ${plan.lockfile} and the new output in ${plan.out} (the next run finishes renaming its files)`
  undo()
  return `nothing kept: the lockfile ${plan.lockfile}, --specs-dir and ${plan.out} are as they were (documents downloaded stay in the cache)`
}

async function fetchThenGenerateSteps(
  ctx: CliContext,
  args: FetchFlags,
  plan: GenerationPlan,
  held: HeldLocks,
  run: RunState,
): Promise<ExitCodeValue> {
  // Whether the run as a whole (the fetch, then the CRD step or the generation recording its
  // options) left another lockfile: a write renames a new file into place.
  const identity = (): string | undefined => {
    const stat = statSync(plan.lockfile, { bigint: true, throwIfNoEntry: false })
    return stat === undefined ? undefined : `${stat.ino}:${stat.size}:${stat.mtimeNs}`
  }
  const before = identity()
  const outcome = await runFetch(args, plan, ctx, (undo) => (run.undo = undo), held)
  let generation: GenerationOutcome | undefined
  let stepError: unknown
  let crds: CrdsOutcome | undefined
  try {
    if (outcome.result !== undefined && !args.generate && plan.crds !== undefined) {
      // The CRDs join what the cluster serves: the fetched lockfile's cluster source.
      const { runCrdsStep } = await import('../crds-step.js')
      crds = (await keptOnFailure(plan.lockfile, () => runCrdsStep(crdsStepOptions(plan, true))))
        .given
    }
    // The generation locks the CRD sets (recorded and given) on the fetched lockfile.
    if (outcome.result !== undefined && args.generate) generation = await runGeneration(plan, held)
    run.finished = outcome.result !== undefined
  } catch (error) {
    stepError = error
  }
  const putBack = stepError !== undefined && outcome.result !== undefined
  if (putBack) outcome.result?.undo()
  if (outcome.result !== undefined)
    await (await import('../cache-trim-step.js')).trimCacheAfterRun(plan)
  let exitCode: ExitCodeValue = outcome.exitCode
  if (stepError !== undefined) exitCode = exitCodeFor(stepError)
  const warnings = generation === undefined ? [] : generationWarnings(generation)
  if (outcome.result && args.strict && outcome.result.summary.unavailable.length > 0)
    warnings.push(
      `${outcome.result.summary.unavailable.length} group-versions unavailable (--strict)`,
    )
  if (args.strict && generation !== undefined && generation.skipped.length > 0) {
    warnings.push(`${generation.skipped.length} group-versions not generated (--strict)`)
    if (exitCode === ExitCode.ok) exitCode = ExitCode.partial
  }
  exitCode = exitCode === ExitCode.ok ? outcome.exitCode : exitCode
  // A lockfile put back is the one found (rewritten, so its identity differs).
  const changed = !putBack && ((outcome.result?.lockfileChanged ?? false) || identity() !== before)
  report(ctx, 'fetch', args.json, {
    exitCode,
    summary: { ...fetchJson(outcome, generation, stepError, putBack, changed), crds: crds ?? null },
    text:
      (crds === undefined ? '' : crdsSummary(crds)) +
      fetchText(outcome, generation, putBack, changed),
    warnings,
    error: outcome.error ?? stepError,
  })
  return exitCode
}

// Exactly what the run kept of the lockfile (and `--specs-dir`, written with it).
function lockfileState(changed: boolean, putBack: boolean): string {
  if (putBack)
    return changed
      ? 'put back as it was, with --specs-dir, because a later step failed (the downloaded documents stay in the cache)'
      : 'unchanged (a later step failed)'
  return changed ? 'written' : 'unchanged'
}

/**
 * `k8s-codegen fetch`: download the cluster's OpenAPI documents into the verified cache, lock
 * them with the generation options, then generate `--out` from them (unless `--no-generate`).
 *
 * @example
 * commands.push(fetchCommand(ctx))
 */
export function fetchCommand(ctx: CliContext): CommandModule<object, FetchFlags> {
  return {
    command: 'fetch',
    describe:
      "Download the cluster's OpenAPI documents into a SHA-512-verified cache and a lockfile, then generate",
    builder: (yargs) =>
      yargs
        .options(connectionFlags)
        .options(generationFlags)
        .options(fetchFlags)
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
          'Fetch from the current kubeconfig context into the cache; write ./k8s-codegen.lock.json and ./generated',
        )
        .example(
          '$0 fetch --context prod --include apps --include core/v1',
          'Only apps/* and the core group (recorded in the lockfile for generate and check)',
        )
        .example(
          '$0 fetch --specs-dir specs --json',
          'Keep verified copies in ./specs and print a JSON summary',
        )
        .example('$0 fetch --server http://127.0.0.1:8001', 'Through `kubectl proxy`')
        .example(
          '$0 fetch --crds operator/crds',
          'Add the CRDs of an operator you are about to install to what the cluster serves',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      let cacheDir: string | undefined
      try {
        // Flags win over the config file (the same one `generate` and `check` read), which wins
        // over what the lockfile recorded, so `fetch` and a later offline `generate` agree.
        // `--no-generate` is a peek: it records no option (the filters apply to this fetch only).
        const plan = await resolvePlan(args, ctx, { record: args.generate })
        cacheDir = plan.cacheDir
        await assertWritable(writeTargets(plan, { fetches: true, generates: args.generate }))
        // An --out k8s-codegen never wrote (no manifest: a first run, or --out pointed at your
        // src/) is checked before downloading: a file of yours in the way of the index or a
        // locked module fails the run at once. A written one (a warm run) is checked once the
        // documents are in, before generating, without loading the generator first.
        if (args.generate && !existsSync(join(plan.out, MANIFEST_NAME)))
          await assertPlannedOutputFree(
            plan,
            await (await import('@k8s-codegen/openapi')).getLockfile(plan.lockfile),
          )
        // A refused CRD fails before anything is fetched or written (the lockfile included).
        const given = crdsStepOptions(plan, true).given
        if (given !== undefined)
          await (await import('../crds-step.js')).checkGivenCrds(given, plan.crdLimits)
        // The lockfile is held from the download to the end of the generation, so what the
        // fetch wrote can be put back when a later step fails (all or nothing).
        await withRunLocks(
          [{ kind: 'file', path: plan.lockfile, what: 'the lockfile' }],
          async (held) => {
            const exitCode = await fetchThenGenerate(ctx, args, plan, held)
            // A failed run removes the directories its locks created (run-lock.ts).
            if (exitCode !== ExitCode.ok) throw new RunFailed()
          },
        )
      } catch (error) {
        if (error instanceof RunFailed) return
        reportFailure(ctx, 'fetch', args.json, error)
      } finally {
        if (cacheDir !== undefined)
          await (await import('../cache-trim-step.js')).leaveCacheAfterRun(cacheDir)
      }
    },
  }
}
