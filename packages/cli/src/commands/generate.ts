import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

import { K8sCodegenError } from '@k8s-codegen/proxy-url'
import type { GenerateInput } from '@k8s-codegen/codegen'
import type { CommandModule, Options } from 'yargs'

import type { CliContext } from '../context.js'
import { exitCodeFor, exitCodeHelp } from '../exit-codes.js'

/**
 * Name of the config file `generate`/`check` find from the working directory upwards.
 *
 * @example
 * // k8s-codegen.config.json
 * { "out": "src/k8s", "specsDir": "specs", "include": ["core/v1", "apps/*"], "docs": false }
 */
export const CONFIG_NAME = 'k8s-codegen.config.json'

/** Options of one generation, from flags, the config file or `fetch`. */
export interface GenerationOptions {
  out: string
  lockfile?: string | undefined
  'cache-dir'?: string | undefined
  'specs-dir'?: string | undefined
  include?: string[] | undefined
  exclude?: string[] | undefined
  docs: boolean
}

/** Parsed `generate` flags. */
export interface GenerateArgs extends GenerationOptions {
  config?: string | undefined
  json: boolean
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
  warnings: string[]
  elapsedMs: number
}

const CONFIG_KEYS: Readonly<Record<string, 'string' | 'string[]' | 'boolean'>> = {
  out: 'string',
  lockfile: 'string',
  cacheDir: 'string',
  specsDir: 'string',
  include: 'string[]',
  exclude: 'string[]',
  docs: 'boolean',
}

/**
 * Finds `k8s-codegen.config.json` from `cwd` upwards (or reads `explicit`) and returns its options
 * as flag defaults; relative paths in it are relative to the file. Unknown keys and wrong types
 * are errors naming the file and the key.
 *
 * @example
 * // k8s-codegen.config.json: { "out": "src/k8s", "include": ["core/v1", "apps/*"], "docs": false }
 * yargs.config(loadConfig(process.cwd()))
 */
export function loadConfig(cwd: string, explicit?: string): Record<string, unknown> {
  let file = explicit === undefined ? undefined : resolve(cwd, explicit)
  for (let dir = resolve(cwd); file === undefined; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_NAME))) file = join(dir, CONFIG_NAME)
    else if (dirname(dir) === dir) return {}
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new K8sCodegenError(
      'K8S_CODEGEN_CLI_CONFIG_INVALID',
      `config file ${file} is not readable JSON: ${(error as Error).message}`,
      { cause: error },
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new K8sCodegenError(
      'K8S_CODEGEN_CLI_CONFIG_INVALID',
      `config file ${file} must hold a JSON object`,
    )
  }
  const base = dirname(file)
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(parsed)) {
    const kind = CONFIG_KEYS[key]
    const ok =
      kind === 'string'
        ? typeof value === 'string'
        : kind === 'boolean'
          ? typeof value === 'boolean'
          : kind === 'string[]' && Array.isArray(value) && value.every((v) => typeof v === 'string')
    if (kind === undefined || !ok) {
      throw new K8sCodegenError(
        'K8S_CODEGEN_CLI_CONFIG_INVALID',
        `config file ${file}: key '${key}' ${kind === undefined ? `is unknown (allowed: ${Object.keys(CONFIG_KEYS).join(', ')})` : `must be a ${kind}`}`,
      )
    }
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    // Every string option is a path; relative to the config file, like tsconfig's.
    out[flag] = kind === 'string' ? resolve(base, value as string) : value
  }
  return out
}

/**
 * Flags shared by `generate` and `check`.
 *
 * @example
 * yargs.options(generationFlags)
 */
export const generationFlags = {
  out: { type: 'string', default: 'generated', describe: 'Output directory of the generated code' },
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
  docs: {
    type: 'boolean',
    default: true,
    describe: 'Descriptions become JSDoc (--no-docs omits them)',
  },
} as const satisfies Record<string, Options>

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
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
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
    const stats = (await readManifest(out))?.stats ?? { groupVersions: 0, resources: 0, files: 0 }
    return { ...base, upToDate: true, ...stats, elapsedMs: performance.now() - started }
  }
  const input = await loadGenerationInput(options, ctx)
  const result = await generate(input)
  const written = await writeOutput(out, result.files, key, result.stats)
  return {
    out,
    upToDate: written.written.length === 0 && written.removed.length === 0,
    ...result.stats,
    written: written.written,
    removed: written.removed,
    warnings: result.warnings,
    elapsedMs: performance.now() - started,
  }
}

/**
 * Prints a generation outcome: warnings on stderr, one summary line (or `--json`) on stdout.
 *
 * @example
 * reportGeneration(await runGeneration(args, ctx), args.json, ctx)
 */
export function reportGeneration(outcome: GenerationOutcome, json: boolean, ctx: CliContext): void {
  for (const warning of outcome.warnings) ctx.stderr(`k8s-codegen: warning: ${warning}\n`)
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
export function generateCommand(ctx: CliContext): CommandModule<object, GenerateArgs> {
  return {
    command: 'generate',
    describe: 'Generate TypeScript from the locked specs, offline (no cluster needed)',
    builder: (yargs) =>
      yargs
        .options(generationFlags)
        .options({
          json: { type: 'boolean', default: false, describe: 'Print one JSON summary on stdout' },
        })
        .config(loadConfig(ctx.cwd))
        .config(
          'config',
          `Config file (default: ${CONFIG_NAME} found from the working directory up)`,
          (path) => loadConfig(ctx.cwd, path),
        )
        .example('$0 generate', 'Regenerate ./generated from ./k8s-codegen.lock.json and the cache')
        .example(
          '$0 generate --specs-dir specs --out src/k8s --no-docs',
          'In CI, from committed specs',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      try {
        reportGeneration(await runGeneration(args, ctx), args.json, ctx)
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
  docs: {
    type: 'boolean',
    default: true,
    describe: 'Descriptions become JSDoc (--no-docs omits them)',
  },
} as const satisfies Record<string, Options>

/** Parsed flags of `fetch`'s generation step. */
export interface GenerateStepArgs {
  generate: boolean
  docs: boolean
  out: string
  lockfile?: string | undefined
  'cache-dir'?: string | undefined
  'specs-dir'?: string | undefined
  include?: string[] | undefined
  exclude?: string[] | undefined
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
    if (args.json) reportGeneration(outcome, false, { ...ctx, stdout: (text) => ctx.stderr(text) })
    else reportGeneration(outcome, false, ctx)
  } catch (error) {
    reportFailure('fetch', error, false, ctx)
  }
}
