// The `kubernetes` Service of the `default` namespace, which kube-apiserver's own controller
// creates on every cluster (kubernetes pkg/controlplane/controller/kubernetesservice/
// controller.go CreateOrUpdateMasterServiceIfNeeded, createPortAndServiceSpec): labels
// `provider: kubernetes` and `component: apiserver`, the first address of the service CIDR, one
// port `https` 443/TCP whose target is the port the server listens on, no selector. The
// controller's loop (Run: wait.NonSlidingUntil every EndpointInterval, 10 s by default in
// pkg/controlplane/instance.go DefaultEndpointReconcilerInterval) creates it again once it is
// deleted, and never reconciles an existing one (UpdateKubernetesService(false)).
//
// Its Endpoints and EndpointSlice are not created: the endpoint reconciler writes the server's
// advertise address, and a server on 127.0.0.1 (testkit's real kube-apiserver runs with
// `--advertise-address=127.0.0.1`, as the emulator listens there) has it refused by Endpoints
// validation (pkg/apis/core/validation ValidateEndpointIP: "may not be in the loopback range"),
// so that server shows the Service alone too.
import type { ResourceCatalog, ResourceInfo } from './resource-catalog.js'
import { collectionOf, type Registry } from './registry.js'
import { apiserverIp } from './service-allocation.js'
import type { StoreEvent } from './store.js'

const loopMs = 10_000

function kubernetesService(port: number) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { provider: 'kubernetes', component: 'apiserver' },
    },
    spec: {
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: port }],
      clusterIP: apiserverIp,
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  }
}

function create(registry: Registry, services: ResourceInfo, port: number) {
  return registry.create(services, 'default', kubernetesService(port), {
    dryRun: false,
    fieldManager: 'kube-apiserver',
    fieldValidation: 'Ignore',
    warnings: [],
  })
}

/** The `kubernetes` Service's controller, once the server knows its port. */
export interface KubernetesServiceController {
  /** Sets the Service's target port and starts creating it again whenever it is deleted. */
  listeningOn(port: number): void
  /** Stops the loop (the server's close). */
  stop(): void
}

/**
 * Creates the `kubernetes` Service in `default`, when the profile serves Services. The emulator
 * creates it before it stores its CRDs, whose writes wait for their first reader (store.ts
 * `defer`): a write after them would make them at once (~1 s and 200 MB at 1,000 CRDs). The
 * port is known only after `listen()`, before any request can read the Service, so it is set in
 * place then; from then on a deleted Service is created again at the loop's next 10 s tick (an
 * unreferenced timer: it never keeps a process alive).
 *
 * @example
 * const controller = createKubernetesService(registry, catalog)
 * controller.listeningOn(6443) // default/kubernetes, 10.0.0.1:443 → 6443
 * controller.stop()
 */
export function createKubernetesService(
  registry: Registry,
  catalog: ResourceCatalog,
): KubernetesServiceController {
  const services = catalog.get('', 'v1', 'services')
  if (services === undefined) return { listeningOn: () => undefined, stop: () => undefined }
  const created = create(registry, services, 443)
  const collection = collectionOf(services)
  let unsubscribe: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  return {
    listeningOn(port) {
      const [https] = (created['spec'] as { ports: Record<string, unknown>[] }).ports
      if (https !== undefined) https['targetPort'] = port
      const started = Date.now()
      const tick = (): void => {
        timer = undefined
        if (registry.store.get(collection, 'default', 'kubernetes') !== undefined) return
        try {
          create(registry, services, port)
        } catch {
          // The namespace is going, as the real loop's Create fails then: the next tick tries.
          timer = setTimeout(tick, loopMs).unref()
        }
      }
      unsubscribe = registry.store.subscribe((event: StoreEvent) => {
        if (event.type !== 'DELETED' || event.collection !== collection) return
        if (event.namespace !== 'default' || event.name !== 'kubernetes' || timer !== undefined)
          return
        timer = setTimeout(tick, loopMs - ((Date.now() - started) % loopMs)).unref()
      })
    },
    stop() {
      unsubscribe?.()
      if (timer !== undefined) clearTimeout(timer)
    },
  }
}
