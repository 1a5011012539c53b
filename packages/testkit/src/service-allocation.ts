// What kube-apiserver does to a Service besides storing it, on a single-stack IPv4 cluster whose
// service CIDR is 10.0.0.0/24 (the `--service-cluster-ip-range` testkit's real kube-apiserver
// starts with) and whose node ports are 30000-32767 (the `--service-node-port-range` default):
//
// - defaults (kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Service): sessionAffinity,
//   type, a port's protocol and targetPort, externalTrafficPolicy, internalTrafficPolicy,
//   allocateLoadBalancerNodePorts — on create and update, before the field manager sees the
//   object (so the writer owns them);
// - pkg/registry/core/service/strategy.go: status reset on create (`loadBalancer: {}`), and on
//   update dropTypeDependentFields (what a type change no longer needs);
// - pkg/registry/core/service/storage (storage.go beginCreate / beginUpdate: normalizeClusterIPs,
//   patchAllocatedValues; alloc.go initIPFamilyFields, allocClusterIPs, initNodePorts):
//   `ipFamilyPolicy` / `ipFamilies`, a cluster IP from the CIDR, node ports — after the field
//   manager (the writer does not own them), and an immutable cluster IP on update.
//
// What is allocated is read back from the stored Services (no separate bitmap to keep in step):
// a deleted Service's IP and ports are free again at once, as the real allocator's release is.
import { randomInt } from 'node:crypto'
import { isJsonObject, type JsonObject } from './_json.js'
import type { StatusCause } from './status-errors.js'

const prefixLength = 24
const base = 10 * 2 ** 24 // 10.0.0.0
const hostCount = 2 ** (32 - prefixLength)
// ipallocator.go calculateRangeOffset: min(max(16, size/16), 256) addresses at the start of the
// range are kept for static allocation (KEP-3070); dynamic allocation starts above them.
const ipOffset = Math.min(Math.max(16, hostCount / 16), 256)
/**
 * The first address of the range, which the `kubernetes` Service of the default namespace holds
 * (kubernetes-service.ts); the allocator never hands it to another Service, even once that one
 * is deleted (kube-apiserver's controller recreates it).
 *
 * @example
 * apiserverIp // '10.0.0.1'
 */
export const apiserverIp = ipText(1)
const nodePortRange = [30000, 32767] as const
// portallocator.go calculateRangeOffset: min(max(16, size/32), 128) ports kept for static use.
const nodePortOffset = Math.min(
  Math.max(16, Math.floor((nodePortRange[1] - nodePortRange[0] + 1) / 32)),
  128,
)

/** A Service's spec, as the emulator stores it (JSON). */
type Spec = JsonObject

const specOf = (service: JsonObject): Spec => {
  if (!isJsonObject(service['spec'])) service['spec'] = {}
  return service['spec'] as Spec
}
const portsOf = (spec: Spec): JsonObject[] =>
  Array.isArray(spec['ports']) ? spec['ports'].filter(isJsonObject) : []
const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
const typeOf = (spec: Spec): string => (typeof spec['type'] === 'string' ? spec['type'] : '')
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

// strategy.go needsClusterIP / needsNodePort; service.ExternallyAccessible.
const needsClusterIp = (spec: Spec): boolean => typeOf(spec) !== 'ExternalName'
const needsNodePort = (spec: Spec): boolean =>
  typeOf(spec) === 'NodePort' || typeOf(spec) === 'LoadBalancer'
const externallyAccessible = (spec: Spec): boolean =>
  needsNodePort(spec) || (typeOf(spec) === 'ClusterIP' && stringsOf(spec['externalIPs']).length > 0)

/**
 * SetDefaults_Service on `service` (in place), as the decoder applies it to every create and
 * update body.
 *
 * @example
 * defaultService({ spec: { ports: [{ port: 80 }] } }) // spec.type ClusterIP, port TCP → 80, …
 */
export function defaultService(service: JsonObject): void {
  const spec = specOf(service)
  spec['sessionAffinity'] ??= 'None'
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig']
  if (spec['sessionAffinity'] === 'ClientIP') {
    const config = spec['sessionAffinityConfig']
    const clientIp = isJsonObject(config) ? config['clientIP'] : undefined
    if (!isJsonObject(clientIp) || typeof clientIp['timeoutSeconds'] !== 'number')
      spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: 10800 } }
  }
  if (spec['type'] === undefined || spec['type'] === '') spec['type'] = 'ClusterIP'
  for (const port of portsOf(spec)) {
    if (port['protocol'] === undefined || port['protocol'] === '') port['protocol'] = 'TCP'
    if (port['targetPort'] === undefined || port['targetPort'] === 0 || port['targetPort'] === '')
      port['targetPort'] = port['port']
  }
  if (externallyAccessible(spec) && (spec['externalTrafficPolicy'] ?? '') === '')
    spec['externalTrafficPolicy'] = 'Cluster'
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(typeOf(spec)))
    spec['internalTrafficPolicy'] ??= 'Cluster'
  if (typeOf(spec) === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true
}

/**
 * strategy.go PrepareForUpdate dropTypeDependentFields: what `old` allocated for a type `service`
 * no longer has goes, unless the update changed it itself.
 */
export function dropTypeDependentFields(service: JsonObject, old: JsonObject): void {
  const spec = specOf(service)
  const was = specOf(structuredClone(old))
  if (needsClusterIp(was) && !needsClusterIp(spec)) {
    if (same(was['clusterIP'], spec['clusterIP']) && same(was['clusterIPs'], spec['clusterIPs'])) {
      delete spec['clusterIP']
      delete spec['clusterIPs']
    }
    if (same(was['ipFamilies'], spec['ipFamilies'])) delete spec['ipFamilies']
    if (same(was['ipFamilyPolicy'], spec['ipFamilyPolicy'])) delete spec['ipFamilyPolicy']
  }
  const nodePorts = (s: Spec): string =>
    JSON.stringify(
      portsOf(s)
        .map((p) => p['nodePort'])
        .filter((p) => typeof p === 'number' && p !== 0)
        .sort(),
    )
  if (needsNodePort(was) && !needsNodePort(spec) && nodePorts(was) === nodePorts(spec))
    for (const port of portsOf(spec)) delete port['nodePort']
  if (
    typeOf(was) === 'LoadBalancer' &&
    typeOf(spec) !== 'LoadBalancer' &&
    spec['allocateLoadBalancerNodePorts'] !== undefined &&
    was['allocateLoadBalancerNodePorts'] === spec['allocateLoadBalancerNodePorts']
  )
    delete spec['allocateLoadBalancerNodePorts']
  if (
    externallyAccessible(was) &&
    !externallyAccessible(spec) &&
    same(was['externalTrafficPolicy'], spec['externalTrafficPolicy'])
  )
    delete spec['externalTrafficPolicy']
  if (typeOf(spec) !== 'LoadBalancer') service['status'] = { loadBalancer: {} }
}

// The address of host number `host` of the CIDR, dotted.
function ipText(host: number): string {
  const value = base + host
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.')
}

// The host number of an IPv4 address in the CIDR, else undefined.
function hostOf(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    return undefined
  const value = parts.reduce((a, p) => a * 256 + Number(p), 0)
  return value >= base && value < base + hostCount ? value - base : undefined
}

// ipIterator from a random offset over [first, last], wrapping once: the first free value.
function firstFree(first: number, last: number, taken: (value: number) => boolean): number {
  const size = last - first + 1
  if (size <= 0) return -1
  const start = randomInt(size)
  for (let i = 0; i < size; i++) {
    const value = first + ((start + i) % size)
    if (!taken(value)) return value
  }
  return -1
}

/** What the stored Services hold: cluster IPs and node ports. */
export interface Allocated {
  ips: Set<string>
  nodePorts: Set<number>
}

/**
 * The cluster IPs and node ports `services` hold (every stored Service but the one written),
 * and {@link apiserverIp} unless the one written is the `kubernetes` Service itself.
 *
 * @example
 * allocatedBy(store.list('/services')) // { ips: Set { '10.0.0.1', '10.0.0.92' }, nodePorts: Set { 31101 } }
 */
export function allocatedBy(services: JsonObject[], forKubernetesService = false): Allocated {
  const allocated: Allocated = {
    ips: new Set(forKubernetesService ? [] : [apiserverIp]),
    nodePorts: new Set(),
  }
  for (const service of services) {
    const spec = isJsonObject(service['spec']) ? service['spec'] : {}
    for (const ip of stringsOf(spec['clusterIPs'])) allocated.ips.add(ip)
    for (const port of portsOf(spec))
      if (typeof port['nodePort'] === 'number') allocated.nodePorts.add(port['nodePort'])
  }
  return allocated
}

const invalidIps = (field: string, ips: string[], detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(ips)}: ${detail}`,
  field,
})

// alloc.go initIPFamilyFields on a single-stack IPv4 cluster.
function initIpFamilies(spec: Spec, old: Spec | undefined): StatusCause[] {
  const headlessWithoutSelector =
    spec['clusterIP'] === 'None' &&
    Object.keys(isJsonObject(spec['selector']) ? spec['selector'] : {}).length === 0
  if (spec['ipFamilyPolicy'] === undefined) {
    if (old?.['ipFamilyPolicy'] !== undefined) spec['ipFamilyPolicy'] = old['ipFamilyPolicy']
    else spec['ipFamilyPolicy'] = headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack'
  }
  const families = stringsOf(spec['ipFamilies'])
  if (headlessWithoutSelector) {
    // A headless Service without a selector may name families the cluster lacks.
    if (families.length === 0) families.push('IPv4')
    if (families.length < 2 && spec['ipFamilyPolicy'] !== 'SingleStack')
      families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4')
    spec['ipFamilies'] = families
    return []
  }
  const causes: StatusCause[] = []
  if (spec['ipFamilyPolicy'] === 'RequireDualStack')
    causes.push({
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
      field: 'spec.ipFamilyPolicy',
    })
  for (const [i, family] of families.entries())
    if (family !== 'IPv4')
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(family)}: not configured on this cluster`,
        field: `spec.ipFamilies[${i}]`,
      })
  if (families.length === 0) spec['ipFamilies'] = ['IPv4']
  return causes
}

// alloc.go allocClusterIPs (ipallocator.go Allocate / AllocateNextService): a given IP must be in
// the range and free; none is picked at random above the static band, then within it. A dry run
// checks a given IP's range only and answers the network address for one to allocate.
function allocateClusterIp(spec: Spec, allocated: Allocated, dryRun: boolean): StatusCause[] {
  const given = stringsOf(spec['clusterIPs'])
  if (given[0] === 'None') return []
  if (given.length === 0) {
    let ip = ipText(0)
    if (!dryRun) {
      const taken = (host: number): boolean => allocated.ips.has(ipText(host))
      let host = firstFree(1 + ipOffset, hostCount - 2, taken)
      if (host === -1) host = firstFree(1, ipOffset, taken)
      if (host === -1)
        return [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: []: failed to allocate a serviceIP: range is full`,
            field: 'spec.clusterIPs',
          },
        ]
      ip = ipText(host)
    }
    spec['clusterIP'] = ip
    spec['clusterIPs'] = [ip]
    return []
  }
  const ip = given[0] ?? ''
  const host = hostOf(ip)
  const fail = (detail: string): StatusCause[] => [
    invalidIps('spec.clusterIPs', given, `failed to allocate IP ${ip}: ${detail}`),
  ]
  // cidrallocator.go MetaAllocator getAllocator: no ServiceCIDR holds it (ErrMismatchedNetwork;
  // kube-apiserver has been seen answering ipallocator's ErrNotInRange text for it too).
  if (host === undefined || host === 0 || host === hostCount - 1)
    return fail('the provided network does not match the current range')
  if (!dryRun && allocated.ips.has(ip)) return fail('provided IP is already allocated')
  return []
}

// alloc.go initNodePorts: a given port must be in the range and free; a port without one gets
// one at random above the static band, then within it. Ports of one Service that share a number
// (TCP and UDP) share the allocation.
function allocateNodePorts(spec: Spec, allocated: Allocated): StatusCause[] {
  if (!needsNodePort(spec)) return []
  if (typeOf(spec) === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] === false) return []
  const causes: StatusCause[] = []
  const own = new Set<number>()
  for (const [i, port] of portsOf(spec).entries()) {
    const value = port['nodePort']
    if (typeof value !== 'number' || value === 0) continue
    const field = `spec.ports[${i}].nodePort`
    if (value < nodePortRange[0] || value > nodePortRange[1])
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${value}: provided port is not in the valid range. The range of valid ports is ${nodePortRange[0]}-${nodePortRange[1]}`,
        field,
      })
    else if (allocated.nodePorts.has(value) && !own.has(value))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${value}: provided port is already allocated`,
        field,
      })
    own.add(value)
  }
  if (causes.length > 0) return causes
  for (const port of portsOf(spec)) {
    if (typeof port['nodePort'] === 'number' && port['nodePort'] !== 0) continue
    const taken = (p: number): boolean => allocated.nodePorts.has(p) || own.has(p)
    let value = firstFree(nodePortRange[0] + nodePortOffset, nodePortRange[1], taken)
    if (value === -1)
      value = firstFree(nodePortRange[0], nodePortRange[0] + nodePortOffset - 1, taken)
    if (value === -1)
      return [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0: failed to allocate a nodePort: range is full',
          field: 'spec.ports[0].nodePort',
        },
      ]
    port['nodePort'] = value
    own.add(value)
  }
  return []
}

// storage.go defaultOnReadInternalTrafficPolicy: an ExternalName Service is answered without the
// internalTrafficPolicy an earlier type (or an old defaulting) left in storage. The emulator
// answers what it stores, so it is dropped here; nothing is allocated.
function externalName(spec: Spec): StatusCause[] {
  delete spec['internalTrafficPolicy']
  return []
}

/**
 * storage.go beginCreate on `service` (in place; its status reset): the IP families, a cluster
 * IP and node ports. Returns the causes of a 422 Invalid, empty when all went well.
 *
 * @example
 * allocateOnCreate(service, allocatedBy(otherServices), false) // [] and spec.clusterIP set
 */
export function allocateOnCreate(
  service: JsonObject,
  allocated: Allocated,
  dryRun: boolean,
): StatusCause[] {
  service['status'] = { loadBalancer: {} }
  const spec = specOf(service)
  if (!needsClusterIp(spec)) return externalName(spec)
  // normalizeClusterIPs: the singular alone (an old client) fills the plural.
  if (
    typeof spec['clusterIP'] === 'string' &&
    spec['clusterIP'] !== '' &&
    spec['clusterIPs'] === undefined
  )
    spec['clusterIPs'] = [spec['clusterIP']]
  const causes = initIpFamilies(spec, undefined)
  if (causes.length > 0) return causes
  const ipCauses = allocateClusterIp(spec, allocated, dryRun)
  if (ipCauses.length > 0) return ipCauses
  return allocateNodePorts(spec, allocated)
}

/**
 * storage.go beginUpdate on `service` (in place) against the stored `old`: allocated values the
 * client left out are kept, the cluster IP may not change, a type that now needs a cluster IP or
 * node ports gets them. Returns the causes of a 422 Invalid, empty when all went well.
 *
 * @example
 * allocateOnUpdate(next, live, allocatedBy(otherServices), false) // [] and clusterIP kept
 */
export function allocateOnUpdate(
  service: JsonObject,
  old: JsonObject,
  allocated: Allocated,
  dryRun: boolean,
): StatusCause[] {
  const spec = specOf(service)
  const was = isJsonObject(old['spec']) ? old['spec'] : {}
  // patchAllocatedValues.
  if (needsClusterIp(was) && needsClusterIp(spec)) {
    if ((spec['clusterIP'] ?? '') === '' && was['clusterIP'] !== undefined)
      spec['clusterIP'] = was['clusterIP']
    if (stringsOf(spec['clusterIPs']).length === 0 && stringsOf(was['clusterIPs']).length > 0)
      spec['clusterIPs'] = was['clusterIPs']
  }
  if (needsNodePort(was) && needsNodePort(spec)) {
    const used = (s: Spec): Set<unknown> =>
      new Set(
        portsOf(s)
          .map((p) => p['nodePort'])
          .filter((p) => typeof p === 'number' && p !== 0),
      )
    const kept = used(spec)
    const byName = new Map(portsOf(was).map((p) => [p['name'] ?? '', p['nodePort']]))
    for (const port of portsOf(spec)) {
      const previous = byName.get(port['name'] ?? '')
      if ((port['nodePort'] ?? 0) === 0 && typeof previous === 'number' && !kept.has(previous))
        port['nodePort'] = previous
    }
  }
  // normalizeClusterIPs on update.
  const oldIps = stringsOf(was['clusterIPs'])
  if (
    oldIps.length > 0 &&
    stringsOf(spec['clusterIPs']).length === 0 &&
    was['clusterIP'] === spec['clusterIP']
  )
    spec['clusterIPs'] = oldIps
  if (was['clusterIP'] !== spec['clusterIP']) {
    const sameIps = same(was['clusterIPs'], spec['clusterIPs'])
    if ((was['clusterIP'] ?? '') !== '' && (spec['clusterIP'] ?? '') === '') {
      if (sameIps) delete spec['clusterIPs']
    } else if (sameIps) spec['clusterIPs'] = [spec['clusterIP']]
  }
  if (!needsClusterIp(spec)) return externalName(spec)
  const ips = stringsOf(spec['clusterIPs'])
  // ValidateServiceClusterIPsRelatedFields: a set cluster IP may not change.
  if (needsClusterIp(was) && oldIps.length > 0 && ips[0] !== oldIps[0])
    return [invalidIps('spec.clusterIPs[0]', ips, 'may not change once set')]
  const causes = initIpFamilies(spec, was)
  if (causes.length > 0) return causes
  if (!needsClusterIp(was) || oldIps.length === 0) {
    const ipCauses = allocateClusterIp(spec, allocated, dryRun)
    if (ipCauses.length > 0) return ipCauses
  }
  return allocateNodePorts(spec, allocated)
}
