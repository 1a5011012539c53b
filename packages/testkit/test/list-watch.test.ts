import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, openWatch, send } from './_client.js'

// List and watch as apiserver `pkg/storage/etcd3` and `pkg/storage/cacher` serve them.
interface List {
  kind: string
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }
  items: { metadata: { name: string; resourceVersion: string } }[]
}

const cms = '/api/v1/namespaces/default/configmaps'
const names = (list: List): string[] => list.items.map((i) => i.metadata.name)

describe('list', () => {
  let server: ApiServer
  let createdAt = 0
  beforeAll(async () => {
    server = await startApiServer({ http: true })
    for (const [name, labels] of [
      ['a', { app: 'web', tier: 'front' }],
      ['b', { app: 'web', tier: 'back' }],
      ['c', { app: 'db' }],
      ['d', {}],
      ['e', { app: 'web', canary: 'true' }],
    ] as const) {
      const response = await send(server, 'POST', cms, { metadata: { name, labels } })
      createdAt = Number((json(response) as List['items'][number]).metadata.resourceVersion)
    }
  })
  afterAll(() => server.close())

  it.each([
    { given: 'app=web', want: ['a', 'b', 'e'] },
    { given: 'app==web,tier!=back', want: ['a', 'e'] },
    { given: 'app in (web,db),!canary', want: ['a', 'b', 'c'] },
    { given: 'app notin (web)', want: ['c', 'd'] },
    { given: 'tier', want: ['a', 'b'] },
    { given: '!app', want: ['d'] },
  ])('labelSelector $given', async ({ given, want }) => {
    const list = json(
      await get(server, `${cms}?labelSelector=${encodeURIComponent(given)}`),
    ) as List
    expect(names(list)).toEqual(want)
  })

  it.each([
    { given: 'metadata.name=c', want: ['c'] },
    { given: 'metadata.name!=c,metadata.namespace=default', want: ['a', 'b', 'd', 'e'] },
  ])('fieldSelector $given', async ({ given, want }) => {
    const list = json(
      await get(server, `${cms}?fieldSelector=${encodeURIComponent(given)}`),
    ) as List
    expect(names(list)).toEqual(want)
  })

  it.each([
    { given: 'labelSelector=app%20in%20(web', want: 'unable to parse requirement' },
    {
      given: 'fieldSelector=data.x%3D1',
      want: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
  ])('a bad selector ($given) is a 400 BadRequest', async ({ given, want }) => {
    const response = await get(server, `${cms}?${given}`)
    expect(response.status).toBe(400)
    expect(json(response)).toMatchObject({
      reason: 'BadRequest',
      message: expect.stringContaining(want) as unknown,
    })
  })

  it('limit/continue pages through a consistent snapshot, counting what remains', async () => {
    const first = json(await get(server, `${cms}?limit=2`)) as List
    expect(names(first)).toEqual(['a', 'b'])
    expect(first.metadata.remainingItemCount).toBe(3)
    // A write between pages does not show up: the continue token pins the revision.
    await send(server, 'POST', cms, { metadata: { name: 'bb' } })
    const second = json(
      await get(server, `${cms}?limit=2&continue=${first.metadata.continue ?? ''}`),
    ) as List
    expect(names(second)).toEqual(['c', 'd'])
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion)
    const third = json(
      await get(server, `${cms}?limit=2&continue=${second.metadata.continue ?? ''}`),
    ) as List
    expect(names(third)).toEqual(['e'])
    expect(third.metadata.continue).toBeUndefined()
    await send(server, 'DELETE', `${cms}/bb`)
  })

  it('a continue token from before a compaction is 410 Expired with a fresh token', async () => {
    const first = json(await get(server, `${cms}?limit=1`)) as List
    await send(server, 'POST', cms, { metadata: { name: 'compact-me' } })
    server.compact()
    const response = await get(server, `${cms}?limit=1&continue=${first.metadata.continue ?? ''}`)
    expect(response.status).toBe(410)
    expect(json(response)).toMatchObject({
      reason: 'Expired',
      code: 410,
      message: expect.stringContaining('The provided continue parameter is too old') as unknown,
      metadata: { continue: expect.any(String) as unknown },
    })
    await send(server, 'DELETE', `${cms}/compact-me`)
  })

  it.each([
    { given: 'resourceVersion=0&limit=1', want: { status: 200, count: 5 } },
    { given: 'resourceVersionMatch=Exact', want: { status: 422, count: 0 } },
    { given: 'resourceVersion=999999999', want: { status: 504, count: 0 } },
    { given: 'resourceVersion=1&resourceVersionMatch=Exact', want: { status: 410, count: 0 } },
  ])('resourceVersion semantics: $given → $want.status', async ({ given, want }) => {
    const response = await get(server, `${cms}?${given}`)
    expect(response.status).toBe(want.status)
    if (want.status === 200) expect((json(response) as List).items).toHaveLength(want.count)
  })

  it('resourceVersionMatch=Exact lists the collection as it was', async () => {
    const before = json(await get(server, cms)) as List
    await send(server, 'POST', cms, { metadata: { name: 'later' } })
    const exact = json(
      await get(
        server,
        `${cms}?resourceVersion=${before.metadata.resourceVersion}&resourceVersionMatch=Exact`,
      ),
    ) as List
    expect(names(exact)).toEqual(names(before))
    expect(createdAt).toBeGreaterThan(0)
    await send(server, 'DELETE', `${cms}/later`)
  })

  it.each([
    {
      given: 'a ConfigMap (printers.go printConfigMap)',
      path: cms,
      body: { metadata: { name: 'table' }, data: { k: 'v' } },
      want: {
        columns: ['Name', 'Data', 'Age'],
        cells: ['table', 1, expect.stringMatching(/^\d+s$/)],
      },
    },
    {
      given: 'a LimitRange, which has no printer: the default Name and Created At',
      path: '/api/v1/namespaces/default/limitranges',
      body: { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container' }] } },
      want: {
        columns: ['Name', 'Created At'],
        cells: ['l', expect.stringMatching(/^\d{4}-\d\d-\d\dT/)],
      },
    },
  ])(
    'a Table (Accept as=Table) of $given: its columns and metadata rows',
    async ({ path, body, want }) => {
      await send(server, 'POST', path, body)
      const response = await get(
        server,
        `${path}?fieldSelector=metadata.name%3D${body.metadata.name}`,
        {
          headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
        },
      )
      await send(server, 'DELETE', `${path}/${body.metadata.name}`)
      const table = json(response) as { columnDefinitions: { name: string }[] }
      expect(table.columnDefinitions.map((c) => c.name)).toEqual(want.columns)
      expect(table).toMatchObject({
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        rows: [
          {
            cells: want.cells,
            object: { kind: 'PartialObjectMetadata', metadata: { name: body.metadata.name } },
          },
        ],
      })
    },
  )
})

describe('watch', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, bookmarkIntervalMs: 100, historyWindow: 20 })
  })
  afterAll(() => server.close())

  it('without a resourceVersion: ADDED for the current state, then changes as they happen', async () => {
    await send(server, 'POST', cms, { metadata: { name: 'w1' } })
    const watch = await openWatch(server, `${cms}?watch=true&fieldSelector=metadata.name%3Dw1`)
    expect(watch.status).toBe(200)
    await watch.waitFor(1)
    await send(
      server,
      'PATCH',
      `${cms}/w1`,
      { data: { x: '1' } },
      { 'content-type': 'application/merge-patch+json' },
    )
    await send(server, 'DELETE', `${cms}/w1`)
    const events = await watch.waitFor(3)
    watch.close()
    expect(
      events.map((e) => `${e.type} ${(e.object['metadata'] as { name: string }).name}`),
    ).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1'])
    expect(events[1]?.object).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { x: '1' },
    })
  })

  it('resumes from a resourceVersion, and a label change moves objects in and out of the selection', async () => {
    const start = json(await get(server, cms)) as List
    await send(server, 'POST', cms, { metadata: { name: 'sel', labels: { watched: 'no' } } })
    await send(
      server,
      'PATCH',
      `${cms}/sel`,
      { metadata: { labels: { watched: 'yes' } } },
      { 'content-type': 'application/merge-patch+json' },
    )
    await send(
      server,
      'PATCH',
      `${cms}/sel`,
      { metadata: { labels: { watched: 'no' } } },
      { 'content-type': 'application/merge-patch+json' },
    )
    const watch = await openWatch(
      server,
      `${cms}?watch=1&resourceVersion=${start.metadata.resourceVersion}&labelSelector=watched%3Dyes`,
    )
    const events = await watch.waitFor(2)
    watch.close()
    // The cacher turns "started matching" into ADDED and "stopped matching" into DELETED.
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED'])
  })

  it('BOOKMARK events carry the current resourceVersion when allowWatchBookmarks=true', async () => {
    const list = json(await get(server, cms)) as List
    const watch = await openWatch(
      server,
      `${cms}?watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`,
    )
    const [event] = await watch.waitFor(1)
    watch.close()
    expect(event).toMatchObject({
      type: 'BOOKMARK',
      object: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: expect.stringMatching(/^\d+$/) as unknown },
      },
    })
  })

  it('sendInitialEvents streams the state, then a bookmark marked initial-events-end', async () => {
    await send(server, 'POST', cms, { metadata: { name: 'initial' } })
    const watch = await openWatch(
      server,
      `${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dinitial`,
    )
    const events = await watch.waitFor(2)
    watch.close()
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'initial' } } })
    expect(events[1]).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    })
  })

  it('sendInitialEvents without resourceVersionMatch=NotOlderThan is 422 Invalid', async () => {
    const response = await get(
      server,
      `${cms}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`,
    )
    expect(response.status).toBe(422)
    expect(json(response)).toMatchObject({
      reason: 'Invalid',
      details: { kind: 'ListOptions', group: 'meta.k8s.io' },
    })
  })

  it('a resourceVersion older than the history window gets 200 and an ERROR event with 410 Expired', async () => {
    for (let i = 0; i < 30; i += 1)
      await send(server, 'POST', cms, { metadata: { name: `churn-${i}` } })
    const watch = await openWatch(server, `${cms}?watch=true&resourceVersion=2`)
    const [event] = await watch.waitFor(1)
    await watch.ended
    expect(watch.status).toBe(200)
    expect(event).toMatchObject({
      type: 'ERROR',
      object: {
        kind: 'Status',
        reason: 'Expired',
        code: 410,
        message: expect.stringMatching(/^too old resource version: 2 \(\d+\)$/) as unknown,
      },
    })
  })

  it.each(['True', '', 'yes'])(
    'watch=%j is a watch: any value but 0 or false is true (regression: python3-kubernetes sends True)',
    async (value) => {
      const watch = await openWatch(
        server,
        `${cms}?watch=${value}&timeoutSeconds=1&fieldSelector=metadata.name%3Dnone`,
      )
      await watch.ended
      expect(watch.status).toBe(200)
    },
  )

  it('the watch head is sent before any event (regression: clients waited for the first event)', async () => {
    const list = json(await get(server, cms)) as List
    const opened = openWatch(
      server,
      `${cms}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    )
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), 10_000),
    )
    const first = await Promise.race([opened, timeout])
    expect(first).not.toBe('timeout')
    ;(await opened).close()
  })

  it('watch=false is a list', async () => {
    expect(json(await get(server, `${cms}?watch=false&limit=1`))).toMatchObject({
      kind: 'ConfigMapList',
    })
  })

  it('timeoutSeconds ends the stream', async () => {
    const watch = await openWatch(
      server,
      `${cms}?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dnone`,
    )
    await watch.ended
    expect(watch.events).toEqual([])
  })
})
