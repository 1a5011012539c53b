import { createHash } from 'node:crypto'
import { isJsonObject, resolveLocalRef, type JsonObject } from './_json.js'
import { compareKubeVersions, groupVersionString, type GroupVersion } from './group-version.js'

/**
 * One entry of an `APIResourceList`, as apimachinery `pkg/apis/meta/v1/types.go` APIResource.
 *
 * @example
 * const scale: APIResource = { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
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
 * `/api/v1`, `/apis/<group>/<version>`: apimachinery `APIResourceList`.
 *
 * @example
 * const list = JSON.parse(body) as APIResourceList // body of GET /apis/apps/v1
 */
export interface APIResourceList {
  kind: 'APIResourceList'
  apiVersion: 'v1'
  groupVersion: string
  resources: APIResource[]
}

interface GroupVersionForDiscovery {
  groupVersion: string
  version: string
}

/**
 * `/apis/<group>`: apimachinery `APIGroup`.
 *
 * @example
 * const group = JSON.parse(body) as APIGroup // body of GET /apis/apps
 */
export interface APIGroup {
  name: string
  versions: GroupVersionForDiscovery[]
  preferredVersion: GroupVersionForDiscovery
}

// Well-known short names and categories of built-in resources. Specs do not carry them; a real
// server reports them from each registry's `ShortNamesProvider` / `CategoriesProvider`
// (kubernetes `pkg/registry/<group>/<resource>/storage/storage.go`, e.g. pods → `po`, category
// `all` in `pkg/registry/core/pod/storage/storage.go`). Keyed by `<group>/<resource>`.
const wellKnown: Record<string, { shortNames?: string[]; categories?: string[] }> = {
  '/componentstatuses': { shortNames: ['cs'] },
  '/configmaps': { shortNames: ['cm'] },
  '/endpoints': { shortNames: ['ep'] },
  '/events': { shortNames: ['ev'] },
  '/limitranges': { shortNames: ['limits'] },
  '/namespaces': { shortNames: ['ns'] },
  '/nodes': { shortNames: ['no'] },
  '/persistentvolumeclaims': { shortNames: ['pvc'] },
  '/persistentvolumes': { shortNames: ['pv'] },
  '/pods': { shortNames: ['po'], categories: ['all'] },
  '/replicationcontrollers': { shortNames: ['rc'], categories: ['all'] },
  '/resourcequotas': { shortNames: ['quota'] },
  '/serviceaccounts': { shortNames: ['sa'] },
  '/services': { shortNames: ['svc'], categories: ['all'] },
  'apps/daemonsets': { shortNames: ['ds'], categories: ['all'] },
  'apps/deployments': { shortNames: ['deploy'], categories: ['all'] },
  'apps/replicasets': { shortNames: ['rs'], categories: ['all'] },
  'apps/statefulsets': { shortNames: ['sts'], categories: ['all'] },
  'extensions/daemonsets': { shortNames: ['ds'], categories: ['all'] },
  'extensions/deployments': { shortNames: ['deploy'], categories: ['all'] },
  'extensions/replicasets': { shortNames: ['rs'], categories: ['all'] },
  'extensions/ingresses': { shortNames: ['ing'] },
  'extensions/networkpolicies': { shortNames: ['netpol'] },
  'extensions/podsecuritypolicies': { shortNames: ['psp'] },
  'autoscaling/horizontalpodautoscalers': { shortNames: ['hpa'], categories: ['all'] },
  'batch/cronjobs': { shortNames: ['cj'], categories: ['all'] },
  'batch/jobs': { categories: ['all'] },
  'networking.k8s.io/ingresses': { shortNames: ['ing'] },
  'networking.k8s.io/networkpolicies': { shortNames: ['netpol'] },
  'policy/poddisruptionbudgets': { shortNames: ['pdb'] },
  'policy/podsecuritypolicies': { shortNames: ['psp'] },
  'apiextensions.k8s.io/customresourcedefinitions': {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
  },
  'apiregistration.k8s.io/apiservices': { categories: ['api-extensions'] },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': {
    categories: ['api-extensions'],
  },
  'admissionregistration.k8s.io/validatingwebhookconfigurations': {
    categories: ['api-extensions'],
  },
  'certificates.k8s.io/certificatesigningrequests': { shortNames: ['csr'] },
  'events.k8s.io/events': { shortNames: ['ev'] },
  'scheduling.k8s.io/priorityclasses': { shortNames: ['pc'] },
  'storage.k8s.io/storageclasses': { shortNames: ['sc'] },
  'storage.k8s.io/volumeattributesclasses': { shortNames: ['vac'] },
  'networking.k8s.io/ipaddresses': { shortNames: ['ip'] },
  // The admission policy kinds join webhooks, CRDs and APIServices in `api-extensions`
  // (pkg/registry/admissionregistration/*admissionpolicy*/storage/storage.go Categories).
  'admissionregistration.k8s.io/validatingadmissionpolicies': { categories: ['api-extensions'] },
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': {
    categories: ['api-extensions'],
  },
  'admissionregistration.k8s.io/mutatingadmissionpolicies': { categories: ['api-extensions'] },
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings': {
    categories: ['api-extensions'],
  },
  // The project-authored example CRD group (see example-crds.ts), as its CRD's spec.names says.
  'example.dev/widgets': { shortNames: ['wd'], categories: ['all', 'example'] },
  'example.dev/gadgets': { shortNames: ['gd'], categories: ['example'] },
}

// apiserver pkg/endpoints/installer.go maps each registered action to a discovery verb
// (`toDiscoveryKubeVerb`: GET→get, LIST→list, WATCH/WATCHLIST→watch, POST→create, PUT→update,
// PATCH→patch, DELETE→delete, DELETECOLLECTION→deletecollection, CONNECT→none, per method).
const actionVerbs: Record<string, string> = {
  get: 'get',
  list: 'list',
  watch: 'watch',
  watchlist: 'watch',
  post: 'create',
  create: 'create',
  put: 'update',
  update: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
}

// Connect (exec, attach, portforward, proxy) registers one route per HTTP method; each method
// maps to its verb like a plain action does (installer.go, case "CONNECT").
const methodVerbs: Record<string, string> = {
  get: 'get',
  post: 'create',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
}

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const

interface Accumulated {
  name: string
  namespaced: boolean
  verbs: Set<string>
  gvk?: { group: string; version: string; kind: string }
}

function gvkOf(operation: JsonObject): Accumulated['gvk'] {
  const gvk = operation['x-kubernetes-group-version-kind']
  if (!isJsonObject(gvk)) return undefined
  const { group, version, kind } = gvk
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') {
    return undefined
  }
  return { group, version, kind }
}

// A CRD's /scale routes carry the CRD's own kind in their GVK extension, yet discovery reports
// autoscaling/v1 Scale (apiextensions-apiserver `pkg/apiserver/customresource_discovery_controller.go`
// adds the scale subresource with Group autoscaling, Version v1, Kind Scale). The response schema
// says which kind a /scale route really serves, for built-ins and CRDs alike.
function responseGvk(document: unknown, operation: JsonObject): Accumulated['gvk'] {
  const responses = operation['responses']
  const ok = isJsonObject(responses) ? responses['200'] : undefined
  if (!isJsonObject(ok)) return undefined
  const content = isJsonObject(ok['content']) ? ok['content']['application/json'] : ok
  const schema = isJsonObject(content) ? content['schema'] : undefined
  const target =
    isJsonObject(schema) && typeof schema['$ref'] === 'string'
      ? resolveLocalRef(document, schema['$ref'])
      : undefined
  const gvks = isJsonObject(target) ? target['x-kubernetes-group-version-kind'] : undefined
  const first: unknown = Array.isArray(gvks) && gvks.length === 1 ? gvks[0] : undefined
  return isJsonObject(first) ? gvkOf({ 'x-kubernetes-group-version-kind': first }) : undefined
}

/**
 * Resource segments of an API path below the group-version prefix: `[resource, subresource?]`
 * and whether the path is namespaced, or undefined for paths that name no resource.
 */
function resourceOfPath(
  rest: string,
): { resource: string; subresource?: string; namespaced: boolean } | undefined {
  let segments = rest.split('/').filter((s) => s !== '')
  // `/watch/…` paths are the deprecated watch endpoints of the same resource.
  if (segments[0] === 'watch') segments = segments.slice(1)
  let namespaced = false
  if (segments[0] === 'namespaces' && segments[1] === '{namespace}' && segments.length > 2) {
    namespaced = true
    segments = segments.slice(2)
  }
  const [resource, name, subresource] = segments
  if (resource === undefined || resource.startsWith('{')) return undefined
  if (name !== undefined && !name.startsWith('{')) return undefined
  return subresource === undefined
    ? { resource, namespaced }
    : { resource, subresource, namespaced }
}

// apiserver `pkg/endpoints/discovery/storageversionhash.go` StorageVersionHash: the first 8
// bytes of SHA-256 over `<group>/<version>/<kind>` (core: `/v1/Pod`), base64.
function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256')
    .update(`${group}/${version}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64')
}

/**
 * Derives the `APIResourceList` a real server serves at `/api/v1` or `/apis/<group>/<version>`
 * from the operations in `document.paths` (OpenAPI v2 or v3) under that group-version:
 * each operation's `x-kubernetes-action` gives a verb and `x-kubernetes-group-version-kind` the
 * kind; `/namespaces/{namespace}/` makes a resource namespaced; `<plural>/{name}/<sub>` paths are
 * subresources listed as `<plural>/<sub>` with their own kind (apiserver
 * `pkg/endpoints/installer.go` `registerResourceHandlers`; sorted by name as `installer.go`
 * sorts its storage paths). `storageVersion(kind)` names the version whose hash the resource
 * reports (the storage version, see {@link storageVersionOf}); default: this one.
 */
export function deriveResourceList(
  gv: GroupVersion,
  document: unknown,
  storageVersion: (kind: string) => string = () => gv.version,
): APIResourceList {
  const prefix = gv.group === '' ? `/api/${gv.version}/` : `/apis/${gv.group}/${gv.version}/`
  const paths = isJsonObject(document) && isJsonObject(document['paths']) ? document['paths'] : {}
  const info = isJsonObject(document) ? document['info'] : undefined
  const crdDocument = isJsonObject(info) && info['title'] === 'Kubernetes CRD Swagger'
  const byName = new Map<string, Accumulated>()
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith(prefix) || !isJsonObject(item)) continue
    const parsed = resourceOfPath(path.slice(prefix.length))
    if (parsed === undefined) continue
    const name =
      parsed.subresource === undefined
        ? parsed.resource
        : `${parsed.resource}/${parsed.subresource}`
    for (const method of httpMethods) {
      const operation = item[method]
      if (!isJsonObject(operation)) continue
      const action = operation['x-kubernetes-action']
      const gvk =
        parsed.subresource === 'scale'
          ? (responseGvk(document, operation) ?? gvkOf(operation))
          : gvkOf(operation)
      if (typeof action !== 'string' || gvk === undefined) continue
      let entry = byName.get(name)
      if (entry === undefined) {
        entry = { name, namespaced: false, verbs: new Set() }
        byName.set(name, entry)
      }
      entry.namespaced ||= parsed.namespaced
      entry.gvk ??= gvk
      const verb = action === 'connect' ? methodVerbs[method] : actionVerbs[action]
      if (verb !== undefined) entry.verbs.add(verb)
      // A real server lists `watch` when the storage can watch, which its routes show as
      // watch/watchlist actions (installer.go registers them only then); a list operation's
      // `watch` query parameter is in every list's options, watchable or not (componentstatuses).
      // CRD documents publish no watch routes, yet every CRD is watchable
      // (customresource_discovery_controller.go gives each CRD the watch verb).
      if (action === 'list' && crdDocument && parsed.subresource === undefined) {
        entry.verbs.add('watch')
      }
    }
  }
  const resources: APIResource[] = []
  for (const entry of [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const gvk = entry.gvk
    if (gvk === undefined) continue
    const isSubresource = entry.name.includes('/')
    // Field order of the Go struct, so the JSON reads like the apiserver's.
    const resource: APIResource = {
      name: entry.name,
      // installer.go sets singularName for the resource itself only; subresources report ''.
      singularName: isSubresource ? '' : gvk.kind.toLowerCase(),
      namespaced: entry.namespaced,
      // installer.go reports group/version only when the kind lives in another group-version,
      // e.g. deployments/scale → autoscaling/v1 Scale.
      ...(gvk.group !== gv.group || gvk.version !== gv.version
        ? { group: gvk.group, version: gvk.version }
        : {}),
      kind: gvk.kind,
      verbs: [...entry.verbs].sort(),
    }
    if (!isSubresource) {
      const known = wellKnown[`${gv.group}/${entry.name}`]
      if (known?.shortNames !== undefined) resource.shortNames = known.shortNames
      if (known?.categories !== undefined) resource.categories = known.categories
      // Only stored resources have a storage version (installer.go sets the hash from the
      // storage's StorageVersionProvider); virtual ones — bindings, componentstatuses, the
      // review kinds — have none. Stored resources are the watchable ones.
      if (entry.verbs.has('watch')) {
        resource.storageVersionHash = storageVersionHash(
          gv.group,
          storageVersion(gvk.kind),
          gvk.kind,
        )
      }
    }
    resources.push(resource)
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(gv),
    resources,
  }
}

/**
 * Groups group-versions into `APIGroup`s (versions by Kubernetes version priority, the first
 * one preferred, as apiserver `pkg/endpoints/discovery/group.go` and the aggregator's
 * `apisHandler` order them). Core (`''`) is left out: it lives at `/api`.
 */
export function deriveGroups(groupVersions: Iterable<GroupVersion>): APIGroup[] {
  const versions = new Map<string, string[]>()
  for (const gv of groupVersions) {
    if (gv.group === '') continue
    const list = versions.get(gv.group) ?? []
    if (!list.includes(gv.version)) list.push(gv.version)
    versions.set(gv.group, list)
  }
  return [...versions.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, list]) => {
      const sorted = list
        .sort(compareKubeVersions)
        .map((version) => ({ groupVersion: `${name}/${version}`, version }))
      const preferred = sorted[0] ?? { groupVersion: name, version: '' }
      return { name, versions: sorted, preferredVersion: preferred }
    })
}

function servesKind(document: unknown, group: string, version: string, kind: string): boolean {
  if (!isJsonObject(document)) return false
  const components = document['components']
  const schemas = isJsonObject(components) ? components['schemas'] : document['definitions']
  if (!isJsonObject(schemas)) return false
  return Object.values(schemas).some((schema) => {
    const gvks = isJsonObject(schema) ? schema['x-kubernetes-group-version-kind'] : undefined
    return (
      Array.isArray(gvks) &&
      gvks.some(
        (g) =>
          isJsonObject(g) && g['group'] === group && g['version'] === version && g['kind'] === kind,
      )
    )
  })
}

/**
 * The version whose `storageVersionHash` a group's resource reports: apiserver
 * `pkg/endpoints/discovery/storageversionhash.go` hashes the storage version, not the served
 * one. Specs do not name it; the emulator takes the group's highest-priority version
 * (`compareKubeVersions`, as the apiserver's default storage versions follow the preferred
 * version) whose document defines the kind.
 *
 * @example
 * storageVersionOf([{ gv, document }], 'autoscaling', 'HorizontalPodAutoscaler') // 'v2'
 */
export function storageVersionOf(
  served: Iterable<{ gv: GroupVersion; document: unknown }>,
  group: string,
  kind: string,
): string | undefined {
  const versions = [...served]
    .filter(
      ({ gv, document }) => gv.group === group && servesKind(document, group, gv.version, kind),
    )
    .map(({ gv }) => gv.version)
    .sort(compareKubeVersions)
  return versions[0]
}
