// Where each schema is emitted. Kubernetes names schemas by their Go package (kube-openapi
// `pkg/util/util.go` ToRESTFriendlyName: `k8s.io/api/apps/v1.Deployment` →
// `io.k8s.api.apps.v1.Deployment`), and CRD schemas by the reversed group (apiextensions-apiserver
// `pkg/controller/openapi/builder/builder.go` generateBuilder: `example.dev` + `v1` + `Widget` →
// `dev.example.v1.Widget`). A schema is emitted once, in the module of the API group its Go
// package registers (the package's `register.go` GroupName), so `io.k8s.api.policy.v1.Eviction`
// lands in `policy/v1.ts` even when only the core/v1 document embeds it.

/** Go package directory under `k8s.io/api` → API group (each package's `register.go` GroupName). */
const API_GROUPS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    admission: 'admission.k8s.io',
    admissionregistration: 'admissionregistration.k8s.io',
    apidiscovery: 'apidiscovery.k8s.io',
    apiserverinternal: 'internal.apiserver.k8s.io',
    apps: 'apps',
    authentication: 'authentication.k8s.io',
    authorization: 'authorization.k8s.io',
    autoscaling: 'autoscaling',
    batch: 'batch',
    certificates: 'certificates.k8s.io',
    coordination: 'coordination.k8s.io',
    core: '',
    discovery: 'discovery.k8s.io',
    events: 'events.k8s.io',
    extensions: 'extensions',
    flowcontrol: 'flowcontrol.apiserver.k8s.io',
    imagepolicy: 'imagepolicy.k8s.io',
    networking: 'networking.k8s.io',
    node: 'node.k8s.io',
    policy: 'policy',
    rbac: 'rbac.authorization.k8s.io',
    resource: 'resource.k8s.io',
    scheduling: 'scheduling.k8s.io',
    storage: 'storage.k8s.io',
    storagemigration: 'storagemigration.k8s.io',
  }),
)

/** Go packages outside `k8s.io/api` that serve API groups: `<prefix>.<dir>` → API group. */
const OTHER_API_PACKAGES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions': 'apiextensions.k8s.io',
    'io.k8s.kube-aggregator.pkg.apis.apiregistration': 'apiregistration.k8s.io',
    'io.k8s.metrics.pkg.apis.metrics': 'metrics.k8s.io',
  }),
)

const APIMACHINERY = 'io.k8s.apimachinery.pkg.'

/** `''` → `core`; any other group is its own directory (`networking.k8s.io`, `example.dev`). */
export function moduleOfGroupVersion(group: string, version: string): string {
  return `${group === '' ? 'core' : group}/${version}`
}

/** Splits a dotted schema name into its Go package and short (type) name. */
export function splitSchemaName(name: string): { pkg: string; short: string } {
  const dot = name.lastIndexOf('.')
  return dot === -1
    ? { pkg: '', short: name }
    : { pkg: name.slice(0, dot), short: name.slice(dot + 1) }
}

/**
 * Module (path without `.ts`) a schema's Go package is emitted in. `inferredGroups` maps packages
 * to the group their kinds declare in `x-kubernetes-group-version-kind`, for packages no table
 * names (CRDs, aggregated APIs).
 */
export function moduleOfPackage(pkg: string, inferredGroups: ReadonlyMap<string, string>): string {
  if (pkg === '') return 'unqualified'
  if (pkg.startsWith(APIMACHINERY)) {
    // io.k8s.apimachinery.pkg.apis.meta.v1 → meta/v1; pkg.util.intstr → util/intstr;
    // pkg.api.resource → api/resource; pkg.runtime → runtime.
    const rest = pkg.slice(APIMACHINERY.length)
    return (rest.startsWith('apis.') ? rest.slice('apis.'.length) : rest).split('.').join('/')
  }
  const parts = pkg.split('.')
  const version = parts[parts.length - 1] ?? ''
  const base = parts.slice(0, -1).join('.')
  if (pkg.startsWith('io.k8s.api.') && parts.length === 5) {
    const group = API_GROUPS.get(parts[3] ?? '')
    if (group !== undefined) return moduleOfGroupVersion(group, version)
  }
  const known = OTHER_API_PACKAGES.get(base)
  if (known !== undefined) return moduleOfGroupVersion(known, version)
  const inferred = inferredGroups.get(pkg)
  if (inferred !== undefined) return moduleOfGroupVersion(inferred, version)
  // Reverse-DNS CRD naming (`dev.example.v1`) read back into the group (`example.dev`).
  return moduleOfGroupVersion(parts.slice(0, -1).reverse().join('.'), version)
}

const BUILTIN_GROUPS = new Set(['', ...API_GROUPS.values(), ...OTHER_API_PACKAGES.values()])

/** True for the groups Kubernetes itself serves (their documents own shared schemas first). */
export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group)
}
