import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { removeStaleTempFiles, writeFailed, writeFileAtomicSync } from './_atomic-write.js'
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
 * The lockfile format this version writes. It reads every older one (version 1 had no `out` and
 * no `crds` sources: all its group-versions are the cluster's) and writes this one, as npm
 * upgrades `lockfileVersion` on its next write; a newer one is refused, naming both versions,
 * as cargo refuses a `Cargo.lock` version it does not know.
 *
 * @example
 * (await readLockfile('k8s-codegen.lock.json')).lockfileVersion === LOCKFILE_VERSION // true, also for a version-1 file
 */
export const LOCKFILE_VERSION = 2

/**
 * One `--crds` set, a source of the lockfile beside the cluster: the paths as given (relative to
 * the lockfile's directory, `/`-separated), the SHA-512 of every file they named, and the
 * group-versions its CRDs fill. Every CRD of a set is generated, whatever the cluster's filters.
 *
 * @example
 * const set: LockedCrdSource = { paths: ['crds'], files: { 'crds/widgets.yaml': 'CF83…' }, groupVersions: ['apis/example.dev/v1'] }
 */
export interface LockedCrdSource {
  paths: string[]
  files: Record<string, string>
  groupVersions: string[]
  /** `--crds-override`: a group-version the cluster also serves is taken from these CRDs. */
  override?: true
}

/**
 * The content of `k8s-codegen.lock.json`: which verified documents a generation uses, from which
 * sources, and how it is generated. The sources are the cluster (`fetch`, narrowed by
 * `options.include`/`options.exclude`: every group-version no `crds` set names) and each `crds`
 * set; a run replaces only the source it reads.
 *
 * @example
 * const lock = await readLockfile('k8s-codegen.lock.json')
 * lock.groupVersions['apis/apps/v1']?.status // 'ok'
 */
export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION
  source: 'v3' | 'v2'
  serverVersion?: VersionInfo
  /** With source v2: the `/openapi/v2` document the group-versions were split from. */
  v2?: LockedBytes & { etag?: string }
  groupVersions: Record<string, LockedGroupVersion>
  /**
   * How the output is generated from these documents; `include`/`exclude` are the cluster's
   * filters (absent in lockfiles of older versions).
   */
  options?: GenerationOptions
  /** `--out`, relative to the lockfile's directory, `/`-separated; absent: `generated`. */
  out?: string
  /** The `--crds` sets, in the order they were added. */
  crds?: LockedCrdSource[]
}

/**
 * The exact bytes of a lockfile: keys sorted at every level, two-space indent, final newline,
 * so equal content always gives byte-identical files.
 *
 * @example
 * serializeLockfile({ lockfileVersion: 2, source: 'v3', groupVersions: {} })
 */
export function serializeLockfile(lockfile: Lockfile): string {
  return prettyCanonicalJson(lockfile)
}

/**
 * Uppercase hex SHA-512 of the serialized lockfile without `out` and `crds` (stamped into
 * generated files).
 *
 * @example
 * lockfileHash(lock).length // 128
 */
export function lockfileHash(lockfile: Lockfile): string {
  // What the output is made from: the documents and options. Where it goes (`out`) and which
  // files a CRD set was read from (`crds`: its documents are in `groupVersions`) are not, so
  // moving `--out` or naming the same CRDs from another path changes no generated file.
  const made: Lockfile = { ...lockfile }
  delete made.out
  delete made.crds
  return sha512Hex(new TextEncoder().encode(serializeLockfile(made)))
}

// A k8s-codegen lockfile that does not validate: it is never replaced either (a run replaces only
// a lockfile that parses), so recovering is deleting it.
function invalid(path: string, rule: string): OpenApiError {
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID',
    `lockfile ${path}: ${rule}; nothing was written: delete it and run \`k8s-codegen fetch\` to re-create it`,
  )
}

// A file at the lockfile's path that is not a k8s-codegen lockfile at all (your package.json,
// README.md, npm's package-lock.json, a typo): the output writer's rule (the cli's
// K8S_CODEGEN_CLI_OUTPUT_CONFLICT), a file k8s-codegen did not write is never replaced.
function notALockfile(path: string, what: string): OpenApiError {
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT',
    `--lockfile ${path} is not a k8s-codegen lockfile (${what}); k8s-codegen replaces only a lockfile it wrote and nothing was written. ` +
      'Give --lockfile a path of its own (the default is k8s-codegen.lock.json in the project root), ' +
      'or, if it is a k8s-codegen lockfile damaged by hand (a merge conflict), delete it and run `k8s-codegen fetch` again.',
  )
}

function checkBytes(value: unknown, path: string, field: string): LockedBytes {
  if (!isJsonObject(value) || !isSha512Hex(value.hash) || !Number.isSafeInteger(value.bytes)) {
    throw invalid(path, `${field} must be { hash: <uppercase hex SHA-512>, bytes: <integer> }`)
  }
  return value as unknown as LockedBytes
}

function checkCrdSources(value: unknown, path: string): void {
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string')
  if (!Array.isArray(value)) throw invalid(path, 'crds must be an array')
  for (const [i, set] of value.entries()) {
    const where = `crds[${i}]`
    if (!isJsonObject(set) || !strings(set.paths) || !strings(set.groupVersions))
      throw invalid(path, `${where} must be { paths: string[], files, groupVersions: string[] }`)
    if (!isJsonObject(set.files) || !Object.values(set.files).every(isSha512Hex))
      throw invalid(path, `${where}.files must map each path to its uppercase hex SHA-512`)
    if (set.override !== undefined && set.override !== true)
      throw invalid(path, `${where}.override must be true or absent`)
  }
}

/**
 * Validates parsed lockfile JSON; `path` only names the file in errors.
 *
 * @example
 * parseLockfile(JSON.parse(text), 'k8s-codegen.lock.json')
 */
export function parseLockfile(value: unknown, path: string): Lockfile {
  // What every version of the format has: a file without it was never a k8s-codegen lockfile.
  if (!isJsonObject(value)) throw notALockfile(path, 'its content is not a JSON object')
  if (typeof value.lockfileVersion !== 'number' || !isJsonObject(value.groupVersions))
    throw notALockfile(path, 'it has no numeric lockfileVersion and groupVersions object')
  const version = value.lockfileVersion
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > LOCKFILE_VERSION)
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID',
      `lockfile ${path} has lockfileVersion ${version}, written by a newer k8s-codegen; this one reads versions 1 to ${LOCKFILE_VERSION}: upgrade k8s-codegen`,
    )
  if (version !== 1 && version !== LOCKFILE_VERSION)
    throw invalid(path, `lockfileVersion must be 1 or ${LOCKFILE_VERSION}`)
  if (value.out !== undefined && (typeof value.out !== 'string' || value.out === ''))
    throw invalid(path, 'out must be a non-empty path')
  if (value.crds !== undefined) checkCrdSources(value.crds, path)
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
  // Version 1 holds the same fields minus `out` and `crds`: read as is, written as this version.
  for (const [i, set] of ((value.crds ?? []) as LockedCrdSource[]).entries()) {
    const missing = set.groupVersions.find(
      (key) => !Object.hasOwn(value.groupVersions as object, key),
    )
    if (missing !== undefined)
      throw invalid(path, `crds[${i}] names group-version '${missing}', which groupVersions lacks`)
  }
  const lockfile: Lockfile = {
    ...(value as unknown as Lockfile),
    lockfileVersion: LOCKFILE_VERSION,
  }
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
  return (await readLockfileText(path))?.lockfile
}

/**
 * A lockfile as read: the parsed lockfile and the text it was parsed from.
 *
 * @example
 * const read: LockfileText | undefined = await readLockfileText('k8s-codegen.lock.json')
 */
export interface LockfileText {
  lockfile: Lockfile
  text: string
}

/**
 * {@link getLockfile} with the text it was parsed from, so a caller that would write the same
 * content compares bytes instead of serializing the file it read again.
 *
 * @example
 * const read = await readLockfileText('k8s-codegen.lock.json')
 * read?.lockfile.options // what the last fetch or generate recorded
 */
export async function readLockfileText(path: string): Promise<LockfileText | undefined> {
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
    throw notALockfile(path, 'its content is not JSON')
  }
  return { lockfile: parseLockfile(parsed, path), text }
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
  await removeStaleTempFiles(dirname(path))
  writeLockfileTextSync(path, text)
  return true
}

/**
 * Writes `text` (a serialized lockfile) to `path` atomically and synchronously, creating its
 * directory; returns the outermost directory it created, if any. For a step that must not yield
 * to the event loop (a signal handler then sees the lockfile either before or after).
 *
 * @example
 * writeLockfileTextSync('k8s-codegen.lock.json', serializeLockfile(lock))
 */
export function writeLockfileTextSync(path: string, text: string): string | undefined {
  let created: string | undefined
  try {
    created = mkdirSync(dirname(path), { recursive: true })
  } catch (error) {
    throw writeFailed(dirname(path), 'create the lockfile directory', error)
  }
  // 0644: the lockfile is meant to be committed and read by CI.
  writeFileAtomicSync(path, text, 0o644)
  return created
}
