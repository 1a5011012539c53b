import { dirname, join, resolve } from 'node:path'

import type { GenerateInput } from '@k8s-codegen/codegen'
import type { CommandModule, Options } from 'yargs'

import type { CliContext } from '../context.js'
import { CONFIG_NAMES } from '../config-file.js'
import { ExitCode, exitCodeFor, exitCodeHelp } from '../exit-codes.js'

/** Options of one generation, from flags, the config file or `fetch`. */
export interface GenerationOptions {
  out: string
  lockfile?: string | undefined
  'cache-dir'?: string | undefined
  'specs-dir'?: string | undefined
  include?: string[] | undefined
  exclude?: string[] | undefined
  docs: boolean
  /** Mark the files `// @ts-nocheck` (default true; see codegen's `nocheck` option). */
  nocheck?: boolean | undefined
  /** `ts` (default) or `js` (JavaScript plus `.d.ts`). */
  emit?: 'ts' | 'js' | undefined
  'max-document-bytes'?: number | undefined
  'max-depth'?: number | undefined
  /** Exit 3 when a group-version could not be generated. */
  strict?: boolean | undefined
}

/** Parsed flags of `generate` and `check`: unset ones fall back to the config file, then defaults. */
export interface GenerationArgs extends Unset<GenerationOptions> {
  config?: string | undefined
  json: boolean
}

/** `generate`'s own flag (`fetch` has a `--strict` of its own that covers this too). */
const strictFlag = {
  strict: {
    type: 'boolean',
    describe: 'Exit 3 when any group-version could not be generated',
  },
} as const satisfies Record<string, Options>

/** Every option may be absent, as an unset yargs flag is (`undefined`). */
type Unset<T> = { [K in keyof T]?: T[K] | undefined }

/** What one generation did. */
export interface GenerationOutcome {
  out: string
  upToDate: boolean
  groupVersions: number
  resources: number
  files: number
  written: string[]
  removed: string[]
  warnings: string[]
  /** Group-versions that could not be generated, with the rule each broke. */
  skipped: { key: string; code: string; reason: string }[]
  elapsedMs: number
}

/**
 * The options of a `generate`/`check` run: each flag given wins, then the config file (`--config`,
 * else `k8s-codegen.config.{json,ts,mjs,js}` found from the working directory up), then the
 * default (`--out generated`, docs on).
 *
 * @example
 * const options = await resolveGenerationOptions({ json: false, include: ['apps/*'] }, ctx)
 * options.out // '/repo/src/k8s' from the config file, or 'generated'
 */
export async function resolveGenerationOptions(
  args: GenerationArgs,
  ctx: CliContext,
): Promise<GenerationOptions> {
  const { loadConfigFile } = await import('../config-file.js')
  const config = (await loadConfigFile(ctx.cwd, args.config))?.config ?? {}
  return {
    out: args.out ?? config.out ?? 'generated',
    lockfile: args.lockfile ?? config.lockfile,
    'cache-dir': args['cache-dir'] ?? config.cacheDir,
    'specs-dir': args['specs-dir'] ?? config.specsDir,
    include: args.include ?? config.include,
    exclude: args.exclude ?? config.exclude,
    docs: args.docs ?? config.docs ?? true,
    nocheck: args.nocheck ?? config.nocheck,
    emit: args.emit ?? config.emit,
    'max-document-bytes': args['max-document-bytes'] ?? config.maxDocumentBytes,
    'max-depth': args['max-depth'] ?? config.maxDepth,
    strict: args.strict === true,
  }
}

/**
 * Flags shared by `generate` and `check`. `out` and `docs` have no yargs default: an unset flag
 * falls back to the config file first ({@link resolveGenerationOptions}).
 *
 * @example
 * yargs.options(generationFlags)
 */
export const generationFlags = {
  out: { type: 'string', describe: 'Output directory of the generated code (default generated)' },
  lockfile: {
    type: 'string',
    describe: 'Lockfile path (default <parent of --out>/k8s-codegen.lock.json)',
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
    describe: "Only these group/version globs (core group = 'core'), e.g. 'apps/*'",
  },
  exclude: { type: 'string', array: true, describe: 'Skip these group/version globs' },
  docs: { type: 'boolean', describe: 'Descriptions become JSDoc (default; --no-docs omits them)' },
  nocheck: {
    type: 'boolean',
    describe:
      'Mark the files // @ts-nocheck so your compiler uses their types without re-checking them (default; --no-nocheck checks them)',
  },
  emit: {
    choices: ['ts', 'js'] as const,
    describe:
      'ts: TypeScript sources (default); js: JavaScript plus .d.ts declarations, for a publishable package',
  },
  'max-document-bytes': {
    type: 'number',
    describe: 'Skip (with a warning) a group-version whose document is larger (default 67108864)',
  },
  'max-depth': {
    type: 'number',
    describe: 'Skip (with a warning) a group-version whose schemas nest deeper (default 64)',
  },
  config: {
    type: 'string',
    describe: `Config file (default: ${CONFIG_NAMES.join(', ')} found from the working directory up)`,
  },
  json: { type: 'boolean', default: false, describe: 'Print one JSON summary on stdout' },
} as const satisfies Record<string, Options>

/**
 * Rejects limit flags that are not positive integers (yargs parses any number).
 *
 * @example
 * yargs.check(checkLimitFlags)
 */
export function checkLimitFlags(argv: {
  'max-document-bytes'?: number | undefined
  'max-depth'?: number | undefined
}): true {
  for (const flag of ['max-document-bytes', 'max-depth'] as const) {
    const value = argv[flag]
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new Error(`--${flag} must be a positive integer, got ${String(value)}`)
    }
  }
  return true
}

/**
 * Loads the locked specs offline (lockfile beside `out` unless given; cache or `specs-dir`) as the
 * input of `generate()`.
 *
 * @example
 * const input = await loadGenerationInput({ out: 'generated', docs: true }, ctx)
 */
export async function loadGenerationInput(
  options: GenerationOptions,
  ctx: CliContext,
): Promise<GenerateInput> {
  const { loadSpecSet, defaultCacheDir } = await import('@k8s-codegen/openapi')
  const specs = await loadSpecSet({
    lockfile: lockfileOf(options, ctx),
    cacheDir:
      options['cache-dir'] !== undefined
        ? resolve(ctx.cwd, options['cache-dir'])
        : defaultCacheDir(ctx.env),
    specsDir:
      options['specs-dir'] === undefined ? undefined : resolve(ctx.cwd, options['specs-dir']),
  })
  return {
    groupVersions: specs.groupVersions,
    lockfileHash: specs.lockfileHash,
    options: generateOptions(options),
  }
}

function lockfileOf(options: GenerationOptions, ctx: CliContext): string {
  return options.lockfile !== undefined
    ? resolve(ctx.cwd, options.lockfile)
    : join(dirname(resolve(ctx.cwd, options.out)), 'k8s-codegen.lock.json')
}

function generateOptions(options: GenerationOptions): NonNullable<GenerateInput['options']> {
  return {
    docs: options.docs,
    ...(options.nocheck === undefined ? {} : { nocheck: options.nocheck }),
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    ...(options.emit === undefined ? {} : { emit: options.emit }),
    ...(options['max-document-bytes'] === undefined && options['max-depth'] === undefined
      ? {}
      : {
          limits: {
            ...(options['max-document-bytes'] === undefined
              ? {}
              : { documentBytes: options['max-document-bytes'] }),
            ...(options['max-depth'] === undefined ? {} : { depth: options['max-depth'] }),
          },
        }),
  }
}

/**
 * The generation key from the lockfile alone (its document hashes), without reading or
 * re-verifying a single document: enough to tell that the output is up to date.
 *
 * @example
 * if (await isOutputCurrent(out, await lockedGenerationKey(options, ctx))) return
 */
export async function lockedGenerationKey(
  options: GenerationOptions,
  ctx: CliContext,
): Promise<string> {
  const [{ readLockfile, lockfileHash }, { generationKey }] = await Promise.all([
    import('@k8s-codegen/openapi'),
    import('@k8s-codegen/codegen'),
  ])
  const lock = await readLockfile(lockfileOf(options, ctx))
  const groupVersions = Object.entries(lock.groupVersions).flatMap(([key, gv]) =>
    gv.status === 'ok'
      ? [{ key, group: gv.group, version: gv.version, hash: gv.hash, document: undefined }]
      : [],
  )
  return generationKey({
    groupVersions,
    lockfileHash: lockfileHash(lock),
    options: generateOptions(options),
  })
}

/**
 * Loads the locked specs offline and (re)generates `out`. When the output was written by the same
 * generation (same generator, options and document hashes) and is untouched, nothing is
 * generated or written.
 *
 * @example
 * const outcome = await runGeneration({ out: 'generated', docs: true }, ctx)
 * outcome.upToDate // true on the second run
 */
export async function runGeneration(
  options: GenerationOptions,
  ctx: CliContext,
): Promise<GenerationOutcome> {
  const started = performance.now()
  const out = resolve(ctx.cwd, options.out)
  const [{ generate }, { isOutputCurrent, readManifest, writeOutput }] = await Promise.all([
    import('@k8s-codegen/codegen'),
    import('../write-output.js'),
  ])
  // Up to date by the lockfile's hashes alone: no document is read, parsed or re-hashed.
  const key = await lockedGenerationKey(options, ctx)
  const base = { out, warnings: [] as string[], written: [] as string[], removed: [] as string[] }
  if (await isOutputCurrent(out, key)) {
    const { skipped = [], ...stats } = (await readManifest(out))?.stats ?? {
      groupVersions: 0,
      resources: 0,
      files: 0,
    }
    return { ...base, upToDate: true, ...stats, skipped, elapsedMs: performance.now() - started }
  }
  const input = await loadGenerationInput(options, ctx)
  const result = await generate(input)
  // The manifest keeps what was skipped, so a run that finds the output current reports it too.
  const written = await writeOutput(out, result.files, key, {
    ...result.stats,
    skipped: result.skipped,
  })
  return {
    out,
    upToDate: written.written.length === 0 && written.removed.length === 0,
    ...result.stats,
    written: written.written,
    removed: written.removed,
    warnings: result.warnings,
    skipped: result.skipped,
    elapsedMs: performance.now() - started,
  }
}

/**
 * Prints a generation outcome: warnings on stderr, one summary line (or `--json`) on stdout.
 *
 * @example
 * reportGeneration(await runGeneration(args, ctx), { json: args.json, strict: args.strict }, ctx)
 */
export function reportGeneration(
  outcome: GenerationOutcome,
  options: { json: boolean; strict?: boolean | undefined },
  ctx: CliContext,
): void {
  const { json } = options
  for (const warning of outcome.warnings) ctx.stderr(`k8s-codegen: warning: ${warning}\n`)
  for (const { key, code, reason } of outcome.skipped) {
    ctx.stderr(`k8s-codegen: warning: ${key} not generated: ${reason} [${code}]\n`)
  }
  if (options.strict === true && outcome.skipped.length > 0) {
    ctx.stderr(`k8s-codegen: ${outcome.skipped.length} group-versions not generated (--strict)\n`)
    ctx.exitCode = ExitCode.partial
  }
  if (json) {
    ctx.stdout(
      `${JSON.stringify({ ok: true, ...outcome, elapsedMs: Math.round(outcome.elapsedMs) })}\n`,
    )
    return
  }
  const seconds = (outcome.elapsedMs / 1000).toFixed(2)
  ctx.stdout(
    outcome.upToDate
      ? `${outcome.out} is up to date: ${outcome.groupVersions} group-versions, ${outcome.resources} resources, ${outcome.files} files (${seconds} s)\n`
      : `generated ${outcome.groupVersions} group-versions, ${outcome.resources} resources, ${outcome.files} files into ${outcome.out}: ${outcome.written.length} written, ${outcome.removed.length} removed (${seconds} s)\n`,
  )
}

/**
 * `k8s-codegen generate`: regenerate `--out` offline from the lockfile and the cache (or
 * `--specs-dir`).
 *
 * @example
 * commands.push(generateCommand(ctx))
 */
export function generateCommand(ctx: CliContext): CommandModule<object, GenerationArgs> {
  return {
    command: 'generate',
    describe: 'Generate TypeScript from the locked specs, offline (no cluster needed)',
    builder: (yargs) =>
      yargs
        .options(generationFlags)
        .options(strictFlag)
        .check(checkLimitFlags)
        .example('$0 generate', 'Regenerate ./generated from ./k8s-codegen.lock.json and the cache')
        .example(
          '$0 generate --specs-dir specs --out src/k8s --no-docs',
          'In CI, from committed specs',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      try {
        const options = await resolveGenerationOptions(args, ctx)
        reportGeneration(
          await runGeneration(options, ctx),
          { json: args.json, strict: options.strict },
          ctx,
        )
      } catch (error) {
        reportFailure('generate', error, args.json, ctx)
      }
    },
  }
}

/**
 * Prints a failed command's error on stderr (and its `--json` document) and sets the exit code.
 *
 * @example
 * reportFailure('generate', error, false, ctx)
 */
export function reportFailure(
  command: string,
  error: unknown,
  json: boolean,
  ctx: CliContext,
): void {
  const { code, message } = error as { code?: unknown; message?: unknown }
  const codeText = typeof code === 'string' ? code : 'K8S_CODEGEN_INTERNAL'
  ctx.stderr(`k8s-codegen ${command}: error: ${String(message ?? error)} [${codeText}]\n`)
  if (json)
    ctx.stdout(
      `${JSON.stringify({ ok: false, error: { code: codeText, message: String(message ?? error) } })}\n`,
    )
  ctx.exitCode = exitCodeFor(error)
}

/**
 * Flags `fetch` adds for its generation step.
 *
 * @example
 * yargs.options(generateStepFlags) // --no-generate, --no-docs
 */
export const generateStepFlags = {
  generate: {
    type: 'boolean',
    default: true,
    describe: 'Generate TypeScript into --out after fetching (--no-generate stops at the specs)',
  },
  docs: generationFlags.docs,
  nocheck: generationFlags.nocheck,
  emit: generationFlags.emit,
  'max-document-bytes': generationFlags['max-document-bytes'],
  'max-depth': generationFlags['max-depth'],
  config: generationFlags.config,
} as const satisfies Record<string, Options>

/** Parsed flags of `fetch`'s generation step. */
export interface GenerateStepArgs extends GenerationOptions {
  generate: boolean
  json: boolean
}

/**
 * The last step of `fetch`: when the specs were fetched and locked, generate `--out` from them
 * (unless `--no-generate`). With `--json` stdout keeps its single fetch document; the generation
 * line goes to stderr. A failed generation sets its exit code; a partial fetch's code is kept.
 *
 * @example
 * const outcome = await runFetch(args, ctx)
 * reportFetch(outcome, args, ctx)
 * await generateAfterFetch(outcome.result !== undefined, args, ctx)
 */
export async function generateAfterFetch(
  fetched: boolean,
  args: GenerateStepArgs,
  ctx: CliContext,
): Promise<void> {
  if (!fetched || !args.generate) return
  try {
    const outcome = await runGeneration(args, ctx)
    const report = { json: false, strict: args.strict }
    if (args.json) reportGeneration(outcome, report, { ...ctx, stdout: (text) => ctx.stderr(text) })
    else reportGeneration(outcome, report, ctx)
  } catch (error) {
    reportFailure('fetch', error, false, ctx)
  }
}
