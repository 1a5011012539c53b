import { createHash } from 'node:crypto'

import { groupVersionFilter } from '@k8s-codegen/openapi/group-version'

import type { DocumentPlans } from './document-plans.js'
import { generatorId } from './generator-id.js'
import type { GenerateLimits, SkippedGroupVersion } from './limits.js'
import { RUNTIME_PACKAGE } from './runtime-package.js'
import type { GroupVersionInput } from './types.js'

/**
 * Version of the generator. The incremental-regeneration key holds {@link generatorId} (a hash of
 * the generator's code and engines), so output from changed generator code is regenerated even
 * without a version bump.
 *
 * @example
 * console.log(`k8s-codegen generator ${GENERATOR_VERSION}`)
 */
export const GENERATOR_VERSION = '0.1.0'

/**
 * Options of {@link generate}; the CLI flags `--no-docs`, `--include`, `--exclude`.
 *
 * @example
 * const options: GenerateOptions = { docs: false, include: ['core/v1', 'apps/*'], exclude: ['*alpha*'] }
 */
export interface GenerateOptions {
  /** Descriptions and validation rules become JSDoc (default true). */
  docs?: boolean
  /** Group-version patterns to keep (`apps/v1`, `core/v1`, `*.k8s.io/*`); default all. */
  include?: string[]
  /** Group-version patterns to drop, applied after `include`. */
  exclude?: string[]
  /**
   * Mark every TypeScript file (`.ts`, and the `.d.ts` of `emit: 'js'`) `// @ts-nocheck`
   * (default true): a consumer's compiler still uses every type but does not re-check the
   * generated code itself, as `skipLibCheck` spares `.d.ts` packages such as kubernetes-types,
   * whether or not the consumer sets `skipLibCheck`. The generator's own tests type-check the
   * output with `false`.
   */
  nocheck?: boolean
  /**
   * `ts` (default): TypeScript sources. `js`: JavaScript plus `.d.ts` declarations, for a
   * publishable bindings package.
   */
  emit?: 'ts' | 'js'
  /** Per-document limits; a group-version over one is skipped with a warning. */
  limits?: GenerateLimits
}

/**
 * Input of {@link generate}.
 *
 * @example
 * const input: GenerateInput = { groupVersions: specSet.groupVersions, lockfileHash: specSet.lockfileHash }
 */
export interface GenerateInput {
  groupVersions: GroupVersionInput[]
  lockfileHash: string
  options?: GenerateOptions
  /** Documents already planned while the caller held them: read only to print them. */
  plans?: DocumentPlans | undefined
}

/**
 * Output of {@link generate}: file contents keyed by '/'-separated path relative to `--out`.
 *
 * @example
 * const { files, warnings, stats } = await generate(input)
 * console.log(`${stats.files} files`, files.get('index.ts')?.length, warnings)
 */
export interface GenerateResult {
  files: Map<string, string>
  warnings: string[]
  /** Group-versions that could not be generated, each with the rule it broke; the rest were. */
  skipped: SkippedGroupVersion[]
  stats: { groupVersions: number; resources: number; files: number }
  /** Each module's key and files ({@link GeneratedModule}), `index.ts` aside. */
  modules: GeneratedModule[]
}

/**
 * What {@link generateInto} hands each file to, one at a time, as soon as it is printed: the
 * caller writes (or stages) it and lets it go, so the whole output never sits in memory.
 * `discard()` means that everything handed over so far is void: a document turned out not to
 * be generable, it is skipped and the output is produced again from the start.
 *
 * `reuse(key, files)`, when given, is asked before each module is printed: true means the sink
 * still holds `files` exactly as an earlier generation printed them from the inputs `key` names
 * ({@link GeneratedModule}) and takes them as produced, so the module is not printed again.
 *
 * @example
 * const files = new Map<string, string>()
 * const sink: FileSink = { file: (path, content) => void files.set(path, content), discard: () => files.clear() }
 */
export interface FileSink {
  file(path: string, content: string): Promise<void> | void
  discard(): Promise<void> | void
  reuse?(key: string, files: readonly string[]): Promise<boolean> | boolean
}

/**
 * One module of a generation (every file but `index.ts`, which lists them all): the key of what
 * it was printed from (the whole placement's digest without the documents' contents, the
 * documents it is printed from, the generator and the options that shape output) and the files
 * it made. The same key always gives the same files, byte for byte: a caller that kept what a
 * key's files held can offer them to the next generation (`FileSink.reuse`).
 *
 * @example
 * const { modules } = await generateInto(input, sink)
 * modules[0] // { key: 'sha256:…', files: ['apps/v1.ts'] }
 */
export interface GeneratedModule {
  key: string
  files: string[]
}

/**
 * What {@link generateInto} returns once every file went to the sink: {@link GenerateResult}
 * without the files.
 *
 * @example
 * const { warnings, skipped, stats, modules } = await generateInto(input, sink)
 */
export type GenerateSummary = Omit<GenerateResult, 'files'>

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The first line of every file k8s-codegen generates (Go's `^// Code generated .* DO NOT EDIT\.$`
 * convention): how the CLI tells its own files in `--out` from yours when its manifest is gone.
 *
 * @example
 * content.startsWith(`${GENERATED_LINE}\n`) // true for a generated file
 */
export const GENERATED_LINE = '// Code generated by k8s-codegen. DO NOT EDIT.'

/**
 * The line `nocheck` adds to every file's header.
 *
 * @example
 * content.split('\n').includes(NOCHECK_LINE) // true unless generated with nocheck: false
 */
export const NOCHECK_LINE =
  '// @ts-nocheck: generated and type-checked by k8s-codegen; consumers use the types without re-checking this file'

/**
 * What one generated file was generated from: the group-versions whose schemas or resources it
 * holds (key and document hash), none for `index.ts`, which only lists the modules beside it.
 *
 * @example
 * const sources: FileSources = [{ key: 'apis/apps/v1', hash: 'CF83E135…' }]
 */
export type FileSources = readonly { key: string; hash: string }[]

/**
 * The header every generated file starts with. It names only what the file was generated from
 * (its group-versions' document hashes, the generator and the options that shape it), never a
 * hash of the whole lockfile, so a change to one group-version rewrites only the files it changes.
 *
 * @example
 * fileHeader([{ key: 'apis/apps/v1', hash: 'CF83E135' }]).split('\n')[2] // '// Generated from apis/apps/v1 (CF83E135) by k8s-codegen 0.1.0 (docs, emit ts).'
 */
export function fileHeader(
  sources: FileSources,
  options: { nocheck?: boolean; docs?: boolean; emit?: 'ts' | 'js' } = {},
): string {
  // Keys and hashes come from our own lockfile code; anything else is left out rather than printed.
  const safe = (text: string, pattern: RegExp): string => (pattern.test(text) ? text : 'unknown')
  const from =
    sources.length === 0
      ? 'the modules beside it'
      : [...sources]
          .sort((a, b) => compare(a.key, b.key))
          .map(
            ({ key, hash }) =>
              `${safe(key, /^[a-z0-9./-]{1,300}$/i)} (${safe(hash, /^[A-Za-z0-9.:+/=_-]{1,200}$/).slice(0, 16)})`,
          )
          .join(', ')
  const shaping = `${options.docs === false ? 'no docs' : 'docs'}, emit ${options.emit ?? 'ts'}`
  return [
    GENERATED_LINE,
    '// Regenerate with `npx k8s-codegen generate` (or `npx k8s-codegen fetch` to refresh the specs).',
    `// Generated from ${from} by k8s-codegen ${GENERATOR_VERSION} (${shaping}).`,
    `// Descriptors run on ${RUNTIME_PACKAGE}@^${GENERATOR_VERSION} (add it to your dependencies).`,
    // A pragma in the leading comments: the consumer's checker skips this file's own diagnostics.
    ...(options.nocheck === false ? [] : [NOCHECK_LINE]),
    '',
  ].join('\n')
}

/**
 * True when the group-version passes the include/exclude patterns: `@k8s-codegen/openapi`'s
 * `groupVersionFilter`, the one dialect `fetch` uses too.
 *
 * @example
 * selectGroupVersion({ group: 'apps', version: 'v1' }, { include: ['apps'] }) // true
 * selectGroupVersion({ group: '', version: 'v1' }, { exclude: ['core/*'] }) // false
 */
export function selectGroupVersion(
  gv: { group: string; version: string },
  options: GenerateOptions,
): boolean {
  return groupVersionFilter(options)(gv)
}

/**
 * Turns verified per-group-version OpenAPI documents into the files of the output directory.
 * Pure: no file system, no network; identical input gives byte-identical output. A group-version
 * that cannot be generated (a name the apiserver would not serve, a dangling `$ref`, a document
 * over the limits) is skipped and listed in `skipped` with its rule; every other one is generated.
 *
 * @example
 * const { files, warnings, skipped } = await generate({ groupVersions: specSet.groupVersions, lockfileHash: specSet.lockfileHash })
 * files.get('apps/v1.ts') // 'export interface Deployment { … }\nexport const Deployment: … = $rt.defineResource<…>()({ … })'
 */
export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const files = new Map<string, string>()
  const summary = await generateInto(input, {
    file: (path, content) => void files.set(path, content),
    discard: () => files.clear(),
  })
  const sorted = new Map([...files.entries()].sort(([a], [b]) => compare(a, b)))
  return { files: sorted, ...summary }
}

/**
 * {@link generate}, handing each file to `sink` as soon as it is printed (module by module, in
 * path order, `index.ts` last) instead of returning them all: what the CLI writes from, so the
 * output is never held whole. The same files, byte for byte, as {@link generate}.
 *
 * @example
 * const { stats } = await generateInto(input, { file: (path, content) => stage(path, content), discard: () => unstageAll() })
 */
export async function generateInto(input: GenerateInput, sink: FileSink): Promise<GenerateSummary> {
  // The compiler loads only when something is generated, so a no-op run that only compares
  // generationKey() stays fast.
  const { emitOutput } = await import('./emit-output.js')
  return emitOutput(input, sink)
}

/**
 * The key of one generation: generator id (its code and engines), options, lockfile hash and every selected
 * group-version's document hash. Output written under the same key is up to date, so the CLI can
 * skip generating (and writing) altogether.
 *
 * @example
 * generationKey({ groupVersions: specSet.groupVersions, lockfileHash: specSet.lockfileHash }) // 'sha256:…'
 */
export function generationKey(input: GenerateInput): string {
  const options = input.options ?? {}
  const selected = input.groupVersions
    .filter((gv) => selectGroupVersion(gv, options))
    .map((gv) => [gv.key, gv.hash])
    .sort(([a = ''], [b = '']) => compare(a, b))
  const material = JSON.stringify({
    generator: generatorId(),
    lockfileHash: input.lockfileHash,
    docs: options.docs !== false,
    nocheck: options.nocheck !== false,
    emit: options.emit ?? 'ts',
    limits: options.limits ?? {},
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    groupVersions: selected,
  })
  return `sha256:${createHash('sha256').update(material).digest('hex')}`
}
