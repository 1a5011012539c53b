// The options a generation was made with. `fetch` records them in the lockfile, so an offline
// `generate` or `check` reproduces exactly what `fetch` produced, and `check` can tell output
// made with other options from hand-edited output. Every function here works key by key over
// DEFAULT_GENERATION_OPTIONS, so a new option needs only its default and its type here.
import { isJsonObject } from './_canonical-json.js'

/**
 * How one generation was made: what `fetch`, `generate` and `check` agree on through the lockfile.
 *
 * @example
 * const options: GenerationOptions = { docs: false, nocheck: true, emit: 'ts', include: ['apps'], exclude: [] }
 */
export interface GenerationOptions {
  /** Descriptions and validation rules become JSDoc (`--no-docs` omits them). */
  docs: boolean
  /** Mark every file `// @ts-nocheck`. */
  nocheck: boolean
  /** `ts`: TypeScript sources; `js`: JavaScript plus declaration files. */
  emit: 'ts' | 'js'
  /** `--include` patterns ({@link GroupVersionFilters}); empty keeps every group-version. */
  include: string[]
  /** `--exclude` patterns. */
  exclude: string[]
  /** A group-version whose document is larger (bytes as served) is skipped with a warning. */
  maxDocumentBytes: number
  /** A group-version whose schemas nest deeper is skipped with a warning. */
  maxDepth: number
}

/**
 * The options of a generation nobody configured.
 *
 * @example
 * DEFAULT_GENERATION_OPTIONS.docs // true
 */
export const DEFAULT_GENERATION_OPTIONS: Readonly<GenerationOptions> = Object.freeze({
  docs: true,
  nocheck: true,
  emit: 'ts',
  include: [],
  exclude: [],
  maxDocumentBytes: 64 * 1024 * 1024,
  maxDepth: 64,
})

type OptionKey = keyof GenerationOptions
const KEYS = Object.keys(DEFAULT_GENERATION_OPTIONS) as OptionKey[]

// Allowed values of the options that are not free-form.
const CHOICES: Partial<Record<OptionKey, readonly unknown[]>> = { emit: ['ts', 'js'] }

function validValue(key: OptionKey, value: unknown): boolean {
  const choices = CHOICES[key]
  if (choices) return choices.includes(value)
  const model = DEFAULT_GENERATION_OPTIONS[key]
  if (Array.isArray(model)) return Array.isArray(value) && value.every((v) => typeof v === 'string')
  if (typeof model === 'number') return Number.isSafeInteger(value) && (value as number) > 0
  return typeof value === typeof model
}

/**
 * Merges option layers, first defined value winning (flags, then the config file, then the
 * lockfile), over {@link DEFAULT_GENERATION_OPTIONS}.
 *
 * @example
 * mergeGenerationOptions({ docs: false }, lockfile.options).docs // false
 */
export function mergeGenerationOptions(
  ...layers: readonly (Partial<Record<OptionKey, unknown>> | undefined)[]
): GenerationOptions {
  const merged: Record<string, unknown> = {}
  for (const key of KEYS) {
    const layer = layers.find((l) => l?.[key] !== undefined)
    const value = layer?.[key] ?? DEFAULT_GENERATION_OPTIONS[key]
    merged[key] = Array.isArray(value) ? [...(value as string[])] : value
  }
  return merged as unknown as GenerationOptions
}

/**
 * Every option whose value differs, as `name: recorded → given` text for messages; empty when
 * the two are the same generation.
 *
 * @example
 * diffGenerationOptions({ ...DEFAULT_GENERATION_OPTIONS, docs: true }, { ...DEFAULT_GENERATION_OPTIONS, docs: false })
 * // ['docs: true → false']
 */
export function diffGenerationOptions(
  recorded: GenerationOptions,
  given: GenerationOptions,
): string[] {
  return KEYS.flatMap((key) => {
    const a = JSON.stringify(recorded[key])
    const b = JSON.stringify(given[key])
    return a === b ? [] : [`${key}: ${a} → ${b}`]
  })
}

/**
 * Checks recorded options (from a lockfile or an output manifest): an object with only known
 * keys, each of its type. Missing keys (written before the option existed) take their default.
 * Returns the rule that failed, or the options.
 *
 * @example
 * parseGenerationOptions({ docs: false }) // { ok: true, options: { docs: false, nocheck: true, emit: 'ts', include: [], exclude: [], maxDocumentBytes: 67108864, maxDepth: 64 } }
 */
export function parseGenerationOptions(
  value: unknown,
): { ok: true; options: GenerationOptions } | { ok: false; rule: string } {
  if (!isJsonObject(value)) return { ok: false, rule: 'options must be an object' }
  for (const [key, item] of Object.entries(value)) {
    if (!(KEYS as string[]).includes(key))
      return { ok: false, rule: `options.${key} is not an option this version knows` }
    if (!validValue(key as OptionKey, item))
      return { ok: false, rule: `options.${key} has the wrong type or value` }
  }
  return { ok: true, options: mergeGenerationOptions(value) }
}
