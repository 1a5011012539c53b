import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createClient, isResourceExpired, type WatchOptions } from '../src/index.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { localKubeconfig } from './_helpers.js'

// A server that never gets better: every watch fails the same way, every list succeeds. The
// watch must pace its relists and retries (the reflector's backoff; the delays themselves are
// tested on a fake clock in _backoff.test.ts) and end with the error after `retry.attempts`
// failures in a row. Requests are counted, never timed.
interface Answer {
  status: number
  headers?: Record<string, string>
  body: string
}

const expiredStatus = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: 'too old resource version: 1 (9)',
  reason: 'Expired',
  code: 410,
}
const answers = {
  'an ERROR event with code 410': {
    status: 200,
    body: `${JSON.stringify({ type: 'ERROR', object: expiredStatus })}\n`,
  },
  'an HTTP 410 with a Status': { status: 410, body: JSON.stringify(expiredStatus) },
  'an HTTP 410 without a Status': {
    status: 410,
    headers: { 'content-type': 'text/plain' },
    body: 'gone',
  },
  'an HTTP 429 with Retry-After: 3600': {
    status: 429,
    headers: { 'retry-after': '3600' },
    body: '',
  },
  'an HTTP 503 with Retry-After: 99999999999': {
    status: 503,
    headers: { 'retry-after': '99999999999' },
    body: '',
  },
} satisfies Record<string, Answer>

describe('a watch against a server that fails forever', () => {
  let server: Server
  let answer: Answer = answers['an HTTP 410 with a Status']
  const requests = { watch: 0, list: 0 }
  const work = mkdtempSync(join(tmpdir(), 'client-watch-backoff-'))
  let kubeconfig = ''
  const warnings: string[] = []
  const onWarning = (warning: Error): void => void warnings.push(warning.name)
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.includes('watch=1') !== true) {
        requests.list++
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: '9' } }))
        return
      }
      requests.watch++
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      res.end(answer.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    kubeconfig = localKubeconfig(work, port)
    process.on('warning', onWarning)
  })
  afterEach(() => {
    requests.watch = 0
    requests.list = 0
    warnings.length = 0
  })
  afterAll(async () => {
    process.off('warning', onWarning)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(work, { recursive: true, force: true })
  })

  async function drain(
    options: Partial<WatchOptions<typeof ConfigMap>>,
    retries?: number,
  ): Promise<unknown> {
    const client = await createClient({ kubeconfig, ...(retries === undefined ? {} : { retries }) })
    try {
      const watch = client.watch(ConfigMap, {
        namespace: 'default',
        resourceVersion: '1',
        retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 4 },
        ...options,
      })
      for await (const event of watch) throw new Error(`unexpected ${event.type}`)
      return undefined
    } catch (error) {
      return error
    } finally {
      await client.close()
    }
  }

  it.each([
    {
      given: 'an ERROR event with code 410' as const,
      want: { statusCode: 410, watch: 4, list: 3 },
    },
    {
      given: 'an HTTP 410 with a Status' as const,
      want: { statusCode: 410, watch: 4, list: 3 },
    },
    {
      given: 'an HTTP 410 without a Status' as const,
      want: { statusCode: 410, watch: 4, list: 3 },
    },
    // The connection waits a Retry-After in full (client-go rest/with_retry.go), so these rows
    // turn its retries off to see the watch's own: it waits at most maxDelayMs, and never hands
    // Node a timer it cannot hold (TimeoutOverflowWarning).
    {
      given: 'an HTTP 429 with Retry-After: 3600' as const,
      want: { statusCode: 429, watch: 4, list: 0 },
      retries: 0,
    },
    {
      given: 'an HTTP 503 with Retry-After: 99999999999' as const,
      want: { statusCode: 503, watch: 4, list: 0 },
      retries: 0,
    },
  ])(
    '$given forever: 3 retries paced by the backoff, then the error ($want.watch watches, $want.list lists)',
    async ({ given, want, retries }) => {
      answer = answers[given]
      const error = await drain({}, retries)
      expect(error).toMatchObject({
        code: 'K8S_CODEGEN_CLIENT_STATUS',
        statusCode: want.statusCode,
      })
      expect(requests).toEqual({ watch: want.watch, list: want.list })
      // process.emitWarning reports on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).toEqual([])
    },
    15_000,
  )

  it.each([
    { given: 'an ERROR event with code 410' as const },
    { given: 'an HTTP 410 with a Status' as const },
  ])(
    'relist: false: $given ends the watch with the Expired error, nothing listed',
    async ({ given }) => {
      answer = answers[given]
      const error = await drain({ relist: false })
      expect(isResourceExpired(error)).toBe(true)
      expect(requests).toEqual({ watch: 1, list: 0 })
    },
  )
})
