// kube-apiserver's Table printers of the service-networking kinds (kubernetes
// pkg/printers/internalversion/printers.go): printService, printEndpoints, printEndpointSlice,
// printIngress, printNetworkPolicy. The server prints wide, so the LoadBalancer addresses are
// never clipped to 16 bytes.
import { type JsonObject } from './_json.js'
import {
  ageColumn,
  byteOrder,
  column,
  describe,
  int,
  labelsText,
  listAt,
  objectAt,
  printer,
  selectorText,
  text,
  type TableColumns,
} from './_printer-cells.js'

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

// loadBalancerStatusStringer / ingressLoadBalancerStatusStringer: each ingress point's IP, else
// its hostname, as a sorted set.
function loadBalancerText(status: JsonObject): string {
  const points = listAt(objectAt(status, 'loadBalancer'), 'ingress')
    .map((point) => text(point['ip']) || text(point['hostname']))
    .filter((point) => point !== '')
  return [...new Set(points)].sort(byteOrder).join(',')
}

// getServiceExternalIP.
function externalIp(service: JsonObject): string {
  const spec = objectAt(service, 'spec')
  const externalIps = strings(spec['externalIPs'])
  switch (spec['type'] ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIps.length > 0 ? externalIps.join(',') : '<none>'
    case 'LoadBalancer': {
      const balanced = loadBalancerText(objectAt(service, 'status'))
      if (externalIps.length > 0)
        return [...(balanced === '' ? [] : balanced.split(',')), ...externalIps].join(',')
      return balanced === '' ? '<pending>' : balanced
    }
    case 'ExternalName':
      return text(spec['externalName'])
    default:
      return '<unknown>'
  }
}

// makePortString: port/protocol, with the node port between them when there is one.
function portsText(ports: JsonObject[]): string {
  return ports
    .map((port) => {
      const protocol = text(port['protocol']) || 'TCP'
      return int(port['nodePort']) > 0
        ? `${int(port['port'])}:${int(port['nodePort'])}/${protocol}`
        : `${int(port['port'])}/${protocol}`
    })
    .join(',')
}

// net.JoinHostPort: an IPv6 address in brackets.
const hostPort = (ip: string, port: number): string =>
  ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`

// formatEndpoints (every port): the first three addresses, host:port, and how many more.
function endpointsText(endpoints: JsonObject): string {
  const subsets = listAt(endpoints, 'subsets')
  if (subsets.length === 0) return '<none>'
  const max = 3
  const list: string[] = []
  let more = false
  let total = 0
  const add = (entry: string): boolean => {
    if (list.length === max) {
      more = true
      return false
    }
    list.push(entry)
    return true
  }
  for (const subset of subsets) {
    const addresses = listAt(subset, 'addresses').map((a) => text(a['ip']))
    const ports = listAt(subset, 'ports')
    if (ports.length === 0) {
      total += addresses.length
      for (const address of addresses) if (!add(address)) break
      continue
    }
    for (const port of ports) {
      total += addresses.length
      for (const address of addresses) if (!add(hostPort(address, int(port['port'])))) break
    }
  }
  return more ? `${list.join(',')} + ${total - max} more...` : list.join(',')
}

// listWithMoreString: the first three, how many more, `<unset>` for none.
function firstThree(all: string[]): string {
  if (all.length > 3) return `${all.slice(0, 3).join(',')} + ${all.length - 3} more...`
  return all.length === 0 ? '<unset>' : all.join(',')
}

// formatHosts: the rules' hosts until three are listed (a rule without one adds none), `*` for
// none, and `+ N more...` (N counted from the rules) once a rule comes after the third.
function hostsText(rules: JsonObject[]): string {
  const max = 3
  const hosts: string[] = []
  let more = false
  for (const rule of rules) {
    if (hosts.length === max) more = true
    if (!more && text(rule['host']) !== '') hosts.push(text(rule['host']))
  }
  if (hosts.length === 0) return '*'
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',')
}

/** The service-networking kinds' printers, by `group/version/Kind`. */
export const servicePrinters: Record<string, () => TableColumns> = {
  'core/v1/Service': printer(
    () => [
      column('Type', describe('ServiceSpec', 'type')),
      column('Cluster-IP', describe('ServiceSpec', 'clusterIP')),
      column('External-IP', describe('ServiceSpec', 'externalIPs')),
      column('Port(s)', describe('ServiceSpec', 'ports')),
      ageColumn(),
      column('Selector', describe('ServiceSpec', 'selector'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      return [
        text(spec['type']),
        strings(spec['clusterIPs'])[0] ?? '<none>',
        externalIp(o),
        portsText(listAt(spec, 'ports')) || '<none>',
        age,
        labelsText(spec['selector']),
      ]
    },
  ),
  'core/v1/Endpoints': printer(
    () => [column('Endpoints', describe('Endpoints', 'subsets')), ageColumn()],
    (o, age) => [endpointsText(o), age],
  ),
  'discovery.k8s.io/v1/EndpointSlice': printer(
    () => [
      column('AddressType', describe('EndpointSlice', 'addressType')),
      column('Ports', describe('EndpointSlice', 'ports')),
      column('Endpoints', describe('EndpointSlice', 'endpoints')),
      ageColumn(),
    ],
    (o, age) => [
      text(o['addressType']),
      // formatDiscoveryPorts: the port, else its name, else `*` — which never shows, since
      // SetDefaults_EndpointPort gives every port a name (empty).
      firstThree(
        listAt(o, 'ports').map((port) =>
          typeof port['port'] === 'number' ? String(port['port']) : text(port['name']),
        ),
      ),
      firstThree(listAt(o, 'endpoints').flatMap((endpoint) => strings(endpoint['addresses']))),
      age,
    ],
  ),
  'networking.k8s.io/v1/Ingress': printer(
    () => [
      column(
        'Class',
        'The name of the IngressClass resource that should be used for additional configuration',
      ),
      column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
      column('Address', 'Address is a list containing ingress points for the load-balancer'),
      column('Ports', 'Ports of TLS configurations that open'),
      ageColumn(),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      return [
        typeof spec['ingressClassName'] === 'string' ? spec['ingressClassName'] : '<none>',
        hostsText(listAt(spec, 'rules')),
        loadBalancerText(objectAt(o, 'status')),
        listAt(spec, 'tls').length > 0 ? '80, 443' : '80',
        age,
      ]
    },
  ),
  'networking.k8s.io/v1/NetworkPolicy': printer(
    () => [column('Pod-Selector', describe('NetworkPolicySpec', 'podSelector')), ageColumn()],
    (o, age) => [selectorText(objectAt(o, 'spec')['podSelector']), age],
  ),
}
