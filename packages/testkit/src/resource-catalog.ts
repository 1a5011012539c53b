import { isJsonObject, type JsonObject } from './_json.js'
import { CRD_VERBS } from '@k8s-codegen/openapi'
import type { SpecEntry, SpecRegistry } from './spec-registry.js'

/**
 * One served resource of one group-version, as the apiserver's installer registers its
 * storage (apiserver `pkg/endpoints/installer.go`): plural, kind, scope, verbs and the
 * subresources it has, plus the OpenAPI schema of its kind for validation and patching.
 */
export interface ResourceInfo {
  group: string
  version: string
  /** `v1` or `apps/v1`. */
  apiVersion: string
  resource: string
  kind: string
  namespaced: boolean
  verbs: Set<string>
  subresources: Set<string>
  /** The spec document the resource comes from (for `$ref`s). */
  document: unknown
  /** The schema of the kind, when the document has one. */
  schema: JsonObject | undefined
  /**
   * The document and schema a write of the kind is validated with: the served ones, or those
   * of the release the profile's `/version` names (ResourceCatalog's `validationDocuments`).
   */
  validation: { document: unknown; schema: JsonObject | undefined }
}

// Schemas carry `x-kubernetes-group-version-kind`; index them once per document.
const schemaIndexes = new WeakMap<object, Map<string, JsonObject>>()

function schemaIndex(document: unknown): Map<string, JsonObject> {
  if (!isJsonObject(document)) return new Map()
  let index = schemaIndexes.get(document)
  if (index !== undefined) return index
  index = new Map()
  const components = isJsonObject(document['components']) ? document['components'] : undefined
  const schemas = isJsonObject(components?.['schemas'])
    ? components['schemas']
    : isJsonObject(document['definitions'])
      ? document['definitions']
      : {}
  for (const schema of Object.values(schemas)) {
    if (!isJsonObject(schema)) continue
    const gvks = schema['x-kubernetes-group-version-kind']
    if (!Array.isArray(gvks)) continue
    for (const gvk of gvks) {
      if (!isJsonObject(gvk)) continue
      index.set(`${String(gvk['group'])}/${String(gvk['version'])}/${String(gvk['kind'])}`, schema)
    }
  }
  schemaIndexes.set(document, index)
  return index
}

/**
 * The schema of a kind in a served document, by its `x-kubernetes-group-version-kind` (a
 * subresource's kind, such as the `TokenRequest` of `serviceaccounts/token` in `api/v1`).
 *
 * @example
 * kindSchema(info.document, 'authentication.k8s.io', 'v1', 'TokenRequest')
 */
export function kindSchema(
  document: unknown,
  group: string,
  version: string,
  kind: string,
): JsonObject | undefined {
  return schemaIndex(document).get(`${group}/${version}/${kind}`)
}

function resourcesOf(
  entry: SpecEntry,
  specs: SpecRegistry,
  validationDocuments: ReadonlyMap<unknown, unknown>,
): ResourceInfo[] {
  const { group, version } = entry.gv
  const served = entry.served.document
  const validating = validationDocuments.get(served) ?? served
  const list = specs.discoveryOf(entry)
  const out = new Map<string, ResourceInfo>()
  for (const r of list.resources) {
    const [plural = '', sub] = r.name.split('/')
    if (sub !== undefined) {
      out.get(plural)?.subresources.add(sub)
      continue
    }
    out.set(plural, {
      group,
      version,
      apiVersion: group === '' ? version : `${group}/${version}`,
      resource: plural,
      kind: r.kind,
      namespaced: r.namespaced,
      // A terminating CRD lists fewer verbs in discovery than its handler serves: all of them
      // (customresource_handler.go refuses a create itself; registry.ts).
      verbs: new Set(entry.crd === true ? CRD_VERBS : r.verbs),
      subresources: new Set(),
      document: served,
      schema: schemaIndex(served).get(`${group}/${version}/${r.kind}`),
      validation: {
        document: validating,
        schema: schemaIndex(validating).get(`${group}/${version}/${r.kind}`),
      },
    })
  }
  return [...out.values()]
}

/** Every resource the server serves, looked up by group, version and plural. */
export class ResourceCatalog {
  readonly #specs: SpecRegistry
  readonly #cache = new WeakMap<SpecEntry, Map<string, ResourceInfo>>()

  readonly #validationDocuments: ReadonlyMap<unknown, unknown>

  /**
   * `validationDocuments`: for a served document, the one whose schemas validate writes of its
   * kinds instead — the recorded profile's newer release
   * (synthesize.ts newestReleaseValidationDocuments).
   */
  constructor(specs: SpecRegistry, validationDocuments: ReadonlyMap<unknown, unknown> = new Map()) {
    this.#specs = specs
    this.#validationDocuments = validationDocuments
  }

  /** The resource `plural` of `group/version`, or undefined when not served. */
  get(group: string, version: string, plural: string): ResourceInfo | undefined {
    const key = group === '' ? `api/${version}` : `apis/${group}/${version}`
    const entry = this.#specs.entries.get(key)
    if (entry === undefined || entry.unavailable) return undefined
    let byName = this.#cache.get(entry)
    if (byName === undefined) {
      byName = new Map(
        resourcesOf(entry, this.#specs, this.#validationDocuments).map((r) => [r.resource, r]),
      )
      this.#cache.set(entry, byName)
    }
    return byName.get(plural)
  }
}
