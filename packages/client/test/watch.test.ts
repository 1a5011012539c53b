import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, isBadRequest, type Client, type WatchEvent } from '../src/index.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { Widget } from './generated/crd/example.dev/v1.js'
import { crdFile } from './helpers/cluster.js'
import { iterate, write } from './_helpers.js'

// Watch against the emulator: resume after a dropped connection, relist after 410, bookmarks,
// abort and break; decoding against a hand-written server.
const fast = { attempts: 5, initialDelayMs: 5, maxDelayMs: 20 }

function summary(events: WatchEvent<ConfigMap>[]): string[] {
  return events.map((e) =>
    e.type === 'BOOKMARK' ? 'BOOKMARK' : `${e.type} ${e.object.metadata?.name ?? ''}`,
  )
}

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const out: T[] = []
  while (out.length < count) {
    const next = await iterator.next()
    if (next.done === true) break
    out.push(next.value)
  }
  return out
}

describe('watch against the emulator', () => {
  let server: ApiServer
  let k8s: Client
  let namespace = 0
  beforeAll(async () => {
    server = await startApiServer({ bookmarkIntervalMs: 0 })
    k8s = await createClient({ kubeconfig: await server.kubeconfig() })
  })
  afterAll(async () => {
    await k8s.close()
    await server.close()
  })

  // Each test in its own namespace, so their watches see only their own objects.
  async function freshNamespace(): Promise<string> {
    const name = `w${++namespace}`
    await write(k8s, 'POST', '/api/v1/namespaces', { metadata: { name } })
    return name
  }
  const create = (namespace: string, name: string): Promise<ConfigMap> =>
    write<ConfigMap>(k8s, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, {
      metadata: { name },
    })

  it.each([{ given: 'reset' as const }, { given: 'end' as const }])(
    'after dropWatches($given) it resumes from the last resourceVersion without losing or repeating an event',
    async ({ given }) => {
      const ns = await freshNamespace()
      const events = iterate(k8s.watch(ConfigMap, { namespace: ns, retry: fast }))
      const pending = events.next()
      // The (empty) list is done and the watch open before 'a' exists.
      await expect.poll(() => server.openWatches, { timeout: 10_000 }).toBe(1)
      await create(ns, 'a')
      const first = [(await pending).value as WatchEvent<ConfigMap>]
      const seen = first[0]?.object.metadata?.resourceVersion
      expect(server.dropWatches(given)).toBe(1)
      await create(ns, 'b')
      const second = await take(events, 1)
      await events.return?.()
      expect(summary([...first, ...second])).toEqual(['ADDED a', 'ADDED b'])
      const watches = server.requests.filter(
        (r) => r.path.endsWith(`/namespaces/${ns}/configmaps`) && r.query.includes('watch=1'),
      )
      // The first watch starts from the initial list's resourceVersion, the second from 'a'.
      const versions = watches.map((r) => new URLSearchParams(r.query).get('resourceVersion'))
      expect(versions).toHaveLength(2)
      expect(Number(versions[0])).toBeLessThan(Number(seen))
      expect(versions[1]).toBe(seen)
    },
  )

  it('a server-side timeout (timeoutSeconds) ends the stream cleanly: it reconnects without spending the retry budget', async () => {
    const ns = await freshNamespace()
    // No retries at all: only a clean end may reconnect.
    const events = iterate(
      k8s.watch(ConfigMap, { namespace: ns, timeoutSeconds: 1, retry: { attempts: 0 } }),
    )
    const pending = events.next()
    const watches = (): number =>
      server.requests.filter(
        (r) => r.path.endsWith(`/namespaces/${ns}/configmaps`) && r.query.includes('watch=1'),
      ).length
    await expect.poll(watches, { timeout: 20_000 }).toBeGreaterThanOrEqual(3)
    await create(ns, 'late')
    expect(summary([(await pending).value as WatchEvent<ConfigMap>])).toEqual(['ADDED late'])
    await events.return?.()
  })

  it('after a 410 it relists: DELETED for what vanished, MODIFIED for what changed, ADDED for what is new, then watches on', async () => {
    const ns = await freshNamespace()
    await create(ns, 'stays')
    await create(ns, 'changes')
    await create(ns, 'goes')
    const events = iterate(k8s.watch(ConfigMap, { namespace: ns, retry: fast }))
    expect(summary(await take(events, 3))).toEqual(['ADDED changes', 'ADDED goes', 'ADDED stays'])
    // While the consumer holds the iterator, the connection drops and history is compacted:
    // the resume from its resourceVersion answers an ERROR 410.
    server.dropWatches()
    await write(k8s, 'DELETE', `/api/v1/namespaces/${ns}/configmaps/goes`)
    await write(k8s, 'PUT', `/api/v1/namespaces/${ns}/configmaps/changes`, {
      metadata: { name: 'changes' },
      data: { v: '2' },
    })
    await create(ns, 'new')
    server.compact()
    expect(summary(await take(events, 3))).toEqual([
      'MODIFIED changes',
      'ADDED new',
      'DELETED goes',
    ])
    await create(ns, 'later')
    expect(summary(await take(events, 1))).toEqual(['ADDED later'])
    await events.return?.()
  })

  it('a watch from a compacted resourceVersion relists at once (an HTTP-level 410 does the same)', async () => {
    const ns = await freshNamespace()
    const created = await create(ns, 'x')
    await create(ns, 'y')
    server.compact()
    const events = iterate(
      k8s.watch(ConfigMap, {
        namespace: ns,
        resourceVersion: created.metadata?.resourceVersion ?? '',
        retry: fast,
      }),
    )
    // Nothing was delivered before, so every listed object is new to this watch.
    expect(summary(await take(events, 2))).toEqual(['ADDED x', 'ADDED y'])
    await events.return?.()
  })

  it('bookmarks are yielded and a resume starts from the bookmark', async () => {
    const bookmarking = await startApiServer({ bookmarkIntervalMs: 20 })
    const client = await createClient({ kubeconfig: await bookmarking.kubeconfig() })
    try {
      const events = iterate(client.watch(ConfigMap, { namespace: 'default', retry: fast }))
      const [bookmark] = await take(events, 1)
      expect(bookmark?.type).toBe('BOOKMARK')
      bookmarking.dropWatches()
      const watches = () => bookmarking.requests.filter((r) => r.query.includes('watch=1'))
      // Bookmarks already read before the drop come first; read on until the resume happened.
      for (let i = 0; i < 100 && watches().length < 2; i++) await take(events, 1)
      await events.return?.()
      const resumed = watches()[1]
      expect(new URLSearchParams(resumed?.query).get('resourceVersion')).toBe(
        bookmark?.object.metadata?.resourceVersion,
      )
      expect(new URLSearchParams(resumed?.query).get('allowWatchBookmarks')).toBe('true')
    } finally {
      await client.close()
      await bookmarking.close()
    }
  })

  it.each([{ given: 'break (return())' }, { given: 'an abort while waiting' }])(
    '$given ends the iteration and closes the connection',
    async ({ given }) => {
      const ns = await freshNamespace()
      const controller = new AbortController()
      const events = iterate(
        k8s.watch(ConfigMap, { namespace: ns, signal: controller.signal, retry: fast }),
      )
      await create(ns, 'listed')
      expect(summary(await take(events, 1))).toEqual(['ADDED listed'])
      const pending = events.next()
      await expect.poll(() => server.openWatches, { timeout: 10_000 }).toBe(1)
      if (given.startsWith('break')) {
        await create(ns, 'watched')
        expect(summary([(await pending).value as WatchEvent<ConfigMap>])).toEqual(['ADDED watched'])
        expect(await events.return?.()).toEqual({ done: true, value: undefined })
      } else {
        controller.abort()
        expect(await pending).toEqual({ done: true, value: undefined })
      }
      await expect.poll(() => server.openWatches, { timeout: 10_000 }).toBe(0)
    },
  )

  it('sendInitialEvents: the state as ADDED, the initial-events-end bookmark, then changes', async () => {
    const ns = await freshNamespace()
    await create(ns, 'before')
    const events = iterate(
      k8s.watch(ConfigMap, { namespace: ns, sendInitialEvents: true, retry: fast }),
    )
    const initial = await take(events, 2)
    expect(summary(initial)).toEqual(['ADDED before', 'BOOKMARK'])
    const bookmark = initial[1]
    expect(bookmark?.type === 'BOOKMARK' && bookmark.object.metadata.annotations).toEqual({
      'k8s.io/initial-events-end': 'true',
    })
    await create(ns, 'after')
    expect(summary(await take(events, 1))).toEqual(['ADDED after'])
    await events.return?.()
    const watches = server.requests.filter(
      (r) => r.path.endsWith(`/namespaces/${ns}/configmaps`) && r.method === 'GET',
    )
    // No list first: the initial events are the list.
    expect(watches.map((r) => new URLSearchParams(r.query).get('sendInitialEvents'))).toEqual([
      'true',
    ])
  })

  it('a kind the cluster does not serve is K8S_CODEGEN_CLIENT_KIND_NOT_SERVED, not a retry', async () => {
    const events = k8s.watch(Widget, { namespace: 'default', retry: fast })
    await expect(take(iterate(events), 1)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED',
    })
  })

  it('a custom resource is watched like a built-in (example.dev/v1 Widget)', async () => {
    const crds = await startApiServer({ crds: [crdFile] })
    const client = await createClient({ kubeconfig: await crds.kubeconfig() })
    try {
      const events = iterate(client.watch(Widget, { namespace: 'default', retry: fast }))
      const pending = events.next()
      await expect.poll(() => crds.openWatches, { timeout: 10_000 }).toBe(1)
      await write(client, 'POST', '/apis/example.dev/v1/namespaces/default/widgets', {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 1, replicas: 1, mode: 'fast' },
      })
      const event = (await pending).value as WatchEvent<Widget>
      expect(event.type === 'ADDED' && event.object.spec).toEqual({
        size: 1,
        replicas: 1,
        mode: 'fast',
      })
      await events.return?.()
    } finally {
      await client.close()
      await crds.close()
    }
  })

  it('a 400 (a field the server cannot select on) is thrown at once, never retried', async () => {
    server.clearRequests()
    const events = k8s.watch(ConfigMap, {
      namespace: 'default',
      fieldSelector: 'data.x=1',
      retry: fast,
    })
    await expect(take(iterate(events), 1)).rejects.toSatisfy(isBadRequest)
    expect(server.requests).toHaveLength(1)
  })

  it('a selector that does not parse is refused before anything is sent', async () => {
    server.clearRequests()
    const events = k8s.watch(ConfigMap, { namespace: 'default', labelSelector: 'a in (b' })
    await expect(take(iterate(events), 1)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLIENT_INVALID_SELECTOR',
    })
    expect(server.requests).toHaveLength(0)
  })

  it('a label selector object selects like its string form', async () => {
    const ns = await freshNamespace()
    await write(k8s, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'web', labels: { app: 'web' } },
    })
    await create(ns, 'other')
    const events = iterate(
      k8s.watch(ConfigMap, { namespace: ns, labelSelector: { matchLabels: { app: 'web' } } }),
    )
    expect(summary(await take(events, 1))).toEqual(['ADDED web'])
    await events.return?.()
  })
})

describe('watch against a hand-written server', () => {
  let server: Server
  // What the next watch requests get, in order (a string is a 200 body); the last one repeats.
  let bodies: (string | { status: number; body: string })[] = []
  let served = 0
  // Lists (requests without watch=1) get this.
  const list = JSON.stringify({
    kind: 'ConfigMapList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '9' },
    items: [{ metadata: { name: 'listed', resourceVersion: '8' } }],
  })
  const work = mkdtempSync(join(tmpdir(), 'client-watch-'))
  let kubeconfig = ''
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.includes('watch=1') !== true) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(list)
        return
      }
      const next = bodies[Math.min(served++, bodies.length - 1)] ?? ''
      const { status, body } = typeof next === 'string' ? { status: 200, body: next } : next
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    kubeconfig = join(work, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`,
    )
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(work, { recursive: true, force: true })
  })

  it.each([
    { given: 'not JSON\n', want: 'is not a watch event' },
    { given: '{"type":"SURPRISE","object":{}}\n', want: 'is not a watch event' },
    {
      given: '{"type":"ADDED","object":{"metadata":{}}}\n',
      want: 'without metadata.resourceVersion',
    },
    {
      given: `{"type":"ADDED","object":{"data":"${'x'.repeat(2048)}"}}\n`,
      want: 'longer than 1024 bytes',
    },
  ])('$want: a coded error, not a retry', async ({ given, want }) => {
    bodies = [given]
    served = 0
    const client = await createClient({ kubeconfig })
    try {
      // From a resourceVersion, so the first request is the watch (no initial list).
      const events = client.watch(ConfigMap, {
        namespace: 'default',
        resourceVersion: '1',
        maxEventBytes: 1024,
        retry: fast,
      })
      await expect(take(iterate(events), 1)).rejects.toMatchObject({
        code: 'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
        message: expect.stringContaining(want) as unknown,
      })
    } finally {
      await client.close()
    }
  })

  const status = (code: number, reason: string): string =>
    JSON.stringify({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason,
        code,
        message: reason,
      },
    }) + '\n'
  const added = '{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"7"}}}\n'

  it('a bad line after events of the same chunk: the events first, then the coded error', async () => {
    bodies = [`${added}not JSON\n`]
    served = 0
    const client = await createClient({ kubeconfig })
    try {
      const events = iterate(
        client.watch(ConfigMap, { namespace: 'default', resourceVersion: '1', retry: fast }),
      )
      expect(summary(await take(events, 1))).toEqual(['ADDED a'])
      await expect(events.next()).rejects.toMatchObject({
        code: 'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
        message: expect.stringContaining('is not a watch event') as unknown,
      })
      // Not retried: the same bytes would come again.
      expect(served).toBe(1)
      expect(await events.next()).toEqual({ done: true, value: undefined })
    } finally {
      await client.close()
    }
  })

  it('an HTTP 410 relists and watches on from the list', async () => {
    const gone = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    }
    bodies = [{ status: 410, body: JSON.stringify(gone) }, added]
    served = 0
    const client = await createClient({ kubeconfig })
    try {
      const events = iterate(
        client.watch(ConfigMap, { namespace: 'default', resourceVersion: '1', retry: fast }),
      )
      expect(summary(await take(events, 2))).toEqual(['ADDED listed', 'ADDED a'])
      await events.return?.()
    } finally {
      await client.close()
    }
  })

  it.each([
    { given: [status(500, 'InternalError'), added], want: { events: ['ADDED a'], requests: 2 } },
    { given: [status(504, 'Timeout'), '', added], want: { events: ['ADDED a'], requests: 3 } },
  ])('an ERROR event with code $given.0 is retried (retrywatcher.go)', async ({ given, want }) => {
    bodies = given
    served = 0
    const client = await createClient({ kubeconfig })
    try {
      const events = iterate(
        client.watch(ConfigMap, { namespace: 'default', resourceVersion: '1', retry: fast }),
      )
      expect(summary(await take(events, 1))).toEqual(want.events)
      await events.return?.()
      expect(served).toBe(want.requests)
    } finally {
      await client.close()
    }
  })

  it.each([
    { given: status(403, 'Forbidden'), want: { statusCode: 403, requests: 1 } },
    { given: status(500, 'InternalError'), want: { statusCode: 500, requests: 6 } },
  ])(
    'ERROR $want.statusCode: thrown as a StatusError after $want.requests request(s)',
    async ({ given, want }) => {
      bodies = [given]
      served = 0
      const client = await createClient({ kubeconfig })
      try {
        const events = client.watch(ConfigMap, {
          namespace: 'default',
          resourceVersion: '1',
          retry: fast,
        })
        await expect(take(iterate(events), 1)).rejects.toMatchObject({
          code: 'K8S_CODEGEN_CLIENT_STATUS',
          statusCode: want.statusCode,
        })
        // The budget (5 attempts after the first) spent, or no retry at all for a 4xx.
        expect(served).toBe(want.requests)
      } finally {
        await client.close()
      }
    },
  )
})
