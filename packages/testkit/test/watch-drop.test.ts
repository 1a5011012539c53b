import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { json, openWatch, send } from './_client.js'

// `dropWatches()` cuts open watch streams so a client has to resume from its last
// resourceVersion; after `compact()` that resume is answered as the cacher does: 200 and an
// ERROR event with a 410 Expired Status (apiserver `pkg/storage/cacher/cacher.go`).
const cms = '/api/v1/namespaces/default/configmaps'

interface Event {
  type: string
  object: { metadata: { name?: string; resourceVersion: string }; code?: number; reason?: string }
}

describe('dropping watch connections', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true })
  })
  afterAll(() => server.close())

  async function create(name: string): Promise<string> {
    const created = json(await send(server, 'POST', cms, { metadata: { name } })) as Event['object']
    return created.metadata.resourceVersion
  }

  it.each([
    { given: 'reset' as const, want: 'reset' },
    { given: 'end' as const, want: 'end' },
  ])(
    'dropWatches($given) cuts every stream; a resume from the last resourceVersion misses nothing',
    async ({ given, want }) => {
      const from = await create(`${want}-a`)
      const watches = await Promise.all([
        openWatch(server, `${cms}?watch=true&resourceVersion=${from}`),
        openWatch(server, `${cms}?watch=true&resourceVersion=${from}`),
      ])
      await create(`${want}-b`)
      await Promise.all(watches.map((w) => w.waitFor(1)))
      expect(server.dropWatches(given)).toBe(2)
      await Promise.all(watches.map((w) => w.ended))
      await create(`${want}-c`)
      const last = (watches[0]?.events.at(-1) as Event).object.metadata.resourceVersion
      const resumed = await openWatch(server, `${cms}?watch=true&resourceVersion=${last}`)
      const events = (await resumed.waitFor(1)) as Event[]
      expect(events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`)).toEqual([
        `ADDED ${want}-c`,
      ])
      // Only the resumed stream is still open.
      expect(server.dropWatches('end')).toBe(1)
      await resumed.ended
    },
  )

  it('after compact() the resume is an ERROR event with a 410 Expired Status', async () => {
    const from = await create('compacted-a')
    await create('compacted-b')
    server.compact()
    const resumed = await openWatch(server, `${cms}?watch=true&resourceVersion=${from}`)
    const events = (await resumed.waitFor(1)) as Event[]
    await resumed.ended
    expect(resumed.status).toBe(200)
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }) as unknown,
      },
    ])
  })
})
