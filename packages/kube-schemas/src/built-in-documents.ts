// Reads the documents `scripts/generate-kube-schemas.mjs` wrote into ../generated: index.json
// maps each shipped minor to its release and its group-versions' gzipped documents.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { KubeSchemasError } from './errors.js'

/**
 * A group-version's OpenAPI v3 document as shipped: `components.schemas` reduced to what
 * validation reads, each kind's schema carrying `x-kubernetes-group-version-kind` and, when the
 * release served it, `x-kubectl-validate-scope` (`Namespaced` or `Cluster`). Assignable to
 * `OpenApiDocument` of `@k8s-codegen/validation`.
 *
 * @example
 * const doc: BuiltInDocument | undefined = loadBuiltInDocument('1.37', 'apps/v1')
 * Object.keys(doc?.components.schemas ?? {}).includes('io.k8s.api.apps.v1.Deployment') // true
 */
export interface BuiltInDocument {
  readonly openapi: string
  readonly components: { readonly schemas: Readonly<Record<string, unknown>> }
}

/**
 * Where a shipped minor's documents come from.
 *
 * @example
 * const r: KubeRelease = describeKubeVersion('1.37')
 * r.release // '1.37.2'
 */
export interface KubeRelease {
  /** The minor, as `--kube-version` takes it: `1.37`. */
  readonly kubeVersion: string
  /** The patch release the documents were taken from: `1.37.2`. */
  readonly release: string
  /** The module, path and checksum they were read from. */
  readonly source: string
  /** The group-versions it serves, as apiVersion spells them (`v1`, `apps/v1`), sorted. */
  readonly groupVersions: readonly string[]
}

interface Index {
  readonly versions: Readonly<
    Record<
      string,
      { release: string; source: string; groupVersions: Readonly<Record<string, string>> }
    >
  >
}

const generated = new URL('../generated/', import.meta.url)
let index: Index | undefined
const documents = new Map<string, BuiltInDocument>()

function damaged(what: string, cause: unknown): KubeSchemasError {
  return new KubeSchemasError(
    'K8S_CODEGEN_KUBE_SCHEMAS_DAMAGED',
    `the shipped built-in schemas cannot be read (${what}): reinstall @k8s-codegen/kube-schemas`,
    { cause },
  )
}

function readIndex(): Index {
  if (index === undefined) {
    try {
      index = JSON.parse(readFileSync(new URL('index.json', generated), 'utf8')) as Index
    } catch (cause) {
      throw damaged('generated/index.json', cause)
    }
  }
  return index
}

const minorOf = (v: string): number[] => v.split('.').map(Number)

/**
 * The Kubernetes versions (minors) schemas are shipped for, oldest first.
 *
 * @example
 * kubeVersions() // ['1.34', '1.35', '1.36', '1.37']
 */
export function kubeVersions(): readonly string[] {
  return Object.keys(readIndex().versions).sort((a, b) => {
    const [am = 0, an = 0] = minorOf(a)
    const [bm = 0, bn = 0] = minorOf(b)
    return am - bm || an - bn
  })
}

/**
 * The version used when none is given: the newest shipped.
 *
 * @example
 * defaultKubeVersion() // '1.37'
 */
export function defaultKubeVersion(): string {
  const all = kubeVersions()
  const newest = all[all.length - 1]
  if (newest === undefined) throw damaged('generated/index.json lists no version', undefined)
  return newest
}

// `1.37`, `v1.37` and `1.37.2` all name the 1.37 minor: a minor's patch releases serve the same
// schemas (API changes land in minors only).
function findVersion(kubeVersion: string) {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(kubeVersion)
  const minor = match === null ? undefined : `${match[1]}.${match[2]}`
  const versions = readIndex().versions
  const found = minor !== undefined && Object.hasOwn(versions, minor) ? versions[minor] : undefined
  if (minor === undefined || found === undefined) {
    throw new KubeSchemasError(
      'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION',
      `no built-in schemas are shipped for Kubernetes version ${JSON.stringify(kubeVersion)}: ` +
        `known versions are ${kubeVersions().join(', ')}`,
    )
  }
  return { minor, found }
}

/**
 * The release, source and group-versions shipped for a Kubernetes version (`1.37`, `v1.37` or a
 * patch release such as `1.37.0`, which names its minor). Throws {@link KubeSchemasError}
 * `K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION` for a version not shipped.
 *
 * @example
 * describeKubeVersion('v1.36').groupVersions.includes('apps/v1') // true
 */
export function describeKubeVersion(kubeVersion: string): KubeRelease {
  const { minor, found } = findVersion(kubeVersion)
  return {
    kubeVersion: minor,
    release: found.release,
    source: found.source,
    groupVersions: Object.keys(found.groupVersions).sort(),
  }
}

/**
 * The built-in OpenAPI v3 document of a group-version (`v1`, `apps/v1`) in a Kubernetes version,
 * or undefined when that version serves no such group-version (a custom resource's, say). The
 * result is shared between calls: do not mutate it. Throws {@link KubeSchemasError}
 * `K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION` for a version not shipped.
 *
 * @example
 * import { validateObject } from '@k8s-codegen/validation'
 *
 * const doc = loadBuiltInDocument(defaultKubeVersion(), 'apps/v1')
 * if (doc !== undefined) validateObject(doc, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })
 */
export function loadBuiltInDocument(
  kubeVersion: string,
  groupVersion: string,
): BuiltInDocument | undefined {
  const { minor, found } = findVersion(kubeVersion)
  if (!Object.hasOwn(found.groupVersions, groupVersion)) return undefined
  const id = found.groupVersions[groupVersion] ?? ''
  let document = documents.get(id)
  if (document === undefined) {
    const file = `documents/${id}.json.gz`
    try {
      const bytes = gunzipSync(readFileSync(new URL(file, generated)))
      document = JSON.parse(bytes.toString('utf8')) as BuiltInDocument
    } catch (cause) {
      throw damaged(`generated/${file}, ${groupVersion} of ${minor}`, cause)
    }
    documents.set(id, document)
  }
  return document
}
