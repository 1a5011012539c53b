// What `fetch`, `generate` and `check` share: where the project's files are (output, lockfile,
// cache, specs), which generation options apply, and the offline generation itself. Commands
// import this module, never each other.
import { dirname, relative, resolve, sep } from 'node:path'

import type { DocumentPlans, GenerateInput, GeneratedModule } from '@k8s-codegen/codegen'
import type { CrdReadLimits, GenerationOptions, Lockfile } from '@k8s-codegen/openapi'
import type { Options } from 'yargs'

import { CONFIG_NAMES } from './config-file.js'
import type { CliContext } from './context.js'
import type { CrdsOutcome, CrdsStepOptions } from './crds-step.js'
import { CliError } from './errors.js'
import type { PrintPool } from './print-pool.js'
import { withLocks, type HeldLocks, type LockTarget } from './run-lock.js'
import type { WriteTarget } from './writable.js'

/** Flags of `generate` and `check` (and the generation part of `fetch`); unset ones are undefined. */
export interface GenerationArgs {
  out?: string | undefined
  lockfile?: string | undefined
  'cache-dir'?: string | undefined
  'specs-dir'?: string | undefined
  /** `false` entries are `--no-include` (yargs' negation of an array flag). */
  include?: (string | false)[] | undefined
  exclude?: (string | false)[] | undefined
  docs?: boolean | undefined
  nocheck?: boolean | undefined
  emit?: 'ts' | 'js' | undefined
  'max-document-bytes'?: number | undefined
  'max-depth'?: number | undefined
  'max-crd-file-bytes'?: number | undefined
  'max-crd-total-bytes'?: number | undefined
  'max-crd-documents'?: number | undefined
  'max-crd-expanded-bytes'?: number | undefined
  config?: string | undefined
  /** CRD files, directories and globs converted and locked before generating (`--crds`). */
  crds?: (string | false)[] | undefined
  /** The lockfile or specs dir of an earlier fetch the CRDs join (`--base`). */
  base?: string | undefined
  /** A CRD the base also serves replaces it (`--crds-override`). */
  'crds-override'?: boolean | undefined
  json: boolean
}

/**
 * The `--crds` part of a plan: CRD files, directories and globs converted and locked into the plan's lockfile before generating.
 *
 * @example
 * plan.crds?.paths // ['/repo/crds']
 */
export interface CrdsPlan {
  /** As given: flag paths relative to `cwd`, config-file paths already absolute. */
  paths: string[]
  /** The working directory flag paths (and `base`) are relative to; messages name them as given. */
  cwd: string
  /** The lockfile or specs dir of an earlier fetch the CRDs join; undefined: CRDs alone. */
  base: string | undefined
  override: boolean
}

/**
 * Where a run reads and writes, all absolute, and the generation options the flags and the config
 * file set (the lockfile's recorded options fill in the rest, see {@link optionsFor}).
 *
 * @example
 * const plan = await resolvePlan({ json: false }, ctx)
 * plan.lockfile // '/repo/k8s-codegen.lock.json'
 */
export interface GenerationPlan {
  /** The flag, else the config file, else what the lockfile recorded, else `generated`. */
  out: string
  /** `--out` came from a flag or the config file (and is recorded by a run that records). */
  outGiven: boolean
  /** The run records what was given in the lockfile (`fetch --no-generate` and `check` do not). */
  record: boolean
  lockfile: string
  cacheDir: string
  specsDir: string | undefined
  /** Options set by a flag or the config file; the lockfile's recorded ones fill in the rest. */
  given: Partial<GenerationOptions>
  /** The config file's directory, else the working directory. */
  projectRoot: string
  /** `--crds` (or the config key `crds`), when given. */
  crds?: CrdsPlan | undefined
  /** `--no-crds`: the lockfile's recorded `--crds` sets are removed first. */
  dropCrdSets: boolean
  /** Bounds on the CRD files read (every set's), set by a flag or the config file; the rest default. */
  crdLimits: Partial<CrdReadLimits>
}

// `--no-include` (yargs gives `false`), `--include=` and `--include` without a value all clear
// the recorded patterns; patterns after a `--no-include` are the new ones.
function filterFlag(values: readonly (string | false)[] | undefined): string[] | undefined {
  if (values === undefined) return undefined
  const last = values.lastIndexOf(false)
  return values.slice(last + 1).filter((v): v is string => v !== false && v !== '')
}

function crdsFlag(values: readonly (string | false)[] | undefined): {
  paths: string[] | undefined
  drop: boolean
} {
  if (values === undefined) return { paths: undefined, drop: false }
  const drop = values.includes(false)
  const paths = values.slice(values.lastIndexOf(false) + 1) as string[]
  if ((!drop && paths.length === 0) || paths.includes(''))
    throw new CliError(
      'K8S_CODEGEN_CLI_USAGE',
      '--crds needs a file, directory or glob of CustomResourceDefinitions (--no-crds removes the recorded CRD sets)',
    )
  return { paths: paths.length === 0 ? undefined : paths, drop }
}

/**
 * Resolves a run's paths and given options: each flag wins, then the config file (`--config`,
 * else `k8s-codegen.config.{json,ts,mjs,js}` found from the working directory up to the project
 * root), then the default. The lockfile defaults to the project root (the config file's
 * directory, else the working directory), never to a place derived from `--out`.
 *
 * @example
 * const plan = await resolvePlan({ json: false, include: ['apps/*'] }, ctx)
 * plan.out // '/repo/src/k8s' from the config file, or '<cwd>/generated'
 */
export async function resolvePlan(
  args: GenerationArgs,
  ctx: CliContext,
  { record = true }: { record?: boolean } = {},
): Promise<GenerationPlan> {
  const [{ loadConfigFile }, { defaultCacheDir, defaultLockfilePath, getLockfile }] =
    await Promise.all([import('./config-file.js'), import('@k8s-codegen/openapi')])
  if (args.out === '')
    throw new CliError(
      'K8S_CODEGEN_CLI_USAGE',
      '--out must name a directory (an empty --out would write into the working directory)',
    )
  const loaded = await loadConfigFile(ctx.cwd, args.config)
  const config = loaded?.config ?? {}
  const projectRoot = loaded === undefined ? ctx.cwd : dirname(loaded.file)
  const specsDir = args['specs-dir'] ?? config.specsDir
  const cacheDir = args['cache-dir'] ?? config.cacheDir
  const lockfile = args.lockfile ?? config.lockfile
  const given: Partial<GenerationOptions> = {}
  const docs = args.docs ?? config.docs
  const nocheck = args.nocheck ?? config.nocheck
  const include = filterFlag(args.include) ?? config.include
  const exclude = filterFlag(args.exclude) ?? config.exclude
  if (docs !== undefined) given.docs = docs
  if (nocheck !== undefined) given.nocheck = nocheck
  if (include !== undefined) given.include = include
  if (exclude !== undefined) given.exclude = exclude
  const emit = args.emit ?? config.emit
  const maxDocumentBytes = args['max-document-bytes'] ?? config.maxDocumentBytes
  const maxDepth = args['max-depth'] ?? config.maxDepth
  if (emit !== undefined) given.emit = emit
  if (maxDocumentBytes !== undefined) given.maxDocumentBytes = maxDocumentBytes
  if (maxDepth !== undefined) given.maxDepth = maxDepth
  // Flag paths are relative to the working directory; the config file's are already resolved
  // against its directory (config-file.ts).
  const flagCrds = crdsFlag(args.crds)
  const crdPaths = flagCrds.paths ?? (flagCrds.drop ? undefined : config.crds)
  const crdLimits: Partial<CrdReadLimits> = {}
  for (const [key, value] of [
    ['fileBytes', args['max-crd-file-bytes'] ?? config.maxCrdFileBytes],
    ['totalBytes', args['max-crd-total-bytes'] ?? config.maxCrdTotalBytes],
    ['documents', args['max-crd-documents'] ?? config.maxCrdDocuments],
    ['expandedBytes', args['max-crd-expanded-bytes'] ?? config.maxCrdExpandedBytes],
  ] as const) {
    if (value !== undefined) crdLimits[key] = value
  }
  const crds: CrdsPlan | undefined =
    crdPaths === undefined || crdPaths.length === 0
      ? undefined
      : {
          paths: crdPaths,
          cwd: ctx.cwd,
          base: args.base,
          override: args['crds-override'] === true,
        }
  const lockfilePath =
    lockfile === undefined ? defaultLockfilePath(projectRoot) : resolve(ctx.cwd, lockfile)
  const givenOut = args.out ?? config.out
  // The recorded `--out` is relative to the lockfile, so the project can move.
  const recordedOut = givenOut === undefined ? (await getLockfile(lockfilePath))?.out : undefined
  return {
    out:
      givenOut !== undefined
        ? resolve(ctx.cwd, givenOut)
        : resolve(dirname(lockfilePath), recordedOut ?? 'generated'),
    outGiven: givenOut !== undefined,
    record,
    lockfile: lockfilePath,
    cacheDir: cacheDir === undefined ? defaultCacheDir(ctx.env) : resolve(ctx.cwd, cacheDir),
    specsDir: specsDir === undefined ? undefined : resolve(ctx.cwd, specsDir),
    given,
    projectRoot,
    ...(crds === undefined ? {} : { crds }),
    dropCrdSets: flagCrds.drop,
    crdLimits,
  }
}

/**
 * The options a run applies (flags and config, then what the lockfile recorded, then the
 * defaults) and the lockfile to record them in: `lock` itself when nothing differs.
 *
 * @example
 * const { options, next } = await optionsFor(plan, lock)
 * if (next !== lock) await writeLockfile(plan.lockfile, next)
 */
export async function optionsFor(
  plan: GenerationPlan,
  lock: Lockfile,
): Promise<{ options: GenerationOptions; next: Lockfile; selected: string[] }> {
  const {
    mergeGenerationOptions,
    diffGenerationOptions,
    selectGroupVersions,
    selectLockedGroupVersions,
    clusterGroupVersions,
    crdSetKeys,
    groupVersionFilter,
  } = await import('@k8s-codegen/openapi')
  const options = mergeGenerationOptions(plan.given, lock.options)
  // Patterns the lockfile did not record must match a group-version of its cluster source: the
  // same rule as `fetch` (nothing written when one matches nothing). Recorded ones were checked
  // by `fetch` against what the server served; an exclude it applied matches nothing locked by
  // design.
  const recorded = lock.options
  const fresh = (patterns: string[], old: string[] | undefined) =>
    patterns.filter((p) => !(old ?? []).includes(p))
  // An exclude that would drop a `--crds` group-version is named as such by the selection below.
  const setKeys = crdSetKeys(lock)
  const sets = Object.entries(lock.groupVersions)
    .filter(([key]) => setKeys.has(key))
    .map(([, gv]) => gv)
  const dropsSet = (p: string) => sets.some((gv) => !groupVersionFilter({ exclude: [p] })(gv))
  selectGroupVersions(
    Object.values(clusterGroupVersions(lock)),
    {
      include: fresh(options.include, recorded?.include),
      exclude:
        recorded === undefined
          ? []
          : fresh(options.exclude, recorded.exclude).filter((p) => !dropsSet(p)),
    },
    "the lockfile's cluster source holds (--include/--exclude narrow what the cluster serves; CRDs named with --crds are always generated)",
  )
  const selected = selectLockedGroupVersions(lock, options)
  // `--out .` beside the lockfile (a bindings package's root) is '.', not '' (which the lockfile
  // refuses: every later run failed).
  const out = relative(dirname(plan.lockfile), plan.out).split(sep).join('/') || '.'
  let next = lock
  if (recorded === undefined || diffGenerationOptions(recorded, options).length > 0)
    next = { ...next, options }
  // `--out` is recorded only when given, and never as the default.
  if (plan.outGiven && (lock.out ?? 'generated') !== out) {
    next = { ...next, out }
    if (out === 'generated') delete next.out
  }
  return { options, next, selected }
}

/**
 * Codegen's options for recorded generation options. The filters are not among them: they
 * narrow only the cluster's group-versions, which {@link optionsFor} selects before codegen
 * sees any (a `--crds` set's are always generated).
 *
 * @example
 * generate({ groupVersions, lockfileHash, options: codegenOptions(options) })
 */
export function codegenOptions(options: GenerationOptions): NonNullable<GenerateInput['options']> {
  return {
    docs: options.docs,
    nocheck: options.nocheck,
    emit: options.emit,
    limits: { documentBytes: options.maxDocumentBytes, depth: options.maxDepth },
  }
}

/**
 * The generation key from the lockfile alone (its document hashes), without reading a document:
 * enough to tell that the output is up to date.
 *
 * @example
 * if (await isOutputCurrent(out, await lockedGenerationKey(lock, options, selected))) return
 */
export async function lockedGenerationKey(
  lock: Lockfile,
  options: GenerationOptions,
  selected: readonly string[],
): Promise<string> {
  const [{ lockfileHash }, { generationKey }] = await Promise.all([
    import('@k8s-codegen/openapi'),
    import('@k8s-codegen/codegen'),
  ])
  const groupVersions = selected.flatMap((key) => {
    const gv = lock.groupVersions[key]
    return gv?.status === 'ok'
      ? [{ key, group: gv.group, version: gv.version, hash: gv.hash, document: undefined }]
      : []
  })
  return generationKey({
    groupVersions,
    lockfileHash: lockfileHash(lock),
    options: codegenOptions(options),
  })
}

/** What one generation did. */
export interface GenerationOutcome {
  out: string
  upToDate: boolean
  groupVersions: number
  resources: number
  files: number
  written: string[]
  removed: string[]
  /** No longer generated but edited since: left in place. */
  kept: string[]
  warnings: string[]
  /** Group-versions that could not be generated, with the rule each broke (codegen `skipped`). */
  skipped: { key: string; code: string; reason: string }[]
  options: GenerationOptions
  /** The generation left another lockfile: its `--crds` step wrote it, or it recorded options. */
  lockfileChanged: boolean
  elapsedMs: number
  /** The `--crds` step, when there was one. */
  crds?: CrdsOutcome
}

/**
 * Every place a run of `plan` writes, for `assertWritable` before it starts: the lockfile; when
 * it fetches, the cache and `--specs-dir`; when it generates, `--out`.
 *
 * @example
 * await assertWritable(writeTargets(plan, { fetches: true, generates: false }))
 */
export function writeTargets(
  plan: GenerationPlan,
  run: { fetches: boolean; generates: boolean },
): WriteTarget[] {
  const targets: WriteTarget[] = [{ kind: 'file', path: plan.lockfile, what: 'the lockfile' }]
  if (run.fetches) {
    targets.push({ kind: 'directory', path: plan.cacheDir, what: 'the spec cache' })
    if (plan.specsDir !== undefined)
      targets.push({ kind: 'directory', path: plan.specsDir, what: '--specs-dir' })
  }
  if (run.generates) targets.push({ kind: 'directory', path: plan.out, what: '--out' })
  return targets
}

/**
 * The locks of a generation: the lockfile (its options may be recorded) and `--out`.
 *
 * @example
 * await withLocks(generationLocks(plan), work)
 */
export function generationLocks(plan: GenerationPlan): LockTarget[] {
  return [
    { kind: 'file', path: plan.lockfile, what: 'the lockfile' },
    { kind: 'directory', path: plan.out, what: '--out' },
  ]
}

/**
 * Loads the locked specs offline, every document re-hashed, and (re)generates `--out` under the
 * lockfile and `--out` locks (but those in `held`, which the caller's run holds). Options given by a flag or the config file that differ from the
 * recorded ones are applied and recorded. When nothing the last run of the same plan depended on
 * changed (its record in the cache, generation-record.ts), its report is returned and nothing is
 * read; when the output was written by the same generation and is untouched, nothing is
 * generated or written (the documents are still re-hashed).
 *
 * @example
 * const outcome = await runGeneration(await resolvePlan(args, ctx))
 * outcome.upToDate // true on the second run
 */
export async function runGeneration(
  plan: GenerationPlan,
  held?: HeldLocks,
): Promise<GenerationOutcome> {
  return withLocks(
    generationLocks(plan),
    async () => {
      const record = await import('./generation-record.js')
      // Nothing it depends on changed since the recorded generation: its report, nothing read (nor
      // the CRD step's module loaded).
      const recorded = await record.recordedOutcome(plan)
      if (recorded !== undefined) {
        await record.removeStaleCacheFiles(plan.cacheDir)
        return recorded
      }
      // A file of yours in the way of the index or a locked module refuses the run before the
      // CRD step converts anything.
      await assertPlannedOutputFree(plan, await getLockfileOf(plan))
      const { runCrdsStep } = await import('./crds-step.js')
      const start = await record.recordingStarts(plan)
      // Each group-version the CRD step converts is planned while it is at hand, so generating
      // reads it from the cache once (to print it) instead of twice; the workers of a generation
      // printed on several threads plan it then too.
      const { plans, pool } = await documentPlans(plan)
      // The CRD step writes the lockfile before generating; a generation that then fails puts the
      // previous lockfile back, so a failed run leaves the user's files as they were.
      const { result, modules } = await keptOnFailure(plan.lockfile, async () => {
        const step = await runCrdsStep({
          ...crdsStepOptions(plan, true),
          onStored: (gv) => {
            plans.add(gv, gv.document)
            pool?.stored({
              key: gv.key,
              group: gv.group,
              version: gv.version,
              hash: gv.hash,
              bytes: gv.bytes,
              discovery: JSON.stringify(gv.discovery),
              crdFacts: JSON.stringify(gv.crdFacts),
            })
          },
        })
        const { outcome, modules } = await generateLocked(plan, plans, pool)
        // The generation's: the CRD step's write (recorded sets re-locked, the given one added)
        // and the options it recorded.
        const lockfileChanged = outcome.lockfileChanged || step.lockfileChanged
        return {
          result: {
            ...outcome,
            lockfileChanged,
            ...(step.given === undefined ? {} : { crds: step.given }),
          },
          modules,
        }
      }).finally(() => pool?.close())
      await record.recordGeneration(plan, start, result, modules)
      await record.removeStaleCacheFiles(plan.cacheDir)
      return result
    },
    undefined,
    held,
  )
}

async function getLockfileOf(plan: GenerationPlan): Promise<Lockfile | undefined> {
  return (await import('@k8s-codegen/openapi')).getLockfile(plan.lockfile)
}

/**
 * Fails with `K8S_CODEGEN_CLI_OUTPUT_CONFLICT` before any work when a file k8s-codegen did not
 * write stands in `--out` where a generation of `lock` certainly writes one (codegen
 * `plannedFiles`: the index, and the modules of the group-versions the plan selects; `selected`
 * when the caller has them, else as the options select them, else none). The writer still judges
 * every file it writes: what only the documents decide (shared modules, a renamed path) is refused
 * when generated.
 *
 * @example
 * await assertPlannedOutputFree(plan, await getLockfile(plan.lockfile))
 */
export async function assertPlannedOutputFree(
  plan: GenerationPlan,
  lock: Lockfile | undefined,
  selected?: readonly string[],
): Promise<void> {
  const [{ plannedFiles }, openapi, { assertOutputFree }] = await Promise.all([
    import('@k8s-codegen/codegen'),
    import('@k8s-codegen/openapi'),
    import('./write-output.js'),
  ])
  const options = openapi.mergeGenerationOptions(plan.given, lock?.options)
  let keys = selected
  if (keys === undefined && lock !== undefined) {
    try {
      keys = openapi.selectLockedGroupVersions(lock, options)
    } catch {
      // A selection error is the generation's to report, with its context.
      keys = []
    }
  }
  const groupVersions = (keys ?? []).flatMap((key) => {
    const gv = lock?.groupVersions[key]
    return gv === undefined ? [] : [gv]
  })
  await assertOutputFree(plan.out, plannedFiles(groupVersions, options.emit))
}

/**
 * Runs `work`, and when it throws, or SIGINT/SIGTERM ends the run before its output is committed
 * (interrupt.ts), puts `path` back as it was before (removed when it did not exist): what a step
 * that writes the lockfile and then fails leaves.
 *
 * @example
 * await keptOnFailure(plan.lockfile, () => runCrdsStep(crdsStepOptions(plan, true)))
 */
export async function keptOnFailure<T>(path: string, work: () => Promise<T>): Promise<T> {
  const [
    { readFile },
    { readFileSync, rmSync, writeFileSync },
    { onInterrupt },
    { settleOutputsNow },
  ] = await Promise.all([
    import('node:fs/promises'),
    import('node:fs'),
    import('./interrupt.js'),
    import('./output-in-progress.js'),
  ])
  const previous = await readFile(path).catch(() => undefined)
  // Synchronous: also what a signal handler runs.
  const putBack = (): void => {
    if (previous === undefined) return rmSync(path, { force: true })
    let now: Buffer | undefined
    try {
      now = readFileSync(path)
    } catch {
      now = undefined
    }
    if (now === undefined || !now.equals(previous)) writeFileSync(path, previous)
  }
  const done = onInterrupt((signal) => {
    if (settleOutputsNow() === 'new')
      return `k8s-codegen: interrupted by ${signal} once the new output was committed: kept it and the lockfile ${path} (the next run finishes renaming its files)\n`
    putBack()
    return `k8s-codegen: interrupted by ${signal} before the new output was committed: the lockfile ${path} and the output are as they were before the generation\n`
  })
  try {
    return await work()
  } catch (error) {
    putBack()
    throw error
  } finally {
    done()
  }
}

/**
 * The options of the `--crds` step of a plan: the recorded sets, the given one, the lockfile
 * and cache it writes (`write: false` for `check`).
 *
 * @example
 * await runCrdsStep(crdsStepOptions(plan, true))
 */
export function crdsStepOptions(plan: GenerationPlan, write: boolean): CrdsStepOptions {
  const crds = plan.crds
  return {
    lockfile: plan.lockfile,
    cacheDir: plan.cacheDir,
    given:
      crds === undefined
        ? undefined
        : { crds: crds.paths, cwd: crds.cwd, base: crds.base, override: crds.override },
    drop: plan.dropCrdSets,
    limits: plan.crdLimits,
    write,
  }
}

// Plans made under the limits this run will most likely generate with: the given ones over the
// recorded ones (`optionsFor`); a plan made under other limits is not used (DocumentPlans). A run
// that converts CRDs and will likely print most modules starts its print pool's workers now, so
// they plan what it stores while it converts the rest (print-pool.ts).
async function documentPlans(
  plan: GenerationPlan,
): Promise<{ plans: DocumentPlans; pool?: PrintPool }> {
  const [{ DocumentPlans }, { getLockfile, mergeGenerationOptions }] = await Promise.all([
    import('@k8s-codegen/codegen'),
    import('@k8s-codegen/openapi'),
  ])
  const lock = await getLockfile(plan.lockfile).catch(() => undefined)
  const options = codegenOptions(mergeGenerationOptions(plan.given, lock?.options))
  const plans = new DocumentPlans(options)
  if (plan.crds === undefined && (lock?.crds ?? []).length === 0) return { plans }
  const [{ recordedModules }, { outputDirectory }, { printThreads }] = await Promise.all([
    import('./generation-record.js'),
    import('./write-output.js'),
    import('./print-threads.js'),
  ])
  const recorded = recordedModules(plan, await outputDirectory(plan.out)).count
  const known = lock === undefined ? undefined : Object.keys(lock.groupVersions).length
  const threads = printThreads(plan.crds === undefined ? known : undefined, recorded)
  if (threads === 1) return { plans }
  const { PrintPool } = await import('./print-pool.js')
  return {
    plans,
    pool: PrintPool.start({ cacheDir: plan.cacheDir, limits: options.limits }, threads),
  }
}

// The outcome, and the modules generated (none when the output was found current). `early`: the
// print pool started with the run, used when this generation is worth it.
async function generateLocked(
  plan: GenerationPlan,
  plans: DocumentPlans,
  early: PrintPool | undefined,
): Promise<{ outcome: GenerationOutcome; modules?: GeneratedModule[] }> {
  const started = performance.now()
  const [
    openapi,
    { isOutputCurrent, outputDirectory, readManifest, recoverOutput, writeOutputFrom },
  ] = await Promise.all([import('@k8s-codegen/openapi'), import('./write-output.js')])
  const lock = await openapi.readLockfile(plan.lockfile)
  const { options, next, selected } = await optionsFor(plan, lock)
  const record = async (): Promise<boolean> =>
    next === lock ? false : openapi.writeLockfile(plan.lockfile, next)
  await recoverOutput(plan.out)
  const key = await lockedGenerationKey(next, options, selected)
  const base = {
    out: plan.out,
    options,
    warnings: [] as string[],
    written: [] as string[],
    removed: [] as string[],
    kept: [] as string[],
  }
  const sources = { cacheDir: plan.cacheDir, specsDir: plan.specsDir }
  const { recordedModules, recordedOutputs } = await import('./generation-record.js')
  if (await isOutputCurrent(plan.out, key, { unchanged: recordedOutputs(plan) })) {
    // Up to date by the lockfile's hashes; the documents are still re-hashed (no parsing), so an
    // edited committed spec fails here too.
    await openapi.verifyLockedSpecs(next, sources)
    const { skipped = [], ...stats } = readManifest(plan.out)?.stats ?? {
      groupVersions: 0,
      resources: 0,
      files: 0,
    }
    return {
      outcome: {
        ...base,
        upToDate: true,
        ...stats,
        skipped,
        lockfileChanged: await record(),
        elapsedMs: performance.now() - started,
      },
    }
  }
  // Every module the lockfile selects is known now: one of yours in the way refuses the run
  // before a document is read.
  await assertPlannedOutputFree(plan, next, selected)
  const { generateInto } = await import('@k8s-codegen/codegen')
  // Documents are read when the generator needs them (twice: to plan, to print), never all at once.
  const specs = await openapi.openSpecSet({ lockfile: plan.lockfile, ...sources }, next)
  const input = {
    groupVersions: specs.groupVersions.filter((gv) => selected.includes(gv.key)),
    lockfileHash: specs.lockfileHash,
    options: codegenOptions(options),
    plans,
  }
  // Each file is written (to a temp file, committed at the end) as soon as it is printed; a
  // module printed before from the same inputs whose files `--out` still holds is not printed,
  // and on more than one thread the workers print their share of the others (print-pool.ts).
  const recorded = recordedModules(plan, await outputDirectory(plan.out))
  const { printThreads } = await import('./print-threads.js')
  const threads = printThreads(input.groupVersions.length, recorded.count)
  const pool =
    threads === 1
      ? undefined
      : (early ??
        (await import('./print-pool.js')).PrintPool.start(
          { cacheDir: plan.cacheDir, limits: input.options.limits },
          threads,
        ))
  pool?.print({
    lockfile: plan.lockfile,
    lock: JSON.stringify(next),
    cacheDir: plan.cacheDir,
    specsDir: plan.specsDir,
    selected,
    options: input.options,
  })
  const {
    result: written,
    produced: { summary: result, lockfileChanged },
  } = await writeOutputFrom(plan.out, key, async (sink) => {
    // Module `index` of the generation's `attempt` (one more after each discard).
    let index = 0
    let attempt = 0
    const reuse = async (moduleKey: string, files: readonly string[]): Promise<boolean> => {
      const module = index++
      const hashes = recorded.held(moduleKey, files)
      if (hashes !== undefined) {
        for (const [path, hash] of hashes) sink.unchanged(path, hash)
        return true
      }
      const texts = await pool?.take(module, attempt, files)
      for (const [path, content] of texts ?? []) await sink.file(path, content)
      return texts !== undefined
    }
    const discard = async (): Promise<void> => {
      index = 0
      attempt++
      await sink.discard()
    }
    const summary = await generateInto(input, { ...sink, reuse, discard })
    // The options are recorded before the output is committed: a run killed between the two
    // leaves a lockfile ahead of the previous output (which `check` calls stale and the next
    // `generate` brings up to date), never a new output whose options the lockfile lacks.
    const lockfileChanged = await record()
    // The manifest keeps what was skipped, so a run that finds the output current reports it too.
    return {
      summary,
      lockfileChanged,
      stats: { ...summary.stats, skipped: summary.skipped },
      options,
    }
  }).finally(() => pool?.close())
  const outcome: GenerationOutcome = {
    ...base,
    upToDate: written.written.length === 0 && written.removed.length === 0,
    ...result.stats,
    written: written.written,
    removed: written.removed,
    kept: written.kept,
    skipped: result.skipped,
    warnings: [
      ...result.warnings,
      ...written.kept.map(
        (path) =>
          `${path} is no longer generated but was edited since it was written, so it was kept`,
      ),
    ],
    lockfileChanged,
    elapsedMs: performance.now() - started,
  }
  return { outcome, modules: result.modules }
}

/**
 * Flags shared by `generate` and `check`. `out` and `docs` have no yargs default: an unset flag
 * falls back to the config file, then the lockfile ({@link resolvePlan}).
 *
 * @example
 * yargs.options(generationFlags)
 */
export const generationFlags = {
  out: { type: 'string', describe: 'Output directory of the generated code (default generated)' },
  lockfile: {
    type: 'string',
    describe:
      'Lockfile path (default k8s-codegen.lock.json in the config file directory, else the working directory)',
  },
  'cache-dir': {
    type: 'string',
    describe: 'Spec cache (default $K8S_CODEGEN_CACHE_DIR, else the OS user cache dir)',
  },
  'specs-dir': {
    type: 'string',
    describe: 'Read the verified documents from this directory (written by fetch --specs-dir)',
  },
  include: {
    type: 'string',
    array: true,
    describe:
      "Only these group/version globs: 'apps', 'apps/*', 'core/v1' (or 'api/v1'), '*.k8s.io/v1?'; default: as recorded in the lockfile",
  },
  exclude: {
    type: 'string',
    array: true,
    describe: 'Skip these group/version globs; default: as recorded in the lockfile',
  },
  docs: {
    type: 'boolean',
    describe:
      'Descriptions and validation rules become JSDoc (default: as recorded, else on; --no-docs omits them)',
  },
  nocheck: {
    type: 'boolean',
    describe:
      'Mark the files // @ts-nocheck so your compiler uses their types without re-checking them (default: as recorded, else on; --no-nocheck checks them)',
  },
  emit: {
    choices: ['ts', 'js'] as const,
    describe:
      'ts: TypeScript sources (default); js: JavaScript plus .d.ts declarations, for a publishable package',
  },
  'max-document-bytes': {
    type: 'number',
    describe:
      'Skip (with a warning) a group-version whose document is larger (default: as recorded, else 67108864)',
  },
  'max-depth': {
    type: 'number',
    describe:
      'Skip (with a warning) a group-version whose schemas nest deeper (default: as recorded, else 64)',
  },
  'max-crd-file-bytes': {
    type: 'number',
    describe:
      'With --crds: refuse a CRD file larger than this, read as a stream (default 33554432)',
  },
  'max-crd-total-bytes': {
    type: 'number',
    describe: 'With --crds: refuse CRD files larger than this in all (default 1073741824)',
  },
  'max-crd-documents': {
    type: 'number',
    describe: 'With --crds: refuse a CRD file of more YAML documents than this (default 10000)',
  },
  'max-crd-expanded-bytes': {
    type: 'number',
    describe:
      'With --crds: refuse a YAML document larger than this as JSON with its aliases expanded (default 67108864)',
  },
  crds: {
    type: 'string',
    array: true,
    describe:
      'CustomResourceDefinition files, directories (recursive *.yaml|*.yml|*.json) or globs to convert and lock first; no cluster needed',
  },
  'crds-override': {
    type: 'boolean',
    describe: 'With --crds: a CRD the base also serves replaces it instead of failing',
  },
  config: {
    type: 'string',
    describe: `Config file (default: ${CONFIG_NAMES.join(', ')} found from the working directory up to the project root)`,
  },
  json: { type: 'boolean', default: false, describe: 'Print one JSON document on stdout' },
} as const satisfies Record<string, Options>

/**
 * `--base`, for `generate` and `check` only: `fetch --crds` joins the CRDs to what the cluster
 * serves (its fetched lockfile is their base), so `fetch` has no such flag.
 *
 * @example
 * yargs.options(generationFlags).options(crdsBaseFlag)
 */
export const crdsBaseFlag = {
  base: {
    type: 'string',
    describe:
      'With --crds: the lockfile or --specs-dir of an earlier fetch the CRDs join (default: CRDs alone, meta/v1 from the shipped Kubernetes 1.32 baseline)',
  },
} as const satisfies Record<string, Options>

const LIMIT_FLAGS = [
  'max-document-bytes',
  'max-depth',
  'max-crd-file-bytes',
  'max-crd-total-bytes',
  'max-crd-documents',
  'max-crd-expanded-bytes',
] as const

/**
 * Rejects limit flags that are not positive integers (yargs parses any number).
 *
 * @example
 * yargs.check(checkLimitFlags)
 */
export function checkLimitFlags(
  argv: Partial<Record<(typeof LIMIT_FLAGS)[number], number | undefined>>,
): true {
  for (const flag of LIMIT_FLAGS) {
    const value = argv[flag]
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new Error(`--${flag} must be a positive integer, got ${String(value)}`)
    }
  }
  return true
}

/**
 * The warnings of a generation: its own, then one per skipped group-version naming its rule.
 *
 * @example
 * report(ctx, 'generate', false, { exitCode: 0, text: '', warnings: generationWarnings(outcome) })
 */
export function generationWarnings(outcome: GenerationOutcome): string[] {
  return [
    ...outcome.warnings,
    ...outcome.skipped.map(({ key, code, reason }) => `${key} not generated: ${reason} [${code}]`),
  ]
}

/**
 * One summary line of a generation, for stdout.
 *
 * @example
 * ctx.stdout(generationText(outcome))
 */
export function generationText(outcome: GenerationOutcome): string {
  const seconds = (outcome.elapsedMs / 1000).toFixed(2)
  const crds = outcome.crds === undefined ? '' : crdsSummary(outcome.crds)
  return (
    crds +
    (outcome.upToDate
      ? `${outcome.out} is up to date: ${outcome.groupVersions} group-versions, ${outcome.resources} resources, ${outcome.files} files (${seconds} s)\n`
      : `generated ${outcome.groupVersions} group-versions, ${outcome.resources} resources, ${outcome.files} files into ${outcome.out}: ${outcome.written.length} written, ${outcome.removed.length} removed (${seconds} s)\n`)
  )
}

/**
 * The summary line of a `--crds` step.
 *
 * @example
 * crdsSummary(outcome) // 'read 12 CRDs from 3 files (1 other document skipped) into 4 group-versions; meta/v1 from kubernetes 1.32 (shipped with k8s-codegen)\n'
 */
export function crdsSummary(outcome: CrdsOutcome): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  return `read ${plural(outcome.crds, 'CRD')} from ${plural(outcome.files, 'file')} (${plural(outcome.skipped, 'other document')} skipped) into ${plural(outcome.groupVersions.length, 'group-version')}; meta/v1 from ${outcome.baseline}\n`
}

/**
 * A generation outcome as fields of the `--json` document.
 *
 * @example
 * report(ctx, 'generate', true, { exitCode: 0, summary: generationJson(outcome), text: '' })
 */
export function generationJson(outcome: GenerationOutcome): Record<string, unknown> {
  const { warnings, ...rest } = outcome
  return { ...rest, warnings, elapsedMs: Math.round(outcome.elapsedMs) }
}
