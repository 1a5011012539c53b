// Finds and loads the config file of `fetch`/`generate`/`check` (searched from the working
// directory up to the project root; jiti for TypeScript configs, import() for JavaScript), then
// validates it: unknown keys and wrong types are errors naming the file and the key.
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

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
  maxCrdFileBytes: 'positive integer',
  maxCrdTotalBytes: 'positive integer',
  maxCrdDocuments: 'positive integer',
  maxCrdExpandedBytes: 'positive integer',
  crds: 'string[]',
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
    // Paths are relative to the config file; so are the CRD paths and globs.
    config[key] =
      kind === 'string'
        ? resolve(base, item as string)
        : key === 'crds'
          ? (item as string[]).map((p) => resolve(base, p))
          : item
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

// Each load is a new module instance (the query), so an edited file is read again.
let loads = 0

async function loadModule(file: string): Promise<unknown> {
  try {
    const module = (await import(`${pathToFileURL(file).href}?load=${++loads}`)) as {
      default?: unknown
    }
    return module.default
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    // Node's import() reports a syntax error without its place; `node --check` prints it
    // (`[stdin]:<line>`, the source line, a caret line under the column). Only on this path.
    const { spawnSync } = await import('node:child_process')
    // The source goes in on stdin as a module (`--check <file>` guesses the module kind from the
    // file name and nearest package.json, and for some files reports nothing).
    const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
      input: await readFile(file, 'utf8'),
      encoding: 'utf8',
    })
    const lines = check.stderr.split('\n')
    const line = /:(\d+)$/.exec(lines[0] ?? '')?.[1]
    const caret = (lines[2] ?? '').indexOf('^')
    const where = line === undefined ? '' : `:${line}${caret >= 0 ? `:${caret + 1}` : ''}`
    throw configError(file, `has a syntax error at ${file}${where}: ${error.message}`, error)
  }
}

function loadJson(file: string, content: string): unknown {
  try {
    return JSON.parse(content)
  } catch (error) {
    // V8 names the offset (`… at position 15`); a person needs line and column.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1]
    if (position === undefined) throw error
    const before = content.slice(0, Number(position)).split('\n')
    const where = `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`
    throw configError(
      file,
      `has a syntax error at ${file}:${where}: ${(error as Error).message.replace(/ at position \d+.*$/, '')}`,
      error,
    )
  }
}

/**
 * The project root: the nearest directory from `cwd` upwards holding `package.json` or `.git`,
 * or undefined outside any project.
 *
 * @example
 * findProjectRoot('/repo/packages/app/src') // '/repo/packages/app'
 */
export function findProjectRoot(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

function findConfigFile(cwd: string): string | undefined {
  // The search never leaves the project: a config file is code, and one in a parent directory
  // such as /tmp must not run for every project below it. Outside a project, only `cwd` counts.
  const stop = findProjectRoot(cwd) ?? resolve(cwd)
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const file = join(dir, name)
      if (existsSync(file)) return file
    }
    if (dir === stop || dirname(dir) === dir) return undefined
  }
}

// A config file is code the CLI runs, so, like ssh with its config (StrictModes), it is loaded
// only when the user running the CLI owns it and no other user can write it.
async function checkOwnership(file: string): Promise<void> {
  const info = await stat(file)
  const uid = process.getuid?.()
  if (uid !== undefined && info.uid !== uid) {
    throw configError(
      file,
      `is owned by user ${info.uid}, not by you (user ${uid}); a config file runs as code, so only your own is loaded`,
    )
  }
  if ((info.mode & 0o002) !== 0) {
    throw configError(
      file,
      `is writable by every user (mode ${(info.mode & 0o777).toString(8)}); a config file runs as code, so remove that permission (chmod o-w)`,
    )
  }
}

async function load(file: string): Promise<unknown> {
  const content = await readFile(file, 'utf8')
  if (file.endsWith('.json')) {
    if (content.trim() === '') throw configError(file, 'is empty')
    return loadJson(file, content)
  }
  return file.endsWith('.ts') ? loadTypeScript(file) : loadModule(file)
}

/**
 * Loads the config file: `explicit` (relative to `cwd`) when given, else the first of
 * {@link CONFIG_NAMES} found from `cwd` upwards, up to the project root ({@link findProjectRoot}).
 * Undefined when none is found. A file owned by another user or writable by every user is
 * refused; a syntax error names the file, line and column.
 *
 * @example
 * const found = await loadConfigFile(process.cwd())
 * found?.config.out // '/repo/src/k8s'
 */
export async function loadConfigFile(
  cwd: string,
  explicit?: string,
): Promise<LoadedConfig | undefined> {
  const file = explicit === undefined ? findConfigFile(cwd) : resolve(cwd, explicit)
  if (file === undefined) return undefined
  let value: unknown
  try {
    await checkOwnership(file)
    value = await load(file)
  } catch (error) {
    if (isK8sCodegenError(error)) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw configError(file, 'does not exist', error)
    throw configError(file, `cannot be loaded: ${(error as Error).message}`, error)
  }
  return { file, config: validateConfig(file, value) }
}
