import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../src/index.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { localKubeconfig } from './_helpers.js'

// sendInitialEvents and a connection that ends before the initial-events-end bookmark: the next
// watch asks for the initial events again, and the watch skips the objects it already delivered
// at the same resourceVersion — unless it keeps no per-object state (`relist: false`).
const added = (name: string, rv: string): string =>
  `${JSON.stringify({ type: 'ADDED', object: { metadata: { name, resourceVersion: rv } } })}\n`
const endBookmark = `${JSON.stringify({
  type: 'BOOKMARK',
  object: {
    metadata: { resourceVersion: '7', annotations: { 'k8s.io/initial-events-end': 'true' } },
  },
})}\n`
// The first connection ends after one initial event; the second replays them all.
const connections = [
  added('a', '5'),
  added('a', '5') + added('b', '6') + endBookmark + added('c', '8'),
]

describe('a watch with sendInitialEvents, reconnected half-way', () => {
  let server: Server
  let served = 0
  let kubeconfig = ''
  const work = mkdtempSync(join(tmpdir(), 'client-initial-events-'))
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(connections[Math.min(served++, connections.length - 1)])
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    kubeconfig = localKubeconfig(work, (server.address() as AddressInfo).port)
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(work, { recursive: true, force: true })
  })

  it.each([
    { given: { relist: true }, want: ['ADDED a', 'ADDED b', 'BOOKMARK', 'ADDED c'] },
    { given: { relist: false }, want: ['ADDED a', 'ADDED a', 'ADDED b', 'BOOKMARK', 'ADDED c'] },
  ])('$given: $want', async ({ given, want }) => {
    served = 0
    const client = await createClient({ kubeconfig })
    const seen: string[] = []
    try {
      const events = client.watch(ConfigMap, {
        namespace: 'default',
        sendInitialEvents: true,
        relist: given.relist,
      })
      for await (const event of events) {
        seen.push(
          event.type === 'BOOKMARK' ? 'BOOKMARK' : `${event.type} ${event.object.metadata?.name}`,
        )
        if (seen.length === want.length) break
      }
    } finally {
      await client.close()
    }
    expect(seen).toEqual(want)
  })
})
