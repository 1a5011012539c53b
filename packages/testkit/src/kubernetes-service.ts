// The `kubernetes` Service of the `default` namespace, which kube-apiserver's own controller
// creates on every cluster (kubernetes pkg/controlplane/controller/kubernetesservice/
// controller.go CreateOrUpdateMasterServiceIfNeeded, createPortAndServiceSpec): labels
// `provider: kubernetes` and `component: apiserver`, the first address of the service CIDR, one
// port `https` 443/TCP whose target is the port the server listens on, no selector.
//
// Its Endpoints and EndpointSlice are not created: the endpoint reconciler writes the server's
// advertise address, and a server on 127.0.0.1 (testkit's real kube-apiserver runs with
// `--advertise-address=127.0.0.1`, as the emulator listens there) has it refused by Endpoints
// validation (pkg/apis/core/validation ValidateEndpointIP: "may not be in the loopback range"),
// so that server shows the Service alone too.
import type { ResourceCatalog } from './resource-catalog.js'
import type { Registry } from './registry.js'
import { apiserverIp } from './service-allocation.js'

/**
 * Creates the `kubernetes` Service in `default`, when the profile serves Services, and returns
 * what sets its target port to the port the server listens on. The emulator creates it before it
 * stores its CRDs, whose writes wait for their first reader (store.ts `defer`): a write after
 * them would make them at once (~1 s and 200 MB at 1,000 CRDs). The port is known only after
 * `listen()`, before any request can read the Service, so it is set in place.
 *
 * @example
 * const listeningOn = createKubernetesService(registry, catalog)
 * listeningOn(6443) // default/kubernetes, 10.0.0.1:443 → 6443
 */
export function createKubernetesService(
  registry: Registry,
  catalog: ResourceCatalog,
): (port: number) => void {
  const services = catalog.get('', 'v1', 'services')
  if (services === undefined) return () => undefined
  const created = registry.create(
    services,
    'default',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { provider: 'kubernetes', component: 'apiserver' },
      },
      spec: {
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 443 }],
        clusterIP: apiserverIp,
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    },
    { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Ignore', warnings: [] },
  )
  return (port) => {
    const [https] = (created['spec'] as { ports: Record<string, unknown>[] }).ports
    if (https !== undefined) https['targetPort'] = port
  }
}
