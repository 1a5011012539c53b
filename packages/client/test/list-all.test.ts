import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contextOf } from '../src/_transport.js'
import { createClient, isResourceExpired, type Client } from '../src/index.js'
import { listWhole } from '../src/list-all.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { iterate, write } from './_helpers.js'

// Every page of 2,500 ConfigMaps, as client-go's pager reads them, and its 410 fallback.
const total = 2500

describe('listAll / listPages', () => {
  let server: ApiServer
  let k8s: Client
  beforeAll(async () => {
    server = await startApiServer()
    k8s = await createClient({ kubeconfig: await server.kubeconfig() })
    const names = Array.from({ length: total }, (_, i) => `cm-${String(i).padStart(4, '0')}`)
    // 16 writes in flight: a few seconds on the emulator.
    for (let i = 0; i < names.length; i += 16) {
      await Promise.all(
        names.slice(i, i + 16).map((name, j) =>
          write(k8s, 'POST', '/api/v1/namespaces/default/configmaps', {
            metadata: { name, labels: { even: String((i + j) % 2 === 0) } },
          }),
        ),
      )
    }
  }, 120_000)
  afterAll(async () => {
    await k8s.close()
    await server.close()
  })

  const pageRequests = (): string[] =>
    server.requests
      .filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/default/configmaps')
      .map((r) => r.query)

  it.each([
    { given: { limit: 100 }, want: { items: total, pages: 25 } },
    { given: { limit: 1000 }, want: { items: total, pages: 3 } },
    { given: {}, want: { items: total, pages: 5 } },
    { given: { limit: 300, labelSelector: 'even=true' }, want: { items: 1250, pages: 5 } },
  ])('$given: every object once, in $want.pages pages', async ({ given, want }) => {
    server.clearRequests()
    const names: string[] = []
    for await (const item of k8s.listAll(ConfigMap, { namespace: 'default', ...given })) {
      names.push(item.metadata?.name ?? '')
    }
    expect(names).toHaveLength(want.items)
    expect(new Set(names).size).toBe(want.items)
    expect(names).toEqual([...names].sort())
    expect(pageRequests()).toHaveLength(want.pages)
  })

  it('a continue token expired mid-way falls back to one full list, yielding only what comes after', async () => {
    const pages = iterate(k8s.listPages(ConfigMap, { namespace: 'default', limit: 1000 }))
    const first = await pages.next()
    const firstItems = first.done === true ? [] : first.value.items
    // A write after page 1, then compaction: page 1's snapshot is gone (410 Expired).
    await write(k8s, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'cm-9999' },
    })
    server.compact()
    server.clearRequests()
    const rest = []
    for (let next = await pages.next(); next.done !== true; next = await pages.next())
      rest.push(next.value)
    expect(rest).toHaveLength(1)
    const names = [...firstItems, ...(rest[0]?.items ?? [])].map((i) => i.metadata?.name ?? '')
    expect(names).toHaveLength(total + 1)
    expect(new Set(names).size).toBe(total + 1)
    // The fallback page is a newer snapshot than page 1, and says so.
    expect(Number(rest[0]?.metadata?.resourceVersion)).toBeGreaterThan(
      Number(first.done === true ? 0 : first.value.metadata?.resourceVersion),
    )
    expect(pageRequests().map((q) => new URLSearchParams(q).has('continue'))).toEqual([true, false])
  })

  it("the watch's relist (listWhole) takes the full list instead of the pages when a token expires", async () => {
    // Pages 1 and 2 wait 1.5 s before the server reads them; meanwhile a write elsewhere and a
    // compaction make page 1's snapshot expire, so page 2 is a 410 (pager.go List's fallback).
    const path = '/api/v1/namespaces/default/configmaps'
    const remove = server.injectFault({ path, times: 2, kind: 'latency', ms: 1500 })
    server.clearRequests()
    try {
      const whole = listWhole(contextOf(k8s), ConfigMap, { namespace: 'default', limit: 1000 })
      await expect
        .poll(() => pageRequests().some((q) => q.includes('continue=')), { timeout: 10_000 })
        .toBe(true)
      await write(k8s, 'POST', '/api/v1/namespaces/kube-system/configmaps', {
        metadata: { name: 'elsewhere' },
      })
      server.compact()
      const list = await whole
      const names = list.items.map((i) => (i as ConfigMap).metadata?.name ?? '')
      expect(new Set(names).size).toBe(names.length)
      expect(names).toContain('cm-0000')
      expect(names).toContain('cm-2499')
      expect(pageRequests().map((q) => new URLSearchParams(q).get('limit'))).toEqual([
        '1000',
        '1000',
        null,
      ])
    } finally {
      remove()
    }
  })

  it('an expired resourceVersion on the first page is thrown (nothing to fall back from)', async () => {
    const iterator = iterate(
      k8s.listAll(ConfigMap, {
        namespace: 'default',
        limit: 10,
        resourceVersion: '2',
        resourceVersionMatch: 'Exact',
      }),
    )
    await expect(iterator.next()).rejects.toSatisfy(isResourceExpired)
  })
})
