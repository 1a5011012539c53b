import { isJsonObject } from '../_canonical-json.js'
import { OpenApiError } from '../errors.js'
import { splitV2Document } from '../split-v2.js'
import type { JsonObject, OpenApiV3Document } from '../types.js'
import shipped from './baseline-kubernetes-1.32.json' with { type: 'json' }
import { refNames } from './schema.js'

// A CRD document names schemas it does not define: ObjectMeta and ListMeta (metadata),
// Status (delete), DeleteOptions and Patch (request bodies), autoscaling/v1 Scale (/scale).
// kube-apiserver includes them from its own generated definitions (builder.go
// getOpenAPIConfig GetDefinitions); without a cluster they come from a baseline: the
// documents of an earlier fetch (`--base`), else the data shipped here, derived from the
// `/openapi/v2` document of a released Kubernetes.

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'

/** The schemas a CRD group-version document references from outside the CRD. */
export const CRD_REFERENCED_SCHEMAS = [
  `${META}ObjectMeta`,
  `${META}ListMeta`,
  `${META}Status`,
  `${META}DeleteOptions`,
  `${META}Patch`,
  'io.k8s.api.autoscaling.v1.Scale',
] as const

/** The query parameters of CRD routes (endpoints.AddObjectParams of Get/List/Update/Patch/Create/DeleteOptions); `pretty` is buildRoute's own. */
export const CRD_QUERY_PARAMETERS = [
  'allowWatchBookmarks',
  'continue',
  'dryRun',
  'fieldManager',
  'fieldSelector',
  'fieldValidation',
  'force',
  'gracePeriodSeconds',
  'labelSelector',
  'limit',
  'orphanDependents',
  'propagationPolicy',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
] as const

/**
 * Where the schemas and parameters a CRD document needs come from.
 *
 * @example
 * const base = shippedCrdBaseline()
 * base.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.type // 'object'
 */
export interface CrdBaseline {
  /** Named in the summary: `kubernetes 1.32 (shipped)`, or the `--base` path. */
  name: string
  /** v3-shaped schemas (`$ref: '#/components/schemas/…'`), closed under `$ref`. */
  schemas: Record<string, JsonObject>
  /** v3 query parameters by name. */
  parameters: Record<string, JsonObject>
  /**
   * The query parameters (`pretty` aside) a base's own routes take per action, where the base
   * has such routes: the option structs of that server's version (ListOptions, CreateOptions,
   * UpdateOptions, PatchOptions, DeleteOptions), which CRD routes share.
   */
  options?: Partial<Record<OptionsAction, JsonObject[]>>
}

/**
 * The actions whose options a CRD route shares with the built-in routes of the same server
 * (builder.go buildRoute and the endpoints installer both call AddObjectParams with the same
 * struct). Not `get`: a built-in get publishes no GetOptions, a CRD's publishes
 * `resourceVersion`.
 *
 * @example
 * const action: OptionsAction = 'list'
 */
export type OptionsAction = 'list' | 'post' | 'put' | 'patch' | 'delete'
const OPTIONS_ACTIONS: readonly OptionsAction[] = ['list', 'post', 'put', 'patch', 'delete']

// Per action, the parameter list most of the base's routes of that action share (a route with
// extra options of its own, as pods/log, does not decide).
function collectOptions(
  docs: readonly OpenApiV3Document[],
): Partial<Record<OptionsAction, JsonObject[]>> {
  const seen = new Map<OptionsAction, Map<string, { count: number; parameters: JsonObject[] }>>()
  for (const doc of docs) {
    for (const item of Object.values(doc.paths)) {
      const shared: unknown[] = Array.isArray(item.parameters) ? item.parameters : []
      for (const op of Object.values(item)) {
        const action = isJsonObject(op) ? op['x-kubernetes-action'] : undefined
        if (!OPTIONS_ACTIONS.includes(action as OptionsAction)) continue
        const own: unknown[] = isJsonObject(op) && Array.isArray(op.parameters) ? op.parameters : []
        const parameters = [...shared, ...own].filter(
          (p): p is JsonObject => isJsonObject(p) && p.in === 'query' && p.name !== 'pretty',
        )
        const key = parameters
          .map((p) => String(p.name))
          .sort()
          .join(',')
        const byKey =
          seen.get(action as OptionsAction) ??
          new Map<string, { count: number; parameters: JsonObject[] }>()
        const entry = byKey.get(key) ?? { count: 0, parameters }
        entry.count += 1
        byKey.set(key, entry)
        seen.set(action as OptionsAction, byKey)
      }
    }
  }
  const out: Partial<Record<OptionsAction, JsonObject[]>> = {}
  for (const [action, byKey] of seen) {
    const [top] = [...byKey.values()].sort((a, b) => b.count - a.count)
    if (top !== undefined) out[action] = top.parameters
  }
  return out
}

/** The shipped baseline's file content. */
export interface ShippedBaselineData {
  kubernetesVersion: string
  source: string
  schemas: Record<string, JsonObject>
  parameters: Record<string, JsonObject>
}

function closure(
  roots: readonly string[],
  lookup: (name: string) => JsonObject | undefined,
  where: string,
): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {}
  const pending = [...roots]
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (out[name] !== undefined) continue
    const schema = lookup(name)
    if (schema === undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_BASE_INVALID',
        `${where} defines no schema '${name}', which CRD documents reference`,
      )
    }
    out[name] = schema
    pending.push(...refNames(schema))
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

function collectParameters(doc: OpenApiV3Document, out: Record<string, JsonObject>): void {
  for (const item of Object.values(doc.paths)) {
    const lists = [
      item.parameters,
      ...Object.values(item).map((op) => (isJsonObject(op) ? op.parameters : undefined)),
    ]
    for (const list of lists) {
      if (!Array.isArray(list)) continue
      for (const p of list) {
        if (isJsonObject(p) && p.in === 'query' && typeof p.name === 'string') out[p.name] ??= p
      }
    }
  }
}

/**
 * Derives baseline data from a Kubernetes `/openapi/v2` document: the closure of
 * {@link CRD_REFERENCED_SCHEMAS} and the query parameters of {@link CRD_QUERY_PARAMETERS}, in the
 * v3 shape {@link splitV2Document} gives. The shipped file is this function's output for
 * Kubernetes 1.32 (test/crd/baseline.test.ts re-derives it).
 *
 * @example
 * const data = deriveCrdBaseline(JSON.parse(v2Text), { kubernetesVersion: '1.32', source: '…' })
 */
export function deriveCrdBaseline(
  v2: unknown,
  about: { kubernetesVersion: string; source: string },
): ShippedBaselineData {
  const docs = [...splitV2Document(v2).values()]
  const base = fromDocuments(docs, 'the /openapi/v2 document')
  const parameters: Record<string, JsonObject> = {}
  for (const name of CRD_QUERY_PARAMETERS) {
    const p = base.parameters[name]
    if (p !== undefined) parameters[name] = p
  }
  return { ...about, schemas: base.schemas, parameters }
}

function fromDocuments(docs: readonly OpenApiV3Document[], name: string): CrdBaseline {
  const lookup = (schema: string): JsonObject | undefined => {
    for (const doc of docs) {
      const found = doc.components?.schemas?.[schema]
      if (found !== undefined) return found
    }
    return undefined
  }
  const parameters: Record<string, JsonObject> = {}
  for (const doc of docs) collectParameters(doc, parameters)
  return { name, schemas: closure(CRD_REFERENCED_SCHEMAS, lookup, name), parameters }
}

/**
 * The baseline shipped with the generator: Kubernetes 1.32's meta/v1 and autoscaling/v1 Scale
 * schemas and the CRD routes' query parameters.
 *
 * @example
 * shippedCrdBaseline().name // 'kubernetes 1.32 (shipped with k8s-codegen)'
 */
export function shippedCrdBaseline(): CrdBaseline {
  const data = shipped as ShippedBaselineData
  return {
    name: `kubernetes ${data.kubernetesVersion} (shipped with k8s-codegen)`,
    schemas: structuredClone(data.schemas),
    parameters: structuredClone(data.parameters),
  }
}

/**
 * A baseline from the documents of an earlier fetch (`--base`): each referenced schema from
 * the first document that defines it, the query parameters from their routes; parameters those
 * documents lack come from the shipped baseline. A missing schema is refused with
 * `K8S_CODEGEN_OPENAPI_BASE_INVALID`.
 *
 * @example
 * const base = crdBaselineFromDocuments(specs.groupVersions.map((gv) => gv.document), 'specs/')
 */
export function crdBaselineFromDocuments(
  docs: readonly OpenApiV3Document[],
  name: string,
): CrdBaseline {
  const base = fromDocuments(docs, name)
  const fallback = shippedCrdBaseline().parameters
  const parameters: Record<string, JsonObject> = {}
  for (const p of CRD_QUERY_PARAMETERS) {
    const found = base.parameters[p] ?? fallback[p]
    if (found !== undefined) parameters[p] = found
  }
  return { name, schemas: base.schemas, parameters, options: collectOptions(docs) }
}

/**
 * The query parameters of a CRD route (`pretty` and path parameters aside): the base's options
 * for its action ({@link CrdBaseline.options}; `deletecollection` takes ListOptions, as
 * builder.go buildRoute gives it), else `names` looked up in {@link CrdBaseline.parameters}.
 *
 * @example
 * optionParameters('patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force'], baseline)
 */
export function optionParameters(
  action: string,
  names: readonly string[],
  baseline: Pick<CrdBaseline, 'parameters' | 'options'>,
): JsonObject[] {
  const options =
    baseline.options?.[(action === 'deletecollection' ? 'list' : action) as OptionsAction]
  if (options !== undefined) return options.map((p) => structuredClone(p))
  return names.map((n) => structuredClone(baseline.parameters[n] ?? { in: 'query', name: n }))
}
