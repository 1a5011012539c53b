import type { CrdResourceFacts } from '@k8s-codegen/openapi'

/**
 * A JSON Schema / OpenAPI 3.0 schema object as Kubernetes serves it. Kept structural on purpose:
 * specs come from clusters we do not control, so every field is checked before use.
 */
export type Schema = Record<string, unknown>

/** The normalized per-group-version OpenAPI 3.0 document (`/openapi/v3/<key>` shape). */
export interface GroupVersionDocument {
  components?: { schemas?: Record<string, unknown> }
  paths?: Record<string, unknown>
  [key: string]: unknown
}

/**
 * One served API resource as listed by discovery (`APIResourceList.resources[]`).
 *
 * @example
 * const pods: DiscoveryResource = { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'] }
 */
export interface DiscoveryResource {
  name: string
  singularName?: string
  namespaced: boolean
  kind: string
  group?: string
  version?: string
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
}

/**
 * The input shape of one group-version: structurally the same as `StoredGroupVersion` from
 * `@k8s-codegen/openapi`, so its values are accepted as they are.
 *
 * @example
 * const apps: GroupVersionInput = { key: 'apis/apps/v1', group: 'apps', version: 'v1', hash: 'AB12…', document }
 */
export interface GroupVersionInput {
  /** `'api/v1'` or `'apis/<group>/<version>'`, as in the `/openapi/v3` root. */
  key: string
  /** `''` for the core group. */
  group: string
  version: string
  /** The apiserver's hash of the document bytes; keys incremental regeneration. */
  hash: string
  /** Size of the document as served, in bytes, when known; checked against the size limit. */
  bytes?: number
  /** The document, when the caller holds it; unused when `load` is given. */
  document?: unknown
  /**
   * Reads the document when the generator needs it, instead of `document`: it is read once to
   * plan and once more to print its own modules, and let go in between, so the generator never
   * holds every document of a large input at once (what `generate --crds` passes for thousands of
   * CRDs). Each call must give the same document (the CLI re-verifies its locked hash).
   */
  load?: () => Promise<unknown>
  discovery?: { groupVersion: string; resources: DiscoveryResource[] }
  /** What CRD files say beyond the document and discovery list (`generate --crds`). */
  crdFacts?: { resources: CrdResourceFacts[] }
}
