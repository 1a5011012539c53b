// A list or a bookmark answers the store's current revision, which every write of any client
// moves (the real kube-apiserver's own lease renewals, another test on a loaded machine):
// apimachinery's resourceVersion is opaque to a client and only equal for the same object
// version. So a parity row's transcript must not change when another client writes between its
// steps, and must still differ when the emulator answers a wrong item set or order.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get } from '../_client.js'
import { Normaliser } from './_normalise.js'
import { differingParts, runScenario, type ParityServer } from './_scenario.js'
import { emulator, kubeApiserver } from './_servers.js'
import { parityTables } from './_tables.js'

const real = kubeApiserver()
const elsewhere = 'parity-other-client'

// Creates a ConfigMap in another namespace before every step: the store's revision moves on
// between the steps, as a background write of the apiserver moves it.
const otherClient =
  (server: ParityServer): (() => Promise<void>) =>
  async () => {
    const created = await get(server, `/api/v1/namespaces/${elsewhere}/configmaps`, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'w-' } },
    })
    if (created.status !== 201) throw new Error(`other client: ${created.status}`)
  }

function recorded(table: string, name: string): unknown {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return JSON.parse(
    readFileSync(new URL(`./recorded/${table}/${slug}.json`, import.meta.url), 'utf8'),
  )
}

const servers: { name: string; start: () => Promise<ParityServer>; skip?: string }[] = [
  emulator,
  real,
]
let started: (ParityServer | undefined)[] = []
let scenarios = 0
beforeAll(async () => {
  started = await Promise.all(
    servers.map(async (server) => {
      if (server.skip !== undefined) return undefined
      const running = await server.start()
      await get(running, '/api/v1/namespaces', {
        method: 'POST',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: elsewhere } },
      })
      return running
    }),
  )
}, 180_000)
afterAll(async () => {
  await Promise.all(started.flatMap((server) => (server === undefined ? [] : [server.close()])))
})

// Every row but discovery's (whose documents name no revision).
const rows = Object.entries(parityTables)
  .filter(([table]) => table !== 'discoveries')
  .flatMap(([table, tableRows]) => tableRows.map((row) => ({ table, row })))
const lists = parityTables['lists'] ?? []

describe.each(servers.map((server, index) => ({ server: server.name, index })))(
  '$server, another client writing between the steps',
  ({ server, index }) => {
    const skip = servers[index]?.skip
    if (skip !== undefined) console.warn(`${server} rows skipped: ${skip}`)
    it.skipIf(skip !== undefined).each(rows)('$table: $row.given.name', async ({ table, row }) => {
      const running = started[index]
      if (running === undefined) throw new Error(`${server} did not start`)
      const transcript = await runScenario(running, row.given, `other-${++scenarios}`, {
        between: otherClient(running),
      })
      // The emulator differs from the recording only where its row says; kube-apiserver not at all.
      const want = server === 'emulator' ? (row.want?.differences ?? []) : []
      expect(differingParts(transcript, recorded(table, row.given.name))).toEqual(want)
    })
  },
)

// An emulator answering a wrong list, behind the same other client: the row still fails.
const labelSelectors = lists.find((row) => row.given.name.startsWith('label selectors'))
const wrongLists: {
  given: { name: string; rewrite: (items: unknown[]) => unknown[] }
  want: string[]
}[] = [
  {
    given: { name: 'items in reverse order', rewrite: (items) => items.toReversed() },
    want: [
      '#1.body.items[].data',
      '#1.body.items[].metadata',
      '#2.body.items[].data',
      '#2.body.items[].metadata',
      '#3.body.items[].metadata',
    ],
  },
  {
    given: { name: 'the last item missing', rewrite: (items) => items.slice(0, -1) },
    want: [
      '#0.body.items[]',
      '#1.body.items[]',
      '#1.body.items[].metadata',
      '#2.body.items[]',
      '#2.body.items[].metadata',
      '#3.body.items[]',
    ],
  },
]
describe('an emulator answering a wrong list, another client writing between the steps', () => {
  it.each(wrongLists)('$given.name', async ({ given, want }) => {
    const running = started[0]
    if (running === undefined || labelSelectors === undefined) throw new Error('no emulator row')
    const transcript = await runScenario(running, labelSelectors.given, `other-${++scenarios}`, {
      between: otherClient(running),
      rewrite: given.rewrite,
    })
    const found = differingParts(transcript, recorded('lists', labelSelectors.given.name))
    expect(found.filter((part) => !labelSelectors.want?.differences.includes(part))).toEqual(want)
  })
})

// What `<rv-current>` still tells apart: a read older than what it must include is numbered.
const reads: { given: { request: string; revision: string }; want: string }[] = [
  { given: { request: 'GET /cms', revision: '12' }, want: '<rv-current>' },
  { given: { request: 'GET /cms', revision: '10' }, want: '<rv-current>' },
  { given: { request: 'GET /cms', revision: '9' }, want: '<rv-1>' },
  { given: { request: 'GET /cms?resourceVersion=0', revision: '8' }, want: '<rv-current>' },
  { given: { request: 'GET /cms?resourceVersion=0', revision: '7' }, want: '<rv-1>' },
  {
    given: {
      request: 'GET /cms?resourceVersion=11&resourceVersionMatch=NotOlderThan',
      revision: '10',
    },
    want: '<rv-1>',
  },
  {
    given: { request: 'GET /cms?resourceVersion=8&resourceVersionMatch=Exact', revision: '8' },
    want: '<rv-1>',
  },
  { given: { request: 'GET /cms?limit=1&continue=abc', revision: '12' }, want: '<rv-1>' },
]
describe('the revision of a list read at the current revision (newest answered: 10)', () => {
  it.each(reads)('$given.request answered at $given.revision', ({ given, want }) => {
    const normaliser = new Normaliser('127.0.0.1:1')
    normaliser.observe({ metadata: { resourceVersion: '10' } })
    const item = { metadata: { name: 'a', resourceVersion: '8' } }
    const body = { metadata: { resourceVersion: given.revision }, items: [item] }
    expect(normaliser.answer(given.request, body)).toMatchObject({
      metadata: { resourceVersion: want },
    })
  })
})
