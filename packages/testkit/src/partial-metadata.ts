// `Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (and
// `as=PartialObjectMetadataList` for a list): how client-go's metadata client — controller-runtime's
// metadata-only watches, kube-controller-manager's garbage collector — reads objects. apiserver
// `pkg/endpoints/handlers/response.go` transformResponseObject: each object becomes
// `PartialObjectMetadata` (its metadata only), a list `PartialObjectMetadataList` with the list's
// resourceVersion, continue and remainingItemCount; the wrong one of the two is 406. Protobuf
// clauses are skipped: the emulator answers JSON.
import { isJsonObject, type JsonObject } from './_json.js'
import type { ResourceInfo } from './resource-catalog.js'
import { isCustom } from './registry.js'
import { ApiStatusError } from './status-errors.js'

/** A request for PartialObjectMetadata: the meta.k8s.io version, and whether of a list. */
export interface PartialMetadataView {
  version: 'v1' | 'v1beta1'
  list: boolean
}

/**
 * The PartialObjectMetadata view the first JSON clause of an Accept header asks for, if any.
 *
 * @example
 * partialMetadataViewOf('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')
 * // { version: 'v1', list: true }
 */
export function partialMetadataViewOf(accept: string | undefined): PartialMetadataView | undefined {
  for (const clause of (accept ?? '').split(',')) {
    const [type = '', ...rest] = clause.split(';').map((part) => part.trim())
    if (type.toLowerCase() !== 'application/json') continue
    const params = new Map(
      rest.map((part) => {
        const at = part.indexOf('=')
        return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
      }),
    )
    const as = params.get('as')
    const version = params.get('v')
    if (
      (as !== 'PartialObjectMetadata' && as !== 'PartialObjectMetadataList') ||
      params.get('g') !== 'meta.k8s.io' ||
      (version !== 'v1' && version !== 'v1beta1')
    )
      return undefined
    return { version, list: as === 'PartialObjectMetadataList' }
  }
  return undefined
}

// The Go type response.go names in its 406: the internal type of a built-in
// (`k8s.io/kubernetes/pkg/apis/<group>`; `core` for the core group), unstructured for a custom
// resource.
function goType(info: ResourceInfo, list: boolean): string {
  const suffix = list ? 'List' : ''
  if (isCustom(info)) return `*unstructured.Unstructured${suffix}`
  const group = info.apiVersion.includes('/') ? info.apiVersion.split(/[./]/)[0] : 'core'
  return `*${group ?? ''}.${info.kind}${suffix}`
}

function notAcceptable(message: string): ApiStatusError {
  return new ApiStatusError(406, 'NotAcceptable', message)
}

/**
 * One object as PartialObjectMetadata (response.go asPartialObjectMetadata); 406 when the view
 * asked for a list.
 *
 * @example
 * asPartialObjectMetadata(configMap, { version: 'v1', list: false }, info)
 * // { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'c', … } }
 */
export function asPartialObjectMetadata(
  object: JsonObject,
  view: PartialMetadataView,
  info: ResourceInfo,
): JsonObject {
  if (view.list)
    throw notAcceptable(
      `you requested PartialObjectMetadataList, but the requested object is not a list (${goType(info, false)})`,
    )
  return partial(object, view)
}

function partial(object: JsonObject, view: PartialMetadataView): JsonObject {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${view.version}`,
    metadata: isJsonObject(object['metadata']) ? object['metadata'] : {},
  }
}

/**
 * A list as PartialObjectMetadataList (response.go asPartialObjectMetadataList): `items` is
 * `null` when empty, as Go's nil slice; 406 when the view asked for one object.
 *
 * @example
 * asPartialObjectMetadataList([configMap], { resourceVersion: '5' }, { version: 'v1', list: true }, info)
 */
export function asPartialObjectMetadataList(
  items: JsonObject[],
  listMeta: JsonObject,
  view: PartialMetadataView,
  info: ResourceInfo,
): JsonObject {
  if (!view.list)
    throw notAcceptable(
      `you requested PartialObjectMetadata, but the requested object is a list (${goType(info, true)})`,
    )
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${view.version}`,
    metadata: listMeta,
    items: items.length === 0 ? null : items.map((item) => partial(item, view)),
  }
}
