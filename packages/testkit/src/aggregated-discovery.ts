import { createHash } from 'node:crypto'
import type { APIResource, APIResourceList } from './discovery.js'
import { deriveGroups } from './discovery.js'
import type { VersionInfo } from './profile.js'
import type { SpecEntry, SpecRegistry } from './spec-registry.js'

// Aggregated discovery (KEP-3352): `/api` and `/apis` answer an `apidiscovery.k8s.io`
// APIGroupDiscoveryList, every group-version with its resources in one document, when the
// Accept header asks for it (kubectl ≥ 1.26 asks first, v2 then v2beta1 then plain JSON). Reproduced from apiserver
// `pkg/endpoints/discovery/aggregated` (wrapper.go, negotiation.go, handler.go, etag.go), the
// built-ins' resources from `pkg/endpoints/installer.go` ConvertGroupVersionIntoToDiscovery and
// the CRDs' from apiextensions-apiserver `pkg/apiserver/customresource_discovery_controller.go`
// sync().

/** The aggregated discovery versions a server speaks: `apidiscovery.k8s.io/<version>`. */
export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1'

/**
 * apidiscovery v2 `GroupVersionKind` (every field always written).
 *
 * @example
 * const kind: DiscoveryKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' }
 */
export interface DiscoveryKind {
  group: string
  version: string
  kind: string
}

/**
 * apidiscovery v2 `APISubresourceDiscovery`.
 *
 * @example
 * const status: APISubresourceDiscovery = { subresource: 'status', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] }
 */
export interface APISubresourceDiscovery {
  subresource: string
  responseKind: DiscoveryKind
  verbs: string[]
}

/**
 * apidiscovery v2 `APIResourceDiscovery`.
 *
 * @example
 * const pods: APIResourceDiscovery = { resource: 'pods', responseKind: { group: '', version: '', kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod', verbs: ['get'] }
 */
export interface APIResourceDiscovery {
  resource: string
  responseKind: DiscoveryKind
  scope: 'Namespaced' | 'Cluster'
  singularResource: string
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  subresources?: APISubresourceDiscovery[]
}

/**
 * apidiscovery v2 `APIGroupDiscovery`: the group's name in `metadata` (`''`, left out, for the
 * core group), its versions highest first.
 *
 * @example
 * const apps: APIGroupDiscovery = { metadata: { name: 'apps', creationTimestamp: null }, versions: [{ version: 'v1', resources: [], freshness: 'Current' }] }
 */
export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null }
  versions: {
    version: string
    resources?: APIResourceDiscovery[]
    freshness: 'Current' | 'Stale'
  }[]
}

// The AggregatedDiscoveryEndpoint gate is on by default from 1.27 (beta, apidiscovery v2beta1)
// and GA with v2 from 1.30; AggregatedDiscoveryRemoveBetaType (apiserver pkg/features
// kube_features.go, default on from 1.33) stops v2beta1. An older server, or a version it does
// not serve, ignores the `as` parameter and answers the legacy document.
function servedVersions(version: VersionInfo): AggregatedDiscoveryVersion[] {
  const minor = Number.parseInt(version.minor, 10)
  if (version.major !== '1' || !(minor >= 27)) return []
  if (minor < 30) return ['v2beta1']
  return minor < 33 ? ['v2', 'v2beta1'] : ['v2']
}

interface Clause {
  type: string
  subtype: string
  params: Map<string, string>
  q: number
}

// munnellg/goautoneg ParseAccept as apimachinery vendors it: clauses with their parameters,
// `q` taken out, sorted by q (higher first) and then wildcards last.
function parseAccept(header: string): Clause[] {
  const clauses: Clause[] = []
  for (const part of header.split(',')) {
    const [range = '', ...rawParams] = part.split(';').map((s) => s.trim())
    const [type = '', subtype = ''] = range.split('/')
    if (type === '' || subtype === '') continue
    const params = new Map<string, string>()
    let q = 1
    for (const p of rawParams) {
      const at = p.indexOf('=')
      if (at < 0) continue
      const key = p.slice(0, at).trim()
      const value = p.slice(at + 1).trim()
      if (key === 'q') q = Number.parseFloat(value)
      else params.set(key, value)
    }
    clauses.push({ type, subtype, params, q: Number.isNaN(q) ? 0 : q })
  }
  const rank = (c: Clause): number => (c.type === '*' ? 2 : c.subtype === '*' ? 1 : 0)
  return clauses
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.q - a.c.q || rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c)
}

/**
 * Which aggregated discovery version an `Accept` header gets from a server of `version`, or
 * undefined for the legacy APIVersions / APIGroupList: the first acceptable clause wins
 * (negotiation `NegotiateMediaTypeOptions`); a clause asking `as=APIGroupDiscoveryList` is
 * acceptable only for `g=apidiscovery.k8s.io` and a version the server serves
 * (negotiation.go `IsAggregatedDiscoveryGVK`); this emulator speaks JSON only, so protobuf
 * clauses are skipped.
 *
 * @example
 * negotiateAggregatedDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', versionInfo('v1.31.0')) // 'v2'
 */
export function negotiateAggregatedDiscovery(
  accept: string | undefined,
  version: VersionInfo,
): AggregatedDiscoveryVersion | undefined {
  const served = servedVersions(version)
  for (const clause of parseAccept(accept ?? '')) {
    const json =
      (clause.type === 'application' && (clause.subtype === 'json' || clause.subtype === '*')) ||
      (clause.type === '*' && clause.subtype === '*')
    if (!json) continue
    const as = clause.params.get('as')
    if (as === undefined) return undefined
    const v = clause.params.get('v')
    if (
      as === 'APIGroupDiscoveryList' &&
      clause.params.get('g') === 'apidiscovery.k8s.io' &&
      (v === 'v2' || v === 'v2beta1') &&
      served.includes(v)
    )
      return v
  }
  return undefined
}

const scopeOf = (r: APIResource): APIResourceDiscovery['scope'] =>
  r.namespaced ? 'Namespaced' : 'Cluster'

// installer.go ConvertGroupVersionIntoToDiscovery: resources in list order, their kind's group
// and version as the APIResource states them (empty for the group-version's own kinds), each
// subresource under its parent.
function builtinResources(list: APIResourceList): APIResourceDiscovery[] {
  const out: APIResourceDiscovery[] = []
  const byName = new Map<string, APIResourceDiscovery>()
  for (const r of list.resources) {
    if (r.name.includes('/')) continue
    const resource: APIResourceDiscovery = {
      resource: r.name,
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind },
      scope: scopeOf(r),
      singularResource: r.singularName,
      verbs: [...r.verbs],
    }
    if (r.shortNames?.length) resource.shortNames = [...r.shortNames]
    if (r.categories?.length) resource.categories = [...r.categories]
    out.push(resource)
    byName.set(r.name, resource)
  }
  for (const r of list.resources) {
    const at = r.name.indexOf('/')
    if (at < 0) continue
    const parentName = r.name.slice(0, at)
    let parent = byName.get(parentName)
    if (parent === undefined) {
      // A subresource without its parent gets an empty parent (kubernetes#118361).
      parent = {
        resource: parentName,
        responseKind: { group: '', version: '', kind: '' },
        scope: scopeOf(r),
        singularResource: '',
        verbs: [],
      }
      out.push(parent)
      byName.set(parentName, parent)
    }
    ;(parent.subresources ??= []).push({
      subresource: r.name.slice(at + 1),
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind },
      verbs: [...r.verbs],
    })
  }
  return out
}

// customresource_discovery_controller.go sync(): every CRD's kind with its full group-version,
// status with the CRD's kind, scale as autoscaling/v1 Scale, sorted by resource name.
function crdResources(
  list: APIResourceList,
  group: string,
  version: string,
): APIResourceDiscovery[] {
  const out: APIResourceDiscovery[] = []
  for (const r of list.resources) {
    if (r.name.includes('/')) continue
    const resource: APIResourceDiscovery = {
      resource: r.name,
      responseKind: { group, version, kind: r.kind },
      scope: scopeOf(r),
      singularResource: r.singularName,
      verbs: [...r.verbs],
    }
    if (r.shortNames?.length) resource.shortNames = [...r.shortNames]
    if (r.categories?.length) resource.categories = [...r.categories]
    const subresources: APISubresourceDiscovery[] = []
    for (const sub of ['status', 'scale']) {
      const listed = list.resources.find((s) => s.name === `${r.name}/${sub}`)
      if (listed === undefined) continue
      subresources.push({
        subresource: sub,
        responseKind:
          sub === 'scale'
            ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
            : { group, version, kind: r.kind },
        verbs: ['get', 'patch', 'update'],
      })
    }
    if (subresources.length > 0) resource.subresources = subresources
    out.push(resource)
  }
  return out.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0))
}

function versionOf(specs: SpecRegistry, entry: SpecEntry): APIGroupDiscovery['versions'][number] {
  // An APIService whose backend is down is published Stale, without resources (KEP-3352).
  if (entry.unavailable) return { version: entry.gv.version, freshness: 'Stale' }
  const list = specs.discoveryOf(entry)
  const resources =
    entry.crd === true
      ? crdResources(list, entry.gv.group, entry.gv.version)
      : builtinResources(list)
  return { version: entry.gv.version, resources, freshness: 'Current' }
}

/**
 * The groups of `/api` (`legacy`: the core group alone) or `/apis`, as aggregated discovery
 * lists them. Groups come in the order of this emulator's `/apis` (by name; a real server
 * orders them by APIService priority), versions highest first as in `/apis/<group>`.
 *
 * @example
 * aggregatedGroups(specs, false).map((g) => g.metadata.name) // ['apps', 'batch', …]
 */
export function aggregatedGroups(specs: SpecRegistry, legacy: boolean): APIGroupDiscovery[] {
  const entries = specs.discoverable()
  if (legacy) {
    const core = entries.filter((e) => e.gv.group === '')
    if (core.length === 0) return []
    return [
      { metadata: { creationTimestamp: null }, versions: core.map((e) => versionOf(specs, e)) },
    ]
  }
  const byKey = new Map(entries.map((e) => [e.gv.key, e]))
  return deriveGroups(entries.map((e) => e.gv)).map((group) => ({
    metadata: { name: group.name, creationTimestamp: null },
    versions: group.versions.map((v) =>
      versionOf(specs, byKey.get(`apis/${v.groupVersion}`) as SpecEntry),
    ),
  }))
}

/**
 * The body and headers of an aggregated discovery answer: handler.go writeDiscoveryResponse
 * through etag.go ServeHTTPWithETag. The ETag is the quoted uppercase hex SHA-512 of the v2
 * list's JSON without its kind and apiVersion (calculateETag), whichever version is sent.
 *
 * @example
 * const { body, etag } = aggregatedDiscoveryAnswer(aggregatedGroups(specs, false), 'v2')
 */
export function aggregatedDiscoveryAnswer(
  groups: APIGroupDiscovery[],
  version: AggregatedDiscoveryVersion,
): { body: Buffer; etag: string; contentType: string } {
  const list = { metadata: {}, items: groups }
  const etag = `"${createHash('sha512').update(JSON.stringify(list)).digest('hex').toUpperCase()}"`
  const body = Buffer.from(
    JSON.stringify({
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      ...list,
    }) + '\n',
  )
  return {
    body,
    etag,
    contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
  }
}
