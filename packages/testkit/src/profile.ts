import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { isJsonObject } from './_json.js'
import { TestkitError } from './errors.js'
import { requireRecordedProfile } from './profile-dir.js'

/**
 * `/version`: apimachinery `pkg/version/types.go` Info.
 *
 * @example
 * const version = JSON.parse(body) as VersionInfo // body of GET /version; version.minor === '36'
 */
export interface VersionInfo {
  major: string
  minor: string
  gitVersion: string
  gitCommit: string
  gitTreeState: string
  buildDate: string
  goVersion: string
  compiler: string
  platform: string
}

/** A cluster's documents: v3 per key (undefined for a pre-1.24, v2-only server) and v2. */
export interface Profile {
  name: string
  v3: Map<string, unknown> | undefined
  /** Loads (once) the v2 document, or undefined when the profile has none. */
  v2: (() => unknown) | undefined
  version: VersionInfo
}

/**
 * What the emulated server does by its Kubernetes minor version, where older servers did not.
 * Kubernetes 1.13 (k8s.io/apiserver `pkg/endpoints/installer.go`: PATCH takes json-patch,
 * merge-patch and strategic-merge-patch only; ObjectMeta has no managedFields) has no
 * server-side apply: it and managedFields came with the ServerSideApply gate, on by default
 * from 1.16.
 *
 * @example
 * serverFeatures({ minor: '13' }) // { serverSideApply: false }
 */
export function serverFeatures(version: { minor: string }): { serverSideApply: boolean } {
  return { serverSideApply: Number.parseInt(version.minor, 10) >= 16 }
}

/** Reads a JSON document (`.json`, or gzipped `.json.gz`) and checks it is an object. */
export function readJsonDocument(path: string, what: string): unknown {
  let text: string
  try {
    const raw = readFileSync(path)
    text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')
  } catch (error) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
      `${what} ${path} cannot be read: ${(error as Error).message}`,
      { cause: error },
    )
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
      `${what} ${path} is not valid JSON: ${(error as Error).message}`,
      { cause: error },
    )
  }
  if (!isJsonObject(document)) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
      `${what} ${path} must be a JSON object`,
    )
  }
  return document
}

function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined
  return () => {
    loaded ??= { value: load() }
    return loaded.value
  }
}

/**
 * A realistic `/version` body for a Kubernetes minor version. The commit is derived from the
 * version so it is stable across runs; the emulator has no real build to report.
 */
export function versionInfo(gitVersion: string): VersionInfo {
  const match = /^v(\d+)\.(\d+)/.exec(gitVersion)
  return {
    major: match?.[1] ?? '1',
    minor: match?.[2] ?? '0',
    gitVersion,
    gitCommit: createHash('sha1').update(gitVersion).digest('hex'),
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  }
}

function listJsonFiles(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listJsonFiles(path))
    else if (entry.isFile() && entry.name.endsWith('.json')) files.push(path)
  }
  return files.sort()
}

/**
 * The v2 document of a profile directory: `v2.json`, else the newest `v2/kubernetes-<x.y>.json`
 * (the recorded profile's layout, whose newest is 1.36).
 */
function defaultV2Path(dir: string): string | undefined {
  const single = join(dir, 'v2.json')
  if (existsSync(single)) return single
  const versioned = join(dir, 'v2')
  if (!existsSync(versioned)) return undefined
  const candidates = readdirSync(versioned)
    .map((name) => ({ name, match: /^kubernetes-(\d+)\.(\d+)\.json$/.exec(name) }))
    .filter((c) => c.match !== null)
    .sort((a, b) => {
      const [, amaj = '0', amin = '0'] = a.match ?? []
      const [, bmaj = '0', bmin = '0'] = b.match ?? []
      return Number(bmaj) - Number(amaj) || Number(bmin) - Number(amin)
    })
  const newest = candidates[0]
  return newest === undefined ? undefined : join(versioned, newest.name)
}

function gitVersionOf(v2Path: string | undefined, v2Info: unknown): string | undefined {
  if (v2Path !== undefined) {
    const match = /kubernetes-(\d+)\.(\d+)\.json(?:\.gz)?$/.exec(basename(v2Path))
    if (match !== null) return `v${match[1]}.${match[2]}.0`
  }
  if (isJsonObject(v2Info) && typeof v2Info['version'] === 'string') {
    if (/^v\d+\.\d+\.\d+/.test(v2Info['version'])) return v2Info['version']
  }
  return undefined
}

/**
 * Loads a profile directory: `v3/<key>.json` for every key (`v3/api/v1.json` →
 * `api/v1`), the v2 document from `v2Path`, `v2.json` or `v2/kubernetes-<x.y>.json`, and an
 * optional `version.json` (a `/version` body).
 */
export function loadProfileDir(dir: string, v2Path?: string): Profile {
  const root = resolve(dir)
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
      `profile directory ${root} does not exist (expected v3/api/v1.json, v3/apis/<group>/<version>.json, optional v2.json)`,
    )
  }
  const v3Dir = join(root, 'v3')
  const v3 = new Map<string, unknown>()
  if (existsSync(v3Dir)) {
    for (const file of listJsonFiles(v3Dir)) {
      const key = relative(v3Dir, file)
        .split(sep)
        .join('/')
        .replace(/\.json$/, '')
      v3.set(key, readJsonDocument(file, 'OpenAPI v3 document'))
    }
  }
  const v2File = v2Path === undefined ? defaultV2Path(root) : resolve(v2Path)
  if (v3.size === 0 && v2File === undefined) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
      `profile directory ${root} has neither v3/<key>.json documents nor a v2 document`,
    )
  }
  const v2 =
    v2File === undefined ? undefined : once(() => readJsonDocument(v2File, 'OpenAPI v2 document'))
  if (v2File !== undefined && !existsSync(v2File)) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
      `OpenAPI v2 document ${v2File} does not exist`,
    )
  }
  const versionFile = join(root, 'version.json')
  let version: VersionInfo
  if (existsSync(versionFile)) {
    version = readJsonDocument(versionFile, '/version document') as VersionInfo
  } else {
    // Only a filename tells the recorded profile's version (its v2 info says "unversioned").
    // A v3-only profile without version.json reports 1.27, where OpenAPI v3 went GA (KEP-2896).
    const fromName = gitVersionOf(v2File, undefined)
    const gitVersion =
      fromName ??
      (v2 !== undefined
        ? gitVersionOf(undefined, (v2() as Record<string, unknown>)['info'])
        : undefined) ??
      'v1.27.0'
    version = versionInfo(gitVersion)
  }
  return { name: root, v3: v3.size === 0 ? undefined : v3, v2, version }
}

/** The built-in v2-only 1.13 profile from `kubernetes-client@9`'s `lib/specs/swagger-1.13.json.gz`. */
export function kubernetes113Profile(v2Path?: string): Profile {
  const require = createRequire(import.meta.url)
  const specs = join(dirname(require.resolve('kubernetes-client/package.json')), 'lib', 'specs')
  const file = v2Path === undefined ? join(specs, 'swagger-1.13.json.gz') : resolve(v2Path)
  const document = readJsonDocument(file, 'OpenAPI v2 document')
  const info = (document as Record<string, unknown>)['info']
  return {
    name: 'kubernetes-1.13',
    v3: undefined,
    v2: () => document,
    version: versionInfo(gitVersionOf(undefined, info) ?? 'v1.13.0'),
  }
}

/** Resolves a profile option: a built-in name or a directory. */
export function loadProfile(profile: string, v2Path?: string): Profile {
  if (profile === 'kubernetes-1.13') return kubernetes113Profile(v2Path)
  if (profile === 'recorded') return loadProfileDir(requireRecordedProfile(), v2Path)
  return loadProfileDir(profile, v2Path)
}
