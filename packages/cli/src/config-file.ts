// Finds and loads the config file of `generate`/`check` with lilconfig (search from the working
// directory upwards, stopping at the home directory like lilconfig does) and jiti for TypeScript
// configs, then validates it: unknown keys and wrong types are errors naming the file and the key.
import { dirname, resolve } from 'node:path'

import { K8sCodegenError, isK8sCodegenError } from '@k8s-codegen/proxy-url'

import type { K8sCodegenConfig } from './config.js'

/**
 * The config file names searched in each directory from the working directory up, first match wins.
 *
 * @example
 * CONFIG_NAMES[0] // 'k8s-codegen.config.json'
 */
export const CONFIG_NAMES = [
  'k8s-codegen.config.json',
  'k8s-codegen.config.ts',
  'k8s-codegen.config.mjs',
  'k8s-codegen.config.js',
] as const

/** A loaded config file: its absolute path and its validated options (paths made absolute). */
export interface LoadedConfig {
  file: string
  config: K8sCodegenConfig
}

type KeyKind = 'string' | 'string[]' | 'boolean' | 'positive integer' | "'ts' or 'js'"

const KEYS: Readonly<Record<keyof K8sCodegenConfig, KeyKind>> = {
  out: 'string',
  lockfile: 'string',
  cacheDir: 'string',
  specsDir: 'string',
  include: 'string[]',
  exclude: 'string[]',
  docs: 'boolean',
  nocheck: 'boolean',
  emit: "'ts' or 'js'",
  maxDocumentBytes: 'positive integer',
  maxDepth: 'positive integer',
}

function configError(file: string, rule: string, cause?: unknown): K8sCodegenError {
  return new K8sCodegenError(
    'K8S_CODEGEN_CLI_CONFIG_INVALID',
    `config file ${file}: ${rule}`,
    cause === undefined ? undefined : { cause },
  )
}

function hasKind(value: unknown, kind: KeyKind): boolean {
  if (kind === 'string') return typeof value === 'string'
  if (kind === 'boolean') return typeof value === 'boolean'
  if (kind === 'positive integer') return Number.isSafeInteger(value) && (value as number) > 0
  if (kind === "'ts' or 'js'") return value === 'ts' || value === 'js'
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

/**
 * Checks a loaded config value: an object whose keys are {@link K8sCodegenConfig}'s, each of its
 * type. String options are paths, made absolute against the config file's directory.
 *
 * @example
 * validateConfig('/repo/k8s-codegen.config.json', { out: 'src/k8s' }) // { out: '/repo/src/k8s' }
 */
export function validateConfig(file: string, value: unknown): K8sCodegenConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(
      file,
      file.endsWith('.json')
        ? 'must hold a JSON object'
        : 'must export an object as default (export default defineConfig({ … }))',
    )
  }
  const base = dirname(file)
  const config: K8sCodegenConfig & Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const kind = (KEYS as Readonly<Record<string, KeyKind>>)[key]
    if (kind === undefined)
      throw configError(file, `key '${key}' is unknown (allowed: ${Object.keys(KEYS).join(', ')})`)
    if (item === undefined) continue
    if (!hasKind(item, kind)) throw configError(file, `key '${key}' must be a ${kind}`)
    config[key] = kind === 'string' ? resolve(base, item as string) : item
  }
  return config
}

// jiti compiles a TypeScript config in memory; loaded only when one is found.
async function loadTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti')
  const module = await createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: false,
    interopDefault: false,
  }).import<Record<string, unknown>>(file)
  return module.default
}

type Loader = (file: string, content: string) => unknown

// A loader's own errors (a JSON syntax error, a throwing module) do not say which file failed.
function naming(loader: Loader): Loader {
  return async (file, content) => {
    try {
      return await loader(file, content)
    } catch (error) {
      throw configError(file, `cannot be loaded: ${(error as Error).message}`, error)
    }
  }
}

/**
 * Loads the config file: `explicit` (relative to `cwd`) when given, else the first of
 * {@link CONFIG_NAMES} found from `cwd` upwards (up to the home directory). Undefined when none
 * is found.
 *
 * @example
 * const found = await loadConfigFile(process.cwd())
 * found?.config.out // '/repo/src/k8s'
 */
export async function loadConfigFile(
  cwd: string,
  explicit?: string,
): Promise<LoadedConfig | undefined> {
  const { lilconfig, defaultLoaders } = await import('lilconfig')
  const explorer = lilconfig('k8s-codegen', {
    searchPlaces: [...CONFIG_NAMES],
    loaders: {
      '.json': naming(defaultLoaders['.json'] as Loader),
      '.js': naming(defaultLoaders['.js'] as Loader),
      '.mjs': naming(defaultLoaders['.mjs'] as Loader),
      '.ts': naming(loadTypeScript),
    },
    cache: false,
    // An empty config file is a mistake to report, not a reason to search further up.
    ignoreEmptySearchPlaces: false,
  })
  const file = explicit === undefined ? undefined : resolve(cwd, explicit)
  let result: Awaited<ReturnType<typeof explorer.search>>
  try {
    result = file === undefined ? await explorer.search(cwd) : await explorer.load(file)
  } catch (error) {
    if (isK8sCodegenError(error)) throw error
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw configError(
      file ?? cwd,
      missing ? 'does not exist' : `cannot be loaded: ${(error as Error).message}`,
      error,
    )
  }
  if (result === null) return undefined
  if (result.isEmpty === true) throw configError(result.filepath, 'is empty')
  return { file: result.filepath, config: validateConfig(result.filepath, result.config) }
}
