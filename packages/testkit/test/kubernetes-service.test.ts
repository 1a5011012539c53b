import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { createKubernetesService } from '../src/kubernetes-service.js'
import { kubernetes113Profile } from '../src/profile.js'
import { Registry } from '../src/registry.js'
import { ResourceCatalog } from '../src/resource-catalog.js'
import { SpecRegistry } from '../src/spec-registry.js'
import { ObjectStore } from '../src/store.js'
import { get, json, send } from './_client.js'
import { kubectlMinor, runKubectl } from './_kubectl.js'

// The `kubernetes` Service kube-apiserver's controller creates in `default`
// (src/kubernetes-service.ts). The server-parity row "the default namespace holds the
// kubernetes Service …" compares it with kube-apiserver's; these rows check what that row
// abstracts (the target is this server's own port) on both profiles, and that its address stays
// kept from other Services.
const work = mkdtempSync(join(tmpdir(), 'k8s-codegen-kubernetes-service-'))
const servers: ApiServer[] = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  rmSync(work, { recursive: true, force: true })
})

const rows: { given: 'recorded' | 'kubernetes-1.13'; want: { clusterIP: string } }[] = [
  { given: 'recorded', want: { clusterIP: '10.0.0.1' } },
  { given: 'kubernetes-1.13', want: { clusterIP: '10.0.0.1' } },
]

describe('the kubernetes Service', () => {
  it.each(rows)(
    'on the $given profile targets the port the server listens on',
    async ({ given, want }) => {
      const server = await startApiServer({ profile: given })
      servers.push(server)
      const service = json(await get(server, '/api/v1/namespaces/default/services/kubernetes')) as {
        spec: { clusterIP: string; ports: unknown[] }
      }
      expect(service.spec.clusterIP).toBe(want.clusterIP)
      expect(service.spec.ports).toEqual([
        { name: 'https', protocol: 'TCP', port: 443, targetPort: Number(new URL(server.url).port) },
      ])
    },
  )

  it('keeps its address from another Service, even once it is deleted', async () => {
    const server = await startApiServer({ profile: 'kubernetes-1.13' })
    servers.push(server)
    const create = () =>
      send(server, 'POST', '/api/v1/namespaces/default/services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] },
      })
    expect((await create()).status).toBe(422)
    const deleted = await send(server, 'DELETE', '/api/v1/namespaces/default/services/kubernetes')
    expect(deleted.status).toBe(200)
    expect((await create()).status).toBe(422)
  })

  // controller.go Run: the loop ticks every 10 s from the start and creates the Service when it
  // is missing; on fake timers, on the controller alone.
  it("is created again at the loop's next tick after a delete, and never before", async () => {
    vi.useFakeTimers()
    try {
      const catalog = new ResourceCatalog(new SpecRegistry(kubernetes113Profile()))
      const services = catalog.get('', 'v1', 'services')
      if (services === undefined) throw new Error('the 1.13 profile serves no Services')
      const store = new ObjectStore({ historyWindow: 1000 })
      const registry = new Registry(store, () => undefined)
      const namespaces = catalog.get('', 'v1', 'namespaces')
      if (namespaces === undefined) throw new Error('the 1.13 profile serves no Namespaces')
      registry.create(
        namespaces,
        '',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
        {
          dryRun: false,
          fieldManager: 'test',
          fieldValidation: 'Ignore',
          warnings: [],
        },
      )
      const controller = createKubernetesService(registry, catalog)
      controller.listeningOn(6443)
      const live = () => store.get('/services', 'default', 'kubernetes')
      await vi.advanceTimersByTimeAsync(4_000)
      registry.delete(services, 'default', 'kubernetes', { dryRun: false })
      expect(live()).toBeUndefined()
      await vi.advanceTimersByTimeAsync(5_990)
      expect(live()).toBeUndefined()
      await vi.advanceTimersByTimeAsync(10)
      expect(live()?.['spec']).toMatchObject({
        clusterIP: '10.0.0.1',
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      })
      controller.stop()
      registry.delete(services, 'default', 'kubernetes', { dryRun: false })
      await vi.advanceTimersByTimeAsync(20_000)
      expect(live()).toBeUndefined()
    } finally {
      vi.useRealTimers()
    }
  })

  it.skipIf(kubectlMinor() === undefined)(
    'kubectl get svc lists it in a fresh cluster (skipped without kubectl on PATH)',
    async () => {
      const server = await startApiServer({ profile: 'kubernetes-1.13' })
      servers.push(server)
      const kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
      const { stdout, code } = await runKubectl(kubeconfig, work, [
        'get',
        'svc',
        '-A',
        '--no-headers',
      ])
      expect(code).toBe(0)
      expect(stdout.split(/\s+/).slice(0, 6)).toEqual([
        'default',
        'kubernetes',
        'ClusterIP',
        '10.0.0.1',
        '<none>',
        '443/TCP',
      ])
    },
  )
})
