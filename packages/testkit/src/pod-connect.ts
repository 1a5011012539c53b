// `pods/exec`, `pods/attach` and `pods/portforward` (GET and POST, the connect routes kubernetes
// `pkg/registry/core/pod/rest/subresources.go` registers): kube-apiserver finds the pod, checks
// the container (exec, attach) and the node, then proxies the upgraded stream to that node's
// kubelet (`pkg/registry/core/pod/strategy.go` streamLocation, PortForwardLocation). The emulator
// runs no kubelet, so it answers what comes before the proxy as kube-apiserver does and refuses
// the proxy itself.
import type { Exchange } from './_exchange.js'
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import { collectionOf, type Registry } from './registry.js'
import type { ResourceCatalog, ResourceInfo } from './resource-catalog.js'
import { ApiStatusError, badRequest, notFound } from './status-errors.js'

/** The connect subresources of a pod. */
export const podConnectSubresources = new Set(['exec', 'attach', 'portforward'])

function containerNames(spec: JsonObject, field: string): string[] {
  const list = spec[field]
  return Array.isArray(list) ? list.filter(isJsonObject).map((c) => scalarText(c['name'])) : []
}

// strategy.go validateContainer: a single container may be omitted; a named one must exist
// among all of the pod's containers (init and ephemeral too).
function validateContainer(pod: JsonObject, name: string, container: string): void {
  const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
  const main = containerNames(spec, 'containers')
  const all = [
    ...containerNames(spec, 'initContainers'),
    ...main,
    ...containerNames(spec, 'ephemeralContainers'),
  ]
  if (container === '') {
    if (main.length === 1) return
    if (main.length === 0) throw badRequest(`a container name must be specified for pod ${name}`)
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`,
    )
  }
  if (!all.includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`)
}

/**
 * Answers a connect request of a pod: 404 for a missing pod, 400 for a wrong container or a pod
 * no node runs (`pod x does not have a host assigned`), 404 for a missing Node
 * (NodeConnectionInfoGetter), and 500 where kube-apiserver would dial the kubelet.
 *
 * @example
 * if (podConnectSubresources.has(path.subresource)) connectPod(exchange, registry, catalog, info, ns, name, 'exec')
 */
export function connectPod(
  exchange: Exchange,
  registry: Registry,
  catalog: ResourceCatalog,
  info: ResourceInfo,
  namespace: string,
  name: string,
  subresource: string,
): never {
  const pod = registry.getOrThrow(info, namespace, name)
  if (subresource !== 'portforward')
    validateContainer(pod, name, exchange.search.get('container') ?? '')
  const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
  const nodeName = scalarText(spec['nodeName'])
  if (nodeName === '') throw badRequest(`pod ${name} does not have a host assigned`)
  const nodes = catalog.get('', 'v1', 'nodes')
  if (nodes === undefined || registry.store.get(collectionOf(nodes), '', nodeName) === undefined)
    throw notFound({ group: '', resource: 'nodes' }, nodeName)
  throw new ApiStatusError(
    500,
    'InternalError',
    `error dialing backend: no kubelet runs for node ${nodeName} in the emulator`,
  )
}
