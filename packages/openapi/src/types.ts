import type { CrdFactsList } from './crd/facts.js'

/** A JSON object as parsed by `JSON.parse`. */
export type JsonObject = { [key: string]: unknown }

/**
 * One group-version as the apiserver names it in the `/openapi/v3` root.
 *
 * @example
 * const core: GroupVersionRef = { key: 'api/v1', group: '', version: 'v1' }
 * const apps: GroupVersionRef = { key: 'apis/apps/v1', group: 'apps', version: 'v1' }
 */
export interface GroupVersionRef {
  /** `'api/v1'` for the core group, `'apis/<group>/<version>'` otherwise. */
  key: string
  /** `''` for the core group. */
  group: string
  version: string
}

/**
 * A per-group-version OpenAPI 3.0 document in the shape kube-apiserver serves at
 * `/openapi/v3/<key>` (kube-openapi `pkg/builder3`): `components.schemas` keyed by dotted Go
 * names, `$ref: '#/components/schemas/…'`, the `paths` of that group-version, `x-kubernetes-*`
 * extensions kept. Documents split from Swagger 2.0 have the same shape.
 *
 * @example
 * const doc: OpenApiV3Document = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths: {} }
 */
export interface OpenApiV3Document {
  openapi: string
  info: { title: string; version: string; [key: string]: unknown }
  paths: Record<string, JsonObject>
  components?: {
    schemas?: Record<string, JsonObject>
    securitySchemes?: Record<string, JsonObject>
    [key: string]: unknown
  }
  [key: string]: unknown
}

/**
 * One entry of an APIResourceList (apimachinery `pkg/apis/meta/v1/types.go` `APIResource`).
 * Subresources are entries named `<plural>/<subresource>`, e.g. `deployments/status`.
 *
 * @example
 * const r: APIResource = { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'list'], shortNames: ['deploy'], categories: ['all'] }
 */
export interface APIResource {
  name: string
  singularName: string
  namespaced: boolean
  group?: string
  version?: string
  kind: string
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  storageVersionHash?: string
}

/**
 * The resource list the apiserver serves at `/api/v1` and `/apis/<group>/<version>`
 * (apimachinery `pkg/apis/meta/v1/types.go` `APIResourceList`).
 *
 * @example
 * const list: APIResourceList = { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [] }
 */
export interface APIResourceList {
  kind: 'APIResourceList'
  apiVersion?: string
  groupVersion: string
  resources: APIResource[]
}

/**
 * The apiserver's `/version` answer (apimachinery `pkg/version/types.go` `Info`).
 *
 * @example
 * const v: VersionInfo = { major: '1', minor: '28', gitVersion: 'v1.28.3' }
 */
export interface VersionInfo {
  major: string
  minor: string
  gitVersion: string
  [key: string]: string
}

/**
 * A verified, stored group-version document with its discovery list when one was served.
 *
 * @example
 * for (const gv of specSet.groupVersions) console.log(gv.key, Object.keys(gv.document.paths).length)
 */
export interface StoredGroupVersion extends GroupVersionRef {
  /** Uppercase hex SHA-512 of the stored document bytes. */
  hash: string
  /** Size of the stored document, in bytes (codegen's document size limit reads it). */
  bytes?: number
  document: OpenApiV3Document
  discovery?: APIResourceList
  /** For CRD group-versions locked from CRD files: what the CRDs say beyond both. */
  crdFacts?: CrdFactsList
}

/**
 * Every available group-version of one lockfile, loaded and re-verified.
 *
 * @example
 * const set = await loadSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 * set.groupVersions.map((gv) => gv.key) // ['api/v1', 'apis/apps/v1', …]
 */
export interface SpecSet {
  source: 'v3' | 'v2'
  serverVersion?: VersionInfo
  /** Uppercase hex SHA-512 of the lockfile bytes; changes whenever any locked document does. */
  lockfileHash: string
  /** Sorted by key; unavailable group-versions are not included. */
  groupVersions: StoredGroupVersion[]
}
