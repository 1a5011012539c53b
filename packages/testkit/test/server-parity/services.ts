// A Service's defaults and allocations (kubernetes pkg/apis/core/v1/defaults.go
// SetDefaults_Service; pkg/registry/core/service/storage): type, ports, affinity and traffic
// policies, IP families, a cluster IP from the service CIDR, node ports, and what an update keeps,
// refuses and releases. Cluster IPs and node ports are compared by relation (_normalise.ts).
import type { ParityRow, Request } from './_scenario.js'

const services = '/api/v1/namespaces/{ns}/services'
const mergePatch = 'application/merge-patch+json'
const jsonPatch = 'application/json-patch+json'

const service = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec,
})
const create = (name: string, spec: Record<string, unknown>, query = ''): Request => ({
  method: 'POST',
  path: `${services}${query}`,
  body: service(name, spec),
})
const patch = (name: string, body: unknown, contentType = mergePatch): Request => ({
  method: 'PATCH',
  path: `${services}/${name}`,
  contentType,
  body,
})
// The spec and status of a Service answer (its metadata holds managed fields, whose `.` markers
// the emulator approximates: README "managed fields approximate structured-merge-diff").
const specAndStatus = (body: unknown): unknown => {
  const { spec, status, message, reason, code } = (body ?? {}) as Record<string, unknown>
  return spec === undefined ? { message, reason, code } : { spec, status }
}
const viewed = (request: Request): Request => ({ ...request, view: specAndStatus })
// A Service given a cluster IP again after it had none: any free address of the CIDR, the one it
// just released too (both servers' allocators pick at random), so only its being one is compared.
const reallocated = (request: Request): Request => ({
  ...request,
  view: (body) => {
    const viewedBody = specAndStatus(body) as { spec?: Record<string, unknown> }
    const spec = viewedBody.spec
    if (spec === undefined) return viewedBody
    const inCidr = (ip: unknown): unknown =>
      typeof ip === 'string' && /^10\.0\.0\.\d+$/.test(ip) ? '<an address of 10.0.0.0/24>' : ip
    const ips = spec['clusterIPs']
    return {
      ...viewedBody,
      spec: {
        ...spec,
        clusterIP: inCidr(spec['clusterIP']),
        clusterIPs: Array.isArray(ips) ? ips.map(inCidr) : ips,
      },
    }
  },
})

// The `kubernetes` Service kube-apiserver's controller keeps in `default` (kubernetes-service.ts):
// its port's target is each server's own port, so only its being a port is compared.
const kubernetesService = (body: unknown): unknown => {
  const { metadata, spec, status, message, reason, code } = (body ?? {}) as Record<string, unknown>
  if (spec === undefined) return { message, reason, code }
  const { name, labels } = metadata as Record<string, unknown>
  const { ports, ...rest } = spec as { ports: Record<string, unknown>[] }
  const listening = ports.map((p) => ({
    ...p,
    targetPort: Number.isInteger(p['targetPort']) ? '<listening port>' : p['targetPort'],
  }))
  return { name, labels, spec: { ...rest, ports: listening }, status }
}
// A Table's cells but the Age column's (a view runs before the normaliser's `<age>`).
const cellsWithoutAge = (body: unknown): unknown => {
  const { columnDefinitions, rows } = body as {
    columnDefinitions: { name: string }[]
    rows: { cells: unknown[] }[]
  }
  const age = columnDefinitions.findIndex((c) => c.name === 'Age')
  return rows.map((r) => r.cells.filter((_, i) => i !== age))
}
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'

export const servicesTable: ParityRow[] = [
  {
    given: {
      name: 'a Service is defaulted by type and given a cluster IP, node ports and IP families',
      steps: [
        create('cluster', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
        create('node', {
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80, targetPort: 'http' },
            { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
          ],
        }),
        create('balanced', {
          type: 'LoadBalancer',
          sessionAffinity: 'ClientIP',
          ports: [{ port: 443 }],
        }),
        create('headless', { clusterIP: 'None', selector: { app: 'db' } }),
        create('headless-without-selector', { clusterIP: 'None' }),
        create('external', { type: 'ExternalName', externalName: 'example.com' }),
        create('static', { clusterIP: '10.0.0.5', ports: [{ port: 80 }] }),
      ].map(viewed),
    },
  },
  {
    given: {
      name: 'a Service update keeps its cluster IP and node ports, may not change the IP, and a type change allocates or releases',
      setup: [
        create('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }),
        create('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }),
      ],
      steps: [
        // A client that leaves the allocated fields out keeps them (patchAllocatedValues).
        patch(
          'web',
          [
            { op: 'remove', path: '/spec/clusterIP' },
            { op: 'remove', path: '/spec/clusterIPs' },
          ],
          jsonPatch,
        ),
        patch('web', { spec: { clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'] } }),
        patch('web', { spec: { clusterIP: '10.0.0.7' } }),
        patch('web', { spec: { type: 'NodePort' } }),
        patch('web', { spec: { type: 'ClusterIP' } }),
        patch('web', { spec: { type: 'ExternalName', externalName: 'example.com' } }),
        patch('web', { spec: { type: 'ClusterIP', externalName: null } }),
        patch('np', [{ op: 'remove', path: '/spec/ports/0/nodePort' }], jsonPatch),
      ].map((request, step) => (step === 6 ? reallocated(request) : viewed(request))),
    },
  },
  {
    given: {
      name: 'a taken cluster IP or node port is Invalid, and a dry run answers the network address',
      setup: [create('first', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })],
      steps: [
        // The first address is the `kubernetes` Service's (kube-apiserver's bootstrap controller).
        create('apiserver-ip', { clusterIP: '10.0.0.1', ports: [{ port: 80 }] }),
        create('same-port', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
        create('dry', { ports: [{ port: 80 }] }, '?dryRun=All'),
      ].map(viewed),
    },
  },
  {
    given: {
      name: 'the default namespace holds the kubernetes Service at start, without Endpoints on a loopback address',
      steps: [
        { path: '/api/v1/namespaces/default/services/kubernetes', view: kubernetesService },
        {
          path: '/api/v1/namespaces/default/services?includeObject=None',
          accept: tableAccept,
          view: cellsWithoutAge,
        },
        { path: '/api/v1/namespaces/default/endpoints/kubernetes', view: specAndStatus },
        {
          path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
          view: (body) => (body as { items?: unknown[] }).items,
        },
      ],
    },
  },
]
