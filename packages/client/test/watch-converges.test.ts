import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from '../src/index.js'
import { write } from './_helpers.js'
import { ConfigMap } from './generated/builtins/core/v1.js'

// The watch contract as a property: whatever writes, dropped connections and compactions happen
// while a consumer applies the events in order — and while it stops pulling for a while, so that
// drops and compactions land while its watch is away and it has to resume or relist — its state
// converges on the server's list.
type Step =
  | { op: 'create' | 'update' | 'delete'; name: string }
  | { op: 'drop'; how: 'reset' | 'end' }
  | { op: 'compact' }
  | { op: 'pause' }
  | { op: 'resume' }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom('create' as const, 'update' as const, 'delete' as const),
    name: fc.constantFrom('a', 'b', 'c', 'd'),
  }),
  fc.record({
    op: fc.constant('drop' as const),
    how: fc.constantFrom('reset' as const, 'end' as const),
  }),
  fc.record({ op: fc.constant('compact' as const) }),
  fc.record({ op: fc.constant('pause' as const) }),
  fc.record({ op: fc.constant('resume' as const) }),
)

describe('a watching consumer converges', () => {
  let server: ApiServer
  let k8s: Client
  let run = 0
  beforeAll(async () => {
    // Bookmarks every 20 ms: a consumer asked to pause always gets an event to pause after.
    server = await startApiServer({ bookmarkIntervalMs: 20 })
    k8s = await createClient({ kubeconfig: await server.kubeconfig() })
  })
  afterAll(async () => {
    await k8s.close()
    await server.close()
  })

  it('on the listed state, through drops and compactions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 20 }), async (steps) => {
        const ns = `converge-${++run}`
        const base = `/api/v1/namespaces/${ns}/configmaps`
        await write(k8s, 'POST', '/api/v1/namespaces', { metadata: { name: ns } })
        const state = new Map<string, string>()
        const controller = new AbortController()
        // Pausing: the consumer stops pulling after its next event until resumed (the watch's
        // generator then sits at a yield, its connection unread).
        let pauseAsked: (() => void) | undefined
        let resume: (() => void) | undefined
        const consumer = (async () => {
          for await (const event of k8s.watch(ConfigMap, {
            namespace: ns,
            signal: controller.signal,
            retry: { attempts: 20, initialDelayMs: 5, maxDelayMs: 50 },
          })) {
            if (event.type !== 'BOOKMARK') {
              const name = event.object.metadata?.name ?? ''
              if (event.type === 'DELETED') state.delete(name)
              else state.set(name, event.object.metadata?.resourceVersion ?? '')
            }
            if (pauseAsked !== undefined) {
              const gate = new Promise<void>((open) => (resume = open))
              pauseAsked()
              pauseAsked = undefined
              await gate
            }
          }
        })()
        const pause = (): Promise<void> => new Promise((paused) => (pauseAsked = paused))
        const unpause = (): void => {
          resume?.()
          resume = undefined
        }
        let version = 0
        for (const s of steps) {
          if (s.op === 'drop') server.dropWatches(s.how)
          else if (s.op === 'compact') server.compact()
          else if (s.op === 'pause') {
            if (resume === undefined) await pause()
          } else if (s.op === 'resume') unpause()
          else {
            // 404 (nothing to update or delete) and 409 (already there) are part of the game.
            const path = s.op === 'create' ? base : `${base}/${s.name}`
            const method = s.op === 'create' ? 'POST' : s.op === 'update' ? 'PUT' : 'DELETE'
            const body =
              s.op === 'delete'
                ? undefined
                : { metadata: { name: s.name }, data: { v: String(++version) } }
            await write(k8s, method, path, body).catch(() => undefined)
          }
        }
        unpause()
        const listed = new Map<string, string>()
        for await (const item of k8s.listAll(ConfigMap, { namespace: ns }))
          listed.set(item.metadata?.name ?? '', item.metadata?.resourceVersion ?? '')
        const sorted = (m: Map<string, string>): string[][] => [...m].sort()
        await expect.poll(() => sorted(state), { timeout: 20_000 }).toEqual(sorted(listed))
        controller.abort()
        await consumer
      }),
      {
        numRuns: 12,
        // The path a random run rarely takes: the watch is away while an object goes and the
        // history is compacted, so only the relist can tell the consumer.
        examples: [
          [
            [
              { op: 'create', name: 'a' },
              { op: 'create', name: 'b' },
              { op: 'pause' },
              { op: 'drop', how: 'reset' },
              { op: 'delete', name: 'a' },
              { op: 'update', name: 'b' },
              { op: 'compact' },
              { op: 'resume' },
            ],
          ],
        ],
      },
    )
  })
})
