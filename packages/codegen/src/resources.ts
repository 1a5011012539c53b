// Resource descriptors derived from a group-version document's REST paths, the way kube-apiserver
// lays them out (apiserver pkg/endpoints/installer.go registerResourceHandlers): collections at
// `<prefix>[/namespaces/{namespace}]/<plural>`, items at `…/<plural>/{name}`, subresources at
// `…/{name}/<subresource>[/{path}]`, legacy watches under `<prefix>/watch/…`. Each operation
// carries `x-kubernetes-action` and `x-kubernetes-group-version-kind`.
import type { PrinterColumn } from '@k8s-codegen/openapi'

import { refName } from './normalize.js'
import type { DiscoveryResource, GroupVersionInput, Schema } from './types.js'

export interface SubresourceInfo {
  name: string
  apiVersion: string
  kind: string
  verbs: string[]
}

export interface ResourceInfo {
  group: string
  version: string
  apiVersion: string
  kind: string
  plural: string
  singular: string
  namespaced: boolean
  verbs: string[]
  subresources: SubresourceInfo[]
  listKind: string | undefined
  shortNames: string[] | undefined
  categories: string[] | undefined
  /** From the CRD: the warning a request to this deprecated version gets. */
  deprecationWarning: string | undefined
  /** From the CRD: its `additionalPrinterColumns`. */
  printerColumns: PrinterColumn[] | undefined
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

// x-kubernetes-action → discovery verb (apiserver pkg/endpoints/installer.go: "POST" → create,
// "PUT" → update, watch/watchlist → watch; connect actions take the verb of their HTTP method).
const ACTION_VERBS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    get: 'get',
    list: 'list',
    post: 'create',
    put: 'update',
    patch: 'patch',
    delete: 'delete',
    deletecollection: 'deletecollection',
    watch: 'watch',
    watchlist: 'watch',
  }),
)
const CONNECT_VERBS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    get: 'get',
    post: 'create',
    put: 'update',
    patch: 'patch',
    delete: 'delete',
  }),
)

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`
}

export interface Gvk {
  group: string
  version: string
  kind: string
}

function gvkOf(operation: Schema): Gvk | undefined {
  const gvk = operation['x-kubernetes-group-version-kind']
  if (!isObject(gvk)) return undefined
  const { group, version, kind } = gvk
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') {
    return undefined
  }
  return { group, version, kind }
}

function responseSchemaName(operation: Schema): string | undefined {
  const responses = operation.responses
  if (!isObject(responses) || !isObject(responses['200'])) return undefined
  const ok = responses['200']
  // v3: content[mediaType].schema; a v2 document split into v3 shape carries the same.
  const content = isObject(ok.content) ? ok.content : undefined
  for (const media of Object.keys(content ?? {}).sort()) {
    const schema = content?.[media]
    if (isObject(schema) && isObject(schema.schema) && typeof schema.schema.$ref === 'string') {
      return refName(schema.schema.$ref)
    }
  }
  return undefined
}

interface Accumulator {
  plural: string
  namespaced: boolean
  kind: Gvk | undefined
  verbs: Set<string>
  listKind: string | undefined
  subresources: Map<string, { kind: Gvk | undefined; verbs: Set<string> }>
}

/** The REST path prefix of a group-version: `/api/v1` for core, `/apis/<group>/<version>` else. */
export function pathPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`
}

/**
 * Resources served by one group-version, derived from its paths and cross-checked against its
 * discovery list when present (mismatches are pushed to `warnings`, naming the resource).
 */
export function deriveResources(
  gv: GroupVersionInput,
  paths: Record<string, unknown>,
  warnings: string[],
  schemaKind: (schemaName: string) => Gvk | undefined = () => undefined,
): ResourceInfo[] {
  const prefix = pathPrefix(gv.group, gv.version)
  const byPlural = new Map<string, Accumulator>()
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path]
    if (!path.startsWith(`${prefix}/`) || !isObject(item)) continue
    const segments = path.slice(prefix.length + 1).split('/')
    if (segments[0] === 'watch') segments.shift()
    let namespaced = false
    if (segments[0] === 'namespaces' && segments[1] === '{namespace}' && segments.length >= 3) {
      namespaced = true
      segments.splice(0, 2)
    }
    const [plural, name, subresource] = segments
    if (plural === undefined || plural === '' || plural.includes('{')) continue
    if (name !== undefined && name !== '{name}') continue
    let acc = byPlural.get(plural)
    if (acc === undefined) {
      acc = {
        plural,
        namespaced,
        kind: undefined,
        verbs: new Set(),
        listKind: undefined,
        subresources: new Map(),
      }
      byPlural.set(plural, acc)
    }
    acc.namespaced ||= namespaced
    for (const method of METHODS) {
      const operation = item[method]
      if (!isObject(operation)) continue
      const action = operation['x-kubernetes-action']
      if (typeof action !== 'string') continue
      const gvk = gvkOf(operation)
      if (subresource === undefined || subresource === '') {
        const verb = ACTION_VERBS.get(action)
        if (verb !== undefined) acc.verbs.add(verb)
        if (gvk !== undefined && (action === 'get' || action === 'list' || action === 'post'))
          acc.kind ??= gvk
        if (action === 'list') acc.listKind ??= responseSchemaName(operation)?.split('.').pop()
      } else {
        let sub = acc.subresources.get(subresource)
        if (sub === undefined) {
          sub = { kind: undefined, verbs: new Set() }
          acc.subresources.set(subresource, sub)
        }
        const verb = action === 'connect' ? CONNECT_VERBS.get(method) : ACTION_VERBS.get(action)
        if (verb !== undefined) sub.verbs.add(verb)
        // By path: the kind of the object the subresource reads and writes (its response
        // schema's kind: /scale → autoscaling/v1 Scale even where a CRD route carries the CRD's
        // own GVK), else the operation's (connect → *Options, /log → the parent).
        const response = responseSchemaName(operation)
        sub.kind ??= (response === undefined ? undefined : schemaKind(response)) ?? gvk
      }
    }
  }

  const discovery = new Map<string, DiscoveryResource>()
  for (const resource of gv.discovery?.resources ?? []) discovery.set(resource.name, resource)
  const crdFacts = new Map((gv.crdFacts?.resources ?? []).map((r) => [r.name, r]))
  const where = `${apiVersionOf(gv.group, gv.version)}`
  const resources: ResourceInfo[] = []
  for (const acc of [...byPlural.values()].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
    if (acc.kind === undefined) continue
    const found = discovery.get(acc.plural)
    const pathVerbs = [...acc.verbs].sort()
    if (gv.discovery !== undefined) crossCheck(where, acc, pathVerbs, found, discovery, warnings)
    // Discovery states what the server serves: its verbs join those the paths show (watch is
    // served as `?watch=true` on the list route even where no /watch/ path is published).
    const verbs = [...new Set([...pathVerbs, ...(found?.verbs ?? [])])].sort()
    resources.push({
      group: gv.group,
      version: gv.version,
      apiVersion: apiVersionOf(gv.group, gv.version),
      kind: acc.kind.kind,
      plural: acc.plural,
      // Discovery's singularName, else the apiserver's default: the lower-cased kind
      // (apiserver pkg/endpoints/installer.go getResourceKind / singularNameProvider fallback).
      singular: found?.singularName || acc.kind.kind.toLowerCase(),
      namespaced: acc.namespaced,
      verbs,
      subresources: [...acc.subresources.entries()]
        .filter(([, sub]) => sub.kind !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, sub]) => ({
          name,
          apiVersion: apiVersionOf(sub.kind?.group ?? '', sub.kind?.version ?? ''),
          kind: sub.kind?.kind ?? '',
          verbs: [...sub.verbs].sort(),
        })),
      listKind: acc.listKind,
      shortNames: found?.shortNames?.length ? [...found.shortNames] : undefined,
      categories: found?.categories?.length ? [...found.categories] : undefined,
      ...crdResourceFacts(crdFacts.get(acc.plural), acc.kind.kind),
    })
  }
  if (gv.discovery !== undefined) {
    for (const name of [...discovery.keys()].sort()) {
      const [plural] = name.split('/')
      if (plural !== undefined && !byPlural.has(plural)) {
        warnings.push(
          `${where}: discovery lists resource '${name}' but the OpenAPI document has no paths for it`,
        )
      }
    }
  }
  return resources
}

// A CRD's facts apply to the resource of its plural only when the kinds agree (a document and
// facts locked together always do; anything else is ignored rather than misattributed).
function crdResourceFacts(
  facts:
    { kind: string; deprecationWarning?: string; printerColumns?: PrinterColumn[] } | undefined,
  kind: string,
): Pick<ResourceInfo, 'deprecationWarning' | 'printerColumns'> {
  if (facts === undefined || facts.kind !== kind)
    return { deprecationWarning: undefined, printerColumns: undefined }
  return {
    deprecationWarning: facts.deprecationWarning,
    printerColumns: facts.printerColumns?.length
      ? facts.printerColumns.map((c) => ({ ...c }))
      : undefined,
  }
}

function crossCheck(
  where: string,
  acc: Accumulator,
  verbs: string[],
  found: DiscoveryResource | undefined,
  discovery: ReadonlyMap<string, DiscoveryResource>,
  warnings: string[],
): void {
  const name = `${where} ${acc.plural}`
  if (found === undefined) {
    warnings.push(`${name}: served in the OpenAPI paths but missing from discovery`)
    return
  }
  if (found.kind !== acc.kind?.kind) {
    warnings.push(
      `${name}: discovery kind '${found.kind}' differs from the OpenAPI kind '${acc.kind?.kind ?? ''}'`,
    )
  }
  if (found.namespaced !== acc.namespaced) {
    warnings.push(
      `${name}: discovery says namespaced=${String(found.namespaced)}, the OpenAPI paths say namespaced=${String(acc.namespaced)}`,
    )
  }
  const served = new Set(found.verbs)
  const missing = verbs.filter((v) => !served.has(v))
  const extra = found.verbs.filter((v) => !verbs.includes(v) && v !== 'watch')
  if (missing.length > 0 || extra.length > 0) {
    warnings.push(
      `${name}: verbs differ between OpenAPI [${verbs.join(',')}] and discovery [${[...found.verbs].sort().join(',')}]`,
    )
  }
  for (const [sub, info] of acc.subresources) {
    const listed = discovery.get(`${acc.plural}/${sub}`)
    if (listed === undefined) {
      warnings.push(
        `${name}/${sub}: subresource served in the OpenAPI paths but missing from discovery`,
      )
    } else if (info.kind !== undefined && listed.kind !== info.kind.kind) {
      warnings.push(
        `${name}/${sub}: discovery kind '${listed.kind}' differs from the OpenAPI kind '${info.kind.kind}'`,
      )
    }
  }
}
