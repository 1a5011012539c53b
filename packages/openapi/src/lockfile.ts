import { readFile } from 'node:fs/promises'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { removeStaleTempFiles, writeFailed, writeFileAtomic } from './_atomic-write.js'
import { isJsonObject, prettyCanonicalJson } from './_canonical-json.js'
import { OpenApiError } from './errors.js'
import { parseGenerationOptions, type GenerationOptions } from './generation-options.js'
import { parseGroupVersionKey } from './group-version.js'
import { isSha512Hex, sha512Hex } from './hash.js'
import type { VersionInfo } from './types.js'

/** The lockfile's file name when no path is given. */
export const LOCKFILE_NAME = 'k8s-codegen.lock.json'

/**
 * Where the lockfile lives when no path is given: {@link LOCKFILE_NAME} in the project root (the
 * config file's directory, else the working directory). Never derived from the output
 * directory, so `npx k8s-codegen generate` run from the project root finds it.
 *
 * @example
 * defaultLockfilePath('/repo') // '/repo/k8s-codegen.lock.json'
 */
export function defaultLockfilePath(projectRoot: string): string {
  return join(projectRoot, LOCKFILE_NAME)
}

/**
 * A verified document of the lockfile: its hash (uppercase hex SHA-512) and size.
 *
 * @example
 * const ref: LockedBytes = { hash: 'CF83…', bytes: 1234 }
 */
export interface LockedBytes {
  hash: string
  bytes: number
}

/**
 * One group-version in the lockfile. `ok` entries name the document (and its discovery list when
 * the server served one); `unavailable` entries record the status the server answered.
 *
 * @example
 * const gv: LockedGroupVersion = { group: 'apps', version: 'v1', status: 'ok', hash: 'CF83…', bytes: 1234 }
 */
export type LockedGroupVersion =
  | {
      group: string
      version: string
      status: 'ok'
      hash: string
      bytes: number
      discovery?: LockedBytes
      /** CRD group-versions (`--crds`): deprecation warnings and printer columns of the CRDs. */
      crdFacts?: LockedBytes
    }
  | { group: string; version: string; status: 'unavailable'; httpStatus: number }

/**
 * The content of `k8s-codegen.lock.json`: which verified documents a generation uses.
 *
 * @example
 * const lock = await readLockfile('k8s-codegen.lock.json')
 * lock.groupVersions['apis/apps/v1']?.status // 'ok'
 */
export interface Lockfile {
  lockfileVersion: 1
  source: 'v3' | 'v2'
  serverVersion?: VersionInfo
  /** With source v2: the `/openapi/v2` document the group-versions were split from. */
  v2?: LockedBytes & { etag?: string }
  groupVersions: Record<string, LockedGroupVersion>
  /** How the output was generated from these documents (absent in lockfiles of older versions). */
  options?: GenerationOptions
}

/**
 * The exact bytes of a lockfile: keys sorted at every level, two-space indent, final newline,
 * so equal content always gives byte-identical files.
 *
 * @example
 * serializeLockfile({ lockfileVersion: 1, source: 'v3', groupVersions: {} })
 */
export function serializeLockfile(lockfile: Lockfile): string {
  return prettyCanonicalJson(lockfile)
}

/**
 * Uppercase hex SHA-512 of the serialized lockfile (stamped into generated files).
 *
 * @example
 * lockfileHash(lock).length // 128
 */
export function lockfileHash(lockfile: Lockfile): string {
  return sha512Hex(new TextEncoder().encode(serializeLockfile(lockfile)))
}

function invalid(path: string, rule: string): OpenApiError {
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID',
    `lockfile ${path}: ${rule}; re-create it with \`k8s-codegen fetch\``,
  )
}

function checkBytes(value: unknown, path: string, field: string): LockedBytes {
  if (!isJsonObject(value) || !isSha512Hex(value.hash) || !Number.isSafeInteger(value.bytes)) {
    throw invalid(path, `${field} must be { hash: <uppercase hex SHA-512>, bytes: <integer> }`)
  }
  return value as unknown as LockedBytes
}

/**
 * Validates parsed lockfile JSON; `path` only names the file in errors.
 *
 * @example
 * parseLockfile(JSON.parse(text), 'k8s-codegen.lock.json')
 */
export function parseLockfile(value: unknown, path: string): Lockfile {
  if (!isJsonObject(value)) throw invalid(path, 'the content must be a JSON object')
  if (value.lockfileVersion !== 1) throw invalid(path, 'lockfileVersion must be 1')
  if (value.source !== 'v3' && value.source !== 'v2')
    throw invalid(path, "source must be 'v3' or 'v2'")
  if (value.serverVersion !== undefined && !isJsonObject(value.serverVersion))
    throw invalid(path, 'serverVersion must be an object')
  if (value.v2 !== undefined) checkBytes(value.v2, path, 'v2')
  if (!isJsonObject(value.groupVersions)) throw invalid(path, 'groupVersions must be an object')
  if (value.options !== undefined) {
    const options = parseGenerationOptions(value.options)
    if (!options.ok) throw invalid(path, options.rule)
  }
  for (const [key, entry] of Object.entries(value.groupVersions)) {
    const ref = parseGroupVersionKey(key)
    if (!ref) throw invalid(path, `groupVersions key '${key}' is not a group-version key`)
    if (!isJsonObject(entry) || entry.group !== ref.group || entry.version !== ref.version) {
      throw invalid(
        path,
        `groupVersions['${key}'] must name group '${ref.group}' and version '${ref.version}'`,
      )
    }
    if (entry.status === 'ok') {
      checkBytes(entry, path, `groupVersions['${key}']`)
      if (entry.discovery !== undefined)
        checkBytes(entry.discovery, path, `groupVersions['${key}'].discovery`)
      if (entry.crdFacts !== undefined)
        checkBytes(entry.crdFacts, path, `groupVersions['${key}'].crdFacts`)
    } else if (entry.status === 'unavailable') {
      if (!Number.isSafeInteger(entry.httpStatus))
        throw invalid(path, `groupVersions['${key}'].httpStatus must be an integer`)
    } else {
      throw invalid(path, `groupVersions['${key}'].status must be 'ok' or 'unavailable'`)
    }
  }
  const lockfile = value as unknown as Lockfile
  if (value.options === undefined) return lockfile
  const options = parseGenerationOptions(value.options)
  return options.ok ? { ...lockfile, options: options.options } : lockfile
}

/**
 * Reads and validates a lockfile, or returns undefined when the file does not exist.
 *
 * @example
 * const previous = await getLockfile('k8s-codegen.lock.json') // undefined on the first run
 */
export async function getLockfile(path: string): Promise<Lockfile | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw invalid(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalid(path, 'the content is not JSON')
  }
  return parseLockfile(parsed, path)
}

/**
 * Reads and validates a lockfile; throws `K8S_CODEGEN_OPENAPI_LOCKFILE_MISSING` when absent.
 *
 * @example
 * const lock = await readLockfile('k8s-codegen.lock.json')
 */
export async function readLockfile(path: string): Promise<Lockfile> {
  const lockfile = await getLockfile(path)
  if (!lockfile) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_LOCKFILE_MISSING',
      `lockfile ${path} does not exist; run \`k8s-codegen fetch\` to create it`,
    )
  }
  return lockfile
}

/**
 * Writes the lockfile atomically unless the file already holds exactly these bytes.
 * Returns whether the file changed.
 *
 * @example
 * await writeLockfile('k8s-codegen.lock.json', lock) // false when unchanged
 */
export async function writeLockfile(path: string, lockfile: Lockfile): Promise<boolean> {
  const text = serializeLockfile(lockfile)
  const current = await readFile(path, 'utf8').catch(() => undefined)
  if (current === text) return false
  try {
    await mkdir(dirname(path), { recursive: true })
  } catch (error) {
    throw writeFailed(dirname(path), 'create the lockfile directory', error)
  }
  await removeStaleTempFiles(dirname(path))
  // 0644: the lockfile is meant to be committed and read by CI.
  await writeFileAtomic(path, text, 0o644)
  return true
}
