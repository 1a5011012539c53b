import { createHash } from 'node:crypto'
import type { APIResource } from '../types.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'

// What `/apis/<group>/<version>` lists for CRDs: apiextensions-apiserver
// `pkg/apiserver/customresource_discovery_controller.go` sync().

/**
 * apiserver `pkg/endpoints/discovery/storageversionhash.go` StorageVersionHash: the first 8
 * bytes of SHA-256 over `<group>/<version>/<kind>`, base64.
 *
 * @example
 * storageVersionHash('apps', 'v1', 'Deployment') // '8aSe+NMegvE='
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  const sum = createHash('sha256').update(`${group}/${version}/${kind}`).digest()
  return sum.subarray(0, 8).toString('base64')
}

/**
 * The verbs apiextensions-apiserver's discovery controller gives every CRD resource
 * (customresource_discovery_controller.go sync), in its order.
 *
 * @example
 * CRD_VERBS.includes('watch') // true
 */
export const CRD_VERBS: readonly string[] = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
]
const SUBRESOURCE_VERBS = ['get', 'patch', 'update']

/**
 * The discovery entries of one CRD in one served version: the resource with the CRD's short
 * names and categories and the storage version's hash, then `/status` and `/scale` (the latter
 * an autoscaling/v1 Scale).
 *
 * @example
 * crdDiscoveryResources(crd, crd.versions[0]).map((r) => r.name) // ['widgets', 'widgets/status']
 */
export function crdDiscoveryResources(
  crd: CustomResourceDefinition,
  version: CrdVersion,
): APIResource[] {
  const namespaced = crd.scope === 'Namespaced'
  const storage = crd.versions.find((v) => v.storage)?.name ?? version.name
  const resource: APIResource = {
    name: crd.names.plural,
    singularName: crd.names.singular,
    namespaced,
    kind: crd.names.kind,
    verbs: [...CRD_VERBS],
    storageVersionHash: storageVersionHash(crd.group, storage, crd.names.kind),
  }
  if (crd.names.shortNames !== undefined) resource.shortNames = [...crd.names.shortNames]
  if (crd.names.categories !== undefined) resource.categories = [...crd.names.categories]
  const out = [resource]
  if (version.subresources?.status !== undefined) {
    out.push({
      name: `${crd.names.plural}/status`,
      singularName: '',
      namespaced,
      kind: crd.names.kind,
      verbs: [...SUBRESOURCE_VERBS],
    })
  }
  if (version.subresources?.scale !== undefined) {
    out.push({
      name: `${crd.names.plural}/scale`,
      singularName: '',
      namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: [...SUBRESOURCE_VERBS],
    })
  }
  return out
}
