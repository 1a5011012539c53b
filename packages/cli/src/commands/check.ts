import type { CommandModule } from 'yargs'

import type { CliContext } from '../context.js'
import { ExitCode, exitCodeHelp } from '../exit-codes.js'
import {
  checkLimitFlags,
  codegenOptions,
  crdsStepOptions,
  crdsBaseFlag,
  generationFlags,
  lockedGenerationKey,
  optionsFor,
  resolvePlan,
  type GenerationArgs,
  type GenerationPlan,
} from '../generation.js'
import { report, reportFailure } from '../report.js'

/** What `check` found. */
export interface CheckOutcome {
  out: string
  upToDate: boolean
  /** Recorded (in `--out`'s manifest) → applied options, when they differ. */
  differentOptions: string[]
  changed: string[]
  missing: string[]
  extra: string[]
  /** Entries k8s-codegen did not write where generated files go (`generate` refuses them). */
  foreign: string[]
}

/**
 * Up to date, reading nothing, when the record `generate` keeps of its last run still holds
 * (generation-record.ts). Otherwise up to date when `--out` was written under the lockfile's
 * generation key and is untouched (the
 * specs verified as `generate` verifies them); otherwise generates in memory from the locked
 * specs (every document re-hashed) with the options a `generate` would apply, and compares with
 * `--out`, byte for byte (a module whose inputs and files are as the last `generate` recorded is
 * not printed again). Output made with other
 * options is reported as such, not as hand-edited. Writes nothing.
 *
 * @example
 * const { upToDate, changed } = await runCheck(await resolvePlan({ json: false }, ctx))
 */
export async function runCheck(plan: GenerationPlan): Promise<CheckOutcome> {
  const [openapi, { generateInto }, output] = await Promise.all([
    import('@k8s-codegen/openapi'),
    import('@k8s-codegen/codegen'),
    import('../write-output.js'),
  ])
  const none = { changed: [], missing: [], extra: [], foreign: [] }
  // What `generate` recorded of its last run still holds: up to date, nothing read.
  const { recordedModules, recordedOutcome, recordedOutputs } =
    await import('../generation-record.js')
  if ((await recordedOutcome(plan)) !== undefined)
    return { out: plan.out, upToDate: true, differentOptions: [], ...none }
  // Every CRD set the lockfile names (and the one given) converted again without writing: a
  // lockfile that would change means a CRD file changed.
  const { runCrdsStep } = await import('../crds-step.js')
  const crds = await runCrdsStep(crdsStepOptions(plan, false))
  if (crds.lockfileChanged) {
    const files = crds.changedFiles.length === 0 ? '' : `: ${crds.changedFiles.join(', ')}`
    return {
      out: plan.out,
      upToDate: false,
      differentOptions: [],
      changed: [`${plan.lockfile} (the CRD files changed since they were locked${files})`],
      missing: [],
      extra: [],
      foreign: [],
    }
  }
  const lock = await openapi.readLockfile(plan.lockfile)
  const { options, next, selected } = await optionsFor(plan, lock)
  const sources = { cacheDir: plan.cacheDir, specsDir: plan.specsDir }
  const recorded = output.readManifest(plan.out)?.options
  if (recorded !== undefined) {
    const differentOptions = openapi.diffGenerationOptions(
      openapi.mergeGenerationOptions(recorded),
      options,
    )
    if (differentOptions.length > 0)
      return { out: plan.out, upToDate: false, differentOptions, ...none }
  }
  // Same generation key (from the lockfile's hashes) and every file matching its recorded hash:
  // up to date without reading a document into memory, as `generate` decides (the specs are
  // still verified). Output files whose stamps in that record still hold are not read.
  const key = await lockedGenerationKey(next, options, selected)
  if (await output.isOutputCurrent(plan.out, key, { unchanged: recordedOutputs(plan) })) {
    await openapi.verifyLockedSpecs(next, sources)
    return { out: plan.out, upToDate: true, differentOptions: [], ...none }
  }
  const specs = await openapi.loadSpecSet({ lockfile: plan.lockfile, ...sources }, next)
  const input = {
    groupVersions: specs.groupVersions.filter((gv) => selected.includes(gv.key)),
    lockfileHash: specs.lockfileHash,
    options: codegenOptions(options),
  }
  // A module printed before from the same inputs (its key in the record of the last generate)
  // whose files `--out` still holds is not printed again: the same key gives the same bytes. Only
  // what may differ is printed and compared, so one edit costs one module.
  const modules = recordedModules(plan, await output.outputDirectory(plan.out))
  const files = new Map<string, string | undefined>()
  await generateInto(input, {
    file: (path, content) => void files.set(path, content),
    discard: () => files.clear(),
    reuse: (key, paths) => {
      const held = modules.held(key, paths)
      for (const [path] of held ?? []) files.set(path, undefined)
      return held !== undefined
    },
  })
  const diff = await output.diffOutput(plan.out, files)
  return {
    out: plan.out,
    upToDate:
      diff.changed.length + diff.missing.length + diff.extra.length + diff.foreign.length === 0,
    differentOptions: [],
    ...diff,
  }
}

function list(label: string, paths: readonly string[]): string {
  if (paths.length === 0) return ''
  const shown = paths.slice(0, 5).join(', ')
  return `  ${paths.length} ${label}: ${shown}${paths.length > 5 ? `, … (${paths.length - 5} more)` : ''}\n`
}

function checkText(outcome: CheckOutcome): string {
  if (outcome.upToDate) return `${outcome.out} is up to date\n`
  if (outcome.differentOptions.length > 0)
    return (
      `${outcome.out} was generated with different options: ${outcome.differentOptions.join(', ')}\n` +
      "Run 'k8s-codegen generate' (it applies and records the options) and commit the result.\n"
    )
  const stale =
    outcome.changed.length + outcome.missing.length + outcome.extra.length === 0
      ? ''
      : `${outcome.out} is stale or hand-edited:\n${list('changed', outcome.changed)}${list('missing', outcome.missing)}${list('no longer generated', outcome.extra)}`
  const foreign =
    outcome.foreign.length === 0
      ? ''
      : `${outcome.out} holds files k8s-codegen did not write where generated files go:\n${list('in the way', outcome.foreign)}` +
        'Move them out of --out (generate replaces only files it wrote), or choose another --out.\n'
  return `${stale}${foreign}${stale === '' ? '' : "Run 'k8s-codegen generate' and commit the result.\n"}`
}

/**
 * `k8s-codegen check`: exit 0 when `--out` is exactly what `generate` would write, else exit 1
 * with a short summary of what differs (options, stale or hand-edited). For CI.
 *
 * @example
 * commands.push(checkCommand(ctx))
 */
export function checkCommand(ctx: CliContext): CommandModule<object, GenerationArgs> {
  return {
    command: 'check',
    describe: 'Exit 1 when the generated output is stale or hand-edited (for CI); writes nothing',
    builder: (yargs) =>
      yargs
        .options(generationFlags)
        .options(crdsBaseFlag)
        .check(checkLimitFlags)
        .example(
          '$0 check --specs-dir specs --out src/k8s',
          'In CI, after checking out a committed lockfile and specs',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      let cacheDir: string | undefined
      try {
        const plan = await resolvePlan(args, ctx)
        cacheDir = plan.cacheDir
        const outcome = await runCheck(plan)
        report(ctx, 'check', args.json, {
          exitCode: outcome.upToDate ? ExitCode.ok : ExitCode.stale,
          // `check` never writes the lockfile; the field is there as in every command's summary.
          summary: { ...outcome, lockfileChanged: false },
          text: checkText(outcome),
        })
      } catch (error) {
        reportFailure(ctx, 'check', args.json, error)
      } finally {
        if (cacheDir !== undefined)
          await (await import('../cache-trim-step.js')).leaveCacheAfterRun(cacheDir)
      }
    },
  }
}
