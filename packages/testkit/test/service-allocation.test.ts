import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allocateOnCreate,
  allocateOnUpdate,
  allocatedBy,
  defaultService,
} from '../src/service-allocation.js'

// kubernetes pkg/registry/core/service/ipallocator and portallocator on the emulator's service
// CIDR (10.0.0.0/24, the first address the `kubernetes` Service's) and node port range
// (30000-32767). The server-parity table `services` compares single writes with kube-apiserver;
// these check what many writes do.
const service = (spec: Record<string, unknown>): Record<string, unknown> => {
  const object = { metadata: { name: 's' }, spec: structuredClone(spec) }
  defaultService(object)
  return object
}
const hostOf = (ip: string): number => Number(ip.split('.')[3])

describe('Service allocation', () => {
  it('hands out every address of the range once, never the network, broadcast or 10.0.0.1, then is full', () => {
    const stored: Record<string, unknown>[] = []
    for (let i = 0; i < 253; i++) {
      const next = service({ ports: [{ port: 80 }] })
      expect(allocateOnCreate(next, allocatedBy(stored), false)).toEqual([])
      stored.push(next)
    }
    const hosts = stored.map((s) => hostOf((s['spec'] as { clusterIP: string }).clusterIP))
    expect(new Set(hosts).size).toBe(253)
    expect(Math.min(...hosts)).toBe(2)
    expect(Math.max(...hosts)).toBe(254)
    const causes = allocateOnCreate(service({ ports: [{ port: 80 }] }), allocatedBy(stored), false)
    expect(causes.map((c) => c.field)).toEqual(['spec.clusterIPs'])
  })

  it('allocates above the static band (10.0.0.1-16) while it has room', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (count) => {
        const stored: Record<string, unknown>[] = []
        for (let i = 0; i < count; i++) {
          const next = service({
            type: 'NodePort',
            ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }],
          })
          expect(allocateOnCreate(next, allocatedBy(stored), false)).toEqual([])
          stored.push(next)
        }
        const spec = (
          s: Record<string, unknown>,
        ): { clusterIP: string; ports: { nodePort: number }[] } =>
          s['spec'] as { clusterIP: string; ports: { nodePort: number }[] }
        for (const s of stored) expect(hostOf(spec(s).clusterIP)).toBeGreaterThanOrEqual(17)
        const ports = stored.flatMap((s) => spec(s).ports.map((p) => p.nodePort))
        expect(new Set(ports).size).toBe(ports.length)
        for (const port of ports) {
          expect(port).toBeGreaterThanOrEqual(30000 + 86)
          expect(port).toBeLessThanOrEqual(32767)
        }
      }),
      { numRuns: 20 },
    )
  })

  it.each([
    {
      name: 'a dual-stack policy on a single-stack cluster',
      given: { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] },
      want: 'spec.ipFamilyPolicy',
    },
    {
      name: 'an IPv6 family on an IPv4 cluster',
      given: { ipFamilies: ['IPv6'], ports: [{ port: 80 }] },
      want: 'spec.ipFamilies[0]',
    },
    {
      name: 'a node port outside the range',
      given: { type: 'NodePort', ports: [{ port: 80, nodePort: 29999 }] },
      want: 'spec.ports[0].nodePort',
    },
  ])('refuses $name', ({ given, want }) => {
    expect(allocateOnCreate(service(given), allocatedBy([]), false).map((c) => c.field)).toEqual([
      want,
    ])
  })

  it('keeps the cluster IP and node ports of an update that leaves them out', () => {
    const live = service({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] })
    allocateOnCreate(live, allocatedBy([]), false)
    const next = service({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] })
    expect(allocateOnUpdate(next, live, allocatedBy([]), false)).toEqual([])
    expect(next['spec']).toEqual(live['spec'])
  })
})
